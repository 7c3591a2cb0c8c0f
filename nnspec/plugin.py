"""The pytest plugin of the specification: one session object, :class:`Specification`.

``nnspec.options`` (the pytest11 entry point) registers it in ``pytest_configure`` when pytest runs inside
the specification's checkout; nothing here is imported otherwise. All run state lives on the session
object (kept in ``config.stash``) and on each test's item (``item.stash``): the implementation under
test, the ledger of outcomes, the calls made while fixtures were set up, the printed goldens reproduced.

``--impl X`` (or ``$REFERENCE_NN_IMPL``) picks the adapter under test; anything but reference_nn's own
adapter (decided by identity) runs in *validation mode*: only ``tests/spec`` is collected, tests that
cannot call the implementation are not run, reference-only claims are reported as such, golden files
are read from a temporary copy (nothing of the checkout is written) and regeneration is refused. Every
protocol function a test calls (itself or through its fixtures) travels with its report, and a claim
passes only when its tests called the implementation (nnspec/report.py). ``--known-failures FILE``
turns listed claims and rules into expected failures; ``--conformance-report PATH`` writes PATH.json
and PATH.md (nnspec/schemas/conformance-report.schema.json).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from nnspec import checkout, completeness, content, golden, known_failures, manifest, markers, recording, tutorial_code
from nnspec import impl as implementations
from nnspec import report as conformance
from nnspec.impl import REFERENCE_ONLY, Implementation, load_adapter, spec_from_config
from nnspec.outcomes import Outcome
from nnspec.registry import RegistryError, load_claims, totals_by_cause
from nnspec.rules import load_rules
from nnspec.wire import client as wire_client

TESTS = content.TESTS
SPEC_DIR = content.SPEC

#: Validation mode's time limit per test (pytest-timeout), unless ``--timeout N`` says otherwise. The
#: slowest test takes about 3 s on the reference and the PyTorch adapter is about 14 times slower:
#: 120 s leaves a margin of about 3 for a slower machine or implementation.
VALIDATION_TIMEOUT = 120.0

#: How much of a test's captured output its report keeps (an implementation may print without end).
CAPTURE_LIMIT = 20_000

_COMPLETE = (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
_COMPLETENESS = "nnspec-completeness"

SESSION = pytest.StashKey["Specification"]()
_RECORDING = pytest.StashKey[recording.Recording]()


def validation_defaults(config) -> None:
    """Validation runs the implementation in a child process over the wire (nnspec.wire), where a crash
    costs only the call it was running; ``--in-process`` runs it in a restartable pytest-xdist worker
    instead, unless told otherwise (``-n N``, ``-n 0``, ``-p no:xdist``). Each test has a time limit
    (``--timeout N``, 0 for none): a hang costs only that test. (Called by nnspec.options before
    pytest-xdist reads its options.)"""
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


def session(config) -> Specification:
    return config.stash[SESSION]


def implementation(config) -> Implementation:
    return session(config).implementation


def registry() -> dict:
    """The claims registry; a malformed one is a usage error, not a crash."""
    try:
        return load_claims()
    except (RegistryError, yaml.YAMLError) as exc:
        raise pytest.UsageError(f"the claims registry (tests/claims/) is malformed: {exc}") from exc


def printed_path(claims_json: str | Path) -> Path:
    """Where the printed goldens a run reproduced are written: beside --claims-json, named after it."""
    path = Path(claims_json)
    return path.with_name(path.stem + ".printed.json")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or "(no message)"


def _capped(text: str) -> str:
    if len(text) <= CAPTURE_LIMIT:
        return text
    half = CAPTURE_LIMIT // 2
    return (
        f"{text[:half]}\n[... {len(text) - CAPTURE_LIMIT:,} characters of captured output left out ...]\n{text[-half:]}"
    )


def _interrupt_on_sigterm(config) -> None:
    """SIGTERM to the controller ends the run as Ctrl-C does: pytest-xdist then terminates its workers
    (and each worker's boxed implementation dies with it), instead of leaving them running without a
    controller. Only in the main thread of a real run; the previous handler is restored at the end."""
    if threading.current_thread() is not threading.main_thread():
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except (ValueError, OSError):
        return
    config.add_cleanup(lambda: signal.signal(signal.SIGTERM, previous))


class Specification:
    """The specification's run: what is judged (``implementation``), the known failures, the ledger of
    outcomes, and what the run writes (reports, claims JSON). One instance per pytest process, in
    ``config.stash``; registered by nnspec.options."""

    def __init__(self, config):
        self.config = config
        self.worker = hasattr(config, "workerinput")
        self.implementation: Implementation | None = None
        self.ledger: conformance.Ledger | None = None
        self.known: dict[str, str] = {}
        self.checkout_before: dict[str, str] | None = None
        self.changed: list[str] = []
        self.claims: dict[str, dict] | None = None
        #: (fixture name, its baseid) -> protocol functions called while it was set up
        self.fixture_calls: dict[tuple[str, str], set[str]] = defaultdict(set)
        #: NNN/key -> [{test, values}]: the printed goldens this run reproduced (the site shows them)
        self.printed: dict[str, list] = {}
        self.goldens_copy: Path | None = None
        config.stash[SESSION] = self

    # ---- before the run: everything that can be refused is refused (exit 4, one line) --------------------

    def pytest_configure(self, config):
        """The goldens are read and the checkout is fingerprinted before any code of the implementation
        under test runs."""
        if not self.worker and not os.environ.get(implementations.CALL_LOG):
            folder = tempfile.mkdtemp(prefix="reference_nn-calls-")
            os.environ[implementations.CALL_LOG] = folder  # inherited by the xdist workers
            config.add_cleanup(
                lambda: (shutil.rmtree(folder, ignore_errors=True), os.environ.pop(implementations.CALL_LOG))
            )
        if not self.worker:
            self._check_output_paths()
        self.known = self._known_failures()
        spec = spec_from_config(config)
        golden.preload()
        if not self.worker and (config.getoption("tutorial_code", None) or not implementations.names_reference(spec)):
            self.checkout_before = checkout.snapshot(exclude=checkout.harness_outputs(config))
        if not self.worker:
            wire_client.set_run_deadline(config)
            config.pluginmanager.register(completeness.Completeness(), _COMPLETENESS)
            _interrupt_on_sigterm(config)
        learner, impl = _implementation_under_test(config, spec, self.worker)
        if learner:
            config.pluginmanager.register(
                tutorial_code.TutorialCodePlugin(learner, lambda: self.claims), "tutorial_code"
            )
        self.implementation = impl
        if not impl.is_reference:
            regen = [opt for opt in ("force_regen", "regen_all") if config.getoption(opt, False)]
            if regen:
                flags = ", ".join("--" + opt.replace("_", "-") for opt in regen)
                raise pytest.UsageError(
                    f"{flags} refused: goldens are regenerated only from the reference implementation, "
                    f"not from {impl.name} ({spec})"
                )
        reference_only = (
            frozenset()
            if impl.is_reference
            else frozenset(cid for cid, claim in registry().items() if claim.reference_only)
        )
        self.ledger = conformance.Ledger(
            frozenset(self.known),
            reference_only,
            validation=not impl.is_reference,
            markers_of=markers.of_nodeid,
            last_call=implementations.last_call,
        )

    def _known_failures(self) -> dict[str, str]:
        path = self.config.getoption("known_failures", None)
        if not path:
            return {}
        try:
            return known_failures.read(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise pytest.UsageError(f"--known-failures {path}: not a UTF-8 list of claim or rule ids: {exc}") from None

    def _check_output_paths(self) -> None:
        """Every file the run will write can be written: checked now, not after the whole run."""
        option = self.config.getoption
        paths = []
        if option("conformance_report", None):
            paths += conformance.report_paths(option("conformance_report"))
        for name in ("claims_json", "gradescope_results"):
            if option(name, None):
                paths.append(Path(option(name)))
        if option("claims_json", None):
            paths.append(printed_path(option("claims_json")))
        for path in paths:
            try:
                if path.is_dir():
                    raise IsADirectoryError(f"{path} is a directory")
                path.parent.mkdir(parents=True, exist_ok=True)
                with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}."):
                    pass
            except OSError as exc:
                raise pytest.UsageError(f"cannot write {path}: {exc}") from None

    def pytest_report_header(self, config):
        impl = self.implementation
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

    # ---- collection ----------------------------------------------------------------------------------------

    def pytest_ignore_collect(self, collection_path, config):
        """Validation mode runs the specification only: the package's own tests, the site and the
        conformance machinery under tests/ are not collected (unless a file is named on the command line)."""
        if self.implementation.is_reference:
            return None
        path = Path(collection_path).resolve()
        if path == TESTS or not path.is_relative_to(TESTS) or path.is_relative_to(SPEC_DIR):
            return None
        if path.is_dir() and SPEC_DIR.is_relative_to(path):
            return None
        named = {Path(str(arg).split("::")[0]).resolve() for arg in config.args}
        return None if path in named else True

    def pytest_collection_modifyitems(self, config, items):
        claims = registry()
        impl = self.implementation
        problems = []
        for item in items:
            marks = markers.of_item(item)
            ids, rules = list(marks.claims), list(marks.rules)
            unknown = [cid for cid in ids if cid not in claims]
            if unknown:
                problems.append(f"{item.nodeid}: unknown claim ids {unknown}")
            if not ids and not rules and SPEC_DIR in Path(item.fspath).parents:
                problems.append(f"{item.nodeid}: a specification test must name its claims (or protocol rules)")
            item.user_properties.append(("claims", ids))
            item.user_properties.append(("rules", rules))
            if not impl.is_reference:
                _validation_marks(item, [claims[cid] for cid in ids if cid in claims])
            listed = [key for key in (*ids, *rules) if key in self.known]
            if listed:
                item.add_marker(pytest.mark.xfail(reason=conformance.KNOWN_FAILURE + ", ".join(listed), strict=False))
        if problems:
            raise pytest.UsageError("claim markers:\n  " + "\n  ".join(problems))

    # ---- which protocol functions each test called ---------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        """The test's recording (nnspec/recording.py) is current from its setup to its teardown."""
        record = item.stash[_RECORDING] = recording.Recording()
        with recording.recording(record):
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        """Calls made while a fixture is set up belong to that fixture, and so to every test that uses it."""
        record = recording.current()
        start = len(record.calls) if record else 0
        try:
            return (yield)
        finally:
            if record is not None:
                self.fixture_calls[(fixturedef.argname, fixturedef.baseid)].update(record.calls[start:])

    def _calls_of(self, item) -> list[str]:
        """The functions a test called, through its fixtures or itself, each once; the one it entered last
        comes last (where it was when it stopped)."""
        calls = item.stash[_RECORDING].calls if _RECORDING in item.stash else []
        names = [
            name
            for (argname, baseid), fixture_calls in self.fixture_calls.items()
            if argname in getattr(item, "fixturenames", ()) and item.nodeid.startswith(baseid)
            for name in sorted(fixture_calls)
        ]
        ordered = list(dict.fromkeys([*names, *calls]))
        if calls:
            ordered.remove(calls[-1])
            ordered.append(calls[-1])
        return ordered

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        """Each report carries the functions called so far; a passing test's matches with printed goldens
        travel with its call report (also from xdist workers)."""
        report = yield
        report.user_properties = [*report.user_properties, ("calls", self._calls_of(item))]
        report.sections = [(title, _capped(text)) for title, text in report.sections]
        if call.when == "call" and _RECORDING in item.stash:
            record = item.stash[_RECORDING]
            if report.passed and record.printed:
                report.user_properties = [*report.user_properties, ("printed", list(record.printed))]
            record.printed.clear()
        return report

    @pytest.hookimpl(optionalhook=True)
    def pytest_handlecrashitem(self, crashitem, report, sched):
        """pytest-xdist: a worker died while running ``crashitem``; the report says which worker (the ledger
        looks up the protocol function it was in)."""
        worker = getattr(getattr(report, "node", None), "gateway", None)
        report.user_properties = [*report.user_properties, ("crashed_worker", getattr(worker, "id", "main"))]

    def pytest_runtest_logreport(self, report):
        # under pytest-xdist the controller receives every worker's reports here too
        if self.ledger is not None:
            self.ledger.record(report)
        for key, values in dict(report.user_properties).get("printed", []):
            self.printed.setdefault(key, []).append({"test": report.nodeid, "values": values})

    # ---- after the run: the report -------------------------------------------------------------------------

    def pytest_sessionfinish(self, session, exitstatus):
        if self.worker:
            return
        config = self.config
        ledger = self.ledger
        before = self.checkout_before
        after = checkout.snapshot(exclude=checkout.harness_outputs(config)) if before is not None else None
        self.changed = changed = checkout.changes(before, after) if before is not None else []
        self.claims = claims = ledger.claim_outcomes()
        if changed:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if not ledger.tests:
            return
        impl = self.implementation
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
                implementation_info=conformance.implementation_info(impl, config.getoption("tutorial_code", None)),
            )
            written = conformance.write(path, doc, quotes)
            manifest.add(written[0])
        path = config.getoption("claims_json", None)
        if path:
            outcomes = {cid: entry["outcome"] for cid, entry in claims.items()}
            conformance.write_atomically(Path(path), json.dumps(outcomes, indent=1, sort_keys=True))
            conformance.write_atomically(printed_path(path), json.dumps(self.printed, indent=1, sort_keys=True))
        failing = conformance.failing_claims(claims) + conformance.failing_claims(ledger.rule_outcomes())
        if failing and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter, config):
        if self.changed:
            terminalreporter.section("the checkout was changed during the run", sep="!", red=True, bold=True)
            for line in self.changed:
                terminalreporter.write_line(line, red=True)
            terminalreporter.write_line(
                "The checkout changed during the run (its files, .git or test-artifacts/): "
                "this run's verdicts are void. Restore what is listed above (git status; git checkout -- PATH).",
                red=True,
            )
        claims = self.claims
        if not claims or self.worker or config.getoption("tutorial_code", None):
            return  # a learner's program: its own section (nnspec.tutorial_code) is the verdict, not this table
        tr = terminalreporter
        impl = self.implementation
        ledger = self.ledger
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
        unknown = known_failures.unmatched(self.known, registered, load_rules())
        if unknown:
            tr.write_line(
                f"WARNING: --known-failures names ids that match no claim or rule: {', '.join(unknown)}", yellow=True
            )
        failing = conformance.failing_claims(claims)
        if failing:
            tr.write_line(f"failing claims: {', '.join(failing)}", red=True, bold=True)
        if impl.is_reference:
            tr.write_line(_registry_line(registered, claims))
            return
        tr.write_line(
            "pytest's closing line counts tests; this table counts claims (a test can decide several claims, a claim "
            "can need several tests; tests that cannot call the implementation are skipped as not about it)"
        )
        if len(impl.missing()) == len(implementations.PROTOCOL):
            tr.write_line(f"{impl.name} implements none of the protocol functions: nothing was checked", red=True)


