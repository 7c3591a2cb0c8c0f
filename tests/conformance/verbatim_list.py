"""Regenerate examples/tutorial_verbatim.known-failures, each claim with the tutorial mistake behind it.

    python -m tests.conformance.verbatim_list          # print the list
    python -m tests.conformance.verbatim_list --write  # and write it

The suite runs against tutorial_verbatim as it is, then against copies with one mistake repaired
(delegated to reference_nn), then with every mistake repaired but one. A claim's mistakes are those
whose repair alone makes it pass, and those that alone keep it failing. About twenty runs of the
specification, two at a time: a few minutes.
"""

from __future__ import annotations

import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nnspec.report import failing_test
from tests.conformance.suite import ROOT, SPEC, report, run_suite

VERBATIM = ROOT / "examples" / "tutorial_verbatim.py"
LIST = ROOT / "examples" / "tutorial_verbatim.known-failures"

HEAD = f"""
import importlib.util
from reference_nn import adapter as _ref
_spec = importlib.util.spec_from_file_location("_verbatim_base", {str(VERBATIM)!r})
_m = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_m)
"""
TAIL = """
globals().update({k: v for k, v in vars(_m).items() if not k.startswith("__")})
"""

#: mistake -> (what the tutorial does, the repair applied to the loaded module ``_m``)
MISTAKES = {
    "sign": (
        "003 writes the sigmoid's derivative dA/dZ = -e^-Z / (1 + e^-Z)^2, with the wrong sign",
        "def _g(name, z, _prev=_m.activation_grad, **p):\n"
        "    return _ref.activation_grad(name, z, **p) if name == 'sigmoid' else _prev(name, z, **p)\n"
        "_m.activation_grad = _g\n",
    ),
    "relu": (
        "002's ReLUActivation.backward returns a relu(A) again, not the slope a [z > 0]",
        "def _g(name, z, _prev=_m.activation_grad, **p):\n"
        "    return _ref.activation_grad(name, z, **p) if name == 'relu' else _prev(name, z, **p)\n"
        "_m.activation_grad = _g\n"
        "_m._layer_slope = lambda name, A, _prev=_m._layer_slope: (\n"
        "    (A > 0) * 1.0 if name == 'relu' else _prev(name, A))\n",
    ),
    "sigmoid_overflow": (
        "the tutorials' sigmoid 1/(1+np.exp(-x)) overflows (a RuntimeWarning) below x = -709",
        "_m._FORWARD['sigmoid'] = lambda X: _ref.activation('sigmoid', X)\n",
    ),
    "softmax": (
        "002's softmax np.e**x / np.sum(np.e**x) sums over the whole array, and overflows",
        "_m._FORWARD['softmax'] = lambda X: _ref.activation('softmax', X)\n",
    ),
    "step": (
        "002's binary step stores its threshold and never uses it",
        "_m._FORWARD['binary_step'] = lambda X, threshold=0.0: (\n"
        "    _ref.activation('binary_step', X, threshold=threshold))\n",
    ),
    "mse_train": (
        "001 (and 000's digits program) print the MSE but update by the 1/2 SSE rule at rate 1",
        "def _t(X, Y, W, b, acts, loss, lr, n, _prev=_m.train):\n"
        "    return (_ref.train if loss == 'mse' else _prev)(X, Y, W, b, acts, loss, lr, n)\n"
        "_m.train = _t\n",
    ),
    "cce_loss": (
        "002's categorical_crossentropy: one value per sample, renormalises its input in place, clips at 1e-7",
        "def _l(name, p, y, _prev=_m.loss):\n"
        "    return (_ref.loss if name == 'categorical_cross_entropy' else _prev)(name, p, y)\n"
        "_m.loss = _l\n",
    ),
    "fit_gradient": (
        "002's fit feeds the loss value back where the gradient belongs",
        "def _lg(name, p, y, _prev=_m.loss_grad):\n"
        "    return (_ref.loss_grad if name == 'categorical_cross_entropy' else _prev)(name, p, y)\n"
        "_m.loss_grad = _lg\n",
    ),
    "bce_log0": (
        "003's cost takes log(0) (nothing clipped) once a prediction saturates",
        "def _l(name, p, y, _prev=_m.loss):\n"
        "    return (_ref.loss if name == 'binary_cross_entropy' else _prev)(name, p, y)\n"
        "_m.loss = _l\n",
    ),
}
SEVERAL = "several"


def _variant(folder: Path, label: str, repaired: list[str]) -> Path:
    path = folder / f"verbatim_{label}.py"
    path.write_text(HEAD + "".join(MISTAKES[m][1] for m in repaired) + TAIL, encoding="utf-8")
    return path


def _failing(adapter: Path, folder: Path) -> tuple[set[str], dict]:
    base = folder / f"report_{adapter.stem}"
    run_suite(str(adapter), "-q", "--conformance-report", base, SPEC)
    doc = report(base)
    claims = {**doc["claims"], **doc["rules"]}  # claim ids and rule ids (R01...) never collide
    return {cid for cid, e in claims.items() if e["outcome"] == "failed"}, claims


def attribute(folder: Path) -> tuple[dict[str, list[str]], dict]:
    """{failing claim: [mistakes]} for tutorial_verbatim, and its report's claims."""
    names = list(MISTAKES)
    jobs = {"base": VERBATIM}
    for m in names:
        jobs[f"only_{m}"] = _variant(folder, f"only_{m}", [m])
        jobs[f"allbut_{m}"] = _variant(folder, f"allbut_{m}", [x for x in names if x != m])
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(jobs, pool.map(lambda path: _failing(path, folder), jobs.values())))
    base, claims = results["base"]
    attribution = {}
    for cid in sorted(base):
        alone = {m for m in names if cid not in results[f"only_{m}"][0]}
        needed = {m for m in names if cid in results[f"allbut_{m}"][0]}
        attribution[cid] = sorted(alone | needed)
    return attribution, claims


def render(attribution: dict[str, list[str]], claims: dict) -> str:
    lines = [
        "# The claims that examples/tutorial_verbatim.py (the tutorials' code and formulas as printed) fails:",
        "# the tutorial mistakes this specification catches. tests/conformance/test_examples.py checks that",
        "# the adapter fails exactly these; regenerate with `python -m tests.conformance.verbatim_list --write`.",
        "#",
        "# Each line names the mistake(s) behind the failure (found by repairing one mistake at a time in a",
        "# copy of the adapter) and the first test that fails. The mistakes:",
        *(f"#   {key:<17} {text}" for key, (text, _) in MISTAKES.items()),
        f"#   {SEVERAL:<17} several of the above at once",
        "",
    ]
    width = max((len(cid) for cid in attribution), default=0)
    for cid, mistakes in attribution.items():
        tag = ", ".join(mistakes) if 0 < len(mistakes) <= 3 else SEVERAL
        test = failing_test(claims[cid])
        lines.append(f"{cid:<{width}}  # {tag}: {test}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        text = render(*attribute(Path(folder)))
    sys.stdout.write(text)
    if "--write" in argv:
        LIST.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
