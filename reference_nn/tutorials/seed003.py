"""Tutorial 003, "How Deep Neural Networks Work": its single-neuron code, transcribed to Python 3.

The tutorial's layout is kept: X is (n, m) with one sample per *column*, Y is (1, m), w is (n, 1)
and b a number. ``model`` is transcribed as printed and cannot run: it calls ``forwardpropagation``,
but the function is defined as ``forward_propagation`` (NameError). ``model_fixed`` is the nearest
program that runs: the same function with that one name corrected. Both keep the printed mutable
default ``costIter=[[], []]``.
"""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def forward_propagation(w, b, x):
    z = np.dot(w.T, x) + b  # np.dot(..., ...) - matrix multiplication
    return sigmoid(z)


def loss(A, Y):
    return -(Y * np.log(A) + (1 - Y) * np.log(1 - A))


def cost(A, Y, m):
    return 1 / m * np.sum(loss(A, Y))


def backpropagation(w, b, X, A, Y, learning_rate, m):
    dZ = A - Y
    db = 1 / m * np.sum(dZ)
    dw = 1 / m * np.dot(X, dZ.T)
    assert dw.shape == w.shape
    w = w - learning_rate * dw
    b = b - learning_rate * db
    return w, b


def initialisation(n):
    """The 'Initialisation' snippet as printed: note b has shape (n, 1), unlike model's b = 0."""
    w = np.zeros((n, 1))
    b = np.zeros((n, 1))
    return w, b


def model(X, Y, learning_rate=0.1, n_iter=2000, costIter=[[], []]):  # noqa: B006 - the tutorial's default
    """As printed: raises NameError at its first iteration (``forwardpropagation`` is not defined)."""
    m = X.shape[1]
    n = X.shape[0]
    w = np.zeros((n, 1))
    b = 0
    for i in range(n_iter):
        A = forwardpropagation(w, b, X)  # noqa: F821 - the tutorial's name, never defined
        c = cost(A, Y, m)
        if i % 5 == 0:
            print("Iteration %s: %s" % (i, c))  # noqa: UP031 - as printed
        costIter[0].append(i)
        costIter[1].append(c)
        w, b = backpropagation(w, b, X, A, Y, learning_rate, m)
    return w, b


def model_fixed(X, Y, learning_rate=0.1, n_iter=2000, costIter=[[], []]):  # noqa: B006 - the tutorial's default
    """``model`` with its one typo corrected: ``forward_propagation`` instead of ``forwardpropagation``."""
    m = X.shape[1]
    n = X.shape[0]
    w = np.zeros((n, 1))
    b = 0
    for i in range(n_iter):
        A = forward_propagation(w, b, X)
        c = cost(A, Y, m)
        if i % 5 == 0:
            print("Iteration %s: %s" % (i, c))  # noqa: UP031 - as printed
        costIter[0].append(i)
        costIter[1].append(c)
        w, b = backpropagation(w, b, X, A, Y, learning_rate, m)
    return w, b
