"""The tutorials' toy data and the iris table, as float64 arrays with samples as rows.

Nothing here touches the network: the iris table ships with the package.
"""

from __future__ import annotations

import math
from importlib import resources

import numpy as np

from ._checks import as_float_array, check_size, finite_number, positive_int


def _column(values):
    return np.array(values, dtype=np.float64).reshape(-1, 1)


def first_example():
    """Seed 000, section 4.2: four 3-bit inputs (third bit always 1); the target is the first bit."""
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.float64)
    return X, _column([0, 0, 1, 1])


def xor():
    """The XOR table with a constant third input: target = x1 XOR x2.

    Used by seed 004 (its table x1 x2 x3 Y) and by the program behind seed 000's printed
    two-hidden-layer output.
    """
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.float64)
    return X, _column([0, 1, 1, 0])


def two_hidden_example():
    """Seed 000, section 4.4, exactly as printed: rows 3 and 4 are the same input with targets 0 and 1."""
    X = np.array([[1, 1, 1], [3, 3, 3], [2, 2, 2], [2, 2, 2]], dtype=np.float64)
    return X, _column([1, 1, 0, 1])


_DIGITS = {
    0: [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0],
    1: [0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0],
    2: [0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1],
    3: [1, 1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1],
}
_DIGIT_QUERY = [0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1]


def digits():
    """Seed 000, section 4.5: 4x5 bitmaps of 0-3 as rows of 20, labels 0-3, and the query bitmap.

    Returns (X (4, 20), labels (4, 1), query (1, 20)). The tutorial trains on labels / 3.
    """
    X = np.array([_DIGITS[d] for d in range(4)], dtype=np.float64)
    return X, _column([0, 1, 2, 3]), np.array([_DIGIT_QUERY], dtype=np.float64)


def exam_scores():
    """Seed 001: (hours studied, hours slept) -> test score, and the query (4, 8). Unscaled."""
    X = np.array([[2, 9], [1, 5], [3, 6]], dtype=np.float64)
    return X, _column([92, 86, 89]), np.array([[4, 8]], dtype=np.float64)


def exam_scores_scaled():
    """Seed 001's scaling: X / column max, y / 100, and the query divided by its own max.

    The query is scaled by max(4, 8) = 8, not by the training columns' maxima (3, 9).
    """
    X, y, query = exam_scores()
    return X / X.max(axis=0), y / 100.0, query / query.max()


def line_points(rng, n, slope=1.23, intercept=3.23, low=-10.0, high=10.0):
    """Seed 003: n points uniform on the square [low, high]^2, labelled 1 above y = slope x + intercept.

    Returns (X (n, 2), y (n, 1)). The tutorial does not state its sampling; this square is ours.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng: expected a numpy Generator, got {type(rng).__name__}")
    n = positive_int(n, "n")
    low, high = finite_number(low, "low"), finite_number(high, "high")
    if not low < high:
        raise ValueError(f"expected low < high, got low={low}, high={high}")
    X = rng.uniform(low, high, size=check_size((n, 2), "line_points"))
    above = X[:, 1] > finite_number(slope, "slope") * X[:, 0] + finite_number(intercept, "intercept")
    return X, above.astype(np.float64).reshape(-1, 1)


IRIS_SPECIES = ("setosa", "versicolor", "virginica")


def iris():
    """Fisher's iris table shipped with the package: X (150, 4) in cm, labels (150,) in 0..2."""
    with resources.files("reference_nn").joinpath("data/iris.csv").open() as f:
        table = np.loadtxt(f, delimiter=",", comments="#", skiprows=3)
    return table[:, :4].copy(), table[:, 4].astype(np.int64)


def one_hot(labels, n_classes=None):
    """Rows of the identity: labels (m,) of integers 0..k-1 -> (m, k) float64."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise TypeError(f"labels: expected a 1-D integer array, got dtype {labels.dtype} and shape {labels.shape}")
    if n_classes is None and labels.size == 0:
        raise ValueError("labels: expected at least one label when n_classes is not given, got none")
    k = int(labels.max()) + 1 if n_classes is None else positive_int(n_classes, "n_classes")
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        raise ValueError(f"labels: expected values in 0..{k - 1}, got {labels.min()}..{labels.max()}")
    check_size((labels.size, k), "one_hot")
    out = np.zeros((labels.size, k))
    out[np.arange(labels.size), labels] = 1.0
    return out


def shuffle_split(n, test_fraction=0.25, seed=42):
    """(train, test) index arrays as scikit-learn's ``train_test_split(..., random_state=seed)`` draws them.

    n_test = ceil(test_fraction n); a ``RandomState(seed)`` permutation gives the test rows
    first, then the training rows.
    """
    n = positive_int(n, "n")
    check_size((n,), "shuffle_split")
    test_fraction = finite_number(test_fraction, "test_fraction")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction: expected a number in (0, 1), got {test_fraction}")
    n_test = math.ceil(test_fraction * n)
    if n_test >= n:
        raise ValueError(f"expected at least one training row, got none: n={n}, test_fraction={test_fraction}")
    perm = np.random.RandomState(positive_int(seed, "seed", allow_zero=True)).permutation(n)
    return perm[n_test:], perm[:n_test]


def accuracy(predicted_labels, labels) -> float:
    """Share of equal entries."""
    a = as_float_array(predicted_labels, "predicted_labels", ndim=1)
    b = as_float_array(labels, "labels", ndim=1)
    if a.shape != b.shape:
        raise ValueError(f"predicted_labels has shape {a.shape} but labels has shape {b.shape}")
    return float(np.mean(a == b)) if a.size else 0.0
