"""Known-failures lists: the claims and protocol rules an implementation is known to fail.

The format (``--known-failures FILE``): one id per line, a claim id (``002.cce-function``) or a rule id
(``R03``), optionally followed by why: a comment (``ID  # reason``) or an issue's address
(``ID  https://...``); lines that start with ``#`` and blank lines are ignored. A listed claim or rule
that fails is ``xfailed``; one that passes is ``xpassed`` and fails the run; an id that names no claim
and no rule is warned about at the end of the run.

``python -m nnspec.known_failures PATH.json`` prints a list from a conformance report: every claim (and
rule) that failed becomes one line, with the first failing test as its reason. Review the list before
using it: each line says "this is known to fail".
"""

from __future__ import annotations

import sys
from pathlib import Path

from nnspec.outcomes import Outcome
from nnspec.report import failing_test


def parse(text: str) -> dict[str, str]:
    """{id: reason} in the order listed; the reason is the comment or the address after the id ('' if none)."""
    out = {}
    for line in text.splitlines():
        body, _, comment = line.partition("#")
        words = body.split()
        if not words:
            continue
        reason = " ".join([*words[1:], comment.strip()] if comment.strip() else words[1:])
        out[words[0]] = reason
    return out


def read(path: str | Path) -> dict[str, str]:
    """The list in file ``path`` (UTF-8), as :func:`parse` reads it."""
    return parse(Path(path).read_text(encoding="utf-8"))


def unmatched(listed, claims, rules) -> list[str]:
    """The listed ids that name neither a claim nor a rule, sorted."""
    return sorted(key for key in listed if key not in claims and key not in rules)


def text(doc: dict, header: str = "") -> str:
    """A known-failures list of the claims and rules that failed (or failed as expected) in report ``doc``."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    entries = {**doc.get("claims", {}), **doc.get("rules", {})}
    failing = {key: e for key, e in entries.items() if e["outcome"] in (Outcome.FAILED, Outcome.XFAILED)}
    width = max((len(key) for key in failing), default=0)
    for key, entry in failing.items():
        lines.append(f"{key:<{width}}  # {failing_test(entry)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    from nnspec import reports

    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    doc = reports.load(argv[0])
    header = f"Claims and rules that {doc['implementation']} {doc['version']} fails (from {Path(argv[0]).name})."
    sys.stdout.write(text(doc, header))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
