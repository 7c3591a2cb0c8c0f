"""Legitimate variants of the reference implementation: the mirror image of the mutants.

Each variant computes some protocol functions another valid way (another formula as accurate in
float64, another summation order or memory layout, loops instead of vectorised calls, fused or
unfused output deltas, ...). It breaks no rule of the protocol, so it must pass every claim and
every rule that is not reference-only: a failure is a false alarm of the specification, not a bug
of the variant (tests/conformance/test_variants.py). Variants are built like the mutants, as
textual edits of a copy of reference_nn (:func:`tests.conformance.mutants.copy_with_edits`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.conformance.mutants import copy_with_edits


@dataclass(frozen=True)
class Variant:
    name: str
    edits: tuple[tuple[str, str, str], ...]  # (file, old, new), each matching once
    how: str


_SIGMOID_FN = """        e = np.exp(-z)
        e += 1.0
        return np.reciprocal(e)  # 1 / e, correctly rounded like the division
"""
_TRAIN_MATMUL = "    matmul = _matmul(Ws)\n    X = np.ascontiguousarray(X)  # as in _gradients\n"
_DENSE_FORWARD = "def dense_forward(x, W, b, activation):\n    return Dense(W, b, activation).forward(x)\n"
_SOFTMAX_FN = """        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
"""
_TRAIN = """    net = _network(weights, biases, activations, loss)
    losses = net.fit(X, Y, learning_rate, iterations)
    return {"weights": net.weights, "biases": net.biases, "losses": losses}
"""


def _train_matmul(body: str) -> tuple[str, str, str]:
    """Training's matrix products computed by ``body`` (a function of a, b)."""
    new = f"    def matmul(a, b):\n        return {body}\n\n    X = np.ascontiguousarray(X)\n"
    return ("network.py", _TRAIN_MATMUL, new)


