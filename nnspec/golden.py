"""Golden data: what the tutorials printed (``golden/printed``) and reference runs (``golden/runs``).

Printed goldens are transcribed by hand from a tutorial, with provenance, and compared at the
precision the tutorial printed. Run cases store everything a run needs (inputs, initial
weights, hyper-parameters) so that no implementation needs NumPy's random stream; their
outputs are checked with pytest-regressions against a CSV written by a reference run.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from nnspec import content, recording
from nnspec.evidence import record
from nnspec.impl import is_reference

GOLDEN = content.GOLDEN


#: The golden files' text, read once before any implementation code runs (see :func:`preload`): what a
#: run compares with cannot be rewritten by the implementation it judges.
_TEXT: dict[Path, str] = {}


def preload() -> None:
    """Read every golden file now (the plugin calls this before it imports the adapter under test)."""
    for path in sorted(GOLDEN.rglob("*")):
        if path.suffix in (".yaml", ".csv") and path.is_file():
            _TEXT[path.resolve()] = path.read_text(encoding="utf-8")


def copy_runs(folder: Path) -> None:
    """Write the run goldens as they were preloaded (``golden/runs/*``) into ``folder``: what validation mode
    compares with (pytest-regressions' data directory there is this copy, not the checkout)."""
    runs = (GOLDEN / "runs").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in _TEXT.items():
        if path.parent == runs:
            (folder / path.name).write_text(text, encoding="utf-8")


def golden_text(path: Path) -> str:
    """A golden file's text as it was when the run started (as it is now, for a file not preloaded)."""
    path = Path(path).resolve()
    return _TEXT[path] if path in _TEXT else path.read_text(encoding="utf-8")


def load_yaml(relpath: str):
    return yaml.safe_load(golden_text(GOLDEN / relpath))


def printed(tutorial: str, key: str) -> dict:
    """One printed value from ``golden/printed/<tutorial>.yaml``: {section, printed, values, decimals|significant}."""
    record("printed", f"{tutorial}/{key}")
    doc = load_yaml(f"printed/{tutorial}.yaml")
    try:
        entry = doc["outputs"][key]
    except KeyError:
        raise KeyError(f"golden/printed/{tutorial}.yaml has no output {key!r}") from None
    entry["golden"] = f"{tutorial}/{key}"
    return entry


def printed_tolerance(entry: dict, value: float) -> float:
    """Half a unit in the last printed place: decimals d -> 0.5e-d; significant s -> 0.5e-(s-1) |value|."""
    if "decimals" in entry:
        return 0.5 * 10.0 ** -int(entry["decimals"])
    if "significant" in entry:
        return 0.5 * 10.0 ** -(int(entry["significant"]) - 1) * abs(value)
    raise KeyError("a printed golden needs 'decimals' or 'significant'")


def assert_matches_printed(actual, entry: dict) -> None:
    """Every number in ``actual`` rounds to what the tutorial printed, at its printed precision."""
    expected = np.asarray(entry["values"], dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    assert actual.shape == expected.shape, f"shape {actual.shape} != printed {expected.shape}"
    for a, e in zip(actual.ravel(), expected.ravel(), strict=True):
        tol = printed_tolerance(entry, e) * (1 + 1e-9)  # the rounding boundary itself counts as a match
        assert abs(a - e) <= tol, f"{a!r} does not round to the printed {e!r} (tolerance {tol:.3g})\n{entry['printed']}"
    if "golden" in entry:
        # the plugin moves it into the test's report: the site shows the reproduced numbers beside the printed
        recording.reproduced(entry["golden"], actual.ravel().tolist())


def load_case(name: str) -> dict:
    """A run case from ``golden/runs/<name>.yaml`` with arrays as float64 ndarrays."""
    record("runs", name)
    case = load_yaml(f"runs/{name}.yaml")
    case["X"] = np.array(case["X"], dtype=np.float64)
    case["Y"] = np.array(case["Y"], dtype=np.float64)
    case["weights"] = [np.array(W, dtype=np.float64) for W in case["weights"]]
    case["biases"] = [None if b is None else np.array(b, dtype=np.float64) for b in case["biases"]]
    return case


def run_case(adapter, case: dict) -> dict:
    """Train the adapter from the case's stored initial weights; the inputs are not modified."""
    return adapter.train(
        case["X"].copy(),
        case["Y"].copy(),
        [W.copy() for W in case["weights"]],
        [None if b is None else b.copy() for b in case["biases"]],
        list(case["activations"]),
        case["loss"],
        case["learning_rate"],
        case["iterations"],
    )


def run_columns(adapter, case: dict, result: dict) -> dict[str, np.ndarray]:
    """The columns a regression CSV stores for a run: losses at checkpoints, final weights, final output."""
    losses = np.asarray(result["losses"], dtype=np.float64)
    columns = {
        "checkpoint": np.array(case["checkpoints"], dtype=np.float64),
        "loss": losses[np.array(case["checkpoints"])],
    }
    for i, W in enumerate(result["weights"]):
        columns[f"W{i}"] = np.asarray(W, dtype=np.float64).ravel()
    for i, b in enumerate(result["biases"]):
        if b is not None:
            columns[f"b{i}"] = np.asarray(b, dtype=np.float64).ravel()
    final = adapter.predict(case["X"], result["weights"], result["biases"], list(case["activations"]))
    columns["output"] = np.asarray(final, dtype=np.float64).ravel()
    return columns


def dump_case(path: Path, case: dict) -> None:
    """Write a run case with exact float reprs (yaml round-trips Python floats exactly)."""
    out = dict(case)
    for key in ("X", "Y"):
        out[key] = np.asarray(case[key]).tolist()
    out["weights"] = [np.asarray(W).tolist() for W in case["weights"]]
    out["biases"] = [None if b is None else np.asarray(b).tolist() for b in case["biases"]]
    path.write_text(yaml.safe_dump(out, sort_keys=False, width=120, default_flow_style=None), encoding="utf-8")


def check_run(adapter, num_regression, name: str) -> dict:
    """Train the adapter on run case ``name`` and compare with ``golden/runs/<name>.csv``.

    The tolerance is the case's own ``tolerance`` ({rtol, atol}). Returns the run's result.
    In validation mode (any implementation but the reference) a missing CSV is a plain
    failure: only the reference writes goldens. pytest-regressions finds the CSV by its name in its
    data directory (the plugin's ``original_datadir`` fixture: the checkout's ``golden/runs`` for the
    reference, a temporary copy for any other implementation).
    """
    case = load_case(name)
    path = GOLDEN / "runs" / f"{name}.csv"
    exists = path.resolve() in _TEXT or path.is_file()
    if not exists and not is_reference(adapter):
        pytest.fail(f"golden {path.name} is missing; it is written only by a run against the reference implementation")
    result = run_case(adapter, case)
    columns = run_columns(adapter, case, result)
    if exists:
        assert_close_to_golden(columns, path, case["tolerance"])
    num_regression.check(columns, basename=name, default_tolerance=dict(case["tolerance"]))
    return result


def assert_close_to_golden(columns: dict[str, np.ndarray], path: Path, tolerance: dict) -> None:
    """The same test as pytest-regressions' (``numpy.isclose``: |a - g| <= atol + rtol |g|), with a message
    that names the quantity, the index and the size of the worst miss."""
    rtol, atol = float(tolerance.get("rtol", 1e-5)), float(tolerance.get("atol", 1e-8))
    header, *rows = [line.split(",") for line in golden_text(path).splitlines() if line.strip()]
    misses = []
    for j, name in enumerate(header):
        if name not in columns:
            continue
        expected = np.array([float(row[j]) for row in rows if j < len(row) and row[j] != ""], dtype=np.float64)
        actual = np.asarray(columns[name], dtype=np.float64).ravel()
        if actual.shape != expected.shape:
            misses.append(f"{name}: {actual.size} values, the golden has {expected.size}")
            continue
        miss = np.abs(actual - expected)
        bad = ~np.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True)
        if bad.any():
            i = int(np.argmax(np.where(bad, miss / (atol + rtol * np.abs(expected)), -1.0)))
            misses.append(
                f"{name}[{i}] = {float(actual[i])!r}, golden {float(expected[i])!r} (miss {miss[i]:.3g}, allowed "
                f"{atol + rtol * abs(expected[i]):.3g}; {int(bad.sum())} of {bad.size} values off)"
            )
    more = f"; and {len(misses) - 2} more quantities" if len(misses) > 2 else ""
    assert not misses, f"run {path.stem} differs from its golden: " + "; ".join(misses[:2]) + more
