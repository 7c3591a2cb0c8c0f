"""The claims registry: ``tests/claims/*.yaml``, one file per tutorial, one entry per claim.

Each file has ``source`` (the seed file name), ``title``, and ``claims``: a list of entries
with the fields in ``FIELDS``. The registry is data: the tests, the meta-tests and the docs
site all read it through :func:`load_claims`.

The rubric (docs/rubric.md) adds four judgements to every entry: ``kind``, the kind of
statement (``KINDS``); ``strength``, how the verdict was reached (``STRENGTHS``); ``cause``, for
every refuted or qualified claim, the mistake behind it (``CAUSES``); and ``quiz`` for quiz
statements. ``consistency`` says why a claim's verdict differs from another claim's with the
same cause and kind; ``same_as`` links claims that make the same statement in other words (one
verdict for all of them, whatever their kinds).

Issue 18 adds (validated in :mod:`nnspec.judgement`): ``certainty`` (how sure the verdict is,
separate from ``strength``; ``certainty_why`` when it is not high), ``severity`` (what the mistake
costs a learner, on every refuted or qualified claim), ``history`` (verdict changes, dated and
explained) and ``seed_rate`` (for a verdict that rests on a rate over random seeds: the share of
seeds in which the statement is true, judged against the rubric's threshold).

``true_instead`` says in one or two sentences what is true instead (:mod:`nnspec.true_instead`:
required on refuted claims, allowed on qualified ones, checked as each entry loads).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from nnspec import content, judgement, true_instead

CLAIMS_DIR = content.CLAIMS
SEEDS_DIR = content.SEEDS

VERDICTS = ("holds", "refuted", "qualified", "out-of-scope")
FIELDS = ("id", "section", "quote", "verdict", "explanation")
OPTIONAL_FIELDS = (
    "oracles",
    "reference_only",
    "measured",
    "cause",
    "kind",
    "strength",
    "quiz",
    "consistency",
    "true_instead",
    *judgement.FIELDS,
)
ORACLES = ("symbolic", "printed", "property", "statistical", "regression", "transcription")
NEEDS_CAUSE = ("refuted", "qualified")

STRENGTHS = {
    "symbolic": "proved symbolically (SymPy derives the formula the verdict rests on)",
    "exact": "reproduced exactly (the tutorial's program, numbers or a counterexample, run)",
    "statistical": "measured statistically (over many seeds or repeats, rates with a 95% Wilson interval)",
    "reading": "by reading only (out of scope: nothing to compute)",
}

KINDS = {
    "formula": "a formula or derivation",
    "number": "a worked number or a number the text states",
    "printed-output": "what a program prints",
    "code-behaviour": "what code does when it runs (runs, fails, returns)",
    "code-comment": "what the text or a comment says a line of code does",
    "architecture": "the layers and sizes of a network",
    "concept": "a general statement about networks, functions or Python",
    "training": "what training achieves (convergence, accuracy, loss)",
    "speed": "how fast one way of computing is against another",
    "advice": "an opinion, advice or a statement about practice",
    "terminology": "what a term means",
    "background": "history, biology, or facts about other software and hardware",
    "elsewhere": "a statement about an image or page that the text does not contain",
}

CAUSES = {
    "output-layer-called-hidden": "The output layer is called hidden, so a network gets a hidden layer too many",
    "sign-of-error": "A sign written the wrong way round (target minus prediction, a derivative)",
    "arithmetic": "A worked calculation gives a wrong number",
    "python-2": "Python 2 code (print statement, xrange, round of an array): it ran in its era, not in Python 3",
    "broken-code": "Code that fails or computes the wrong thing in any Python (syntax, missing self, undefined names)",
    "shape": "Array shapes or the samples-as-rows/columns layout stated or used wrongly",
    "text-contradicts-code": "The text or a comment describes a number, order or step the code does differently",
    "wrong-gradient": "A backward pass fed or returning the wrong quantity",
    "unseeded-output": "Printed numbers from an unstated random seed: possible values, not reproduced",
    "output-of-other-data": "Printed output the code shown cannot produce (it came from other data)",
    "loss-mismatch": "The loss named or printed is not the loss the update descends",
    "overstatement": "True only under conditions the text leaves out (step size, data, seeds, exact arithmetic)",
    "misconception": "A statement about how networks work that is false on every reasonable reading",
    "loose-wording": "Imprecise wording: the charitable reading holds, the literal one would mislead",
    "code-pitfall": "Code that gives the right values with a hidden hazard (side effect, shared default)",
    "training-settings": "The program's settings (learning rate, iterations, preprocessing) cannot train its network",
}


@dataclass(frozen=True)
class Claim:
    id: str
    source: str
    title: str
    section: str
    quote: str
    verdict: str
    explanation: str
    oracles: tuple[str, ...] = ()
    reference_only: bool = False
    measured: str = ""
    cause: str = ""
    kind: str = ""
    strength: str = ""
    quiz: bool = False
    consistency: str = ""
    true_instead: str = ""
    certainty: str = ""
    certainty_why: str = ""
    severity: str = ""
    history: tuple[judgement.Change, ...] = ()
    seed_rate: tuple[int, int] | None = None
    same_as: tuple[str, ...] = ()

    @property
    def testable(self) -> bool:
        return self.verdict != "out-of-scope"

    @property
    def tutorial(self) -> str:
        """The three-digit tutorial number, e.g. '000'."""
        return self.source[:3]


class RegistryError(ValueError):
    pass


def _entries(path: Path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or not {"source", "title", "claims"} <= set(doc):
        raise RegistryError(f"{path.name}: expected the keys source, title and claims")
    for i, entry in enumerate(doc["claims"] or []):
        where = f"{path.name} entry {i} ({entry.get('id', '?') if isinstance(entry, dict) else '?'})"
        if not isinstance(entry, dict):
            raise RegistryError(f"{where}: expected a mapping")
        missing = [f for f in FIELDS if not str(entry.get(f, "")).strip()]
        if missing:
            raise RegistryError(f"{where}: missing or empty {missing}")
        unknown = set(entry) - set(FIELDS) - set(OPTIONAL_FIELDS)
        if unknown:
            raise RegistryError(f"{where}: unknown fields {sorted(unknown)}")
        if entry["verdict"] not in VERDICTS:
            raise RegistryError(f"{where}: verdict {entry['verdict']!r} is not one of {VERDICTS}")
        oracles = tuple(entry.get("oracles") or ())
        if set(oracles) - set(ORACLES):
            raise RegistryError(f"{where}: unknown oracles {sorted(set(oracles) - set(ORACLES))}")
        _check_rubric(where, entry)
        for problem in true_instead.problems(entry["verdict"], entry.get("true_instead", "")):
            raise RegistryError(f"{where}: {problem}")
        yield Claim(
            id=str(entry["id"]),
            source=doc["source"],
            title=doc["title"],
            section=str(entry["section"]).strip(),
            quote=str(entry["quote"]).strip(),
            verdict=entry["verdict"],
            explanation=" ".join(str(entry["explanation"]).split()),
            oracles=oracles,
            reference_only=bool(entry.get("reference_only", False)),
            measured=" ".join(str(entry.get("measured", "")).split()),
            cause=str(entry.get("cause", "")),
            kind=str(entry.get("kind", "")),
            strength=str(entry.get("strength", "")),
            quiz=bool(entry.get("quiz", False)),
            consistency=" ".join(str(entry.get("consistency", "")).split()),
            true_instead=" ".join(str(entry.get("true_instead", "")).split()),
            **judgement.parse(where, entry),
        )


def _check_rubric(where: str, entry: dict) -> None:
    """cause iff refuted or qualified; kind for every claim; strength 'reading' iff out of scope."""
    verdict, cause = entry["verdict"], entry.get("cause")
    if (verdict in NEEDS_CAUSE) != bool(cause):
        raise RegistryError(f"{where}: a cause is required for {NEEDS_CAUSE} claims and only for them")
    if cause and cause not in CAUSES:
        raise RegistryError(f"{where}: cause {cause!r} is not one of {sorted(CAUSES)}")
    if entry.get("kind") not in KINDS:
        raise RegistryError(f"{where}: kind {entry.get('kind')!r} is not one of {sorted(KINDS)}")
    strength = entry.get("strength")
    if strength not in STRENGTHS:
        raise RegistryError(f"{where}: strength {strength!r} is not one of {sorted(STRENGTHS)}")
    if (strength == "reading") != (verdict == "out-of-scope"):
        raise RegistryError(f"{where}: strength 'reading' is for out-of-scope claims, and only for them")
    if strength == "statistical" and not re.search(r"\b(seeds?|repeats|draws)\b", str(entry.get("measured", "")), re.I):
        raise RegistryError(f"{where}: a statistical verdict needs 'measured' naming its seeds (or repeats)")
    if not isinstance(entry.get("quiz", False), bool):
        raise RegistryError(f"{where}: quiz must be true or false")
    try:
        judgement.check(where, entry)
    except judgement.JudgementError as exc:
        raise RegistryError(str(exc)) from None


@cache
def load_claims() -> dict[str, Claim]:
    """All claims by id, in file order; raises RegistryError on a malformed entry or a repeated id."""
    claims: dict[str, Claim] = {}
    for path in sorted(CLAIMS_DIR.glob("*.yaml")):
        for claim in _entries(path):
            if claim.id in claims:
                raise RegistryError(f"claim id {claim.id!r} appears twice")
            claims[claim.id] = claim
    for claim in claims.values():
        unknown = [cid for cid in claim.same_as if cid not in claims or cid == claim.id]
        if unknown:
            raise RegistryError(f"{claim.id}: same_as names unknown claims (or itself): {unknown}")
    return claims


def same_statement_groups(claims) -> list[list[Claim]]:
    """Claims joined by ``same_as`` links (connected components with two or more claims), in file order.

    A union-find over the links (a few lines; no graph library is needed for a few hundred claims).
    """
    claims = list(claims)
    parent = {c.id: c.id for c in claims}

    def root(cid: str) -> str:
        while parent[cid] != cid:
            parent[cid] = parent[parent[cid]]
            cid = parent[cid]
        return cid

    for claim in claims:
        for other in claim.same_as:
            if other in parent:
                parent[root(other)] = root(claim.id)
    groups: dict[str, list[Claim]] = {}
    for claim in claims:
        groups.setdefault(root(claim.id), []).append(claim)
    return [group for group in groups.values() if len(group) > 1]


def totals_by_cause(claims: dict[str, Claim] | None = None) -> dict[str, Counter]:
    """Claims per cause: ``{"000": Counter({cause: n}), ..., "all": Counter(...)}``, most frequent first."""
    claims = load_claims() if claims is None else claims
    totals: dict[str, Counter] = {"all": Counter()}
    for claim in claims.values():
        totals.setdefault(claim.tutorial, Counter())
        if claim.cause:
            totals[claim.tutorial][claim.cause] += 1
            totals["all"][claim.cause] += 1
    return {key: Counter(dict(counter.most_common())) for key, counter in sorted(totals.items())}
