"""Tutorial 000, "Understand how a Neural Network works": its programs, transcribed to Python 3."""

import numpy as np


def nonlin(x, deriv=False):
    if deriv:
        return x * (1 - x)
    return 1 / (1 + np.exp(-x))


def first_example(iterations=10000):
    """Section 4.2: a single layer of weights, seed 1. Returns the l1 the program prints."""
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    y = np.array([[0, 0, 1, 1]]).T
    np.random.seed(1)
    syn0 = 2 * np.random.random((3, 1)) - 1
    for _ in range(iterations):
        l0 = X
        l1 = nonlin(np.dot(l0, syn0))
        l1_error = y - l1
        l1_delta = l1_error * nonlin(l1, True)
        syn0 += np.dot(l0.T, l1_delta)
    return l1
