"""One chapter per tutorial: what to trust at a glance, then the claims in the tutorial's order.

The chapter opens with the tutorial's title, author and origin (from its own text), then what to trust:
each refuted claim in one line (short quote -> the correction), grouped by cause, the qualified claims
with their condition, and quiz statements as quizzes with their answer. The claims follow under the
tutorial's section headings, each heading once, in the order their quotes appear in the tutorial; the
remarks out of scope for a test are gathered, folded, at the end. Evidence sits folded under the claim
that declares it in ``tests/evidence/``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from nnspec import registry
from nnspec.registry import Claim

from . import evidence_views, judgement_views, seed_text
from .badges import cause_badge, outcome_badge, strength_badge, verdict_badge
from .prose import code, escape, first_sentence, is_formula, render, short_quote
from .spec_pages import ROOT, VERDICT_LABELS, Spec, TestRef, chapter_path, rel, source_path

# the notebooks (docs/notebooks/*.py) that show a tutorial's networks training
NOTEBOOKS = {
    "000": ["seed000_training", "activations"],
    "001": ["exam_scores"],
    "002": ["iris", "activations"],
    "003": ["single_neuron", "zero_initialisation"],
    "004": ["seed000_training", "zero_initialisation"],
}


def causes(claim: Claim) -> tuple[str, ...]:
    """The claim's causes (the registry's ``cause`` field: one id or a list), () when it has none."""
    value = getattr(claim, "cause", None) or ()
    return (value,) if isinstance(value, str) else tuple(value)


def cause_text(cause: str) -> str:
    return str(getattr(registry, "CAUSES", {}).get(cause, cause.replace("-", " ")))


def is_quiz(claim: Claim) -> bool:
    return bool(getattr(claim, "quiz", False))


def ordered(claims: list[Claim]) -> list[tuple[str, list[Claim]]]:
    """(section, claims) in the tutorial's order: claims by the position of their quote in the tutorial's
    text, sections by their first claim, each section once; a quote not found keeps its registry place
    after the found ones of its section."""
    pos = {}
    for i, c in enumerate(claims):
        at = seed_text.position(c.source, c.quote)
        pos[c.id] = (at if at is not None else float("inf"), i)
    sections: dict[str, list[Claim]] = defaultdict(list)
    for c in sorted(claims, key=lambda c: pos[c.id]):
        sections[c.section].append(c)
    first = {s: min(pos[c.id] for c in cs) for s, cs in sections.items()}
    return [(s, sections[s]) for s in sorted(sections, key=first.get)]


def _quote_line(page: str, claim: Claim, own_page: bool = True) -> str:
    target = f"#{claim.id}" if own_page else f"{rel(page, chapter_path(claim.tutorial))}#{claim.id}"
    quote = claim.quote if is_formula(claim.quote) else short_quote(claim.quote)
    return f"[“{render(quote, emphasis=False)}”]({target})"


def _correction(claim: Claim) -> str:
    text = getattr(claim, "correction", "") or first_sentence(claim.explanation)
    return render(text)


def glance(page: str, tutorial: str, claims: list[Claim], spec: Spec) -> list[str]:
    """The chapter's opening: where the tutorial comes from, then what to trust."""
    first = claims[0]
    facts = seed_text.about(tutorial, first.source)
    counts = Counter(c.verdict for c in claims)
    summary = ", ".join(f"{counts[v]} {VERDICT_LABELS[v]}" for v in VERDICT_LABELS if counts[v])
    out = [
        '<div class="about" markdown>',
        "",
        f"**{escape(first.title)}**  ",
        f"Author: {escape(facts['author']) if facts['author'] else 'not named in the text'}  ",
        f"Where it comes from: {escape(facts['origin'])} (seed text {code(first.source)})  ",
        f"{len(claims)} claims: {summary}; [all claims in the ledger]({rel(page, 'ledger.md')}).",
        "",
        "</div>",
        "",
    ]
    notebooks = [n for n in NOTEBOOKS.get(tutorial, []) if (ROOT / "docs" / "notebooks" / f"{n}.py").is_file()]
    if notebooks:
        links = ", ".join(f"[{escape(_notebook_title(n))}]({rel(page, f'notebooks/{n}.py')})" for n in notebooks)
        out += [f"Notebooks: {links}.", ""]
    order = {c.id: i for i, c in enumerate(c for _, cs in ordered(claims) for c in cs)}
    refuted = sorted((c for c in claims if c.verdict == "refuted" and not is_quiz(c)), key=lambda c: order[c.id])
    qualified = sorted((c for c in claims if c.verdict == "qualified" and not is_quiz(c)), key=lambda c: order[c.id])
    quizzes = sorted((c for c in claims if is_quiz(c)), key=lambda c: order[c.id])
    out += ["## At a glance", ""]
    if refuted:
        out += [f"**Do not trust** ({len(refuted)} refuted): what the tutorial says, and what is true instead.", ""]
        groups: dict[str, list[Claim]] = defaultdict(list)
        for c in refuted:
            groups[causes(c)[0] if causes(c) else ""].append(c)
        for cause, members in groups.items():
            if cause and len(members) > 1:
                out.append(f"- {cause_badge(cause)} {escape(cause_text(cause))} ({len(members)} claims):")
                out += [f"    - {_quote_line(page, c)} → {_correction(c)}" for c in members]
            else:
                label = f" {cause_badge(cause)}" if cause else ""
                out += [f"- {_quote_line(page, c)} → {_correction(c)}{label}" for c in members]
        out.append("")
    else:
        out += ["Nothing in this tutorial is refuted.", ""]
    if qualified:
        out += [f"**Trust with a condition** ({len(qualified)} qualified):", ""]
        out += [f"- {_quote_line(page, c)} → {_correction(c)}" for c in qualified]
        out.append("")
    if quizzes:
        out += ["**Quiz** (the tutorial's own questions, with the answer):", ""]
        for c in quizzes:
            if c.quote.rstrip().endswith("?"):  # a question with options: the explanation names the answer
                out.append(f"- {_quote_line(page, c)} **Answer:** {_correction(c)}")
                continue
            answer = {"holds": "true", "refuted": "false"}.get(c.verdict, VERDICT_LABELS[c.verdict])
            out.append(f"- {_quote_line(page, c)} True or false? **Answer: {answer}.** {_correction(c)}")
        out.append("")
    out += cause_totals(claims)
    return out


