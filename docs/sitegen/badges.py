"""Small labelled badges for verdicts, causes, strengths of evidence and test outcomes (styled in site.css)."""

from __future__ import annotations

import re

from .prose import escape
from .spec_pages import OUTCOME_LABELS, VERDICT_LABELS

STRENGTHS = {
    "symbolic": "proved symbolically",
    "exact": "reproduced exactly",
    "statistical": "measured statistically",
    "reading": "by reading only",
}


def css_name(text: str) -> str:
    """A class-name-safe form of any label."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "none"


def verdict_badge(verdict: str) -> str:
    label = VERDICT_LABELS.get(verdict, verdict)
    return f'<span class="badge verdict-{css_name(verdict)}">{escape(label)}</span>'


def outcome_badge(outcome: str | None, title: str = "") -> str:
    """Any outcome string, escaped; the known ones get their label and colour."""
    label = OUTCOME_LABELS.get(outcome, outcome)
    title_attr = f' title="{escape(title)}"' if title else ""
    return f'<span class="badge outcome-{css_name(outcome or "not run")}"{title_attr}>{escape(str(label))}</span>'


def cause_badge(cause: str) -> str:
    return f'<span class="badge cause">{escape(cause)}</span>' if cause else ""


def strength_badge(strength: str) -> str:
    label = STRENGTHS.get(strength, strength)
    return f'<span class="badge strength strength-{css_name(strength)}">{escape(label)}</span>'
