"""The conformance report: each claim's (and each protocol rule's) outcome in one run, for the
terminal, JSON and Markdown.

A test's outcome comes from its pytest reports (setup, call, teardown), the worst first::

    crashed > timed out > failed > xfailed > not implemented > skipped > xpassed > passed

and the protocol functions it called through ``impl`` travel with its reports. A claim's outcome
comes from every test that names it. In *validation mode* (any implementation but the reference)
an outcome must be earned by the implementation:

- ``passed`` only when at least one of the claim's tests called the implementation and none of
  them failed; a claim none of whose tests called it is ``not about the implementation`` (its
  verdict is about the tutorial or the reference, decided at run time, not by hand);
- ``reference-only`` for claims that need NumPy's legacy random stream or the reference's internals;
- ``errored`` when a test failed without ever calling the implementation (the specification's own
  fault, never counted against the implementation);
- ``crashed`` when the test's process died (the report says in which function), ``timed out`` when it
  ran past its time limit.

A claim listed in a known-failures file is ``xfailed`` when at least one of its tests failed, and
``xpassed`` when it passed (the list is strict at the level of claims); a failing test that names a
listed and an unlisted claim fails the unlisted one.

The JSON shape is published as a JSON Schema, ``nnspec/schemas/conformance-report.schema.json``
(readers load reports through :func:`nnspec.reports.load`, which validates them against it).
"""

from __future__ import annotations

import json
import os
import platform
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from nnspec.display import NAME_LIMIT, safe
from nnspec.impl import NOT_IMPLEMENTED, REFERENCE_ONLY
from nnspec.outcomes import FAILING, Outcome

#: Why a reference-only claim is not checked on other implementations (the registry's reference_only).
REFERENCE_ONLY_WHY = "needs NumPy's legacy random stream or reference_nn internals (registry field reference_only)"
NOT_ABOUT = str(Outcome.NOT_ABOUT)
NOT_ABOUT_WHY = "no test of this claim calls the implementation: its verdict is about the tutorial or the reference"

OUTCOMES = tuple(Outcome)  # the order the counts are shown in
_TEST_SEVERITY = (
    Outcome.CRASHED,
    Outcome.TIMED_OUT,
    Outcome.FAILED,
    Outcome.XFAILED,
    Outcome.NOT_IMPLEMENTED,
    Outcome.SKIPPED,
    Outcome.NOT_ABOUT,
    Outcome.XPASSED,
    Outcome.PASSED,
)
KNOWN_FAILURE = "known failure: "
#: The user property the plugin puts on the report pytest-xdist makes for a test whose worker died
#: (its ``pytest_handlecrashitem`` hook): the id of that worker.
CRASHED_WORKER = "crashed_worker"
#: nnspec.wire.client's message when the implementation's child process died during a call
WIRE_CRASH = re.compile(r"the implementation crashed in (\w+): (.*)")
TIMEOUT = re.compile(r"^(?:Failed: )?Timeout \(>([\d.]+)s\)")

#: One-line hints for mistakes that show up as a recognisable message.
HINTS = (
    ("overflow encountered in exp", "use a numerically stable sigmoid/softmax (no exp of a large positive number)"),
    ("divide by zero encountered in log", "clip predictions to [1e-15, 1 - 1e-15] before the logarithm"),
    ("invalid value encountered in log", "clip predictions to [1e-15, 1 - 1e-15] before the logarithm"),
    ("float32", "the protocol is float64: convert at the adapter's boundary"),
    ("float16", "the protocol is float64: convert at the adapter's boundary"),
)


@dataclass
class TestRecord:
    """What one test did in this run: its outcome, the reason unless it passed, and the functions it called."""

    nodeid: str
    claims: list[str]
    rules: list[str] = field(default_factory=list)
    outcome: Outcome = Outcome.PASSED
    reason: str = ""
    xfail_reason: str = ""  # the xfail marker's reason, for an expected failure
    calls: list[str] = field(default_factory=list)


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
    """The first line of the failure (the assertion's message, or the exception with its type), with a
    hint where the message shows a common mistake."""
    crash = getattr(report.longrepr, "reprcrash", None)
    message = getattr(crash, "message", "") if crash is not None else ""
    if not message:
        reason = _first_line(str(report.longrepr))
    elif message.startswith("AssertionError"):
        message = message.removeprefix("AssertionError").lstrip(":")
        reason = _numpy_detail(message) or _first_line(message) or "AssertionError"
    else:
        reason = _first_line(message).removeprefix("Failed: ")  # pytest.fail's own prefix says nothing
    return with_hint(reason)


