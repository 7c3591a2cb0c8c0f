"""Learner-facing prose: formulas as TeX (never ASCII), their terminal form, and ``true_instead``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from docs.sitegen import mathml, prose
from nnspec import registry, true_instead
from nnspec.ascii_math import PATTERNS, ascii_formulas
from nnspec.plain_math import MATH, plain, quote, tex
from nnspec.registry import CLAIMS_DIR, RegistryError, load_claims

RUBRIC = Path(__file__).resolve().parent.parent / "docs" / "rubric.md"
TEXT_FIELDS = ("explanation", "measured", "consistency", "true_instead")


def _texts():
    """(claim id, field, text) for every learner-facing text field of the registry, read from the YAML."""
    for path in sorted(CLAIMS_DIR.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]:
            for field in TEXT_FIELDS:
                text = " ".join(str(entry.get(field) or "").split())
                if text:
                    yield entry["id"], field, text


def _formulas(text: str) -> list[str]:
    return [m.group("a") or m.group("b") for m in MATH.finditer(text)]


# ---- the terminal's rendering of TeX ------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, shown",
    [
        (r"\sigma(z)(1 - \sigma(z))", "σ(z)(1 − σ(z))"),
        (r"w^{T}x", "wᵀx"),
        (r"\sum_i x_i w_i", "Σᵢ xᵢ wᵢ"),
        (r"\delta_{ij}", "δᵢⱼ"),
        (r"-\infty", "−∞"),
        (r"\partial L/\partial W", "∂L/∂W"),
        (r"\frac{\partial L}{\partial W}", "∂L/∂W"),
        (r"\frac{1}{1 + e^{-z}}", "1/(1 + e⁻ᶻ)"),
        (r"\frac{dA}{dZ} = +\frac{e^{-Z}}{(1 + e^{-Z})^{2}}", "dA/dZ = +e^(−Z)/(1 + e^(−Z))²"),
        (r"\frac{1}{2} \sum (l_1 - y)^2", "1/2 Σ(l₁ − y)²"),
        (r"\hat{y} = \sigma(\sigma(x W_1) W_2)", "y\u0302 = σ(σ(x W₁) W₂)"),
        (r"W \leftarrow W - \alpha\, dW", "W ← W − α dW"),
        (r"x \le 0, \; x \ge 19", "x ≤ 0, x ≥ 19"),
        (r"\mathbb{R}^J", "ℝᴶ"),
        (r"\mathrm{relu}(x) - \mathrm{relu}(-x) = x", "relu(x) − relu(−x) = x"),
        (
            r"\tanh x = 2\sigma(2x) - 1, \; -(y \ln p + (1 - y) \ln(1 - p))",
            "tanh x = 2σ(2x) − 1, −(y ln p + (1 − y) ln(1 − p))",
        ),
        (r"\left(p + \frac{z^2}{2n}\right) / \left(1 + \frac{z^2}{n}\right)", "(p + z²/2n) / (1 + z²/n)"),
    ],
)
def test_tex_is_shown_in_the_terminal_as_unicode(source, shown):
    assert tex(source) == shown


def test_plain_converts_delimited_math_and_drops_code_backticks_but_leaves_prose_alone():
    text = r"The slope $s(1 - s)$ of `sigmoid_derivative`, not \(e^{-z}\), costs 1/4 at 0.5."
    assert plain(text) == "The slope s(1 − s) of sigmoid_derivative, not e⁻ᶻ, costs 1/4 at 0.5."
    assert plain("no math, a price of 5 and a 2 x 3 matrix") == "no math, a price of 5 and a 2 x 3 matrix"


def test_a_quote_the_tutorial_printed_in_tex_is_shown_in_unicode_and_other_quotes_as_printed():
    assert quote(r"\frac{\partial{J}}{\partial{z}} = \hat{Y} – Y") == "∂J/∂z = Y\u0302 – Y"
    assert quote(r"It takes input, multiplies it by \(w\), adds \(b\)") == "It takes input, multiplies it by w, adds b"
    assert quote("print ('Rounded Output: \\n' + str(x))") == "print ('Rounded Output: \\n' + str(x))"
    assert quote(r"\frac{1}{\overbrace{x}}") == r"\frac{1}{\overbrace{x}}"  # outside the subset: as printed


def test_a_tex_command_outside_the_terminals_subset_is_an_error_not_a_silent_backslash():
    with pytest.raises(ValueError, match="overbrace"):
        tex(r"\overbrace{x}")
    with pytest.raises(ValueError, match="unbalanced"):
        tex(r"\frac{1}{2")


def test_every_formula_in_the_registry_renders_as_mathml_and_as_terminal_text():
    count = 0
    for cid, field, text in _texts():
        for formula in _formulas(text):
            count += 1
            assert "<math" in mathml.to_mathml(formula, display=False), (cid, field, formula)
            shown = tex(formula)
            assert "\\" not in shown, (cid, field, formula, shown)
    assert count > 250  # the registry's mathematics is written as TeX (305 formulas when this was written)


def test_the_learner_checks_report_shows_a_rule_with_math_as_unicode_not_tex():
    from nnspec import tutorial_code

    [row] = tutorial_code.rows("003", {"003.da-dz-sigma": {"outcome": "failed", "reason": "x"}}, {})
    assert "$" in load_claims()["003.da-dz-sigma"].explanation
    assert "σ(Z)(1 − σ(Z))" in row["rule"] and "$" not in row["rule"] and "\\" not in row["rule"]
    assert row["quote"] == "= σ(Z)(1−σ(Z))"  # the tutorial printed it in TeX: = \sigma(Z)(1-\sigma(Z))


# ---- no ASCII formula in a learner-facing sentence ----------------------------------------------------


ASCII_EXAMPLES = [
    "+e^-Z/(1+e^-Z)^2",
    "the vector form w^T x + b",
    "the sum sum_i x_i w_i",
    "the Jacobian s_i (delta_ij - s_j)",
    "as z goes to -inf",
    "its range is [0, infinity)",
    "the slope s(1-s)",
    "the gradient dL/dW",
    "the row form x @ W + b",
    "overflows for X <= -710",
    "2*2 + 3*4 = 16",
    "the code np.e**x",
    "the log loss -(y ln p + (1 - y) ln(1 - p))",
    "(|0 - o| + |1 - o|)/4",
    "it computes |x|",
    "adds l0.T times the delta",
    "the update W <- W - alpha dW",
    "the training size: 50 -> 0.9772",
    "the rows (2, 9) -> 92",
    "the error y-hat - y",
    "slope 0 for z < 0",
    "With a = 2, the sum",
    "sigmoid(7.6) = 0.9995",
    "sigma(w x + b)",
]


@pytest.mark.parametrize("ascii_formula", ASCII_EXAMPLES)
def test_the_ascii_patterns_catch_each_kind_of_ascii_formula(ascii_formula):
    assert ascii_formulas(ascii_formula), ascii_formula


@pytest.mark.parametrize(
    "prose_text",
    [
        "the delta rule updates every weight; *desired* output, the *squared* differences",
        "a 1-2-1 ReLU network, a 3-4-1 network, layers of 20 x 20 and 4 x 1",
        "seeds 0..999 in 98/100 (95% CI 0.863-0.966), seeds 0-99, 2.5-97.5 percentiles",
        "node_0 and l1_error and forward_propagation are code names, as is self.weights1",
        "the loss tends to infinity as the prediction nears the wrong label; about 170 times faster",
        "The programs of 4.2 to 4.5; an (m, 1) column; the labels 0..3; Python 2's round()",
        "the code computes `y - l1` and `np.dot(l0.T, l1_delta)`, and $w^{T}x$ is math",
        "1.2e-13, 5e-9, 99.93% of seeds, 1/2 SSE, a mean of 1/3 and 1/12",
        "Build a neural network: hours studied, hours slept -> test score",
        "np.dot is the matrix product (the same as the @ operator)",
    ],
)
def test_the_ascii_patterns_raise_no_false_alarm_on_prose_code_spans_or_tex(prose_text):
    assert ascii_formulas(prose_text) == []


def test_every_pattern_is_exercised_by_an_example():
    hit = {name for text in ASCII_EXAMPLES for name, _ in ascii_formulas(text)}
    assert hit == set(PATTERNS)


def test_no_ascii_formula_is_left_in_a_learner_facing_field_of_the_registry():
    found = [(cid, field, name, match) for cid, field, text in _texts() for name, match in ascii_formulas(text)]
    assert not found, "write these as TeX between $...$ (math) or between backticks (code):\n" + "\n".join(
        f"  {cid} {field}: {match!r} ({name})" for cid, field, name, match in found
    )


def test_the_rubric_writes_its_formulas_as_tex():
    text = RUBRIC.read_text(encoding="utf-8")
    text = re.sub(r"\*\*(?=\S)|(?<=\S)\*\*", "", text)  # Markdown bold is not a product
    found = [(n, line, ascii_formulas(line)) for n, line in enumerate(text.splitlines(), 1) if ascii_formulas(line)]
    assert not found, found
    assert len(_formulas(text)) >= 5
    for formula in _formulas(text):
        mathml.to_mathml(formula, display=False)


# ---- code spans and math in the book's rendering of registry text ------------------------------------


def test_registry_code_spans_render_as_code_with_their_stars_and_dollars_left_alone():
    html = prose.render("the code `2*np.random.random - 1` and `x*y` is *not* math: $2U - 1$")
    assert html.startswith("the code <code>2&#42;np.random.random - 1</code> and <code>x&#42;y</code>")
    assert "<em>not</em>" in html and html.endswith(r"\(2U - 1\)")
    assert prose.render("a quote's `backticks`", emphasis=False) == "a quote&#39;s &#96;backticks&#96;"


def test_a_shortened_explanation_is_never_cut_inside_a_formula():
    text = "A composition is affine: two layers equal one layer with weights " + "$W_1 W_2 W_3$ and more. " * 9
    short = prose.first_sentence(text, limit=70)
    assert short == "A composition is affine: two layers equal one layer with weights ..."
    assert all(prose.first_sentence(c.explanation).count("$") % 2 == 0 for c in load_claims().values())


# ---- true_instead ---------------------------------------------------------------------------------------


def test_every_refuted_claim_says_what_is_true_instead_in_whole_short_sentences():
    claims = load_claims().values()
    assert not [c.id for c in claims if c.verdict == "refuted" and not c.true_instead]
    written = [c for c in claims if c.true_instead]
    assert all(c.verdict in true_instead.ALLOWED_FOR for c in written)
    for claim in written:
        assert true_instead.problems(claim.verdict, claim.true_instead) == [], claim.id
    assert sum(c.verdict == "qualified" for c in written) >= 50


_VALID = {
    "id": "000.test",
    "section": "s",
    "quote": "q",
    "explanation": "e.",
    "kind": "number",
    "strength": "exact",
    "certainty": "high",
}


@pytest.mark.parametrize(
    "verdict, text, message",
    [
        ("refuted", "", "needs true_instead"),
        ("holds", "It holds.", "not holds ones"),
        ("out-of-scope", "Nothing to say.", "not out-of-scope ones"),
        ("refuted", "A sentence without its period", "end with a period"),
        ("refuted", "A sentence cut off ...", "end with a period"),
        ("refuted", "; and the rest of a sentence.", "begin a sentence"),
        ("refuted", "One. Two. Three.", "one or two sentences"),
        ("qualified", "A long one, " * 22 + "too long.", "more than 240"),
        ("refuted", "The code computes `y - l1`. That sign makes the update descend the loss.", None),
        ("qualified", "`backward` does all five steps listed above.", None),
    ],
)
def test_true_instead_is_validated_when_the_registry_loads(tmp_path, verdict, text, message):
    entry = {**_VALID, "verdict": verdict, **({"true_instead": text} if text else {})}
    if verdict in ("refuted", "qualified"):
        entry |= {"cause": "arithmetic", "severity": "wrong-result"}
    if verdict == "out-of-scope":
        entry["strength"] = "reading"
    path = tmp_path / "000.yaml"
    path.write_text(yaml.safe_dump({"source": "000.txt", "title": "t", "claims": [entry]}), encoding="utf-8")
    if message is None:
        [claim] = registry._entries(path)
        assert claim.true_instead == text
    else:
        with pytest.raises(RegistryError, match=message):
            list(registry._entries(path))


@pytest.mark.parametrize(
    "text",
    [
        "The code computes `y - l1`. That sign is what makes the update descend the loss.",
        r"$2 \cdot 0.6 + 9 \cdot 0.3 = 3.9$, not 7.5.",
        "Use `np.round(...)`, e.g. on the one-element array, instead.",
    ],
)
def test_true_instead_accepts_one_or_two_sentences_with_code_and_math(text):
    assert true_instead.problems("refuted", text) == []
