"""Run cases for tutorial 003: one sigmoid neuron started from zeros, as the tutorial's model() does."""

import numpy as np

from reference_nn import datasets


def cases():
    X, y = datasets.line_points(np.random.default_rng(0), 200)
    line = {
        "provenance": (
            "tutorial 003, 'Testing': points labelled 1 above y = 1.23x + 3.23; the tutorial gives no data, so "
            "these are 200 points uniform on [-10, 10]^2 from datasets.line_points(np.random.default_rng(0), 200). "
            "model(): w = zeros((n, 1)), b = 0, learning_rate=0.1, n_iter=2000, mean log loss"
        ),
        "claims": ["003.model-steps"],
        "X": X,
        "Y": y,
        "weights": [np.zeros((2, 1))],
        "biases": [np.zeros(1)],
        "activations": ["sigmoid"],
        "loss": "binary_cross_entropy",
        "learning_rate": 0.1,
        "iterations": 2000,
        "checkpoints": [0, 1, 5, 10, 100, 1000, 1999],
        "tolerance": {"rtol": 1e-9, "atol": 1e-12},
    }
    return {"neuron_line_zeros": line}
