import numpy as np
class NeuralNetwork(
