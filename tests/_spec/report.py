"""The conformance report: each claim's outcome in one run, for the terminal, JSON and Markdown.

A test's outcome comes from its pytest reports (setup, call, teardown); a claim's outcome
from the outcomes of every test that names it, the worst first::

    failed > xfailed > not implemented > skipped > passed

In validation mode a reference-only claim that did not fail is ``skipped``, even where some of
its tests (those that do not use the implementation) ran. A claim listed in a known-failures
file is ``xfailed`` when at least one of its tests failed, and ``xpassed`` when all of them
passed (a skipped or not implemented claim stays so); ``xpassed`` fails the run: the list is
strict at the level of claims. A failing test that names a listed and an unlisted claim fails
the unlisted one: the list must name every claim that fails.

The JSON shape (read by the docs site)::

    {"implementation": str, "version": str, "python": str, "numpy": str, "generated": ISO time,
     "claims": {claim_id: {"outcome": str, "reason": str, "tests": [nodeid, ...]}}}
"""

from __future__ import annotations

import json
import platform
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from tests._spec.impl import NOT_IMPLEMENTED, REFERENCE_ONLY

#: Why a reference-only claim is not checked on other implementations (the registry's reference_only).
REFERENCE_ONLY_WHY = "needs NumPy's legacy random stream or reference_nn internals (registry field reference_only)"

OUTCOMES = ("passed", "failed", "skipped", "not implemented", "xfailed", "xpassed")
_SEVERITY = ("failed", "xfailed", "not implemented", "skipped", "xpassed", "passed")
KNOWN_FAILURE = "known failure: "


@dataclass
class TestRecord:
    """What one test did in this run: its outcome and, unless it passed, the reason."""

    nodeid: str
    claims: list[str]
    outcome: str = "passed"  # passed | failed | skipped | not implemented | xfailed | xpassed
    reason: str = ""
    xfail_reason: str = ""  # the xfail marker's reason, for an expected failure


def _first_line(text: str) -> str:
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()
    return ""


def skip_reason(longrepr) -> str:
    """The reason of a skip report: pytest stores (path, lineno, 'Skipped: reason')."""
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        text = str(longrepr[2])
    else:
        text = str(longrepr)
    return text.removeprefix("Skipped: ")


def failure_reason(report) -> str:
    """The first line of the failure: the assertion's message, or the exception with its type."""
    crash = getattr(report.longrepr, "reprcrash", None)
    message = getattr(crash, "message", "") if crash is not None else ""
    if not message:
        return _first_line(str(report.longrepr))
    if message.startswith("AssertionError"):
        message = message.removeprefix("AssertionError").lstrip(":")
        return _numpy_detail(message) or _first_line(message) or "AssertionError"
    return _first_line(message)


_NUMPY_HEADS = ("Not equal to tolerance", "Arrays are not equal", "Arrays are not almost equal")


