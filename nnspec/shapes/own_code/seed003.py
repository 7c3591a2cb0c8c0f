# Tutorial 003's own code (reference_nn.tutorials.seed003) in the shape of a learner's program (nnspec.shapes).
from reference_nn.tutorials.seed003 import backpropagation, cost, forward_propagation, sigmoid  # noqa: F401
