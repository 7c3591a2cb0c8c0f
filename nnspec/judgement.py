"""The judgement fields of a claim (docs/rubric.md, issue 18): certainty, severity, history, seed rate, same-as.

- ``certainty``: ``high`` | ``medium`` | ``low``, how sure the verdict is, separate from ``strength``
  (how it was reached). Anything below high says why in ``certainty_why``.
- ``severity``: on every refuted or qualified claim, what the mistake costs a learner who follows the
  text (``SEVERITIES``), separate from the verdict.
- ``history``: the verdict's changes, each ``{date: YYYY-MM-DD, from: verdict, to: verdict, why: text}``,
  oldest first; the last ``to`` is the current verdict. An entry with ``from`` equal to ``to`` records a
  re-judgement that kept the verdict, with its reason.
- ``seed_rate``: ``"k/n"``, for a verdict that rests on a rate over random seeds: in k of n seeds the
  statement is true as written. The verdict must be the one :func:`seed_verdict` gives.
- ``same_as``: ids of claims that make the same statement (in another chapter or under another kind);
  the registry's tests require one verdict for all of them.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from nnspec.stats import wilson

FIELDS = ("certainty", "certainty_why", "severity", "history", "seed_rate", "same_as")
CERTAINTIES = ("high", "medium", "low")
SEVERITIES = {
    "breaks-program": "would break your program: it fails to run, or runs and cannot do its job",
    "wrong-result": "your program runs but computes a wrong number, shape or gradient",
    "misleading": "you would believe or explain something false about networks, though your code may be right",
    "loose-wording": "imprecise wording; read as meant it is true, and nothing you compute changes",
}
VERDICTS_JUDGED = ("holds", "refuted", "qualified", "out-of-scope")
NEEDS_SEVERITY = ("refuted", "qualified")

# The rubric's threshold for seed-dependent claims (docs/rubric.md, "Claims that depend on the seed").
HOLDS_AT = 0.99  # holds when the 95% Wilson lower bound of the success rate is at least this
REFUTED_BELOW = 0.5  # refuted when the upper bound is below this: most runs contradict the statement
RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class JudgementError(ValueError):
    pass


@dataclass(frozen=True)
class Change:
    date: str
    old: str  # "from" in the YAML
    new: str  # "to" in the YAML
    why: str

    @property
    def kept(self) -> bool:
        """A re-judgement that kept the verdict."""
        return self.old == self.new


def seed_verdict(k: int, n: int) -> str:
    """'holds' | 'qualified' | 'refuted' | 'undecided' for k successes in n seeds (thresholds above).

    holds: the Wilson lower bound is at least HOLDS_AT; refuted: the upper bound is below REFUTED_BELOW;
    qualified: the whole interval lies between the two; undecided: it straddles one (measure more seeds).
    """
    low, high = wilson(k, n)
    if low >= HOLDS_AT:
        return "holds"
    if high < REFUTED_BELOW:
        return "refuted"
    if high < HOLDS_AT and low >= REFUTED_BELOW:
        return "qualified"
    return "undecided"


def _rate(where: str, text) -> tuple[int, int]:
    match = RATE.match(str(text))
    if not match or int(match[2]) == 0 or int(match[1]) > int(match[2]):
        raise JudgementError(f"{where}: seed_rate must be 'k/n' with 0 <= k <= n, n > 0, got {text!r}")
    return int(match[1]), int(match[2])


def _changes(where: str, entry: dict) -> tuple[Change, ...]:
    raw = entry.get("history") or []
    if not isinstance(raw, list):
        raise JudgementError(f"{where}: history must be a list of {{date, from, to, why}}")
    changes = []
    for item in raw:
        if not isinstance(item, dict) or set(item) != {"date", "from", "to", "why"}:
            raise JudgementError(f"{where}: each history entry needs exactly date, from, to and why")
        try:
            datetime.date.fromisoformat(str(item["date"]))
        except ValueError:
            raise JudgementError(f"{where}: history date {item['date']!r} is not YYYY-MM-DD") from None
        if item["from"] not in VERDICTS_JUDGED or item["to"] not in VERDICTS_JUDGED:
            raise JudgementError(f"{where}: history from/to must be verdicts {VERDICTS_JUDGED}")
        if len(" ".join(str(item["why"]).split())) < 20:
            raise JudgementError(f"{where}: history 'why' must give the reason in a sentence")
        changes.append(Change(str(item["date"]), item["from"], item["to"], " ".join(str(item["why"]).split())))
    dates = [c.date for c in changes]
    if dates != sorted(dates):
        raise JudgementError(f"{where}: history entries must be oldest first")
    if changes and changes[-1].new != entry["verdict"]:
        raise JudgementError(f"{where}: the last history entry must end at the current verdict {entry['verdict']!r}")
    return tuple(changes)


def check(where: str, entry: dict) -> None:
    """Raises JudgementError when certainty, severity, history or seed_rate break the rubric."""
    verdict = entry["verdict"]
    certainty = entry.get("certainty")
    if certainty not in CERTAINTIES:
        raise JudgementError(f"{where}: certainty {certainty!r} is not one of {CERTAINTIES}")
    if (certainty != "high") != bool(str(entry.get("certainty_why", "")).strip()):
        raise JudgementError(f"{where}: certainty_why says why a certainty is below high (and only then)")
    severity = entry.get("severity")
    if (verdict in NEEDS_SEVERITY) != bool(severity):
        raise JudgementError(f"{where}: a severity is required for {NEEDS_SEVERITY} claims and only for them")
    if severity and severity not in SEVERITIES:
        raise JudgementError(f"{where}: severity {severity!r} is not one of {sorted(SEVERITIES)}")
    _changes(where, entry)
    if entry.get("seed_rate") is not None:
        k, n = _rate(where, entry["seed_rate"])
        band = seed_verdict(k, n)
        if band == "undecided":
            raise JudgementError(f"{where}: seed_rate {k}/{n} straddles a threshold: measure more seeds")
        if band != verdict:
            raise JudgementError(f"{where}: seed_rate {k}/{n} makes the claim {band}, not {verdict} (docs/rubric.md)")
        if not re.search(rf"\b{k:,}/{n:,}\b|\b{k}/{n}\b", " ".join(str(entry.get("measured", "")).split())):
            raise JudgementError(f"{where}: seed_rate {k}/{n} must be the rate 'measured' reports")
    same_as = entry.get("same_as") or []
    if not isinstance(same_as, list) or not all(isinstance(c, str) for c in same_as):
        raise JudgementError(f"{where}: same_as must be a list of claim ids")


def parse(where: str, entry: dict) -> dict:
    """The Claim fields for an entry :func:`check` accepted."""
    rate = entry.get("seed_rate")
    return {
        "certainty": str(entry.get("certainty", "")),
        "certainty_why": " ".join(str(entry.get("certainty_why", "")).split()),
        "severity": str(entry.get("severity", "") or ""),
        "history": _changes(where, entry),
        "seed_rate": _rate(where, rate) if rate is not None else None,
        "same_as": tuple(entry.get("same_as") or ()),
    }
