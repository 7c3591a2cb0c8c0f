"""The pytest plugin of the specification: claim and rule markers, the implementation under test, the report.

Loaded by the conftest.py at the root of the checkout (``pytest_plugins``); its command-line options
come from ``nnspec.options`` (a pytest11 entry point, so that ``--impl /any/path`` works).

``--impl X`` (or ``$REFERENCE_NN_IMPL``) picks the adapter under test; anything but reference_nn's own
adapter (decided by identity) runs in *validation mode*: only ``tests/spec`` is collected, tests that
cannot call the implementation are not run, reference-only claims are reported as such, golden files
are never written and regeneration is refused. Every protocol function a test calls (itself or through
its fixtures) travels with its report, and a claim passes only when its tests called the implementation
(nnspec/report.py). ``--known-failures FILE`` turns listed claims into expected failures;
``--conformance-report PATH`` writes PATH.json and PATH.md.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from nnspec import checkout, completeness, content, golden, options, tutorial_code
from nnspec import impl as implementations
from nnspec import report as conformance
from nnspec.impl import REFERENCE_ONLY, Implementation, load_adapter, spec_from_config
from nnspec.registry import RegistryError, load_claims, totals_by_cause
from nnspec.wire import client as wire_client

TESTS = content.TESTS
CHECKOUT = content.ROOT
SPEC_DIR = content.SPEC

_impl_key = pytest.StashKey[Implementation]()
_ledger_key = pytest.StashKey[conformance.Ledger]()
_claims_key = pytest.StashKey[dict]()
_checkout_key = pytest.StashKey[dict]()
_changed_key = pytest.StashKey[list]()


def pytest_addoption(parser, pluginmanager):
    """The options normally come from the installed entry point (nnspec.options); without
    plugin autoloading (PYTEST_DISABLE_PLUGIN_AUTOLOAD) this conftest-loaded plugin declares them."""
    if not pluginmanager.has_plugin("nnspec"):
        options.add_options(parser)


#: Validation mode's time limit per test (pytest-timeout), unless ``--timeout N`` says otherwise. The
#: slowest test takes about 3 s on the reference and the PyTorch adapter is about 14 times slower:
#: 120 s leaves a margin of about 3 for a slower machine or implementation.
VALIDATION_TIMEOUT = 120.0


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """Validation runs the implementation in a child process over the wire (nnspec.wire), where a crash
    costs only the call it was running; ``--in-process`` runs it in a restartable pytest-xdist worker
    instead, unless told otherwise (``-n N``, ``-n 0``, ``-p no:xdist``). Each test has a time limit
    (``--timeout N``, 0 for none): a hang costs only that test."""
    opt = config.option
    if implementations.names_reference(spec_from_config(config)):
        return
    if config.pluginmanager.has_plugin("timeout") and opt.timeout is None and not config.getini("timeout"):
        opt.timeout = VALIDATION_TIMEOUT  # (in xdist workers too: they get the command line, not this option)
    if hasattr(config, "workerinput"):
        return
    # the conformance table reports every claim: pytest's one line per skipped test would only repeat it
    opt.reportchars = opt.reportchars.replace("a", "fEX").replace("A", "fEXp").replace("s", "")
    in_process = config.getoption("in_process", False)
    if in_process and config.pluginmanager.has_plugin("xdist") and getattr(opt, "numprocesses", 0) is None:
        if not (opt.collectonly or opt.usepdb):
            opt.numprocesses = 1  # over the wire a crash ends only the child: no worker to restart


def pytest_configure(config):
    """Everything that can be refused is refused before the run (exit 4, one line); the goldens are read
    and the checkout is fingerprinted before any code of the implementation under test runs."""
    worker = hasattr(config, "workerinput")
    if not worker and not os.environ.get(implementations.CALL_LOG):
        folder = tempfile.mkdtemp(prefix="reference_nn-calls-")
        os.environ[implementations.CALL_LOG] = folder  # inherited by the xdist workers
        config.add_cleanup(
            lambda: (shutil.rmtree(folder, ignore_errors=True), os.environ.pop(implementations.CALL_LOG))
        )
    if not worker:
        _check_output_paths(config)
    known = _known_failures(config)
    spec = spec_from_config(config)
    golden.preload()
    if not worker and (config.getoption("tutorial_code", None) or not implementations.names_reference(spec)):
        config.stash[_checkout_key] = checkout.snapshot(exclude=checkout.harness_outputs(config))
    if not worker:
        wire_client.set_run_deadline(config)
        config.pluginmanager.register(completeness.Completeness(), _COMPLETENESS)
    learner, implementation = _implementation_under_test(config, spec, worker)
    if learner:
        config.pluginmanager.register(
            tutorial_code.TutorialCodePlugin(learner, lambda: config.stash.get(_claims_key, None)), "tutorial_code"
        )
    config.stash[_impl_key] = implementation
    if not implementation.is_reference:
        _goldens_read_only()
        regen = [opt for opt in ("force_regen", "regen_all") if config.getoption(opt, False)]
        if regen:
            flags = ", ".join("--" + opt.replace("_", "-") for opt in regen)
            raise pytest.UsageError(
                f"{flags} refused: goldens are regenerated only from the reference implementation, "
                f"not from {implementation.name} ({spec})"
            )
    reference_only = (
        frozenset()
        if implementation.is_reference
        else frozenset(cid for cid, claim in registry().items() if claim.reference_only)
    )
    config.stash[_ledger_key] = _current["ledger"] = conformance.Ledger(
        frozenset(known),
        reference_only,
        validation=not implementation.is_reference,
        markers_of=markers_of,
        last_call=implementations.last_call,
    )


def _implementation_under_test(config, spec: str, worker: bool):
    """(the learner's program or None, the implementation). The reference runs in process (it is the
    trusted reference); every other implementation runs behind the wire in a child process (nnspec.wire),
    unless ``--in-process`` asks for the old path for an implementer's own trusted Python adapter. The
    controller never imports the code under test: it learns its identity from the child's start message."""
    in_process = config.getoption("in_process", False)
    learner = tutorial_code.from_config(config, load=in_process)
    where = config.getoption("tutorial_code", None) or spec
    if not learner and (in_process or implementations.names_reference(spec)) and not spec.startswith(wire_client.CMD):
        try:
            return None, Implementation(load_adapter(spec), spec)
        except BaseException as exc:  # an adapter's import may raise anything, exit included: a usage error
            raise pytest.UsageError(
                f"{where}: cannot load the implementation: {type(exc).__name__}: {_one_line(exc)}"
            ) from None
    if learner and in_process:
        return learner, Implementation(learner.adapter, learner.spec)
    served = f"tutorial:{learner.chapter}={learner.path}" if learner else spec
    try:
        implementation = wire_client.WireImplementation(
            served, call_limit=wire_client.call_limit(config), label=learner.spec if learner else spec
        )
        if not worker:
            implementation.handshake()
    except wire_client.LoadError as exc:
        if learner and str(exc).startswith("ShapeError: "):
            raise tutorial_code.refused(config, learner.chapter, learner.path, str(exc)[12:]) from None
        raise pytest.UsageError(f"{where}: cannot load the implementation: {_one_line(exc)}") from None
    config.add_cleanup(implementation.close)
    return learner, implementation


