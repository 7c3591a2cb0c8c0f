# Tutorial 001's own code (reference_nn.tutorials.seed001) in the shape of a learner's program (nnspec.shapes).
from reference_nn.tutorials.seed001 import Neural_Network  # noqa: F401
