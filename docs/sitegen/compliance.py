"""The compliance matrix: which claims each implementation gets right, chapter by chapter.

It reads the conformance reports (``test-artifacts/conformance/*.json``) and the list of implementations the
book runs (``examples/implementations.yaml``, through ``implementations``). The page opens with one line per
implementation: how many of the claims it was checked on it gets right ("x of N"), and the counts of the
other outcomes; then which listed implementations have no report, and why (not installed here, still
running, not run yet). Then a section per tutorial: each claim that is about an implementation with its
verdict, a short quote and each implementation's outcome in words ("right", "wrong", ...); the claims no test
calls an implementation for ("not about the implementation" in every report) are folded into one count.
A tutorial-shaped program (a tutorial's own code) has a column in its own chapter only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from nnspec.outcomes import Outcome
from nnspec.registry import Claim

from . import implementations as impls
from .badges import css_name, verdict_badge
from .prose import claim_id, code, escape, render, short_quote
from .spec_pages import Spec, chapter_path, rel

PAGE = "compliance.md"

#: what an implementation's outcome on a claim means, in words a learner cannot misread
WORDS = {
    Outcome.PASSED: "right",
    Outcome.FAILED: "wrong",
    Outcome.CRASHED: "crashed",
    Outcome.TIMED_OUT: "timed out",
    Outcome.ERRORED: "spec error",
    Outcome.XFAILED: "wrong (known)",
    Outcome.XPASSED: "right, though listed as wrong",
    Outcome.NOT_IMPLEMENTED: "not implemented",
    Outcome.NOT_ABOUT: "about the tutorial",
    Outcome.REFERENCE_ONLY: "reference only",
    Outcome.SKIPPED: "skipped",
}
#: the outcomes that say whether the implementation does what the claim needs (the N of "x of N")
CHECKED = {Outcome.PASSED, Outcome.FAILED, Outcome.CRASHED, Outcome.TIMED_OUT, Outcome.XFAILED, Outcome.XPASSED}


@dataclass
class Column:
    name: str
    doc: dict
    language: str = ""
    chapter: str | None = None  # a tutorial-shaped program: its chapter only
    about: str = ""

    def entry(self, cid: str) -> dict:
        """The report's entry for a claim. A tutorial-shaped program's report (``--tutorial-code``) leaves out the
        chapter's claims none of whose tests call the program: for it, a claim left out is not about it."""
        found = self.doc["claims"].get(cid)
        if found is None and self.chapter is not None:
            return {"outcome": Outcome.NOT_ABOUT}
        return found or {}

    def outcomes(self, claims: dict[str, Claim]) -> Counter:
        ids = [cid for cid, c in claims.items() if c.testable and self.chapter in (None, c.tutorial)]
        return Counter(self.entry(cid).get("outcome") for cid in ids)


def columns(conformance: dict[str, dict]) -> tuple[list[Column], list[str]]:
    """(a column per report, in the list's order then any other report; lines for listed ones not shown)."""
    listed = impls.load()
    runs = impls.read_runs()
    running = set(impls.still_running(runs))
    by_report = dict(conformance)
    cols, missing = [], []
    for e in listed:
        doc = by_report.pop(e.report, None)
        state = runs.get(e.report, {})
        if doc is not None:
            cols.append(Column(e.name, doc, e.language, e.chapter, e.about))
            if e.report in running:
                missing.append(f"{escape(e.name)}: a new run is under way; the column shows the previous report.")
            continue
        if e.report in running:
            started = state.get("started")
            why = f"its run started at {escape(started)} and is still going" if started else "waiting its turn"
            missing.append(f"{escape(e.name)} ({escape(e.language)}): {why}; this page rebuilds when it ends.")
        else:
            why = (
                e.missing()
                or state.get("why")
                or (f"its run ended (exit {state['exit']}) without a report" if "exit" in state else "not run yet")
            )
            missing.append(f"{escape(e.name)} ({escape(e.language)}): {escape(why)}.")
    for name, doc in by_report.items():  # a report the list does not name (run by hand)
        label = f"{doc.get('implementation', name)} {doc.get('version', '')}".strip()
        cols.append(Column(label, doc, str((doc.get("implementation_info") or {}).get("language", ""))))
    return cols, missing


def cell(col: Column, cid: str) -> str:
    entry = col.entry(cid)
    outcome = entry.get("outcome")
    word = WORDS.get(outcome, str(outcome) if outcome else "not in the report")
    reason = " ".join(str(entry.get("reason") or "").split())
    title = f' title="{escape(reason)}"' if reason else ""
    out = f'<span class="badge outcome-{css_name(outcome or "not run")}"{title}>{escape(word)}</span>'
    if reason and (outcome in CHECKED - {Outcome.PASSED} or outcome == Outcome.ERRORED):
        out += f'<span class="reason">{escape(short_quote(reason, 140))}</span>'
    return out


def summary(cols: list[Column], claims: dict[str, Claim]) -> list[str]:
    out = [
        "| implementation | language | run | right | other outcomes |",
        "|---|---|---|---|---|",
    ]
    for col in cols:
        c = col.outcomes(claims)
        checked = sum(c[o] for o in CHECKED)
        run = {True: "complete", False: "**incomplete**"}.get(col.doc.get("complete"), "")
        others = [f"{n} {escape(WORDS.get(o, str(o)))}" for o, n in c.most_common() if o not in (Outcome.PASSED, None)]
        if c[None]:
            others.append(f"{c[None]} not in the report")
        scope = f" (chapter {col.chapter})" if col.chapter else ""
        out.append(
            f"| {escape(col.name)}{scope} | {escape(col.language)} | {run} | **{c[Outcome.PASSED]} of {checked}** "
            f"checked | {', '.join(others) or 'none'} |"
        )
    return out


