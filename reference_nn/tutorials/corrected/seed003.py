"""Tutorial 003, "How Deep Neural Networks Work": the corrected edition of its single-neuron code.

Our edit of the transcription ``reference_nn.tutorials.seed003`` (the tutorial's layout: X is (n, m), one
sample per column): ``model`` calls the function by its defined name, the initial bias is a number, and the
backward step states the derivative with its correct sign. Each change names the claim it fixes.
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
    # 003.da-dz-written: dA/dZ = +e^-Z / (1 + e^-Z)^2 = A(1 - A), not its negative; with dL/dA = -Y/A + (1-Y)/(1-A)
    # this gives dL/dZ = A - Y, the line below (the printed sign would give Y - A)
    dZ = A - Y
    db = 1 / m * np.sum(dZ)
    dw = 1 / m * np.dot(X, dZ.T)
    assert dw.shape == w.shape
    w = w - learning_rate * dw
    b = b - learning_rate * db
    return w, b


def initialisation(n):
    """The 'Initialisation' snippet, with b a number as in model()."""
    w = np.zeros((n, 1))
    b = 0  # 003.init-bias-shape: a bias of shape (n, 1) would broadcast w^T X + b to n rows
    return w, b


def model(X, Y, learning_rate=0.1, n_iter=2000, costIter=[[], []]):  # noqa: B006 - the tutorial's default
    """The tutorial's model()."""
    m = X.shape[1]
    n = X.shape[0]
    w = np.zeros((n, 1))
    b = 0
    for i in range(n_iter):
        A = forward_propagation(w, b, X)  # 003.model-name-error: the function is named forward_propagation
        c = cost(A, Y, m)
        if i % 5 == 0:
            print("Iteration %s: %s" % (i, c))  # noqa: UP031 - as printed
        costIter[0].append(i)
        costIter[1].append(c)
        w, b = backpropagation(w, b, X, A, Y, learning_rate, m)
    return w, b
