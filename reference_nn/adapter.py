"""The adapter protocol, and reference_nn's own adapter.

The specification (``tests/``) never calls ``reference_nn`` directly when it checks a claim:
it calls an *adapter*, a module (or object) with the functions below. Any implementation
that provides them can be validated with ``pytest --impl my_adapter``.

Conventions: NumPy float64 arrays in and out; samples are rows (X is (m, n_features));
weights are (n_in, n_out); biases are (n_out,) or None for a layer without bias. Activation
names: ``identity, linear, sigmoid, tanh, binary_step, relu, leaky_relu, softmax`` with the
parameters ``a`` (linear, relu, leaky_relu), ``b`` (leaky_relu) and ``threshold``
(binary_step). Loss names: ``sse, half_sse, mse, binary_cross_entropy,
categorical_cross_entropy`` (see :mod:`reference_nn.losses` for the formulas).
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


class Adapter(Protocol):
    """What an implementation under test provides (as module-level functions)."""

    NAME: str
    VERSION: str

    def activation(self, name: str, z: np.ndarray, **params) -> np.ndarray:
        """f(z), element-wise (softmax: over each row)."""

    def activation_grad(self, name: str, z: np.ndarray, **params) -> np.ndarray:
        """f'(z), element-wise (not asked for softmax)."""

    def sigmoid_grad_from_output(self, s: np.ndarray) -> np.ndarray:
        """The sigmoid derivative written from its output s: s (1 - s)."""

    def softmax_jacobian(self, z: np.ndarray) -> np.ndarray:
        """For z of shape (m, k): J of shape (m, k, k), J[r, i, j] = d softmax(z_r)_i / d z_rj."""

    def loss(self, name: str, y_pred: np.ndarray, y_true: np.ndarray) -> float:
        """The loss value."""

    def loss_grad(self, name: str, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """dL/d y_pred."""

    def dense_forward(self, x, W, b, activation: str) -> np.ndarray:
        """f(x W + b), b may be None."""

    def dense_backward(self, x, W, b, activation: str, grad_a) -> tuple:
        """(dL/dx, dL/dW, dL/db) given dL/da; dL/db is None when b is None."""

    def predict(self, X, weights: list, biases: list, activations: list) -> np.ndarray:
        """The output of the network for X."""

    def train(self, X, Y, weights, biases, activations, loss: str, learning_rate: float, iterations: int) -> dict:
        """Full-batch gradient descent from the given weights (not modified).

        Returns {"weights": [...], "biases": [...], "losses": array of the loss before each update}.
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
