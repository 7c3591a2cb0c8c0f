"""The conformance machinery, end to end: pytest runs a tiny sample specification against fake adapters.

Each run is a subprocess (``python -m pytest``) on ``sample_spec.py`` with claim ids taken from the
real registry, so these tests exercise the real conftest: --impl, $REFERENCE_NN_IMPL, skips for
missing functions and reference-only claims, --known-failures, the report, and refused regeneration.
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest

from nnspec import content, golden, known_failures, reports
from nnspec.impl import Implementation, load_adapter
from nnspec.known_failures import read as read_known_failures
from tests.conformance.suite import ROOT, outcomes, run_sample

SAMPLE_GOLDEN = Path(__file__).with_name("sample_golden.py")

BAD_ADAPTER = '''
"""A broken adapter: wrong sigmoid and relu, no train, mse not implemented."""
import numpy as np
from reference_nn import adapter as _reference

NAME = "bad_fake"
VERSION = "0.0.1"


def activation(name, z, **params):
    if name in ("sigmoid", "relu"):
        return np.asarray(z, dtype=float)  # wrong on purpose
    return _reference.activation(name, z, **params)


def loss(name, y_pred, y_true):
    if name == "mse":
        raise NotImplementedError("mse")
    return _reference.loss(name, y_pred, y_true)
'''

GOOD_ADAPTER = '''
"""reference_nn's adapter under another name: validation mode, everything implemented."""
from reference_nn.adapter import *  # noqa: F403