def with_hint(reason: str) -> str:
    for pattern, hint in HINTS:
        if pattern in reason and hint not in reason:
            return f"{reason} (hint: {hint})"
    return reason


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


def _phase_outcome(report) -> tuple[Outcome, str] | None:
    """(outcome, reason) of one phase report, or None when the phase just passed."""
    if hasattr(report, "wasxfail"):
        if report.skipped:
            return Outcome.XFAILED, failure_reason(report)
        if report.passed:
            return Outcome.XPASSED, ""
    if report.failed:
        if CRASHED_WORKER in dict(report.user_properties):
            return Outcome.CRASHED, ""
        message = getattr(getattr(report.longrepr, "reprcrash", None), "message", "") or str(report.longrepr)
        wire = WIRE_CRASH.search(message)
        if wire:  # over the wire: the client knew the call in flight
            return Outcome.CRASHED, f"the implementation crashed in {wire.group(1)}: {wire.group(2).strip()}"
        reason = failure_reason(report)
        limit = TIMEOUT.search(reason)
        if limit:
            return Outcome.TIMED_OUT, f"timeout after {float(limit.group(1)):g} s"
        where = "" if report.when == "call" else f"error in {report.when}: "
        return Outcome.FAILED, where + reason
    if report.skipped:
        reason = skip_reason(report.longrepr)
        if reason.startswith(NOT_IMPLEMENTED):
            return Outcome.NOT_IMPLEMENTED, reason
        if reason.startswith(NOT_ABOUT):
            return Outcome.NOT_ABOUT, reason
        return Outcome.SKIPPED, reason
    return None


