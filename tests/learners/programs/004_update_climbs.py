"""A learner's program in tutorial 004's shape with one mistake: the error is written y - output, as the
tutorial's, but the weights are changed with ``-=``: every step climbs the sum of squares."""

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))


def sigmoid_derivative(s):
    return s * (1.0 - s)


class NeuralNetwork:
    def __init__(self, x, y):
        self.input, self.y = x, y
        self.weights1 = np.random.rand(x.shape[1], 4)
        self.weights2 = np.random.rand(4, 1)
        self.output = np.zeros(y.shape)

    def feedforward(self):
        self.layer1 = sigmoid(self.input @ self.weights1)
        self.output = sigmoid(self.layer1 @ self.weights2)

    def backprop(self):
        error = 2 * (self.y - self.output) * sigmoid_derivative(self.output)
        d_weights2 = self.layer1.T @ error
        d_weights1 = self.input.T @ ((error @ self.weights2.T) * sigmoid_derivative(self.layer1))
        self.weights1 -= d_weights1
        self.weights2 -= d_weights2


if __name__ == "__main__":
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    nn = NeuralNetwork(X, np.array([[0], [1], [1], [0]], dtype=float))
    for _ in range(1500):
        nn.feedforward()
        nn.backprop()
    print(nn.output)
