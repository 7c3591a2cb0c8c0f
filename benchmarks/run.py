"""Run the benchmarks and write ``benchmarks/results.json`` and ``benchmarks/results.md``.

``python -m benchmarks`` runs them all (about a minute); ``--quick`` runs small sizes and writes
nothing unless ``--out`` is given. The exit status is 1 if a result check or a requirement fails.

Every benchmark times a *baseline* and a *subject* doing the same computation, alternately
(baseline first in even repeats, subject first in odd ones), with the garbage collector off. Both
clocks are read: the CPU time of this process (``time.process_time``; every computation here runs
on one thread) and the wall clock. The ratios use CPU time, which other work on a shared machine
disturbs far less than the wall clock; the headline ratio is best against best, and the median of
the per-repeat ratios is reported next to it. Wall-clock figures are in the JSON file.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import importlib.util
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

import reference_nn
from reference_nn import Network, adapter, datasets, dense_forward, get_activation, train_many
from reference_nn.initializers import legacy_rng, symmetric_uniform

from . import baselines
from .commands import sections

HERE = Path(__file__).resolve().parent
TORCH_ADAPTER = HERE.parent / "examples" / "torch_adapter.py"


# ---- timing ------------------------------------------------------------------------------------------


def _seconds(fn, number):
    """(CPU, wall) seconds per call of ``fn()`` over ``number`` calls, garbage collector off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(number):
            fn()
        return (time.process_time() - cpu) / number, (time.perf_counter() - wall) / number
    finally:
        if enabled:
            gc.enable()


def side_by_side(baseline, subject, repeats, number_baseline=1, number_subject=1):
    """Interleaved timings: {"baseline": [(cpu, wall), ...], "subject": [...]} in seconds per call."""
    times = {"baseline": [], "subject": []}
    for r in range(repeats):
        pair = [("baseline", baseline, number_baseline), ("subject", subject, number_subject)]
        for name, fn, number in pair if r % 2 == 0 else pair[::-1]:
            times[name].append(_seconds(fn, number))
    return times


def _ratios(b, s, quantity):
    if quantity == "cost":
        return min(s) / min(b), statistics.median(si / bi for bi, si in zip(b, s))
    return min(b) / min(s), statistics.median(bi / si for bi, si in zip(b, s))


def summarise(times, quantity):
    """Best/median seconds and the ratio: 'cost' = subject / baseline, 'speed-up' = baseline / subject."""
    result = {"repeats": len(times["baseline"]), "quantity": quantity, "clock": "cpu"}
    for clock, k in (("cpu", 0), ("wall", 1)):
        b, s = [t[k] for t in times["baseline"]], [t[k] for t in times["subject"]]
        best, median = _ratios(b, s, quantity)
        prefix = "" if clock == "cpu" else "wall_"
        result[f"{prefix}baseline_seconds"] = {"best": min(b), "median": statistics.median(b)}
        result[f"{prefix}subject_seconds"] = {"best": min(s), "median": statistics.median(s)}
        result[f"{prefix}ratio"] = best
        result[f"{prefix}ratio_median_of_pairs"] = median
    return result


# ---- the benchmarks ----------------------------------------------------------------------------------


def _xor_weights(seed):
    rng = legacy_rng(seed)
    return symmetric_uniform(rng, (3, 4)), symmetric_uniform(rng, (4, 1))


def bench_training_vs_raw_loop(iterations, repeats):
    """Network.fit against tutorial 000's raw loop: 3-4-1 sigmoid, XOR, weights from legacy_rng(1)."""
    X, y = datasets.xor()
    W0, W1 = _xor_weights(1)
    out = {}

    def raw():
        out["raw"] = baselines.tutorial_xor_loop(X, y, W0.copy(), W1.copy(), iterations)

    def ref():
        net = Network.from_weights([W0, W1], "sigmoid")
        net.fit(X, y, learning_rate=1.0, iterations=iterations)
        out["ref"] = net

    result = summarise(side_by_side(raw, ref, repeats), "cost")
    syn0, syn1, _ = out["raw"]
    net = out["ref"]
    raw_output = baselines.nonlin(np.dot(baselines.nonlin(np.dot(X, syn0)), syn1))
    identical = (
        np.array_equal(net.weights[0], syn0)
        and np.array_equal(net.weights[1], syn1)
        and np.array_equal(net.predict(X), raw_output)
    )
    difference = max(np.max(np.abs(a - b)) for a, b in zip(net.weights, (syn0, syn1)))
    return {
        "id": "training-vs-raw-loop",
        "title": "reference_nn training vs the tutorial's raw NumPy loop",
        "baseline": f"tutorial 000's loop (3-4-1 sigmoid, XOR, {iterations:,} iterations, weights from legacy_rng(1))",
        "subject": "Network.from_weights(...).fit(X, y, learning_rate=1.0, iterations) on the same weights",
        **result,
        "requirement": {"max": 1.2},
        "check": "final weights and outputs bit-identical to the raw loop",
        "check_passed": bool(identical),
        "max_abs_weight_difference": float(difference),
    }


