"""Tutorial 001's shape with a typical mistake: W2 updated before the hidden error is computed.

The hidden layer's error must be propagated through the weights that produced the output; this
``backward`` first changes ``W2`` and then propagates through the changed matrix.
"""

import numpy as np


class Neural_Network:
    def __init__(self):
        self.W1 = np.random.default_rng(3).standard_normal((2, 3))
        self.W2 = np.random.default_rng(4).standard_normal((3, 1))

    def forward(self, X):
        self.z = np.dot(X, self.W1)
        self.z2 = self.sigmoid(self.z)
        self.z3 = np.dot(self.z2, self.W2)
        return self.sigmoid(self.z3)

    def sigmoid(self, s):
        return np.where(s >= 0, 1 / (1 + np.exp(-np.abs(s))), np.exp(-np.abs(s)) / (1 + np.exp(-np.abs(s))))

    def sigmoidPrime(self, s):
        return s * (1 - s)

    def backward(self, X, y, o):
        self.o_delta = (y - o) * self.sigmoidPrime(o)
        self.W2 += self.z2.T.dot(self.o_delta)  # the mistake: updated first ...
        self.z2_error = self.o_delta.dot(self.W2.T)  # ... so the hidden error uses the new W2
        self.z2_delta = self.z2_error * self.sigmoidPrime(self.z2)
        self.W1 += X.T.dot(self.z2_delta)
