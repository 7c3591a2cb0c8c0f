"""The results of the mutation check and of its mirror (the legitimate variants), for the site.

test_mutants.py and test_variants.py each record their half with :func:`record`: always in
``test-artifacts/teeth/``, and, when ``REFERENCE_NN_WRITE_TEETH=1`` is set (a deliberate
regeneration), in the committed ``tests/conformance/teeth_results.json`` and the Markdown table
rendered from it, ``tests/conformance/teeth_results.md``, which docs/teeth.md includes.
"""

from __future__ import annotations

import html
import json
import os
import platform
from datetime import UTC, datetime

from tests.conformance.suite import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "teeth"
RESULTS_JSON = ROOT / "tests" / "conformance" / "teeth_results.json"
RESULTS_MD = RESULTS_JSON.with_suffix(".md")


def record(part: str, rows: list[dict], seconds: float) -> None:
    """Write one half ("mutants" or "variants") of the results, keeping the other half as it was."""
    entry = {
        "rows": rows,
        "wall_seconds": round(seconds, 1),
        "generated": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{part}.json").write_text(json.dumps(entry, indent=1), encoding="utf-8")
    if os.environ.get("REFERENCE_NN_WRITE_TEETH"):
        document = json.loads(RESULTS_JSON.read_text(encoding="utf-8")) if RESULTS_JSON.is_file() else {}
        document[part] = entry
        RESULTS_JSON.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        RESULTS_MD.write_text(markdown(document), encoding="utf-8")


def _cell(text) -> str:
    text = html.escape(str(text), quote=False).replace("|", "&#124;").replace("[", "&#91;").replace("]", "&#93;")
    return text.replace("_", "&#95;").replace("*", "&#42;").replace("`", "&#96;").replace("\n", " ")


def markdown(document: dict) -> str:
    """Two tables: each mutant with the rules it breaks and the reason that rejected it; each variant."""
    out = []
    mutants = document.get("mutants")
    if mutants:
        rows = mutants["rows"]
        rejected = sum(r["rejected"] and not r["missing"] and not r["unnamed"] for r in rows)
        out += [
            "### Mutants",
            "",
            f"{rejected} of {len(rows)} mutants rejected, each by a failing rule that names it "
            f"({mutants['wall_seconds']:.0f} s, {mutants['machine']}, {mutants['generated']}).",
            "",
            "| mutant | the bug | rules it breaks | rejected by (first failing rule's reason) | also fails |",
            "| --- | --- | --- | --- | --- |",
        ]
        for r in rows:
            first = r["rules"][0]
            reason = r["failing_rules"].get(first, "not rejected")
            others = sorted(set(r["failing_rules"]) - set(r["rules"]))
            out.append(
                f"| `{_cell(r['name'])}` | {_cell(r['bug'])} | {_cell(', '.join(r['rules']))} | "
                f"{_cell(reason[:160])} | {_cell(', '.join(others))} |"
            )
        out.append("")
    variants = document.get("variants")
    if variants:
        rows = variants["rows"]
        clean = sum(not r["alarms"] and r["exit"] == 0 for r in rows)
        out += [
            "### Legitimate variants",
            "",
            f"{clean} of {len(rows)} variants pass every claim and rule that is not reference-only "
            f"({variants['wall_seconds']:.0f} s, {variants['machine']}, {variants['generated']}).",
            "",
            "| variant | what it does differently | outcomes (claims and rules) | false alarms |",
            "| --- | --- | --- | --- |",
        ]
        for r in rows:
            outcomes = ", ".join(f"{n} {k}" for k, n in sorted(r["outcomes"].items()))
            alarms = "; ".join(f"{k}: {v}" for k, v in r["alarms"].items()) or "none"
            out.append(f"| `{_cell(r['name'])}` | {_cell(r['how'])} | {_cell(outcomes)} | {_cell(alarms[:300])} |")
        out.append("")
    return "\n".join(out)
