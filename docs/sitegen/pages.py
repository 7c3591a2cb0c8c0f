"""Markdown for the generated pages (see spec_pages for where the data comes from)."""

from __future__ import annotations

import ast
import logging
import re
from collections import Counter, defaultdict

import numpy as np

from tests._spec.golden import printed_tolerance
from tests._spec.registry import Claim

from . import derivation_views
from .spec_pages import (
    EXTRA_DERIVATIONS,
    OUTCOME_LABELS,
    ROOT,
    VERDICT_LABELS,
    TestRef,
    chapter_path,
    md_code,
    md_text,
    rel,
    reproduce,
    source_path,
)

log = logging.getLogger("mkdocs.hooks.reference_nn")
# the notebooks (docs/notebooks/*.py) that show a tutorial's networks training
NOTEBOOKS = {
    "000": ["seed000_training", "activations"],
    "001": ["exam_scores"],
    "002": ["iris", "activations"],
    "003": ["single_neuron", "zero_initialisation"],
    "004": ["seed000_training", "zero_initialisation"],
}
MAX_ROWS = 16


def verdict_badge(verdict: str) -> str:
    return f'<span class="badge verdict-{verdict}">{VERDICT_LABELS[verdict]}</span>'


def outcome_badge(outcome: str | None, title: str = "") -> str:
    label = OUTCOME_LABELS.get(outcome, outcome)
    cls = (outcome or "not-run").replace(" ", "-")
    title_attr = f' title="{md_text(title)}"' if title else ""
    return f'<span class="badge outcome-{cls}"{title_attr}>{label}</span>'


def test_link(page: str, ref: TestRef) -> str:
    target = f"{rel(page, source_path(ref.path))}#{ref.name}"
    return f"[`{ref.name}`]({target}) (`{ref.path}`, line {ref.line})"


def _fmt(value: float, entry: dict, extra: int = 0) -> str:
    if "decimals" in entry:
        return f"{value:.{int(entry['decimals']) + extra}f}"
    return f"{value:.{int(entry.get('significant', 6)) + extra}g}"


def _recorded_link(page: str, nodeid: str) -> str:
    path, _, name = nodeid.partition("::")
    name = name.split("[")[0].replace("::", ".")
    return f"[{md_code(name)}]({rel(page, source_path(path))}#{name})"


def _reproduced(page, key, printed, reproduction, recorded) -> list[tuple[str, str, np.ndarray]]:
    """(column heading, source note, values) for each source of reproduced numbers: the last test run first,
    else the transcription call the test makes."""
    columns = []
    for test, values in recorded[:3]:
        values = np.asarray(values, dtype=np.float64).ravel()
        if values.shape == printed.shape:
            label = f"reproduced ({'abc'[len(columns)]})"
            columns.append(
                (label, f"({'abc'[len(columns)]}) {_recorded_link(page, test)} in the last test run", values)
            )
    if columns or reproduction is None:
        return columns
    expression, names = reproduction
    try:
        values = np.asarray(reproduce(expression, names), dtype=np.float64).ravel()
    except Exception as exc:  # a broken transcription must show, not vanish
        log.warning("reproducing %s with %s failed: %s", key, expression, exc)
        return []
    if values.shape != printed.shape:
        log.warning("reproducing %s with %s gave shape %s, printed %s", key, expression, values.shape, printed.shape)
        return []
    return [("reproduced", f"reproduced by {md_code(expression)}, run when the site was built", values)]


def printed_table(page, key, entry: dict, reproduction, recorded, tests: str) -> list[str]:
    tutorial, name = key
    printed = np.asarray(entry["values"], dtype=np.float64).ravel()
    columns = _reproduced(page, key, printed, reproduction, recorded)
    title = "Printed by the tutorial, and reproduced" if columns else "Printed by the tutorial"
    lines = [
        f"**{title}** (`tests/golden/printed/{tutorial}.yaml`, `{name}`; "
        f"section {md_text(str(entry.get('section', '')))}):",
        "",
    ]
    header = ["#", "printed"] + [c[0] for c in columns] + (["within half a printed unit"] if columns else [])
    align = "|" + "---:|" * (len(header) - bool(columns)) + (":---:|" if columns else "")
    lines += ["| " + " | ".join(header) + " |", align]
    for i, p in enumerate(printed[:MAX_ROWS]):
        cells = [str(i), _fmt(p, entry)] + [_fmt(values[i], entry, 3) for _, _, values in columns]
        if columns:
            tol = printed_tolerance(entry, p) * (1 + 1e-9)
            cells.append("yes" if all(abs(values[i] - p) <= tol for _, _, values in columns) else "**no**")
        lines.append("| " + " | ".join(cells) + " |")
    if printed.size > MAX_ROWS:
        lines += ["", f"(first {MAX_ROWS} of {printed.size} numbers)"]
    lines += ["", "; ".join(note for _, note, _ in columns) + "." if columns else f"Compared by: {tests}."]
    lines += ["", "As printed:", "", "```text", str(entry.get("printed", "")).rstrip(), "```", ""]
    return lines


