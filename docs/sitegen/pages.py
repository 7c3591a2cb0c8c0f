"""Markdown for the home page's chapter table, the compliance matrix and the test-source pages."""

from __future__ import annotations

import ast
import re
from collections import Counter, defaultdict

from nnspec.outcomes import Outcome
from nnspec.registry import Claim

from .badges import outcome_badge, verdict_badge
from .prose import code as md_code
from .prose import escape as md_text
from .spec_pages import OUTCOME_LABELS, ROOT, VERDICT_LABELS, Spec, TestRef, chapter_path, rel, source_path


def tutorials_table(claims: dict[str, Claim], page: str = "index.md") -> str:
    """The chapters with their claim counts by verdict, for the home page."""
    by_tutorial: dict[str, list[Claim]] = defaultdict(list)
    for c in claims.values():
        by_tutorial[c.tutorial].append(c)
    out = ["| chapter | claims | " + " | ".join(verdict_badge(v) for v in VERDICT_LABELS) + " |"]
    out.append("|---|---:|" + "---:|" * len(VERDICT_LABELS))
    for tutorial, cs in by_tutorial.items():
        counts = Counter(c.verdict for c in cs)
        link = f"[{tutorial} · {md_text(cs[0].title)}]({rel(page, chapter_path(tutorial))})"
        out.append(f"| {link} | {len(cs)} | " + " | ".join(str(counts[v]) for v in VERDICT_LABELS) + " |")
    return "\n".join(out) + "\n"


def compliance(claims: dict[str, Claim], reports: list[dict]) -> str:
    """Outcome counts per implementation, then each claim's outcome for each (any outcome string is shown)."""
    page = "compliance.md"
    out = [
        "---",
        "hide: [toc]  # the tables need the width",
        "---",
        "",
        "# Compliance matrix",
        "",
        "Which claims each implementation satisfies, from the conformance reports in "
        "`test-artifacts/conformance/` that the harness wrote (listed in its `MANIFEST.json`; the format is "
        "on the page [Report formats](formats.md)).",
        "",
    ]
    if not reports:
        out += [
            "No conformance report found. Run the specification against an implementation with a conformance "
            "report (see the [implementer's guide](implementers.md)), put the JSON files in "
            "`test-artifacts/conformance/`, and build the site again.",
            "",
        ]
        return "\n".join(out)
    names = [f"{r['implementation']} {r['version']}" for r in reports]
    seen = {v["outcome"] for r in reports for v in r["claims"].values()}
    cols = [o for o in OUTCOME_LABELS if o is not None and (o in seen or o in (Outcome.PASSED, Outcome.FAILED))]
    out += ["| implementation | run | " + " | ".join(md_text(OUTCOME_LABELS.get(o, o)) for o in cols) + " |"]
    out += ["|---|---|" + "---:|" * len(cols)]
    for name, r in zip(names, reports):
        c = Counter(v["outcome"] for v in r["claims"].values())
        run = "complete" if r["complete"] else "**incomplete**"
        out.append(f"| {md_text(name)} | {run} | " + " | ".join(str(c[o]) for o in cols) + " |")
    out += ["", "| claim | " + " | ".join(md_text(n) for n in names) + " |", "|---|" + "---|" * len(names)]
    for c in claims.values():
        if not c.testable:
            continue
        link = f"[`{c.id}`]({rel(page, chapter_path(c.tutorial))}#{c.id})"
        cells = []
        for r in reports:
            entry = r["claims"].get(c.id) or {"outcome": None, "reason": ""}  # (a claim the run did not reach)
            reason = " ".join(entry["reason"].split())
            cell = outcome_badge(entry["outcome"], reason)
            if reason and entry["outcome"] != Outcome.PASSED:
                short = reason if len(reason) <= 160 else reason[:157] + "..."
                cell += f'<br><span class="reason">{md_text(short)}</span>'
            cells.append(cell)
        out.append(f"| {link} | " + " | ".join(cells) + " |")
    out += rules_table(reports, names)
    unknown = sorted({cid for r in reports for cid in r["claims"]} - set(claims))
    if unknown:
        out += ["", "Reports name claims the registry does not have: " + ", ".join(f"`{u}`" for u in unknown)]
    return "\n".join(out) + "\n"


def rules_table(reports: list[dict], names: list[str]) -> list[str]:
    """The protocol rules' outcomes, when the reports have a ``rules`` section."""
    rules = sorted({rule for r in reports for rule in r["rules"]})
    if not rules:
        return []
    out = ["", "## Rules of the protocol", "", "| rule | " + " | ".join(md_text(n) for n in names) + " |"]
    out.append("|---|" + "---|" * len(names))
    for rule in rules:
        cells = []
        for r in reports:
            entry = r["rules"].get(rule) or {"outcome": None, "reason": ""}
            cells.append(outcome_badge(entry["outcome"], " ".join(entry["reason"].split())))
        out.append(f"| {md_code(rule)} | " + " | ".join(cells) + " |")
    return out


def source(test_file: str, refs: list[TestRef], claims: dict[str, Claim]) -> str:
    """A test module shown piece by piece: module code, then each function or class under its own heading."""
    page = source_path(test_file)
    text = (ROOT / test_file).read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text)
    by_name = defaultdict(list)
    for r in refs:
        by_name[r.name.split(".")[0]].append(r)
    out = [f"# `{test_file}`", ""]
    doc = ast.get_docstring(tree)
    if doc:  # ``code`` spans of the docstring shown as code
        parts = re.split(r"``(.+?)``", doc, flags=re.S)
        out += ["".join(md_code(p) if i % 2 else md_text(p) for i, p in enumerate(parts)), ""]

    def block(start: int, end: int) -> list[str]:
        body = "\n".join(lines[start - 1 : end]).strip("\n")
        return [f'```python linenums="{start}"', body, "```", ""] if body.strip() else []

    pending = None  # first line of module code not yet shown
    body = tree.body[1:] if doc else tree.body
    for node in body:
        start = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            if pending is not None:
                out += block(pending, start - 1)
                pending = None
            out += [f"## `{node.name}` {{#{node.name}}}", ""]
            checks = sorted({cid for r in by_name.get(node.name, []) for cid in r.claims})
            if checks:
                links = [
                    f"[`{cid}`]({rel(page, chapter_path(claims[cid].tutorial))}#{cid})"
                    for cid in checks
                    if cid in claims
                ]
                out += ["Checks " + ", ".join(links) + ".", ""]
            for r in by_name.get(node.name, []):
                if "." in r.name:
                    out += [f'<span id="{r.name}"></span>', ""]
            out += block(start, node.end_lineno)
        elif pending is None:
            pending = start
    if pending is not None:
        out += block(pending, len(lines))
    return "\n".join(out)


def test_files(refs: list[TestRef]) -> dict[str, list[TestRef]]:
    out = defaultdict(list)
    for r in refs:
        out[r.path].append(r)
    return out


def pages(spec: Spec) -> dict[str, str]:
    """The compliance matrix and a page per test module."""
    out = {"compliance.md": compliance(spec.claims, spec.conformance)}
    for path, file_refs in test_files(spec.refs).items():
        out[source_path(path)] = source(path, file_refs, spec.claims)
    return out
