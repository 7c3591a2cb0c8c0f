"""A tiny specification for testing the conformance machinery (run by test_machinery.py only).

Its file name does not match test_*.py, so a normal run does not collect it. The claim ids come
from $CONFORMANCE_SAMPLE_CLAIMS (names=ids, comma separated), chosen from the real registry by the
test that runs this file, so the sample never depends on one tutorial's wording.
"""

import os

import numpy as np
import pytest

CLAIMS = dict(pair.split("=") for pair in os.environ.get("CONFORMANCE_SAMPLE_CLAIMS", "").split(",") if pair)
Z = np.linspace(-5, 5, 11)


@pytest.mark.claim(CLAIMS.get("values", "000.sigmoid-derivative-from-output"))
def test_values(impl):
    np.testing.assert_allclose(impl.activation("sigmoid", Z), 1 / (1 + np.exp(-Z)), err_msg="sigmoid values")


@pytest.mark.claim(CLAIMS.get("training", "000.sigmoid-derivative-from-output"))
def test_training(impl):
    X, Y = np.eye(2), np.array([[0.0], [1.0]])
    result = impl.train(X, Y, [np.zeros((2, 1))], [None], ["sigmoid"], "half_sse", 1.0, 5)
    assert np.all(np.diff(result["losses"]) < 0)


@pytest.mark.claim(CLAIMS.get("reference_only", "000.sigmoid-derivative-from-output"))
def test_reference_only(impl):
    assert impl.activation("identity", Z).shape == Z.shape


@pytest.mark.claim(CLAIMS.get("independent", "000.sigmoid-derivative-from-output"))
def test_independent():
    assert np.exp(0.0) == 1.0


@pytest.mark.claim(CLAIMS.get("loss", "000.sigmoid-derivative-from-output"))
def test_loss(impl):
    assert impl.loss("mse", np.ones((2, 1)), np.zeros((2, 1))) == pytest.approx(1.0)


@pytest.mark.claim(CLAIMS.get("shared_a", "000.sigmoid-derivative-from-output"))
@pytest.mark.claim(CLAIMS.get("shared_b", "000.sigmoid-derivative-from-output"))
def test_shared(impl):
    np.testing.assert_array_equal(impl.activation("relu", Z), np.maximum(Z, 0))


@pytest.mark.claim(CLAIMS.get("tanh", "000.sigmoid-derivative-from-output"))
def test_tanh(impl):
    np.testing.assert_allclose(impl.activation("tanh", Z), np.tanh(Z), rtol=1e-12)


@pytest.mark.claim(CLAIMS.get("reference_only", "000.sigmoid-derivative-from-output"))
def test_reference_only_without_the_implementation():
    assert np.tanh(0.0) == 0.0  # the claim is reported as reference-only in validation mode
