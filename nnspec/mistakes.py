"""Naming a learner's mistake: the update step of a tutorial-shaped program compared with known wrong versions.

A failing claim says *that* the update is wrong ("Max relative difference 0.95"); a learner needs *what*
is wrong. For the programs of tutorials 000, 001 and 004 (sigmoid layers without biases, one update per
step, :class:`nnspec.shapes.base.SteppedSigmoidNetwork`) the check can compute, on a small fixed problem,
the step gradient descent would take, ΔW_l = a_{l-1}^T δ_l with δ_L = c (y - a_L) a_L (1 - a_L) and
δ_l = (δ_{l+1} W_{l+1}^T) a_l (1 - a_l) (c = 1 for half the SSE, 2 for the SSE), and the steps of the
typical mistakes:

- ``sign``: -ΔW (the update climbs the loss: ``-=`` with ``y - o``, or ``+=`` with ``o - y``);
- ``derivative of z``: the slope a (1 - a) taken of the pre-activation z instead of the output a;
- ``derivative of the output's sigmoid``: σ(a)(1 - σ(a)), the derivative of the input applied to the output;
- ``output layer updated first``: the hidden δ computed with the already updated output weights;
- ``rate``: r ΔW for a number r ≠ 1 (a learning rate of the program's own; the checks then read its
  steps at that rate, :func:`own_rate`).

Each is compared with the program's own step (``stepper``) entry by entry; the one that matches is the
hint. A missing transpose shows as a shape error in a failing check's reason (:func:`from_reasons`).
"""

from __future__ import annotations

import re

import numpy as np

TOLERANCE = dict(rtol=1e-7, atol=1e-12)


def _sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))


def _forward(X, Ws):
    zs, acts = [], [X]
    for W in Ws:
        zs.append(acts[-1] @ W)
        acts.append(_sigmoid(zs[-1]))
    return zs, acts


def descent_step(X, Y, Ws, c=1.0, slope="output", output_first=False, layers=None):
    """W_new - W for each layer: gradient descent at rate 1 on c/2 times the SSE, or one of its mistakes
    (``slope`` taken wrongly at the layers ``layers``, 1-based; all of them when None)."""
    zs, acts = _forward(X, Ws)

    def g(layer):  # the sigmoid's slope at layer ``layer`` (1-based) as the program computes it
        a, z = acts[layer], zs[layer - 1]
        if layers is not None and layer not in layers:
            return a * (1 - a)
        if slope == "z":
            return z * (1 - z)
        if slope == "sigmoid of output":
            s = _sigmoid(a)
            return s * (1 - s)
        return a * (1 - a)

    L = len(Ws)
    steps = [None] * L
    delta = c * (Y - acts[L]) * g(L)
    steps[L - 1] = acts[L - 1].T @ delta
    for layer in range(L - 1, 0, -1):
        W_next = Ws[layer] + steps[layer] if output_first else Ws[layer]
        delta = (delta @ W_next.T) * g(layer)
        steps[layer - 1] = acts[layer - 1].T @ delta
    return steps


def _problem(n_layers: int, width: int = 3):
    rng = np.random.default_rng(20260421)
    X = rng.uniform(-1, 1, (5, width))
    Y = rng.uniform(0, 1, (5, 1))
    sizes = [width] + [4] * (n_layers - 1) + [1]
    Ws = [rng.uniform(-1, 1, (sizes[i], sizes[i + 1])) for i in range(n_layers)]
    return X, Y, Ws


def program_step(impl, n_layers: int):
    """The program's own step on the fixed problem: (X, Y, Ws, W_new - W); the error's text when its matrix
    products' shapes do not fit (a missing transpose that the tutorial's square 4 x 4 case hides), else None
    when it cannot run.

    Asked through the protocol (``train`` for one iteration on half the SSE at rate 1, which the shape
    reads at the program's own rate, nnspec.shapes.base), so it works the same behind the wire: the
    harness computes the comparison from the returned weights, the program only steps."""
    X, Y, Ws = _problem(n_layers)
    try:
        with np.errstate(all="ignore"):
            run = impl.train(
                X, Y, [W.copy() for W in Ws], [None] * n_layers, ["sigmoid"] * n_layers, "half_sse", 1.0, 1
            )
        steps = [np.asarray(n, dtype=np.float64) - W for n, W in zip(run["weights"], Ws)]
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - not implemented, crashed, timed out, wrong values: no hint
        return str(exc) if _SHAPE_ERROR.search(str(exc)) else None  # ... unless its shapes do not fit
    if len(steps) != n_layers or any(s.shape != W.shape for s, W in zip(steps, Ws)):
        return None
    return X, Y, Ws, steps


def _close(a, b) -> bool:
    return all(np.allclose(x, y, **TOLERANCE) for x, y in zip(a, b))


def _ratio(steps, expected) -> float | None:
    """r when steps = r * expected (one number for every layer), else None."""
    e = np.concatenate([x.ravel() for x in expected])
    s = np.concatenate([x.ravel() for x in steps])
    if not np.all(np.isfinite(s)) or not e.any():
        return None
    r = float(s @ e / (e @ e))
    return r if np.allclose(s, r * e, **TOLERANCE) else None


_C = {"half_sse": 1.0, "sse": 2.0, "mse": None}


