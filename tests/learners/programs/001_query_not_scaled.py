"""A learner's program in tutorial 001's shape with one mistake: the query is not scaled.

The training data are scaled as the tutorial scales them, but the new student (4 hours studied, 8 slept)
is fed as (4, 8): the network only ever saw inputs divided by (3, 9), so it answers about someone else.
"""

import numpy as np

X = np.array(([2, 9], [1, 5], [3, 6]), dtype=float)
y = np.array(([92], [86], [89]), dtype=float)
xPredicted = np.array(([4, 8]), dtype=float)

X = X / X.max(axis=0)
y = y / 100


class Neural_Network:
    def __init__(self):
        self.W1 = np.random.randn(2, 3)
        self.W2 = np.random.randn(3, 1)

    def forward(self, X):
        self.z2 = self.sigmoid(X @ self.W1)
        return self.sigmoid(self.z2 @ self.W2)

    def sigmoid(self, s):
        return np.exp(-np.logaddexp(0, -s))

    def sigmoidPrime(self, s):
        return s * (1 - s)

    def backward(self, X, y, o):
        o_delta = (y - o) * self.sigmoidPrime(o)
        z2_delta = (o_delta @ self.W2.T) * self.sigmoidPrime(self.z2)
        self.W1 += X.T @ z2_delta
        self.W2 += self.z2.T @ o_delta