NAME = "good_fake"
VERSION = "1.2.3"
'''


@pytest.fixture(scope="module")
def golden_sample(sample):
    return {"golden": sample["values"]}


@pytest.fixture(scope="module")
def adapters(tmp_path_factory):
    folder = tmp_path_factory.mktemp("adapters")
    paths = {}
    for name, text in (("bad_fake", BAD_ADAPTER), ("good_fake", GOOD_ADAPTER)):
        paths[name] = folder / f"{name}.py"
        paths[name].write_text(textwrap.dedent(text), encoding="utf-8")
    return paths


def test_a_broken_adapter_gets_a_verdict_per_claim(sample, adapters, tmp_path):
    base = tmp_path / "bad"
    code, out = run_sample(sample, "--impl", adapters["bad_fake"], "--conformance-report", base)
    assert code == 1, out
    assert "implementation under test: bad_fake 0.0.1" in out
    assert "not implemented (their claims are reported so): " in out and "train" in out
    doc = reports.load(base.with_suffix(".json"))  # validated against nnspec/schemas/conformance-report
    assert set(doc) == {
        *("implementation", "version", "python", "numpy", "generated", "claims", "rules"),
        *("reference", "complete", "exit", "protocol", "checkout_changed", "implementation_info"),
    }
    info = doc["implementation_info"]
    assert info["mode"] in ("wire", "wire+box") and info["language"] == "python", info  # judged over the wire
    assert info["source"] == str(adapters["bad_fake"]) and info["box"]
    assert (doc["implementation"], doc["version"], doc["numpy"]) == ("bad_fake", "0.0.1", np.__version__)
    assert (doc["reference"], doc["complete"], doc["protocol"]) == (False, True, ["activation", "loss"])
    assert doc["checkout_changed"] == []
    claims = doc["claims"]
    assert {cid: e["outcome"] for cid, e in claims.items()} == {
        sample["values"]: "failed",
        sample["training"]: "not implemented",
        sample["reference_only"]: "reference-only",
        sample["independent"]: "not about the implementation",
        sample["loss"]: "not implemented",
        sample["shared_a"]: "failed",
        sample["shared_b"]: "failed",
        sample["tanh"]: "passed",
    }
    assert claims[sample["values"]]["reason"] == (
        "Not equal to tolerance rtol=1e-07, atol=0; sigmoid values; "
        "Max relative difference among violations: 748.06579551 [test_values]"
    )
    assert claims[sample["values"]]["called"] == ["activation"]
    assert claims[sample["independent"]]["called"] == []
    assert claims[sample["shared_a"]]["reason"].endswith(f"with {sample['shared_b']}: the reason is shared)")
    assert claims[sample["training"]]["reason"] == "not implemented: train"
    assert claims[sample["loss"]]["reason"] == "not implemented: loss (mse)"
    assert claims[sample["reference_only"]]["reason"].startswith(f"reference-only: {sample['reference_only']}")
    assert claims[sample["values"]]["tests"] == ["tests/conformance/sample_spec.py::test_values"]
    markdown = base.with_suffix(".md").read_text(encoding="utf-8")
    assert markdown.startswith("# Conformance report: bad_fake 0.0.1")
    assert f"| `{sample['training']}` | not implemented |" in markdown
    assert re.search(rf"^{re.escape(sample['values'])} +failed +Not equal to tolerance", out, re.M)  # terminal


def test_the_report_is_the_same_under_xdist(sample, adapters, tmp_path):
    code, out = run_sample(sample, "--impl", adapters["bad_fake"], "--conformance-report", tmp_path / "serial")
    assert code == 1, out
    code, out = run_sample(sample, "-n", "2", "--impl", adapters["bad_fake"], "--conformance-report", tmp_path / "xd")
    assert code == 1, out
    serial = reports.load(tmp_path / "serial.json")["claims"]
    parallel = reports.load(tmp_path / "xd.json")["claims"]
    for entry in (*serial.values(), *parallel.values()):
        entry["tests"] = sorted(entry["tests"])
    assert parallel == serial


def test_known_failures_become_expected_failures_and_unknown_ids_warn(sample, adapters, tmp_path):
    listed = tmp_path / "known"
    listed.write_text(
        "# the fake's defects\n"
        f"{sample['values']}   # wrong sigmoid\n\n"
        f"{sample['shared_a']}\n{sample['shared_b']}\n"
        f"{sample['training']}  # not implemented: stays so, and does not fail the run\n"
        "999.no-such-claim\n"
        "R03  https://example.invalid/issues/3\n"
        "R99\n",
        encoding="utf-8",
    )
    assert read_known_failures(listed) == {
        sample["values"]: "wrong sigmoid",
        sample["shared_a"]: "",
        sample["shared_b"]: "",
        sample["training"]: "not implemented: stays so, and does not fail the run",
        "999.no-such-claim": "",
        "R03": "https://example.invalid/issues/3",
        "R99": "",
    }
    code, out = run_sample(
        sample, "--impl", adapters["bad_fake"], "--known-failures", listed, "--conformance-report", tmp_path / "r"
    )
    assert code == 0, out
    assert "match no claim or rule: 999.no-such-claim, R99" in out  # R03 is a rule: not warned about
    got = outcomes(tmp_path / "r")
    assert [got[sample[role]] for role in ("values", "shared_a", "shared_b")] == ["xfailed"] * 3
    assert got[sample["training"]] == "not implemented"


def test_the_known_failures_list_is_strict_per_claim(sample, adapters, tmp_path):
    """A listed claim that passes fails the run, and so does an unlisted claim of a failing test."""
    listed = tmp_path / "known"
    listed.write_text(f"{sample['values']}\n{sample['shared_a']}\n{sample['tanh']}\n", encoding="utf-8")
    code, out = run_sample(
        sample,
        "--known-failures",
        listed,
        "--conformance-report",
        tmp_path / "r",
        env={"REFERENCE_NN_IMPL": str(adapters["bad_fake"])},
    )
    assert code == 1, out
    got = outcomes(tmp_path / "r")
    assert (got[sample["tanh"]], got[sample["shared_b"]], got[sample["values"]]) == (
        "xpassed",
        "failed",
        "xfailed",
    )
    assert "failing claims:" in out


def test_a_correct_adapter_passes_and_reference_only_claims_skip_only_in_validation_mode(sample, adapters, tmp_path):
    code, out = run_sample(sample, "--impl", adapters["good_fake"], "--conformance-report", tmp_path / "good")
    assert code == 0, out
    got = outcomes(tmp_path / "good")
    assert got.pop(sample["reference_only"]) == "reference-only"
    assert got.pop(sample["independent"]) == "not about the implementation"
    assert set(got.values()) == {"passed"}
    code, out = run_sample(sample, "--conformance-report", tmp_path / "ref")
    assert code == 0, out
    assert "implementation under test: reference_nn" in out
    assert set(outcomes(tmp_path / "ref").values()) == {"passed"}


@pytest.mark.parametrize("flag", ["--force-regen", "--regen-all"])
def test_regeneration_is_refused_in_validation_mode(sample, adapters, flag):
    code, out = run_sample(sample, "--impl", adapters["good_fake"], flag)
    assert code == pytest.ExitCode.USAGE_ERROR, out
    assert f"{flag} refused" in out


def test_no_file_of_the_checkout_is_written_in_validation_mode(golden_sample, adapters):
    """A golden that does not exist yet: the reference writes it (and fails, as pytest-regressions
    does), another implementation fails without writing it."""
    name = f"golden_probe_{os.getpid()}"
    golden_file = content.GOLDEN / "runs" / f"{name}.csv"
    env = {"CONFORMANCE_SAMPLE_GOLDEN": name}
    try:
        code, out = run_sample(golden_sample, "--impl", adapters["good_fake"], env=env, spec=SAMPLE_GOLDEN)
        assert code == 1 and "File not found in data directory, created" in out, out
        created = re.search(rf"- (/\S+{name}\.csv)", out).group(1)
        assert not Path(created).resolve().is_relative_to(ROOT), created  # a temporary copy, not the checkout
        assert not golden_file.exists()
        assert "checkout was changed" not in out
        code, out = run_sample(golden_sample, env=env, spec=SAMPLE_GOLDEN)
        assert code == 1 and "File not found in data directory, created" in out, out
        assert golden_file.exists()
    finally:
        golden_file.unlink(missing_ok=True)


def test_a_missing_golden_fails_without_being_written_in_validation_mode(adapters, tmp_path, monkeypatch):
    (tmp_path / "runs").mkdir()
    case = "first_example_seed1"
    (tmp_path / "runs" / f"{case}.yaml").write_text((golden.GOLDEN / "runs" / f"{case}.yaml").read_text())
    monkeypatch.setattr(golden, "GOLDEN", tmp_path)
    impl = Implementation(load_adapter(str(adapters["good_fake"])), str(adapters["good_fake"]))
    assert not impl.is_reference
    with pytest.raises(pytest.fail.Exception, match="written only by a run against the reference"):
        golden.check_run(impl, num_regression=None, name=case)
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == [f"{case}.yaml"]


def test_missing_functions_skip_as_not_implemented_and_unknown_names_are_errors(adapters):
    impl = Implementation(load_adapter(str(adapters["bad_fake"])), str(adapters["bad_fake"]))
    assert impl.missing() == [
        "activation_grad",
        "sigmoid_grad_from_output",
        "softmax_jacobian",
        "loss_grad",
        "dense_forward",
        "dense_backward",
        "predict",
        "train",
    ]
    with pytest.raises(pytest.skip.Exception, match="^not implemented: train$"):
        impl.train()
    with pytest.raises(pytest.skip.Exception, match=r"^not implemented: loss \(mse\)$"):
        impl.loss("mse", np.ones((1, 1)), np.ones((1, 1)))
    with pytest.raises(AttributeError, match="not part of the adapter protocol"):
        impl.trian()


def test_a_known_failures_list_names_claims_or_rules_with_an_optional_reason():
    text = "# comment\n\n002.x  # a reason: with a colon\nR07 https://example.invalid/1\n003.y\n  R08  # indented\n"
    assert known_failures.parse(text) == {
        "002.x": "a reason: with a colon",
        "R07": "https://example.invalid/1",
        "003.y": "",
        "R08": "indented",
    }
    assert known_failures.unmatched(["002.x", "R07", "R99"], {"002.x": 1}, {"R07": 1}) == ["R99"]


def test_a_test_whose_worker_died_before_reporting_is_read_from_its_module_and_crashed_where_it_was():
    """pytest-xdist's crash report carries no claims; the plugin's pytest_handlecrashitem names the worker."""
    from nnspec import markers
    from nnspec.report import CRASHED_WORKER, Ledger

    nodeid = "tests/spec/test_seed001.py::test_the_network_is_two_inputs_three_hidden_units_one_output"
    marks = markers.of_nodeid(nodeid)
    assert "001.three-inputs" in marks.claims and marks.rules == ()
    assert markers.of_nodeid("tests/spec/test_seed001.py::no_such_test") is None
    ledger = Ledger(validation=True, markers_of=markers.of_nodeid, last_call={"gw3": "dense_forward"}.get)
    crash = pytest.TestReport(nodeid, ("x", None, "x"), {}, "failed", "worker 'gw3' crashed", "???")
    crash.user_properties = [(CRASHED_WORKER, "gw3")]
    ledger.record(crash)
    entry = ledger.claim_outcomes()["001.three-inputs"]
    assert entry["outcome"] == "crashed" and "crashed in dense_forward" in entry["reason"], entry
    lost = pytest.TestReport("tests/spec/test_seed001.py::gone", ("x", None, "x"), {}, "failed", "?", "???")
    lost.user_properties = [(CRASHED_WORKER, "gw3")]
    ledger.record(lost)  # a test that cannot be found is left out, not a crash of the ledger
    assert "tests/spec/test_seed001.py::gone" not in ledger.tests


def test_the_engine_is_fingerprinted_with_the_content_so_an_implementation_cannot_rewrite_its_judge():
    from nnspec import checkout

    files = checkout.snapshot()
    assert {"nnspec/plugin.py", "nnspec/schemas/conformance-report.schema.json", "tests/spec/rules.yaml"} <= set(files)
    assert not any("__pycache__" in path for path in files)
