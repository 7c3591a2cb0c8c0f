"""Every specification test uses only the evidence declared for its claims in tests/evidence/; a rule test
(``@pytest.mark.rule``) fails in the name of its rule even when the implementation raises.

A protocol function that raises (a shape error, a warning turned into an error) instead of returning
what its rule says breaks that rule: the exception becomes an AssertionError whose first line is
``Rnn (sentence): raised <type>: <message>``, so the conformance report names the rule; a failure
of the adapter boundary's checks (nnspec/boundary.py) inside a rule test gets the rule's name
in front. Skips (``not implemented``) pass through untouched.
"""

from __future__ import annotations

import pytest

from nnspec import evidence, markers, recording
from nnspec.rules import load_rules

TIMEOUT = "Timeout (>"  # pytest-timeout's message


@pytest.fixture(autouse=True)
def _uses_declared_evidence(request):
    """Fails the test when it read a printed golden, a run case or a derivation that tests/evidence/ does not
    declare under one of its claims (or a claim they ``see``): the site shows evidence where it is declared."""
    record = recording.current() or recording.Recording()  # (the plugin gives every test its recording)
    record.evidence.clear()  # what the session's fixtures read before this test is theirs, not the test's
    yield
    used, record.evidence[:] = list(record.evidence), []
    claims = markers.claims_of(request.node)
    missing = evidence.undeclared(claims, used)
    if missing:
        pytest.fail(
            f"uses evidence not declared under {', '.join(claims)} in tests/evidence/: {'; '.join(missing)}",
            pytrace=False,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    rules = markers.rules_of(item)
    try:
        return (yield)
    except (AssertionError, pytest.fail.Exception) as exc:
        message = str(exc.msg if isinstance(exc, pytest.fail.Exception) else exc)
        if not rules or rules[0] not in load_rules() or message.startswith((rules[0] + " ", TIMEOUT)):
            raise  # (a time-out stays a time-out: the report names the function that hung)
        # a check of the adapter boundary (nnspec/boundary.py) stopped the rule's test: name the rule
        raise AssertionError(f"{load_rules()[rules[0]]}: {message}") from exc
    except Exception as exc:
        if not rules or rules[0] not in load_rules():
            raise
        message = str(exc).splitlines()[0] if str(exc) else ""
        raise AssertionError(f"{load_rules()[rules[0]]}: raised {type(exc).__name__}: {message}") from exc
