"""The adapter protocol's formulas written out once more, independently of reference_nn, as the
oracle of the rule tests (tests/spec/test_protocol_rules.py).

Each function is the formula of its rule in tests/spec/rules.yaml, in plain NumPy (``mpmath`` at 40
digits where a float64 formula could lose accuracy). Samples are rows; ``m`` samples, ``k`` outputs.
"""

from __future__ import annotations

import mpmath
import numpy as np

EPS = 1e-15
DEFAULTS = {
    "linear": {"a": 1.0},
    "binary_step": {"threshold": 0.0},
    "relu": {"a": 1.0},
    "leaky_relu": {"a": 1.0, "b": 0.01},
}


def exact(fn, z) -> np.ndarray:
    """``fn`` (an mpmath function of one mpf) at every entry of z, at 40 digits, rounded once to float64."""
    with mpmath.workdps(40):
        return np.vectorize(lambda v: float(fn(mpmath.mpf(float(v)))), otypes=[np.float64])(z)


def sigmoid_exact(z):
    return exact(lambda v: 1 / (1 + mpmath.exp(-v)), z)


def sigmoid_grad_exact(z):
    return exact(lambda v: mpmath.exp(-v) / (1 + mpmath.exp(-v)) ** 2, z)


def tanh_grad_exact(z):
    return exact(lambda v: 1 - mpmath.tanh(v) ** 2, z)


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def activation(name, z, **params):
    p = {**DEFAULTS.get(name, {}), **params}
    if name == "identity":
        return z.copy()
    if name == "linear":
        return p["a"] * z
    if name == "sigmoid":
        return sigmoid(z)
    if name == "tanh":
        return np.tanh(z)
    if name == "binary_step":
        return (z > p["threshold"]).astype(np.float64)
    if name == "relu":
        return np.where(z > 0, p["a"] * z, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, p["a"] * z, p["b"] * z)
    if name == "softmax":
        return softmax(z)
    raise ValueError(name)


def activation_grad(name, z, **params):
    p = {**DEFAULTS.get(name, {}), **params}
    if name == "identity":
        return np.ones_like(z)
    if name == "linear":
        return np.full_like(z, p["a"])
    if name == "sigmoid":
        s = sigmoid(z)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if name == "binary_step":
        return np.zeros_like(z)
    if name == "relu":
        return np.where(z > 0, p["a"], 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, p["a"], p["b"])
    raise ValueError(name)


def softmax_jacobian(z):
    s = softmax(z)
    return s[:, :, None] * (np.eye(s.shape[1]) - s[:, None, :])


def loss(name, p, y) -> float:
    m, k = p.shape
    if name == "sse":
        return float(np.sum((p - y) ** 2))
    if name == "half_sse":
        return float(0.5 * np.sum((p - y) ** 2))
    if name == "mse":
        return float(np.sum((p - y) ** 2) / (m * k))
    q = np.clip(p, EPS, 1.0 - EPS)
    if name == "binary_cross_entropy":
        return float(-np.sum(y * np.log(q) + (1.0 - y) * np.log1p(-q)) / m)
    if name == "categorical_cross_entropy":
        return float(-np.sum(y * np.log(q)) / m)
    raise ValueError(name)


def loss_grad(name, p, y):
    m, k = p.shape
    if name == "sse":
        return 2.0 * (p - y)
    if name == "half_sse":
        return p - y
    if name == "mse":
        return 2.0 * (p - y) / (m * k)
    q = np.clip(p, EPS, 1.0 - EPS)
    if name == "binary_cross_entropy":
        return (q - y) / (q * (1.0 - q)) / m
    if name == "categorical_cross_entropy":
        return -y / q / m
    raise ValueError(name)


def backward_z(name, z, grad_a):
    """dL/dz from dL/da for a = f(z): element-wise, or the softmax Jacobian row by row."""
    if name == "softmax":
        return np.einsum("rij,ri->rj", softmax_jacobian(z), grad_a)
    return grad_a * activation_grad(name, z)


def forward(X, Ws, bs, acts):
    """(inputs of every layer, pre-activations of every layer, output)."""
    inputs, zs, a = [], [], X
    for W, b, f in zip(Ws, bs, acts):
        inputs.append(a)
        z = a @ W + (0.0 if b is None else b)
        zs.append(z)
        a = activation(f, z)
    return inputs, zs, a


def gradients(X, Y, Ws, bs, acts, loss_name):
    """([dL/dW], [dL/db or None]) of the loss of the network's output."""
    inputs, zs, a = forward(X, Ws, bs, acts)
    if acts[-1] == "sigmoid" and loss_name == "binary_cross_entropy":
        dz = (a - Y) / X.shape[0]  # the chain rule, simplified exactly (no clipping for outputs in (0, 1))
    elif acts[-1] == "softmax" and loss_name == "categorical_cross_entropy":
        dz = (a * Y.sum(axis=1, keepdims=True) - Y) / X.shape[0]
    else:
        dz = backward_z(acts[-1], zs[-1], loss_grad(loss_name, a, Y))
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    for i in range(len(Ws) - 1, -1, -1):
        dWs[i] = inputs[i].T @ dz
        dbs[i] = None if bs[i] is None else dz.sum(axis=0)
        if i:
            dz = backward_z(acts[i - 1], zs[i - 1], dz @ Ws[i].T)
    return dWs, dbs


def train(X, Y, Ws, bs, acts, loss_name, learning_rate, iterations):
    """Full-batch gradient descent: (weights, biases, losses before each update)."""
    Ws = [W.copy() for W in Ws]
    bs = [None if b is None else b.copy() for b in bs]
    losses = []
    for _ in range(iterations):
        losses.append(loss(loss_name, forward(X, Ws, bs, acts)[2], Y))
        dWs, dbs = gradients(X, Y, Ws, bs, acts, loss_name)
        Ws = [W - learning_rate * dW for W, dW in zip(Ws, dWs)]
        bs = [None if b is None else b - learning_rate * db for b, db in zip(bs, dbs)]
    return Ws, bs, np.array(losses)
