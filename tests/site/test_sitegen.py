"""The site generator's text handling and generic rendering, without building the site."""

from __future__ import annotations

import importlib.util
import os
import re

from docs.sitegen import badges, chapters, compliance, implementations, mathml, prose, sample_report, spec_pages
from nnspec import content, reports
from nnspec.registry import load_claims

ROOT = content.ROOT


def test_registry_text_renders_tex_as_math_emphasis_as_emphasis_and_escapes_the_rest():
    assert prose.render(r"\frac{dA}{dZ} = \frac{-e^{-Z}}{(1+e^{-Z})^{2}}", emphasis=False).startswith(r"\(\frac")
    assert prose.render("our z^{2} (hidden) layer") == r"our \(z^{2}\) (hidden) layer"
    assert prose.render("multiplies it by \\(w\\), adds") == r"multiplies it by \(w\), adds"
    assert prose.render("gives the *desired* output") == "gives the <em>desired</em> output"
    assert prose.render("*desired*", emphasis=False) == "&#42;desired&#42;"  # a quote stays verbatim
    assert prose.render("np.e**x and 2*2 + 3*4") == "np.e&#42;&#42;x and 2&#42;2 + 3&#42;4"
    assert prose.render("<script>[x](y)") == "&#60;script&#62;&#91;x&#93;(y)"
    assert prose.render("dZ = dA * g'(Z)") == "dZ = dA &#42; g\u2032(Z)"


def test_a_prime_sits_on_its_letter_in_mathml():
    out = mathml.to_mathml("f'(z) = g''", display=False)
    assert "<msup>" not in out
    assert '<mi>f</mi><mo lspace="0" rspace="0">&#x02032;</mo>' in out
    assert '<mi>g</mi><mo lspace="0" rspace="0">&#x02033;</mo>' in out


def _spec_with(reports: dict[str, dict], running=()):
    spec = spec_pages.load_spec()
    spec.conformance, spec.running = reports, list(running)
    return spec


def _report(implementation: str, claims: dict[str, tuple[str, str]], rules=None, complete=True) -> dict:
    """A conformance report as the harness writes it (validated against its schema), outcomes as given."""
    entry = {"tests": ["tests/spec/test_x.py::test_y"], "called": ["dense_forward"]}
    doc = {
        "implementation": implementation,
        "version": "<1>",
        "python": "3.11",
        "numpy": "2",
        "generated": "2026-12-04T19:00:00+00:00",
        "reference": False,
        "complete": complete,
        "exit": "OK" if complete else "INTERRUPTED",
        "protocol": ["dense_forward"],
        "claims": {cid: {"outcome": o, "reason": r, **entry} for cid, (o, r) in claims.items()},
        "rules": {rid: {"outcome": o, "reason": r, **entry} for rid, (o, r) in (rules or {}).items()},
        "checkout_changed": [],
        "implementation_info": {"language": "python", "mode": "in-process", "box": "none", "source": "x.py"},
    }
    reports.validate(doc, "conformance-report")  # what the site is given is what the harness writes
    return doc


def test_the_compliance_matrix_groups_by_tutorial_counts_right_of_checked_and_escapes_everything(monkeypatch):
    monkeypatch.setattr(implementations, "read_runs", lambda: {})
    claims = load_claims()
    in_000 = [cid for cid, c in claims.items() if c.tutorial == "000" and c.testable]
    in_003 = [cid for cid, c in claims.items() if c.tutorial == "003" and c.testable]
    mine = _report(
        "mine <b>",
        {
            in_000[0]: ("passed", ""),
            in_000[1]: ("failed", "a <reason> | pipe"),
            in_003[0]: ("crashed", "boom <i>"),
            **{cid: ("not about the implementation", "") for cid in in_000[2:]},
        },
        rules={"R29": ("crashed", "boom <i>")},
        complete=False,
    )
    tutorial_003 = _report("seed003.py", {in_003[0]: ("failed", "sign")})
    page = compliance.page(_spec_with({"mine": mine, "tutorial-003": tutorial_003}))
    assert "<b>" not in page and "<reason>" not in page and "<i>" not in page and "<1>" not in page
    assert "a &#60;reason&#62; &#124; pipe" in page and "**incomplete**" in page
    assert 'class="badge outcome-crashed"' in page and 'class="badge outcome-failed"' in page
    assert "R29" in page
    assert "**1 of 3** checked" in page  # mine: one right of the three it was checked on (a crash counts)
    sections = re.split(r"^## ", page, flags=re.M)
    ch000 = next(s for s in sections if s.startswith("000 · "))
    ch003 = next(s for s in sections if s.startswith("003 · "))
    # the claims no test calls an implementation for, folded into one count
    assert f"{len(in_000) - 2} claims of this chapter are about the tutorial" in ch000
    assert ">about the tutorial</span>" not in ch000  # no row repeats it
    # tutorial 003's own code is a column of chapter 003 only
    assert "tutorial 003&#39;s own code" in ch003 and "tutorial 003&#39;s own code" not in ch000
    # listed implementations without a report are named with the reason
    assert re.search(r"PyTorch \(Python\): (PyTorch is not installed|not run yet)", page)
    assert "reference&#95;nn (Python): not run yet." in page


