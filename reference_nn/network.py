"""A sequential network of dense layers, trained by full-batch gradient descent.

One training iteration is what every tutorial loop does: a forward pass on all samples,
the loss of that pass recorded, a backward pass, then for every layer::

    W <- W - learning_rate * dL/dW        b <- b - learning_rate * dL/db

:func:`train_many` runs the same iterations for S networks at once (a leading axis of size S
on every weight array), which is how statistics over many seeds are computed.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, as_matrix, finite_number, positive_int
from .activations import Activation, get_activation
from .layers import Dense, dense_backward, dense_forward
from .losses import get_loss


def _gradients(X, Y, Ws, bs, acts, loss):
    """One forward and backward pass: (loss value, [dL/dW], [dL/db]) for every layer."""
    inputs, zs = [], []
    a = X
    for W, b, act in zip(Ws, bs, acts):
        inputs.append(a)
        z, a = dense_forward(a, W, b, act)
        zs.append(z)
    value = loss._fn(a, Y)
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    dz = loss._delta(acts[-1], zs[-1], a, Y)
    for layer in range(len(Ws) - 1, -1, -1):
        dx, dWs[layer], dbs[layer] = dense_backward(
            inputs[layer], Ws[layer], zs[layer], acts[layer], None, has_bias=bs[layer] is not None, dz=dz
        )
        if layer:
            dz = acts[layer - 1]._backward(zs[layer - 1], dx)
    return value, dWs, dbs


def _train(X, Y, Ws, bs, acts, loss, learning_rate, iterations):
    """Gradient descent in place on the lists ``Ws`` and ``bs``; returns the loss of each iteration."""
    losses = []
    for _ in range(iterations):
        value, dWs, dbs = _gradients(X, Y, Ws, bs, acts, loss)
        losses.append(value)
        for W, b, dW, db in zip(Ws, bs, dWs, dbs):
            W -= learning_rate * dW
            if b is not None:
                b -= learning_rate * db
    return np.array(losses)


def _predict(X, Ws, bs, acts):
    a = X
    for W, b, act in zip(Ws, bs, acts):
        _, a = dense_forward(a, W, b, act)
    return a


class Network:
    """Dense layers applied in order, with a loss for :meth:`fit`."""

    def __init__(self, layers, loss="half_sse"):
        layers = list(layers)
        if not layers or not all(isinstance(layer, Dense) for layer in layers):
            got = "an empty sequence" if not layers else sorted({type(layer).__name__ for layer in layers})
            raise TypeError(f"layers: expected a non-empty sequence of Dense layers, got {got}")
        for i, (prev, nxt) in enumerate(zip(layers, layers[1:])):
            if prev.n_out != nxt.n_in:
                raise ValueError(f"layer {i} gives {prev.n_out} outputs but layer {i + 1} expects {nxt.n_in} inputs")
        self.layers = layers
        self.loss = get_loss(loss)

    @classmethod
    def from_weights(cls, weights, activations, biases=None, loss="half_sse"):
        """A network from weight matrices (n_in, n_out), one activation name each, optional biases."""
        weights = list(weights)
        single = isinstance(activations, (str, Activation))
        activations = [activations] * len(weights) if single else list(activations)
        biases = [None] * len(weights) if biases is None else list(biases)
        if not len(weights) == len(activations) == len(biases):
            raise ValueError(
                f"got {len(weights)} weight matrices, {len(activations)} activations and {len(biases)} biases"
            )
        return cls([Dense(W, b, act) for W, b, act in zip(weights, biases, activations)], loss)

    @property
    def weights(self):
        """Copies of the weight matrices, first layer first."""
        return [layer.W.copy() for layer in self.layers]

    @property
    def biases(self):
        """Copies of the biases (None for a layer without one)."""
        return [None if layer.b is None else layer.b.copy() for layer in self.layers]

    def _check_xy(self, X, Y=None):
        X = as_matrix(X, "X", n_cols=self.layers[0].n_in)
        if Y is None:
            return X
        Y = as_matrix(Y, "Y", n_cols=self.layers[-1].n_out)
        if Y.shape[0] != X.shape[0]:
            raise ValueError(f"X has {X.shape[0]} samples but Y has {Y.shape[0]}")
        return X, Y

    def predict(self, X):
        """The output of the last layer for X of shape (m, n_in)."""
        X = self._check_xy(X)
        return _predict(
            X,
            [layer.W for layer in self.layers],
            [layer.b for layer in self.layers],
            [layer.activation for layer in self.layers],
        )

    def fit(self, X, Y, learning_rate=1.0, iterations=1):
        """Full-batch gradient descent on ``self.loss``; returns the loss before each update."""
        X, Y = self._check_xy(X, Y)
        learning_rate = finite_number(learning_rate, "learning_rate", positive=True)
        iterations = positive_int(iterations, "iterations", allow_zero=True)
        Ws = [layer.W for layer in self.layers]
        bs = [layer.b for layer in self.layers]
        return _train(X, Y, Ws, bs, [layer.activation for layer in self.layers], self.loss, learning_rate, iterations)

    def gradients(self, X, Y):
        """[(dL/dW, dL/db)] for every layer at the current weights (db is None without a bias)."""
        X, Y = self._check_xy(X, Y)
        _, dWs, dbs = _gradients(
            X,
            Y,
            [layer.W for layer in self.layers],
            [layer.b for layer in self.layers],
            [layer.activation for layer in self.layers],
            self.loss,
        )
        return list(zip(dWs, dbs))

    def loss_value(self, X, Y) -> float:
        """The loss of the current prediction."""
        X, Y = self._check_xy(X, Y)
        return self.loss.fn(self.predict(X), Y)

    def __repr__(self):
        return f"Network({self.layers!r}, loss={self.loss!r})"


def train_many(X, Y, weights, activations, loss="half_sse", learning_rate=1.0, iterations=1, biases=None):
    """Train S networks at once: every ``weights[l]`` has shape (S, n_in, n_out).

    Returns ``(weights, biases, losses)`` with the trained stacks (the inputs are not modified)
    and the losses as an (iterations, S) array. Network s gets exactly the updates that
    ``Network.fit`` would give it alone.
    """
    X = as_matrix(X, "X")
    Y = as_matrix(Y, "Y")
    if X.shape[0] != Y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} samples but Y has {Y.shape[0]}")
    Ws = [as_float_array(W, f"weights[{i}]", ndim=3).copy() for i, W in enumerate(weights)]
    if not Ws:
        raise ValueError("weights: expected at least one (S, n_in, n_out) array, got none")
    activations = [activations] * len(Ws) if isinstance(activations, (str, Activation)) else list(activations)
    bs = [None] * len(Ws) if biases is None else list(biases)
    if not len(Ws) == len(activations) == len(bs):
        raise ValueError(f"got {len(Ws)} weight stacks, {len(activations)} activations and {len(bs)} biases")
    S, n_prev = Ws[0].shape[0], X.shape[1]
    for i, W in enumerate(Ws):
        if W.shape[0] != S or W.shape[1] != n_prev:
            raise ValueError(f"weights[{i}]: expected shape ({S}, {n_prev}, n_out), got {W.shape}")
        if bs[i] is not None:
            bs[i] = as_float_array(bs[i], f"biases[{i}]", ndim=2).copy()
            if bs[i].shape != (S, W.shape[2]):
                raise ValueError(f"biases[{i}]: expected shape ({S}, {W.shape[2]}), got {bs[i].shape}")
        n_prev = W.shape[2]
    if Y.shape[1] != n_prev:
        raise ValueError(f"Y: expected shape (m, {n_prev}), got {Y.shape}")
    acts = [get_activation(a) for a in activations]
    losses = _train(
        X,
        Y,
        Ws,
        bs,
        acts,
        get_loss(loss),
        finite_number(learning_rate, "learning_rate", positive=True),
        positive_int(iterations, "iterations", allow_zero=True),
    )
    return Ws, bs, losses.reshape(-1, S)
