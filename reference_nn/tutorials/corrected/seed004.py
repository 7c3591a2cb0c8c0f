"""Tutorial 004, James Loy's two-layer network: the corrected edition.

Our edit of the transcription ``reference_nn.tutorials.seed004``, which already restores the indentation the
text extraction lost (004.code-runs) and then runs and learns XOR. Nothing in its arithmetic is wrong; the only
change is the backprop comment, which names the derivative whose negative the code computes.
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
        # 004.chain-rule-comment: d_weights1 and d_weights2 are minus those derivatives (the sign sits in
        # y - output), which is why they are added (a clarification: the comment was incomplete, not wrong)
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
