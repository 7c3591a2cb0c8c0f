"""The evidence registry: ``tests/evidence/NNN.yaml``, each piece of evidence declared once, under its claim.

A piece is a printed golden (``printed: [key]``, a key of ``tests/golden/printed/NNN.yaml``), a
reference run (``runs: [case]``, a case of ``tests/golden/runs/``) or a SymPy derivation
(``derivations: ["function(args)"]``, a function of ``nnspec/derivations.py`` called with
literal arguments). ``see: [claim id]`` names claims whose evidence this claim's tests also use.

The tests and the site read the same declarations: ``golden.printed``, ``golden.load_case`` and the
derivation functions report each use through :func:`record`, and every specification test must use
only evidence declared under its claims (or the claims they ``see``); the site shows each piece
under the claim that declares it, once per chapter.
"""

from __future__ import annotations

import ast
import contextlib
import functools
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from nnspec import content, recording

EVIDENCE_DIR = content.EVIDENCE
GOLDEN = content.GOLDEN
KINDS = ("printed", "runs", "derivations")
FIELDS = (*KINDS, "see")


class EvidenceError(ValueError):
    pass


@dataclass(frozen=True)
class Piece:
    kind: str  # printed | runs | derivations
    key: str  # printed: "NNN/key"; runs: the case name; derivations: "function(args)" as call_key writes it
    claim: str  # the claim that declares it

    @property
    def name(self) -> str:
        """The key as authored: a printed key without its tutorial."""
        return self.key.partition("/")[2] if self.kind == "printed" else self.key


def call_key(function: str, args: tuple = (), kwargs: dict | None = None) -> str:
    """The canonical text of a derivation call: ``function('sigmoid')``, ``dense_layer(2, 3, 2, activation='relu')``."""
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in sorted((kwargs or {}).items())]
    return f"{function}({', '.join(parts)})"


def parse_call(text: str) -> tuple[str, tuple, dict]:
    """(function, args, kwargs) of a derivation call written with literal arguments."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            raise ValueError("not a call of a function by its name")
        args = tuple(ast.literal_eval(a) for a in node.args)
        kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
    except (SyntaxError, ValueError) as exc:
        raise EvidenceError(f"derivation {text!r}: expected function(literal arguments) ({exc})") from None
    return node.func.id, args, kwargs


def _pieces(path: Path, claim_ids) -> tuple[list[Piece], dict[str, tuple[str, ...]]]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    tutorial = path.stem
    pieces, see = [], {}
    for cid, entry in doc.items():
        where = f"{path.name}: {cid}"
        if claim_ids is not None and cid not in claim_ids:
            raise EvidenceError(f"{where}: no such claim in tests/claims/")
        if not isinstance(entry, dict) or set(entry) - set(FIELDS):
            raise EvidenceError(f"{where}: expected a mapping with some of {FIELDS}")
        for kind in KINDS:
            for item in entry.get(kind) or []:
                if kind == "printed":
                    key = item if "/" in str(item) else f"{tutorial}/{item}"
                elif kind == "derivations":
                    key = call_key(*parse_call(str(item)))
                else:
                    key = str(item)
                pieces.append(Piece(kind, key, cid))
        see[cid] = tuple(entry.get("see") or ())
    return pieces, see


@dataclass(frozen=True)
class Registry:
    pieces: tuple[Piece, ...]
    see: dict[str, tuple[str, ...]]

    def of(self, claim_id: str) -> list[Piece]:
        return [p for p in self.pieces if p.claim == claim_id]

    def allowed(self, claim_ids) -> set[tuple[str, str]]:
        """(kind, key) of every piece a test naming these claims may use."""
        ids = set(claim_ids)
        ids |= {other for cid in claim_ids for other in self.see.get(cid, ())}
        return {(p.kind, p.key) for p in self.pieces if p.claim in ids}


@cache
def load_evidence() -> Registry:
    """Every declared piece; raises EvidenceError on an unknown claim, a missing golden, derivation function
    or run case, or a piece declared twice in one tutorial's file."""
    from nnspec import derivations
    from nnspec.registry import load_claims

    claims = load_claims()
    pieces, see = [], {}
    for path in sorted(EVIDENCE_DIR.glob("*.yaml")):
        found, found_see = _pieces(path, claims)
        seen = {}
        for p in found:
            if (p.kind, p.key) in seen:
                raise EvidenceError(
                    f"{path.name}: {p.kind} {p.key} is declared under {seen[(p.kind, p.key)]} and {p.claim}"
                )
            seen[(p.kind, p.key)] = p.claim
            _check_exists(p, derivations)
        pieces += found
        see.update(found_see)
    for cid, others in see.items():
        unknown = [o for o in others if o not in claims]
        if unknown:
            raise EvidenceError(f"{cid}: see names unknown claims {unknown}")
    return Registry(tuple(pieces), see)


def _check_exists(p: Piece, derivations) -> None:
    if p.kind == "printed":
        tutorial, _, key = p.key.partition("/")
        path = GOLDEN / "printed" / f"{tutorial}.yaml"
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
        if key not in (doc.get("outputs") or {}):
            raise EvidenceError(f"{p.claim}: printed {p.key} is not in tests/golden/printed/{tutorial}.yaml")
    elif p.kind == "runs":
        if not (GOLDEN / "runs" / f"{p.key}.yaml").is_file():
            raise EvidenceError(f"{p.claim}: run case {p.key} is not in tests/golden/runs/")
    elif not callable(getattr(derivations, p.key.partition("(")[0], None)):
        raise EvidenceError(f"{p.claim}: {p.key} does not call a function of nnspec/derivations.py")


# ---- what the running test uses ----------------------------------------------------------------------------

_depth = [0]  # how deep in nested derivation calls the running code is (not run state: always 0 between calls)


def record(kind: str, key: str) -> None:
    """The running test used this piece (kept in its recording, nnspec/recording.py)."""
    recording.used(kind, key)


@contextlib.contextmanager
def _outermost(kind: str, key: str):
    """Record only the outermost derivation call (a derivation built from another is one piece)."""
    if _depth[0] == 0:
        record(kind, key)
    _depth[0] += 1
    try:
        yield
    finally:
        _depth[0] -= 1


def derivation(fn):
    """Decorator for a derivation function: each call is recorded as the piece ``call_key(name, args)``."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with _outermost("derivations", call_key(fn.__name__, args, kwargs)):
            return fn(*args, **kwargs)

    return wrapper


def undeclared(claim_ids, used) -> list[str]:
    """The pieces in ``used`` that are not declared under these claims or the claims they see."""
    allowed = load_evidence().allowed(claim_ids)
    return [f"{kind}: {key}" for kind, key in used if (kind, key) not in allowed]
