"""A claim card's judgement (issue 18): severity and certainty badges, the verdict's history, the dispute link.

Everything shown comes from the registry (nnspec/judgement.py) and is escaped or rendered by prose.render.
"""

from __future__ import annotations

from nnspec import judgement
from nnspec.registry import Claim

from .badges import css_name
from .prose import escape, render
from .spec_pages import VERDICT_LABELS, rel

RUBRIC = "rubric.md"


def badges(claim: Claim) -> list[str]:
    """The severity (refuted and qualified claims) and the certainty, with their meanings on hover."""
    chips = []
    if claim.severity:
        title = escape(judgement.SEVERITIES.get(claim.severity, claim.severity))
        chips.append(
            f'<span class="badge severity-{css_name(claim.severity)}" title="{title}">{escape(claim.severity)}</span>'
        )
    if claim.certainty:
        title = escape(claim.certainty_why or "the verdict rests on a computation that leaves no doubt")
        label = f"certainty: {escape(claim.certainty)}"
        chips.append(f'<span class="badge certainty-{css_name(claim.certainty)}" title="{title}">{label}</span>')
    return chips


def section(page: str, claim: Claim) -> list[str]:
    """The history of the verdict (oldest first) and where to dispute it."""
    out = []
    if claim.certainty_why:
        out += [f"**Certainty {escape(claim.certainty)}:** {render(claim.certainty_why)}", ""]
    if claim.history:
        out += ["**History of the verdict:**", ""]
        for change in claim.history:
            old, new = (escape(VERDICT_LABELS.get(v, v)) for v in (change.old, change.new))
            move = f"re-judged, kept {new}" if change.kept else f"{old} → {new}"
            out.append(f"- {escape(change.date)}: {move}. {render(change.why)}")
        out.append("")
    out += [f"[Dispute this verdict]({rel(page, RUBRIC)}#dispute-a-verdict) (send the id `{claim.id}`).", ""]
    return out
