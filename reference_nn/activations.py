"""Activation functions: one class each, with the value ``fn`` and the derivative ``grad``.

All of them act element-wise on arrays of any shape except :class:`Softmax`, which acts
on the last axis (one row per sample). ``backward(z, grad_out)`` is the chain rule step
``dL/dz`` given ``dL/da``; for element-wise activations that is ``grad_out * grad(z)``.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_size, finite_number, lookup


class Activation:
    """Base class. Subclasses implement ``_fn`` and ``_grad`` on float64 arrays."""

    name = "activation"

    def fn(self, z):
        """The activation value a = f(z)."""
        return self._fn(as_float_array(z, "z"))

    def grad(self, z):
        """The element-wise derivative f'(z)."""
        return self._grad(as_float_array(z, "z"))

    def backward(self, z, grad_out):
        """dL/dz from dL/da: grad_out * f'(z)."""
        z = as_float_array(z, "z")
        grad_out = as_float_array(grad_out, "grad_out")
        if z.shape != grad_out.shape:
            raise ValueError(f"grad_out has shape {grad_out.shape} but z has shape {z.shape}; they must match")
        return self._backward(z, grad_out)

    def _backward(self, z, grad_out):
        return grad_out * self._grad(z)

    def _backward_out(self, z, a, grad_out):
        """dL/dz when the output a = f(z) is known as well (training keeps it): by default :meth:`_backward`."""
        return self._backward(z, grad_out)

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"


class Identity(Activation):
    """f(z) = z;  f'(z) = 1."""

    name = "identity"

    def _fn(self, z):
        return z.copy()

    def _grad(self, z):
        return np.ones_like(z)


class Linear(Activation):
    """f(z) = a z;  f'(z) = a."""

    name = "linear"

    def __init__(self, a: float = 1.0):
        self.a = finite_number(a, "a")

    def _fn(self, z):
        return self.a * z

    def _grad(self, z):
        return np.full_like(z, self.a)


def _exp_neg_abs(z):
    return np.exp(-np.abs(z))


#: e^709 is below the largest float64 (about e^709.78), so e^-z cannot overflow for z >= -709.
_EXP_SAFE = -709.0


def _sigmoid_with_tails(z):
    """1 / (1 + e^-z) where e^-z is finite; below -709, e^z (there 1 + e^-z rounds to e^-z)."""
    out = np.exp(np.minimum(z, 0.0))
    safe = z >= _EXP_SAFE
    out[safe] = 1.0 / (1.0 + np.exp(-z[safe]))
    return out


class Sigmoid(Activation):
    """f(z) = 1 / (1 + e^-z);  f'(z) = f(z) (1 - f(z)).

    The value is the textbook 1 / (1 + e^-z), the tutorials' formula to the last bit, wherever e^-z is
    finite (z >= -709); below that it is e^z, so |z| = 1000 neither overflows nor warns. The derivative
    ``grad(z)`` is e^-|z| / (1 + e^-|z|)^2, accurate to a few ulps even where f(z) rounds to 1; training
    reuses the output and computes s (1 - s) as the tutorials do (absolute error below 2^-53).
    """

    name = "sigmoid"

    def _fn(self, z):
        if z.size and z.item(z.argmin()) < _EXP_SAFE:  # argmin + item: the cheapest minimum for small z
            return _sigmoid_with_tails(z)
        e = np.exp(-z)
        e += 1.0
        return np.reciprocal(e)  # 1 / e, correctly rounded like the division

    def _grad(self, z):
        e = _exp_neg_abs(z)
        return np.minimum(e / (1.0 + e) ** 2, 0.25)  # near z = 0 rounding could pass the maximum 1/4 by an ulp

    def _backward_out(self, z, a, grad_out):
        return grad_out * (a * (1.0 - a))

    @staticmethod
    def grad_from_output(s):
        """The derivative written from the output s = f(z): s (1 - s)."""
        s = as_float_array(s, "s")
        return s * (1.0 - s)


