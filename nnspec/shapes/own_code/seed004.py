# Tutorial 004's own code (reference_nn.tutorials.seed004) in the shape of a learner's program (nnspec.shapes).
from reference_nn.tutorials.seed004 import NeuralNetwork, sigmoid, sigmoid_derivative  # noqa: F401
