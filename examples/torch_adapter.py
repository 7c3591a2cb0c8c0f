"""The adapter protocol (reference_nn/adapter.py) implemented with PyTorch: CPU, float64, autograd.

Validate it with ``pytest --impl examples/torch_adapter.py``. Every value is computed with torch
operations; every derivative and gradient comes from ``torch.autograd`` (``activation_grad``,
``softmax_jacobian``, ``loss_grad``, ``dense_backward`` and each training step), never from a
hand-written formula. NumPy appears only at the boundary, where the protocol wants arrays.

Two choices follow the reference's definitions rather than torch's defaults:

- the cross-entropies clip p to [1e-15, 1 - 1e-15] before the logarithm, and their gradient is
  the derivative *evaluated at the clipped p* (a straight-through clip: torch's ``clamp`` would
  give zero there);
- training differentiates a cross-entropy after a sigmoid or softmax output through the
  pre-activation (``binary_cross_entropy_with_logits``, ``log_softmax``), as torch's losses
  do, so the gradient is (a - y)/m even where the output rounds to 0 or 1. The loss *recorded*
  is the protocol's loss of the output.
"""

from __future__ import annotations

import numpy as np
import torch

NAME = "torch"
VERSION = torch.__version__

DTYPE = torch.float64
EPS = 1e-15
torch.set_num_threads(1)  # tiny tensors: threads cost more than they give

_PARAMS = {
    "identity": {},
    "linear": {"a": 1.0},
    "sigmoid": {},
    "tanh": {},
    "binary_step": {"threshold": 0.0},
    "relu": {"a": 1.0},
    "leaky_relu": {"a": 1.0, "b": 0.01},
    "softmax": {},
}


def _tensor(x, grad=False):
    return torch.tensor(np.asarray(x, dtype=np.float64), dtype=DTYPE, requires_grad=grad)


def _array(t):
    return t.detach().numpy().copy()


def _activate(name, z, **params):
    if name not in _PARAMS:
        raise ValueError(f"unknown activation {name!r}; expected one of {sorted(_PARAMS)}")
    unknown = set(params) - set(_PARAMS[name])
    if unknown:
        raise TypeError(f"activation {name!r}: unexpected parameters {sorted(unknown)}")
    p = {**_PARAMS[name], **params}
    if name == "identity":
        return z * 1.0
    if name == "linear":
        return p["a"] * z
    if name == "sigmoid":
        return torch.sigmoid(z)
    if name == "tanh":
        return torch.tanh(z)
    if name == "binary_step":
        return (z > p["threshold"]).to(DTYPE) + 0.0 * z  # + 0 z: a derivative of 0, not "no graph"
    if name == "relu":
        return torch.where(z > 0, p["a"] * z, torch.zeros_like(z))
    if name == "leaky_relu":
        return torch.where(z > 0, p["a"] * z, p["b"] * z)
    return torch.softmax(z, dim=-1)


def activation(name, z, **params):
    return _array(_activate(name, _tensor(z), **params))


def activation_grad(name, z, **params):
    if name == "softmax":
        raise TypeError("softmax has no element-wise derivative; use softmax_jacobian")
    z = _tensor(z, grad=True)
    (grad,) = torch.autograd.grad(_activate(name, z, **params).sum(), z)
    return _array(grad)


def sigmoid_grad_from_output(s):
    s = _tensor(s)
    return _array(s * (1.0 - s))  # the claim is about this expression of the output itself


def softmax_jacobian(z):
    z = _tensor(z)
    rows = z.reshape(-1, z.shape[-1])
    jac = torch.func.vmap(torch.func.jacrev(lambda r: torch.softmax(r, dim=-1)))(rows)
    return _array(jac.reshape(*z.shape, z.shape[-1]))


def _clip(p, low, high):
    """p clipped to [low, high] with the derivative of the identity (the reference's convention).

    The value is clamp(p) exactly (p - p.detach() adds an exact 0); p + (clamp(p) - p).detach() would
    round: at p = -0.5 it gives 1.0004e-15, not 1e-15 (rule R27).
    """
    return p.clamp(low, high).detach() + (p - p.detach())


