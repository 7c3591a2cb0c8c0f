"""Run cases for tutorial 000: the weights its programs draw under np.random.seed(seed)."""

from reference_nn import datasets
from reference_nn.initializers import legacy_rng, standard_normal, symmetric_uniform

TIGHT = {"rtol": 1e-9, "atol": 1e-12}


def _case(provenance, claims, X, Y, weights, iterations, checkpoints):
    return {
        "provenance": provenance,
        "claims": claims,
        "X": X,
        "Y": Y,
        "weights": weights,
        "biases": [None] * len(weights),
        "activations": ["sigmoid"] * len(weights),
        "loss": "half_sse",
        "learning_rate": 1.0,
        "iterations": iterations,
        "checkpoints": checkpoints,
        "tolerance": TIGHT,
    }


def _two_hidden_weights():
    rng = legacy_rng(1)
    return [symmetric_uniform(rng, (3, 4)), symmetric_uniform(rng, (4, 1))]


def cases():
    X, y = datasets.first_example()
    first = _case(
        "tutorial 000, section 4.2: np.random.seed(1); syn0 = 2*np.random.random((3,1)) - 1",
        ["000.first-example-output"],
        X,
        y,
        [symmetric_uniform(legacy_rng(1), (3, 1))],
        10000,
        [0, 1, 10, 100, 1000, 9999],
    )
    seed1 = (
        "np.random.seed(1); syn0 = 2*np.random.random((3,4)) - 1; syn1 = 2*np.random.random((4,1)) - 1; "
        "the first 10,000 of the program's 60,000 updates (up to its second Error line)"
    )
    X, y = datasets.xor()
    xor = _case(
        f"tutorial 000, section 4.4, on the XOR table (the data behind its printed output): {seed1}",
        ["000.two-hidden-printed-errors", "000.xor-net-converges-under-seed-1"],
        X,
        y,
        _two_hidden_weights(),
        10000,
        [0, 1, 10, 100, 1000, 9999],
    )
    X, y = datasets.two_hidden_example()
    as_printed = _case(
        f"tutorial 000, section 4.4, on its data as printed (rows 3 and 4 equal, targets 0 and 1): {seed1}",
        ["000.two-hidden-printed-output"],
        X,
        y,
        _two_hidden_weights(),
        10000,
        [0, 1, 10, 100, 1000, 9999],
    )
    X, labels, _ = datasets.digits()
    rng = legacy_rng(0)
    digits = _case(
        "tutorial 000, section 4.5 (it sets no seed; we use np.random.seed(0)): W1 = np.random.randn(20, 20); "
        "W2 = np.random.randn(20, 1); targets y/3; its 100 training steps",
        ["000.digits-update-descends-half-sse", "000.digits-printed-loss-is-mse"],
        X,
        labels / 3,
        [standard_normal(rng, (20, 20)), standard_normal(rng, (20, 1))],
        100,
        [0, 1, 10, 50, 99],
    )
    return {
        "first_example_seed1": first,
        "xor_two_hidden_seed1": xor,
        "two_hidden_as_printed_seed1": as_printed,
        "digits_seed0": digits,
    }
