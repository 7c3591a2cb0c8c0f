"""The ``true_instead`` field of a claim: what is true instead, in one or two whole sentences.

Required on every refuted claim, allowed on a qualified one, and on no other (a claim that holds needs
no correction). The book shows it in each chapter's "At a glance" in place of a cut-off explanation, so
it must stand alone: at most ``LIMIT`` characters, beginning with a capital letter (or a formula or code
span) and ending with a period, one or two sentences, math as TeX between ``$...$``.
"""

from __future__ import annotations

import re

from nnspec.plain_math import CODE, MATH

LIMIT = 240
REQUIRED_FOR = ("refuted",)
ALLOWED_FOR = ("refuted", "qualified")

# Refuted claims that issue 18's branch (content) re-judges and writes the field for; they are checked
# like every other claim as soon as they carry one. tests/test_prose.py fails once any of them has it or
# is no longer refuted, so the list only shrinks and is removed when content's work is merged.
AWAITING_CONTENT = (
    "003.errors-on-the-line",
    "001.weights-between-0-and-1",
    "001.query-scaled-as-training",
    "001.only-more-accurate",
)

_SPANS = re.compile(f"{CODE.pattern}|{MATH.pattern}")
# a sentence ends at a period (not an abbreviation, a decimal point or an id's dot) before a capital
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)\.\s+(?=[A-Z$`(])")


def problems(verdict: str, text: str, claim_id: str = "") -> list[str]:
    """What is wrong with a claim's ``true_instead`` (an empty list when nothing is)."""
    text = " ".join(str(text or "").split())
    if not text:
        needed = verdict in REQUIRED_FOR and claim_id not in AWAITING_CONTENT
        return [f"a {verdict} claim needs true_instead"] if needed else []
    if verdict not in ALLOWED_FOR:
        return [f"true_instead is for {' and '.join(ALLOWED_FOR)} claims, not {verdict} ones"]
    found = []
    if len(text) > LIMIT:
        found.append(f"true_instead has {len(text)} characters, more than {LIMIT}")
    prose = _SPANS.sub("X", text)
    if not re.match(r"[A-Z0-9X(]", prose):
        found.append("true_instead must begin a sentence (a capital letter, a number, a formula or code)")
    if not prose.endswith(".") or prose.endswith(".."):
        found.append("true_instead must end with a period (whole sentences, no '...')")
    if len(_SENTENCE_END.findall(prose)) > 1:
        found.append("true_instead must be one or two sentences")
    return found