def bench_batched_seeds(n_seeds, iterations, repeats):
    """train_many on S stacked networks against a Python loop of Network.fit over the same S seeds."""
    X, y = datasets.xor()
    pairs = [_xor_weights(seed) for seed in range(n_seeds)]
    W0 = np.stack([p[0] for p in pairs])
    W1 = np.stack([p[1] for p in pairs])
    out = {}

    def loop():
        results = []
        for w0, w1 in pairs:
            net = Network.from_weights([w0, w1], "sigmoid")
            losses = net.fit(X, y, learning_rate=1.0, iterations=iterations)
            results.append((net.weights, losses))
        out["loop"] = results

    def batched():
        out["batched"] = train_many(X, y, [W0, W1], "sigmoid", "half_sse", 1.0, iterations)

    result = summarise(side_by_side(loop, batched, repeats), "speed-up")
    Ws, _, losses = out["batched"]
    identical = all(
        np.array_equal(weights[0], Ws[0][s])
        and np.array_equal(weights[1], Ws[1][s])
        and np.array_equal(ls, losses[:, s])
        for s, (weights, ls) in enumerate(out["loop"])
    )
    return {
        "id": "batched-seeds",
        "title": f"train_many over {n_seeds} seeds vs a Python loop of Network.fit",
        "baseline": f"for seed in 0..{n_seeds - 1}: Network.fit ({iterations:,} iterations, XOR 3-4-1 sigmoid)",
        "subject": f"train_many with weight stacks of shape ({n_seeds}, 3, 4) and ({n_seeds}, 4, 1)",
        **result,
        "requirement": {"min": 20.0},
        "check": "every seed's final weights and losses bit-identical to its own Network.fit",
        "check_passed": bool(identical),
    }


def bench_vectorised_forward(n_features, repeats, checked):
    """Tutorial 002's quiz: one neuron's weighted sum over n features, Python loop vs matrix product.

    ``checked``: the adapter's dense_forward (builds a validated Dense layer, then its forward pass);
    otherwise the layer function reference_nn.dense_forward, the forward pass itself.
    """
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(1, n_features)), rng.normal(size=(n_features, 1))
    xs, ws = x.ravel().tolist(), w.ravel().tolist()
    identity = get_activation("identity")
    out = {}

    def loop():
        out["loop"] = baselines.feature_loop(xs, ws)

    if checked:

        def vectorised():
            out["vectorised"] = adapter.dense_forward(x, w, None, "identity")

    else:

        def vectorised():
            out["vectorised"] = dense_forward(x, w, None, identity)[1]

    result = summarise(side_by_side(loop, vectorised, repeats, number_baseline=3, number_subject=100), "speed-up")
    close = bool(np.isclose(out["vectorised"][0, 0], out["loop"], rtol=1e-9, atol=0.0))
    if checked:
        title, subject = "with input checks", "reference_nn.adapter.dense_forward(x, w, None, 'identity')"
    else:
        title, subject = "the forward pass itself", "reference_nn.dense_forward(x, w, None, identity), x @ w"
    return {
        "id": "vectorised-forward-checked" if checked else "vectorised-forward",
        "title": f"vectorised vs for-loop forward pass, {n_features:,} features, {title} (tutorial 002's quiz)",
        "baseline": f"a Python loop over {n_features:,} features: total += x[i] * w[i]",
        "subject": subject,
        **result,
        "requirement": None,
        "check": "the same weighted sum (relative difference <= 1e-9; only the summation order differs)",
        "check_passed": close,
    }


def _load_torch_adapter():
    if not TORCH_ADAPTER.is_file():
        return None, f"{TORCH_ADAPTER.relative_to(HERE.parent)} does not exist"
    try:
        spec = importlib.util.spec_from_file_location("_bench_torch_adapter", TORCH_ADAPTER)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except ImportError as exc:
        return None, f"the PyTorch adapter cannot be imported ({exc})"
    return module, None


def bench_torch_adapter(iterations, repeats):
    """The PyTorch adapter's train against reference_nn's adapter on the same run (XOR 3-4-1 sigmoid)."""
    row = {
        "id": "torch-adapter",
        "title": "the PyTorch adapter vs reference_nn on the same training run",
        "baseline": f"reference_nn.adapter.train (XOR 3-4-1 sigmoid, half SSE, {iterations:,} iterations)",
        "subject": "examples/torch_adapter.py train (float64, autograd, CPU) on the same weights",
        "requirement": None,
    }
    torch_adapter, why = _load_torch_adapter()
    if torch_adapter is None:
        return {**row, "available": False, "reason": why}
    X, y = datasets.xor()
    W0, W1 = _xor_weights(1)
    args = (X, y, [W0, W1], [None, None], ["sigmoid", "sigmoid"], "half_sse", 1.0, iterations)
    out = {}

    def ref():
        out["ref"] = adapter.train(*args)

    def torch_run():
        out["torch"] = torch_adapter.train(*args)

    result = summarise(side_by_side(ref, torch_run, repeats), "cost")
    difference = max(
        float(np.max(np.abs(np.asarray(a) - np.asarray(b))))
        for a, b in zip(out["ref"]["weights"], out["torch"]["weights"])
    )
    loss_difference = float(np.max(np.abs(np.asarray(out["ref"]["losses"]) - np.asarray(out["torch"]["losses"]))))
    return {
        **row,
        "available": True,
        "torch_version": str(getattr(torch_adapter, "VERSION", "?")),
        **result,
        "check": "the same final weights and losses (max absolute difference <= 1e-9)",
        "check_passed": difference <= 1e-9 and loss_difference <= 1e-9,
        "max_abs_weight_difference": difference,
        "max_abs_loss_difference": loss_difference,
    }


