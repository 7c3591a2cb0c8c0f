"""The harness survives faulty and hostile implementations, in bounded time, with a clear outcome each.

Every test runs pytest in a subprocess on the sample specification (tests/conformance/sample_spec.py)
against an adapter written into a temporary folder: one that hangs, returns garbage, modifies its
inputs, writes into the checkout, prints without end, or cannot even be imported. Crashes (os._exit,
a segfault) are in test_earned_verdicts.py.
"""

from __future__ import annotations

import os
import time

import pytest

from docs.sitegen import pages
from nnspec import box, golden, reports
from nnspec.registry import load_claims
from tests.conformance import clone
from tests.conformance.suite import ROOT, outcomes, run_pytest, run_sample
from tests.conformance.test_earned_verdicts import write

BASE = """
import numpy as np
from reference_nn.adapter import *  # noqa: F403
from reference_nn import adapter as _reference

NAME = "hostile"
VERSION = "0"
"""


def adapter_with(tmp_path, body: str, name: str = "hostile.py"):
    return write(tmp_path, name, BASE + body)


def claim_of(tmp_path, cid: str) -> dict:
    return reports.load(tmp_path / "r.json")["claims"][cid]


def test_a_function_that_never_returns_times_out_and_the_run_goes_on(sample, tmp_path):
    adapter = adapter_with(
        tmp_path,
        """
def activation(name, z, **params):
    while name == "relu":
        pass
    return _reference.activation(name, z, **params)
""",
    )
    start = time.monotonic()
    code, out = run_sample(sample, "--impl", adapter, "--timeout", "3", "--conformance-report", tmp_path / "r")
    assert time.monotonic() - start < 120, out
    assert code == pytest.ExitCode.TESTS_FAILED, out
    entry = claim_of(tmp_path, sample["shared_a"])
    assert entry["outcome"] == "timed out"
    assert entry["reason"].startswith("timeout after 3 s in activation"), entry
    assert outcomes(tmp_path / "r")[sample["tanh"]] == "passed"  # the tests after it still ran


@pytest.mark.parametrize(
    ("returns", "expected"),
    [
        ("np.full_like(z, np.nan)", "activation returned a non-finite value nan at index (0,) for f(z), from finite"),
        ("list(_reference.activation(name, z))", "activation returned a list for f(z); expected a numpy.ndarray"),
        ("_reference.activation(name, z).astype(np.float32)", "activation returned dtype float32 for f(z); expected"),
        ("_reference.activation(name, z)[:, None]", "activation returned shape (11, 1) for f(z); expected (11,)"),
    ],
    ids=["nan", "list", "float32", "shape"],
)
def test_returned_values_are_checked_at_the_boundary_and_the_reason_names_the_function(
    sample, tmp_path, returns, expected
):
    adapter = adapter_with(
        tmp_path,
        f"""
def activation(name, z, **params):
    if name == "sigmoid":
        return {returns}
    return _reference.activation(name, z, **params)
""",
    )
    code, out = run_sample(sample, "--impl", adapter, "--conformance-report", tmp_path / "r")
    assert code == pytest.ExitCode.TESTS_FAILED, out
    entry = claim_of(tmp_path, sample["values"])
    assert entry["outcome"] == "failed"
    assert entry["reason"].startswith(expected), entry["reason"]
    if "float32" in expected:
        assert "the protocol is float64" in entry["reason"]


def test_an_implementation_that_modifies_its_inputs_is_named(sample, tmp_path):
    adapter = adapter_with(
        tmp_path,
        """
def train(X, Y, weights, biases, activations, loss, learning_rate, iterations):
    result = _reference.train(X, Y, weights, biases, activations, loss, learning_rate, iterations)
    weights[0] -= 1.0  # in place, on the caller's array
    return result
""",
    )
    code, out = run_sample(sample, "--impl", adapter, "--conformance-report", tmp_path / "r")
    assert code == pytest.ExitCode.TESTS_FAILED, out
    entry = claim_of(tmp_path, sample["training"])
    assert entry["reason"].startswith("train modified its input weights (the protocol: inputs are not modified")


