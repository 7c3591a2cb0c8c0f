# Tutorial 001's own code (reference_nn.tutorials.seed001) in the shape of a learner's program (nnspec.shapes):
# its class, and its data as its top level scales them.
from reference_nn.tutorials.seed001 import Neural_Network, X, xPredicted, y  # noqa: F401
