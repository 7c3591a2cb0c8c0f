"""Optional: what scikit-learn itself does with tutorial 002's last line (claim 002.accuracy-of-probabilities).

scikit-learn is not a test dependency. The spec test (tests/spec/test_seed002.py) checks the property the
claim rests on (predict returns a float matrix of probabilities, not labels); the registry's ``measured``
records scikit-learn 1.9.1's ValueError messages. Where scikit-learn is installed, this re-measures them.
"""

from __future__ import annotations

import pytest

from reference_nn.tutorials import seed002 as tut
from tests.golden.authoring import seed002 as iris_cases


def test_accuracy_score_rejects_the_lessons_probabilities_in_either_layout_and_order():
    metrics = pytest.importorskip("sklearn.metrics")
    _, _, X_test, labels = iris_cases.iris_split(standardise=True)
    pred = tut.iris_network(0).predict(X_test.T)
    for layout in (pred, pred.T):
        for args in ((layout, labels), (labels, layout)):
            with pytest.raises(ValueError, match="inconsistent numbers of samples|can't handle a mix"):
                metrics.accuracy_score(*args)
    assert 0 <= metrics.accuracy_score(labels, pred.argmax(axis=0)) <= 1  # with labels it works
