"""Hostile: ends its process from inside backprop, and asks for input and shows a plot at the top."""

import os
import sys

import numpy as np

name = input("your name? ")
sys.exit("bye")


class NeuralNetwork:
    def __init__(self, x, y):
        self.input, self.y = x, y
        self.weights1 = np.random.rand(x.shape[1], 4)
        self.weights2 = np.random.rand(4, 1)

    def feedforward(self):
        self.output = 1 / (1 + np.exp(-(1 / (1 + np.exp(-self.input @ self.weights1))) @ self.weights2))

    def backprop(self):
        os._exit(3)