def cause_totals(claims: list[Claim]) -> list[str]:
    """The chapter's refuted and qualified claims counted by cause (when the registry names causes)."""
    table = Counter((cause, c.verdict) for c in claims for cause in causes(c))
    if not table:
        return []
    names = sorted({cause for cause, _ in table}, key=lambda k: -(table[(k, "refuted")] + table[(k, "qualified")]))
    out = ["| cause | refuted | qualified |", "|---|---:|---:|"]
    out += [
        f"| {cause_badge(k)} {escape(cause_text(k))} | {table[(k, 'refuted')]} | {table[(k, 'qualified')]} |"
        for k in names
    ]
    return ["Claims by cause:", "", *out, ""]


def _notebook_title(name: str) -> str:
    """The first heading of a jupytext percent-format notebook."""
    text = (ROOT / "docs" / "notebooks" / f"{name}.py").read_text(encoding="utf-8")
    m = re.search(r"^# # (.+)$", text, re.M)
    return m.group(1).strip() if m else name.replace("_", " ")


def test_link(page: str, ref: TestRef) -> str:
    return f"[{code(ref.name)}]({rel(page, source_path(ref.path))}#{ref.name})"


def badges(claim: Claim, spec: Spec) -> str:
    chips = [verdict_badge(claim.verdict)]
    if is_quiz(claim):
        chips.append('<span class="badge quiz">quiz</span>')
    chips += [cause_badge(k) for k in causes(claim)]
    if getattr(claim, "strength", None):
        chips.append(strength_badge(claim.strength))
    chips += judgement_views.badges(claim)
    chips += [f'<span class="badge oracle">{escape(o)}</span>' for o in claim.oracles]
    if claim.reference_only:
        why = "passes only on NumPy&#39;s legacy random stream"
        chips.append(f'<span class="badge oracle" title="{why}">reference only</span>')
    if claim.testable:
        chips.append("last run: " + outcome_badge(spec.outcomes.get(claim.id)))
    return " ".join(chips)


def claim_link(page: str, claim: Claim, on_tutorial: str) -> str:
    """#id on the claim's own chapter, else the path to its chapter and the anchor."""
    chapter = "" if claim.tutorial == on_tutorial else rel(page, chapter_path(claim.tutorial))
    return f"{chapter}#{claim.id}"


def claim_section(page: str, claim: Claim, spec: Spec) -> list[str]:
    out = [
        f"### `{claim.id}` {{#{claim.id} .claim}}",
        "",
        badges(claim, spec),
        "",
        f"> {render(claim.quote, emphasis=False)}",
        "",
        render(claim.explanation),
        "",
    ]
    if claim.measured:
        out += [f"**Measured:** {render(claim.measured)}", ""]
    if getattr(claim, "consistency", ""):
        out += [f"**Beside similar claims:** {render(claim.consistency)}", ""]
    for piece in spec.evidence.of(claim.id):
        out += evidence_views.block(page, piece, spec)
    shown_elsewhere = [cid for cid in spec.evidence.see.get(claim.id, ()) if cid in spec.claims]
    if shown_elsewhere:
        links = ", ".join(
            f"[{code(cid)}]({claim_link(page, spec.claims[cid], claim.tutorial)})" for cid in shown_elsewhere
        )
        out += [f"Its tests also use the evidence shown under {links}.", ""]
    refs = spec.tests.get(claim.id, [])
    out += ["**Checked by** " + (", ".join(test_link(page, r) for r in refs) or "no test yet") + ".", ""]
    out += judgement_views.section(page, claim)
    return out


def out_of_scope(page: str, claims: list[Claim]) -> list[str]:
    """The remarks no test can check, folded at the end of the chapter."""
    if not claims:
        return []
    body = []
    for c in claims:
        body += [
            f'<div class="claim out-of-scope" id="{c.id}" markdown>',
            "",
            f"{code(c.id)} {verdict_badge(c.verdict)} “{render(c.quote, emphasis=False)}” {render(c.explanation)}",
            "",
            "</div>",
            "",
        ]
    return [
        "## Out of scope",
        "",
        *evidence_views.folded("note", f"{len(claims)} remarks no test can check (biology, history, opinion)", body),
    ]


def chapter(tutorial: str, claims: list[Claim], spec: Spec) -> str:
    page = chapter_path(tutorial)
    out = [f"# {tutorial} · {escape(claims[0].title)}", ""]
    out += glance(page, tutorial, claims, spec)
    for section, members in ordered([c for c in claims if c.testable]):
        out += [f"## {escape(section)}", ""]
        for claim in members:
            out += claim_section(page, claim, spec)
    out += out_of_scope(page, [c for _, cs in ordered([c for c in claims if not c.testable]) for c in cs])
    return "\n".join(out)


def pages(spec: Spec) -> dict[str, str]:
    return {chapter_path(t): chapter(t, cs, spec) for t, cs in spec.by_tutorial().items()}
