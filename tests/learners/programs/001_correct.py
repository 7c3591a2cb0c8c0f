"""A learner's program in tutorial 001's shape (the Neural_Network class), done right.

Differences from the tutorial that do not matter: the sigmoid written so that it never overflows,
``@`` for ``np.dot``, its own random generator for the initial weights, and the query scaled by the
training inputs' maxima (the tutorial divides it by its own maximum).
"""

import numpy as np

X = np.array(([2, 9], [1, 5], [3, 6]), dtype=float)
y = np.array(([92], [86], [89]), dtype=float)
xPredicted = np.array(([4, 8]), dtype=float)
xPredicted = xPredicted / np.amax(X, axis=0)  # scaled as the inputs are, by the training maxima
X = X / np.amax(X, axis=0)
y = y / 100


class Neural_Network:
    def __init__(self):
        rng = np.random.default_rng(11)
        self.W1 = rng.standard_normal((2, 3))
        self.W2 = rng.standard_normal((3, 1))

    def forward(self, X):
        self.z = X @ self.W1
        self.z2 = self.sigmoid(self.z)
        self.z3 = self.z2 @ self.W2
        return self.sigmoid(self.z3)

    def sigmoid(self, s):
        e = np.exp(-np.abs(s))  # never overflows
        return np.where(s >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    def sigmoidPrime(self, s):
        return s * (1.0 - s)

    def backward(self, X, y, o):
        self.o_delta = (y - o) * self.sigmoidPrime(o)
        self.z2_delta = (self.o_delta @ self.W2.T) * self.sigmoidPrime(self.z2)
        self.W1 += X.T @ self.z2_delta
        self.W2 += self.z2.T @ self.o_delta

    def train(self, X, y):
        self.backward(X, y, self.forward(X))


NN = Neural_Network()
for i in range(1000):
    print("Loss:", np.mean(np.square(y - NN.forward(X))))
    NN.train(X, y)
