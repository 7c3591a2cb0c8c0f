"""Loads the specification's pytest plugin (nnspec/plugin.py) for every run in this checkout.

pytest reads command-line options only from plugins and conftest files it loads before parsing
the command line, and it looks for conftest files next to any argument that names an existing
path: in ``pytest --impl examples/torch_adapter.py`` it would look in ``examples/`` and never
load ``tests/conftest.py``, and under pytest-xdist the controller, which collects nothing, would
not load it either. This file is the parent of every path in the checkout, so it is always
loaded; the plugin holds the options (``--impl``, ``--known-failures``, ``--conformance-report``,
``--claims-json``) and the session hooks.
"""

pytest_plugins = ["nnspec.plugin"]
