"""The dense (fully connected) layer.

Samples are rows: for an input ``x`` of shape (m, n_in), weights ``W`` of shape (n_in, n_out)
and a bias ``b`` of shape (n_out,)::

    z = x W + b        a = f(z)

and, given dL/da, the backward pass returns::

    dz = dL/da * f'(z)      dW = x^T dz      db = sum over samples of dz      dx = dz W^T

The gradients are of whatever L is; any 1/m belongs to the loss. ``dense_forward`` and
``dense_backward`` also accept a leading axis of independent networks on ``W``, ``b``
(and ``x``), which is how many seeds train at once.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, as_matrix, check_size, positive_int
from .activations import Activation, get_activation


def dense_forward(x, W, b, activation: Activation):
    """z = x W + b and a = f(z); ``b`` may be None (no bias). Returns (z, a)."""
    z = x @ W
    if b is not None:
        z = z + b[..., None, :]
    return z, activation._fn(z)


def dense_backward(x, W, z, activation: Activation, grad_a, has_bias=True, dz=None):
    """Gradients (dx, dW, db) from dL/da; pass ``dz`` instead when dL/dz is already known."""
    if dz is None:
        dz = activation._backward(z, grad_a)
    dW = np.swapaxes(x, -1, -2) @ dz
    db = dz.sum(axis=-2) if has_bias else None
    dx = dz @ np.swapaxes(W, -1, -2)
    return dx, dW, db


class Dense:
    """A dense layer a = f(x W + b) holding its weights (n_in, n_out) and optional bias (n_out,)."""

    def __init__(self, weights, bias=None, activation="identity", **activation_params):
        self.W = as_matrix(weights, "weights").copy()
        if bias is not None:
            bias = as_float_array(bias, "bias", ndim=(1, 2))
            if bias.size != self.n_out or (bias.ndim == 2 and bias.shape[0] != 1):
                raise ValueError(f"bias: expected shape ({self.n_out},), got {bias.shape}")
            bias = bias.reshape(self.n_out).copy()
        self.b = bias
        self.activation = get_activation(activation, **activation_params)
        self._cache = None

    @classmethod
    def init(cls, n_in, n_out, initializer, rng, activation="identity", bias=False, **activation_params):
        """A layer whose weights (and bias, if wanted) come from ``initializer(rng, shape)``."""
        from .initializers import get_initializer

        init = get_initializer(initializer)
        if not isinstance(bias, bool):
            raise TypeError(f"bias: expected True or False, got {type(bias).__name__}")
        W = init(rng, (positive_int(n_in, "n_in"), positive_int(n_out, "n_out")))
        b = init(rng, (n_out,)) if bias else None
        return cls(W, b, activation, **activation_params)

    @property
    def n_in(self) -> int:
        return self.W.shape[0]

    @property
    def n_out(self) -> int:
        return self.W.shape[1]

    def forward(self, x):
        """a = f(x W + b) for x of shape (m, n_in); remembers x and z for :meth:`backward`."""
        x = as_matrix(x, "x", n_cols=self.n_in)
        check_size((x.shape[0], self.n_out), "layer output")
        z, a = dense_forward(x, self.W, self.b, self.activation)
        self._cache = (x, z)
        return a

    def backward(self, grad_a):
        """(dx, dW, db) from dL/da of shape (m, n_out); db is None without a bias."""
        if self._cache is None:
            raise RuntimeError("backward() needs a forward() first")
        x, z = self._cache
        grad_a = as_matrix(grad_a, "grad_a")
        if grad_a.shape != z.shape:
            raise ValueError(f"grad_a: expected shape {z.shape}, got {grad_a.shape}")
        return dense_backward(x, self.W, z, self.activation, grad_a, has_bias=self.b is not None)

    def __repr__(self):
        bias = "bias" if self.b is not None else "no bias"
        return f"Dense({self.n_in} -> {self.n_out}, {self.activation!r}, {bias})"