@pytest.mark.parametrize("mode", ["boxed", "--in-process"])
def test_a_write_into_the_checkout_is_refused_by_the_box_and_named_in_process(sample, tmp_path, mode):
    """Boxed, the checkout is read-only: the write fails inside the implementation and nothing changes.
    In process (trusted code only), the checkout check still names the file and voids the run."""
    if mode == "boxed" and not box.available()[0]:
        pytest.skip(f"no box on this machine: {box.available()[1]}")
    probe = ROOT / "tests" / "golden" / f"tamper_probe_{tmp_path.name}.csv"
    adapter = adapter_with(
        tmp_path,
        f"""
from pathlib import Path


def activation(name, z, **params):
    Path({str(probe)!r}).write_text("0,0\\n")
    return _reference.activation(name, z, **params)
""",
    )
    extra = [mode] if mode != "boxed" else []
    try:
        code, out = run_sample(sample, "--impl", adapter, *extra, "--conformance-report", tmp_path / "r")
        created = probe.exists()
    finally:
        probe.unlink(missing_ok=True)
    assert code == pytest.ExitCode.TESTS_FAILED, out
    doc = reports.load(tmp_path / "r.json")
    if mode == "boxed":
        assert not created and doc["checkout_changed"] == [], out
        assert "Read-only file system" in claim_of(tmp_path, sample["values"])["reason"]
    else:
        assert f"added tests/golden/{probe.name}" in out and "this run's verdicts are void" in out
        assert doc["checkout_changed"] == [f"added tests/golden/{probe.name}"] and doc["complete"] is False


def test_goldens_are_read_before_the_implementation_runs(tmp_path, monkeypatch):
    (tmp_path / "runs").mkdir()
    csv = tmp_path / "runs" / "case.csv"
    csv.write_text(",loss\n0,1.0\n")
    monkeypatch.setattr(golden, "GOLDEN", tmp_path)
    monkeypatch.setattr(golden, "_TEXT", {})
    golden.preload()
    csv.write_text(",loss\n0,2.0\n")  # what an implementation could do after the run started
    assert golden.golden_text(csv) == ",loss\n0,1.0\n"


def test_captured_output_is_capped(sample, tmp_path):
    adapter = adapter_with(
        tmp_path,
        """
def activation(name, z, **params):
    if name == "relu":
        print("x" * 50_000_000)
        raise ValueError("relu is broken")
    return _reference.activation(name, z, **params)
""",
    )
    code, out = run_sample(sample, "-n", "0", "--impl", adapter)
    assert code == pytest.ExitCode.TESTS_FAILED
    assert len(out) < 200_000 and "characters of captured output left out" in out


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("raise RuntimeError('no GPU here')\n", "cannot load the implementation: RuntimeError: no GPU here"),
        ("def activation(:\n", "cannot load the implementation: SyntaxError"),
        ("import os\nos._exit(7)\n", "cannot load the implementation: its process died (exit status 7) before it"),
        ("raise SystemExit(3)\n", "cannot load the implementation: SystemExit: 3"),
    ],
    ids=["raises", "syntax-error", "exits", "system-exit"],
)
def test_an_adapter_that_cannot_be_imported_is_a_usage_error(sample, tmp_path, source, says):
    adapter = write(tmp_path, "broken.py", source)
    code, out = run_sample(sample, "--impl", adapter)
    assert code == pytest.ExitCode.USAGE_ERROR, out
    assert says in out and "INTERNALERROR" not in out


def test_usage_mistakes_are_one_line_errors_before_the_run(sample, tmp_path):
    text_file = write(tmp_path, "adapter.txt", "not python")
    code, out = run_sample(sample, "--impl", text_file)
    assert code == pytest.ExitCode.USAGE_ERROR and "cannot load the implementation" in out, out
    known = tmp_path / "known"
    known.write_bytes(b"\xff\xfe000.x\n")
    code, out = run_sample(sample, "--known-failures", known)
    assert code == pytest.ExitCode.USAGE_ERROR and "not a UTF-8 list of claim or rule ids" in out, out
    blocker = write(tmp_path, "a_file", "")
    start = time.monotonic()
    code, out = run_sample(sample, "--conformance-report", blocker / "report")
    assert code == pytest.ExitCode.USAGE_ERROR and f"cannot write {blocker / 'report.json'}" in out, out
    assert "passed" not in out and time.monotonic() - start < 60  # refused before any test ran


def test_two_runs_with_different_claims_json_do_not_overwrite_each_other(sample, tmp_path):
    for name in ("one", "two"):
        code, out = run_sample(sample, "--claims-json", tmp_path / f"{name}.json")
        assert code == pytest.ExitCode.OK, out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "one.json",
        "one.printed.json",
        "two.json",
        "two.printed.json",
    ]
    for name in ("one", "two"):  # both files of each run are valid documents of the published format
        reports.load_claims_json(tmp_path / f"{name}.json")
        reports.load_printed_json(tmp_path / f"{name}.printed.json")


