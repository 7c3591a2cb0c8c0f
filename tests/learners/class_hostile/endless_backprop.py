"""Hostile: a correct network whose backprop never returns."""

import numpy as np


class NeuralNetwork:
    def __init__(self, x, y):
        self.input, self.y = x, y
        self.weights1 = np.random.rand(x.shape[1], 4)
        self.weights2 = np.random.rand(4, 1)
        self.output = np.zeros(y.shape)

    def feedforward(self):
        self.layer1 = 1 / (1 + np.exp(-self.input @ self.weights1))
        self.output = 1 / (1 + np.exp(-self.layer1 @ self.weights2))

    def backprop(self):
        while True:
            pass
