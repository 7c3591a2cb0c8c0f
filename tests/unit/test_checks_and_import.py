"""reference_nn._checks (the input checks every module shares) and what importing the package pulls in."""

import os
import subprocess
import sys

import numpy as np
import pytest

import reference_nn
from nnspec import content
from reference_nn import Network, get_activation, get_loss
from reference_nn._checks import as_float_array, as_matrix, finite_number, positive_int, same_shape

ROOT = content.ROOT


def _python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


def test_import_needs_nothing_but_numpy():
    code = (
        "import reference_nn, sys; print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'sympy','pandas','pytest','yaml','scipy','matplotlib'}))"
    )
    assert _python(code) == "[]"


def test_every_module_and_the_iris_table_load_with_numpy_alone_and_no_network():
    code = (
        "import sys; before = set(sys.modules)\n"
        "import reference_nn.adapter, reference_nn.datasets as d, reference_nn.gradcheck, reference_nn.initializers\n"
        "X, y = d.iris(); assert X.shape == (150, 4)\n"
        "new = {m.split('.')[0] for m in set(sys.modules) - before} - set(sys.stdlib_module_names)\n"
        "net = sorted(m for m in sys.modules if m in {'socket', 'ssl', 'http.client', 'urllib.request'})\n"
        "print(sorted(new), net)"
    )
    assert _python(code) == "['numpy', 'reference_nn'] []"


def test_the_public_names_exist():
    assert all(hasattr(reference_nn, name) for name in reference_nn.__all__)
    assert reference_nn.__version__ == "0.1.0"


# ---- as_float_array -----------------------------------------------------------------------------------


def test_numeric_input_becomes_float64():
    for x in ([1, 2], np.arange(3, dtype=np.uint8), np.arange(3, dtype=np.int8), np.float16(2.5), np.float32(2.5), 7):
        arr = as_float_array(x, "x")
        assert arr.dtype == np.float64
    src = np.ones(3)
    assert as_float_array(src, "x") is src  # float64 input is not copied
    assert as_float_array([[1.0]], "x", ndim=(1, 2)).shape == (1, 1)


@pytest.mark.parametrize(
    "value, error, message",
    [
        (None, TypeError, "x: expected a numeric array, got None"),
        ("1.0", TypeError, "x: expected a numeric array, got str"),
        (b"1", TypeError, "x: expected a numeric array, got bytes"),
        ([1.0, "a"], TypeError, "x: expected a real numeric array, got dtype <U32"),
        ([1.0, None], TypeError, "x: expected a real numeric array, got dtype object"),
        ([1 + 2j], TypeError, "x: expected a real numeric array, got dtype complex128"),
        (np.array(["2020-01-01"], dtype="datetime64[D]"), TypeError, r"got dtype datetime64\[D\]"),
        ([[1.0, 2.0], [3.0]], ValueError, r"x: expected a rectangular numeric array \(.*inhomogeneous"),
        ([1.0, np.nan], ValueError, "x: expected finite values, but it contains NaN or infinite values"),
        ([[-np.inf]], ValueError, "x: expected finite values, but it contains NaN or infinite values"),
    ],
)
def test_bad_arrays(value, error, message):
    with pytest.raises(error, match=message):
        as_float_array(value, "x")


def test_wrong_number_of_dimensions():
    with pytest.raises(ValueError, match=r"x: expected a 2-D array, got shape \(3,\)"):
        as_float_array([1, 2, 3], "x", ndim=2)
    with pytest.raises(ValueError, match=r"x: expected a 1-D or 2-D array, got shape \(1, 1, 1\)"):
        as_float_array([[[1]]], "x", ndim=(1, 2))


def test_as_matrix_checks_columns_and_emptiness():
    assert as_matrix([[1, 2, 3]], "X", n_cols=3).shape == (1, 3)
    with pytest.raises(ValueError, match=r"X: expected shape \(m, 2\), got \(1, 3\)"):
        as_matrix([[1, 2, 3]], "X", n_cols=2)
    with pytest.raises(ValueError, match=r"X: expected at least one row and one column, got shape \(0, 2\)"):
        as_matrix(np.zeros((0, 2)), "X")
    with pytest.raises(ValueError, match=r"X: expected a 2-D array, got shape \(\)"):
        as_matrix(1.0, "X")


def test_same_shape():
    same_shape(np.zeros((2, 1)), np.ones((2, 1)), "a", "b")
    with pytest.raises(ValueError, match=r"a has shape \(2, 1\) but b has shape \(2,\); they must match"):
        same_shape(np.zeros((2, 1)), np.zeros(2), "a", "b")


# ---- scalars ------------------------------------------------------------------------------------------


def test_positive_int():
    assert positive_int(np.int64(3), "n") == 3 and type(positive_int(np.int64(3), "n")) is int
    assert positive_int(0, "n", allow_zero=True) == 0
    with pytest.raises(ValueError, match="n: expected an integer >= 1, got 0"):
        positive_int(0, "n")
    with pytest.raises(ValueError, match="n: expected an integer >= 0, got -2"):
        positive_int(-2, "n", allow_zero=True)
    with pytest.raises(TypeError, match="n: expected an integer, got bool"):
        positive_int(True, "n")
    with pytest.raises(TypeError, match="n: expected an integer, got float"):
        positive_int(3.0, "n")


def test_finite_number():
    assert finite_number(np.float32(0.5), "x") == 0.5 and finite_number(-2, "x") == -2.0
    with pytest.raises(TypeError, match="x: expected a real number, got bool"):
        finite_number(False, "x")
    with pytest.raises(TypeError, match="x: expected a real number, got complex"):
        finite_number(1j, "x")
    with pytest.raises(ValueError, match="x: expected a finite number, got -inf"):
        finite_number(-np.inf, "x")
    with pytest.raises(ValueError, match="x: expected a number > 0, got -1.0"):
        finite_number(-1, "x", positive=True)


# ---- nothing broadcasts silently ----------------------------------------------------------------------


def test_a_column_target_against_a_flat_one_is_refused_everywhere():
    """(m, 1) against (m,) or (1, m) would broadcast to (m, m); each entry point refuses instead."""
    col, flat, row = np.zeros((4, 1)), np.zeros(4), np.zeros((1, 4))
    with pytest.raises(ValueError, match=r"y_true: expected a 2-D array, got shape \(4,\)"):
        get_loss("mse").fn(col, flat)
    with pytest.raises(ValueError, match=r"y_pred has shape \(4, 1\) but y_true has shape \(1, 4\)"):
        get_loss("mse").grad(col, row)
    with pytest.raises(ValueError, match=r"grad_out has shape \(1, 4\) but z has shape \(4, 1\)"):
        get_activation("tanh").backward(col, row)
    net = Network.from_weights([np.ones((2, 1))], "sigmoid")
    with pytest.raises(ValueError, match=r"Y: expected a 2-D array, got shape \(4,\)"):
        net.fit(np.ones((4, 2)), flat)
    with pytest.raises(ValueError, match=r"Y: expected shape \(m, 1\), got \(1, 4\)"):
        net.fit(np.ones((4, 2)), row)
