"""What a validation run may not change: the files of the checkout that the specification is made of.

:func:`snapshot` takes the size and SHA-256 of every file under tests/, reference_nn/, docs/ and the
engine itself, nnspec/,
(bytecode caches aside) before the implementation under test is imported; :func:`changes` lists what
is different at the end. A run in which the implementation added, changed or removed any of them fails,
naming them: its verdicts were reached against a specification it could have rewritten.
"""

from __future__ import annotations

import hashlib

from nnspec import content

ROOT = content.ROOT
GUARDED = ("tests", "reference_nn", "docs", "nnspec")  # the engine judges: it is guarded like the content


def _files():
    for top in GUARDED:
        for path in (ROOT / top).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                yield path


def snapshot() -> dict[str, str]:
    """{path relative to the checkout: sha256 of its bytes}."""
    return {path.relative_to(ROOT).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() for path in _files()}


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """'added PATH', 'changed PATH', 'removed PATH' for every difference, sorted by path."""
    out = []
    for path in sorted(before.keys() | after.keys()):
        if path not in before:
            out.append(f"added {path}")
        elif path not in after:
            out.append(f"removed {path}")
        elif before[path] != after[path]:
            out.append(f"changed {path}")
    return out
