"""Run cases for tutorial 002: its 4-10-5-3 iris network, weights drawn as its LinearLayer draws them.

The lesson sets no seed; we use np.random.seed(s). Each LinearLayer(n_in, n_out) draws
W = 0.1 randn(n_out, n_in) then b = 0.1 randn(n_out, 1) from the global stream, layer by layer;
in rows the weights are W^T (n_in, n_out) and the bias b.ravel().
"""

import numpy as np

from reference_nn import datasets
from reference_nn.initializers import legacy_rng, scaled_normal

SIZES = [(4, 10), (10, 5), (5, 3)]
ACTIVATIONS = ["relu", "relu", "softmax"]
LOSS = "categorical_cross_entropy"
#: Our settings for a network that learns (the lesson's are lr 0.001 and one update on raw features).
LEARNING_RATE = 1.0
ITERATIONS = 100


def lesson_weights(seed):
    """(weights, biases) in rows, as the lesson's three LinearLayer calls draw them after np.random.seed(seed)."""
    rng = legacy_rng(seed)
    weights, biases = [], []
    for n_in, n_out in SIZES:
        weights.append(scaled_normal(rng, (n_out, n_in)).T.copy())
        biases.append(scaled_normal(rng, (n_out, 1)).ravel())
    return weights, biases


def iris_split(standardise):
    """(X_train, Y_train one-hot, X_test, test labels): train_test_split(test_size=0.25, random_state=42).

    ``standardise``: subtract the training mean and divide by the training standard deviation.
    """
    X, labels = datasets.iris()
    train, test = datasets.shuffle_split(len(X), 0.25, 42)
    if standardise:
        mean, std = X[train].mean(axis=0), X[train].std(axis=0)
        X = (X - mean) / std
    return X[train], datasets.one_hot(labels[train], 3), X[test], labels[test]


def _case(provenance, claims, standardise, learning_rate, iterations, checkpoints):
    X, Y, _, _ = iris_split(standardise)
    weights, biases = lesson_weights(0)
    return {
        "provenance": provenance,
        "claims": claims,
        "X": X,
        "Y": Y,
        "weights": weights,
        "biases": biases,
        "activations": ACTIVATIONS,
        "loss": LOSS,
        "learning_rate": learning_rate,
        "iterations": iterations,
        "checkpoints": checkpoints,
        "tolerance": {"rtol": 1e-7, "atol": 1e-10},
    }


def cases():
    common = (
        "tutorial 002: iris training rows of train_test_split(test_size=0.25, random_state=42), one-hot labels; "
        "4-10-5-3 relu/relu/softmax with biases, weights 0.1*randn drawn as LinearLayer does after "
        "np.random.seed(0)"
    )
    return {
        "iris_tutorial_settings_seed0": _case(
            common + "; the lesson's fit defaults: raw features, lr 0.001, one update",
            ["002.iris-tutorial-hyperparameters"],
            False,
            0.001,
            1,
            [0],
        ),
        "iris_standardized_seed0": _case(
            common + f"; our settings: standardised features, lr {LEARNING_RATE}, {ITERATIONS} updates",
            ["002.iris-trains-a-classifier"],
            True,
            LEARNING_RATE,
            ITERATIONS,
            [0, 1, 10, ITERATIONS // 2, ITERATIONS - 1],
        ),
    }


def stacked_weights(seeds):
    """Weight and bias stacks (S, n_in, n_out) and (S, n_out) for train_many, one network per seed."""
    per_seed = [lesson_weights(s) for s in seeds]
    weights = [np.stack([w[layer] for w, _ in per_seed]) for layer in range(len(SIZES))]
    biases = [np.stack([b[layer] for _, b in per_seed]) for layer in range(len(SIZES))]
    return weights, biases
