"""Naming a learner's mistake from one training iteration at two learning rates (tutorials 002 and 003).

The programs of tutorials 002 and 003 take a learning rate α and biases (their shapes train through
``train``); :mod:`nnspec.mistakes` covers the rate-free programs of 000, 001 and 004. On a small fixed
problem the program's shape can express (003: one sigmoid neuron with bias on the binary cross-entropy;
002: a sigmoid layer and a softmax layer with biases on the categorical cross-entropy) the check asks
the program, through the protocol (so it works behind the wire), for one iteration at α₁ = 0.1 and at
α₂ = 0.5, and compares its steps s(α) = θ_new - θ (every weight and bias) with the trusted reference's,
e(α) = -α ∇J (``reference_nn.adapter.train``, in process):

- ``rate not used``: s(α₁) = s(α₂) ≠ 0: a rate is hard-coded in the update; it is c when s = c e(1);
- ``sign``: s(α) = -e(α): the update climbs the loss;
- ``summed``: s(α) = m e(α) for m samples: the gradient is summed, not averaged (divide by m);
- ``scale``: s(α) = k e(α) for another k, or k depending on α: the rate is not applied as passed;
- ``no step``: s(α) = 0: the updated parameters are not returned.

Where the weights' step is right and the biases' is not (or the other way round) the mistake is named
for that part alone: a bias never updated, a bias gradient summed where the weights' is averaged.

A step that matches none of these gives no hint here (a shape error in a failing check's reason is
named by :func:`nnspec.mistakes.from_reasons`). Programs whose shape has no biased training (000, 001,
004: their shapes read their own rate, :func:`nnspec.mistakes.own_rate`) raise NotImplementedError here
and get no hint from this module.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reference_nn import adapter as reference

from .mistakes import TOLERANCE

RATES = (0.1, 0.5)


@dataclass(frozen=True)
class Problem:
    """One training iteration's inputs, in the protocol's layout (samples are rows)."""

    X: np.ndarray
    Y: np.ndarray
    weights: tuple
    biases: tuple
    activations: tuple
    loss: str

    def run(self, impl, rate: float):
        """The flat step θ_new - θ of ``impl.train`` for one iteration at ``rate`` (weights, then biases)."""
        with np.errstate(all="ignore"):
            run = impl.train(
                self.X.copy(),
                self.Y.copy(),
                [W.copy() for W in self.weights],
                [b.copy() for b in self.biases],
                list(self.activations),
                self.loss,
                rate,
                1,
            )
        new = [np.asarray(v, dtype=np.float64) for v in (*run["weights"], *run["biases"])]
        old = (*self.weights, *self.biases)
        if len(new) != len(old) or any(n.shape != o.shape for n, o in zip(new, old)):
            raise ValueError("the returned weights do not have the shapes given")
        return np.concatenate([(n - o).ravel() for n, o in zip(new, old)])


def _problems() -> list[Problem]:
    rng = np.random.default_rng(20261204)
    X3 = rng.uniform(-1, 1, (5, 2))
    neuron = Problem(
        X3,
        np.array([[1.0], [0.0], [1.0], [1.0], [0.0]]),
        (rng.uniform(-1, 1, (2, 1)),),
        (rng.uniform(-0.5, 0.5, 1),),
        ("sigmoid",),
        "binary_cross_entropy",
    )
    X2 = rng.uniform(-1, 1, (6, 3))
    layers = Problem(
        X2,
        np.eye(3)[[0, 1, 2, 1, 0, 2]],
        (rng.uniform(-1, 1, (3, 4)), rng.uniform(-1, 1, (4, 3))),
        (rng.uniform(-0.5, 0.5, 4), rng.uniform(-0.5, 0.5, 3)),
        ("sigmoid", "softmax"),
        "categorical_cross_entropy",
    )
    return [neuron, layers]


def _steps(impl, problem: Problem):
    """The program's steps at both rates, or None when it cannot take them (not expressed, crashed, ...)."""
    try:
        steps = [problem.run(impl, rate) for rate in RATES]
    except KeyboardInterrupt:
        raise
    except BaseException:  # noqa: BLE001 - not implemented, crashed, timed out, wrong shapes: no hint from it
        return None
    return steps if all(np.all(np.isfinite(s)) for s in steps) else None


