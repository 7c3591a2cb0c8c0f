"""Tutorial 003's shape with a typical mistake: the gradient summed over the samples, not averaged.

The cost is the mean over the m samples, so its gradient carries 1/m; this ``backpropagation``
drops it, and every step is m times too long.
"""

import numpy as np


def sigmoid(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def forward_propagation(w, b, x):
    return sigmoid(np.dot(w.T, x) + b)


def loss(A, Y):
    A = np.clip(A, 1e-12, 1 - 1e-12)
    return -(Y * np.log(A) + (1 - Y) * np.log(1 - A))


def cost(A, Y, m):
    return 1 / m * np.sum(loss(A, Y))


def backpropagation(w, b, X, A, Y, learning_rate, m):
    dZ = A - Y
    db = np.sum(dZ)  # the mistake: no 1/m
    dw = np.dot(X, dZ.T)  # nor here
    w = w - learning_rate * dw
    b = b - learning_rate * db
    return w, b
