"""Tutorial 004, James Loy's two-layer network (Neural Network Projects with Python, chapter 1).

The page lost the code's indentation (every line starts at column 0), so the program as printed
does not compile; this is the program with its indentation restored and nothing else changed.
The tutorial sets no random seed: ``main(seed)`` calls ``np.random.seed(seed)`` first when a seed
is given, to replay one run.
"""

import numpy as np


def sigmoid(x):
    return 1.0 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    return x * (1.0 - x)


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
        # application of the chain rule to find the derivation of the
        # loss function with respect to weights2 and weights1
        d_weights2 = np.dot(self.layer1.T, (2 * (self.y - self.output) * sigmoid_derivative(self.output)))
        d_weights1 = np.dot(
            self.input.T,
            (
                np.dot(2 * (self.y - self.output) * sigmoid_derivative(self.output), self.weights2.T)
                * sigmoid_derivative(self.layer1)
            ),
        )

        self.weights1 += d_weights1
        self.weights2 += d_weights2


def main(seed=None, iterations=1500):
    """The ``__main__`` block; returns the network after printing ``nn.output``."""
    if seed is not None:
        np.random.seed(seed)
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    y = np.array([[0], [1], [1], [0]])
    nn = NeuralNetwork(X, y)

    for _ in range(iterations):
        nn.feedforward()
        nn.backprop()

    print(nn.output)
    return nn
