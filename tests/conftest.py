"""pytest wiring for the specification: claim markers, the implementation under test, the summary line."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from tests._spec.impl import load_adapter, spec_from_config
from tests._spec.registry import load_claims

GOLDEN = Path(__file__).resolve().parent / "golden"
SPEC_DIR = Path(__file__).resolve().parent / "spec"


def pytest_addoption(parser):
    group = parser.getgroup("reference_nn", "reference_nn specification")
    group.addoption(
        "--impl",
        default=None,
        help="adapter under test: a dotted module path or a .py file (default: $REFERENCE_NN_IMPL or reference_nn)",
    )
    group.addoption(
        "--claims-json",
        default=None,
        metavar="PATH",
        help="write each claim's outcome in this run (passed/failed/skipped) as JSON",
    )


def pytest_configure(config):
    config._claim_outcomes = defaultdict(list)


def pytest_report_header(config):
    adapter = load_adapter(spec_from_config(config))
    return f"implementation under test: {getattr(adapter, 'NAME', adapter.__name__)} {getattr(adapter, 'VERSION', '?')}"


def claim_ids(item) -> list[str]:
    return [cid for mark in item.iter_markers("claim") for cid in mark.args]


def pytest_collection_modifyitems(config, items):
    claims = load_claims()
    problems = []
    for item in items:
        ids = claim_ids(item)
        unknown = [cid for cid in ids if cid not in claims]
        if unknown:
            problems.append(f"{item.nodeid}: unknown claim ids {unknown}")
        if not ids and SPEC_DIR in Path(item.fspath).parents:
            problems.append(f"{item.nodeid}: a specification test must name its claims with @pytest.mark.claim")
        item.user_properties.append(("claims", ids))
    if problems:
        raise pytest.UsageError("claim markers:\n  " + "\n  ".join(problems))


def pytest_runtest_logreport(report):
    if report.when == "call" or report.outcome != "passed":
        ids = dict(report.user_properties).get("claims", [])
        outcome = "xfailed" if hasattr(report, "wasxfail") else report.outcome
        for cid in ids:
            _outcomes[cid].append((report.nodeid, report.when, outcome))


_outcomes: dict[str, list] = defaultdict(list)


def claim_outcomes() -> dict[str, str]:
    """Per claim run this session: 'failed' if any of its tests failed, else 'passed' or 'skipped'."""
    result = {}
    for cid, runs in _outcomes.items():
        outcomes = {o for _, _, o in runs}
        result[cid] = "failed" if "failed" in outcomes else "passed" if "passed" in outcomes else "skipped"
    return result


def pytest_terminal_summary(terminalreporter, config):
    if not _outcomes or hasattr(config, "workerinput"):
        return
    claims = load_claims()
    outcomes = claim_outcomes()
    counts = defaultdict(int)
    for cid, claim in claims.items():
        if not claim.testable:
            counts["out-of-scope"] += 1
        elif outcomes.get(cid) == "passed":
            counts["checked"] += 1
            counts[claim.verdict] += 1
        elif outcomes.get(cid) == "failed":
            counts["failing"] += 1
        else:
            counts["not run"] += 1
    terminalreporter.write_line(
        f"claims: {len(claims)} in the registry; {counts['checked']} checked "
        f"({counts['holds']} hold, {counts['refuted']} refuted, {counts['qualified']} qualified), "
        f"{counts['out-of-scope']} out of scope; {counts['failing']} failing, {counts['not run']} not run"
    )
    path = config.getoption("claims_json", None)
    if path:
        Path(path).write_text(json.dumps(outcomes, indent=1, sort_keys=True))


@pytest.fixture(scope="session")
def impl(pytestconfig):
    """The adapter under test (see reference_nn.adapter for the protocol)."""
    return load_adapter(spec_from_config(pytestconfig))


def load_golden(relpath: str):
    """A YAML golden file under tests/golden/."""
    return yaml.safe_load((GOLDEN / relpath).read_text(encoding="utf-8"))
