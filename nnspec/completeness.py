"""Whether a run judged every test it collected: a run is ``complete`` only when each got an outcome.

With the wire a crash no longer ends a pytest worker, but a run can still stop short (``-x``, a
whole-run limit, an interrupted worker, pytest-xdist's restart limit in ``--in-process`` runs). This
plugin notes every test collected (by the controller itself, or by its xdist workers) and every test
whose reports arrived; :meth:`Completeness.missing` lists the ones that never got an outcome.
"""

from __future__ import annotations

import pytest


class Completeness:
    def __init__(self):
        self.collected: set[str] = set()
        self.reported: set[str] = set()

    def pytest_collection_finish(self, session):
        self.collected.update(item.nodeid for item in session.items)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        self.collected.update(ids)

    def pytest_runtest_logreport(self, report):
        if report.when == "teardown" or report.failed or report.skipped:
            self.reported.add(report.nodeid)

    def missing(self) -> list[str]:
        return sorted(self.collected - self.reported)