def own_rate(shape, n_layers: int) -> float:
    """The learning rate the program's own step takes (1 for the tutorials' programs): r when its step is
    r times gradient descent at rate 1 on the shape's loss, r > 0; else 1 (a step that is not a multiple
    of descent is judged as it is). Used by the shape itself, where the program runs."""
    c = _C.get(getattr(shape, "step_loss", ""), None)
    if c is None:
        return 1.0
    X, Y, Ws = _problem(n_layers)
    try:
        with np.errstate(all="ignore"):
            _, new = shape.stepper(X, Y, n_layers)([W.copy() for W in Ws])
        steps = [np.asarray(n, dtype=np.float64) - W for n, W in zip(new, Ws)]
        r = _ratio(steps, descent_step(X, Y, Ws, c))
    except Exception:  # noqa: BLE001 - the learner's step may raise anything: read as it is
        return 1.0
    return r if r is not None and r > 0 and not np.isclose(r, 1.0, rtol=1e-9) else 1.0


NOTE = "note: "  # a hint that is not a mistake starts with this

HINTS = {
    "sign": "the update has the wrong sign: it climbs the loss (use += with y - output, or -= with output - y)",
    "z": "the sigmoid's derivative is fed the pre-activation z (the dot product) instead of the layer's output a: "
    "with the derivative written for the output, pass a",
    "sigmoid of output": "the sigmoid's derivative is taken of the output as if it were the input, "
    "sigmoid(a) (1 - sigmoid(a)): the tutorial's derivative is written for the output, a (1 - a)",
    "output first": "the output layer's weights are updated before the hidden layer's error is computed: "
    "compute every delta first, then update",
}


#: claims about the update step that the shape's missing loss would leave unchecked, decided by the step
#: itself: claim -> (the network's number of layers, which layers' steps it is about: "all" or "output")
UPDATE_CLAIMS = {
    "000.first-update-is-gradient-descent-on-half-sse": (1, "all"),
    "000.two-hidden-update-is-gradient-descent-on-half-sse": (2, "all"),
    "001.step1-output-error": (2, "output"),
    "001.update-descends-half-sse": (2, "all"),
}


LAYER_COUNTS = (1, 2)  # the networks the stepped shapes build (000: one or two layers; 001, 004: two)


def layers_right(impl) -> dict[int, list[bool]]:
    """{number of layers: whether each layer's step is gradient descent} for every network whose step runs."""
    out = {}
    for n_layers in LAYER_COUNTS:
        found = program_step(impl, n_layers)
        if isinstance(found, str):
            out[n_layers] = [False] * n_layers  # which layer's product fails is not known: the step is wrong
        elif found is not None:
            X, Y, Ws, steps = found
            out[n_layers] = [bool(np.allclose(s, e, **TOLERANCE)) for s, e in zip(steps, descent_step(X, Y, Ws))]
    return out


def update_verdicts(impl, hints: list[str]) -> dict[str, str | None]:
    """{update claim: None when the step is right, else the reason} for the claims the program's step decides."""
    layers = layers_right(impl)
    wrong = mistakes_only(hints)
    out = {}
    for cid, (n_layers, which) in UPDATE_CLAIMS.items():
        if n_layers not in layers:
            continue
        ok = layers[n_layers][-1] if which == "output" else all(layers[n_layers])
        what = "the output layer's step" if which == "output" else "the update step"
        out[cid] = None if ok else f"judged on {what} itself: " + (wrong[0] if wrong else "it is not gradient descent")
    return out


def diagnose(impl) -> list[str]:
    """Hints naming the mistakes the program's update step makes (empty: none recognised, or it is right)."""
    hints = []
    for n_layers in LAYER_COUNTS:
        found = program_step(impl, n_layers)
        if isinstance(found, str):
            hints.append(TRANSPOSE)
            continue
        if found is None:
            continue
        X, Y, Ws, steps = found
        right = descent_step(X, Y, Ws)
        if _close(steps, right):
            continue
        r = _ratio(steps, right)
        if r is not None and r < 0:
            hints.append(HINTS["sign"] + (f" (and its rate is {-r:g})" if not np.isclose(r, -1.0) else ""))
            continue
        if r is not None:
            hints.append(
                f"the update is {r:g} times gradient descent at the rate asked for: the rate is not the one passed"
            )
            continue
        subsets = [None] + ([[n_layers], list(range(1, n_layers))] if n_layers > 1 else [])
        variants = [
            (m, descent_step(X, Y, Ws, slope=m, layers=sub)) for m in ("z", "sigmoid of output") for sub in subsets
        ]
        variants.append(("output first", descent_step(X, Y, Ws, output_first=True)))
        for name, expected in variants:
            if _ratio(steps, expected) is not None:
                hints.append(HINTS[name])
                break
        else:
            hints.append(f"the update with {n_layers} layer(s) is not gradient descent and matches no known mistake")
    return list(dict.fromkeys(hints))


def mistakes_only(hints: list[str]) -> list[str]:
    return [h for h in hints if not h.startswith(NOTE)]


TRANSPOSE = "a matrix product's shapes do not fit: most often a missing transpose (.T) in the update"
_SHAPE_ERROR = re.compile(r"not aligned|mismatch in its core dimension|could not be broadcast|matmul: Input operand")


def from_reasons(claims: dict[str, dict]) -> list[str]:
    """Hints read from the failing checks' reasons (a shape error is most often a missing transpose)."""
    for entry in claims.values():
        if _SHAPE_ERROR.search(entry.get("reason", "")):
            return [TRANSPOSE]
    return []
