"""Every specification test uses only the evidence declared for its claims in tests/evidence/."""

from __future__ import annotations

import pytest

from tests._spec import evidence


@pytest.fixture(autouse=True)
def _uses_declared_evidence(request):
    """Fails the test when it read a printed golden, a run case or a derivation that tests/evidence/ does not
    declare under one of its claims (or a claim they ``see``): the site shows evidence where it is declared."""
    evidence.USED.clear()
    yield
    used, evidence.USED[:] = list(evidence.USED), []
    claims = [cid for mark in request.node.iter_markers("claim") for cid in mark.args]
    missing = evidence.undeclared(claims, used)
    if missing:
        pytest.fail(
            f"uses evidence not declared under {', '.join(claims)} in tests/evidence/: {'; '.join(missing)}",
            pytrace=False,
        )