def _close(a, b) -> bool:
    return bool(np.allclose(a, b, **TOLERANCE))


def _ratio(s, e) -> float | None:
    """k when s = k e, else None."""
    if not e.any():
        return None
    k = float(s @ e / (e @ e))
    return k if _close(s, k * e) else None


def name(steps, expected, m: int, n_weights: int | None = None) -> str | None:
    """The mistake the steps (at RATES) make against the reference's ``expected`` ones, or None.

    With ``n_weights`` (the weights' share of each flat step) a mistake in only the weights' or only the
    biases' update is named for that part: the other part's step is right."""
    if all(_close(s, e) for s, e in zip(steps, expected)):
        return None
    if n_weights is not None and 0 < n_weights < steps[0].size:
        parts = {"weights": slice(None, n_weights), "biases": slice(n_weights, None)}
        for part, other in (("biases", "weights"), ("weights", "biases")):
            if all(_close(s[parts[other]], e[parts[other]]) for s, e in zip(steps, expected)):
                hint = _pattern([s[parts[part]] for s in steps], [e[parts[part]] for e in expected], m, part)
                return None if hint is None else f"the {other}' update is right, the {part}' is not: {hint}"
    return _pattern(steps, expected, m, "weights and biases")


def _pattern(steps, expected, m: int, what: str) -> str | None:
    """The known wrong step that ``steps`` (of ``what``) are, or None."""
    grad = {"weights": "dw", "biases": "db"}.get(what, "dw and db")
    param = {"weights": "w", "biases": "b"}.get(what, "w")
    if not any(s.any() for s in steps):
        return f"the update leaves the {what} as they were: update them too (return or assign the stepped values)"
    if steps[0].any() and _close(steps[0], steps[1]):
        c = _ratio(steps[0], expected[0] / RATES[0])  # s = c e(1): the rate the update uses instead
        using = "" if c is None else f" (it steps at {abs(c):g} whatever rate is asked{', uphill' if c < 0 else ''})"
        return (
            "the learning rate passed is not used: a rate is hard-coded in the update"
            f"{using}; use the learning_rate argument"
        )
    ks = [_ratio(s, e) for s, e in zip(steps, expected)]
    if None in ks:
        return None
    if not np.isclose(ks[0], ks[1], rtol=1e-7):
        return (
            f"the step does not scale with the learning rate passed: it is {ks[0]:g} times gradient descent at "
            f"rate {RATES[0]:g} and {ks[1]:g} times at {RATES[1]:g}; the step is learning_rate times the gradient"
        )
    k = ks[0]
    if np.isclose(k, -1.0, rtol=1e-7):
        return (
            f"the update has the wrong sign: it climbs the loss (subtract: {param} - learning_rate * {grad.split()[0]})"
        )
    if np.isclose(abs(k), m, rtol=1e-7):
        return (
            "the gradient is summed over the m samples, not averaged: the cost is their mean, so divide "
            f"{grad} by m (each step is m times too long)"
            + (" and the update has the wrong sign: it climbs" if k < 0 else "")
        )
    return f"the update is {k:g} times gradient descent at the rate passed: the rate is not the one passed"


def diagnose(impl) -> list[str]:
    """Hints naming the mistake of the program's training step, for each problem its shape can train."""
    hints = []
    for problem in _problems():
        steps = _steps(impl, problem)
        if steps is None:
            continue
        expected = [problem.run(reference, rate) for rate in RATES]
        hint = name(steps, expected, len(problem.X), sum(W.size for W in problem.weights))
        if hint:
            hints.append(hint)
    return list(dict.fromkeys(hints))
