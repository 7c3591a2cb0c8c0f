"""Small labelled badges for verdicts, causes, strengths of evidence and test outcomes (styled in site.css)."""

from __future__ import annotations

import re

from nnspec import registry

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
    """The cause id, its description (the registry's ``CAUSES``) shown on hover."""
    if not cause:
        return ""
    title = escape(" ".join(str(getattr(registry, "CAUSES", {}).get(cause, cause)).split()))
    return f'<span class="badge cause" title="{title}">{escape(cause)}</span>'


def strength_badge(strength: str) -> str:
    """The short label (the registry's ``STRENGTHS`` describes each at length, shown on hover)."""
    label = STRENGTHS.get(strength, strength)
    long = " ".join(str(getattr(registry, "STRENGTHS", {}).get(strength, label)).split())
    return f'<span class="badge strength strength-{css_name(strength)}" title="{escape(long)}">{escape(label)}</span>'
