"""Markdown for the home page's chapter table and the test-source pages."""

from __future__ import annotations

import ast
import re
from collections import Counter, defaultdict

from nnspec.registry import Claim

from .badges import verdict_badge
from .compliance import matrix as compliance_matrix
from .prose import claim_id
from .prose import code as md_code
from .prose import escape as md_text
from .spec_pages import ROOT, VERDICT_LABELS, Spec, TestRef, chapter_path, rel, source_path


def compliance(claims: dict[str, Claim], reports: list[dict]) -> str:
    """The compliance matrix of the given reports (docs/sitegen/compliance.py; kept here for the tests that
    render a report they made, e.g. tests/conformance/test_hostile_adapters.py)."""
    return compliance_matrix(claims, reports)


def short_title(title: str) -> str:
    """A tutorial's title without its parenthesised subtitle, for a table's narrow column."""
    return title.split(" (", 1)[0]


def tutorials_table(claims: dict[str, Claim], page: str = "index.md") -> str:
    """The chapters with their claim counts by verdict, for the home page."""
    by_tutorial: dict[str, list[Claim]] = defaultdict(list)
    for c in claims.values():
        by_tutorial[c.tutorial].append(c)
    out = ["| chapter | claims | " + " | ".join(verdict_badge(v) for v in VERDICT_LABELS) + " |"]
    out.append("|---|---:|" + "---:|" * len(VERDICT_LABELS))
    for tutorial, cs in by_tutorial.items():
        counts = Counter(c.verdict for c in cs)
        link = f"[{tutorial} · {md_text(short_title(cs[0].title))}]({rel(page, chapter_path(tutorial))})"
        out.append(f"| {link} | {len(cs)} | " + " | ".join(str(counts[v]) for v in VERDICT_LABELS) + " |")
    return "\n".join(out) + "\n"


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
                    f"[{claim_id(cid)}]({rel(page, chapter_path(claims[cid].tutorial))}#{cid})"
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
    """A page per test module."""
    out = {}
    for path, file_refs in test_files(spec.refs).items():
        out[source_path(path)] = source(path, file_refs, spec.claims)
    return out
