"""Tutorial 004's shape with a typical mistake: a sigmoid derivative written for the input, given the output.

``sigmoid_derivative(x)`` computes s(x) (1 - s(x)), the slope at an input x, but ``backprop`` passes it
the layers' outputs (as the tutorial does), so the sigmoid is applied twice. Trained at import time,
without a ``__main__`` block, as the tutorial's page shows it.
"""

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def sigmoid_derivative(x):
    return sigmoid(x) * (1.0 - sigmoid(x))  # the mistake: x here is already an output


class NeuralNetwork:
    def __init__(self, x, y):
        self.input = x
        self.weights1 = np.random.rand(self.input.shape[1], 4)
        self.weights2 = np.random.rand(4, 1)
        self.y = y
        self.output = np.zeros(self.y.shape)

    def feedforward(self):
        self.layer1 = sigmoid(np.dot(self.input, self.weights1))
        self.output = sigmoid(np.dot(self.layer1, self.weights2))

    def backprop(self):
        error = 2 * (self.y - self.output) * sigmoid_derivative(self.output)
        d_weights2 = np.dot(self.layer1.T, error)
        d_weights1 = np.dot(self.input.T, np.dot(error, self.weights2.T) * sigmoid_derivative(self.layer1))
        self.weights1 += d_weights1
        self.weights2 += d_weights2


X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
y = np.array([[0], [1], [1], [0]])
nn = NeuralNetwork(X, y)
for i in range(1500):
    nn.feedforward()
    nn.backprop()
print(nn.output)
