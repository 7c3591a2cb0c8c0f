"""The houses import one way (tests -> docs.sitegen -> nnspec -> reference_nn), and docs/design.md shows the
structure drawing of the current code (docs/structure.py)."""

from __future__ import annotations

from docs import structure


def test_imports_flow_one_way_from_the_content_to_the_reference():
    arrows = structure.house_arrows()
    order = structure.HOUSES
    for i, house in enumerate(order):
        backwards = arrows[house] & set(order[: i + 1])
        assert not backwards, f"{house} imports {sorted(backwards)}: imports flow {' -> '.join(order)}"
    assert arrows["reference_nn"] == set()
    for user in structure.USERS:
        assert "tests" not in arrows[user], f"{user} imports tests.*"


def test_the_design_page_shows_the_current_structure():
    assert structure.shown() == structure.drawing(), "regenerate it: python -m docs.structure --write"
