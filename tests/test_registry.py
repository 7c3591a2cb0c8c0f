"""Meta-tests: the claims registry is well formed and every testable claim is tested."""

from __future__ import annotations

import ast
import itertools
import re
from collections import defaultdict

import pytest

from nnspec import content
from nnspec.registry import (
    CAUSES,
    CLAIMS_DIR,
    FIELDS,
    KINDS,
    SEEDS_DIR,
    STRENGTHS,
    VERDICTS,
    Claim,
    RegistryError,
    _check_rubric,
    load_claims,
    totals_by_cause,
)
from nnspec.stats import wilson

TESTS = content.TESTS
RUBRIC = TESTS.parent / "docs" / "rubric.md"


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


# ---- the rubric (docs/rubric.md) -------------------------------------------------------------------------


def test_every_claim_has_a_kind_and_a_strength_and_every_refuted_or_qualified_one_a_cause():
    for claim in load_claims().values():
        assert claim.kind in KINDS and claim.strength in STRENGTHS, claim.id
        assert bool(claim.cause) == (claim.verdict in ("refuted", "qualified")), claim.id
        assert not claim.cause or claim.cause in CAUSES, claim.id


def test_every_cause_and_kind_in_the_lists_is_used():
    claims = load_claims().values()
    assert set(CAUSES) == {c.cause for c in claims if c.cause}, "drop unused causes: the list stays short"
    assert set(KINDS) == {c.kind for c in claims}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"verdict": "refuted", "cause": ""}, "cause is required"),
        ({"verdict": "holds", "cause": "arithmetic"}, "cause is required"),
        ({"cause": "typo"}, "not one of"),
        ({"kind": "gossip"}, "kind"),
        ({"strength": "reading"}, "reading"),
        ({"verdict": "out-of-scope", "cause": "", "strength": "exact"}, "reading"),
        ({"strength": "statistical", "measured": "2/3 of the time"}, "seeds"),
        ({"quiz": "yes"}, "quiz"),
    ],
)
def test_the_registry_rejects_entries_that_break_the_rubric(change, message):
    entry = {"verdict": "refuted", "cause": "arithmetic", "kind": "number", "strength": "exact", **change}
    entry = {key: value for key, value in entry.items() if value != ""}
    with pytest.raises(RegistryError, match=message):
        _check_rubric("test entry", entry)


def _verdict_conflicts(claims) -> list[tuple[str, str]]:
    """Pairs with the same cause and kind but different verdicts, neither saying why (``consistency``)."""
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.cause:
            groups[claim.cause, claim.kind].append(claim)
    return [
        (a.id, b.id)
        for group in groups.values()
        for a, b in itertools.combinations(group, 2)
        if a.verdict != b.verdict and not (a.consistency or b.consistency)
    ]


def test_claims_with_the_same_cause_and_kind_get_the_same_verdict_unless_one_says_why():
    conflicts = _verdict_conflicts(load_claims().values())
    assert not conflicts, f"same cause and kind, different verdicts, no 'consistency' entry: {conflicts}"


def test_the_consistency_check_catches_a_verdict_that_differs_without_a_reason():
    claims = load_claims()
    twin = next(c for c in claims.values() if c.cause == "output-layer-called-hidden")
    odd = Claim(**{**twin.__dict__, "id": "000.odd-one", "verdict": "qualified"})
    assert _verdict_conflicts([*claims.values(), odd])
    explained = Claim(**{**odd.__dict__, "consistency": "why it differs"})
    assert not _verdict_conflicts([*claims.values(), explained])


def test_consistency_entries_explain_a_real_difference():
    """An entry saying why a verdict differs must sit on a claim that does differ from a same-cause, same-kind one."""
    claims = load_claims().values()
    for claim in claims:
        if claim.consistency:
            peers = [c for c in claims if (c.cause, c.kind) == (claim.cause, claim.kind) and c.id != claim.id]
            assert any(p.verdict != claim.verdict for p in peers), f"{claim.id}: nothing to be consistent about"


RATE = re.compile(r"(\d[\d,]*)/(\d[\d,]*) \(95% CI (\d[\d.]*)-(\d[\d.]*)")


def _agrees(stated: str, exact: float) -> bool:
    """A bound written with d decimals agrees when it is the exact bound rounded (0 and 1 only when exact)."""
    decimals = len(stated.partition(".")[2])
    if decimals == 0:
        return abs(float(stated) - exact) < 1e-12
    return abs(float(stated) - exact) <= 0.5 * 10**-decimals + 1e-12


def test_every_stated_rate_interval_is_the_wilson_interval():
    checked = 0
    for claim in load_claims().values():
        for k, n, lo, hi in RATE.findall(claim.measured):
            exact_lo, exact_hi = wilson(int(k.replace(",", "")), int(n.replace(",", "")))
            assert _agrees(lo, exact_lo) and _agrees(hi, exact_hi), (
                f"{claim.id}: {k}/{n} has Wilson interval {exact_lo:.5f}-{exact_hi:.5f}, the registry says {lo}-{hi}"
            )
            checked += 1
    assert checked >= 20


def test_statistical_rates_carry_an_interval():
    """In a statistical claim's ``measured`` every k/n is a rate and carries its 95% interval."""
    for claim in load_claims().values():
        if claim.strength == "statistical":
            bare = [m for m in re.finditer(r"\b\d[\d,]*/\d[\d,]*\b", claim.measured)]
            for match in bare:
                assert claim.measured[match.end() :].startswith(" (95% CI"), (
                    f"{claim.id}: {match.group()} lacks its interval"
                )


def test_quiz_statements_are_flagged():
    for claim in load_claims().values():
        assert claim.quiz == ("quiz" in claim.id), claim.id


def test_totals_by_cause_count_every_refuted_and_qualified_claim_once():
    claims = load_claims()
    totals = totals_by_cause()
    assert set(totals) == {c.tutorial for c in claims.values()} | {"all"}
    assert sum(totals["all"].values()) == sum(c.verdict in ("refuted", "qualified") for c in claims.values())
    assert totals["000"]["output-layer-called-hidden"] == 6
    for cause, n in totals["all"].items():
        assert n == sum(totals[t][cause] for t in totals if t != "all")


def _table_ids(heading: str) -> list[str]:
    """The backticked ids in the first column of the table under ``## heading`` in docs/rubric.md."""
    section = RUBRIC.read_text(encoding="utf-8").split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.M)


def test_the_rubric_page_lists_exactly_the_registrys_causes_and_kinds():
    assert _table_ids("Causes") == list(CAUSES)
    assert _table_ids("Kinds of statement") == list(KINDS)