def test_markup_in_an_adapters_failure_reaches_the_book_escaped(sample, tmp_path):
    adapter = adapter_with(
        tmp_path,
        """
def activation(name, z, **params):
    if name == "sigmoid":
        raise ValueError('" onmouseover="alert(1)" <img src=x onerror=alert(2)>')
    return _reference.activation(name, z, **params)
""",
    )
    code, out = run_sample(sample, "--impl", adapter, "--conformance-report", tmp_path / "r")
    assert code == pytest.ExitCode.TESTS_FAILED, out
    report = reports.load(tmp_path / "r.json")
    assert "<img" in report["claims"][sample["values"]]["reason"]
    page = pages.compliance(load_claims(), [report])
    assert "<img" not in page and '" onmouseover' not in page


def test_an_implementation_cannot_excuse_itself_with_pytest_xfail(sample, tmp_path):
    """Over the wire the adapter's pytest.xfail is only an exception raised in its own process: a failure."""
    adapter = adapter_with(
        tmp_path,
        """
import pytest


def activation(name, z, **params):
    if name == "sigmoid":
        pytest.xfail("not my fault")
    return _reference.activation(name, z, **params)
""",
    )
    code, out = run_sample(sample, "--impl", adapter, "--conformance-report", tmp_path / "r")
    assert code == pytest.ExitCode.TESTS_FAILED, out
    entry = claim_of(tmp_path, sample["values"])
    assert entry["outcome"] == "failed" and entry["reason"].startswith("XFailed: not my fault"), entry
    code, out = run_sample(sample, "--impl", adapter, "--in-process", "--conformance-report", tmp_path / "r")
    entry = claim_of(tmp_path, sample["values"])
    assert entry["outcome"] == "failed" and "declared an expected failure" in entry["reason"], entry


def test_a_hang_inside_a_rule_test_is_a_time_out_of_that_rule(tmp_path):
    adapter = adapter_with(
        tmp_path,
        """
def loss(name, y_pred, y_true):
    while True:
        pass
""",
    )
    rules = "tests/spec/test_protocol_rules.py::test_loss_returns_a_python_float"
    code, out = run_pytest("--impl", adapter, "--timeout", "2", "--conformance-report", tmp_path / "r", rules)
    assert code == pytest.ExitCode.TESTS_FAILED, out
    entry = reports.load(tmp_path / "r.json")["rules"]["R03"]
    assert entry["outcome"] == "timed out" and entry["reason"].startswith("timeout after 2 s in loss"), entry


def test_what_the_implementation_says_reaches_the_terminal_the_reports_and_the_site_safely(sample, tmp_path):
    """A 10 MB message with an ANSI escape, a name with a newline that would forge a header: bounded and
    escaped in the conformance table, the JSON and Markdown reports and the compliance page."""
    adapter = write(
        tmp_path,
        "loud.py",
        BASE.replace('NAME = "hostile"', 'NAME = "loud\\n## forged header\\x1b[2J"')
        + """
def activation(name, z, **params):
    if name == "sigmoid":
        raise ValueError("\\x1b[31m" + "A" * 10_000_000 + "\\n| forged | row |")
    return _reference.activation(name, z, **params)
""",
    )
    code, out = run_sample(sample, "--impl", adapter, "--conformance-report", tmp_path / "r")
    assert code == pytest.ExitCode.TESTS_FAILED, out[-2000:]
    assert "\x1b" not in out and len(out) < 50_000, out[:2000]  # the whole terminal output
    assert not [line for line in out.splitlines() if line.startswith(("## forged", "| forged"))]
    table = out[out.index("conformance of ") :]
    assert table.startswith("conformance of loud\\n## forged header\\x1b[2J 0 ")
    json_text = (tmp_path / "r.json").read_text()
    report = reports.load(tmp_path / "r.json")
    reason = report["claims"][sample["values"]]["reason"]
    assert len(json_text) < 100_000 and "\x1b" not in reason and "\n" not in report["implementation"]
    assert reason.startswith("ValueError: \\x1b[31mAAAA") and "more characters]" in reason
    markdown = (tmp_path / "r.md").read_text()
    page = pages.compliance(load_claims(), [report])
    for text in (markdown, page):
        assert "\x1b" not in text and len(text) < 100_000
        assert not [line for line in text.splitlines() if line.startswith(("## forged", "| forged"))]