def _known_failures(config) -> list[str]:
    path = config.getoption("known_failures", None)
    if not path:
        return []
    try:
        return conformance.read_known_failures(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise pytest.UsageError(f"--known-failures {path}: not a UTF-8 list of claim ids: {exc}") from None


def _check_output_paths(config) -> None:
    """Every file the run will write can be written: checked now, not after the whole run."""
    paths = []
    if config.getoption("conformance_report", None):
        paths += conformance.report_paths(config.getoption("conformance_report"))
    for option in ("claims_json", "gradescope_results"):
        if config.getoption(option, None):
            paths.append(Path(config.getoption(option)))
    if config.getoption("claims_json", None):
        paths.append(printed_path(config.getoption("claims_json")))
    for path in paths:
        try:
            if path.is_dir():
                raise IsADirectoryError(f"{path} is a directory")
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}."):
                pass
        except OSError as exc:
            raise pytest.UsageError(f"cannot write {path}: {exc}") from None


def printed_path(claims_json: str | Path) -> Path:
    """Where the printed goldens a run reproduced are written: beside --claims-json, named after it."""
    path = Path(claims_json)
    return path.with_name(path.stem + ".printed.json")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or "(no message)"


def _goldens_read_only() -> None:
    """Validation mode: pytest-regressions may write its obtained files (in a temporary folder) but
    no file of the checkout, so a missing or differing golden is a plain failure."""
    from pytest_regressions import common

    def guard(dump):
        def dump_outside_the_checkout(path, *args, **kwargs):
            if Path(path).resolve().is_relative_to(CHECKOUT):
                pytest.fail(f"validation mode never writes golden files: {path} would be written")
            return dump(path, *args, **kwargs)

        return dump_outside_the_checkout

    def perform_regression_check(*args, **kwargs):
        for key in ("dump_fn", "dump_aux_fn"):
            if key in kwargs:
                kwargs[key] = guard(kwargs[key])
        return common.perform_regression_check(*args, **kwargs)

    for name in ("data_regression", "dataframe_regression", "file_regression", "ndarrays_regression"):
        module = importlib.import_module(f"pytest_regressions.{name}")
        module.perform_regression_check = perform_regression_check


