"""A pytest plugin for the mutation check: record test durations, or run the fastest tests first.

``-p tests.conformance.order --record-durations PATH`` writes {nodeid: seconds} at the end of a run;
``-p tests.conformance.order --fastest-first PATH`` runs the tests in increasing recorded duration
(tests not in the file last), so that ``-x`` stops a broken implementation as early as possible.
Only the order changes, never which tests run.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

_durations: dict[str, float] = defaultdict(float)


def pytest_addoption(parser):
    parser.addoption("--record-durations", default=None, metavar="PATH")
    parser.addoption("--fastest-first", default=None, metavar="PATH")


def pytest_collection_modifyitems(config, items):
    path = config.getoption("fastest_first")
    if path:
        known = json.loads(Path(path).read_text(encoding="utf-8"))
        items.sort(key=lambda item: known.get(item.nodeid, float("inf")))


def pytest_runtest_logreport(report):
    _durations[report.nodeid] += report.duration


def pytest_sessionfinish(session):
    path = session.config.getoption("record_durations")
    if path:
        Path(path).write_text(json.dumps(dict(_durations), indent=0), encoding="utf-8")
