"""The claims registry: ``tests/claims/*.yaml``, one file per tutorial, one entry per claim.

Each file has ``source`` (the seed file name), ``title``, and ``claims``: a list of entries
with the fields in ``FIELDS``. The registry is data: the tests, the meta-tests and the docs
site all read it through :func:`load_claims`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CLAIMS_DIR = Path(__file__).resolve().parent.parent / "claims"
SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"

VERDICTS = ("holds", "refuted", "qualified", "out-of-scope")
FIELDS = ("id", "section", "quote", "verdict", "explanation")
OPTIONAL_FIELDS = ("oracles", "reference_only", "measured")
ORACLES = ("symbolic", "printed", "property", "statistical", "regression", "transcription")


@dataclass(frozen=True)
class Claim:
    id: str
    source: str
    title: str
    section: str
    quote: str
    verdict: str
    explanation: str
    oracles: tuple[str, ...] = ()
    reference_only: bool = False
    measured: str = ""

    @property
    def testable(self) -> bool:
        return self.verdict != "out-of-scope"

    @property
    def tutorial(self) -> str:
        """The three-digit tutorial number, e.g. '000'."""
        return self.source[:3]


class RegistryError(ValueError):
    pass


def _entries(path: Path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or not {"source", "title", "claims"} <= set(doc):
        raise RegistryError(f"{path.name}: expected the keys source, title and claims")
    for i, entry in enumerate(doc["claims"] or []):
        where = f"{path.name} entry {i} ({entry.get('id', '?') if isinstance(entry, dict) else '?'})"
        if not isinstance(entry, dict):
            raise RegistryError(f"{where}: expected a mapping")
        missing = [f for f in FIELDS if not str(entry.get(f, "")).strip()]
        if missing:
            raise RegistryError(f"{where}: missing or empty {missing}")
        unknown = set(entry) - set(FIELDS) - set(OPTIONAL_FIELDS)
        if unknown:
            raise RegistryError(f"{where}: unknown fields {sorted(unknown)}")
        if entry["verdict"] not in VERDICTS:
            raise RegistryError(f"{where}: verdict {entry['verdict']!r} is not one of {VERDICTS}")
        oracles = tuple(entry.get("oracles") or ())
        if set(oracles) - set(ORACLES):
            raise RegistryError(f"{where}: unknown oracles {sorted(set(oracles) - set(ORACLES))}")
        yield Claim(
            id=str(entry["id"]),
            source=doc["source"],
            title=doc["title"],
            section=str(entry["section"]).strip(),
            quote=str(entry["quote"]).strip(),
            verdict=entry["verdict"],
            explanation=" ".join(str(entry["explanation"]).split()),
            oracles=oracles,
            reference_only=bool(entry.get("reference_only", False)),
            measured=" ".join(str(entry.get("measured", "")).split()),
        )


@cache
def load_claims() -> dict[str, Claim]:
    """All claims by id, in file order; raises RegistryError on a malformed entry or a repeated id."""
    claims: dict[str, Claim] = {}
    for path in sorted(CLAIMS_DIR.glob("*.yaml")):
        for claim in _entries(path):
            if claim.id in claims:
                raise RegistryError(f"claim id {claim.id!r} appears twice")
            claims[claim.id] = claim
    return claims
