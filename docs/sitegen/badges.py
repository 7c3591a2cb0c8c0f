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


#: what the latest run of a claim's tests established, by verdict: a passing test of a refuted claim confirms
#: the refutation (it asserts what is true instead), so it never reads "passed" beside "refuted"
CONFIRMED = {"refuted": "refutation confirmed", "holds": "holds, checked", "qualified": "qualification confirmed"}


def last_run_words(verdict: str, outcome: str | None, running: bool = False) -> tuple[str, str]:
    """(the words, a class name) for a claim's last run."""
    if outcome == "passed":
        return CONFIRMED.get(verdict, "checked"), "run-confirmed"
    if outcome == "failed":
        return "its test fails: verdict not confirmed", "run-failed"
    if outcome == "skipped":
        return "skipped in the last run", "run-skipped"
    if outcome is None:
        return ("running now" if running else "not run yet"), "run-pending"
    return str(outcome), f"run-{css_name(outcome)}"


def last_run_badge(claim, spec) -> str:
    words, cls = last_run_words(claim.verdict, spec.outcomes.get(claim.id), "reference_nn" in spec.running)
    return f'<span class="badge {cls}">{escape(words)}</span>'
