"""A learner's program in tutorial 001's shape with one mistake: the hidden layer's slope is taken of z, the
dot product, instead of the hidden activation z2 (``sigmoidPrime(self.z)``), though ``sigmoidPrime`` is
written for a sigmoid's output."""

import numpy as np

X = np.array(([2, 9], [1, 5], [3, 6]), dtype=float) / np.array([3.0, 9.0])
y = np.array(([92], [86], [89]), dtype=float) / 100


class Neural_Network:
    def __init__(self):
        self.W1 = np.random.randn(2, 3)
        self.W2 = np.random.randn(3, 1)

    def forward(self, X):
        self.z = np.dot(X, self.W1)
        self.z2 = self.sigmoid(self.z)
        self.z3 = np.dot(self.z2, self.W2)
        return self.sigmoid(self.z3)

    def sigmoid(self, s):
        return np.exp(-np.logaddexp(0.0, -s))

    def sigmoidPrime(self, s):
        return s * (1 - s)

    def backward(self, X, y, o):
        o_delta = (y - o) * self.sigmoidPrime(o)
        z2_delta = o_delta.dot(self.W2.T) * self.sigmoidPrime(self.z)
        self.W1 += X.T.dot(z2_delta)
        self.W2 += self.z2.T.dot(o_delta)


nn = Neural_Network()
for step in range(500):
    nn.backward(X, y, nn.forward(X))
print(nn.forward(X))
