"""The fixtures the specification gives its tests (registered with the session object by nnspec.options).

``impl``: the implementation under test. ``original_datadir``: where pytest-regressions (through
pytest-datadir) finds the run goldens: the checkout's ``tests/golden/runs`` for the reference; for any other
implementation a temporary copy made from the goldens as they were read before its code ran. So a missing
or different golden is a plain failure and nothing the implementation does can reach the checkout's files,
without patching pytest-regressions.
"""

from __future__ import annotations

import pytest

from nnspec import content, golden
from nnspec.plugin import implementation


@pytest.fixture(scope="session")
def impl(pytestconfig):
    """The adapter under test (see reference_nn.adapter for the protocol)."""
    return implementation(pytestconfig)


@pytest.fixture(scope="session")
def original_datadir(pytestconfig, tmp_path_factory):
    """pytest-datadir's data directory, for pytest-regressions: the run goldens (see the module docs)."""
    runs = content.GOLDEN / "runs"
    if implementation(pytestconfig).is_reference:
        return runs
    copy = tmp_path_factory.mktemp("goldens") / "runs"
    golden.copy_runs(copy)
    return copy
