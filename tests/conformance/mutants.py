"""Deliberate bugs in the reference implementation, for the mutation check (test_mutants.py).

Each mutant is one small textual edit of one file of ``reference_nn``. :func:`build` copies the
package to a folder as ``mutant_nn`` (its imports are relative, so the copy is self-contained),
applies the edit there, and the suite then runs with ``--impl mutant_nn.adapter``: validation
mode, the checkout itself untouched. An edit must match exactly once, so a mutant that no longer
applies after the reference changes is an error, not a silently healthy mutant.

Each mutant declares the rules it breaks (``rules``, its target first): the mutation check asserts
that the conformance report of its run fails every one of them, with a reason that names the rule.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import reference_nn

PACKAGE = "mutant_nn"
SOURCE = Path(reference_nn.__file__).resolve().parent


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    old: str
    new: str
    bug: str
    rules: tuple[str, ...]  # the protocol rules (tests/spec/rules.yaml) it breaks, the one it is aimed at first


MUTANTS = [
    # activations
    Mutant("sigmoid-exponent-sign", "activations.py", "e = np.exp(-z)\n", "e = np.exp(z)\n", "sigmoid of -z", ("R09",)),
    Mutant(
        "sigmoid-slope-of-z",
        "activations.py",
        "return grad_out * (a * (1.0 - a))",
        "return grad_out * (z * (1.0 - z))",
        "training takes the sigmoid's slope as z (1 - z), the derivative of the wrong variable",
        ("R36",),
    ),
    Mutant(
        "sigmoid-grad-from-z",
        "activations.py",
        "        return s * (1.0 - s)\n",
        "        return Sigmoid()._grad(s)\n",
        "the derivative from the output evaluates sigma'(s) instead of s (1 - s)",
        ("R11",),
    ),
    Mutant(
        "tanh-grad-missing-square",
        "activations.py",
        "return 1.0 - np.tanh(z) ** 2",
        "return 1.0 - np.tanh(z)",
        "tanh' = 1 - tanh z",
        ("R12",),
    ),
    Mutant(
        "relu-grad-is-relu",
        "activations.py",
        "return np.where(z > 0, self.a, 0.0)",
        "return np.where(z > 0, self.a * z, 0.0)",
        "the ReLU derivative returns a relu(z), as tutorial 002 does",
        ("R16",),
    ),
    Mutant(
        "leaky-relu-slopes-swapped",
        "activations.py",
        "return np.where(z > 0, self.a * z, self.b * z)",
        "return np.where(z > 0, self.b * z, self.a * z)",
        "leaky ReLU uses b for positive and a for negative inputs",
        ("R17",),
    ),
    Mutant(
        "binary-step-ignores-threshold",
        "activations.py",
        "(z > self.threshold)",
        "(z > 0)",
        "the binary step ignores its threshold",
        ("R13",),
    ),
    Mutant(
        "softmax-wrong-axis",
        "activations.py",
        "return e / e.sum(axis=-1, keepdims=True)",
        "return e / e.sum(axis=0, keepdims=True)",
        "softmax normalises over samples instead of classes",
        ("R20",),
    ),
    Mutant(
        "softmax-jacobian-no-delta",
        "activations.py",
        "(np.eye(s.shape[-1]) - s[..., None, :])",
        "(1.0 - s[..., None, :])",
        "the softmax Jacobian drops the Kronecker delta",
        ("R21",),
    ),
    Mutant(
        "softmax-backward-diagonal",
        "activations.py",
        "return a * (grad_out - np.sum(grad_out * a, axis=-1, keepdims=True))",
        "return a * (1.0 - a) * grad_out",
        "backpropagation through softmax keeps only the Jacobian's diagonal",
        ("R33",),
    ),
    # losses
    Mutant(
        "sse-grad-sign",
        "losses.py",
        "return 2.0 * (p - y)\n",
        "return 2.0 * (y - p)\n",
        "dSSE/dp = 2 (y - p)",
        ("R22",),
    ),
    Mutant(
        "half-sse-value-not-halved",
        "losses.py",
        "return 0.5 * _total((p - y) ** 2)",
        "return _total((p - y) ** 2)",
        "the half SSE value without its 1/2",
        ("R23",),
    ),
    Mutant(
        "mse-grad-missing-2",
        "losses.py",
        "return 2.0 * (p - y) / (p.shape[-2] * p.shape[-1])",
        "return (p - y) / (p.shape[-2] * p.shape[-1])",
        "dMSE/dp without the factor 2",
        ("R24",),
    ),
    Mutant(
        "bce-grad-missing-1-over-m",
        "losses.py",
        "return (p - y) / (p * (1.0 - p)) / p.shape[-2]",
        "return (p - y) / (p * (1.0 - p))",
        "the cross-entropy gradient without 1/m",
        ("R25",),
    ),
    Mutant(
        "bce-value-log1p-sign",
        "losses.py",
        "(1.0 - y) * np.log1p(-p)",
        "(1.0 - y) * np.log1p(p)",
        "ln(1 + p) for ln(1 - p)",
        ("R25",),
    ),
    Mutant(
        "sigmoid-bce-delta-missing-1-over-m",
        "losses.py",
        "return (a - y) / a.shape[-2]\n",
        "return a - y\n",
        "training's fused sigmoid + cross-entropy delta without 1/m",
        ("R36",),
    ),
    Mutant(
        "cce-grad-sign",
        "losses.py",
        "return -y / np.clip(p, EPS, 1.0 - EPS) / p.shape[-2]",
        "return y / np.clip(p, EPS, 1.0 - EPS) / p.shape[-2]",
        "dCCE/dp = +y/(m p)",
        ("R26",),
    ),
    Mutant(
        "softmax-cce-delta-sign",
        "losses.py",
        "return (a * y.sum(axis=-1, keepdims=True) - y) / a.shape[-2]",
        "return (y - a * y.sum(axis=-1, keepdims=True)) / a.shape[-2]",
        "training's fused softmax + cross-entropy delta with the wrong sign",
        ("R36",),
    ),
    # the dense layer
    Mutant(
        "dense-backward-untransposed-weights",
        "layers.py",
        "dx = dz @ np.swapaxes(W, -1, -2)",
        "dx = dz @ W",
        "dL/dx multiplies by W instead of W^T",
        ("R31",),
    ),
    Mutant(
        "dense-backward-bias-averaged",
        "layers.py",
        "db = dz.sum(axis=-2) if has_bias else None",
        "db = dz.mean(axis=-2) if has_bias else None",
        "db averages over samples: a 1/m where none belongs",
        ("R32",),
    ),
    # training
    Mutant(
        "one-iteration-too-few",
        "network.py",
        "    for _ in range(iterations):\n        inputs, zs = [], []",
        "    for _ in range(iterations - 1):\n        inputs, zs = [], []",
        "training stops one iteration early",
        ("R40",),
    ),
    Mutant(
        "gradient-ascent",
        "network.py",
        "            if rate is None:\n                W -= dW\n            else:\n                W -= rate * dW",
        "            if rate is None:\n                W += dW\n            else:\n                W += rate * dW",
        "the weights climb the gradient",
        ("R36",),
    ),
    Mutant(
        "learning-rate-ignored",
        "network.py",
        "rate = None if learning_rate == 1.0 else learning_rate",
        "rate = None",
        "training always uses a learning rate of 1",
        ("R38",),
    ),
    Mutant(
        "bias-never-updated",
        "network.py",
        "b -= db if rate is None else rate * db",
        "b -= 0.0 * db",
        "biases keep their initial values",
        ("R37",),
    ),
    Mutant(
        "hidden-slope-of-z",
        "network.py",
        "dz = below._backward_out(zs[i - 1], inputs[i], dx)",
        "dz = below._backward_out(zs[i - 1], zs[i - 1], dx)",
        "hidden layers take the activation's slope at z instead of at their output",
        ("R36",),
    ),
    Mutant(
        "hidden-error-after-update",
        "network.py",
        "            if below is not None:\n"
        "                dx = matmul(dz, WT)  # with the weights before this update\n"
        "            if rate is None:\n                W -= dW\n            else:\n                W -= rate * dW\n",
        "            if rate is None:\n                W -= dW\n            else:\n                W -= rate * dW\n"
        "            if below is not None:\n                dx = matmul(dz, WT)\n",
        "the error sent back to the layer below uses the already updated weights",
        ("R36",),
    ),
    # the adapter
    Mutant(
        "adapter-drops-biases",
        "adapter.py",
        "return Network.from_weights(weights, activations, biases, loss)",
        "return Network.from_weights(weights, activations, None, loss)",
        "predict and train ignore the biases",
        ("R35", "R37"),
    ),
    Mutant(
        "adapter-grad-of-wrong-activation",
        "adapter.py",
        "return get_activation(name, **params).grad(z)",
        'return get_activation("sigmoid" if name == "tanh" else name, **params).grad(z)',
        "tanh's derivative is the sigmoid's",
        ("R12",),
    ),
]


# ---- one or more per protocol rule (tests/spec/rules.yaml) ----------------------------------------------
RULE_MUTANTS = [
    Mutant(
        "version-not-a-string",
        "adapter.py",
        "VERSION = __version__",
        "VERSION = (0, 1, 0)",
        "VERSION is a tuple",
        ("R01",),
    ),
    Mutant(
        "grad-long-double",
        "adapter.py",
        "return get_activation(name, **params).grad(z)",
        "return get_activation(name, **params).grad(z).astype(np.longdouble)",
        "activation_grad returns long doubles (the same values, another dtype)",
        ("R02",),
    ),
    Mutant(
        "predict-returns-a-list",
        "adapter.py",
        "return _network(weights, biases, activations).predict(X)",
        "return _network(weights, biases, activations).predict(X).tolist()",
        "predict returns nested lists",
        ("R02",),
    ),
    Mutant(
        "loss-returns-an-array",
        "adapter.py",
        "return get_loss(name).fn(y_pred, y_true)",
        "return np.atleast_1d(get_loss(name).fn(y_pred, y_true))",
        "loss returns a one-element array instead of a float",
        ("R03",),
    ),
    Mutant(
        "linear-scales-z-in-place",
        "activations.py",
        "        return self.a * z\n",
        "        z *= self.a\n        return z\n",
        "linear multiplies the caller's z in place",
        ("R04",),
    ),
    Mutant(
        "layer-keeps-the-callers-weights",
        "layers.py",
        'self.W = as_matrix(weights, "weights").copy()',
        'self.W = as_matrix(weights, "weights")',
        "train updates the caller's weight arrays in place",
        ("R04",),
    ),
    Mutant(
        "bce-grad-clips-in-place",
        "losses.py",
        "        p = np.clip(p, EPS, 1.0 - EPS)\n        return (p - y)",
        "        p = np.clip(p, EPS, 1.0 - EPS, out=p)\n        return (p - y)",
        "the cross-entropy gradient clips the caller's predictions in place",
        ("R04",),
    ),
    Mutant(
        "sigmoid-grad-from-output-flattened",
        "activations.py",
        "        return s * (1.0 - s)\n",
        "        return (s * (1.0 - s)).ravel()\n",
        "sigmoid_grad_from_output flattens its result",
        ("R05",),
    ),
    Mutant(
        "sigmoid-overflows-below-minus-709",
        "activations.py",
        "_EXP_SAFE = -709.0",
        "_EXP_SAFE = -1e308",
        "sigmoid computes e^-z even where it overflows (z < -709)",
        ("R06",),
    ),
    Mutant(
        "softmax-without-max-shift",
        "activations.py",
        "e = np.exp(z - z.max(axis=-1, keepdims=True))",
        "e = np.exp(z)",
        "softmax exponentiates z unshifted and overflows at z = 1000",
        ("R06",),
    ),
    Mutant(
        "softmax-shift-by-global-max",
        "activations.py",
        "e = np.exp(z - z.max(axis=-1, keepdims=True))",
        "e = np.exp(z - z.max())",
        "softmax subtracts the batch's maximum, so a row far below it underflows to 0/0",
        ("R06",),
    ),
    Mutant(
        "sigmoid-grad-overflows",
        "activations.py",
        "def _exp_neg_abs(z):\n    return np.exp(-np.abs(z))",
        "def _exp_neg_abs(z):\n    return np.exp(-z)",
        "sigmoid' evaluates e^-z without |z| and overflows at z = -1000",
        ("R06",),
    ),
    Mutant(
        "identity-grad-zero",
        "activations.py",
        "return np.ones_like(z)",
        "return np.zeros_like(z)",
        "identity' = 0",
        ("R07",),
    ),
    Mutant(
        "linear-default-a-half",
        "activations.py",
        '    name = "linear"\n\n    def __init__(self, a: float = 1.0):',
        '    name = "linear"\n\n    def __init__(self, a: float = 0.5):',
        "linear's a defaults to 1/2",
        ("R08",),
    ),
    Mutant(
        "linear-grad-ignores-a",
        "activations.py",
        "return np.full_like(z, self.a)",
        "return np.ones_like(z)",
        "linear' = 1 whatever a",
        ("R08",),
    ),
    Mutant(
        "sigmoid-in-float32",
        "activations.py",
        "return np.reciprocal(e)",
        "return np.reciprocal(e.astype(np.float32)).astype(np.float64)",
        "sigmoid rounded to float32 (returned as float64)",
        ("R09",),
    ),
    Mutant(
        "sigmoid-grad-unsquared",
        "activations.py",
        "return np.minimum(e / (1.0 + e) ** 2, 0.25)",
        "return np.minimum(e / (1.0 + e), 0.25)",
        "sigmoid' = e^-|z| / (1 + e^-|z|), the square forgotten",
        ("R10",),
    ),
    Mutant(
        "tanh-from-exp",
        "activations.py",
        "        return np.tanh(z)\n\n    def _grad",
        "        return 2.0 / (1.0 + np.exp(-2.0 * z)) - 1.0\n\n    def _grad",
        "tanh as 2 sigma(2z) - 1: cancellation near 0, overflow at z = -1000",
        ("R12", "R06"),
    ),
    Mutant(
        "binary-step-at-threshold-is-one",
        "activations.py",
        "(z > self.threshold)",
        "(z >= self.threshold)",
        "the binary step is 1 at the threshold",
        ("R13",),
    ),
    Mutant(
        "binary-step-default-threshold-half",
        "activations.py",
        "def __init__(self, threshold: float = 0.0):",
        "def __init__(self, threshold: float = 0.5):",
        "binary_step's threshold defaults to 1/2",
        ("R13",),
    ),
    Mutant(
        "binary-step-grad-is-the-step",
        "activations.py",
        "        return np.zeros_like(z)\n\n\nclass ReLU",
        "        return (z > self.threshold).astype(np.float64)\n\n\nclass ReLU",
        "binary_step' returns the step itself",
        ("R14",),
    ),
    Mutant(
        "relu-ignores-a",
        "activations.py",
        "return np.where(z > 0, self.a * z, 0.0)",
        "return np.where(z > 0, z, 0.0)",
        "relu ignores its parameter a",
        ("R15",),
    ),
    Mutant(
        "relu-default-a-half",
        "activations.py",
        '    name = "relu"\n\n    def __init__(self, a: float = 1.0):',
        '    name = "relu"\n\n    def __init__(self, a: float = 0.5):',
        "relu's a defaults to 1/2",
        ("R15", "R16"),
    ),
    Mutant(
        "relu-grad-ignores-a",
        "activations.py",
        "return np.where(z > 0, self.a, 0.0)",
        "return np.where(z > 0, 1.0, 0.0)",
        "relu' = 1 above zero whatever a",
        ("R16",),
    ),
    Mutant(
        "leaky-relu-as-maximum",
        "activations.py",
        "return np.where(z > 0, self.a * z, self.b * z)",
        "return np.maximum(self.a * z, self.b * z)",
        "leaky_relu as max(a z, b z): right only while a >= b >= 0",
        ("R17",),
    ),
    Mutant(
        "leaky-relu-grad-ignores-a",
        "activations.py",
        "return np.where(z > 0, self.a, self.b)",
        "return np.where(z > 0, 1.0, self.b)",
        "leaky_relu' = 1 above zero whatever a",
        ("R18",),
    ),
    Mutant(
        "relu-grad-right-value-at-kink",
        "activations.py",
        "return np.where(z > 0, self.a, 0.0)",
        "return np.where(z >= 0, self.a, 0.0)",
        "relu'(0) = a, the right value",
        ("R19",),
    ),
    Mutant(
        "leaky-relu-grad-right-value-at-kink",
        "activations.py",
        "return np.where(z > 0, self.a, self.b)",
        "return np.where(z >= 0, self.a, self.b)",
        "leaky_relu'(0) = a, the right value",
        ("R19",),
    ),
    Mutant(
        "softmax-over-the-whole-batch",
        "activations.py",
        "return e / e.sum(axis=-1, keepdims=True)",
        "return e / e.sum()",
        "softmax normalises over all entries of the batch",
        ("R20",),
    ),
    Mutant(
        "softmax-jacobian-diagonal-products",
        "activations.py",
        "return s[..., :, None] * (np.eye(s.shape[-1]) - s[..., None, :])",
        "return s[..., :, None] * (np.eye(s.shape[-1]) - s[..., :, None])",
        "the softmax Jacobian's s_i s_j written s_i s_i",
        ("R21",),
    ),
    Mutant(
        "sse-divided-by-m",
        "losses.py",
        "        return _total((p - y) ** 2)\n",
        "        return _total((p - y) ** 2) / p.shape[-2]\n",
        "the SSE value divided by m",
        ("R22",),
    ),
    Mutant(
        "half-sse-grad-divided-by-m",
        "losses.py",
        "        return p - y\n",
        "        return (p - y) / p.shape[-2]\n",
        "the half SSE gradient divided by m",
        ("R23",),
    ),
    Mutant(
        "mse-divided-by-m-only",
        "losses.py",
        "return np.mean((p - y) ** 2, axis=(-2, -1))",
        "return _total((p - y) ** 2) / p.shape[-2]",
        "the MSE value divided by m, not m k (wrong only for k > 1)",
        ("R24",),
    ),
    Mutant(
        "bce-value-mean-over-outputs",
        "losses.py",
        "return -_total(y * np.log(p) + (1.0 - y) * np.log1p(-p)) / p.shape[-2]",
        "return -_total(y * np.log(p) + (1.0 - y) * np.log1p(-p)) / p.size",
        "the binary cross-entropy averaged over all m k entries (wrong only for k > 1)",
        ("R25",),
    ),
    Mutant(
        "bce-grad-mean-over-outputs",
        "losses.py",
        "return (p - y) / (p * (1.0 - p)) / p.shape[-2]",
        "return (p - y) / (p * (1.0 - p)) / (p.shape[-2] * p.shape[-1])",
        "the binary cross-entropy gradient divided by m k (wrong only for k > 1)",
        ("R25",),
    ),
    Mutant(
        "cce-value-mean-over-outputs",
        "losses.py",
        "return -_total(y * np.log(np.clip(p, EPS, 1.0 - EPS))) / p.shape[-2]",
        "return -_total(y * np.log(np.clip(p, EPS, 1.0 - EPS))) / (p.shape[-2] * p.shape[-1])",
        "the categorical cross-entropy averaged over all m k entries",
        ("R26",),
    ),
    Mutant(
        "clip-at-1e-12",
        "losses.py",
        "EPS = 1e-15",
        "EPS = 1e-12",
        "the cross-entropies clip p to [1e-12, 1 - 1e-12]",
        ("R27", "R28"),
    ),
    Mutant(
        "bce-value-unclipped",
        "losses.py",
        "        p = np.clip(p, EPS, 1.0 - EPS)\n        return -_total(",
        "        return -_total(",
        "the binary cross-entropy takes ln 0 at p = 0 or 1",
        ("R27",),
    ),
    Mutant(
        "cce-value-unclipped",
        "losses.py",
        "return -_total(y * np.log(np.clip(p, EPS, 1.0 - EPS))) / p.shape[-2]",
        "return -_total(y * np.log(p)) / p.shape[-2]",
        "the categorical cross-entropy takes ln 0 at p = 0",
        ("R27",),
    ),
    Mutant(
        "bce-grad-zero-where-clipped",
        "losses.py",
        "        p = np.clip(p, EPS, 1.0 - EPS)\n        return (p - y) / (p * (1.0 - p)) / p.shape[-2]",
        "        q = np.clip(p, EPS, 1.0 - EPS)\n"
        "        return np.where(q == p, (q - y) / (q * (1.0 - q)), 0.0) / p.shape[-2]",
        "the cross-entropy gradient is 0 where p was clipped (a clamp's derivative)",
        ("R28",),
    ),
    Mutant(
        "cce-grad-unclipped",
        "losses.py",
        "return -y / np.clip(p, EPS, 1.0 - EPS) / p.shape[-2]",
        "return -y / p / p.shape[-2]",
        "the categorical cross-entropy gradient divides by the unclipped p (by 0 at p = 0)",
        ("R28",),
    ),
    Mutant(
        "dense-forward-drops-bias",
        "adapter.py",
        "return Dense(W, b, activation).forward(x)",
        "return Dense(W, None, activation).forward(x)",
        "dense_forward ignores the bias",
        ("R29",),
    ),
    Mutant(
        "dense-forward-subtracts-bias",
        "layers.py",
        "z = z + b[..., None, :]",
        "z = z - b[..., None, :]",
        "x W - b",
        ("R29", "R35"),
    ),
    Mutant(
        "dense-forward-missing-bias-is-one",
        "adapter.py",
        "return Dense(W, b, activation).forward(x)",
        "return Dense(W, np.ones(np.shape(W)[1]) if b is None else b, activation).forward(x)",
        "a layer without bias gets a bias of ones",
        ("R30",),
    ),
    Mutant(
        "dense-backward-grad-of-output",
        "layers.py",
        "        dz = activation._backward(z, grad_a)\n",
        "        dz = activation._backward(activation._fn(z), grad_a)\n",
        "dense_backward takes the activation's slope at its output a instead of at z",
        ("R31",),
    ),
    Mutant(
        "dense-backward-weights-averaged",
        "layers.py",
        "dW = np.swapaxes(x, -1, -2) @ dz",
        "dW = np.swapaxes(x, -1, -2) @ dz / x.shape[-2]",
        "dW divided by m: a 1/m where none belongs",
        ("R32",),
    ),
    Mutant(
        "softmax-backward-sum-over-samples",
        "activations.py",
        "return a * (grad_out - np.sum(grad_out * a, axis=-1, keepdims=True))",
        "return a * (grad_out - np.sum(grad_out * a, axis=0, keepdims=True))",
        "backpropagation through softmax sums over samples instead of over each row",
        ("R33",),
    ),
    Mutant(
        "dense-backward-zero-db-without-bias",
        "adapter.py",
        "    layer.forward(x)\n    return layer.backward(grad_a)",
        "    layer.forward(x)\n    dx, dW, db = layer.backward(grad_a)\n"
        "    return dx, dW, np.zeros(np.shape(W)[1]) if db is None else db",
        "dense_backward returns zeros for dL/db of a layer without bias",
        ("R34",),
    ),
    Mutant(
        "predict-forgets-the-output-activation",
        "adapter.py",
        "return _network(weights, biases, activations).predict(X)",
        'return _network(weights, biases, [*activations[:-1], "identity"]).predict(X)',
        "predict returns the last layer's pre-activation",
        ("R35",),
    ),
    Mutant(
        "train-always-on-half-sse",
        "adapter.py",
        "net = _network(weights, biases, activations, loss)",
        "net = _network(weights, biases, activations)",
        "training descends 1/2 SSE whatever loss is named",
        ("R36",),
    ),
    Mutant(
        "bias-update-averaged",
        "network.py",
        "                db = dz.sum(axis=-2)\n",
        "                db = dz.mean(axis=-2)\n",
        "training's bias gradient averaged over samples",
        ("R37",),
    ),
    Mutant(
        "learning-rate-squared",
        "network.py",
        "                W -= rate * dW",
        "                W -= rate * rate * dW",
        "the weights move by learning_rate^2 times the gradient",
        ("R38",),
    ),
    Mutant(
        "losses-after-each-update",
        "adapter.py",
        "    losses = net.fit(X, Y, learning_rate, iterations)\n",
        "    losses = net.fit(X, Y, learning_rate, iterations)\n"
        "    losses = np.append(losses[1:], net.loss_value(X, Y))[: len(losses)]\n",
        "losses[i] is the loss after update i",
        ("R39",),
    ),
    Mutant(
        "one-iteration-too-many",
        "adapter.py",
        "    losses = net.fit(X, Y, learning_rate, iterations)\n",
        "    losses = net.fit(X, Y, learning_rate, iterations + 1)\n",
        "training runs one update more than asked",
        ("R40",),
    ),
    Mutant(
        "biases-returned-as-rows",
        "adapter.py",
        '"biases": net.biases,',
        '"biases": [None if b is None else b[None, :] for b in net.biases],',
        "train returns each bias as a (1, n_out) row",
        ("R41",),
    ),
]

MUTANTS += RULE_MUTANTS

#: Issue 18: bugs that survived the rule tests as they were (each run alone, both directions, before and after)
MUTANTS += [
    Mutant(
        "relu-backward-kink-right-value",
        "activations.py",
        "    def _grad(self, z):\n        return np.where(z > 0, self.a, 0.0)\n",
        "    def _grad(self, z):\n        return np.where(z > 0, self.a, 0.0)\n\n"
        "    def _backward(self, z, grad_out):\n        return grad_out * np.where(z >= 0, self.a, 0.0)\n",
        "the layer's backward pass takes relu'(0) = a (activation_grad still gives 0): R19 broken in dense_backward",
        ("R19",),
    ),
    Mutant(
        "cce-clips-only-below",
        "losses.py",
        "return -_total(y * np.log(np.clip(p, EPS, 1.0 - EPS))) / p.shape[-2]",
        "return -_total(y * np.log(np.clip(p, EPS, 1.0))) / p.shape[-2]",
        "the categorical cross-entropy clips p to [1e-15, 1] instead of [1e-15, 1 - 1e-15]",
        ("R27",),
    ),
]


def copy_with_edits(folder: Path, name: str, edits) -> Path:
    """Copy reference_nn to ``folder/mutant_nn`` named ``name``, with each (file, old, new) edit applied once."""
    target = folder / PACKAGE
    shutil.copytree(SOURCE, target, ignore=shutil.ignore_patterns("__pycache__"))
    adapter = target / "adapter.py"
    text = adapter.read_text(encoding="utf-8")
    assert text.count('NAME = "reference_nn"') == 1
    adapter.write_text(text.replace('NAME = "reference_nn"', f'NAME = "{name}"'), encoding="utf-8")
    for file, old, new in edits:
        path = target / file
        text = path.read_text(encoding="utf-8")
        count = text.count(old)
        if count != 1:
            raise ValueError(f"{name}: its edit matches {count} times in {file}, not once:\n{old}")
        path.write_text(text.replace(old, new), encoding="utf-8")
    return target


def build(mutant: Mutant | None, folder: Path) -> Path:
    """Copy reference_nn to ``folder/mutant_nn`` with the mutant's edit applied (None: unmutated)."""
    if mutant is None:
        return copy_with_edits(folder, "mutant:unmutated", [])
    return copy_with_edits(folder, f"mutant:{mutant.name}", [(mutant.file, mutant.old, mutant.new)])