# --- issue 23: hostile implementations against a COPY of the checkout (tests/conformance/clone.py) ---------
# Each is otherwise correct. Each must leave the copy, its .git and its reports exactly as they were, give
# the claims it touched a clear outcome, and leave no process behind. They need the wire and the box: in
# process, the implementation runs with the harness's permissions and the protection can only report.


SAMPLE_IN_COPY = "tests/conformance/sample_spec.py"
SETTINGS_PROBE = """
import io, sys
import numpy as np
import pytest

from tests.conformance.sample_spec import CLAIMS


@pytest.mark.claim(CLAIMS["values"])
def test_the_specifications_own_settings_hold(impl):
    impl.activation("sigmoid", np.zeros(3))  # the implementation has run, in its own way
    assert np.geterr() == {"divide": "warn", "over": "warn", "under": "ignore", "invalid": "warn"}
    with pytest.raises(RuntimeWarning):  # warnings are still errors (filterwarnings = error)
        np.exp(np.float64(1000.0))
    assert type(sys.stdout) is not io.StringIO and type(sys.stderr) is not io.StringIO
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return clone.make_template(tmp_path_factory.mktemp("template") / "checkout")


@pytest.fixture
def copy(template, tmp_path):
    return clone.copy_of(template, tmp_path / "checkout")


def hostile_run(sample, copy, tmp_path, body: str, *args, settle: float = 0.0, spec=SAMPLE_IN_COPY):
    """Run the sample specification in ``copy`` against an adapter made of BASE and ``body`` (``{copy}`` and
    ``{token}`` filled in); return (exit code, output, report document or None, what changed, processes)."""
    token = f"hostile-{tmp_path.name}-{os.getpid()}"
    adapter = write(tmp_path, f"{token}.py", BASE + body.replace("{copy}", str(copy)).replace("{token}", token))
    before = clone.fingerprint(copy)
    roles = {"CONFORMANCE_SAMPLE_CLAIMS": ",".join(f"{role}={cid}" for role, cid in sample.items())}
    base = copy / "test-artifacts" / "conformance" / "hostile"
    code, out = clone.run_in(
        copy, "-rN", spec, "--impl", adapter, "--conformance-report", base, *args,
        env=roles,
    )  # fmt: skip
    clone.settle(settle)
    report_file = base.with_name("hostile.json")
    doc = reports.load(report_file) if report_file.is_file() and not report_file.is_symlink() else None
    after = clone.fingerprint(copy)
    for written in ("hostile.json", "hostile.md", "MANIFEST.json", ".MANIFEST.json.lock"):  # the harness writes them
        for state in (before, after):
            state.pop(f"test-artifacts/conformance/{written}", None)
    return code, out, doc, clone.differences(before, after), clone.processes_with(token)


def untouched(result) -> None:
    code, out, doc, changed, left = result
    assert changed == [], f"the copy changed: {changed}\n{out[-3000:]}"
    assert left == [], f"processes left: {left}"
    assert doc is not None, out[-3000:]


TAMPER = """
import os


def _write(path, mode, text):
    with open(path, mode) as handle:
        handle.write(text)


def _tamper():
    try:
        {act}
    except OSError:
        pass  # the box refused: stay an otherwise correct implementation


def activation(name, z, **params):
    _tamper()
    return _reference.activation(name, z, **params)
"""

ACTS = {
    "root conftest.py": '_write("{copy}/conftest.py", "a", "\\nimport os; os.system(\'echo planted\')\\n")',
    "core.fsmonitor": '_write("{copy}/.git/config", "a", "[core]\\n\\tfsmonitor = touch /tmp/planted\\n")',
    "a forged report": '_write("{copy}/test-artifacts/conformance/forged_torch.json", "w", \'{"claims": {}}\')',
    "the report folder as a link into the goldens": (
        'import shutil; shutil.rmtree("{copy}/test-artifacts/conformance"); '
        'os.symlink("{copy}/tests/golden/runs", "{copy}/test-artifacts/conformance")'
    ),
}


@pytest.mark.conformance
@pytest.mark.parametrize("act", list(ACTS))
def test_a_hostile_write_leaves_the_checkout_git_and_reports_as_they_were(sample, copy, tmp_path, act):
    result = hostile_run(sample, copy, tmp_path, TAMPER.replace("{act}", ACTS[act]))
    untouched(result)
    code, out, doc, _, _ = result
    assert doc["checkout_changed"] == [] and code == pytest.ExitCode.OK, out[-3000:]
    judged = {e["outcome"] for e in doc["claims"].values()}
    assert judged <= {"passed", "not about the implementation", "reference-only"}, doc["claims"]


@pytest.mark.conformance
def test_a_detached_child_that_waits_for_the_run_to_end_cannot_touch_a_golden(sample, copy, tmp_path):
    golden = sorted((copy / "tests" / "golden").rglob("*.csv"))[0]
    body = f"""
