"""A learner's program in tutorial 004's shape (NeuralNetwork(x, y)), done right.

Differences from the tutorial that do not matter: a sigmoid written so that it never overflows, ``@`` for
``np.dot``, initial weights from its own generator, a ``__main__`` block for the training.
"""

import numpy as np


def sigmoid(x):
    e = np.exp(-np.abs(x))  # never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(x):
    return x * (1.0 - x)  # x is the sigmoid's output


class NeuralNetwork:
    def __init__(self, x, y):
        rng = np.random.default_rng(42)
        self.input = x
        self.weights1 = rng.random((x.shape[1], 4))
        self.weights2 = rng.random((4, 1))
        self.y = y
        self.output = np.zeros(y.shape)

    def feedforward(self):
        self.layer1 = sigmoid(self.input @ self.weights1)
        self.output = sigmoid(self.layer1 @ self.weights2)

    def backprop(self):
        delta2 = 2 * (self.y - self.output) * sigmoid_derivative(self.output)
        delta1 = (delta2 @ self.weights2.T) * sigmoid_derivative(self.layer1)
        self.weights2 += self.layer1.T @ delta2
        self.weights1 += self.input.T @ delta1


if __name__ == "__main__":
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)
    nn = NeuralNetwork(X, y)
    for _ in range(1500):
        nn.feedforward()
        nn.backprop()
    print(nn.output)
