"""Write the run cases (inputs, initial weights, hyper-parameters) under tests/golden/runs/.

Deliberate regeneration only: ``python -m tests.golden.make_cases [NAME ...]``. Each module in
``tests/golden/authoring/`` has a ``cases()`` function returning {name: case}. The outputs of a
case are recorded separately by ``pytest --force-regen`` on the reference implementation.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

from nnspec.golden import GOLDEN, dump_case
from tests.golden import authoring


def all_cases() -> dict[str, dict]:
    cases = {}
    for info in pkgutil.iter_modules(authoring.__path__):
        module = importlib.import_module(f"tests.golden.authoring.{info.name}")
        for name, case in module.cases().items():
            if name in cases:
                raise ValueError(f"run case {name!r} is authored twice")
            cases[name] = {"name": name, **case}
    return cases


def main(names: list[str]) -> None:
    cases = all_cases()
    unknown = set(names) - set(cases)
    if unknown:
        sys.exit(f"unknown cases: {sorted(unknown)}; known: {sorted(cases)}")
    for name in names or sorted(cases):
        dump_case(GOLDEN / "runs" / f"{name}.yaml", cases[name])
        print(f"wrote tests/golden/runs/{name}.yaml")


if __name__ == "__main__":
    main(sys.argv[1:])
