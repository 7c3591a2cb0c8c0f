"""reference_nn.datasets: toy sets, iris, one_hot, shuffle_split, accuracy, error paths."""

import numpy as np
import pytest

from reference_nn import datasets

# (function, shapes of what it returns)
TOY = {
    "first_example": ((4, 3), (4, 1)),
    "xor": ((4, 3), (4, 1)),
    "two_hidden_example": ((4, 3), (4, 1)),
    "digits": ((4, 20), (4, 1), (1, 20)),
    "exam_scores": ((3, 2), (3, 1), (1, 2)),
    "exam_scores_scaled": ((3, 2), (3, 1), (1, 2)),
}

# scikit-learn 1.9.1: train_test_split(np.arange(150), test_size=0.25, random_state=42)[1]
SKLEARN_TEST_ROWS = [73, 18, 118, 78, 76, 31, 64, 141, 68, 82, 110, 12, 36, 9, 19, 56, 104, 69, 55, 132, 29, 127, 26]
SKLEARN_TEST_ROWS += [128, 131, 145, 108, 143, 45, 30, 22, 15, 65, 11, 42, 146, 51, 27]


@pytest.mark.parametrize("name", sorted(TOY))
def test_toy_sets_shapes_and_dtypes(name):
    arrays = getattr(datasets, name)()
    assert tuple(a.shape for a in arrays) == TOY[name]
    assert all(a.dtype == np.float64 for a in arrays)
    assert arrays[0] is not getattr(datasets, name)()[0]  # a fresh array every call


def test_toy_set_contents():
    X, y = datasets.first_example()
    assert np.all(X[:, 2] == 1) and np.array_equal(y[:, 0], X[:, 0])
    X, y = datasets.xor()
    assert np.array_equal(y[:, 0], np.logical_xor(X[:, 0], X[:, 1]))
    X, labels, query = datasets.digits()
    assert set(np.unique(X)) == {0.0, 1.0} and labels[:, 0].tolist() == [0, 1, 2, 3]
    assert np.array_equal(query[0], X[2])  # the query bitmap is the 2
    X, y, query = datasets.exam_scores_scaled()
    np.testing.assert_array_equal(X.max(axis=0), [1.0, 1.0])
    np.testing.assert_array_equal(y[:, 0], [0.92, 0.86, 0.89])
    np.testing.assert_array_equal(query, [[0.5, 1.0]])


def test_line_points_are_labelled_by_the_line():
    X, y = datasets.line_points(np.random.default_rng(0), 500)
    assert X.shape == (500, 2) and y.shape == (500, 1) and X.dtype == y.dtype == np.float64
    assert X.min() >= -10 and X.max() < 10
    np.testing.assert_array_equal(y[:, 0], (X[:, 1] > 1.23 * X[:, 0] + 3.23) * 1.0)
    assert 0.2 < y.mean() < 0.8  # both classes present
    again = datasets.line_points(np.random.default_rng(0), 500)
    np.testing.assert_array_equal(again[0], X)
    X2, y2 = datasets.line_points(np.random.default_rng(1), 50, slope=0.0, intercept=1.0, low=0.0, high=2.0)
    assert X2.min() >= 0 and X2.max() < 2 and np.array_equal(y2[:, 0], (X2[:, 1] > 1.0) * 1.0)


def test_iris_is_150_rows_of_4_measurements_and_50_per_species():
    X, labels = datasets.iris()
    assert X.shape == (150, 4) and X.dtype == np.float64
    assert labels.shape == (150,) and labels.dtype == np.int64
    assert np.bincount(labels).tolist() == [50, 50, 50]
    assert np.all(labels[:50] == 0) and np.all(labels[50:100] == 1) and np.all(labels[100:] == 2)
    assert 0 < X.min() and X.max() < 8  # centimetres
    assert X[0].tolist() == [5.1, 3.5, 1.4, 0.2]
    # column means as in R's summary(iris): 5.843, 3.057, 3.758, 1.199
    np.testing.assert_allclose(X.mean(axis=0), [5.843, 3.057, 3.758, 1.199], atol=5e-4)
    assert datasets.IRIS_SPECIES == ("setosa", "versicolor", "virginica")


