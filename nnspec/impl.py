"""Choosing the implementation under test: ``--impl`` or ``REFERENCE_NN_IMPL``; default reference_nn.

The ``impl`` fixture hands tests an :class:`Implementation`: the adapter module behind a thin
wrapper that records which protocol functions each test called (a claim passes for an
implementation only when its tests called it) and turns a missing protocol function (or one
raising ``NotImplementedError``) into a skip whose reason starts with ``not implemented:``, so
that the report can tell "this implementation lacks X" from "this claim failed".
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import sys
from pathlib import Path

import pytest

from nnspec import recording
from nnspec.boundary import checked_call
from nnspec.display import NAME_LIMIT, safe
from reference_nn.adapter import PROTOCOL

DEFAULT = "reference_nn.adapter"
ENV = "REFERENCE_NN_IMPL"
NOT_IMPLEMENTED = "not implemented: "
REFERENCE_ONLY = "reference-only: "
IDENTITY = ("NAME", "VERSION")


def spec_from_config(config) -> str:
    return config.getoption("impl", None) or os.environ.get(ENV) or DEFAULT


def reference_adapter():
    """reference_nn's own adapter module: the one object that makes a run the reference run."""
    return importlib.import_module(DEFAULT)


def names_reference(spec: str) -> bool:
    """Whether ``spec`` names reference_nn's own adapter (without importing anything)."""
    if spec in ("reference_nn", DEFAULT):
        return True
    if spec.endswith(".py") or os.sep in spec or "/" in spec:
        origin = importlib.util.find_spec(DEFAULT).origin
        return Path(spec).resolve() == Path(origin).resolve()
    return False


def load_adapter(spec: str):
    """Import the adapter named by ``spec``, exactly that one: a dotted module path, or a .py file
    imported as itself wherever it lies (a file inside a folder named ``reference_nn`` is that file, not
    the installed reference)."""
    if names_reference(spec):
        return reference_adapter()
    if spec.endswith(".py") or os.sep in spec or "/" in spec:
        path = Path(spec).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"no such file {path}")
        return _import_file(path)
    return importlib.import_module(spec)


def _import_file(path: Path):
    """A file, imported under a name of its own. Inside a package (it may use relative imports) the
    package is imported too: by its own name when that name is free, else under a private alias, so
    that a fork named like an installed package never resolves to the installed one."""
    root, parts = path.parent, [path.stem]
    while (root / "__init__.py").is_file():
        parts.insert(0, root.name)
        root = root.parent
    if len(parts) == 1:
        name = f"_impl_under_test_{path.stem}"
        if str(path.parent) not in sys.path:
            sys.path.append(str(path.parent))  # its sibling modules, without shadowing anything installed
        return _exec_module(name, path)
    top = root / parts[0]
    existing = importlib.util.find_spec(parts[0]) if parts[0] not in sys.modules else sys.modules[parts[0]].__spec__
    if existing is None:
        sys.path.append(str(root))
        return importlib.import_module(".".join(parts))
    alias = f"_impl_under_test_{parts[0]}"
    _exec_module(alias, top / "__init__.py", package=top)
    return importlib.import_module(".".join([alias, *parts[1:]]))


def _exec_module(name: str, path: Path, package: Path | None = None):
    locations = [str(package)] if package is not None else None
    mod_spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=locations)
    if mod_spec is None:
        raise ImportError(f"{path} is not a Python module")
    module = importlib.util.module_from_spec(mod_spec)
    sys.modules[name] = module  # dataclasses, pickling and tracebacks look modules up here
    try:
        mod_spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def is_reference(adapter) -> bool:
    """True for reference_nn's own adapter module (or an :class:`Implementation` wrapping it), by identity:
    a module that only calls itself ``reference_nn.adapter`` is not the reference."""
    if isinstance(adapter, Implementation):
        return adapter.is_reference
    return adapter is reference_adapter()


#: $REFERENCE_NN_CALL_LOG names a folder where each process notes the function it is entering, so that
#: when the implementation kills the process the report can say where (see :func:`last_call`).
CALL_LOG = "REFERENCE_NN_CALL_LOG"
_last_logged: list[str] = [""]


def _log_entry(name: str) -> None:
    folder = os.environ.get(CALL_LOG)
    if folder and _last_logged[0] != name:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        Path(folder, worker).write_text(name, encoding="utf-8")
        _last_logged[0] = name


def last_call(worker: str) -> str:
    """The protocol function process ``worker`` (an xdist worker id, or 'main') last entered."""
    folder = os.environ.get(CALL_LOG)
    try:
        return Path(folder, worker).read_text(encoding="utf-8") if folder else ""
    except OSError:
        return ""


class Implementation:
    """The adapter under test. Attribute access goes to the adapter module; every protocol function
    called is recorded in the running test's recording (nnspec/recording.py); a protocol function it
    lacks, or one that raises NotImplementedError, skips the test as ``not implemented: <function>``."""

    def __init__(self, adapter, spec: str):
        self.adapter = adapter
        self.spec = spec
        self.is_reference = is_reference(adapter)
        self.name = safe(getattr(adapter, "NAME", getattr(adapter, "__name__", spec)), NAME_LIMIT)
        self.version = safe(getattr(adapter, "VERSION", "unknown"), NAME_LIMIT)
        self.file = getattr(adapter, "__file__", None)
        self.mode = "in-process"
        self.box = "none: the implementation runs inside the harness's process"

    def implementation_info(self) -> dict:
        return {"language": "python", "mode": self.mode, "box": self.box, "source": self.spec}

    def missing(self) -> list[str]:
        """The protocol functions the adapter does not define."""
        return [name for name in PROTOCOL if not callable(getattr(self.adapter, name, None))]

    def __getattr__(self, name):
        if name.startswith("__") or name in ("adapter", "spec"):
            raise AttributeError(name)
        try:
            value = getattr(self.adapter, name)
        except AttributeError:
            if name in PROTOCOL:
                recording.called(name)
                pytest.skip(f"{NOT_IMPLEMENTED}{name}")
            if name in IDENTITY:
                recording.called(name)
            raise AttributeError(
                f"{self.name} has no attribute {name!r} (and it is not part of the adapter protocol: {PROTOCOL})"
            ) from None
        if name in PROTOCOL and callable(value):
            return _recorded(name, value)
        if name in IDENTITY:
            recording.called(name)  # what the implementation says of itself is its own answer too (rule R01)
        return value

    def __repr__(self):
        return f"<implementation {self.name} {self.version} from {self.spec}>"


def _recorded(name, function):
    @functools.wraps(function)
    def call(*args, **kwargs):
        recording.called(name)
        _log_entry(name)
        try:
            return checked_call(name, function, args, kwargs)
        except NotImplementedError as exc:
            detail = f" ({exc})" if str(exc) else ""
            pytest.skip(f"{NOT_IMPLEMENTED}{name}{detail}")

    return call