def implementation(config) -> Implementation:
    return config.stash[_impl_key]


def pytest_report_header(config):
    impl = implementation(config)
    if impl.is_reference:
        return [f"implementation under test: {impl.name} {impl.version} ({impl.spec}; reference)"]
    lines = [
        f"implementation under test: {impl.name} {impl.version} ({impl.spec}; validation mode)",
        f"  loaded from {impl.file}" if impl.file else "",
        f"  judged {_mode_words(impl)}",
        "  validation mode runs the specification only (tests/spec); a claim passes only when its tests call it",
    ]
    missing = impl.missing()
    if len(missing) == len(implementations.PROTOCOL):
        lines.append(f"  {impl.name} implements none of the protocol functions: no claim can pass")
    elif missing:
        lines.append(f"  not implemented (their claims are reported so): {', '.join(missing)}")
    return [line for line in lines if line]


def _mode_words(impl) -> str:
    if impl.mode == "in-process":
        return "in process (--in-process: the adapter runs inside pytest, unboxed)"
    return f"over wire protocol v1 in a child process ({impl.mode}; box: {impl.box})"


def registry() -> dict:
    """The claims registry; a malformed one is a usage error, not a crash."""
    try:
        return load_claims()
    except (RegistryError, yaml.YAMLError) as exc:
        raise pytest.UsageError(f"the claims registry (tests/claims/) is malformed: {exc}") from exc


def claim_ids(item) -> list[str]:
    return [cid for mark in item.iter_markers("claim") for cid in mark.args]


def rule_ids(item) -> list[str]:
    return [rid for mark in item.iter_markers("rule") for rid in mark.args]


def pytest_ignore_collect(collection_path, config):
    """Validation mode runs the specification only: the package's own tests, the site and the
    conformance machinery under tests/ are not collected (unless a file is named on the command line)."""
    if implementation(config).is_reference:
        return None
    path = Path(collection_path).resolve()
    if path == TESTS or not path.is_relative_to(TESTS) or path.is_relative_to(SPEC_DIR):
        return None
    if path.is_dir() and SPEC_DIR.is_relative_to(path):
        return None
    named = {Path(str(arg).split("::")[0]).resolve() for arg in config.args}
    return None if path in named else True


def pytest_collection_modifyitems(config, items):
    claims = registry()
    impl = implementation(config)
    known = config.stash[_ledger_key].known_failures
    problems = []
    for item in items:
        ids, rules = claim_ids(item), rule_ids(item)
        unknown = [cid for cid in ids if cid not in claims]
        if unknown:
            problems.append(f"{item.nodeid}: unknown claim ids {unknown}")
        if not ids and not rules and SPEC_DIR in Path(item.fspath).parents:
            problems.append(f"{item.nodeid}: a specification test must name its claims (or protocol rules)")
        item.user_properties.append(("claims", ids))
        item.user_properties.append(("rules", rules))
        if not impl.is_reference:
            _validation_marks(item, [claims[cid] for cid in ids if cid in claims])
        listed = [cid for cid in ids if cid in known]
        if listed:
            item.add_marker(pytest.mark.xfail(reason=conformance.KNOWN_FAILURE + ", ".join(listed), strict=False))
    if problems:
        raise pytest.UsageError("claim markers:\n  " + "\n  ".join(problems))


def _validation_marks(item, claims) -> None:
    """Validation mode does not run what cannot call the implementation (its claims are reported as not
    about the implementation) nor the reference-only claims' tests."""
    if "impl" not in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.skip(reason=f"{conformance.NOT_ABOUT}: the test does not use the impl fixture"))
        return
    ref_only = [c.id for c in claims if c.reference_only]
    if ref_only:
        item.add_marker(
            pytest.mark.skip(reason=f"{REFERENCE_ONLY}{', '.join(ref_only)} {conformance.REFERENCE_ONLY_WHY}")
        )