def chapter_table(tutorial: str, claims: list[Claim], cols: list[Column]) -> list[str]:
    here = [col for col in cols if col.chapter in (None, tutorial)]
    judged = [col for col in here if not col.doc.get("reference")]

    def about_the_tutorial(c: Claim) -> bool:
        outcomes = {col.entry(c.id).get("outcome") for col in judged} - {None}
        return bool(outcomes) and outcomes <= {Outcome.NOT_ABOUT}

    folded = [c for c in claims if about_the_tutorial(c)]
    shown = [c for c in claims if not about_the_tutorial(c)]
    out = [f"## {tutorial} · {escape(claims[0].title)}", ""]
    if folded:
        links = ", ".join(f"[{claim_id(c.id)}]({rel(PAGE, chapter_path(tutorial))}#{c.id})" for c in folded)
        out += [
            f'??? note "{len(folded)} claims of this chapter are about the tutorial, not about an implementation"',
            "",
            "    No test of these claims calls an implementation: their verdict is about the tutorial's text or "
            f"numbers. {links}",
            "",
        ]
    if not shown:
        return out
    out += [
        "| claim | verdict | the tutorial says | " + " | ".join(escape(col.name) for col in here) + " |",
        "|---|---|---|" + "---|" * len(here),
    ]
    for c in shown:
        link = f"[{claim_id(c.id)}]({rel(PAGE, chapter_path(tutorial))}#{c.id})"
        quote = "“" + render(short_quote(c.quote, 60), emphasis=False) + "”"
        cells = " | ".join(cell(col, c.id) for col in here)
        out.append(f"| {link} | {verdict_badge(c.verdict)} | {quote} | {cells} |")
    return out + [""]


def page(spec: Spec) -> str:
    return matrix(spec.claims, spec.conformance)


def matrix(claims: dict[str, Claim], conformance: dict[str, dict] | list[dict]) -> str:
    """The page for these reports ({report name: report}; a list is named by each report's implementation)."""
    if isinstance(conformance, list):
        conformance = {str(doc.get("implementation", i)): doc for i, doc in enumerate(conformance)}
    out = [
        "---",
        "hide: [toc]  # the tables need the width",
        "---",
        "",
        "# Compliance matrix",
        "",
        "Which claims each implementation gets right, from the conformance reports in "
        "`test-artifacts/conformance/` (read when the site is built). The implementations the book runs are "
        "listed in `examples/implementations.yaml`; the README's main command runs them in the background and "
        "this page rebuilds as each run ends.",
        "",
        "*Right* means the implementation does what is true, so on a refuted claim *right* means it avoids the "
        "tutorial's mistake and *wrong* means it makes one. A tutorial's own code is checked against its own "
        "chapter only, like a learner's program (`pytest --tutorial-code NNN=FILE`), so one tutorial's mistake "
        "never shows in another's chapter. (`examples/tutorial_verbatim.py`, which puts the five programs "
        "together behind one adapter, is checked by `pytest -m conformance` and is not a column here.)",
        "",
    ]
    cols, missing = columns(conformance)
    if cols:
        out += ["## The implementations", "", *summary(cols, claims), ""]
        out += [
            "*Right* counts the claims its tests called the implementation for and it did what the claim "
            "needs; *checked* adds the ones it got wrong, crashed or hung on.",
            "",
        ]
    if missing:
        out += ["**Not in this matrix:**", "", *[f"- {m}" for m in missing], ""]
    if not cols:
        out += [
            "No conformance report yet. `python docs/sitegen/book.py` (the README's main command) runs them; "
            "any run with `--conformance-report test-artifacts/conformance/NAME` adds one (see the "
            f"[implementer's guide]({rel(PAGE, 'implementers.md')})).",
            "",
        ]
        return "\n".join(out)
    by_tutorial: dict[str, list[Claim]] = {}
    for c in claims.values():
        by_tutorial.setdefault(c.tutorial, []).append(c)
    for tutorial, members in by_tutorial.items():
        out += chapter_table(tutorial, [c for c in members if c.testable], cols)
    out += rules(cols)
    unknown = sorted({cid for col in cols for cid in col.doc["claims"]} - set(claims))
    if unknown:
        out += ["", "Reports name claims the registry does not have: " + ", ".join(code(u) for u in unknown)]
    return "\n".join(out) + "\n"


def rules(cols: list[Column]) -> list[str]:
    """The protocol rules' outcomes, for the implementations whose reports have a ``rules`` section."""
    with_rules = [col for col in cols if col.doc.get("rules")]
    names = sorted({r for col in with_rules for r in col.doc["rules"]})
    if not names:
        return []
    out = ["", "## Rules of the protocol", "", "| rule | " + " | ".join(escape(c.name) for c in with_rules) + " |"]
    out.append("|---|" + "---|" * len(with_rules))
    for rule in names:
        cells = []
        for col in with_rules:
            entry = col.doc["rules"].get(rule) or {}
            entry = entry if isinstance(entry, dict) else {"outcome": entry}
            cells.append(cell(Column(col.name, {"claims": {rule: entry}}), rule))
        out.append(f"| {code(rule)} | " + " | ".join(cells) + " |")
    return out


def pages(spec: Spec) -> dict[str, str]:
    return {PAGE: page(spec)}