VARIANTS = [
    Variant(
        "sigmoid-long-double",
        (
            (
                "activations.py",
                _SIGMOID_FN,
                "        return (1 / (1 + np.exp(-z.astype(np.longdouble)))).astype(float)\n",
            ),
        ),
        "sigmoid computed in long double and rounded once (correctly rounded where long double is wider)",
    ),
    Variant(
        "sigmoid-log-space",
        (("activations.py", _SIGMOID_FN, "        return np.exp(-np.logaddexp(0.0, -z))\n"),),
        "sigmoid as exp(-log(1 + e^-z)), through logaddexp",
    ),
    Variant(
        "sigmoid-two-branch",
        (
            (
                "activations.py",
                _SIGMOID_FN,
                "        e = np.exp(-np.abs(z))\n        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))\n",
            ),
        ),
        "the two-branch stable sigmoid: 1/(1 + e^-z) for z >= 0, e^z/(1 + e^z) below",
    ),
    Variant(
        "sigmoid-grad-from-output",
        (
            (
                "activations.py",
                "return np.minimum(e / (1.0 + e) ** 2, 0.25)",
                "return (1.0 / (1.0 + e)) * (e / (1.0 + e))",
            ),
        ),
        "sigmoid' as sigma(|z|) (1 - sigma(|z|)) = sigma(z) sigma(-z), a product of two sigmoids",
    ),
    Variant(
        "tanh-grad-sech-squared",
        (("activations.py", "return 1.0 - np.tanh(z) ** 2", "return np.cosh(np.minimum(np.abs(z), 350.0)) ** -2.0"),),
        "tanh' as sech^2 z (cosh capped where sech^2 underflows to 0 anyway)",
    ),
    Variant(
        "softmax-logsumexp",
        (
            (
                "activations.py",
                _SOFTMAX_FN,
                "        c = z.max(axis=-1, keepdims=True)\n"
                "        return np.exp(z - c - np.log(np.exp(z - c).sum(axis=-1, keepdims=True)))\n",
            ),
        ),
        "softmax as exp(z - logsumexp(z)) per row",
    ),
    Variant(
        "softmax-row-loop",
        (
            (
                "activations.py",
                _SOFTMAX_FN,
                "        rows = z.reshape(-1, z.shape[-1])\n"
                "        out = np.empty_like(rows)\n"
                "        for i, row in enumerate(rows):\n"
                "            e = [math.exp(v - max(row)) for v in row]\n"
                "            out[i] = [v / math.fsum(e) for v in e]\n"
                "        return out.reshape(z.shape)\n",
            ),
            ("activations.py", "import numpy as np\n", "import math\n\nimport numpy as np\n"),
        ),
        "softmax one row at a time in pure Python (math.exp, math.fsum)",
    ),
    Variant(
        "softmax-jacobian-diag-minus-outer",
        (
            (
                "activations.py",
                "return s[..., :, None] * (np.eye(s.shape[-1]) - s[..., None, :])",
                "return np.stack([np.diag(r) - np.outer(r, r) for r in s.reshape(-1, s.shape[-1])]).reshape("
                "*s.shape, s.shape[-1])",
            ),
        ),
        "the softmax Jacobian as diag(s) - s s^T, row by row",
    ),
    Variant(
        "bce-log-one-minus-p",
        (
            (
                "losses.py",
                "return -_total(y * np.log(p) + (1.0 - y) * np.log1p(-p)) / p.shape[-2]",
                "return -np.sum(y * np.log(p) + (1.0 - y) * np.log(1.0 - p), axis=(-2, -1)) / p.shape[-2]",
            ),
        ),
        "the binary cross-entropy with log(1 - p) instead of log1p(-p)",
    ),
    Variant(
        "dense-forward-fsum",
        (
            (
                "adapter.py",
                _DENSE_FORWARD,
                "def dense_forward(x, W, b, activation):\n"
                "    import math\n\n"
                "    x, W = np.asarray(x, dtype=float), np.asarray(W, dtype=float)\n"
                "    z = [[math.fsum([*(x[r, i] * W[i, j] for i in range(W.shape[0])), 0.0 if b is None else b[j]])"
                " for j in range(W.shape[1])] for r in range(x.shape[0])]\n"
                "    return get_activation(activation).fn(np.array(z, dtype=np.float64))\n",
            ),
        ),
        "dense_forward in pure Python: each weighted sum an exactly rounded math.fsum",
    ),
    Variant(
        "column-major-training",
        (_train_matmul("np.asfortranarray(np.dot(np.asfortranarray(b).T, np.asfortranarray(a).T).T)"),),
        "training's products computed as (b^T a^T)^T on Fortran-ordered arrays",
    ),
    Variant(
        "per-sample-training",
        (_train_matmul("np.array([[float(np.dot(row, col)) for col in b.T] for row in a]).reshape(a.shape[0], -1)"),),
        "training's products one dot product at a time (per sample, per unit)",
    ),
    Variant(
        "einsum-training",
        (_train_matmul("np.einsum('ij,jk->ik', a, b)"),),
        "training's products by np.einsum, summed in index order without a BLAS",
    ),
    Variant(
        "unfused-output-deltas",
        (
            ("losses.py", "        if isinstance(activation, Sigmoid):\n", "        if False:\n"),
            ("losses.py", "        if isinstance(activation, Softmax):\n", "        if False:\n"),
        ),
        "the output delta of a cross-entropy by the chain rule (clipped gradient times the Jacobian), not fused",
    ),
    Variant(
        "functional-updates",
        (
            (
                "adapter.py",
                _TRAIN,
                "    net = _network([np.array(W) for W in weights], biases, activations, loss)\n"
                "    losses = []\n"
                "    for _ in range(iterations):\n"
                "        losses.append(net.loss_value(X, Y))\n"
                "        for layer, (dW, db) in zip(net.layers, net.gradients(X, Y)):\n"
                "            layer.W = layer.W - learning_rate * dW\n"
                "            if db is not None:\n"
                "                layer.b = layer.b - learning_rate * db\n"
                '    return {"weights": net.weights, "biases": net.biases, "losses": np.array(losses, dtype=float)}\n',
            ),
        ),
        "training as new arrays each step (no in-place update), the loss from a separate forward pass",
    ),
]


def build(variant: Variant, folder: Path) -> Path:
    """Copy reference_nn to ``folder/mutant_nn`` with the variant's edits applied."""
    return copy_with_edits(folder, f"variant:{variant.name}", variant.edits)
