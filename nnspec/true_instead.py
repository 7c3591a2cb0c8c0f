"""The ``true_instead`` field of a claim: what is true instead, in one or two whole sentences.

Required on every refuted claim, allowed on a qualified one, and on no other (a claim that holds needs
no correction). The book shows it in each chapter's "At a glance" in place of a cut-off explanation, so
it must stand alone: at most ``LIMIT`` characters, beginning with a word, a number, a formula or a code span
(not with punctuation) and ending with a period, one or two sentences, math as TeX between ``$...$``.
"""

from __future__ import annotations

import re

from nnspec.plain_math import CODE, MATH

LIMIT = 240
REQUIRED_FOR = ("refuted",)
ALLOWED_FOR = ("refuted", "qualified")

_SPANS = re.compile(f"{CODE.pattern}|{MATH.pattern}")
# a sentence ends at a period (not an abbreviation, a decimal point or an id's dot) before a capital
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)\.\s+(?=[A-Z$`(])")


def problems(verdict: str, text: str) -> list[str]:
    """What is wrong with a claim's ``true_instead`` (an empty list when nothing is)."""
    text = " ".join(str(text or "").split())
    if not text:
        return [f"a {verdict} claim needs true_instead"] if verdict in REQUIRED_FOR else []
    if verdict not in ALLOWED_FOR:
        return [f"true_instead is for {' and '.join(ALLOWED_FOR)} claims, not {verdict} ones"]
    found = []
    if len(text) > LIMIT:
        found.append(f"true_instead has {len(text)} characters, more than {LIMIT}")
    prose = _SPANS.sub("X", text)
    if not re.match(r"[A-Za-z0-9X(]", prose):  # sentence case is not asked: a sentence may open with `l1`
        found.append("true_instead must begin a sentence (a word, a number, a formula or code)")
    if not prose.endswith(".") or prose.endswith(".."):
        found.append("true_instead must end with a period (whole sentences, no '...')")
    if len(_SENTENCE_END.findall(prose)) > 1:
        found.append("true_instead must be one or two sentences")
    return found
