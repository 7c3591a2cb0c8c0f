"""Tutorial 003's shape: one sigmoid neuron trained as logistic regression, as functions, samples as columns.

The interface your file provides (names and argument orders as in the tutorial; X is features x
samples, Y is 1 x samples, w is features x 1, b a number):

    def sigmoid(z): ...
    def forward_propagation(w, b, x): ...                      # the neuron's output A (1 x samples)
    def cost(A, Y, m): ...                                     # optional: the mean cross-entropy, a number
    def backpropagation(w, b, X, A, Y, learning_rate, m): ...  # optional: one update, returns (w, b)

How the check uses it: samples are turned into columns and back; a prediction is
``forward_propagation``, the binary cross-entropy is ``cost``, and a training run calls
``forward_propagation``, ``cost`` and ``backpropagation`` once per iteration at the given learning
rate. Not expressible: the sigmoid's derivative (the tutorial writes it only in its text), the
loss's gradient, more than one neuron or layer, other activations and losses, a layer's backward pass.
"""

from __future__ import annotations

import numpy as np

from .base import Shape, f64
from .program import Program, ShapeError

REQUIRED = ("sigmoid", "forward_propagation")
OPTIONAL = ("cost", "backpropagation")
EXPECTED = (
    "functions sigmoid(z) and forward_propagation(w, b, x) "
    "(and cost(A, Y, m), backpropagation(w, b, X, A, Y, learning_rate, m))"
)


class Shape003(Shape):
    chapter = "003"

    def __init__(self, sigmoid, forward_propagation, cost=None, backpropagation=None, name="tutorial 003 shape"):
        super().__init__(name)
        self.sigmoid, self.forward_propagation = sigmoid, forward_propagation
        self.cost, self.backpropagation = cost, backpropagation

    def _neuron(self, W, b, activation, what="network"):
        W = f64(W)
        if activation != "sigmoid" or W.ndim != 2 or W.shape[1] != 1:
            self.lacks(f"{what} other than one sigmoid neuron (asked: {activation!r}, weights {W.shape})")
        return W, 0.0 if b is None else f64(b).reshape(-1)[0]

    def activation(self, name, z, **params):
        if name != "sigmoid" or params:
            self.lacks(f"activation {name!r}")
        return self.sigmoid(f64(z))

    def dense_forward(self, x, W, b, activation):
        w, b0 = self._neuron(W, b, activation, "layer")
        return np.asarray(self.forward_propagation(w, b0, f64(x).T), dtype=np.float64).T

    def predict(self, X, weights, biases, activations):
        if len(weights) != 1:
            self.lacks(f"network of {len(weights)} layers: it has one neuron")
        return self.dense_forward(X, weights[0], biases[0], activations[0])

    def loss(self, name, y_pred, y_true):
        if name != "binary_cross_entropy" or self.cost is None:
            self.lacks(f"loss {name!r}" if self.cost else "cost(A, Y, m)")
        p, y = f64(y_pred), f64(y_true)
        return self.cost(p.T, y.T, p.shape[0])

    def train(self, X, Y, weights, biases, activations, loss, learning_rate, iterations):
        if len(weights) != 1 or loss != "binary_cross_entropy" or self.backpropagation is None:
            self.lacks(f"training of {len(weights)} layers on {loss!r}" if self.backpropagation else "backpropagation")
        if biases[0] is None:
            self.lacks("neuron without a bias b")
        w, b = self._neuron(weights[0], biases[0], activations[0])
        w = w.copy()
        X, Y = f64(X).T, f64(Y).T
        m = X.shape[1]
        losses = []
        for _ in range(iterations):
            A = self.forward_propagation(w, b, X)
            losses.append(self.loss(loss, np.asarray(A).T, Y.T))
            w, b = self.backpropagation(w, b, X, A, Y, learning_rate, m)
        return {
            "weights": [f64(w)],
            "biases": [f64(b).reshape(-1)[:1].copy()],
            "losses": np.array(losses, dtype=np.float64),
        }


def from_program(program: Program) -> Shape003:
    module = program.module
    missing = [f for f in REQUIRED if not callable(getattr(module, f, None))]
    if missing:
        raise ShapeError(f"tutorial 003 expects {EXPECTED}; {program.found()}")
    functions = [getattr(module, f) for f in REQUIRED] + [getattr(module, f, None) for f in OPTIONAL]
    return Shape003(*(f if callable(f) else None for f in functions), name=program.path.name)
