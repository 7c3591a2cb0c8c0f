"""The adapter protocol's numbered rules (``tests/spec/rules.yaml``) and assertions that name them.

Every sentence of ``reference_nn/adapter.py`` that an implementation can keep or break is a rule
with a stable id (``R01``...). A test checks a rule with ``@pytest.mark.rule("R07")`` and fails
through :func:`fail`, :func:`check` or :func:`close`, whose messages start with the rule's id and
sentence, e.g. ``R19 (the derivative at a kink takes the left value ...): relu'(0) = 1, expected 0``;
so the first line of a failure, which the conformance report shows, names the rule.

Precision (:data:`RTOL`): a result agrees with the rule's formula, evaluated exactly, to a relative
error of 1e-12 plus an absolute error of 1e-15 times the function's scale. Derivation: float64's
unit roundoff is u = 2^-53 = 1.1e-16; a faithful evaluation of a formula of a few operations whose
condition number is at most c errs by about c u. The worst legitimate case the protocol allows is
a log-space sigmoid, exp(-log1p(e^-z)), whose condition number is |z| <= 1000 (|z| = 1000 is the
largest input the rules use), so c u <= 1.1e-13; 1e-12 leaves a factor of 9 for the few operations
around it. Cancellation near a zero of the function (1 - tanh^2 z for large |z|, p - y) is covered
by the absolute term: a few ulps of the function's scale (1 for the activations, |p| + |y| for the
losses). A mutant in these rules is off by far more (a factor, a sign, a missing term).
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import numpy as np
import yaml

from nnspec import content

RULES_FILE = content.RULES

#: relative and absolute (per unit of scale) tolerances of the rules; see the module docstring
RTOL = 1e-12
ATOL = 1e-15


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    functions: tuple[str, ...]

    def __str__(self):
        return f"{self.id} ({self.text})"


@cache
def load_rules() -> dict[str, Rule]:
    """All rules by id, in file order; raises ValueError on a malformed entry or a repeated id."""
    doc = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    rules: dict[str, Rule] = {}
    for entry in doc["rules"]:
        if set(entry) != {"id", "text", "functions"}:
            raise ValueError(f"{RULES_FILE.name}: rule {entry.get('id', '?')} needs exactly id, text, functions")
        if entry["id"] in rules:
            raise ValueError(f"{RULES_FILE.name}: rule id {entry['id']} appears twice")
        rules[entry["id"]] = Rule(entry["id"], " ".join(str(entry["text"]).split()), tuple(entry["functions"]))
    return rules


def rule(rule_id: str) -> Rule:
    return load_rules()[rule_id]


def fail(rule_id: str, detail: str):
    """Raise an AssertionError whose first line is ``Rnn (sentence): detail``."""
    raise AssertionError(f"{rule(rule_id)}: {detail}")


def check(condition, rule_id: str, detail: str) -> None:
    if not condition:
        fail(rule_id, detail)


def close(rule_id: str, what: str, actual, expected, rtol: float = RTOL, atol: float = 0.0) -> None:
    """``actual`` has ``expected``'s shape and matches it within rtol |expected| + atol, element-wise."""
    expected = np.asarray(expected, dtype=np.float64)
    try:
        actual = np.asarray(actual, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        fail(rule_id, f"{what}: not a numeric array ({exc})")
    check(actual.shape == expected.shape, rule_id, f"{what}: shape {actual.shape}, expected {expected.shape}")
    bound = rtol * np.abs(expected) + atol
    with np.errstate(invalid="ignore"):
        miss = np.abs(actual - expected)
        bad = ~(miss <= bound)  # NaN counts as a miss
    if bad.any():
        i = np.unravel_index(np.argmax(np.where(bad, np.nan_to_num(miss, nan=np.inf), -1.0)), expected.shape)
        where = f"[{', '.join(map(str, i))}]" if expected.ndim else ""
        fail(
            rule_id,
            f"{what}{where} = {actual[i]!r}, expected {expected[i]!r} "
            f"({int(bad.sum())} of {expected.size} entries off by more than {rtol:g} relative + {np.max(atol):g})",
        )


@contextmanager
def no_warnings(rule_id: str, what: str):
    """Run a call of the implementation; any warning it emits (overflow, log(0), ...) fails the rule."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    if caught:
        fail(rule_id, f"{what} warns: {caught[0].category.__name__}: {caught[0].message}")


def rules_markdown() -> str:
    """The rules as the Markdown table docs/implementers.md shows (a test keeps the two the same)."""
    lines = ["| rule | what an implementation must do | functions |", "| --- | --- | --- |"]
    for r in load_rules().values():
        text = r.text.replace("|", "\\|").replace("_", "\\_").replace("[", "\\[")
        lines.append(f"| {r.id} | {text} | {', '.join(f'`{f}`' for f in r.functions)} |")
    return "\n".join(lines)
