"""The generated pages: one chapter per tutorial, the claims ledger, the compliance matrix, test sources.

Everything comes from files of the specification, read at build time:

- the claims registry (``tests/claims/*.yaml`` through ``load_claims``);
- the tests themselves, read with ``ast``: which test names which claim (``@pytest.mark.claim``),
  which printed golden it compares (``printed("NNN", "key")``) and with which transcription call,
  and which function of ``tests/_spec/derivations.py`` it calls with which arguments;
- the outcome of the latest pytest run (``test-artifacts/claims.json``, written by
  ``pytest --claims-json test-artifacts/claims.json``);
- conformance reports (``test-artifacts/conformance/*.json``).
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import importlib
import io
import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
ARTIFACTS = ROOT / "test-artifacts"
CLAIMS_JSON = ARTIFACTS / "claims.json"
CONFORMANCE_DIR = ARTIFACTS / "conformance"
PRINTED_JSON = ARTIFACTS / "printed.json"
PRINTED_DIR = TESTS / "golden" / "printed"

VERDICT_LABELS = {"holds": "holds", "refuted": "refuted", "qualified": "qualified", "out-of-scope": "out of scope"}
# the outcomes a run records (tests/_spec/report.py), in the order the ledger shows them
OUTCOME_LABELS = {
    "passed": "passed",
    "failed": "failed",
    "xfailed": "known failure",
    "xpassed": "known failure passed",
    "not implemented": "not implemented",
    "skipped": "skipped",
    None: "not run",
}

# Claims whose test writes its SymPy inline rather than calling tests/_spec/derivations.py:
# the same derivation, taken from the shared module.
EXTRA_DERIVATIONS: dict[str, list[tuple[str, tuple]]] = {
    "000.sigmoid-derivative-from-output": [("activation_derivative", ("sigmoid",))],
}


def chapter_path(tutorial: str) -> str:
    return f"tutorials/{tutorial}.md"


def source_path(test_file: str) -> str:
    return f"source/{Path(test_file).with_suffix('.md').as_posix()}"


def rel(from_page: str, to_page: str) -> str:
    """A link from one docs page to another (both docs-relative .md paths)."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


_MD_ENTITIES = {c: f"&#{ord(c)};" for c in "&<>$\\`*_[]{}#|~"}


def md_text(text: str) -> str:
    """Registry text shown as Markdown text: every markup, math and HTML character as an entity."""
    return "".join(_MD_ENTITIES.get(c, c) for c in text)


def md_code(text: str) -> str:
    """Text shown as inline code."""
    return "<code>" + "".join(_MD_ENTITIES.get(c, c) for c in text) + "</code>"


# ---- reading the tests --------------------------------------------------------------------------------


@dataclass
class TestRef:
    path: str  # relative to the repository root, posix
    name: str  # qualified name: test_x or TestClass.test_x
    line: int
    claims: tuple[str, ...]
    printed_keys: list[tuple[str, str]] = field(default_factory=list)
    # printed key -> (expression source, {name in it: module or "module:attribute"})
    reproductions: dict[tuple[str, str], tuple[str, dict]] = field(default_factory=dict)
    derivations: list[tuple[str, tuple, dict]] = field(default_factory=list)


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


def _parametrize(decorators) -> dict[str, list]:
    """{argname: [literal values]} from @pytest.mark.parametrize decorators with literal values."""
    params: dict[str, list] = {}
    for dec in decorators:
        if not (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute) and dec.func.attr == "parametrize"):
            continue
        try:
            names, values = ast.literal_eval(dec.args[0]), ast.literal_eval(dec.args[1])
        except (ValueError, IndexError, TypeError, SyntaxError):
            continue
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        if len(names) == 1:
            params[names[0]] = list(values)
        else:
            for i, n in enumerate(names):
                params[n] = [v[i] for v in values]
    return params


def _module_context(tree: ast.Module):
    """(names bound to derivation functions, aliases of the derivations module, tutorial module aliases)."""
    funcs, modules, tutorials = {}, set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                if node.module == "tests._spec.derivations":
                    funcs[a.asname or a.name] = a.name
                elif node.module == "tests._spec" and a.name == "derivations":
                    modules.add(a.asname or a.name)
                elif node.module == "reference_nn.tutorials":
                    tutorials[a.asname or a.name] = f"reference_nn.tutorials.{a.name}"
                elif node.module.startswith("reference_nn.tutorials."):
                    tutorials[a.asname or a.name] = f"{node.module}:{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "tests._spec.derivations" and a.asname:
                    modules.add(a.asname)
                elif a.name.startswith("reference_nn.tutorials.") and a.asname:
                    tutorials[a.asname] = a.name
    return funcs, modules, tutorials


def _literal(node, params):
    """A literal argument, or the list of values of a parametrized name; raises ValueError otherwise."""
    if isinstance(node, ast.Name) and node.id in params:
        return params[node.id]
    return [ast.literal_eval(node)]


def _derivation_name(func, funcs, modules) -> str | None:
    if isinstance(func, ast.Name) and func.id in funcs:
        return funcs[func.id]
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in modules:
        return func.attr
    return None


