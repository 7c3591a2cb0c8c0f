"""The claims ledger: every claim with its quote, verdict, cause and last outcome, filterable in the page.

The table is plain Markdown, so it reads without JavaScript; docs/javascripts/ledger-filter.js adds
filters by tutorial, verdict and cause above it (no network, no library).
"""

from __future__ import annotations

from collections import Counter

from .badges import cause_badge, last_run_badge, last_run_words, verdict_badge
from .chapters import causes, is_quiz
from .prose import claim_id, render, short_quote
from .spec_pages import VERDICT_LABELS, Spec, chapter_path, rel

PAGE = "ledger.md"


def ledger(spec: Spec) -> str:
    claims = spec.claims
    running = "reference_nn" in spec.running
    table = Counter()
    for c in claims.values():
        words = last_run_words(c.verdict, spec.outcomes.get(c.id), running)[1] if c.testable else "untested"
        table[(c.verdict, words)] += 1
    cols = {
        "run-confirmed": "confirmed by its tests",
        "run-failed": "its test fails",
        "run-skipped": "skipped",
        "run-pending": "running now" if running else "not run yet",
    }
    cols = {k: v for k, v in cols.items() if k in ("run-confirmed", "run-failed") or any(k == w for _, w in table)}
    out = [
        "---",
        "hide: [toc]  # the tables need the width",
        "---",
        "",
        "# Claims ledger",
        "",
        "Every claim of the registry (`tests/claims/*.yaml`): what the tutorial says, the verdict, its cause, "
        "and what the latest run of its tests established. Generated when the site is built; nothing on it is "
        "written by hand.",
        "",
        spec.outcomes_note,
        "",
        "| verdict | " + " | ".join(cols.values()) + " | not tested |",
        "|---|" + "---:|" * (len(cols) + 1),
    ]
    for v in VERDICT_LABELS:
        row = [str(table[(v, k)]) for k in cols] + [str(table[(v, "untested")])]
        out.append(f"| {verdict_badge(v)} | " + " | ".join(row) + " |")
    out += [
        "",
        '<div class="ledger-filters" data-columns="tutorial verdict cause" markdown>',
        "",
        "Filter the table by tutorial, verdict and cause (the filters need JavaScript; without it the whole table "
        "shows).",
        "",
        "</div>",
        "",
        "| claim | tutorial | quote | verdict | cause | last run |",
        "|---|---|---|---|---|---|",
    ]
    for c in claims.values():
        link = f"[{claim_id(c.id)}]({rel(PAGE, chapter_path(c.tutorial))}#{c.id})"
        run = last_run_badge(c, spec) if c.testable else "not tested (out of scope)"
        verdict = verdict_badge(c.verdict)
        cause = " ".join(cause_badge(k) for k in causes(c)) or "none"
        quote = ('<span class="badge quiz">quiz</span> ' if is_quiz(c) else "") + render(
            short_quote(c.quote, 110), emphasis=False
        )
        out.append(f"| {link} | {c.tutorial} | {quote} | {verdict} | {cause} | {run} |")
    return "\n".join(out) + "\n"


def pages(spec: Spec) -> dict[str, str]:
    return {PAGE: ledger(spec)}
