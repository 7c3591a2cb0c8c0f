"""A pytest plugin for the mutation check: record test durations, or order and stop a run early.

``-p tests.conformance.order --record-durations PATH`` writes {nodeid: seconds} at the end of a run;
``--fastest-first PATH`` runs the tests in increasing recorded duration (tests not in the file last),
so that a broken implementation is stopped as early as possible. ``--rules-first`` runs the rule
tests (``@pytest.mark.rule``) before all others, all of them (so the report says every rule a
mutant breaks), then stops if one failed, and otherwise stops at the first failing test, like
``-x``. Only the order and the stopping point change, never how a test is judged.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

_durations: dict[str, float] = defaultdict(float)
_state = {"session": None, "rule_failed": False}


def pytest_addoption(parser):
    parser.addoption("--record-durations", default=None, metavar="PATH")
    parser.addoption("--fastest-first", default=None, metavar="PATH")
    parser.addoption("--rules-first", action="store_true", default=False)


def _is_rule_test(item) -> bool:
    return item.get_closest_marker("rule") is not None


def pytest_sessionstart(session):
    _state["session"] = session


def pytest_collection_modifyitems(config, items):
    path = config.getoption("fastest_first")
    known = json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
    rules_first = config.getoption("rules_first")
    items.sort(key=lambda item: (rules_first and not _is_rule_test(item), known.get(item.nodeid, float("inf"))))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    result = yield
    if item.config.getoption("rules_first") and _is_rule_test(item) and _state["rule_failed"]:
        if nextitem is None or not _is_rule_test(nextitem):
            item.session.shouldstop = "--rules-first: a rule test failed"
    return result


def pytest_runtest_logreport(report):
    _durations[report.nodeid] += report.duration
    session = _state["session"]
    if session is None or not session.config.getoption("rules_first") or not report.failed:
        return
    if "rule" in report.keywords:
        _state["rule_failed"] = True
    else:
        session.shouldstop = "--rules-first: a test failed"


def pytest_sessionfinish(session):
    path = session.config.getoption("record_durations")
    if path:
        Path(path).write_text(json.dumps(dict(_durations), indent=0), encoding="utf-8")
