"""The specification's tests share their helpers through tests/_spec/ (golden data: tests/_spec/golden.py).

The pytest wiring (claim markers, ``--impl`` and the ``impl`` fixture, known failures, the
conformance report) is the plugin tests/_spec/plugin.py, loaded by the root conftest.py.
"""
