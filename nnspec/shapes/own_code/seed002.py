# Tutorial 002's own code (reference_nn.tutorials.seed002: its last definition of each class, as
# examples/tutorial_verbatim.py reads it) in the shape of a learner's program (nnspec.shapes).
from reference_nn.tutorials.seed002 import *  # noqa: F403