def derivation_block(claim_id: str, refs: list[TestRef]) -> list[str]:
    calls = []
    for ref in refs:
        calls += [(n, a, k) for n, a, k in ref.derivations if (n, a, k) not in calls]
    calls += [(n, a, {}) for n, a in EXTRA_DERIVATIONS.get(claim_id, []) if (n, a, {}) not in calls]
    lines = []
    for name, args, kwargs in calls:
        formulas = derivation_views.render(name, args, kwargs)
        if not formulas:
            continue
        call = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
        lines += [f"**Derivation** (SymPy: `derivations.{name}({call})` in `tests/_spec/derivations.py`):", ""]
        for tex in formulas:
            lines += ["$$", tex, "$$", ""]
    return lines


def _notebook_title(name: str) -> str:
    """The first heading of a jupytext percent-format notebook."""
    text = (ROOT / "docs" / "notebooks" / f"{name}.py").read_text(encoding="utf-8")
    m = re.search(r"^# # (.+)$", text, re.M)
    return m.group(1).strip() if m else name.replace("_", " ")


def chapter(tutorial: str, claims: list[Claim], tests: dict[str, list[TestRef]], outcomes, printed, recorded) -> str:
    page = chapter_path(tutorial)
    first = claims[0]
    counts = Counter(c.verdict for c in claims)
    summary = ", ".join(f"{counts[v]} {VERDICT_LABELS[v]}" for v in VERDICT_LABELS if counts[v])
    out = [
        f"# {tutorial} · {md_text(first.title)}",
        "",
        f"Seed text: `{first.source}`. {len(claims)} claims: {summary}. "
        f"Every claim below names the test that checks it; the [ledger]({rel(page, 'ledger.md')}) lists them all "
        "with the outcome of the latest test run.",
        "",
    ]
    notebooks = [n for n in NOTEBOOKS.get(tutorial, []) if (ROOT / "docs" / "notebooks" / f"{n}.py").is_file()]
    if notebooks:
        links = ", ".join(f"[{md_text(_notebook_title(n))}]({rel(page, f'notebooks/{n}.py')})" for n in notebooks)
        out += [f"Notebooks: {links}.", ""]
    section = None
    for claim in claims:
        if claim.section != section:
            section = claim.section
            out += [f"## {md_text(section)}", ""]
        refs = tests.get(claim.id, [])
        chips = " ".join(f'<span class="badge oracle">{o}</span>' for o in claim.oracles)
        if claim.reference_only:
            chips += (
                ' <span class="badge oracle" title="passes only on NumPy\'s legacy random stream">reference only</span>'
            )
        run = "" if not claim.testable else f" · last run: {outcome_badge(outcomes.get(claim.id))}"
        out += [
            f"### `{claim.id}` {{#{claim.id} .claim}}",
            "",
            f"{verdict_badge(claim.verdict)} {chips}{run}",
            "",
            f"> {md_text(claim.quote)}",
            "",
            md_text(claim.explanation),
            "",
        ]
        if claim.measured:
            out += [f"**Measured:** {md_text(claim.measured)}", ""]
        out += derivation_block(claim.id, refs)
        shown = set()
        links = ", ".join(test_link(page, r) for r in refs) or "no test"
        for ref in refs:
            for key in ref.printed_keys:
                if key in shown or key not in printed:
                    continue
                shown.add(key)
                reproduction = next((r.reproductions[key] for r in refs if key in r.reproductions), None)
                out += printed_table(page, key, printed[key], reproduction, recorded.get(key, []), links)
        if claim.testable:
            out += ["**Checked by:** " + (", ".join(test_link(page, r) for r in refs) or "no test yet"), ""]
        else:
            out += ["**Not tested:** out of scope for a test (see the explanation).", ""]
    return "\n".join(out)


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