# ---- which protocol functions each test called -------------------------------------------------------------

_fixture_calls: dict[tuple[str, str], set[str]] = defaultdict(set)  # (fixture name, its baseid) -> functions


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Calls made while a fixture is set up belong to that fixture, and so to every test that uses it."""
    start = len(implementations.CALLS)
    try:
        return (yield)
    finally:
        _fixture_calls[(fixturedef.argname, fixturedef.baseid)].update(implementations.CALLS[start:])


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logstart(nodeid, location):
    implementations.CALLS.clear()


def _calls_of(item) -> list[str]:
    """The functions a test called, through its fixtures or itself, each once; the one it entered last
    comes last (where it was when it stopped)."""
    names = [
        name
        for (argname, baseid), calls in _fixture_calls.items()
        if argname in getattr(item, "fixturenames", ()) and item.nodeid.startswith(baseid)
        for name in sorted(calls)
    ]
    ordered = list(dict.fromkeys([*names, *implementations.CALLS]))
    if implementations.CALLS:
        ordered.remove(implementations.CALLS[-1])
        ordered.append(implementations.CALLS[-1])
    return ordered


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Each report carries the functions called so far; a passing test's matches with printed goldens
    travel with its call report (also from xdist workers)."""
    report = yield
    report.user_properties = [*report.user_properties, ("calls", _calls_of(item))]
    report.sections = [(title, _capped(text)) for title, text in report.sections]
    if call.when == "call":
        if report.passed and golden.MATCHED:
            report.user_properties = [*report.user_properties, ("printed", list(golden.MATCHED))]
        golden.MATCHED.clear()
    return report


#: How much of a test's captured output its report keeps (an implementation may print without end).
CAPTURE_LIMIT = 20_000


def _capped(text: str) -> str:
    if len(text) <= CAPTURE_LIMIT:
        return text
    half = CAPTURE_LIMIT // 2
    return (
        f"{text[:half]}\n[... {len(text) - CAPTURE_LIMIT:,} characters of captured output left out ...]\n{text[-half:]}"
    )


def markers_of(nodeid: str) -> tuple[list[str] | None, list[str]]:
    """(claims, rules) of a test read from its module, for a test whose reports never arrived (its worker
    crashed before sending them); (None, []) when the test cannot be found."""
    path, _, name = nodeid.partition("::")
    try:
        module = importlib.import_module(Path(path).with_suffix("").as_posix().replace("/", "."))
        obj, marks = module, list(getattr(module, "pytestmark", []))
        for part in name.split("[")[0].split("::"):
            obj = getattr(obj, part)
            marks += list(getattr(obj, "pytestmark", []))
    except (ImportError, AttributeError, ValueError):
        return None, []
    claims = [a for m in marks if m.name == "claim" for a in m.args]
    rules = [a for m in marks if m.name == "rule" for a in m.args]
    return claims, rules


def pytest_runtest_logreport(report):
    # under pytest-xdist the controller receives every worker's reports here too
    if _current["ledger"] is not None:
        _current["ledger"].record(report)
    for key, values in dict(report.user_properties).get("printed", []):
        _printed_matches.setdefault(key, []).append({"test": report.nodeid, "values": values})


_printed_matches: dict[str, list] = {}  # NNN/key -> [{test, values}]: shown beside the printed numbers


_current: dict[str, conformance.Ledger | None] = {"ledger": None}  # this hook gets no config

