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
import re
import sys
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


def _md(text: str) -> str:
    """Text from a submission (its file's name, what its code raised) as literal Markdown."""
    return re.sub(r"([\\`*_{}\[\]()#+!|<>~])", r"\\\1", str(text))


def _code(text: str) -> str:
    """Text as inline code, whatever backticks it holds (a fence longer than its longest run of them)."""
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


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
        lines.append(f"- what the check found: {_code(' '.join(note.split())[:600])}")
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
        head = f"**{_md(sub.name)} could not be judged** ({sub.status}): {_md(sub.message)}"
    else:
        wrong = [t["extra_data"]["claim"] for t in tests if t["extra_data"]["cell"] == "wrong"]
        head = f"{_md(sub.name)} against tutorial {table.chapter}: {score:g} of {table.max_score:g}."
        named = [h for h in sub.hints if not h.startswith("note: ")]  # the mistake by name (nnspec.mistakes)
        if wrong and named:
            head += f"\n\n**Fix first**: {_md(named[0])} (it makes {', '.join(wrong)} wrong)"
        elif wrong:
            first = next(t for t in tests if t["extra_data"]["claim"] == wrong[0])
            head += f"\n\n**Fix first**: {wrong[0]}: {_code(' '.join(first['extra_data']['cause'].split())[:400])}"
    if sub.notes:
        head += "\n\nNotes: " + _md("; ".join(sub.notes))
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


def pick(results: Path, code: int) -> dict:
    """The results.json of one Gradescope submission from the class grader's ``results/each/*/results.json``:
    the only one, or the first by name saying how many files were handed in; a clear 0 when nothing was
    graded (no gradable file, or the grader itself failed with exit ``code``: its log's end is shown)."""
    each = sorted(Path(results, "each").glob("*/results.json"))
    if each:
        doc = json.loads(each[0].read_text(encoding="utf-8"))
        if len(each) > 1:
            doc["output"] = (
                f"{len(each)} .py or .ipynb files were handed in; this grade is the first by name "
                f"({_md(each[0].parent.name)}). Hand in one file.\n\n" + doc.get("output", "")
            )
        return doc
    if code:
        log = Path(results, "grader.log")
        tail = log.read_text(encoding="utf-8", errors="replace")[-1500:] if log.is_file() else ""
        text = f"The autograder could not grade this submission (exit {code}); please tell your teacher."
        return {"score": 0.0, "output": text + "\n\n" + tail, "output_format": "text", "tests": []}
    return {"score": 0.0, "output": "No .py or .ipynb file was handed in.", "output_format": "text", "tests": []}


def main(argv: list[str]) -> int:
    """``python -m nnspec.gradescope pick RESULTS_DIR GRADER_EXIT_CODE`` (run_autograder's last step)."""
    if len(argv) != 3 or argv[0] != "pick" or not argv[2].lstrip("-").isdigit():
        print("usage: python -m nnspec.gradescope pick RESULTS_DIR GRADER_EXIT_CODE", file=sys.stderr)
        return 2
    write(Path(argv[1]) / "results.json", pick(Path(argv[1]), int(argv[2])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
