"""The inputs of the generated pages, read at build time from the specification's files.

- the claims registry (``tests/claims/*.yaml`` through ``load_claims``) and the evidence registry
  (``tests/evidence/*.yaml`` through ``load_evidence``): what each claim says and what shows it;
- which test names which claim (its ``@pytest.mark.claim`` marker, read with ``ast``), for the links
  from a claim to its tests;
- the outcome of the latest pytest run (``test-artifacts/claims.json``, written by
  ``pytest --claims-json test-artifacts/claims.json``) and what each test matched with a printed golden
  (``test-artifacts/claims.printed.json`` beside it);
- conformance reports (``test-artifacts/conformance/*.json``, those its MANIFEST.json lists).

The run's files are read through ``nnspec.reports``, which validates each against its published schema
(``nnspec/schemas``): the pages rely on every field the schema requires.
"""

from __future__ import annotations

import ast
import datetime as dt
import posixpath
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from nnspec import content, reports
from nnspec.evidence import Registry, load_evidence
from nnspec.outcomes import Outcome
from nnspec.registry import Claim, load_claims

from .prose import code as md_code  # noqa: F401 - the escaping helpers, under the names other modules import
from .prose import escape as md_text  # noqa: F401

ROOT = content.ROOT
TESTS = content.TESTS
ARTIFACTS = ROOT / "test-artifacts"
CLAIMS_JSON = ARTIFACTS / "claims.json"
CONFORMANCE_DIR = ARTIFACTS / "conformance"
PRINTED_JSON = ARTIFACTS / "claims.printed.json"  # beside claims.json, named after it
PRINTED_DIR = content.GOLDEN / "printed"

VERDICT_LABELS = {"holds": "holds", "refuted": "refuted", "qualified": "qualified", "out-of-scope": "out of scope"}
# the outcomes a run or a conformance report records (nnspec.outcomes), in the order the pages show them
OUTCOME_LABELS = {
    Outcome.PASSED: "passed",
    Outcome.FAILED: "failed",
    Outcome.CRASHED: "crashed",
    Outcome.TIMED_OUT: "timed out",
    Outcome.ERRORED: "errored",
    Outcome.XFAILED: "known failure",
    Outcome.XPASSED: "known failure passed",
    Outcome.NOT_IMPLEMENTED: "not implemented",
    Outcome.NOT_ABOUT: "not about the implementation",
    Outcome.REFERENCE_ONLY: "reference only",
    Outcome.SKIPPED: "skipped",
    None: "not run",
}


def chapter_path(tutorial: str) -> str:
    return f"tutorials/{tutorial}.md"


def source_path(test_file: str) -> str:
    return f"source/{Path(test_file).with_suffix('.md').as_posix()}"


