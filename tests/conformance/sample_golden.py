"""A sample test with a regression golden (run by test_machinery.py only; not collected otherwise).

The golden's name comes from $CONFORMANCE_SAMPLE_GOLDEN (a file of pytest-regressions' data directory,
the plugin's ``original_datadir``: tests/golden/runs for the reference) and its claim id from
$CONFORMANCE_SAMPLE_CLAIMS (role "golden").
"""

import os

import numpy as np
import pytest

CLAIMS = dict(pair.split("=") for pair in os.environ.get("CONFORMANCE_SAMPLE_CLAIMS", "").split(",") if pair)


@pytest.mark.claim(CLAIMS.get("golden", "000.sigmoid-derivative-from-output"))
def test_golden(impl, num_regression):
    values = impl.activation("identity", np.arange(3.0))
    num_regression.check({"x": values}, basename=os.environ["CONFORMANCE_SAMPLE_GOLDEN"])
