"""Gradient checking by central differences.

    df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2 h)

The error of this estimate is O(h^2); with h = 1e-6 and float64 it agrees with an exact
gradient to about 1e-8 relative error on smooth functions.
"""

from __future__ import annotations

import numpy as np

from ._checks import finite_number


def numerical_gradient(f, param: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """d f() / d param, estimated by perturbing ``param`` in place (and restoring it).

    ``f`` takes no argument and returns a scalar computed from the current ``param``, so any
    layer weight, bias or network parameter can be checked: ``numerical_gradient(lambda:
    net.loss_value(X, Y), net.layers[0].W)``.
    """
    if not isinstance(param, np.ndarray) or param.dtype != np.float64:
        got = f"dtype {param.dtype}" if isinstance(param, np.ndarray) else type(param).__name__
        raise TypeError(f"param: expected a float64 numpy array that f reads, got {got}")
    h = finite_number(h, "h", positive=True)
    grad = np.empty_like(param)
    flat, out = param.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, param):
        raise ValueError(
            f"param: expected a contiguous array that can be perturbed in place, got a non-contiguous view "
            f"with strides {param.strides}"
        )
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        up = float(f())
        flat[i] = old - h
        down = float(f())
        flat[i] = old
        out[i] = (up - down) / (2.0 * h)
    return grad


def numerical_derivative(f, x, h: float = 1e-6) -> np.ndarray:
    """Element-wise central difference (f(x + h) - f(x - h)) / (2 h) of an element-wise f."""
    h = finite_number(h, "h", positive=True)
    x = np.asarray(x, dtype=np.float64)
    return (f(x + h) - f(x - h)) / (2.0 * h)


def relative_error(a, b) -> float:
    """max |a - b| / max(1, |a|, |b|), the measure used to compare gradients."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare shapes {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))))