def test_the_compliance_matrix_says_which_runs_are_still_going(monkeypatch):
    runs = {"torch": {"state": "running", "started": "2026-01-01T10:00:00Z", "runner": os.getpid()}}
    monkeypatch.setattr(implementations, "read_runs", lambda: runs)
    page = compliance.page(_spec_with({}))
    assert "PyTorch (Python): its run started at 2026-01-01T10:00:00Z and is still going" in page


def test_the_implementations_list_gives_each_run_its_command_line():
    entries = {e.report: e for e in implementations.load()}
    assert {"reference_nn", "torch", *(f"tutorial-{t}" for t in ("000", "001", "002", "003", "004"))} <= set(entries)
    ref = entries["reference_nn"].pytest_argv()
    assert "--impl" not in ref and ref[-2:] == ["--conformance-report", str(implementations.REPORTS / "reference_nn")]
    assert "--claims-json" in ref
    t003 = entries["tutorial-003"]
    assert t003.chapter == "003" and "--tutorial-code" in t003.pytest_argv()
    assert (ROOT / t003.tutorial_code.split("=", 1)[1]).is_file()
    torch = entries["torch"]
    assert torch.pytest_argv()[torch.pytest_argv().index("--impl") + 1] == "examples/torch_adapter.py"
    assert torch.missing() == ("" if importlib.util.find_spec("torch") else torch.needs_why)


def test_a_last_run_says_what_the_test_established_never_a_bare_passed():
    assert badges.last_run_words("refuted", "passed")[0] == "refutation confirmed"
    assert badges.last_run_words("holds", "passed")[0] == "holds, checked"
    assert badges.last_run_words("qualified", "passed")[0] == "qualification confirmed"
    assert "verdict not confirmed" in badges.last_run_words("refuted", "failed")[0]
    assert badges.last_run_words("holds", None, running=True)[0] == "running now"


def test_at_a_glance_shows_whole_sentences():
    claims = [c for c in load_claims().values() if c.verdict == "refuted"]
    for c in claims:
        text = chapters.true_instead(c)
        assert text and not text.endswith("..."), c.id
        assert getattr(c, "true_instead", "") == text or c.explanation.startswith(text), c.id
    assert prose.first_sentence("One, e.g. two. Three.") == "One, e.g. two."


def test_the_main_command_serves_the_book_at_once_and_runs_the_specification_behind_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"<!-- main-command -->\s*```bash\n(.*?)\n```", readme, re.S).group(1)
    assert "\n" not in command.strip()
    assert command.rstrip().endswith("python docs/sitegen/book.py")
    assert "pytest" not in command  # the runs start behind the server, from examples/implementations.yaml


def test_the_sample_report_is_what_the_check_prints_today():
    """The sample on "Check your own code" is a stored real run; it is stale when the check prints otherwise
    (then: python docs/sitegen/sample_report.py --write)."""
    stored = sample_report.SAMPLE.read_text(encoding="utf-8")
    assert sample_report.run() == stored, "stale sample: run python docs/sitegen/sample_report.py --write"
    assert "```text\n" + stored.rstrip() + "\n```" == sample_report.markdown()