@dataclass
class Ledger:
    """Collects the reports of a run and turns them into per-claim and per-rule outcomes.

    ``validation``: outcomes must be earned by the implementation (see the module docs).
    ``markers_of``: nodeid -> (claims, rules) or None (nnspec.markers.of_nodeid), for a test whose own
    reports never arrived (its worker crashed);
    ``last_call``: worker id -> the protocol function that process last entered (where it crashed).
    """

    known_failures: frozenset[str] = frozenset()
    reference_only: frozenset[str] = frozenset()
    validation: bool = False
    markers_of: object = None
    last_call: object = None
    tests: dict[str, TestRecord] = field(default_factory=dict)

    def record(self, report) -> None:
        props = dict(report.user_properties)
        test = self.tests.get(report.nodeid)
        if test is None:
            claims, rules = props.get("claims"), props.get("rules", [])
            if claims is None and self.markers_of is not None and report.failed:
                claims, rules = self.markers_of(report.nodeid) or (None, [])
            if claims is None:
                return
            test = self.tests[report.nodeid] = TestRecord(report.nodeid, list(claims), list(rules))
        calls = props.get("calls", [])
        for name in calls:
            if name not in test.calls:
                test.calls.append(name)
        phase = _phase_outcome(report)
        if phase is None:
            return
        outcome, reason = phase
        if outcome == Outcome.CRASHED and not reason:  # (over the wire the reason names the call in flight already)
            worker = props[CRASHED_WORKER]
            function = self.last_call(worker) if self.last_call else ""
            if function and function not in test.calls:
                test.calls.append(function)
            reason = crash_reason(test, function)
        if outcome == Outcome.TIMED_OUT and calls:
            reason += f" in {calls[-1]}"
        if outcome == Outcome.XFAILED:
            test.xfail_reason = str(report.wasxfail)
            if self.validation and not test.xfail_reason.startswith(KNOWN_FAILURE):
                # the specification marks nothing as an expected failure: the implementation called pytest.xfail
                outcome, reason = Outcome.FAILED, f"the implementation declared an expected failure: {reason}"
        if _TEST_SEVERITY.index(outcome) < _TEST_SEVERITY.index(test.outcome):
            test.outcome, test.reason = outcome, safe(reason)  # the code under test's words, made safe

    def claim_outcomes(self) -> dict[str, dict]:
        """{claim id: {"outcome", "reason", "tests", "called"}} for every claim a test of this run names."""
        return self._outcomes("claims")

    def rule_outcomes(self) -> dict[str, dict]:
        """The same for the adapter-protocol rules."""
        return self._outcomes("rules")

    def _outcomes(self, attribute: str) -> dict[str, dict]:
        groups: dict[str, list[TestRecord]] = {}
        for test in self.tests.values():
            for key in getattr(test, attribute):
                groups.setdefault(key, []).append(test)
        return {key: self._entry(key, tests) for key, tests in sorted(groups.items())}

    def _entry(self, cid: str, tests: list[TestRecord]) -> dict:
        entry = self._unlisted(cid, tests)
        entry["called"] = sorted({name for t in tests for name in t.calls})
        if cid in self.known_failures:
            if entry["outcome"] in FAILING and entry["outcome"] != Outcome.XPASSED:
                entry["outcome"] = Outcome.XFAILED
            elif entry["outcome"] == Outcome.PASSED:
                entry.update(outcome=Outcome.XPASSED, reason="listed as a known failure, but every test of it passed")
        return entry

    def _unlisted(self, cid: str, tests: list[TestRecord]) -> dict:
        nodeids = [t.nodeid for t in tests]
        for outcome in (Outcome.CRASHED, Outcome.TIMED_OUT, Outcome.FAILED):
            hits = [t for t in tests if t.outcome == outcome]
            if hits:
                test = hits[0]
                if outcome == Outcome.FAILED and self.validation and not test.calls:
                    return _entry(
                        Outcome.ERRORED,
                        f"the specification failed without calling the implementation: {_name_reason(test)}",
                        nodeids,
                    )
                return _entry(outcome, _name_reason(test) + _shared(test, cid), nodeids)
        unlisted = [t for t in tests if t.outcome == Outcome.XFAILED and t.xfail_reason.startswith(KNOWN_FAILURE)]
        if unlisted:
            test = unlisted[0]
            reason = _name_reason(test)
            if cid not in self.known_failures:
                listed = test.xfail_reason.removeprefix(KNOWN_FAILURE)
                reason += f" (the test also checks {listed}, which is listed; this claim is not)"
            return _entry(Outcome.FAILED, reason, nodeids)
        if cid in self.reference_only:
            return _entry(Outcome.REFERENCE_ONLY, f"{REFERENCE_ONLY}{cid} {REFERENCE_ONLY_WHY}", nodeids)
        for outcome in (Outcome.XFAILED, Outcome.NOT_IMPLEMENTED, Outcome.SKIPPED):
            hits = [t for t in tests if t.outcome == outcome]
            if hits:
                reasons = sorted({t.reason for t in hits if t.reason})
                return _entry(outcome, "; ".join(reasons), nodeids)
        if self.validation and not any(t.calls for t in tests if t.outcome in (Outcome.PASSED, Outcome.XPASSED)):
            return _entry(Outcome.NOT_ABOUT, NOT_ABOUT_WHY, nodeids)
        return _entry(Outcome.PASSED, "", nodeids)


def crash_reason(test: TestRecord, function: str = "") -> str:
    function = function or (test.calls[-1] if test.calls else "")
    where = f" in {function}" if function else ""
    return f"the implementation crashed{where}: its process died"


def _shared(test: TestRecord, cid: str) -> str:
    others = [c for c in test.claims if c != cid]
    return f" (one test decides this claim with {', '.join(others)}: the reason is shared)" if others else ""


def _name_reason(test: TestRecord) -> str:
    name = test.nodeid.rsplit("::", 1)[-1]
    return f"{test.reason} [{name}]" if test.reason else name


def _entry(outcome: Outcome, reason: str, tests: list[str]) -> dict:
    return {"outcome": outcome, "reason": reason, "tests": tests}


def failing_test(entry: dict) -> str:
    """The name of the test a failing entry's reason names (``reason [test]``)."""
    named = re.search(r"\[([^\[\]]+(?:\[[^\[\]]*\])?)\](?: \(one test decides.*\))?$", entry["reason"])
    return named.group(1) if named else entry["reason"].split(":", 1)[0]


def failing_claims(claims: dict[str, dict]) -> list[str]:
    """Claims (or rules) whose outcome fails the run."""
    return [cid for cid, entry in claims.items() if entry["outcome"] in FAILING]


