"""Tutorial 003's shape with a typical mistake: the bias is never updated.

``backpropagation`` computes ``db`` and steps ``w``, but returns the bias it was given: the weights'
step is gradient descent, the bias stays where it started (0 in ``model``).
"""

import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def forward_propagation(w, b, x):
    return sigmoid(np.dot(w.T, x) + b)


def cost(A, Y, m):
    p = np.clip(A, 1e-15, 1 - 1e-15)
    return float(-(np.dot(Y, np.log(p).T) + np.dot(1 - Y, np.log(1 - p).T)).item() / m)


def backpropagation(w, b, X, A, Y, learning_rate, m):
    error = A - Y
    dw = np.dot(X, error.T) / m
    db = error.sum() / m
    w = w - learning_rate * dw
    b_new = b - learning_rate * db  # noqa: F841 - the mistake: computed, never returned
    return w, b


def model(X, Y, learning_rate=0.1, n_iter=1000):
    w, b = np.zeros((X.shape[0], 1)), 0.0
    for _ in range(n_iter):
        w, b = backpropagation(w, b, X, forward_propagation(w, b, X), Y, learning_rate, X.shape[1])
    return w, b


if __name__ == "__main__":
    rng = np.random.default_rng(7)
    points = rng.normal(size=(2, 100))
    labels = (points[0] + points[1] > 0).astype(float).reshape(1, -1)
    w, b = model(points, labels, learning_rate=0.5)
    print("cost:", cost(forward_propagation(w, b, points), labels, points.shape[1]))