def _derivation_calls(fn, mod, params, seen=None) -> list[tuple[str, tuple, dict]]:
    """The derivations.<function>(literal args) a test uses, directly, through a module-level helper it calls,
    or through a module-level constant it reads; ``activation_definitions()[name]`` counts as the
    activation's derivation."""
    seen = set() if seen is None else seen
    calls = []

    def add(call):
        if call not in calls:
            calls.append(call)

    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and node.id not in seen and node.id in mod.helpers:
            seen.add(node.id)
            for call in _derivation_calls(mod.helpers[node.id], mod, params, seen):
                add(call)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Call):
            if _derivation_name(node.value.func, mod.funcs, mod.modules) == "activation_definitions":
                try:
                    for key in _literal(node.slice, params):
                        add(("activation_derivative", (key,), {}))
                except (ValueError, TypeError, SyntaxError):
                    pass
        if not isinstance(node, ast.Call):
            continue
        name = _derivation_name(node.func, mod.funcs, mod.modules)
        if name is None or name not in mod.public:
            continue
        try:
            arg_values = [_literal(a, params) for a in node.args]
            kw_values = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
        except (ValueError, TypeError, SyntaxError):
            continue
        # one call per combination of parametrized values (only one parametrized argument is expanded)
        n = max((len(v) for v in arg_values), default=1)
        for i in range(n):
            add((name, tuple(v[i] if len(v) == n else v[0] for v in arg_values), kw_values))
    return calls


def _printed_call(node) -> tuple[str, str] | None:
    if (
        isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "printed")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "printed")
        )
        and len(node.args) == 2
        and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)
    ):
        return node.args[0].value, node.args[1].value
    return None


def _evaluable(node, tutorials) -> bool:
    """An expression made only of tutorial-module calls, literals, subscripts and arithmetic."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id not in tutorials and sub.id != "np":
            return False
        if isinstance(sub, ast.Lambda | ast.NamedExpr | ast.Await | ast.Yield):
            return False
    return True


def _printed_uses(fn, tutorials) -> tuple[list, dict]:
    """Printed-golden keys a test compares, and the expression it reproduces each one with."""
    keys, reproductions = [], {}
    assigned = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned[node.targets[0].id] = node.value
    for node in ast.walk(fn):
        key = _printed_call(node)
        if key and key not in keys:
            keys.append(key)
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == (
            "assert_matches_printed"
        ):
            if len(node.args) != 2:
                continue
            actual, entry = node.args
            if isinstance(entry, ast.Name):
                entry = assigned.get(entry.id, entry)
            if isinstance(actual, ast.Name) and actual.id in assigned:
                actual = assigned[actual.id]
            key = _printed_call(entry)
            if key and _evaluable(actual, tutorials):
                names = {n.id for n in ast.walk(actual) if isinstance(n, ast.Name) and n.id in tutorials}
                reproductions[key] = (ast.unparse(actual), {n: tutorials[n] for n in sorted(names)})
    return keys, reproductions


@dataclass
class _Module:
    path: str
    funcs: dict
    modules: set
    tutorials: dict
    claims: tuple
    public: set
    helpers: dict  # module-level functions and constants (name -> node) a test may reach derivations through


def _test_ref(fn, mod: _Module, class_decorators=(), prefix="") -> TestRef | None:
    claims = mod.claims + _claim_args(class_decorators) + _claim_args(fn.decorator_list)
    if not claims or not fn.name.startswith("test"):
        return None
    params = {**_parametrize(class_decorators), **_parametrize(fn.decorator_list)}
    keys, reproductions = _printed_uses(fn, mod.tutorials)
    return TestRef(
        path=mod.path,
        name=prefix + fn.name,
        line=fn.lineno,
        claims=tuple(dict.fromkeys(claims)),
        printed_keys=keys,
        reproductions=reproductions,
        derivations=_derivation_calls(fn, mod, params),
    )


def find_tests() -> list[TestRef]:
    """Every test function under tests/ that names claims, with what it reads."""
    from .derivation_views import public_functions

    public = public_functions()
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
        helpers = {}
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("test"):
                helpers[node.name] = node
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                helpers[node.targets[0].id] = node.value
        mod = _Module(path.relative_to(ROOT).as_posix(), *_module_context(tree), module_claims, public, helpers)
        for node in tree.body:
            found = []
            if isinstance(node, ast.FunctionDef):
                found.append(_test_ref(node, mod))
            elif isinstance(node, ast.ClassDef):
                found += [
                    _test_ref(sub, mod, node.decorator_list, node.name + ".")
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
    outcomes = json.loads(CLAIMS_JSON.read_text(encoding="utf-8"))
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

    ``test-artifacts/printed.json``: {"NNN/key": [{"test": node id, "values": [...]}, ...]}, one entry per
    test whose ``assert_matches_printed`` passed.
    """
    if not PRINTED_JSON.is_file():
        return {}
    doc = json.loads(PRINTED_JSON.read_text(encoding="utf-8"))
    out = {}
    for name, runs in doc.items():
        tutorial, _, key = name.partition("/")
        out[(tutorial, key)] = [(str(r["test"]), r["values"]) for r in runs if isinstance(r, dict)]
    return out


def load_conformance() -> list[dict]:
    reports = []
    for path in sorted(CONFORMANCE_DIR.glob("*.json")) if CONFORMANCE_DIR.is_dir() else []:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and isinstance(doc.get("claims"), dict):
            doc.setdefault("implementation", path.stem)
            reports.append(doc)
    return reports


_REPRODUCED: dict[tuple, object] = {}


def reproduce(expression: str, names: dict[str, str]):
    """Evaluate a test's reproduction expression (tutorial transcription calls only); cached per build."""
    cache_key = (expression, tuple(sorted(names.items())))
    if cache_key not in _REPRODUCED:
        namespace = {"np": np}
        for name, target in names.items():
            module, _, attribute = target.partition(":")
            namespace[name] = importlib.import_module(module)
            if attribute:
                namespace[name] = getattr(namespace[name], attribute)
        code = compile(ast.parse(expression, mode="eval"), "<reproduction>", "eval")
        with contextlib.redirect_stdout(io.StringIO()):  # the transcriptions print what the tutorials printed
            _REPRODUCED[cache_key] = eval(code, namespace)  # noqa: S307 - the repository's own test expression
    return _REPRODUCED[cache_key]
