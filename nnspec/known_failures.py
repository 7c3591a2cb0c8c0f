"""Print a known-failures list from a conformance report: ``python -m nnspec.known_failures PATH.json``.

Every claim that failed (or failed as expected) becomes one line, with the first failing test
as a comment. Review the list before using it: each line says "this claim is known to fail".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from nnspec.report import known_failures_text


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    doc = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    header = f"Claims that {doc['implementation']} {doc['version']} fails (from {Path(argv[0]).name})."
    sys.stdout.write(known_failures_text(doc["claims"], header))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
