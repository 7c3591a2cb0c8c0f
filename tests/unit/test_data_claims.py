"""Tutorial 001's data claims judged from the data a learner's program holds (nnspec.data_claims), and those
data (with the program's notes) carried by the wire's start message in its schema's format."""

from __future__ import annotations

import numpy as np
import pytest

from nnspec import data_claims
from nnspec.wire import check, serve

TABLE = np.array([[2.0, 9.0], [1.0, 5.0], [3.0, 6.0]])
SCORES = np.array([[92.0], [86.0], [89.0]])
QUERY = np.array([4.0, 8.0])
SCALE, QUERY_CLAIM = data_claims.SCALE, data_claims.QUERY


def judge(**data):
    return data_claims.verdicts("001", data)


def test_the_tutorials_scaling_is_right_and_its_query_divided_by_its_own_maximum_is_not():
    verdict = judge(X=TABLE / TABLE.max(axis=0), y=SCORES / 100, xPredicted=QUERY / QUERY.max())
    assert verdict[SCALE] is None
    assert verdict[QUERY_CLAIM].startswith("the query is divided by its own maximum, 8")


def test_the_query_scaled_as_the_training_inputs_is_right_whatever_the_divisors():
    assert judge(X=TABLE / TABLE.max(axis=0), y=SCORES / 92, xPredicted=QUERY / [3, 9]) == {
        SCALE: None,
        QUERY_CLAIM: None,
    }
    # X divided by its largest value overall: a note on the scaling, and a query scaled the same way is consistent
    verdict = judge(X=TABLE / 9, y=SCORES / 100, xPredicted=QUERY / 9)
    assert verdict[SCALE].startswith("note: X lies in [0, 1] but its columns' maxima are (0.3333, 1)")
    assert verdict[QUERY_CLAIM] is None


def test_data_not_scaled_are_wrong_and_an_unscaled_query_beside_them_is_consistent():
    verdict = judge(X=TABLE, y=SCORES, xPredicted=QUERY)
    assert "X is not scaled: its columns' largest values are (3, 9)" in verdict[SCALE]
    assert "y is not scaled: its largest value is 92" in verdict[SCALE]
    assert verdict[QUERY_CLAIM] is None
    verdict = judge(X=TABLE / TABLE.max(axis=0), y=SCORES / 100, xPredicted=QUERY)
    assert verdict == {SCALE: None, QUERY_CLAIM: verdict[QUERY_CLAIM]}
    assert (
        verdict[QUERY_CLAIM].startswith("the query (4, 8) is not scaled") and "(1.333, 0.8889)" in verdict[QUERY_CLAIM]
    )


def unjudged(verdict: dict) -> set[str]:
    return {cid for cid, why in verdict.items() if why and why.startswith(data_claims.NOT_JUDGED)}


def test_what_the_data_do_not_say_is_not_checked_saying_why():
    assert unjudged(judge()) == {SCALE, QUERY_CLAIM}
    assert "in the tutorial's names X and y" in judge()[SCALE]
    assert data_claims.verdicts("004", {"X": TABLE}) == {}
    assert unjudged(judge(X=TABLE, y=SCORES, scaled_where_not_run=["X", "y"])) == {SCALE, QUERY_CLAIM}
    other = np.array([[1.0, 2.0], [2.0, 4.0], [4.0, 1.0]])  # not the tutorial's table: its query is its own
    assert unjudged(judge(X=other / 4, y=SCORES / 100, xPredicted=QUERY)) == {QUERY_CLAIM}


@pytest.mark.parametrize("query", [QUERY / [3, 9], QUERY])
def test_a_programs_data_and_notes_travel_in_the_start_message_in_the_schemas_format(tmp_path, query):
    program = tmp_path / "mine.py"
    program.write_text(
        "import numpy as np\n"
        f"X = np.array({TABLE.tolist()}) / [3, 9]\ny = np.array({SCORES.tolist()}) / 100\n"
        f"xPredicted = np.array({query.tolist()})\n"
        "class Neural_Network:\n"
        "    def __init__(self):\n        self.W1, self.W2 = np.zeros((2, 3)), np.zeros((3, 1))\n"
        "    def forward(self, X): return self.sigmoid(self.sigmoid(X @ self.W1) @ self.W2)\n"
        "    def sigmoid(self, s): return 1 / (1 + np.exp(-s))\n"
        "    def sigmoidPrime(self, s): return s * (1 - s)\n"
        "    def backward(self, X, y, o):\n"
        "        d = (y - o) * o * (1 - o) * 0.5\n"
        "        h = self.sigmoid(X @ self.W1)\n"
        "        self.W1 += X.T @ ((d @ self.W2.T) * h * (1 - h) )\n"
        "        self.W2 += h.T @ d\n",
        encoding="utf-8",
    )
    spec = f"tutorial:001={program}"
    adapter = serve.load(spec)
    message = {"ready": True, "version": 1, "implementation": serve.identity(adapter, spec)}
    wire = serve.protocol.loads(serve.protocol.dumps(message))
    assert not list(check.validator("from_implementation").iter_errors(wire))
    info = wire["implementation"]
    assert info["notes"] == [
        "the update uses a learning rate of its own, 0.5 (the tutorial's is 1): checked at that rate"
    ]
    data = serve.protocol.decode(info["data"])
    np.testing.assert_allclose(data["xPredicted"], query)
    assert (data_claims.verdicts("001", data)[QUERY_CLAIM] is None) == (query is not QUERY)
