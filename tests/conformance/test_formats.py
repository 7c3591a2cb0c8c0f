"""The engine's published formats (nnspec/schemas): the schemas themselves, nnspec.reports.load, and the
manifest of the reports the harness wrote (what the site reads)."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from nnspec import manifest, reports
from nnspec import report as conformance
from nnspec.outcomes import Outcome


def _document(**changes) -> dict:
    entry = {"outcome": "passed", "reason": "", "tests": ["tests/spec/test_a.py::test_b"], "called": ["loss"]}
    doc = conformance.document(
        "mine",
        "1.0",
        {"000.some-claim": dict(entry)},
        reference=False,
        complete=True,
        exit="OK",
        protocol=["loss"],
        rules={"R03": dict(entry)},
        checkout_changed=[],
        implementation_info={"language": "python", "mode": "in-process", "box": "none", "source": "mine.py"},
    )
    doc.update(changes)
    return doc


@pytest.mark.parametrize("name", sorted(p.name.removesuffix(".schema.json") for p in reports.SCHEMAS.glob("*.json")))
def test_every_published_schema_is_a_valid_json_schema(name):
    Draft202012Validator.check_schema(reports.schema(name))


def test_the_schema_knows_exactly_the_outcomes_of_nnspec_outcomes():
    assert reports.schema("conformance-report")["$defs"]["outcome"]["enum"] == [str(o) for o in Outcome]


def test_a_report_of_the_writer_validates_and_a_broken_one_does_not(tmp_path):
    json_path, _ = conformance.write(tmp_path / "r", _document())
    assert reports.load(json_path)["implementation"] == "mine"
    broken = {
        "an unknown outcome": _document(
            claims={"000.some-claim": {**_document()["claims"]["000.some-claim"], "outcome": "ok"}}
        ),
        "no version": {k: v for k, v in _document().items() if k != "version"},
        "a rule id that is not one": _document(rules={"dense shapes": _document()["rules"]["R03"]}),
        "a mode the harness has not": _document(
            implementation_info={**_document()["implementation_info"], "mode": "x"}
        ),
    }
    for why, doc in broken.items():
        path = tmp_path / "broken.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(reports.ReportError, match="is not a valid conformance-report"):
            reports.load(path)
        assert reports.errors(doc, "conformance-report"), why


def test_the_site_reads_only_the_reports_the_manifest_lists_with_their_hash(tmp_path):
    for name in ("a", "b", "c"):
        json_path, _ = conformance.write(tmp_path / name, _document(implementation=name))
        if name != "c":
            manifest.add(json_path)  # as the plugin does after writing a report
    (tmp_path / "b.json").write_text(json.dumps(_document(implementation="edited")), encoding="utf-8")
    assert set(manifest.read(tmp_path)) == {"a.json", "b.json"}
    assert [doc["implementation"] for doc in reports.reports_in(tmp_path)] == ["a"]  # b edited, c not listed


def test_a_report_replaces_a_link_at_its_path_instead_of_writing_through_it(tmp_path):
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("precious", encoding="utf-8")
    (tmp_path / "r.json").symlink_to(elsewhere)
    json_path, _ = conformance.write(tmp_path / "r", _document())
    assert elsewhere.read_text(encoding="utf-8") == "precious"
    assert not json_path.is_symlink() and reports.load(json_path)["implementation"] == "mine"


def test_the_claims_json_formats_validate_what_the_plugin_writes_and_refuse_other_outcomes():
    assert reports.errors({"000.x": "passed"}, "claims") == []
    assert reports.errors({"000.x": "fine"}, "claims")
    assert reports.errors({"000/key": [{"test": "t", "values": [0.5, 1.0]}]}, "claims", "printed") == []
    assert reports.errors({"000/key": [{"test": "t"}]}, "claims", "printed")