def ledger(claims: dict[str, Claim], tests: dict[str, list[TestRef]], outcomes, source_note: str) -> str:
    page = "ledger.md"
    table = Counter()
    for c in claims.values():
        table[(c.verdict, outcomes.get(c.id) if c.testable else "untested")] += 1
    cols = [c for c in OUTCOME_LABELS if c in ("passed", "failed", None) or any(k[1] == c for k in table)]
    out = [
        "# Claims ledger",
        "",
        "Every claim of the registry (`tests/claims/*.yaml`), its verdict, and how its tests came out. "
        "This page is generated when the site is built; nothing on it is written by hand.",
        "",
        source_note,
        "",
        "| verdict | " + " | ".join(OUTCOME_LABELS[c] for c in cols) + " | not tested |",
        "|---|" + "---:|" * (len(cols) + 1),
    ]
    for v in VERDICT_LABELS:
        row = [str(table[(v, c)]) for c in cols] + [str(table[(v, "untested")])]
        out.append(f"| {verdict_badge(v)} | " + " | ".join(row) + " |")
    out += ["", "| claim | verdict | tests | last run |", "|---|---|---:|---|"]
    for c in claims.values():
        link = f"[`{c.id}`]({rel(page, chapter_path(c.tutorial))}#{c.id})"
        n = len(tests.get(c.id, []))
        run = outcome_badge(outcomes.get(c.id)) if c.testable else "out of scope, not tested"
        out.append(f"| {link} | {verdict_badge(c.verdict)} | {n} | {run} |")
    return "\n".join(out) + "\n"


def compliance(claims: dict[str, Claim], reports: list[dict]) -> str:
    page = "compliance.md"
    out = [
        "# Compliance matrix",
        "",
        "Which claims each implementation satisfies, from the conformance reports in "
        "`test-artifacts/conformance/*.json` (generated when the site is built).",
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
    names = [f"{r['implementation']} {r.get('version', '')}".strip() for r in reports]
    seen = {v.get("outcome") for r in reports for v in r["claims"].values()}
    cols = [o for o in OUTCOME_LABELS if o is not None and (o in seen or o in ("passed", "failed"))]
    out += ["| implementation | " + " | ".join(OUTCOME_LABELS[o] for o in cols) + " |"]
    out += ["|---|" + "---:|" * len(cols)]
    for name, r in zip(names, reports):
        c = Counter(v.get("outcome") for v in r["claims"].values())
        out.append(f"| {md_text(name)} | " + " | ".join(str(c[o]) for o in cols) + " |")
    out += ["", "| claim | " + " | ".join(md_text(n) for n in names) + " |", "|---|" + "---|" * len(names)]
    for c in claims.values():
        if not c.testable:
            continue
        link = f"[`{c.id}`]({rel(page, chapter_path(c.tutorial))}#{c.id})"
        cells = []
        for r in reports:
            entry = r["claims"].get(c.id) or {}
            reason = " ".join(str(entry.get("reason") or "").split())
            cell = outcome_badge(entry.get("outcome"), reason)
            if reason and entry.get("outcome") != "passed":
                short = reason if len(reason) <= 160 else reason[:157] + "..."
                cell += f'<br><span class="reason">{md_text(short)}</span>'
            cells.append(cell)
        out.append(f"| {link} | " + " | ".join(cells) + " |")
    unknown = sorted({cid for r in reports for cid in r["claims"]} - set(claims))
    if unknown:
        out += ["", "Reports name claims the registry does not have: " + ", ".join(f"`{u}`" for u in unknown)]
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


def tests_by_claim(refs: list[TestRef]) -> dict[str, list[TestRef]]:
    out = defaultdict(list)
    for r in refs:
        for cid in r.claims:
            out[cid].append(r)
    return out


def test_files(refs: list[TestRef]) -> dict[str, list[TestRef]]:
    out = defaultdict(list)
    for r in refs:
        out[r.path].append(r)
    return out