_COMPLETE = (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
_COMPLETENESS = "nnspec-completeness"


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if hasattr(config, "workerinput"):
        return
    ledger = config.stash[_ledger_key]
    before = config.stash.get(_checkout_key, None)
    after = checkout.snapshot(exclude=checkout.harness_outputs(config)) if before is not None else None
    changed = checkout.changes(before, after) if before is not None else []
    config.stash[_changed_key] = changed
    claims = ledger.claim_outcomes()
    config.stash[_claims_key] = claims
    if changed:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if not ledger.tests:
        return
    impl = implementation(config)
    stopped = session.shouldstop or session.shouldfail
    run_limit = wire_client.run_limit_reached(config)
    judged = config.pluginmanager.get_plugin(_COMPLETENESS)
    unjudged = judged.missing() if judged is not None else []
    not_judged = f"{len(unjudged)} tests got no outcome (first: {unjudged[0]})" if unjudged else ""
    stopped = stopped or run_limit or not_judged
    complete = exitstatus in _COMPLETE and not stopped and not changed
    path = config.getoption("conformance_report", None)
    if path:
        quotes = {cid: c.quote for cid, c in load_claims().items() if cid in claims}
        doc = conformance.document(
            impl.name,
            impl.version,
            claims,
            reference=impl.is_reference,
            complete=complete,
            exit=f"stopped early: {stopped}" if stopped else pytest.ExitCode(exitstatus).name,
            protocol=[f for f in implementations.PROTOCOL if f not in impl.missing()],
            rules=ledger.rule_outcomes(),
            checkout_changed=changed,
            implementation_info=impl.implementation_info(),
        )
        conformance.write(path, doc, quotes)
    path = config.getoption("claims_json", None)
    if path:
        outcomes = {cid: entry["outcome"] for cid, entry in claims.items()}
        conformance.write_atomically(Path(path), json.dumps(outcomes, indent=1, sort_keys=True))
        conformance.write_atomically(printed_path(path), json.dumps(_printed_matches, indent=1, sort_keys=True))
    failing = conformance.failing_claims(claims) + conformance.failing_claims(ledger.rule_outcomes())
    if failing and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    changed = config.stash.get(_changed_key, [])
    if changed:
        terminalreporter.section("the checkout was changed during the run", sep="!", red=True, bold=True)
        for line in changed:
            terminalreporter.write_line(line, red=True)
        terminalreporter.write_line(
            "The checkout changed during the run (its files, .git or test-artifacts/): "
            "this run's verdicts are void. Restore what is listed above (git status; git checkout -- PATH).",
            red=True,
        )
    claims = config.stash.get(_claims_key, None)
    if not claims or hasattr(config, "workerinput"):
        return
    tr = terminalreporter
    impl = implementation(config)
    ledger = config.stash[_ledger_key]
    tr.section(f"conformance of {impl.name} {impl.version}", sep="-")
    verbose = config.getoption("verbose") > 0
    for line in conformance.terminal_lines(claims, verbose=verbose, width=max(tr._tw.fullwidth, 120)):
        tr.write_line(line)
    rules = ledger.rule_outcomes()
    if rules:
        for line in conformance.terminal_lines(rules, verbose=verbose)[:-1]:
            tr.write_line(line)
        tr.write_line(conformance.summary_line(rules, "protocol rules"))
    registered = load_claims()
    known = ledger.known_failures
    unknown = sorted(cid for cid in known if cid not in registered)
    if unknown:
        tr.write_line(f"WARNING: --known-failures names ids that match no claim: {', '.join(unknown)}", yellow=True)
    failing = conformance.failing_claims(claims)
    if failing:
        tr.write_line(f"failing claims: {', '.join(failing)}", red=True, bold=True)
    if impl.is_reference:
        tr.write_line(_registry_line(registered, claims))
        return
    tr.write_line(
        "pytest's closing line counts tests; this table counts claims (a test can decide several claims, a claim can "
        "need several tests; tests that cannot call the implementation are skipped as not about it)"
    )
    if len(impl.missing()) == len(implementations.PROTOCOL):
        tr.write_line(f"{impl.name} implements none of the protocol functions: nothing was checked", red=True)


def _registry_line(registered: dict, claims: dict) -> str:
    counts = defaultdict(int)
    for cid, claim in registered.items():
        outcome = claims.get(cid, {}).get("outcome")
        if not claim.testable:
            counts["out-of-scope"] += 1
        elif outcome == "passed":
            counts["checked"] += 1
            counts[claim.verdict] += 1
        elif outcome in conformance.FAILING:
            counts["failing"] += 1
        else:
            counts["not run"] += 1
    causes = totals_by_cause(registered)["all"]
    return (
        f"claims: {len(registered)} in the registry; {counts['checked']} checked "
        f"({counts['holds']} hold, {counts['refuted']} refuted, {counts['qualified']} qualified), "
        f"{counts['out-of-scope']} out of scope; {counts['failing']} failing, {counts['not run']} not run; "
        f"the {causes.total()} refuted or qualified come from {len(causes)} causes: "
        + ", ".join(f"{cause} {n}" for cause, n in causes.items())
    )


@pytest.fixture(scope="session")
def impl(pytestconfig):
    """The adapter under test (see reference_nn.adapter for the protocol)."""
    return implementation(pytestconfig)
