"""The site generator's text handling and generic rendering, without building the site."""

from __future__ import annotations

import re

from docs.sitegen import mathml, pages, prose
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


def test_the_compliance_matrix_shows_a_report_escaped_with_its_completeness_and_rules():
    claims = load_claims()
    cid = next(c for c, claim in claims.items() if claim.testable)
    entry = {"tests": ["tests/spec/test_x.py::test_y"], "called": ["dense_forward"]}
    report = {
        "implementation": "mine <b>",
        "version": "<1>",
        "python": "3.11",
        "numpy": "2",
        "generated": "2026-12-04T19:00:00+00:00",
        "reference": False,
        "complete": False,
        "exit": "INTERRUPTED",
        "protocol": ["dense_forward"],
        "claims": {cid: {"outcome": "failed", "reason": "a <reason> | pipe", **entry}},
        "rules": {"R29": {"outcome": "crashed", "reason": "boom <i>", **entry}},
        "checkout_changed": [],
        "implementation_info": {"language": "python", "mode": "in-process", "box": "none", "source": "x.py"},
    }
    reports.validate(report, "conformance-report")  # what the site is given is what the harness writes
    page = pages.compliance(claims, [report])
    assert "<b>" not in page and "<reason>" not in page and "<i>" not in page and "<1>" not in page
    assert "a &#60;reason&#62;" in page and "**incomplete**" in page
    assert 'class="badge outcome-crashed"' in page and 'class="badge outcome-failed"' in page
    assert "R29" in page and "outcome-crashed" in page


def test_the_main_command_fills_the_compliance_matrix_with_the_reference_and_the_tutorials_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"<!-- main-command -->\s*```bash\n(.*?)\n```", readme, re.S).group(1)
    assert "\n" not in command.strip()
    reports = re.findall(r"--conformance-report test-artifacts/conformance/(\w+)", command)
    assert reports == ["reference_nn", "tutorial_verbatim", "torch"]
    assert "--impl examples/tutorial_verbatim.py --known-failures examples/tutorial_verbatim.known-failures" in command
    assert 'python -c "import torch" 2>/dev/null && pytest' in command
    assert command.rstrip().endswith("mkdocs serve")