def rel(from_page: str, to_page: str) -> str:
    """A link from one docs page to another (both docs-relative .md paths)."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


# ---- reading the tests --------------------------------------------------------------------------------


@dataclass
class TestRef:
    path: str  # relative to the repository root, posix
    name: str  # qualified name: test_x or TestClass.test_x
    line: int
    claims: tuple[str, ...]


def _claim_args(decorators) -> tuple[str, ...]:
    ids = []
    for dec in decorators:
        if (
            isinstance(dec, ast.Call)
            and isinstance(dec.func, ast.Attribute)
            and dec.func.attr == "claim"
            and isinstance(dec.func.value, ast.Attribute)
            and dec.func.value.attr == "mark"
        ):
            ids += [a.value for a in dec.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return tuple(ids)


def _test_ref(fn, path: str, module_claims=(), class_decorators=(), prefix="") -> TestRef | None:
    claims = module_claims + _claim_args(class_decorators) + _claim_args(fn.decorator_list)
    if not claims or not fn.name.startswith("test"):
        return None
    return TestRef(path=path, name=prefix + fn.name, line=fn.lineno, claims=tuple(dict.fromkeys(claims)))


def find_tests() -> list[TestRef]:
    """Every test function under tests/ that names claims (its own marker, its class's or its module's)."""
    refs = []
    for path in sorted(TESTS.rglob("test_*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError:
            continue
        module_claims = ()
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in node.targets):
                value = node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else [node.value]
                module_claims = _claim_args(value)
        rel_path = path.relative_to(ROOT).as_posix()
        for node in tree.body:
            found = []
            if isinstance(node, ast.FunctionDef):
                found.append(_test_ref(node, rel_path, module_claims))
            elif isinstance(node, ast.ClassDef):
                found += [
                    _test_ref(sub, rel_path, module_claims, node.decorator_list, node.name + ".")
                    for sub in node.body
                    if isinstance(sub, ast.FunctionDef)
                ]
            refs += [r for r in found if r is not None]
    return refs


# ---- other inputs ---------------------------------------------------------------------------------------


def load_outcomes() -> tuple[dict[str, str], str]:
    """({claim id: passed|failed|skipped}, a sentence saying where they come from)."""
    if not CLAIMS_JSON.is_file():
        return {}, (
            "No test run recorded yet: every claim shows *not run*. Run "
            "`pytest --claims-json test-artifacts/claims.json` and build the site again."
        )
    outcomes = reports.load_claims_json(CLAIMS_JSON)
    when = dt.datetime.fromtimestamp(CLAIMS_JSON.stat().st_mtime, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return outcomes, f"Outcomes of the latest recorded test run (`test-artifacts/claims.json`, written {when})."


def load_printed() -> dict[tuple[str, str], dict]:
    out = {}
    for path in sorted(PRINTED_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, entry in (doc.get("outputs") or {}).items():
            out[(path.stem, key)] = entry
    return out


def load_recorded() -> dict[tuple[str, str], list[tuple[str, list]]]:
    """What the latest test run compared with each printed golden, when it recorded it.

    ``test-artifacts/claims.printed.json``: {"NNN/key": [{"test": node id, "values": [...]}, ...]}, one entry per
    test whose ``assert_matches_printed`` passed.
    """
    if not PRINTED_JSON.is_file():
        return {}
    doc = reports.load_printed_json(PRINTED_JSON)
    out = {}
    for name, runs in doc.items():
        tutorial, _, key = name.partition("/")
        out[(tutorial, key)] = [(r["test"], r["values"]) for r in runs]
    return out


def load_conformance() -> list[dict]:
    """The reports the harness wrote into test-artifacts/conformance/ (listed in its MANIFEST.json, hash
    checked), each validated against conformance-report.schema.json."""
    return reports.reports_in(CONFORMANCE_DIR) if CONFORMANCE_DIR.is_dir() else []


@dataclass
class Spec:
    """Everything the generated pages are made from."""

    claims: dict[str, Claim]
    evidence: Registry
    refs: list[TestRef]
    tests: dict[str, list[TestRef]]  # claim id -> the tests naming it
    outcomes: dict[str, str]
    outcomes_note: str
    printed: dict[tuple[str, str], dict]
    recorded: dict[tuple[str, str], list[tuple[str, list]]]
    conformance: list[dict]

    def by_tutorial(self) -> dict[str, list[Claim]]:
        out: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims.values():
            out[claim.tutorial].append(claim)
        return dict(out)


def load_spec() -> Spec:
    load_claims.cache_clear()  # mkdocs serve rebuilds in the same process
    load_evidence.cache_clear()
    refs = find_tests()
    tests: dict[str, list[TestRef]] = defaultdict(list)
    for ref in refs:
        for cid in ref.claims:
            tests[cid].append(ref)
    outcomes, note = load_outcomes()
    return Spec(
        load_claims(),
        load_evidence(),
        refs,
        dict(tests),
        outcomes,
        note,
        load_printed(),
        load_recorded(),
        load_conformance(),
    )
