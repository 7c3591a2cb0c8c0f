"""The adapter protocol, and reference_nn's own adapter.

The specification (``tests/``) never calls ``reference_nn`` directly when it checks a claim:
it calls an *adapter*, a module with the functions below. Any implementation that provides
them can be validated with ``pytest --impl my_adapter`` (a dotted module path or a ``.py``
file); see ``docs/implementers.md``.

Conventions:

- NumPy float64 arrays in, NumPy arrays (or Python floats for loss values) out; an adapter
  converts to and from its own types at the boundary. Inputs must not be modified.
- Samples are rows: ``X`` is ``(m, n_features)``, targets ``Y`` are ``(m, n_outputs)``.
- A dense layer's weights are ``(n_in, n_out)`` and compute ``x @ W + b``; its bias is
  ``(n_out,)``, or ``None`` for a layer without bias.
- Activation names and parameters: ``identity``; ``linear`` (``a``: f = a z); ``sigmoid``;
  ``tanh``; ``binary_step`` (``threshold``: 1 where z > threshold, else 0); ``relu`` (``a``:
  a z for z > 0, else 0); ``leaky_relu`` (``a``, ``b``: a z for z > 0, else b z);
  ``softmax`` (over each row, i.e. the last axis). Defaults: ``a = 1`` (linear, relu,
  leaky_relu), ``b = 0.01``, ``threshold = 0``; ``predict`` and ``train`` use them. Derivatives
  at a kink take the left value (relu: 0, leaky_relu: b, binary_step: 0 everywhere).
- Loss names (``m`` samples, ``k`` outputs, p the prediction, y the target):
  ``sse`` = sum (p - y)^2; ``half_sse`` = 1/2 sum (p - y)^2; ``mse`` = sum (p - y)^2 / (m k);
  ``binary_cross_entropy`` = -1/m sum [y ln p + (1 - y) ln(1 - p)];
  ``categorical_cross_entropy`` = -1/m sum y ln p. Every sum runs over all m k entries. The
  cross-entropies take p and y in [0, 1] and clip p to [1e-15, 1 - 1e-15] before the logarithm
  (see :mod:`reference_nn.losses`); their gradient is the derivative at the clipped p.
- Training is full-batch gradient descent on the named loss, as in :mod:`reference_nn.network`:
  each iteration records the loss of the current weights, then ``W -= learning_rate * dL/dW``
  (and the same for every bias).
- Precision: float64 throughout; a value must match its formula to 1e-12 relative (plus a few
  ulps of its scale), for |z| up to 1000 without overflow or warnings. Each convention is a
  numbered rule in ``tests/spec/rules.yaml``, checked by ``tests/spec/test_protocol_rules.py``.

A function the adapter does not define, or that raises ``NotImplementedError`` (for example
for one activation name it does not support), makes the tests that need it skip as
``not implemented: <function>``; it is not a failure. ``NAME`` and ``VERSION`` are shown in
the pytest header and the conformance report.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from . import __version__
from .activations import Sigmoid, Softmax, get_activation
from .layers import Dense
from .losses import get_loss
from .network import Network

NAME = "reference_nn"
VERSION = __version__

#: The functions of the protocol, in the order the docs list them.
PROTOCOL = (
    "activation",
    "activation_grad",
    "sigmoid_grad_from_output",
    "softmax_jacobian",
    "loss",
    "loss_grad",
    "dense_forward",
    "dense_backward",
    "predict",
    "train",
)


class Adapter(Protocol):
    """What an implementation under test provides, as module-level functions (see the module docs)."""

    NAME: str  # shown in the pytest header and the report, e.g. "my_net"
    VERSION: str  # the implementation's version

    def activation(self, name: str, z: np.ndarray, **params) -> np.ndarray:
        """f(z) for z of any shape, element-wise (softmax: over the last axis); params as named above."""

    def activation_grad(self, name: str, z: np.ndarray, **params) -> np.ndarray:
        """f'(z), element-wise, the same shape as z (never asked for softmax: see softmax_jacobian)."""

    def sigmoid_grad_from_output(self, s: np.ndarray) -> np.ndarray:
        """The sigmoid derivative written from its output s: s (1 - s)."""

    def softmax_jacobian(self, z: np.ndarray) -> np.ndarray:
        """For z of shape (m, k): J of shape (m, k, k), J[r, i, j] = d softmax(z_r)_i / d z_rj."""

    def loss(self, name: str, y_pred: np.ndarray, y_true: np.ndarray) -> float:
        """The loss value (a float) for predictions and targets of shape (m, k)."""

    def loss_grad(self, name: str, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """dL/d y_pred, the same shape as y_pred."""

    def dense_forward(self, x, W, b, activation: str) -> np.ndarray:
        """f(x W + b) for x (m, n_in), W (n_in, n_out), b (n_out,) or None."""

    def dense_backward(self, x, W, b, activation: str, grad_a) -> tuple:
        """(dL/dx, dL/dW, dL/db) given dL/da (m, n_out) for a = f(x W + b); dL/db is None when b is None.

        These are the gradients of whatever L the caller's dL/da belongs to: no 1/m here.
        """

    def predict(self, X, weights: list, biases: list, activations: list) -> np.ndarray:
        """The last layer's output for X (m, n_in): layer i computes ``activations[i](a W_i + b_i)``.

        ``activations`` are names (parameters at their defaults); biases may hold None.
        """

    def train(self, X, Y, weights, biases, activations, loss: str, learning_rate: float, iterations: int) -> dict:
        """Full-batch gradient descent from the given weights (not modified).

        One iteration: forward pass on all of X, record the loss, backward pass, then update every
        layer with ``W -= learning_rate * dL/dW`` and ``b -= learning_rate * dL/db``.
        Returns {"weights": [...], "biases": [...] (None where a layer has none),
        "losses": array of shape (iterations,), the loss before each update}.
        """


# ---- reference_nn's adapter -------------------------------------------------------------------------


def activation(name, z, **params):
    return get_activation(name, **params).fn(z)


def activation_grad(name, z, **params):
    return get_activation(name, **params).grad(z)


def sigmoid_grad_from_output(s):
    return Sigmoid.grad_from_output(s)


def softmax_jacobian(z):
    return Softmax().jacobian(z)


def loss(name, y_pred, y_true):
    return get_loss(name).fn(y_pred, y_true)


def loss_grad(name, y_pred, y_true):
    return get_loss(name).grad(y_pred, y_true)


def dense_forward(x, W, b, activation):
    return Dense(W, b, activation).forward(x)


def dense_backward(x, W, b, activation, grad_a):
    layer = Dense(W, b, activation)
    layer.forward(x)
    return layer.backward(grad_a)


def _network(weights, biases, activations, loss="half_sse"):
    return Network.from_weights(weights, activations, biases, loss)


def predict(X, weights, biases, activations):
    return _network(weights, biases, activations).predict(X)


def train(X, Y, weights, biases, activations, loss, learning_rate, iterations):
    net = _network(weights, biases, activations, loss)
    losses = net.fit(X, Y, learning_rate, iterations)
    return {"weights": net.weights, "biases": net.biases, "losses": losses}
