"""The pytest plugin of the specification: claim markers, the implementation under test, the report.

Loaded by the conftest.py at the root of the checkout (``pytest_plugins``), so that its options
and session hooks are there however pytest is invoked (see that file).

``--impl X`` (or ``$REFERENCE_NN_IMPL``) picks the adapter under test; anything but reference_nn's
own adapter runs in *validation mode*: reference-only claims are skipped, golden files are never
written, and regeneration is refused. ``--known-failures FILE`` turns listed claims into expected
failures; ``--conformance-report PATH`` writes PATH.json and PATH.md (see tests/_spec/report.py).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from tests._spec import golden, tutorial_code
from tests._spec import report as conformance
from tests._spec.impl import REFERENCE_ONLY, Implementation, load_adapter, spec_from_config
from tests._spec.registry import RegistryError, load_claims

TESTS = Path(__file__).resolve().parent.parent
CHECKOUT = TESTS.parent
SPEC_DIR = TESTS / "spec"
CONFORMANCE_DIR = TESTS / "conformance"

_impl_key = pytest.StashKey[Implementation]()
_ledger_key = pytest.StashKey[conformance.Ledger]()
_claims_key = pytest.StashKey[dict]()


def pytest_addoption(parser):
    group = parser.getgroup("reference_nn", "reference_nn specification")
    group.addoption(
        "--impl",
        default=None,
        help="adapter under test: a dotted module path or a .py file (default: $REFERENCE_NN_IMPL or reference_nn)",
    )
    group.addoption(
        "--known-failures",
        default=None,
        metavar="FILE",
        help="claim ids expected to fail (one per line, '#' comments); each must fail, and no other claim may",
    )
    group.addoption(
        "--conformance-report",
        default=None,
        metavar="PATH",
        help="write each claim's outcome with its reason to PATH.json and PATH.md",
    )
    group.addoption(
        "--claims-json",
        default=None,
        metavar="PATH",
        help="write each claim's outcome in this run (claim id -> outcome) as JSON",
    )
    # ---- a learner's tutorial-shaped program (tests/_spec/tutorial_code.py) ----
    tutorial_code.add_options(group)


def pytest_configure(config):
    spec = spec_from_config(config)
    learner = tutorial_code.from_config(config)  # --tutorial-code NNN=FILE: a learner's program
    try:
        implementation = (
            Implementation(learner.adapter, learner.spec) if learner else Implementation(load_adapter(spec), spec)
        )
    except (ImportError, OSError) as exc:
        raise pytest.UsageError(f"--impl {spec}: cannot load the adapter: {exc}") from exc
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
    known = []
    if config.getoption("known_failures", None):
        try:
            known = conformance.read_known_failures(config.getoption("known_failures"))
        except OSError as exc:
            raise pytest.UsageError(f"--known-failures: {exc}") from exc
    reference_only = (
        frozenset()
        if implementation.is_reference
        else frozenset(cid for cid, claim in registry().items() if claim.reference_only)
    )
    config.stash[_ledger_key] = _current["ledger"] = conformance.Ledger(frozenset(known), reference_only)


def _goldens_read_only() -> None:
    """Validation mode: pytest-regressions may write its obtained files (in a temporary folder) but
    no file of the checkout, so a missing or differing golden is a plain failure."""
    import importlib

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
    mode = "reference" if impl.is_reference else "validation mode"
    lines = [f"implementation under test: {impl.name} {impl.version} ({impl.spec}; {mode})"]
    if impl.missing():
        lines.append(f"  not implemented (their claims are skipped): {', '.join(impl.missing())}")
    return lines


def registry() -> dict:
    """The claims registry; a malformed one is a usage error, not a crash."""
    try:
        return load_claims()
    except (RegistryError, yaml.YAMLError) as exc:
        raise pytest.UsageError(f"the claims registry (tests/claims/) is malformed: {exc}") from exc


def claim_ids(item) -> list[str]:
    return [cid for mark in item.iter_markers("claim") for cid in mark.args]


def pytest_collection_modifyitems(config, items):
    claims = registry()
    impl = implementation(config)
    known = config.stash[_ledger_key].known_failures
    problems = []
    for item in items:
        ids = claim_ids(item)
        unknown = [cid for cid in ids if cid not in claims]
        if unknown:
            problems.append(f"{item.nodeid}: unknown claim ids {unknown}")
        if not ids and SPEC_DIR in Path(item.fspath).parents:
            problems.append(f"{item.nodeid}: a specification test must name its claims with @pytest.mark.claim")
        item.user_properties.append(("claims", ids))
        if not impl.is_reference:
            _validation_marks(item, [claims[cid] for cid in ids if cid in claims])
        listed = [cid for cid in ids if cid in known]
        if listed:
            item.add_marker(pytest.mark.xfail(reason=conformance.KNOWN_FAILURE + ", ".join(listed), strict=False))
    if problems:
        raise pytest.UsageError("claim markers:\n  " + "\n  ".join(problems))


def _validation_marks(item, claims) -> None:
    """Skip what validation mode cannot run: reference-only claims (when the test uses the
    implementation at all) and the conformance machinery's own tests."""
    path = Path(item.fspath)
    if CONFORMANCE_DIR in path.parents and path.name.startswith("test_"):
        item.add_marker(pytest.mark.skip(reason="the conformance machinery is tested against the reference only"))
        return
    if "impl" not in getattr(item, "fixturenames", ()):
        return  # implementation-independent: it checks a tutorial or a derivation, so it runs in every mode
    ref_only = [c.id for c in claims if c.reference_only]
    if ref_only:
        item.add_marker(
            pytest.mark.skip(reason=f"{REFERENCE_ONLY}{', '.join(ref_only)} {conformance.REFERENCE_ONLY_WHY}")
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A passing test's matches with printed goldens travel with its report (also from xdist workers)."""
    report = (yield).get_result()
    if call.when == "call":
        if report.passed and golden.MATCHED:
            report.user_properties = [*report.user_properties, ("printed", list(golden.MATCHED))]
        golden.MATCHED.clear()


def pytest_runtest_logreport(report):
    # under pytest-xdist the controller receives every worker's reports here too
    if _current["ledger"] is not None:
        _current["ledger"].record(report)
    for key, values in dict(report.user_properties).get("printed", []):
        _printed_matches.setdefault(key, []).append({"test": report.nodeid, "values": values})


_printed_matches: dict[str, list] = {}  # NNN/key -> [{test, values}]: shown beside the printed numbers


_current: dict[str, conformance.Ledger | None] = {"ledger": None}  # this hook gets no config


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if hasattr(config, "workerinput"):
        return
    ledger = config.stash[_ledger_key]
    claims = ledger.claim_outcomes()
    config.stash[_claims_key] = claims
    if not ledger.tests:
        return
    impl = implementation(config)
    path = config.getoption("conformance_report", None)
    if path:
        quotes = {cid: c.quote for cid, c in load_claims().items() if cid in claims}
        conformance.write(path, conformance.document(impl.name, impl.version, claims), quotes)
    path = config.getoption("claims_json", None)
    if path:
        outcomes = {cid: entry["outcome"] for cid, entry in claims.items()}
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(outcomes, indent=1, sort_keys=True))
        Path(path).with_name("printed.json").write_text(json.dumps(_printed_matches, indent=1, sort_keys=True))
    if conformance.failing_claims(claims) and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    claims = config.stash.get(_claims_key, None)
    if not claims or hasattr(config, "workerinput"):
        return
    tr = terminalreporter
    registered = load_claims()
    counts = defaultdict(int)
    for cid, claim in registered.items():
        outcome = claims.get(cid, {}).get("outcome")
        if not claim.testable:
            counts["out-of-scope"] += 1
        elif outcome == "passed":
            counts["checked"] += 1
            counts[claim.verdict] += 1
        elif outcome in ("failed", "xpassed"):
            counts["failing"] += 1
        else:
            counts["not run"] += 1
    impl = implementation(config)
    tr.section(f"conformance of {impl.name} {impl.version}", sep="-")
    for line in conformance.terminal_lines(
        claims, verbose=config.getoption("verbose") > 0, width=max(tr._tw.fullwidth, 120)
    ):
        tr.write_line(line)
    known = config.stash[_ledger_key].known_failures
    unknown = sorted(cid for cid in known if cid not in registered)
    if unknown:
        tr.write_line(f"WARNING: --known-failures names ids that match no claim: {', '.join(unknown)}", yellow=True)
    failing = conformance.failing_claims(claims)
    if failing:
        tr.write_line(f"failing claims: {', '.join(failing)}", red=True, bold=True)
    tr.write_line(
        f"claims: {len(registered)} in the registry; {counts['checked']} checked "
        f"({counts['holds']} hold, {counts['refuted']} refuted, {counts['qualified']} qualified), "
        f"{counts['out-of-scope']} out of scope; {counts['failing']} failing, {counts['not run']} not run"
    )


@pytest.fixture(scope="session")
def impl(pytestconfig):
    """The adapter under test (see reference_nn.adapter for the protocol)."""
    return implementation(pytestconfig)
