"""Meta-tests: the claims registry is well formed and every testable claim is tested."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests._spec.registry import CLAIMS_DIR, FIELDS, SEEDS_DIR, VERDICTS, load_claims

TESTS = Path(__file__).resolve().parent


def _marked_claim_ids() -> dict[str, list[str]]:
    """claim id -> test files naming it, read from the source of every test module."""
    found: dict[str, list[str]] = {}
    for path in TESTS.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "claim"
                and ast.unparse(node.func.value).endswith("mark")
            ):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.setdefault(arg.value, []).append(path.name)
    return found


def test_the_registry_loads_with_unique_ids_and_all_fields():
    claims = load_claims()
    assert len(claims) >= 1
    for claim in claims.values():
        assert claim.verdict in VERDICTS
        for field in FIELDS:
            assert getattr(claim, field).strip(), f"{claim.id}: empty {field}"


def test_claim_ids_are_stable_slugs_prefixed_by_their_tutorial():
    for claim in load_claims().values():
        assert re.fullmatch(r"\d{3}\.[a-z0-9]+(-[a-z0-9]+)*", claim.id), claim.id
        assert claim.id[:3] == claim.tutorial, f"{claim.id} is filed under {claim.source}"


def test_every_testable_claim_has_a_test():
    marked = _marked_claim_ids()
    untested = [cid for cid, claim in load_claims().items() if claim.testable and cid not in marked]
    assert not untested, f"testable claims without a test: {untested}"


def test_every_marker_names_a_known_claim():
    unknown = sorted(set(_marked_claim_ids()) - set(load_claims()))
    assert not unknown, f"tests name unknown claims: {unknown}"


def test_out_of_scope_claims_have_no_test():
    marked = _marked_claim_ids()
    tested = [cid for cid, claim in load_claims().items() if not claim.testable and cid in marked]
    assert not tested, f"out-of-scope claims should not be tested (change the verdict instead): {tested}"


def _normalise(text: str) -> str:
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"the tutorials are not beside this checkout ({SEEDS_DIR})")
def test_every_quote_is_verbatim_from_its_tutorial():
    """A quote may drop text with '...' but each piece must stand in the seed file as written."""
    texts = {path.name: _normalise(path.read_text(encoding="utf-8")) for path in SEEDS_DIR.glob("*.txt")}
    for claim in load_claims().values():
        assert claim.source in texts, f"{claim.id}: unknown source {claim.source}"
        for piece in _normalise(claim.quote).split("..."):
            piece = piece.strip()
            assert piece in texts[claim.source], f"{claim.id}: quote not found in {claim.source}: {piece!r}"


def test_each_registry_file_is_named_after_its_source():
    for path in CLAIMS_DIR.glob("*.yaml"):
        claims = [c for c in load_claims().values() if c.tutorial == path.stem]
        assert claims, f"{path.name} holds no claims for tutorial {path.stem}"
        assert all(c.source.startswith(path.stem) for c in claims)
