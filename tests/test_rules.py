"""Meta-tests: the protocol's rules (tests/spec/rules.yaml) are well formed, each has a test, each
test names known rules, and each rule has a mutant aimed at it."""

from __future__ import annotations

import ast
import importlib
import re

from nnspec import content
from nnspec.rules import load_rules, rules_markdown
from reference_nn.adapter import PROTOCOL

SPEC = content.SPEC


def _rule_marks() -> dict[str, list[str]]:
    """test function -> rule ids of its ``rule`` marks (its own and its parameters'), from the collected module."""
    found: dict[str, list[str]] = {}
    for path in sorted(SPEC.glob("test_*.py")):
        module = importlib.import_module(f"tests.spec.{path.stem}")
        for name, fn in vars(module).items():
            if not name.startswith("test_") or not callable(fn):
                continue
            ids = []
            for mark in getattr(fn, "pytestmark", []):
                if mark.name == "rule":
                    ids += mark.args
                if mark.name == "parametrize":
                    for value in mark.args[1]:
                        ids += [rid for m in getattr(value, "marks", ()) if m.name == "rule" for rid in m.args]
            if ids:
                found[f"{path.name}::{name}"] = ids
    return found


def test_rules_have_consecutive_ids_one_sentence_and_protocol_functions():
    rules = load_rules()
    assert list(rules) == [f"R{i:02d}" for i in range(1, len(rules) + 1)], "ids R01, R02, ... in order"
    for rule in rules.values():
        assert rule.text and "\n" not in rule.text, rule.id
        unknown = set(rule.functions) - set(PROTOCOL) - {"NAME", "VERSION"}
        assert rule.functions and not unknown, f"{rule.id}: unknown functions {sorted(unknown)}"


def test_every_protocol_function_is_constrained_by_a_rule():
    covered = {f for rule in load_rules().values() for f in rule.functions}
    assert not set(PROTOCOL) - covered, f"functions no rule constrains: {sorted(set(PROTOCOL) - covered)}"


def test_every_rule_has_a_test():
    tested = {rid for ids in _rule_marks().values() for rid in ids}
    untested = [rid for rid in load_rules() if rid not in tested]
    assert not untested, f"rules without a test: {untested}"


def test_every_rule_mark_names_a_known_rule():
    unknown = {test: sorted(set(ids) - set(load_rules())) for test, ids in _rule_marks().items()}
    unknown = {test: ids for test, ids in unknown.items() if ids}
    assert not unknown, f"tests name unknown rules: {unknown}"


def test_a_rule_test_fails_only_in_the_names_of_its_own_rules():
    """A literal rule id a test function passes to check/close/fail is one of the rules it is marked with."""
    marks = _rule_marks()
    for path in sorted(SPEC.glob("test_*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or f"{path.name}::{node.name}" not in marks:
                continue
            used = {
                n.value
                for n in ast.walk(node)
                if isinstance(n, ast.Constant) and isinstance(n.value, str) and re.fullmatch(r"R\d\d", n.value)
            }
            stray = used - set(marks[f"{path.name}::{node.name}"])
            assert not stray, f"{path.name}::{node.name} fails in the name of {sorted(stray)}, not among its marks"


def test_every_rule_has_a_mutant_aimed_at_it():
    from tests.conformance.mutants import MUTANTS

    aimed = {m.rules[0] for m in MUTANTS}
    assert not set(load_rules()) - aimed, f"rules no mutant breaks first: {sorted(set(load_rules()) - aimed)}"


def test_the_implementers_guide_lists_every_rule_as_in_the_rules_file():
    guide = (content.ROOT / "docs" / "implementers.md").read_text(encoding="utf-8")
    start, end = (
        "<!-- rules-table: generated from tests/spec/rules.yaml by nnspec.rules.rules_markdown -->\n",
        "\n<!-- /rules-table -->",
    )
    assert start in guide and end in guide, "docs/implementers.md lost its rules table markers"
    table = guide[guide.index(start) + len(start) : guide.index(end)]
    assert table == rules_markdown(), (
        "docs/implementers.md's rules table differs from tests/spec/rules.yaml: regenerate it"
    )