def test_one_hot():
    np.testing.assert_array_equal(datasets.one_hot([2, 0, 1, 2]), np.eye(3)[[2, 0, 1, 2]])
    assert datasets.one_hot(np.array([1], dtype=np.uint8), n_classes=4).tolist() == [[0.0, 1.0, 0.0, 0.0]]
    assert datasets.one_hot(np.array([], dtype=int), n_classes=2).shape == (0, 2)
    _, labels = datasets.iris()
    assert datasets.one_hot(labels).sum(axis=0).tolist() == [50.0, 50.0, 50.0]


def test_shuffle_split_of_iris_is_112_and_38_disjoint_rows():
    train, test = datasets.shuffle_split(150, 0.25, seed=42)
    assert (len(train), len(test)) == (112, 38)
    assert set(train).isdisjoint(test) and sorted(np.concatenate([train, test]).tolist()) == list(range(150))
    assert test.tolist() == SKLEARN_TEST_ROWS
    np.testing.assert_array_equal(datasets.shuffle_split(150, 0.25, seed=42)[0], train)
    assert not np.array_equal(datasets.shuffle_split(150, 0.25, seed=0)[1], test)


def test_shuffle_split_rounds_the_test_share_up():
    assert [len(part) for part in datasets.shuffle_split(10, 0.25)] == [7, 3]  # ceil(2.5) = 3
    assert [len(part) for part in datasets.shuffle_split(2, 0.5)] == [1, 1]


def test_accuracy():
    assert datasets.accuracy([0, 1, 2, 2], np.array([0, 1, 1, 2])) == 0.75
    assert datasets.accuracy([], []) == 0.0


# ---- error paths --------------------------------------------------------------------------------------


def test_line_points_arguments():
    with pytest.raises(TypeError, match="rng: expected a numpy Generator, got RandomState"):
        datasets.line_points(np.random.RandomState(0), 10)
    with pytest.raises(ValueError, match="expected low < high, got low=1.0, high=1.0"):
        datasets.line_points(np.random.default_rng(0), 10, low=1.0, high=1.0)
    with pytest.raises(ValueError, match="n: expected an integer >= 1, got 0"):
        datasets.line_points(np.random.default_rng(0), 0)
    with pytest.raises(TypeError, match="slope: expected a real number, got str"):
        datasets.line_points(np.random.default_rng(0), 3, slope="1")


def test_one_hot_labels_must_be_1d_integers_in_range():
    with pytest.raises(TypeError, match=r"labels: expected a 1-D integer array, got dtype float64 and shape \(2,\)"):
        datasets.one_hot([0.0, 1.0])
    with pytest.raises(TypeError, match=r"labels: expected a 1-D integer array, got dtype int64 and shape \(2, 1\)"):
        datasets.one_hot(np.array([[0], [1]]))
    with pytest.raises(ValueError, match=r"labels: expected values in 0\.\.1, got 0\.\.2"):
        datasets.one_hot([0, 2], n_classes=2)
    with pytest.raises(ValueError, match=r"labels: expected values in 0\.\.2, got -1\.\.2"):
        datasets.one_hot([-1, 2])
    with pytest.raises(ValueError, match="labels: expected at least one label when n_classes is not given, got none"):
        datasets.one_hot(np.array([], dtype=int))
    with pytest.raises(ValueError, match="n_classes: expected an integer >= 1, got 0"):
        datasets.one_hot([0], n_classes=0)


def test_shuffle_split_arguments():
    for fraction in (0, 1, 1.5, -0.25):
        with pytest.raises(ValueError, match=f"test_fraction: expected a number in \\(0, 1\\), got {float(fraction)}"):
            datasets.shuffle_split(10, fraction)
    with pytest.raises(ValueError, match="expected at least one training row, got none: n=1, test_fraction=0.25"):
        datasets.shuffle_split(1, 0.25)
    with pytest.raises(ValueError, match="n: expected an integer >= 1, got 0"):
        datasets.shuffle_split(0)
    with pytest.raises(TypeError, match="seed: expected an integer, got NoneType"):
        datasets.shuffle_split(10, seed=None)
    with pytest.raises(TypeError, match="test_fraction: expected a real number, got str"):
        datasets.shuffle_split(10, "0.25")


def test_accuracy_refuses_to_broadcast():
    with pytest.raises(ValueError, match=r"predicted_labels has shape \(3,\) but labels has shape \(1,\)"):
        datasets.accuracy([0, 1, 2], [1])
    with pytest.raises(ValueError, match=r"labels: expected a 1-D array, got shape \(3, 1\)"):
        datasets.accuracy([0, 1, 2], [[0], [1], [2]])
