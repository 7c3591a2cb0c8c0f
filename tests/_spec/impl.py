"""Choosing the implementation under test: ``--impl`` or ``REFERENCE_NN_IMPL``; default reference_nn.

The ``impl`` fixture hands tests an :class:`Implementation`: the adapter module behind a thin
wrapper that turns a missing protocol function (or one raising ``NotImplementedError``) into a
skip whose reason starts with ``not implemented:``, so that the report can tell "this
implementation lacks X" from "this claim failed".
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import sys
from pathlib import Path

import pytest

from reference_nn.adapter import PROTOCOL

DEFAULT = "reference_nn.adapter"
ENV = "REFERENCE_NN_IMPL"
NOT_IMPLEMENTED = "not implemented: "
REFERENCE_ONLY = "reference-only: "


def spec_from_config(config) -> str:
    return config.getoption("impl", None) or os.environ.get(ENV) or DEFAULT


def load_adapter(spec: str):
    """Import an adapter from a dotted module path or a path to one .py file."""
    if spec == "reference_nn":
        spec = DEFAULT
    if spec.endswith(".py") or os.sep in spec:
        path = Path(spec).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"--impl: no such file {path}")
        if (path.parent / "__init__.py").is_file():
            return _import_from_package(path)
        name = f"_impl_under_test_{path.stem}"
        mod_spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(mod_spec)
        sys.modules[name] = module  # dataclasses, pickling and tracebacks look modules up here
        mod_spec.loader.exec_module(module)
        return module
    return importlib.import_module(spec)


def _import_from_package(path: Path):
    """A file inside a package (it may use relative imports): import it by its dotted name."""
    root, parts = path.parent, [path.stem]
    while (root / "__init__.py").is_file():
        parts.insert(0, root.name)
        root = root.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return importlib.import_module(".".join(parts))


def is_reference(adapter) -> bool:
    """True for reference_nn's own adapter (or an :class:`Implementation` wrapping it)."""
    if isinstance(adapter, Implementation):
        return adapter.is_reference
    return getattr(adapter, "__name__", "") == DEFAULT


class Implementation:
    """The adapter under test. Attribute access goes to the adapter module, except that a
    protocol function it lacks, or one that raises NotImplementedError, skips the test as
    ``not implemented: <function>``."""

    def __init__(self, adapter, spec: str):
        self.adapter = adapter
        self.spec = spec
        self.is_reference = getattr(adapter, "__name__", "") == DEFAULT
        self.name = str(getattr(adapter, "NAME", getattr(adapter, "__name__", spec)))
        self.version = str(getattr(adapter, "VERSION", "unknown"))

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
                pytest.skip(f"{NOT_IMPLEMENTED}{name}")
            raise AttributeError(
                f"{self.name} has no attribute {name!r} (and it is not part of the adapter protocol: {PROTOCOL})"
            ) from None
        if name in PROTOCOL and callable(value):
            return _skip_if_not_implemented(name, value)
        return value

    def __repr__(self):
        return f"<implementation {self.name} {self.version} from {self.spec}>"


def _skip_if_not_implemented(name, function):
    @functools.wraps(function)
    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except NotImplementedError as exc:
            detail = f" ({exc})" if str(exc) else ""
            pytest.skip(f"{NOT_IMPLEMENTED}{name}{detail}")

    return call
