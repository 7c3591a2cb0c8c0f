"""Each piece of evidence declared in ``tests/evidence/`` (nnspec/evidence.py) as a folded block.

A printed golden shows the tutorial's numbers beside what the tests matched them with in the latest
recorded run; a derivation shows the SymPy result the tests compare with; a reference run shows its
provenance and its losses at the checkpoints. Blocks are Material's collapsible admonitions
(``??? kind "title"``, pymdownx.details), closed by default.
"""

from __future__ import annotations

import csv

import numpy as np
import yaml

from nnspec.evidence import Piece, parse_call
from nnspec.golden import GOLDEN, printed_tolerance

from . import derivation_views
from .prose import code, escape, render
from .spec_pages import Spec, rel, source_path

MAX_ROWS = 16
TITLES = {"printed": "Printed by the tutorial", "runs": "Reference run", "derivations": "Derivation (SymPy)"}


def folded(kind: str, title: str, body: list[str]) -> list[str]:
    """A closed collapsible block; the body is indented under it."""
    lines = "\n".join(body).split("\n")
    return [f'??? {kind} "{title}"', ""] + [("    " + line if line.strip() else "") for line in lines] + [""]


def _fmt(value: float, entry: dict, extra: int = 0) -> str:
    if "decimals" in entry:
        return f"{value:.{int(entry['decimals']) + extra}f}"
    return f"{value:.{int(entry.get('significant', 6)) + extra}g}"


def _test_link(page: str, nodeid: str) -> str:
    path, _, name = nodeid.partition("::")
    name = name.split("[")[0].replace("::", ".")
    return f"[{code(name)}]({rel(page, source_path(path))}#{name})"


def printed(page: str, piece: Piece, spec: Spec) -> list[str]:
    tutorial, _, key = piece.key.partition("/")
    entry = spec.printed[(tutorial, key)]
    values = np.asarray(entry["values"], dtype=np.float64).ravel()
    runs = [(test, np.asarray(v, dtype=np.float64).ravel()) for test, v in spec.recorded.get((tutorial, key), [])[:3]]
    runs = [(test, v) for test, v in runs if v.shape == values.shape]
    header = ["#", "printed"] + [f"matched ({'abc'[i]})" for i in range(len(runs))]
    lines = [
        f"From `tests/golden/printed/{tutorial}.yaml`, {code(key)} "
        f"(section {escape(str(entry.get('section', '')))}), compared at the precision printed.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---:|" * len(header),
    ]
    for i, p in enumerate(values[:MAX_ROWS]):
        tol = printed_tolerance(entry, p) * (1 + 1e-9)
        cells = [str(i), _fmt(p, entry)]
        cells += [_fmt(v[i], entry, 3) + ("" if abs(v[i] - p) <= tol else " (differs)") for _, v in runs]
        lines.append("| " + " | ".join(cells) + " |")
    if values.size > MAX_ROWS:
        lines += ["", f"(first {MAX_ROWS} of {values.size} numbers)"]
    if runs:
        where = "; ".join(f"({'abc'[i]}) {_test_link(page, t)}" for i, (t, _) in enumerate(runs))
        lines += ["", f"*matched*: the numbers a test compared with the printed ones in the latest run: {where}."]
    else:
        lines += ["", "No recorded run shows what the tests matched with these numbers (see the ledger)."]
    lines += ["", "As printed:", "", "```text", str(entry.get("printed", "")).rstrip(), "```"]
    return lines


def derivation(page: str, piece: Piece, spec: Spec) -> list[str]:
    name, args, kwargs = parse_call(piece.key)
    lines = [f"`derivations.{piece.key}` in `nnspec/derivations.py`, the expression the tests compare with:", ""]
    for tex in derivation_views.render(name, args, kwargs):
        lines += ["$$", tex, "$$", ""]
    return lines


def run(page: str, piece: Piece, spec: Spec) -> list[str]:
    case = yaml.safe_load((GOLDEN / "runs" / f"{piece.key}.yaml").read_text(encoding="utf-8"))
    lines = [
        f"`tests/golden/runs/{piece.key}.yaml` stores the inputs, initial weights and settings; any implementation "
        "started from them must reproduce the outputs in the `.csv` beside it.",
        "",
        render(str(case.get("provenance", ""))),
        "",
        f"{case.get('iterations')} updates at learning rate {case.get('learning_rate')} on loss "
        f"{code(str(case.get('loss')))}.",
    ]
    csv_path = GOLDEN / "runs" / f"{piece.key}.csv"
    if csv_path.is_file():
        rows = [r for r in csv.DictReader(csv_path.open(encoding="utf-8")) if r.get("checkpoint")]
        lines += ["", "| update | loss |", "|---:|---:|"]
        lines += [f"| {int(float(r['checkpoint']))} | {float(r['loss']):.6g} |" for r in rows]
    return lines


VIEWS = {"printed": printed, "derivations": derivation, "runs": run}


def block(page: str, piece: Piece, spec: Spec) -> list[str]:
    """One piece of evidence, folded, titled by its kind and key."""
    title = f"{TITLES[piece.kind]}: {escape(piece.name)}"
    kind = {"printed": "quote", "runs": "example", "derivations": "abstract"}[piece.kind]
    return folded(kind, title.replace('"', "'"), VIEWS[piece.kind](page, piece, spec))
