"""Deliberate bugs in the reference implementation, for the mutation check (test_mutants.py).

Each mutant is one small textual edit of one file of ``reference_nn``. :func:`build` copies the
package to a folder as ``mutant_nn`` (its imports are relative, so the copy is self-contained),
applies the edit there, and the suite then runs with ``--impl mutant_nn.adapter``: validation
mode, the checkout itself untouched. An edit must match exactly once, so a mutant that no longer
applies after the reference changes is an error, not a silently healthy mutant.
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


MUTANTS = [
    # activations
    Mutant("sigmoid-exponent-sign", "activations.py", "e = np.exp(-z)\n", "e = np.exp(z)\n", "sigmoid of -z"),
    Mutant(
        "sigmoid-slope-of-z",
        "activations.py",
        "return grad_out * (a * (1.0 - a))",
        "return grad_out * (z * (1.0 - z))",
        "training takes the sigmoid's slope as z (1 - z), the derivative of the wrong variable",
    ),
    Mutant(
        "sigmoid-grad-from-z",
        "activations.py",
        "        return s * (1.0 - s)\n",
        "        return Sigmoid()._grad(s)\n",
        "the derivative from the output evaluates sigma'(s) instead of s (1 - s)",
    ),
    Mutant(
        "tanh-grad-missing-square",
        "activations.py",
        "return 1.0 - np.tanh(z) ** 2",
        "return 1.0 - np.tanh(z)",
        "tanh' = 1 - tanh z",
    ),
    Mutant(
        "relu-grad-is-relu",
        "activations.py",
        "return np.where(z > 0, self.a, 0.0)",
        "return np.where(z > 0, self.a * z, 0.0)",
        "the ReLU derivative returns a relu(z), as tutorial 002 does",
    ),
    Mutant(
        "leaky-relu-slopes-swapped",
        "activations.py",
        "return np.where(z > 0, self.a * z, self.b * z)",
        "return np.where(z > 0, self.b * z, self.a * z)",
        "leaky ReLU uses b for positive and a for negative inputs",
    ),
    Mutant(
        "binary-step-ignores-threshold",
        "activations.py",
        "(z > self.threshold)",
        "(z > 0)",
        "the binary step ignores its threshold",
    ),
    Mutant(
        "softmax-wrong-axis",
        "activations.py",
        "return e / e.sum(axis=-1, keepdims=True)",
        "return e / e.sum(axis=0, keepdims=True)",
        "softmax normalises over samples instead of classes",
    ),
    Mutant(
        "softmax-jacobian-no-delta",
        "activations.py",
        "(np.eye(s.shape[-1]) - s[..., None, :])",
        "(1.0 - s[..., None, :])",
        "the softmax Jacobian drops the Kronecker delta",
    ),
    Mutant(
        "softmax-backward-diagonal",
        "activations.py",
        "return a * (grad_out - np.sum(grad_out * a, axis=-1, keepdims=True))",
        "return a * (1.0 - a) * grad_out",
        "backpropagation through softmax keeps only the Jacobian's diagonal",
    ),
    # losses
    Mutant("sse-grad-sign", "losses.py", "return 2.0 * (p - y)\n", "return 2.0 * (y - p)\n", "dSSE/dp = 2 (y - p)"),
    Mutant(
        "half-sse-value-not-halved",
        "losses.py",
        "return 0.5 * _total((p - y) ** 2)",
        "return _total((p - y) ** 2)",
        "the half SSE value without its 1/2",
    ),
    Mutant(
        "mse-grad-missing-2",
        "losses.py",
        "return 2.0 * (p - y) / (p.shape[-2] * p.shape[-1])",
        "return (p - y) / (p.shape[-2] * p.shape[-1])",
        "dMSE/dp without the factor 2",
    ),
    Mutant(
        "bce-grad-missing-1-over-m",
        "losses.py",
        "return (p - y) / (p * (1.0 - p)) / p.shape[-2]",
        "return (p - y) / (p * (1.0 - p))",
        "the cross-entropy gradient without 1/m",
    ),
    Mutant(
        "bce-value-log1p-sign",
        "losses.py",
        "(1.0 - y) * np.log1p(-p)",
        "(1.0 - y) * np.log1p(p)",
        "ln(1 + p) for ln(1 - p)",
    ),
    Mutant(
        "sigmoid-bce-delta-missing-1-over-m",
        "losses.py",
        "return (a - y) / a.shape[-2]\n",
        "return a - y\n",
        "training's fused sigmoid + cross-entropy delta without 1/m",
    ),
    Mutant(
        "cce-grad-sign",
        "losses.py",
        "return -y / np.clip(p, EPS, 1.0) / p.shape[-2]",
        "return y / np.clip(p, EPS, 1.0) / p.shape[-2]",
        "dCCE/dp = +y/(m p)",
    ),
    Mutant(
        "softmax-cce-delta-sign",
        "losses.py",
        "return (a * y.sum(axis=-1, keepdims=True) - y) / a.shape[-2]",
        "return (y - a * y.sum(axis=-1, keepdims=True)) / a.shape[-2]",
        "training's fused softmax + cross-entropy delta with the wrong sign",
    ),
    # the dense layer
    Mutant(
        "dense-backward-untransposed-weights",
        "layers.py",
        "dx = dz @ np.swapaxes(W, -1, -2)",
        "dx = dz @ W",
        "dL/dx multiplies by W instead of W^T",
    ),
    Mutant(
        "dense-backward-bias-averaged",
        "layers.py",
        "db = dz.sum(axis=-2) if has_bias else None",
        "db = dz.mean(axis=-2) if has_bias else None",
        "db averages over samples: a 1/m where none belongs",
    ),
    # training
    Mutant(
        "one-iteration-too-few",
        "network.py",
        "    for _ in range(iterations):\n        inputs, zs = [], []",
        "    for _ in range(iterations - 1):\n        inputs, zs = [], []",
        "training stops one iteration early",
    ),
    Mutant(
        "gradient-ascent",
        "network.py",
        "            if rate is None:\n                W -= dW\n            else:\n                W -= rate * dW",
        "            if rate is None:\n                W += dW\n            else:\n                W += rate * dW",
        "the weights climb the gradient",
    ),
    Mutant(
        "learning-rate-ignored",
        "network.py",
        "rate = None if learning_rate == 1.0 else learning_rate",
        "rate = None",
        "training always uses a learning rate of 1",
    ),
    Mutant(
        "bias-never-updated",
        "network.py",
        "b -= db if rate is None else rate * db",
        "b -= 0.0 * db",
        "biases keep their initial values",
    ),
    Mutant(
        "hidden-slope-of-z",
        "network.py",
        "dz = below._backward_out(zs[i - 1], inputs[i], dx)",
        "dz = below._backward_out(zs[i - 1], zs[i - 1], dx)",
        "hidden layers take the activation's slope at z instead of at their output",
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
    ),
    # the adapter
    Mutant(
        "adapter-drops-biases",
        "adapter.py",
        "return Network.from_weights(weights, activations, biases, loss)",
        "return Network.from_weights(weights, activations, None, loss)",
        "predict and train ignore the biases",
    ),
    Mutant(
        "adapter-grad-of-wrong-activation",
        "adapter.py",
        "return get_activation(name, **params).grad(z)",
        'return get_activation("sigmoid" if name == "tanh" else name, **params).grad(z)',
        "tanh's derivative is the sigmoid's",
    ),
]


def build(mutant: Mutant | None, folder: Path) -> Path:
    """Copy reference_nn to ``folder/mutant_nn`` with the mutant's edit applied (None: unmutated)."""
    target = folder / PACKAGE
    shutil.copytree(SOURCE, target, ignore=shutil.ignore_patterns("__pycache__"))
    adapter = target / "adapter.py"
    name = "unmutated" if mutant is None else mutant.name
    text = adapter.read_text(encoding="utf-8")
    assert text.count('NAME = "reference_nn"') == 1
    adapter.write_text(text.replace('NAME = "reference_nn"', f'NAME = "mutant:{name}"'), encoding="utf-8")
    if mutant is not None:
        path = target / mutant.file
        text = path.read_text(encoding="utf-8")
        count = text.count(mutant.old)
        if count != 1:
            raise ValueError(f"mutant {mutant.name}: its edit matches {count} times in {mutant.file}, not once")
        path.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")
    return target
