"""The specification's tests share their helpers through nnspec/ (golden data: nnspec/golden.py).

The pytest wiring (claim markers, ``--impl`` and the ``impl`` fixture, known failures, the
conformance report) is the plugin nnspec/plugin.py, loaded by the root conftest.py.
"""
