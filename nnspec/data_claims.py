"""Claims about the data a tutorial's program prepares, judged from the data a learner's program holds.

Tutorial 001 scales its data before training (X by each column's maximum, y by 100) and says the query
must be scaled "as we did with our input". No protocol function sees that step, so a program that skips
it would pass every check. Its shape (nnspec.shapes.seed001) reports the arrays ``X``, ``y`` and
``xPredicted`` as the program's top level leaves them (over the wire: the start message's ``data``);
here the harness judges them:

- **001.scale-by-maximum**: every column of X lies in [0, 1] with maximum 1 (each divided by its own
  maximum) and y lies in [0, 1] (divided by 100, the top score, or by its largest value: both are what
  the claim and the code do). X scaled into [0, 1] some other way is a note; X or y with values above 1
  is WRONG (a sigmoid output cannot reach 92).
- **001.query-scaled-as-training**: when X is the tutorial's table divided column by column by some
  numbers d, the query must be (4, 8) / d. The query divided by its own maximum (the tutorial's line,
  001.query-scaled-by-own-maximum) or not divided at all is WRONG.

A verdict is given only where the data say it: an array that is absent, of another shape, not the
tutorial's table, or divided in code the check does not run (a loop, a ``__main__`` block) leaves its
claim not checked, saying why.
"""

from __future__ import annotations

import numpy as np

from reference_nn.datasets import exam_scores

SCALE, QUERY = "001.scale-by-maximum", "001.query-scaled-as-training"
CLAIMS = (SCALE, QUERY)
NOTE = "note: "
NOT_JUDGED = "not checked: "  # a claim the data do not decide (reported as not checked, with the reason)
UNSEEN = {
    "scale": "the check reads the data as the program's top level leaves them, in the tutorial's names X and y; "
    "here they are absent, or divided where the check does not run (a loop, the __main__ block)",
    "query": "the check judges the query when the top level leaves the tutorial's table as X (scaled or not) and "
    "the query (4, 8), scaled or not, as xPredicted (the tutorial's names); here it does not",
}
EXACT = dict(rtol=1e-9, atol=1e-12)  # the data are a few numbers divided once: only rounding differs


def _shown(values) -> str:
    return "(" + ", ".join(f"{v:.4g}" for v in np.ravel(values)) + ")"


def verdicts(chapter: str, data: dict) -> dict[str, str | None]:
    """{claim: None (right), a reason starting with "note: " (right, with a note), one starting with
    "not checked: " (the data do not decide it) or any other reason (WRONG)}; {} for other chapters."""
    if chapter != "001" or not isinstance(data, dict):
        return {}
    arrays = {k: np.asarray(v, dtype=np.float64) for k, v in data.items() if isinstance(v, np.ndarray)}
    later = set(data.get("scaled_where_not_run") or [])
    scale = _scaling(arrays.get("X"), arrays.get("y"), later)
    query = _query(arrays.get("X"), arrays.get("xPredicted"), later)
    return {
        SCALE: NOT_JUDGED + UNSEEN["scale"] if scale is False else scale,
        QUERY: NOT_JUDGED + UNSEEN["query"] if query is False else query,
    }


def _scaling(X, y, later: set[str]):
    """The verdict on 001.scale-by-maximum, or False when the data do not decide it."""
    wrong, notes = [], []
    if X is not None and X.ndim == 2 and X.size and np.all(np.isfinite(X)):
        maxima = X.max(axis=0)
        if X.min() >= 0 and np.allclose(maxima, 1.0, **EXACT):
            pass
        elif X.min() >= 0 and X.max() <= 1:
            notes.append(
                f"X lies in [0, 1] but its columns' maxima are {_shown(maxima)}, not 1: the tutorial divides each "
                "column by its own maximum, X / np.amax(X, axis=0)"
            )
        elif "X" in later:
            return False
        else:
            wrong.append(
                f"X is not scaled: its columns' largest values are {_shown(maxima)}; divide each column by its "
                "maximum, X / np.amax(X, axis=0), as the tutorial does"
            )
    if y is not None and y.size and np.all(np.isfinite(y)):
        if y.min() < 0 or y.max() > 1:
            if "y" in later:
                return False
            wrong.append(
                f"y is not scaled: its largest value is {y.max():.4g}, but the network's sigmoid output lies "
                "between 0 and 1; divide y by 100 (the top score) as the tutorial does, or by its maximum"
            )
    elif X is None:
        return False
    if wrong:
        return "; ".join(wrong)
    return NOTE + "; ".join(notes) if notes else None


def _query(X, query, later: set[str]):
    """The verdict on 001.query-scaled-as-training, or False when the data do not decide it."""
    raw_X, _, raw_query = exam_scores()
    raw_query = raw_query.ravel()
    if X is None or query is None or X.shape != raw_X.shape or query.size != raw_query.size or np.any(X <= 0):
        return False
    divisors = raw_X / X  # X = the table / d, column by column, for the program's own divisors d
    if not np.allclose(divisors, divisors[0], **EXACT):
        return False  # not the tutorial's table
    expected = raw_query / divisors[0]
    query = query.ravel()
    if np.allclose(query, expected, **EXACT):
        return None
    if np.allclose(query, raw_query / raw_query.max(), **EXACT):
        return (
            f"the query is divided by its own maximum, {raw_query.max():g}, giving {_shown(query)}, as the tutorial's "
            f"code does (001.query-scaled-by-own-maximum); scale it as the training inputs were, by "
            f"{_shown(divisors[0])}: {_shown(expected)}"
        )
    if np.allclose(query, raw_query, **EXACT) and "xPredicted" not in later:
        return (
            f"the query {_shown(query)} is not scaled, but the network was trained on inputs divided by "
            f"{_shown(divisors[0])}; divide it by the same: {_shown(expected)}"
        )
    return False  # a query of its own, or scaled where the check does not run
