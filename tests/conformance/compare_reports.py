"""Compare two folders of conformance reports written by two versions of the engine (a refactoring's check
that behaviour is unchanged): ``python -m tests.conformance.compare_reports BEFORE AFTER``.

For every ``NAME.json`` report in BEFORE: the same report in AFTER must have the same value in every field
BEFORE has, ``generated`` (a time stamp) aside; fields only AFTER has are listed as added (a format may gain
fields, never lose or change them). ``claims.json`` and ``claims.printed.json`` must be equal, and each
``NAME.md`` equal but for its line with the time stamp. Exit 0 when nothing differs, 1 otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

IGNORED = {"generated"}
EXACT = ("claims.json", "claims.printed.json")


def _differences(before, after, where: str) -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for key in before:
            if key in IGNORED and where == "":
                continue
            if key not in after:
                out.append(f"{where}/{key}: missing after")
            else:
                out += _differences(before[key], after[key], f"{where}/{key}")
        return out
    return [] if before == after else [f"{where or '/'}: {before!r} -> {after!r}"[:400]]


def compare(before: Path, after: Path) -> tuple[list[str], list[str]]:
    """(differences, notes): what changed, and the fields or files only AFTER has."""
    problems, notes = [], []
    for path in sorted(before.glob("*.json")):
        other = after / path.name
        if not other.is_file():
            problems.append(f"{path.name}: no such report after")
            continue
        old, new = (json.loads(p.read_text(encoding="utf-8")) for p in (path, other))
        if path.name in EXACT:
            problems += [f"{path.name}{d}" for d in _differences(old, new, "")] if old != new else []
            continue
        problems += [f"{path.name}: {d}" for d in _differences(old, new, "")]
        added = sorted(set(new) - set(old))
        if added:
            notes.append(f"{path.name}: fields added: {', '.join(added)}")
        for section in ("claims", "rules"):
            extra = sorted(set(new.get(section, {})) - set(old.get(section, {})))
            if extra:
                notes.append(f"{path.name}: {len(extra)} {section} only after: {', '.join(extra)}")
        md_old, md_new = path.with_suffix(".md"), other.with_suffix(".md")
        if md_old.is_file():
            strip = lambda text: [line for line in text.splitlines() if "; generated " not in line]  # noqa: E731
            if strip(md_old.read_text(encoding="utf-8")) != strip(md_new.read_text(encoding="utf-8")):
                problems.append(f"{md_old.name}: differs (time stamp aside)")
    return problems, notes


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    problems, notes = compare(Path(argv[0]), Path(argv[1]))
    for line in notes:
        print(f"note: {line}")
    for line in problems:
        print(f"DIFFERENT: {line}")
    print(f"{len(problems)} differences" if problems else "identical (time stamps aside)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
