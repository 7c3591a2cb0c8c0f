"""The class table and its two files: ``PATH.csv`` (a row per submission) and ``PATH.md`` (what a teacher reads).

The CSV: ``submission`` (the file's name), ``score``, then one column per claim id whose cell is one of
``right``, ``wrong``, ``wrong-as-tutorial``, ``not-checked``, ``error`` (nnspec.classroom.CELLS).
The Markdown: a bar chart of the per-claim pass rates (inline SVG drawn here: the report is read offline
and the chart is twenty lines, no plotting library needed), the pass rates with 95% Wilson intervals
(nnspec.stats), the mistakes most submissions made, how many reproduced each of the tutorial's own
mistakes, and the submissions that could not be judged and why.
"""

from __future__ import annotations

import csv
import html
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nnspec.classroom import CELLS, Submission, cell, judged
from nnspec.grading import Config
from nnspec.stats import wilson


@dataclass
class Table:
    chapter: str
    claim_ids: list[str]
    tutorial: dict[str, dict]  # the tutorial's own code's claims
    subs: list[Submission]
    config: Config
    cells: dict[str, dict[str, tuple[str, str]]] = field(init=False)

    def __post_init__(self):
        self.cells = {sub.name: judged(sub, self.tutorial, self.claim_ids) for sub in self.subs}

    @property
    def checkable(self) -> list[str]:
        """The claims the check can run on this tutorial's shape (judged on the tutorial's own code)."""
        return [cid for cid in self.claim_ids if cell(self.tutorial.get(cid), None)[0] != "not-checked"]

    @property
    def graded(self) -> dict[str, float]:
        return self.config.graded(self.checkable)

    @property
    def max_score(self) -> float:
        return sum(self.graded.values())

    def earns(self, value: str) -> bool:
        return value == "right" or (value == "wrong-as-tutorial" and not self.config.shared_mistakes_cost_points)

    def score(self, sub: Submission) -> float:
        cells = self.cells[sub.name]
        return sum(p for cid, p in self.graded.items() if self.earns(cells.get(cid, ("not-checked", ""))[0]))

    def tutorial_fails(self, cid: str) -> bool:
        return cell(self.tutorial.get(cid), None)[0] == "wrong"

    def judged_subs(self) -> list[Submission]:
        return [s for s in self.subs if s.status == "graded"]


def write_csv(table: Table, path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["submission", "score", *table.claim_ids])
        for sub in table.subs:
            cells = table.cells[sub.name]
            out.writerow([sub.name, f"{table.score(sub):g}", *(cells[cid][0] for cid in table.claim_ids)])
    return path


def pass_rates(table: Table) -> list[tuple[str, int, int, float, float]]:
    """(claim, right, judged, low, high) for every checkable claim; judged = submissions that could be run."""
    subs = table.judged_subs()
    out = []
    for cid in table.checkable:
        n = sum(table.cells[s.name][cid][0] != "not-checked" for s in subs)
        k = sum(table.cells[s.name][cid][0] == "right" for s in subs)
        low, high = wilson(k, n) if n else (0.0, 1.0)
        out.append((cid, k, n, low, high))
    return out


