"""A learner's program in tutorial 004's shape, done right at a learning rate of its own (0.5), written
differently: the layers in a list, ``np.matmul``, a sigmoid from ``tanh``, the error as output - y
subtracted."""

import numpy as np

LEARNING_RATE = 0.5


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def sigmoid_derivative(s):
    return s * (1.0 - s)


class NeuralNetwork:
    def __init__(self, x, y):
        self.input = x
        self.y = y
        rng = np.random.default_rng(3)
        self.weights1 = rng.uniform(size=(x.shape[1], 4))
        self.weights2 = rng.uniform(size=(4, 1))
        self.output = np.zeros_like(y)

    def feedforward(self):
        self.layer1 = sigmoid(np.matmul(self.input, self.weights1))
        self.output = sigmoid(np.matmul(self.layer1, self.weights2))

    def backprop(self):
        grad_out = 2 * (self.output - self.y) * sigmoid_derivative(self.output)
        grad_hidden = np.matmul(grad_out, self.weights2.T) * sigmoid_derivative(self.layer1)
        self.weights2 = self.weights2 - LEARNING_RATE * np.matmul(self.layer1.T, grad_out)
        self.weights1 = self.weights1 - LEARNING_RATE * np.matmul(self.input.T, grad_hidden)


X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
y = np.array([[0], [1], [1], [0]], dtype=float)
net = NeuralNetwork(X, y)
for _ in range(3000):
    net.feedforward()
    net.backprop()
print(net.output.round(3))
