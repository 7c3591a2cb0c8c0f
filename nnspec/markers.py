"""The one reader of the specification's markers: which claims (``@pytest.mark.claim``) and which
protocol rules (``@pytest.mark.rule``) a test checks.

:func:`of_item` reads a collected test (its own marks, its class's and its module's, as pytest merges
them); :func:`of_nodeid` reads the same marks from the test's module for a test whose reports never
arrived (its worker crashed before sending them).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import NamedTuple


class Marks(NamedTuple):
    claims: tuple[str, ...]
    rules: tuple[str, ...]


def _ids(marks, name: str) -> tuple[str, ...]:
    return tuple(arg for mark in marks if mark.name == name for arg in mark.args)


def of_item(item) -> Marks:
    """The claims and rules a collected test names."""
    marks = list(item.iter_markers())
    return Marks(_ids(marks, "claim"), _ids(marks, "rule"))


def claims_of(item) -> list[str]:
    return list(of_item(item).claims)


def rules_of(item) -> list[str]:
    return list(of_item(item).rules)


def _listed(obj) -> list:
    """An object's ``pytestmark``: a list of marks, or one (``pytestmark = pytest.mark.x`` in a module)."""
    marks = getattr(obj, "pytestmark", [])
    return list(marks) if isinstance(marks, list | tuple) else [marks]


def of_nodeid(nodeid: str) -> Marks | None:
    """The claims and rules of the test ``nodeid`` (``tests/spec/test_x.py::Class::test[param]``, relative to
    the rootdir on sys.path), read from its module; None when the test cannot be found."""
    path, _, name = nodeid.partition("::")
    try:
        module = importlib.import_module(Path(path).with_suffix("").as_posix().replace("/", "."))
        obj, marks = module, _listed(module)
        for part in name.split("[")[0].split("::"):
            obj = getattr(obj, part)
            marks += _listed(obj)
    except (ImportError, AttributeError, ValueError):
        return None
    return Marks(_ids(marks, "claim"), _ids(marks, "rule"))