def chart_svg(rates, width: int = 640) -> str:
    """A horizontal bar per claim (its pass rate) with its 95% interval as a line; text escaped."""
    bar, gap, label = 16, 6, 280
    height = len(rates) * (bar + gap) + 30
    span = width - label - 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="pass rate per claim with 95% intervals" font-family="sans-serif" font-size="11">'
    ]
    for i, (cid, k, n, low, high) in enumerate(rates):
        y = 10 + i * (bar + gap)
        rate = k / n if n else 0.0
        parts.append(f'<text x="{label - 6}" y="{y + bar - 4}" text-anchor="end">{html.escape(cid)}</text>')
        parts.append(f'<rect x="{label}" y="{y}" width="{span:.0f}" height="{bar}" fill="#eee"/>')
        parts.append(f'<rect x="{label}" y="{y}" width="{rate * span:.1f}" height="{bar}" fill="#2e7d32"/>')
        parts.append(
            f'<line x1="{label + low * span:.1f}" x2="{label + high * span:.1f}" y1="{y + bar / 2}" '
            f'y2="{y + bar / 2}" stroke="#000" stroke-width="1.5"/>'
        )
        parts.append(f'<text x="{label + span + 4}" y="{y + bar - 4}">{k}/{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _md(text: str) -> str:
    """Text safe in a Markdown table cell (no HTML, no pipes, one line)."""
    return html.escape(" ".join(str(text).split())).replace("|", "\\|")


def markdown(table: Table) -> str:
    subs, judged_subs = table.subs, table.judged_subs()
    rates = pass_rates(table)
    scores = [table.score(s) for s in judged_subs]
    lines = [
        f"# Class report: tutorial {table.chapter}",
        "",
        f"{len(subs)} submissions, {len(judged_subs)} judged; score out of {table.max_score:g} "
        f"(median {sorted(scores)[len(scores) // 2]:g})"
        if scores
        else f"{len(subs)} submissions, none judged",
        "",
        "## Pass rate per claim",
        "",
        chart_svg(rates),
        "",
        "| claim | right | of | rate | 95% interval | the tutorial's own code |",
        "|---|---:|---:|---:|---|---|",
    ]
    for cid, k, n, low, high in rates:
        own = "fails it" if table.tutorial_fails(cid) else "passes"
        rate = f"{k / n:.0%}" if n else "-"
        lines.append(f"| {cid} | {k} | {n} | {rate} | {low:.0%} to {high:.0%} | {own} |")
    lines += ["", "## The mistakes most made", ""]
    wrong = Counter()
    for s in judged_subs:
        for cid, (value, _) in table.cells[s.name].items():
            if value == "wrong":
                wrong[cid] += 1
    if wrong:
        lines += ["| claim | submissions wrong on it (their own mistake) |", "|---|---:|"]
        lines += [f"| {cid} | {n} |" for cid, n in wrong.most_common(10)]
    else:
        lines.append("No submission made a mistake of its own.")
    named = Counter(h for s in judged_subs for h in dict.fromkeys(s.hints) if not h.startswith("note: "))
    if named:
        lines += ["", "| the mistake, named | submissions |", "|---|---:|"]
        lines += [f"| {_md(h)} | {n} |" for h, n in named.most_common(10)]
    lines += ["", "## The tutorial's own mistakes, reproduced", ""]
    own = [cid for cid in table.claim_ids if table.tutorial_fails(cid)]
    if own:
        lines += ["| claim the tutorial's own code fails | submissions failing it the same way |", "|---|---:|"]
        for cid in own:
            n = sum(table.cells[s.name][cid][0] == "wrong-as-tutorial" for s in judged_subs)
            lines.append(f"| {cid} | {n} of {len(judged_subs)} |")
    else:
        lines.append("The tutorial's own code passes every claim checked here.")
    lines += ["", "## Submissions that could not be judged", ""]
    bad = [s for s in subs if s.status != "graded"]
    if bad:
        lines += ["| submission | outcome | why |", "|---|---|---|"]
        lines += [f"| {_md(s.name)} | {s.status} | {_md(s.message)} |" for s in bad]
    else:
        lines.append("None: every submission was judged.")
    noted = [s for s in subs if s.notes]
    if noted:
        lines += ["", "## Notes", ""]
        lines += [f"- {_md(s.name)}: {_md('; '.join(s.notes))}" for s in noted]
    return "\n".join(lines) + "\n"


def document(table: Table) -> dict:
    """The class table as JSON (nnspec/schemas/class-report.schema.json): what the CSV holds, and why."""
    return {
        "tutorial": table.chapter,
        "max_score": table.max_score,
        "graded": table.graded,
        "claims": table.claim_ids,
        "tutorial_code": {cid: cell(table.tutorial.get(cid), None)[0] for cid in table.claim_ids},
        "submissions": [
            {
                "submission": sub.name,
                "status": sub.status,
                "message": sub.message,
                "score": table.score(sub),
                "seconds": round(sub.seconds, 3),
                "cells": {cid: value for cid, (value, _) in table.cells[sub.name].items()},
                "causes": {cid: note for cid, (value, note) in table.cells[sub.name].items() if note},
                "mistakes": list(sub.hints),
                "notes": list(sub.notes),
            }
            for sub in table.subs
        ],
    }


def write(table: Table, path) -> list[Path]:
    """PATH.csv, PATH.md and PATH.json."""
    base = Path(path)
    base.parent.mkdir(parents=True, exist_ok=True)
    csv_path, md_path = base.with_name(base.name + ".csv"), base.with_name(base.name + ".md")
    json_path = base.with_name(base.name + ".json")
    write_csv(table, csv_path)
    md_path.write_text(markdown(table), encoding="utf-8")
    json_path.write_text(json.dumps(document(table), indent=1) + "\n", encoding="utf-8")
    return [csv_path, md_path, json_path]


def summary_lines(table: Table) -> list[str]:
    out = []
    for sub in table.subs:
        counts = Counter(v for v, _ in table.cells[sub.name].values())
        said = sub.status if sub.status != "graded" else ", ".join(f"{counts[c]} {c}" for c in CELLS if counts[c])
        out.append(f"{sub.name}: {table.score(sub):g}/{table.max_score:g} ({said})")
    return out
