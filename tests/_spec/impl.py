"""Choosing the implementation under test: ``--impl`` or ``REFERENCE_NN_IMPL``; default reference_nn."""

from __future__ import annotations

import importlib
import importlib.util
import os
from pathlib import Path

DEFAULT = "reference_nn.adapter"
ENV = "REFERENCE_NN_IMPL"


def spec_from_config(config) -> str:
    return config.getoption("impl") or os.environ.get(ENV) or DEFAULT


def load_adapter(spec: str):
    """Import an adapter from a dotted module path or a path to one .py file."""
    if spec == "reference_nn":
        spec = DEFAULT
    if spec.endswith(".py") or os.sep in spec:
        path = Path(spec).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"--impl: no such file {path}")
        mod_spec = importlib.util.spec_from_file_location(f"_impl_under_test_{path.stem}", path)
        module = importlib.util.module_from_spec(mod_spec)
        mod_spec.loader.exec_module(module)
        return module
    return importlib.import_module(spec)


def is_reference(adapter) -> bool:
    return getattr(adapter, "__name__", "") == DEFAULT
