"""Fixtures of the conformance machinery's tests: the sample specification's claim roles."""

from __future__ import annotations

import pytest

from nnspec.registry import load_claims


def _sample_claims() -> dict[str, str]:
    claims = load_claims()
    ordinary = [c.id for c in claims.values() if c.testable and not c.reference_only]
    reference_only = [c.id for c in claims.values() if c.testable and c.reference_only]
    if len(ordinary) < 7 or not reference_only:
        pytest.skip("the registry needs 7 ordinary claims and a reference-only one for the sample")
    roles = ("values", "training", "independent", "loss", "shared_a", "shared_b", "tanh")
    return {"reference_only": reference_only[0], **dict(zip(roles, ordinary))}


@pytest.fixture(scope="module")
def sample():
    return _sample_claims()