def _loss(name, p, y):
    """The loss of (m, k) predictions, or of a stack (T, m, k) of them: one value per (m, k) block."""
    if p.shape[-2:] != y.shape or y.ndim != 2:
        raise ValueError(f"y_pred {tuple(p.shape)} and y_true {tuple(y.shape)} must be the same (m, k) shape")
    m, total = p.shape[-2], lambda t: t.sum(dim=(-2, -1))
    if name == "sse":
        return total((p - y) ** 2)
    if name == "half_sse":
        return 0.5 * total((p - y) ** 2)
    if name == "mse":
        return total((p - y) ** 2) / y.numel()
    if name == "binary_cross_entropy":
        q = _clip(p, EPS, 1.0 - EPS)
        return -total(y * torch.log(q) + (1.0 - y) * torch.log1p(-q)) / m
    if name == "categorical_cross_entropy":
        return -total(y * torch.log(_clip(p, EPS, 1.0 - EPS))) / m
    raise ValueError(f"unknown loss {name!r}")


def loss(name, y_pred, y_true):
    return float(_loss(name, _tensor(y_pred), _tensor(y_true)))


def loss_grad(name, y_pred, y_true):
    p = _tensor(y_pred, grad=True)
    (grad,) = torch.autograd.grad(_loss(name, p, _tensor(y_true)), p)
    return _array(grad)


def _dense(x, W, b, name):
    z = x @ W
    if b is not None:
        z = z + b
    return z, _activate(name, z)


def dense_forward(x, W, b, activation):
    return _array(_dense(_tensor(x), _tensor(W), None if b is None else _tensor(b), activation)[1])


def dense_backward(x, W, b, activation, grad_a):
    x, W = _tensor(x, grad=True), _tensor(W, grad=True)
    b = None if b is None else _tensor(b, grad=True)
    _, a = _dense(x, W, b, activation)
    leaves = [x, W] + ([] if b is None else [b])
    grads = torch.autograd.grad(a, leaves, grad_outputs=_tensor(grad_a))
    return _array(grads[0]), _array(grads[1]), None if b is None else _array(grads[2])


def _forward(X, Ws, bs, activations):
    a, z = X, None
    for W, b, name in zip(Ws, bs, activations):
        z, a = _dense(a, W, b, name)
    return z, a


def predict(X, weights, biases, activations):
    bs = [None if b is None else _tensor(b) for b in biases]
    return _array(_forward(_tensor(X), [_tensor(W) for W in weights], bs, activations)[1])


def _objective(loss_name, last, z, a, Y):
    """What training differentiates: the loss, through the logits where a fused form exists."""
    m = Y.shape[0]
    if loss_name == "binary_cross_entropy" and last == "sigmoid":
        return torch.nn.functional.binary_cross_entropy_with_logits(z, Y, reduction="sum") / m
    if loss_name == "categorical_cross_entropy" and last == "softmax":
        return -(Y * torch.log_softmax(z, dim=-1)).sum() / m
    return _loss(loss_name, a, Y)


def train(X, Y, weights, biases, activations, loss, learning_rate, iterations):
    X, Y = _tensor(X), _tensor(Y)
    Ws = [_tensor(W, grad=True) for W in weights]
    bs = [None if b is None else _tensor(b, grad=True) for b in biases]
    params = Ws + [b for b in bs if b is not None]
    outputs = []
    for _ in range(iterations):
        z, a = _forward(X, Ws, bs, activations)
        outputs.append(a.detach())
        grads = torch.autograd.grad(_objective(loss, activations[-1], z, a, Y), params)
        with torch.no_grad():
            torch._foreach_add_(params, grads, alpha=-learning_rate)
    losses = _loss(loss, torch.stack(outputs), Y) if outputs else torch.zeros(0, dtype=DTYPE)
    return {
        "weights": [_array(W) for W in Ws],
        "biases": [None if b is None else _array(b) for b in bs],
        "losses": _array(losses),
    }