def _numpy_detail(message: str) -> str:
    """numpy.testing's first line says only which comparison failed: add its err_msg and the worst miss."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if not lines or not lines[0].startswith(_NUMPY_HEADS):
        return ""
    extra = []
    if len(lines) > 1 and not lines[1].startswith(("Mismatched", "Max ", "(shapes", "x and y", "ACTUAL")):
        extra.append(lines[1])  # the test's err_msg
    extra += [line for line in lines if line.startswith(("Max relative difference", "(shapes"))][:1]
    return "; ".join([lines[0], *extra])


def _phase_outcome(report) -> tuple[str, str] | None:
    """(outcome, reason) of one phase report, or None when the phase just passed."""
    if hasattr(report, "wasxfail"):
        if report.skipped:
            return "xfailed", failure_reason(report)
        if report.passed:
            return "xpassed", ""
    if report.failed:
        where = "" if report.when == "call" else f"error in {report.when}: "
        return "failed", where + failure_reason(report)
    if report.skipped:
        reason = skip_reason(report.longrepr)
        if reason.startswith(NOT_IMPLEMENTED):
            return "not implemented", reason
        return "skipped", reason
    return None


@dataclass
class Ledger:
    """Collects the reports of a run and turns them into per-claim outcomes."""

    known_failures: frozenset[str] = frozenset()
    reference_only: frozenset[str] = frozenset()  # claims to report as skipped (validation mode)
    tests: dict[str, TestRecord] = field(default_factory=dict)

    def record(self, report) -> None:
        claims = dict(report.user_properties).get("claims")
        if claims is None:
            return
        test = self.tests.setdefault(report.nodeid, TestRecord(report.nodeid, list(claims)))
        phase = _phase_outcome(report)
        if phase is None:
            return
        outcome, reason = phase
        if outcome == "xfailed":
            test.xfail_reason = str(report.wasxfail)
        if _SEVERITY.index(outcome) < _SEVERITY.index(test.outcome):
            test.outcome, test.reason = outcome, reason

    def claim_outcomes(self) -> dict[str, dict]:
        """{claim id: {"outcome", "reason", "tests"}} for every claim that a test of this run names."""
        per_claim: dict[str, list[TestRecord]] = {}
        for test in self.tests.values():
            for cid in test.claims:
                per_claim.setdefault(cid, []).append(test)
        return {cid: self._claim(cid, tests) for cid, tests in sorted(per_claim.items())}

    def _claim(self, cid: str, tests: list[TestRecord]) -> dict:
        entry = self._unlisted_claim(cid, tests)
        if cid in self.known_failures:
            if entry["outcome"] in ("failed", "xfailed"):
                entry["outcome"] = "xfailed"
            elif entry["outcome"] == "passed":
                entry.update(outcome="xpassed", reason="listed as a known failure, but every test of it passed")
        return entry

    def _unlisted_claim(self, cid: str, tests: list[TestRecord]) -> dict:
        nodeids = [t.nodeid for t in tests]
        failed = [t for t in tests if t.outcome == "failed"]
        unlisted = [t for t in tests if t.outcome == "xfailed" and t.xfail_reason.startswith(KNOWN_FAILURE)]
        if failed or unlisted:
            test = (failed + unlisted)[0]
            reason = _name_reason(test)
            if not failed and cid not in self.known_failures:
                listed = test.xfail_reason.removeprefix(KNOWN_FAILURE)
                reason += f" (the test also checks {listed}, which is listed; this claim is not)"
            return _entry("failed", reason, nodeids)
        if cid in self.reference_only:
            return _entry("skipped", f"{REFERENCE_ONLY}{cid} {REFERENCE_ONLY_WHY}", nodeids)
        for outcome in ("xfailed", "not implemented", "skipped"):
            hits = [t for t in tests if t.outcome == outcome]
            if hits:
                reasons = sorted({t.reason for t in hits if t.reason})
                return _entry(outcome, "; ".join(reasons), nodeids)
        return _entry("passed", "", nodeids)


def _name_reason(test: TestRecord) -> str:
    name = test.nodeid.rsplit("::", 1)[-1]
    return f"{name}: {test.reason}" if test.reason else name


def _entry(outcome: str, reason: str, tests: list[str]) -> dict:
    return {"outcome": outcome, "reason": reason, "tests": tests}


def failing_claims(claims: dict[str, dict]) -> list[str]:
    """Claims whose outcome fails the run: failed, or listed as known failures and passing."""
    return [cid for cid, entry in claims.items() if entry["outcome"] in ("failed", "xpassed")]


def document(implementation: str, version: str, claims: dict[str, dict]) -> dict:
    """The JSON report."""
    return {
        "implementation": implementation,
        "version": version,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "claims": claims,
    }


def counts(claims: dict[str, dict]) -> Counter:
    return Counter(entry["outcome"] for entry in claims.values())


def summary_line(claims: dict[str, dict]) -> str:
    c = counts(claims)
    parts = [f"{c[o]} {o}" for o in OUTCOMES if c[o]]
    return f"conformance: {len(claims)} claims run: " + (", ".join(parts) or "none")


def terminal_lines(claims: dict[str, dict], verbose: bool = False, width: int = 120) -> list[str]:
    """A compact table: every claim that did not pass (all claims when verbose), then the counts."""
    rows = [(cid, e) for cid, e in claims.items() if verbose or e["outcome"] != "passed"]
    lines = []
    if rows:
        id_width = max(len(cid) for cid, _ in rows)
        for cid, entry in rows:
            line = f"{cid:<{id_width}}  {entry['outcome']:<15}  {entry['reason']}".rstrip()
            lines.append(line if len(line) <= width else line[: width - 3] + "...")
    lines.append(summary_line(claims))
    return lines


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def markdown(doc: dict, quotes: dict[str, str] | None = None) -> str:
    """The Markdown report: header, counts, then one row per claim."""
    quotes = quotes or {}
    claims = doc["claims"]
    c = counts(claims)
    out = [
        f"# Conformance report: {doc['implementation']} {doc['version']}",
        "",
        f"Python {doc['python']}, NumPy {doc['numpy']}; generated {doc['generated']}.",
        "",
        "| outcome | claims |",
        "| --- | ---: |",
        *[f"| {o} | {c[o]} |" for o in OUTCOMES],
        "",
        "| claim | outcome | claim says | reason |",
        "| --- | --- | --- | --- |",
    ]
    for cid, entry in claims.items():
        out.append(f"| `{cid}` | {entry['outcome']} | {_cell(quotes.get(cid, ''))} | {_cell(entry['reason'])} |")
    return "\n".join(out) + "\n"


def write(path: str | Path, doc: dict, quotes: dict[str, str] | None = None) -> tuple[Path, Path]:
    """Write PATH.json and PATH.md (a .json or .md suffix on PATH is dropped first)."""
    base = Path(path)
    if base.suffix in (".json", ".md"):
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    json_path, md_path = base.with_name(base.name + ".json"), base.with_name(base.name + ".md")
    json_path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    md_path.write_text(markdown(doc, quotes), encoding="utf-8")
    return json_path, md_path


def read_known_failures(path: str | Path) -> list[str]:
    """Claim ids from a known-failures file: one per line, '#' starts a comment."""
    ids = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            ids.append(text.split()[0])
    return ids


def known_failures_text(claims: dict[str, dict], header: str = "") -> str:
    """A known-failures list of the claims that failed (or failed as expected) in a report."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    failing = {cid: e for cid, e in claims.items() if e["outcome"] in ("failed", "xfailed")}
    width = max((len(cid) for cid in failing), default=0)
    for cid, entry in failing.items():
        test = entry["reason"].split(":", 1)[0]
        lines.append(f"{cid:<{width}}  # {test}")
    return "\n".join(lines) + "\n"
