"""Tutorial 002's shape with a typical mistake: LinearLayer.backward steps by a fixed 0.01, ignoring ``lr``.

The gradients dW and db are right; the update ``W -= 0.01 * dW`` does not use the learning rate passed
to ``backward`` (and through ``fit``), so every training run steps as if lr were 0.01.
"""

import numpy as np


class SigmoidActivation:
    def forward(self, X):
        return np.exp(-np.logaddexp(0.0, -X))  # 1 / (1 + e^-X) without overflow

    def backward(self, A):
        return A * (1.0 - A)


class TanhActivation:
    def forward(self, X):
        return np.tanh(X)

    def backward(self, A):
        return 1.0 - A * A


class ReLUActivation:
    def __init__(self, a=1.0):
        self.a = a

    def forward(self, X):
        return self.a * np.maximum(X, 0.0)

    def backward(self, A):
        return self.a * (A > 0)


class SoftMaxActivation:
    def forward(self, X):
        shifted = np.exp(X - np.max(X, axis=0, keepdims=True))
        return shifted / np.sum(shifted, axis=0, keepdims=True)

    def vjp(self, A, dA):
        """dZ = J^T dA for each column: A * (dA - sum(A * dA))."""
        return A * (dA - np.sum(A * dA, axis=0, keepdims=True))


def categorical_crossentropy(target, output):
    return float(-np.sum(target * np.log(np.clip(output, 1e-15, 1 - 1e-15))) / target.shape[1])


class LinearLayer:
    def __init__(self, input_size, output_size, activation=None):
        self.W = np.random.default_rng(3).normal(0.0, 0.1, (output_size, input_size))
        self.b = np.zeros((output_size, 1))
        self.activation = activation

    def forward(self, X):
        self.X = X
        Z = self.W @ X + self.b
        self.A = Z if self.activation is None else self.activation.forward(Z)
        return self.A

    def backward(self, dA_curr, lr):
        m = self.X.shape[1]
        if self.activation is None:
            dZ = dA_curr
        elif hasattr(self.activation, "vjp"):
            dZ = self.activation.vjp(self.A, dA_curr)
        else:
            dZ = dA_curr * self.activation.backward(self.A)
        dW = dZ @ self.X.T / m
        db = dZ.sum(axis=1, keepdims=True) / m
        dA_prev = self.W.T @ dZ
        self.W -= 0.01 * dW  # the mistake: 0.01 where lr belongs
        self.b -= 0.01 * db
        return dA_prev


class NeuralNet:
    def __init__(self, layers):
        self.layers = list(layers)

    def predict(self, X):
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def fit(self, X, y, lr, epoch):
        for _ in range(epoch):
            dA = -y / np.clip(self.predict(X), 1e-15, None)  # the cross-entropy's derivative, per sample
            for layer in self.layers[::-1]:
                dA = layer.backward(dA, lr)