def _implementation_under_test(config, spec: str, worker: bool):
    """(the learner's program or None, the implementation). The reference runs in process (it is the
    trusted reference); every other implementation runs behind the wire in a child process (nnspec.wire),
    unless ``--in-process`` asks for the old path for an implementer's own trusted Python adapter. The
    controller never imports the code under test: it learns its identity from the child's start message."""
    in_process = config.getoption("in_process", False)
    learner = tutorial_code.from_config(config, load=in_process)  # --tutorial-code NNN=FILE: a learner's program
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
        impl = wire_client.WireImplementation(
            served, call_limit=wire_client.call_limit(config), label=learner.spec if learner else spec
        )
        if not worker:  # without xdist workers this process makes the calls too: the child stays for them
            impl.handshake(keep=not getattr(config.option, "numprocesses", None))
    except wire_client.LoadError as exc:
        if learner and str(exc).startswith("ShapeError: "):
            raise tutorial_code.refused(config, learner.chapter, learner.path, str(exc)[12:]) from None
        raise pytest.UsageError(f"{where}: cannot load the implementation: {_one_line(exc)}") from None
    config.add_cleanup(impl.close)
    return learner, impl


def _mode_words(impl) -> str:
    if impl.mode == "in-process":
        return "in process (--in-process: the adapter runs inside pytest, unboxed)"
    return f"over wire protocol v1 in a child process ({impl.mode}; box: {impl.box})"


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


def _registry_line(registered: dict, claims: dict) -> str:
    counts = defaultdict(int)
    for cid, claim in registered.items():
        outcome = claims.get(cid, {}).get("outcome")
        if not claim.testable:
            counts["out-of-scope"] += 1
        elif outcome == Outcome.PASSED:
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
