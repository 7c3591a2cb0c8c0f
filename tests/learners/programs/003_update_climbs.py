"""Tutorial 003's shape with a typical mistake: the update adds the gradient instead of subtracting it.

``dw = X (A - Y)^T / m`` is the gradient of the cost, the direction in which it grows; ``w + learning_rate * dw``
walks uphill, so every step raises the cost it should lower.
"""

import numpy as np


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))  # 1 / (1 + e^-z), computed without overflow


def forward_propagation(w, b, x):
    return sigmoid(w.T @ x + b)


def cost(A, Y, m):
    A = np.clip(A, 1e-15, 1 - 1e-15)
    return -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m


def backpropagation(w, b, X, A, Y, learning_rate, m):
    dw = X @ (A - Y).T / m
    db = np.sum(A - Y) / m
    return w + learning_rate * dw, b + learning_rate * db  # the mistake: + where - belongs
