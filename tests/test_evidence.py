"""The evidence registry (tests/evidence/) is well-formed and leaves no golden undeclared."""

from __future__ import annotations

import pytest
import yaml

from nnspec import content, evidence
from nnspec.evidence import EvidenceError, Piece, load_evidence

GOLDEN = content.GOLDEN


def test_the_evidence_registry_loads_and_names_only_existing_claims_goldens_and_derivations():
    registry = load_evidence()
    assert registry.pieces
    assert {p.kind for p in registry.pieces} == set(evidence.KINDS)


def test_every_printed_golden_and_run_case_is_declared_under_a_claim():
    declared = {(p.kind, p.key) for p in load_evidence().pieces}
    for path in sorted((GOLDEN / "printed").glob("*.yaml")):
        for key in yaml.safe_load(path.read_text(encoding="utf-8"))["outputs"]:
            assert ("printed", f"{path.stem}/{key}") in declared, f"printed {path.stem}/{key} is under no claim"
    for path in sorted((GOLDEN / "runs").glob("*.yaml")):
        assert ("runs", path.stem) in declared, f"run case {path.stem} is under no claim"


def test_a_test_using_evidence_of_another_claim_is_caught():
    piece = next(p for p in load_evidence().pieces if p.kind == "printed")
    assert evidence.undeclared([piece.claim], [(piece.kind, piece.key)]) == []
    other = next(
        cid for cid in load_evidence().see if cid != piece.claim and piece.claim not in load_evidence().see[cid]
    )
    assert evidence.undeclared([other], [(piece.kind, piece.key)]) == [f"printed: {piece.key}"]


def test_a_derivation_call_has_one_canonical_key():
    assert (
        evidence.call_key(*evidence.parse_call("dense_layer(3, 2, 2,  'sigmoid')")) == "dense_layer(3, 2, 2, 'sigmoid')"
    )
    with pytest.raises(EvidenceError):
        evidence.parse_call("dense_layer(n)")


def test_a_piece_declared_twice_or_under_an_unknown_claim_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(evidence, "EVIDENCE_DIR", tmp_path)
    path = tmp_path / "001.yaml"
    path.write_text("001.no-such-claim:\n  printed: [loss]\n")
    with pytest.raises(EvidenceError, match="no such claim"):
        load_evidence.__wrapped__()
    path.write_text("001.printed-loss:\n  printed: [loss]\n001.loss-goal-zero:\n  printed: [loss]\n")
    with pytest.raises(EvidenceError, match="declared under 001.printed-loss and 001.loss-goal-zero"):
        load_evidence.__wrapped__()
    assert Piece("printed", "001/loss", "001.x").name == "loss"
