"""Loss functions: one class each, with the value ``fn`` and the gradient ``grad`` with respect
to the prediction.

Predictions and targets are ``(m, k)`` arrays, one sample per row (a leading axis of
independent networks is also accepted and reduced separately). ``m`` is the number of samples.

The cross-entropies take probabilities: their predictions and targets must lie in [0, 1], and
anything else is refused with a ValueError (``fit`` and ``train_many`` check the targets once; the
predictions are then the output activation's). The rows of a categorical target need not sum to 1:
the formula and its gradients hold for any weights in [0, 1].
"""

from __future__ import annotations

import numpy as np

from ._checks import as_matrix, in_unit_interval, lookup, same_shape
from .activations import Activation, Sigmoid, Softmax

#: Probabilities are clipped to [EPS, 1 - EPS] before a logarithm, so log(0) never happens.
EPS = 1e-15


class Loss:
    """Base class. Subclasses implement ``_fn`` and ``_grad`` on validated float64 arrays."""

    name = "loss"
    #: True for the cross-entropies: predictions and targets must be probabilities, in [0, 1].
    probabilities = False

    def fn(self, y_pred, y_true) -> float:
        """The loss value."""
        p, y = self._check(y_pred, y_true)
        return float(self._fn(p, y))

    def grad(self, y_pred, y_true) -> np.ndarray:
        """dL/d(y_pred), the same shape as y_pred."""
        p, y = self._check(y_pred, y_true)
        return self._grad(p, y)

    def _check(self, y_pred, y_true):
        p = as_matrix(y_pred, "y_pred")
        y = as_matrix(y_true, "y_true")
        same_shape(p, y, "y_pred", "y_true")
        return self._in_domain(p, "y_pred"), self._in_domain(y, "y_true")

    def _in_domain(self, a: np.ndarray, name: str) -> np.ndarray:
        """``a`` if it lies in this loss's domain (all reals, or [0, 1] for a cross-entropy), else ValueError."""
        return in_unit_interval(a, name, f"{self.name} takes probabilities") if self.probabilities else a

    def _delta(self, activation: Activation, z, a, y):
        """dL/dz for an output layer a = activation(z): the chain rule, or a fused exact form."""
        return activation._backward(z, self._grad(a, y))

    def __repr__(self):
        return f"{type(self).__name__}()"


def _total(x):
    return np.sum(x, axis=(-2, -1))


class SumSquaredError(Loss):
    """L = sum (p - y)^2;  dL/dp = 2 (p - y)."""

    name = "sse"

    def _fn(self, p, y):
        return _total((p - y) ** 2)

    def _grad(self, p, y):
        return 2.0 * (p - y)


class HalfSumSquaredError(Loss):
    """L = 1/2 sum (p - y)^2;  dL/dp = p - y."""

    name = "half_sse"

    def _fn(self, p, y):
        return 0.5 * _total((p - y) ** 2)

    def _grad(self, p, y):
        return p - y


class MeanSquaredError(Loss):
    """L = 1/(m k) sum (p - y)^2 over all m k entries;  dL/dp = 2 (p - y) / (m k)."""

    name = "mse"

    def _fn(self, p, y):
        return np.mean((p - y) ** 2, axis=(-2, -1))

    def _grad(self, p, y):
        return 2.0 * (p - y) / (p.shape[-2] * p.shape[-1])


class BinaryCrossEntropy(Loss):
    """L = -1/m sum [y ln p + (1 - y) ln(1 - p)];  dL/dp = (p - y) / (m p (1 - p)).

    p is clipped to [EPS, 1 - EPS]. After a sigmoid, dL/dz = (a - y) / m exactly.
    """

    name = "binary_cross_entropy"
    probabilities = True

    def _fn(self, p, y):
        p = np.clip(p, EPS, 1.0 - EPS)
        return -_total(y * np.log(p) + (1.0 - y) * np.log1p(-p)) / p.shape[-2]

    def _grad(self, p, y):
        p = np.clip(p, EPS, 1.0 - EPS)
        return (p - y) / (p * (1.0 - p)) / p.shape[-2]

    def _delta(self, activation, z, a, y):
        if isinstance(activation, Sigmoid):
            return (a - y) / a.shape[-2]
        return super()._delta(activation, z, a, y)


class CategoricalCrossEntropy(Loss):
    """L = -1/m sum y ln p over samples and classes (y one-hot);  dL/dp = -y / (m p).

    p is clipped to [EPS, 1 - EPS], as for the binary cross-entropy. After a softmax,
    dL/dz = (a sum_j y_j - y) / m exactly, which is (a - y) / m for one-hot (or any row-normalised) targets.
    """

    name = "categorical_cross_entropy"
    probabilities = True

    def _fn(self, p, y):
        return -_total(y * np.log(np.clip(p, EPS, 1.0 - EPS))) / p.shape[-2]

    def _grad(self, p, y):
        return -y / np.clip(p, EPS, 1.0 - EPS) / p.shape[-2]

    def _delta(self, activation, z, a, y):
        if isinstance(activation, Softmax):
            return (a * y.sum(axis=-1, keepdims=True) - y) / a.shape[-2]
        return super()._delta(activation, z, a, y)


LOSSES = {
    cls.name: cls
    for cls in (SumSquaredError, HalfSumSquaredError, MeanSquaredError, BinaryCrossEntropy, CategoricalCrossEntropy)
}


def get_loss(spec) -> Loss:
    """A loss from its name (see ``LOSSES``), or an instance as is."""
    if isinstance(spec, Loss):
        return spec
    return lookup(LOSSES, spec, "loss", "a name or a Loss")()
