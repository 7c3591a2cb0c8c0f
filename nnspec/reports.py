"""Reading the engine's published formats: conformance reports, the claims JSON and its printed goldens.

The formats are JSON Schemas in ``nnspec/schemas/`` (published in the book, "Report formats");
:func:`load` is how every reader (the site, the learner check, the project's tests) reads a conformance
report: it raises :class:`ReportError` for a file that does not validate, so a reader can rely on every
field the schema requires instead of guarding each one. :func:`reports_in` lists the reports of a folder
that the harness itself wrote (nnspec/manifest.py).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

SCHEMAS = Path(__file__).resolve().parent / "schemas"


class ReportError(ValueError):
    """A file that is not a valid document of its published format."""


def schema(name: str) -> dict:
    """The published schema ``name`` (``conformance-report``, ``claims``, ...)."""
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def _registry():
    from referencing import Registry, Resource

    resources = []
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(doc)
        resources += [(path.name, resource), (doc.get("$id", path.name), resource)]
    return Registry().with_resources(resources)


def _validator(name: str, part: str | None = None):
    from jsonschema import Draft202012Validator

    doc = schema(name)
    if part is not None:
        doc = {"$ref": f"{doc['$id']}#/$defs/{part}"}
    return Draft202012Validator(doc, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(doc, name: str, part: str | None = None) -> list[str]:
    """Every way ``doc`` breaks schema ``name`` (its ``$defs/part`` when given), as 'where: what'; [] if valid."""
    found = sorted(_validator(name, part).iter_errors(doc), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in found]


def validate(doc, name: str, part: str | None = None, where: str = "document") -> None:
    """Raise :class:`ReportError` naming the first problems unless ``doc`` is valid."""
    problems = errors(doc, name, part)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise ReportError(
            f"{where} is not a valid {name}{'/' + part if part else ''}: " + "; ".join(problems[:3]) + more
        )


def _read(path) -> object:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportError(f"{path}: cannot read it as JSON: {exc}") from exc


def load(path) -> dict:
    """A conformance report (``PATH.json``), validated against conformance-report.schema.json."""
    doc = _read(path)
    validate(doc, "conformance-report", where=str(path))
    return doc


def load_claims_json(path) -> dict[str, str]:
    """A --claims-json file (claim id -> outcome), validated against claims.schema.json."""
    doc = _read(path)
    validate(doc, "claims", where=str(path))
    return doc


def load_printed_json(path) -> dict[str, list]:
    """The ``.printed.json`` beside a --claims-json file, validated against claims.schema.json#/$defs/printed."""
    doc = _read(path)
    validate(doc, "claims", "printed", where=str(path))
    return doc


def reports_in(folder) -> list[dict]:
    """The conformance reports of ``folder`` the harness wrote (listed in its MANIFEST.json with their current
    hash), each loaded and validated, sorted by file name; a listed report that no longer validates raises."""
    from nnspec import manifest

    return [load(path) for path in manifest.verified(Path(folder))]
