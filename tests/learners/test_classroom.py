"""A class folder graded in one command (nnspec.classroom): hostile submissions get their own row and a
clear outcome in bounded time, the others are graded as if they were not there, the teacher's folder is
left as it was, and every results.json validates against Gradescope's format."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest

from nnspec import classroom, grading, notebook

pytestmark = pytest.mark.conformance  # one class run in a subprocess: `pytest -m conformance tests/learners`

ROOT = Path(__file__).resolve().parents[2]
BOOK = "https://book.example.org/reference_nn/"  # where a teacher published the book
CLASS = Path(__file__).resolve().parent / "class_hostile"
SCHEMA = json.loads((ROOT / "nnspec" / "schemas" / "gradescope-results.schema.json").read_text())

#: the claims the one-mistake program gets wrong, each its own mistake (not the tutorial's)
DERIVATIVE_OF_INPUT = {
    "004.sigmoid-derivative-of-output",
    "004.update-descends-sse",
    "004.gradient-descent-idea",
    "004.chain-rule-comment",
    "004.goal-minimise-loss",
    "004.iteration-steps",
    "004.may-never-be-trained",
    "004.slight-difference-prevents-overfitting",
    "004.after-1500-iterations",  # its printed output after 1,499 updates is compared with the tutorial's run
}


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("class")
    folder = out / "submissions"  # the class folder, and one file no linter of this checkout would accept
    shutil.copytree(CLASS, folder)
    for name in ("correct", "derivative_of_input"):  # two ordinary submissions beside the hostile ones
        shutil.copy(ROOT / "tests" / "learners" / "programs" / f"004_{name}.py", folder / f"{name}.py")
    (folder / "syntax_error.py").write_text("import numpy as np\nclass NeuralNetwork(\n", encoding="utf-8")
    before = _fingerprint(folder)
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--tutorial-code=004={folder}"]
    command += [f"--class-report={out / 'class'}", f"--gradescope-results={out / 'gs'}"]
    env = {"REFERENCE_NN_CLASS_TEST_LIMIT": "5", grading.BOOK_URL_ENV: BOOK}
    done = subprocess.run(
        [*command], cwd=ROOT, capture_output=True, text=True, timeout=900, env={**__import__("os").environ, **env}
    )
    with (out / "class.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {"done": done, "out": out, "folder": folder, "before": before, "rows": {r["submission"]: r for r in rows}}


def test_every_submission_has_its_row_and_a_clear_outcome(graded):
    assert graded["done"].returncode == 0, graded["done"].stderr[-3000:]
    names = {p.name for p in graded["folder"].iterdir() if p.suffix in (".py", ".ipynb")}
    assert set(graded["rows"]) == names
    report = (graded["out"] / "class.md").read_text(encoding="utf-8")
    for name, outcome in [("syntax_error.py", "refused"), ("missing_package.py", "refused")]:
        assert f"| {name} | {outcome} |" in report, report
        assert set(list(graded["rows"][name].values())[2:]) == {"error"}
    assert "SyntaxError" in report and "ModuleNotFoundError" in report
    # the wire contains what a method does: os._exit crashes only the calls that reach it, a method that
    # never returns (or prints without end) costs only the tests that call it, each at its time limit
    doc = json.loads((graded["out"] / "class.json").read_text(encoding="utf-8"))
    causes = {s["submission"]: s["causes"] for s in doc["submissions"]}
    for name, word in [
        ("exits_in_backprop.py", "crashed"),
        ("endless_backprop.py", "timeout"),
        ("prints_forever.py", "timeout"),
    ]:
        row = graded["rows"][name]
        assert row["004.update-descends-sse"] == "wrong" and word in causes[name]["004.update-descends-sse"], causes[
            name
        ]
    assert graded["rows"]["endless_backprop.py"]["004.components"] == "right"
    assert "<svg" in report and "95% interval" in report


def test_the_others_are_graded_as_if_the_hostile_ones_were_not_there(graded):
    rows = graded["rows"]
    claims = [c for c in rows["correct.py"] if c.startswith("004.")]
    for name in ("correct.py", "correct_notebook.ipynb", "writes_and_reads.py"):
        cells = {c: rows[name][c] for c in claims}
        assert "wrong" not in cells.values(), (name, cells)
    assert rows["correct.py"]["score"] == rows["correct_notebook.ipynb"]["score"]
    wrong = {c for c in claims if rows["derivative_of_input.py"][c] == "wrong"}
    assert wrong == DERIVATIVE_OF_INPUT
    # the tutorial's own sigmoid overflowing at inputs of 1000 is a note, not a WRONG
    assert rows["writes_and_reads.py"]["004.universal-approximators"] == "right"


def test_the_class_report_json_is_its_schemas_format_and_agrees_with_the_csv(graded):
    schema = json.loads((ROOT / "nnspec" / "schemas" / "class-report.schema.json").read_text())
    doc = json.loads((graded["out"] / "class.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    for sub in doc["submissions"]:
        row = graded["rows"][sub["submission"]]
        assert float(row["score"]) == sub["score"]
        assert {c: row[c] for c in doc["claims"]} == sub["cells"]
    named = {s["submission"]: s["mistakes"] for s in doc["submissions"]}
    assert any("derivative is taken of the output" in m for m in named["derivative_of_input.py"])


def test_the_teachers_folder_is_left_as_it_was(graded):
    assert _fingerprint(graded["folder"]) == graded["before"]


def test_every_results_json_is_gradescopes_format_and_honest(graded):
    files = sorted((graded["out"] / "gs").glob("*/results.json"))
    assert len(files) == len(graded["rows"])
    max_scores = set()
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(doc, SCHEMA)
        max_scores.add(sum(t["max_score"] for t in doc["tests"]))
        for test in doc["tests"]:
            assert test["status"] == ("passed" if test["extra_data"]["cell"] == "right" else "failed")
            if test["extra_data"]["cell"] in ("not-checked", "error"):
                assert test["status"] == "failed"
            assert "127.0.0.1" not in test["output"] and "localhost" not in test["output"]
            assert f"]({BOOK}tutorials/004/#{test['name']})" in test["output"]  # the book's address, as configured
    assert len(max_scores) == 1, max_scores


def test_a_notebook_is_its_code_cells_without_ipython_lines():
    text = json.dumps(
        {
            "cells": [
                {"cell_type": "markdown", "source": "# x = 1"},
                {"cell_type": "code", "source": ["%matplotlib inline\n", "x = 2\n"]},
                {"cell_type": "code", "source": "!pip install numpy\ny = x + 1"},
                {"cell_type": "code", "source": "%%time\nz = 3"},
            ]
        }
    )
    source, notes = notebook.to_python(text)
    namespace = {}
    exec(source, namespace)
    assert (namespace["x"], namespace["y"]) == (2, 3) and "z" not in namespace
    assert len(notes) == 3 and "cell 2 line 1" in notes[0]
    with pytest.raises(notebook.NotebookError):
        notebook.to_python("print('a .py file named .ipynb')")


@pytest.mark.parametrize(
    ("mine", "theirs", "same"),
    [
        ("Max relative difference 0.5 [test_x]", "Max relative difference 0.5000001 [test_x]", True),
        ("Max relative difference 0.5 [test_x]", "Max relative difference 0.25 [test_x]", False),
        ("RuntimeWarning: overflow [test_x]", "RuntimeWarning: overflow [test_y]", False),
    ],
)
def test_the_same_cause_is_the_same_words_and_numbers(mine, theirs, same):
    assert classroom.same_cause(mine, theirs) is same


def test_a_failure_is_as_the_tutorial_only_when_the_tutorial_fails_it_the_same_way():
    failed = {"outcome": "failed", "reason": "Max relative difference 0.5 [test_x]"}
    assert classroom.cell(failed, dict(failed))[0] == "wrong-as-tutorial"
    assert classroom.cell(failed, {"outcome": "passed", "reason": ""})[0] == "wrong"
    assert classroom.cell(failed, {"outcome": "failed", "reason": "Max relative difference 2 [test_x]"})[0] == "wrong"
    warning = {"outcome": "failed", "reason": "RuntimeWarning: overflow encountered in exp [test_x]"}
    assert classroom.cell(warning, None)[0] == "right"
    assert classroom.cell({"outcome": "not implemented", "reason": ""}, None)[0] == "not-checked"


def test_the_bundle_has_gradescopes_two_scripts_and_the_teachers_choices(tmp_path):
    config = tmp_path / "grading.yaml"
    config.write_text("tutorial: '004'\nclaims:\n  004.update-descends-sse: 2\nshared_mistakes_cost_points: true\n")
    out = classroom.main(["bundle", str(config), str(tmp_path / "autograder.zip")])
    assert out == 0
    with zipfile.ZipFile(tmp_path / "autograder.zip") as zf:
        names = zf.namelist()
        assert {"setup.sh", "run_autograder", "grading.yaml"} <= set(names)
        assert zf.getinfo("run_autograder").external_attr >> 16 & 0o111
        assert "nnspec.classroom grade 004 /autograder/submission" in zf.read("run_autograder").decode()
        assert "reference_nn/nnspec/classroom.py" in names
        chosen = grading.load_text(zf.read("grading.yaml").decode())
    assert chosen.graded(["004.update-descends-sse", "004.iteration-steps"]) == {"004.update-descends-sse": 2.0}
    assert chosen.shared_mistakes_cost_points


def test_a_config_naming_another_tutorials_claim_is_refused(tmp_path):
    config = tmp_path / "grading.yaml"
    config.write_text("tutorial: '004'\nclaims:\n  001.update-descends-half-sse: 1\n")
    with pytest.raises(grading.ConfigError, match="not claims of tutorial 004"):
        grading.load(config)


def _autograder(tmp_path: Path, files: list[Path]) -> dict:
    """Gradescope's run of the bundle, on this machine: its source unzipped into <tmp>/autograder/source, the
    student's files in <tmp>/autograder/submission, run_autograder run with /autograder moved to <tmp>/autograder
    and this interpreter as the venv's (setup.sh's pip install is the only step left out)."""
    home = tmp_path / "autograder"
    config = tmp_path / "grading.yaml"
    config.write_text(f"tutorial: '004'\nbook_url: {BOOK}\n")
    classroom.main(["bundle", str(config), str(tmp_path / "autograder.zip")])
    with zipfile.ZipFile(tmp_path / "autograder.zip") as zf:
        zf.extractall(home / "source")
    (home / "submission").mkdir()
    for path in files:
        shutil.copy(path, home / "submission" / path.name)
    script = (home / "source" / "run_autograder").read_text(encoding="utf-8")
    script = script.replace("/autograder/venv/bin/python", sys.executable).replace("/autograder", str(home))
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    doc = json.loads((home / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    return doc


def test_the_bundles_run_autograder_writes_one_valid_results_json_from_the_submission(tmp_path):
    programs = ROOT / "tests" / "learners" / "programs"
    doc = _autograder(tmp_path, [programs / "004_derivative_of_input.py", programs / "004_correct.py"])
    assert doc["output"].startswith("2 .py or .ipynb files were handed in; this grade is the first by name")
    assert "004\\_correct.py against tutorial 004" in doc["output"]  # the first by name: 004_correct
    assert doc["score"] == sum(t["max_score"] for t in doc["tests"]) > 0
    assert all(BOOK in t["output"] for t in doc["tests"])


def test_the_bundles_run_autograder_says_when_nothing_gradable_was_handed_in(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my answers are in my head\n")
    doc = _autograder(tmp_path, [notes])
    assert doc == {"score": 0.0, "output": "No .py or .ipynb file was handed in.", "output_format": "text", "tests": []}
