"""Run cases for tutorial 000: the weights its programs draw under np.random.seed(1)."""

from reference_nn import datasets
from reference_nn.initializers import legacy_rng, symmetric_uniform


def cases():
    X, y = datasets.first_example()
    rng = legacy_rng(1)
    first = {
        "provenance": "tutorial 000, section 4.2: np.random.seed(1); syn0 = 2*np.random.random((3,1)) - 1",
        "claims": ["000.first-example-output"],
        "X": X,
        "Y": y,
        "weights": [symmetric_uniform(rng, (3, 1))],
        "biases": [None],
        "activations": ["sigmoid"],
        "loss": "half_sse",
        "learning_rate": 1.0,
        "iterations": 10000,
        "checkpoints": [0, 1, 10, 100, 1000, 9999],
        "tolerance": {"rtol": 1e-9, "atol": 1e-12},
    }
    return {"first_example_seed1": first}
