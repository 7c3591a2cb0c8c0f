"""Gradescope's ``results.json`` for one submission (the format of Gradescope's autograder specification,
written down in nnspec/schemas/gradescope-results.schema.json).

Honest: one test per graded claim, every submission of a tutorial with the same tests and ``max_score``
(the teacher's config, default: every claim the check runs on the tutorial's own code); a claim not
checked scores 0 with status ``failed`` and says why (never "passed"); a failure the tutorial's own code
shares scores as the config says. Each test's Markdown output gives the verdict, the failing check, the
rule and a link to the claim in the published book; ``extra_data`` carries the claim id, the cell, the
cause and whether the tutorial's own code fails the claim.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from nnspec.registry import load_claims

WORDS = {
    "right": "right",
    "wrong": "WRONG",
    "wrong-as-tutorial": "WRONG, as the tutorial's own code",
    "not-checked": "not checked",
    "error": "could not be judged",
}
SCHEMA = Path(__file__).resolve().parent / "schemas" / "gradescope-results.schema.json"


def _test(table, sub, number: int, cid: str, points: float | None) -> dict:
    """One claim as a Gradescope test; ``points`` None: not graded (0 of 0), shown for what it says."""
    claims = load_claims()
    claim = claims.get(cid)
    value, note = table.cells[sub.name].get(cid, ("not-checked", "not run"))
    graded = points is not None
    points = points or 0.0
    earned = points if table.earns(value) else 0.0
    quote = textwrap.shorten(claim.quote, 160, placeholder="...") if claim else cid
    lines = [f"**{WORDS[value]}**: {quote}"]
    if note and table.config.show_reasons:
        lines.append(f"- what the check found: `{' '.join(note.split())[:600]}`")
    if claim and value != "right" and table.config.show_reasons:
        lines.append(f"- the rule: {textwrap.shorten(claim.explanation, 400, placeholder='...')}")
    if value == "wrong-as-tutorial":
        lines.append("- the tutorial's own code fails this claim the same way: the mistake is the tutorial's")
    if not graded:
        lines.append("- not graded: the check cannot judge the tutorial's own code on this claim")
    link = table.config.link(cid)
    book = f"- [the claim in the book]({link})" if link else f"- the claim in the book: `{cid}`, chapter {cid[:3]}"
    lines.append(book)
    return {
        "name": cid,
        "number": str(number),
        "score": earned,
        "max_score": points,
        "status": "passed" if value == "right" else "failed",
        "output": "\n".join(lines),
        "output_format": "md",
        "visibility": table.config.visibility,
        "tags": [cid, value],
        "extra_data": {
            "claim": cid,
            "cell": value,
            "cause": note,
            "tutorial_code_fails": table.tutorial_fails(cid),
            "graded": graded,
        },
    }


def results(table, sub) -> dict:
    graded = table.graded
    ids = list(table.claim_ids) + [cid for cid in graded if cid not in table.claim_ids]  # the tutorial's order
    tests = [_test(table, sub, n, cid, graded.get(cid)) for n, cid in enumerate(ids, start=1)]
    score = sum(t["score"] for t in tests)
    if sub.status != "graded":
        head = f"**{sub.name} could not be judged** ({sub.status}): {sub.message}"
    else:
        wrong = [t["extra_data"]["claim"] for t in tests if t["extra_data"]["cell"] == "wrong"]
        head = f"{sub.name} against tutorial {table.chapter}: {score:g} of {table.max_score:g}."
        if wrong:
            first = next(t for t in tests if t["extra_data"]["claim"] == wrong[0])
            head += f"\n\n**Fix first**: {wrong[0]}. {first['extra_data']['cause'][:400]}"
    if sub.notes:
        head += "\n\nNotes: " + "; ".join(sub.notes)
    return {
        "score": score,
        "execution_time": round(sub.seconds, 3),
        "output": head,
        "output_format": "md",
        "visibility": table.config.visibility,
        "stdout_visibility": "hidden",
        "extra_data": {"tutorial": table.chapter, "submission": sub.name, "status": sub.status},
        "tests": tests,
    }


def write(path, doc: dict) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return path
