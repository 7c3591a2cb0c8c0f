"""What reference_nn is measured against: the tutorials' own loops, transcribed.

``tutorial_xor_loop`` is the training loop of tutorial 000 (section 4.4, the 3-4-1 sigmoid network,
60,000 iterations) with only its ``print`` taken out; the data and the initial weights are passed in
instead of coming from the global random stream. ``feature_loop`` is the loop over features that
tutorial 002 says "will take forever".
"""

from __future__ import annotations

import numpy as np


def nonlin(x, deriv=False):
    if deriv:
        return x * (1 - x)
    return 1 / (1 + np.exp(-x))


def tutorial_xor_loop(X, y, syn0, syn1, iterations=60000):
    """Tutorial 000's loop, updating syn0 and syn1 in place; returns them and the last l2.

    The loop body is written out here rather than calling reference_nn.tutorials.seed000.two_hidden_step,
    so that the baseline is the tutorial's raw loop with no function call per iteration.
    """
    for _ in range(iterations):
        l0 = X
        l1 = nonlin(np.dot(l0, syn0))
        l2 = nonlin(np.dot(l1, syn1))
        l2_error = y - l2
        l2_delta = l2_error * nonlin(l2, deriv=True)
        l1_error = l2_delta.dot(syn1.T)
        l1_delta = l1_error * nonlin(l1, deriv=True)
        syn1 += l1.T.dot(l2_delta)
        syn0 += l0.T.dot(l1_delta)
    return syn0, syn1, l2


def feature_loop(xs, ws):
    """sum_i x_i w_i, one feature at a time in Python (x and w as lists of floats)."""
    total = 0.0
    for i in range(len(xs)):
        total += xs[i] * ws[i]
    return total
