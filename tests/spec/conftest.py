"""Rule tests (``@pytest.mark.rule``) fail with their rule's name even when the implementation raises.

A protocol function that raises (a shape error, a warning turned into an error) instead of returning
what its rule says breaks that rule: the exception becomes an AssertionError whose first line is
``Rnn (sentence): <function> raised <type>: <message>``, so the conformance report names the rule.
Skips (``not implemented``) pass through untouched.
"""

from __future__ import annotations

import pytest

from tests._spec.rules import load_rules


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    rules = [rid for mark in item.iter_markers("rule") for rid in mark.args]
    try:
        return (yield)
    except AssertionError:
        raise
    except Exception as exc:
        if not rules or rules[0] not in load_rules():
            raise
        message = str(exc).splitlines()[0] if str(exc) else ""
        raise AssertionError(f"{load_rules()[rules[0]]}: raised {type(exc).__name__}: {message}") from exc
