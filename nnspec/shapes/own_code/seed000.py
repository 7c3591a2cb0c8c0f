# Tutorial 000's own code (reference_nn.tutorials.seed000) written in the shape a learner's program has
# (nnspec.shapes.seed000): its nonlin and the bodies of its two training loops. Loaded by nnspec.shapes,
# never imported: the loops are read, not run.
from reference_nn.tutorials.seed000 import first_example_step, nonlin, two_hidden_step  # noqa: F401

for j in range(10000):  # 4.2
    l1 = first_example_step(X, y, syn0)  # noqa: F821 - the check provides X, y and the weights
    syn0 = syn0  # noqa: F821, PLW0127 - updated in place by the tutorial's step

for j in range(60000):  # 4.4
    l1, l2, l2_error = two_hidden_step(X, y, syn0, syn1)  # noqa: F821
    syn0, syn1 = syn0, syn1  # noqa: F821, PLW0127 - updated in place by the tutorial's step