class Tanh(Activation):
    """f(z) = tanh z;  f'(z) = 1 - tanh^2 z."""

    name = "tanh"

    def _fn(self, z):
        return np.tanh(z)

    def _grad(self, z):
        return 1.0 - np.tanh(z) ** 2

    def _backward_out(self, z, a, grad_out):
        return grad_out * (1.0 - a * a)  # the same bits as _backward: a is tanh(z), a ** 2 is a * a


class BinaryStep(Activation):
    """f(z) = 1 if z > threshold else 0;  f'(z) = 0 (undefined at the threshold, taken as 0)."""

    name = "binary_step"

    def __init__(self, threshold: float = 0.0):
        self.threshold = finite_number(threshold, "threshold")

    def _fn(self, z):
        return (z > self.threshold).astype(np.float64)

    def _grad(self, z):
        return np.zeros_like(z)


class ReLU(Activation):
    """f(z) = a z if z > 0 else 0;  f'(z) = a if z > 0 else 0 (0 at z = 0)."""

    name = "relu"

    def __init__(self, a: float = 1.0):
        self.a = finite_number(a, "a")

    def _fn(self, z):
        return np.where(z > 0, self.a * z, 0.0)

    def _grad(self, z):
        return np.where(z > 0, self.a, 0.0)


class LeakyReLU(Activation):
    """f(z) = a z if z > 0 else b z;  f'(z) = a if z > 0 else b (b at z = 0)."""

    name = "leaky_relu"

    def __init__(self, a: float = 1.0, b: float = 0.01):
        self.a = finite_number(a, "a")
        self.b = finite_number(b, "b")

    def _fn(self, z):
        return np.where(z > 0, self.a * z, self.b * z)

    def _grad(self, z):
        return np.where(z > 0, self.a, self.b)


class Softmax(Activation):
    """f(z)_i = e^{z_i} / sum_j e^{z_j} over the last axis;  df_i/dz_j = f_i (delta_ij - f_j).

    The row maximum is subtracted before exponentiating, so large inputs do not overflow.
    """

    name = "softmax"

    @staticmethod
    def _check_z(z):
        z = as_float_array(z, "z", ndim=(1, 2, 3))
        if z.shape[-1] == 0:
            raise ValueError(f"z: expected at least one entry on the last axis, got shape {z.shape}")
        return z

    def fn(self, z):
        return self._fn(self._check_z(z))

    def _fn(self, z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def grad(self, z):
        """Softmax has no element-wise derivative: use :meth:`jacobian` or :meth:`backward`."""
        raise TypeError(
            "softmax has no element-wise derivative; use Softmax.jacobian(z) or Softmax.backward(z, grad_out)"
        )

    def _grad(self, z):  # pragma: no cover - never reached, _backward is overridden
        raise TypeError("softmax has no element-wise derivative")

    def jacobian(self, z):
        """J[..., i, j] = s_i (delta_ij - s_j) for each row s = f(z); shape (..., k, k)."""
        z = self._check_z(z)
        check_size(z.shape + z.shape[-1:], "softmax jacobian")
        s = self._fn(z)
        return s[..., :, None] * (np.eye(s.shape[-1]) - s[..., None, :])

    def backward(self, z, grad_out):
        """dL/dz from dL/da for each row: s * (grad_out - sum(grad_out * s))."""
        return super().backward(self._check_z(z), grad_out)

    def _backward(self, z, grad_out):
        return self._backward_out(z, self._fn(z), grad_out)

    def _backward_out(self, z, a, grad_out):
        return a * (grad_out - np.sum(grad_out * a, axis=-1, keepdims=True))


ACTIVATIONS = {cls.name: cls for cls in (Identity, Linear, Sigmoid, Tanh, BinaryStep, ReLU, LeakyReLU, Softmax)}


def get_activation(spec="identity", **params) -> Activation:
    """An activation from its name (see ``ACTIVATIONS``) and parameters, or an instance as is."""
    if isinstance(spec, Activation):
        if params:
            raise TypeError("parameters can only be given with an activation name, not an instance")
        return spec
    if spec is None:
        spec = "identity"
    cls = lookup(ACTIVATIONS, spec, "activation", "a name or an Activation")
    try:
        return cls(**params)
    except TypeError as exc:
        raise TypeError(f"activation {spec!r}: {exc}") from None
