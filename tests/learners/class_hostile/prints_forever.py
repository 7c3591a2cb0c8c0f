"""Hostile: prints without end as soon as it is asked for an output."""

import numpy as np


class NeuralNetwork:
    def __init__(self, x, y):
        self.input, self.y = x, y
        self.weights1 = np.random.rand(x.shape[1], 4)
        self.weights2 = np.random.rand(4, 1)

    def feedforward(self):
        while True:
            print("still thinking " * 1000)

    def backprop(self):
        pass
