"""The conformance machinery, end to end: pytest runs a tiny sample specification against fake adapters.

Each run is a subprocess (``python -m pytest``) on ``sample_spec.py`` with claim ids taken from the
real registry, so these tests exercise the real conftest: --impl, $REFERENCE_NN_IMPL, skips for
missing functions and reference-only claims, --known-failures, the report, and refused regeneration.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest

from nnspec import golden
from nnspec.impl import Implementation, load_adapter
from nnspec.report import read_known_failures
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
    doc = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
    assert set(doc) == {
        *("implementation", "version", "python", "numpy", "generated", "claims", "rules"),
        *("reference", "complete", "exit", "protocol", "checkout_changed", "implementation_info"),
    }
    assert doc["implementation_info"]["mode"] in ("wire", "wire+box") and doc["implementation_info"]["language"] == "python"
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
    serial = json.loads((tmp_path / "serial.json").read_text())["claims"]
    parallel = json.loads((tmp_path / "xd.json").read_text())["claims"]
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
        "999.no-such-claim\n",
        encoding="utf-8",
    )
    assert read_known_failures(listed) == [
        sample["values"],
        sample["shared_a"],
        sample["shared_b"],
        sample["training"],
        "999.no-such-claim",
    ]
    code, out = run_sample(
        sample, "--impl", adapters["bad_fake"], "--known-failures", listed, "--conformance-report", tmp_path / "r"
    )
    assert code == 0, out
    assert "match no claim: 999.no-such-claim" in out
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
    golden_file = ROOT / "tests" / "conformance" / f"golden_probe_{os.getpid()}.csv"
    env = {"CONFORMANCE_SAMPLE_GOLDEN": str(golden_file)}
    try:
        code, out = run_sample(golden_sample, "--impl", adapters["good_fake"], env=env, spec=SAMPLE_GOLDEN)
        assert code == 1 and "validation mode never writes golden files" in out, out
        assert not golden_file.exists()
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