def implementation_info(impl, tutorial_code: str | None = None) -> dict:
    """How the implementation was run: its language, the mode (in this harness's process, or over the wire,
    boxed or not), what isolated it, and where it came from (the --impl value, or --tutorial-code's, as given)."""
    if hasattr(type(impl), "implementation_info"):  # nnspec.wire.client.WireImplementation says it itself
        return {**impl.implementation_info(), **({"source": tutorial_code} if tutorial_code else {})}
    return {
        "language": "python",
        "mode": "in-process",
        "box": "none: the implementation runs inside the harness's own pytest process",
        "source": tutorial_code or impl.spec,
    }


def document(implementation: str, version: str, claims: dict[str, dict], **run) -> dict:
    """The JSON report; ``run`` adds reference, complete, exit, protocol, rules, checkout_changed and
    implementation_info (see nnspec/schemas/conformance-report.schema.json)."""
    doc = {
        "implementation": safe(implementation, NAME_LIMIT),
        "version": safe(version, NAME_LIMIT),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        **run,
        "claims": claims,
    }
    doc.setdefault("rules", {})
    return doc


def counts(claims: dict[str, dict]) -> Counter:
    return Counter(entry["outcome"] for entry in claims.values())


def summary_line(claims: dict[str, dict], what: str = "claims") -> str:
    c = counts(claims)
    parts = [f"{c[o]} {o}" for o in OUTCOMES if c[o]]
    return f"conformance: {len(claims)} {what} run: " + (", ".join(parts) or "none")


def terminal_lines(claims: dict[str, dict], verbose: bool = False, width: int = 120) -> list[str]:
    """A compact table: every claim that did not pass (all claims when verbose), then the counts.

    Each row is ``id  outcome  reason``; the reason comes first and is never cut (the test's name,
    in brackets at its end, is what a narrow terminal loses first)."""
    quiet = (Outcome.PASSED, Outcome.NOT_ABOUT, Outcome.REFERENCE_ONLY)  # nothing to act on: shown with -v
    rows = [(cid, e) for cid, e in claims.items() if verbose or e["outcome"] not in quiet]
    lines = []
    if rows:
        id_width = max(len(cid) for cid, _ in rows)
        out_width = max(len(e["outcome"]) for _, e in rows)
        for cid, entry in rows:
            lines.append(f"{cid:<{id_width}}  {entry['outcome']:<{out_width}}  {entry['reason']}".rstrip())
    lines.append(summary_line(claims))
    return lines


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def markdown(doc: dict, quotes: dict[str, str] | None = None) -> str:
    """The Markdown report: header, whether the run completed, counts, then one row per claim and per rule."""
    quotes = quotes or {}
    claims = doc["claims"]
    c = counts(claims)
    status = "complete" if doc.get("complete", True) else f"INCOMPLETE ({_cell(doc.get('exit', ''))})"
    out = [
        f"# Conformance report: {_cell(doc['implementation'])} {_cell(doc['version'])}",
        "",
        f"Python {doc['python']}, NumPy {doc['numpy']}; generated {doc['generated']}; run {status}.",
        "",
        "| outcome | claims |",
        "| --- | ---: |",
        *[f"| {o} | {c[o]} |" for o in OUTCOMES if c[o]],
        "",
        "| claim | outcome | claim says | reason |",
        "| --- | --- | --- | --- |",
    ]
    for cid, entry in claims.items():
        out.append(f"| `{cid}` | {entry['outcome']} | {_cell(quotes.get(cid, ''))} | {_cell(entry['reason'])} |")
    if doc.get("rules"):
        out += ["", "| protocol rule | outcome | reason |", "| --- | --- | --- |"]
        out += [f"| `{rid}` | {e['outcome']} | {_cell(e['reason'])} |" for rid, e in doc["rules"].items()]
    return "\n".join(out) + "\n"


def report_paths(path: str | Path) -> tuple[Path, Path]:
    """PATH.json and PATH.md (a .json or .md suffix on PATH is dropped first)."""
    base = Path(path)
    if base.suffix in (".json", ".md"):
        base = base.with_suffix("")
    return base.with_name(base.name + ".json"), base.with_name(base.name + ".md")


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder and rename it: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(path: str | Path, doc: dict, quotes: dict[str, str] | None = None) -> tuple[Path, Path]:
    """Write PATH.json and PATH.md."""
    json_path, md_path = report_paths(path)
    write_atomically(json_path, json.dumps(doc, indent=1) + "\n")
    write_atomically(md_path, markdown(doc, quotes))
    return json_path, md_path