import subprocess, sys

WAITER = '''
import os, sys, time
parent = os.getppid()  # started in a session of its own (start_new_session)
for _ in range(200):  # wait for the run to end, then strike
    time.sleep(0.05)
    if os.getppid() != parent:
        break
time.sleep(0.5)
open({str(golden)!r}, "a").write("9,9\\\\n")
'''
_started = []


def activation(name, z, **params):
    if not _started:
        quiet = dict(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _started.append(subprocess.Popen([sys.executable, "-c", WAITER, "{{token}}"], start_new_session=True, **quiet))
    return _reference.activation(name, z, **params)
"""
    result = hostile_run(sample, copy, tmp_path, body, settle=3.0)
    untouched(result)


@pytest.mark.conformance
def test_posing_as_the_reference_in_sys_modules_does_not_make_it_the_reference(sample, copy, tmp_path):
    body = """
import sys
sys.modules["reference_nn.adapter"] = sys.modules[__name__]
"""
    result = hostile_run(sample, copy, tmp_path, body)
    untouched(result)
    doc = result[2]
    assert doc["reference"] is False
    assert doc["claims"][sample["reference_only"]]["outcome"] == "reference-only"


@pytest.mark.conformance
def test_an_atexit_exit_0_does_not_turn_a_failing_run_green(sample, copy, tmp_path):
    body = """
import atexit, os
atexit.register(os._exit, 0)


def activation(name, z, **params):
    return _reference.activation(name, z, **params) + (1.0 if name == "sigmoid" else 0.0)
"""
    result = hostile_run(sample, copy, tmp_path, body)
    untouched(result)
    code, out, doc, _, _ = result
    assert code == pytest.ExitCode.TESTS_FAILED, out[-3000:]
    assert doc["claims"][sample["values"]]["outcome"] == "failed"


@pytest.mark.conformance
@pytest.mark.parametrize("kill", ["os.killpg(os.getpgid(0), signal.SIGKILL)", "os.kill(0, signal.SIGKILL)"])
def test_killing_its_own_process_group_ends_only_itself(sample, copy, tmp_path, kill):
    body = f"""
import os, signal


def activation(name, z, **params):
    if name == "sigmoid":
        {kill}
    return _reference.activation(name, z, **params)
"""
    result = hostile_run(sample, copy, tmp_path, body)
    untouched(result)
    code, out, doc, _, _ = result
    assert code == pytest.ExitCode.TESTS_FAILED and doc["complete"] is True, out[-3000:]
    entry = doc["claims"][sample["values"]]
    # in the box its group is the box's own: the kill either ends the child (crashed) or finds no such
    # group (ProcessLookupError, a failure of the function); either way the harness is untouched
    assert entry["outcome"] == "crashed" or entry["reason"].startswith("ProcessLookupError"), entry
    assert doc["claims"][sample["tanh"]]["outcome"] == "passed"  # the run went on after it


@pytest.mark.conformance
def test_its_global_settings_change_nothing_of_the_specifications_arithmetic_warnings_or_output(sample, copy, tmp_path):
    body = """
import io, sys, warnings
np.seterr(all="ignore")
warnings.simplefilter("ignore")
sys.stdout = sys.__stdout__ = io.StringIO()
sys.stderr = io.StringIO()


def activation(name, z, **params):
    np.seterr(all="ignore")
    warnings.simplefilter("ignore")
    return _reference.activation(name, z, **params)
"""
    (copy / "tests" / "conformance" / "settings_probe.py").write_text(SETTINGS_PROBE)
    result = hostile_run(sample, copy, tmp_path, body, spec="tests/conformance/settings_probe.py")
    untouched(result)
    code, out, doc, _, _ = result
    assert code == pytest.ExitCode.OK and "conformance of hostile 0" in out, out[-3000:]
    assert doc["claims"][sample["values"]]["outcome"] == "passed", doc["claims"]