# ---- the machine and the report ----------------------------------------------------------------------


def _cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _blas():
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # older numpy: no mode="dicts"
        return "unknown"


def machine():
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": _cpu_model(),
        "logical_cpus": os.cpu_count(),
        "usable_cpus": usable,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": _blas(),
        "reference_nn": reference_nn.__version__,
    }


def verdict(row):
    """'met', 'not met', 'measured' (no requirement), 'check failed' or 'not available'."""
    if not row.get("available", True):
        return "not available"
    if not row["check_passed"]:
        return "check failed"
    req = row["requirement"]
    if req is None:
        return "measured"
    ok = row["ratio"] <= req["max"] if "max" in req else row["ratio"] >= req["min"]
    return "met" if ok else "not met"


def _ratio_text(row):
    if not row.get("available", True):
        return "not available"
    if row["quantity"] == "cost":
        return f"{row['ratio']:.2f}x the time (median of pairs {row['ratio_median_of_pairs']:.2f}x)"
    return f"{row['ratio']:,.1f}x faster (median of pairs {row['ratio_median_of_pairs']:,.1f}x)"


def _requirement_text(row):
    req = row["requirement"]
    if req is None:
        return "reported"
    return f"at most {req['max']}x the time" if "max" in req else f"at least {req['min']:g}x faster"


def _seconds_text(row):
    if not row.get("available", True):
        return row["reason"]
    b, s = row["baseline_seconds"], row["subject_seconds"]
    return f"{_fmt(b['best'])} vs {_fmt(s['best'])} (best of {row['repeats']})"


def _fmt(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.1f} µs"


def markdown(report):
    m = report["machine"]
    lines = [
        "| Benchmark | Measured | Requirement | Result | Baseline vs subject | Result check |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in report["benchmarks"]:
        check = "—" if not row.get("available", True) else ("passed: " if row["check_passed"] else "FAILED: ")
        check += row.get("check", "") if row.get("available", True) else ""
        lines.append(
            f"| {row['title']} | {_ratio_text(row)} | {_requirement_text(row)} | {row['verdict']} | "
            f"{_seconds_text(row)} | {check} |"
        )
    lines += [
        "",
        f"Measured {report['date']} with `{report['command']}` on {m['cpu']} ({m['usable_cpus']} usable of "
        f"{m['logical_cpus']} logical CPUs), Python {m['python']}, NumPy {m['numpy']} ({m['blas']}), "
        f"reference_nn {m['reference_nn']}; load average {report['load_average']['start']:.2f} at the start, "
        f"{report['load_average']['end']:.2f} at the end.",
        "",
        "Each ratio compares the best CPU times (`time.process_time`) of the interleaved repeats of both sides, "
        "the baseline first named; the median of the per-repeat ratios is in brackets. Wall-clock times, "
        "more disturbed by other work on a shared machine, are in `results.json`.",
        "",
    ]
    for row in report["benchmarks"]:
        lines.append(f"- **{row['title']}**: baseline {row['baseline']}; subject {row['subject']}.")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke run; writes nothing without --out")
    parser.add_argument("--out", type=Path, default=None, help="directory for results.json and results.md")
    parser.add_argument("--repeats", type=int, default=None, help="interleaved repeats per benchmark")
    args = parser.parse_args(argv)
    quick = args.quick
    out_dir = args.out if args.out is not None else (None if quick else HERE)
    repeats = args.repeats or (2 if quick else 7)
    load_start = os.getloadavg()[0]
    rows = [
        bench_training_vs_raw_loop(2_000 if quick else 60_000, repeats),
        bench_batched_seeds(200, 50 if quick else 1_000, max(2, repeats - 2)),
        bench_vectorised_forward(10_000, repeats, checked=False),
        bench_vectorised_forward(10_000, repeats, checked=True),
        bench_torch_adapter(500 if quick else 10_000, max(2, repeats - 2)),
    ]
    for row in rows:
        row["verdict"] = verdict(row)
    report = {
        "command": "python -m benchmarks" + (" --quick" if quick else ""),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load_average": {"start": load_start, "end": os.getloadavg()[0]},
        "benchmarks": rows,
    }
    text = markdown(report)
    print(text)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "results.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        kept = (
            sections((out_dir / "results.md").read_text(encoding="utf-8")) if (out_dir / "results.md").is_file() else []
        )
        (out_dir / "results.md").write_text("\n".join([text, *kept]), encoding="utf-8")
        print(f"wrote {out_dir / 'results.json'} and {out_dir / 'results.md'}", file=sys.stderr)
    failed = [row["id"] for row in rows if row["verdict"] in ("not met", "check failed")]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0
