"""Checking a learner's own tutorial-shaped program: ``pytest --tutorial-code NNN=FILE``.

``FILE`` follows tutorial ``NNN``'s shape (written down in ``nnspec.shapes.seedNNN``);
it is wrapped in the adapter protocol and checked in validation mode against that chapter's claims
only (``tests/spec/test_seedNNN.py``). A file of another shape is a usage error (exit 4) naming
what was expected and what was found. After the run, the terminal shows the chapter's claims in
the tutorial's order, after the summary and the one thing to fix first: right, wrong (the failing
check and its numbers, the mistake named where nnspec.mistakes recognises it) and, where the
tutorial's own code fails the same check for the same cause (nnspec.classroom.same_cause), the
tutorial mistake behind it with a link to the claim in the book. ``--gradescope-results PATH``
also writes a Gradescope autograder ``results.json`` (nnspec.gradescope). ``NNN=FOLDER`` grades a
class (nnspec.classroom).

The options are declared with the others in nnspec/options.py; plugin.py calls
:func:`from_config` (the implementation under test) and
registers :class:`TutorialCodePlugin` (collection, report); nothing else here touches its state.
"""

from __future__ import annotations

import json
import os
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from nnspec import content, display, plain_math
from nnspec import shapes as tutorial_shapes
from nnspec.outcomes import Outcome
from nnspec.registry import load_claims

CHECKOUT = content.ROOT
SPEC_DIR = content.SPEC
VERBATIM_LIST = content.VERBATIM_KNOWN_FAILURES

USAGE = "--tutorial-code NNN=FILE or NNN=FOLDER (NNN one of 000, 001, 002, 003, 004)"

#: the outcomes of a claim that was judged (on the tutorial's own code: it is then graded)
JUDGED = (Outcome.PASSED, Outcome.FAILED, Outcome.CRASHED, Outcome.TIMED_OUT, Outcome.XPASSED, Outcome.XFAILED)
#: outcome -> (the word shown to the learner, graded for Gradescope)
WORDS = {
    Outcome.PASSED: ("right", True),
    Outcome.FAILED: ("WRONG", True),
    Outcome.CRASHED: ("WRONG", True),
    Outcome.TIMED_OUT: ("WRONG", True),
    Outcome.XPASSED: ("WRONG", True),
    Outcome.XFAILED: ("WRONG", True),
    Outcome.NOT_IMPLEMENTED: ("not checked", False),
    Outcome.NOT_ABOUT: ("about the tutorial", False),
    Outcome.REFERENCE_ONLY: ("not checked", False),
    Outcome.SKIPPED: ("not checked", False),
    Outcome.ERRORED: ("not checked", False),
}


@dataclass(frozen=True)
class TutorialCode:
    chapter: str
    path: Path
    adapter: object

    @property
    def spec(self) -> str:
        return f"{self.path} (tutorial {self.chapter}'s shape)"

    @property
    def test_file(self) -> Path:
        return SPEC_DIR / f"test_seed{self.chapter}.py"


def parse(value: str) -> tuple[str, Path]:
    chapter, sep, path = value.partition("=")
    if not sep or chapter not in tutorial_shapes.SHAPES or not path:
        raise pytest.UsageError(f"{USAGE}: got {value!r}")
    if Path(path).is_dir():
        return chapter, Path(path).resolve()
    if not Path(path).is_file():
        raise pytest.UsageError(f"--tutorial-code {value}: no such file {path}")
    return chapter, Path(path).resolve()


def from_config(config, load: bool = True) -> TutorialCode | None:
    """The learner's program as an adapter, or None without --tutorial-code; a bad shape is a UsageError.
    With ``load=False`` the program is not loaded here (``adapter`` is None): it runs behind the wire
    (nnspec.wire), which reports a bad shape through :func:`refused`."""
    value = config.getoption("tutorial_code", None)
    if value is None:
        if config.getoption("gradescope_results", None):
            raise pytest.UsageError("--gradescope-results needs --tutorial-code NNN=FILE")
        return None
    if config.getoption("impl", None):
        raise pytest.UsageError("--tutorial-code and --impl both name the implementation under test: give one")
    chapter, path = parse(value)
    if path.is_dir():
        grade_folder(config, chapter, path)
    if config.getoption("class_report", None):
        raise pytest.UsageError("--class-report needs --tutorial-code NNN=FOLDER (a folder of submissions)")
    if getattr(config.option, "tbstyle", None) == "auto":
        config.option.tbstyle = "no"  # the learner's report comes first: no tracebacks before it (--tb=short)
    if not load:
        return TutorialCode(chapter, path, None)
    try:
        adapter = tutorial_shapes.adapter(chapter, path)
    except tutorial_shapes.ShapeError as exc:
        raise refused(config, chapter, path, str(exc)) from exc
    return TutorialCode(chapter, path, adapter)


def grade_folder(config, chapter: str, folder: Path) -> None:
    """``--tutorial-code NNN=FOLDER``: the folder is a class; this process becomes the class grader
    (``python -m nnspec.classroom grade``, see nnspec/classroom.py) with the same output options."""
    argv = [sys.executable, "-m", "nnspec.classroom", "grade", chapter, str(folder)]
    for option in ("class_report", "gradescope_results"):
        value = config.getoption(option, None)
        if value:
            argv += ["--" + option.replace("_", "-"), str(Path(value).resolve())]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, argv)


def refused(config, chapter: str, path: Path, why: str) -> pytest.UsageError:
    """The usage error for a program of the wrong shape; the grader still gets its file (no points, and
    the reason as the output)."""
    message = display.safe(f"--tutorial-code {chapter}={path.name}: {why}")  # the learner's words
    results = config.getoption("gradescope_results", None)
    if results:
        _write_json(results, {"score": 0.0, "output": message, "tests": []})
    return pytest.UsageError(message)


def _write_json(path, doc: dict) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")


# ---- the tutorials' own mistakes (the tutorial_verbatim list) --------------------------------------------


def tutorial_mistakes(chapter: str, path: Path = VERBATIM_LIST) -> dict[str, str]:
    """{claim id: the mistake behind it} from the known-failures list of the tutorials' own code.

    Only mistakes of tutorial ``chapter``'s own code count (the list's legend names the tutorial, as
    in "003 writes ...", or says "the tutorials'" for all of them): a claim the tutorials' code fails
    because of another tutorial's formula says nothing about this chapter's program.
    """
    if not path.is_file():
        return {}
    legend, claims = {}, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = re.match(r"#\s{2,}(\w+)\s{2,}(\S.*)$", line)
        if entry:
            legend[entry.group(1)] = entry.group(2)
            continue
        text, _, comment = line.partition("#")
        if text.strip():
            tags = comment.split(":", 1)[0].strip()
            claims[text.split()[0]] = tags

    def ours(text: str) -> bool:
        named = set(re.findall(r"\b(00\d)\b", text))
        return chapter in named or (not named and "tutorials'" in text)

    out = {}
    for cid, tags in claims.items():
        described = [legend[n] for n in re.findall(r"\w+", tags) if n in legend]
        described = [text for text in described if ours(text)]
        if described:
            out[cid] = "; ".join(described)
    return out


# ---- the learner's report -----------------------------------------------------------------------------


def claim_link(cid: str) -> str:
    """The claim in the published book (see nnspec.grading.site_url; never a local server), or its id and
    chapter where no address is configured."""
    from nnspec.grading import default

    return default(cid[:3]).link(cid) or f"claim {cid} in chapter {cid[:3]} of the book"


def rows(
    chapter: str, claims: dict[str, dict], mistakes: dict[str, str], tutorial: dict[str, dict] | None = None
) -> list[dict]:
    """The chapter's claims of this run in the tutorial's order: word, outcome, reason and tutorial mistake.

    A WRONG is "as the tutorial's own code" only when the tutorial's own code, run through the same
    shape and checks (``tutorial``, nnspec.classroom.baseline_claims), fails the same check for the same
    cause (nnspec.classroom.same_cause); a failure that is only a floating-point warning at inputs the
    tutorial never feeds is right, with a note."""
    from nnspec.classroom import cell

    tutorial = tutorial or {}
    out = []
    for cid, claim in load_claims().items():
        if claim.tutorial != chapter or cid not in claims:
            continue
        outcome = claims[cid]["outcome"]
        word, graded = WORDS.get(outcome, (outcome, False))
        value, note = cell(claims[cid], tutorial.get(cid))
        reason = claims[cid].get("reason", "")
        if value == "right" and word != "right":  # a note only (nnspec.classroom.cell)
            word, graded, reason = "right", True, note
        mistake = mistakes.get(cid) if word == "WRONG" and value == "wrong-as-tutorial" else None
        if word == "WRONG" and value == "wrong-as-tutorial" and not mistake:
            mistake = "the same check fails the same way"
        out.append(
            {
                "id": cid,
                "quote": plain_math.quote(claim.quote),  # a quote in TeX as Unicode
                "outcome": outcome,
                "word": word,
                "graded": graded,
                "reason": reason,
                "rule": plain_math.plain(claim.explanation),  # TeX as Unicode for the terminal
                "as_the_tutorial": mistake,
                # a refuted sentence the learner's code gets right: what it does is the truth, not the sentence
                "true_instead": plain_math.plain(claim.true_instead or "")
                if claim.verdict in ("refuted", "qualified") and word == "right"
                else "",
                "verdict": claim.verdict,
            }
        )
    return out


def explanation(row: dict) -> str:
    """Why: the failing check with its numbers, and the tutorial's own mistake where it is the same."""
    parts = [row["reason"]] if row["reason"] and (row["word"] != "right" or row["reason"].startswith("note")) else []
    if row.get("true_instead"):
        said = "wrong" if row["verdict"] == "refuted" else "only partly true"
        truth = textwrap.shorten(row["true_instead"], width=240, placeholder="...")
        parts.append(f"the tutorial's sentence is {said} (what is true: {truth}); your code passes the check of that")
    if row["word"] == "WRONG":
        parts.append(f"the rule: {textwrap.shorten(row['rule'], width=240, placeholder='...')}")
    if row["as_the_tutorial"]:
        parts.append(
            f"as the tutorial does: its own code fails this claim too ({row['as_the_tutorial']}); "
            f"see {claim_link(row['id'])}"
        )
    return "; ".join(parts)


def report_lines(code: TutorialCode, claims: dict[str, dict], width: int = 120, tutorial=None, hints=()) -> list[str]:
    """The summary and the one thing to fix first, then every claim in the tutorial's order."""
    table = rows(code.chapter, claims, tutorial_mistakes(code.chapter), tutorial)
    lines = []
    for row in table:
        quote = textwrap.shorten(row["quote"], width=max(30, width - len(row["id"]) - 18), placeholder="...")
        lines.append(f"{row['word']:<18} {row['id']}: {quote}")
        why = explanation(row)
        if why:
            lines += textwrap.wrap(
                why,
                width=width,
                initial_indent=" " * 19,
                subsequent_indent=" " * 21,
                break_on_hyphens=False,
                break_long_words=False,
            )
    counts = {w: sum(r["word"] == w for r in table) for w in dict.fromkeys(w for w, _ in WORDS.values())}
    same = sum(1 for r in table if r["as_the_tutorial"])
    own = [r for r in table if r["word"] == "WRONG" and not r["as_the_tutorial"]]
    named = [h for h in hints if not h.startswith("note: ")]
    if own and named:
        first = f"fix first: {named[0]} (it makes {', '.join(r['id'] for r in own)} wrong)"
    elif own:
        first = f"fix first: {own[0]['id']}: {textwrap.shorten(own[0]['reason'], 300, placeholder='...')}"
    else:
        first = "nothing of your own to fix" + (" (the WRONG ones are the tutorial's own mistakes)" if same else "")
        unjudged = [
            r["id"]
            for r in table
            if r["word"] == "not checked" and (tutorial or {}).get(r["id"], {}).get("outcome") in JUDGED
        ]
        if unjudged:
            first += (
                f"; {len(unjudged)} claim{'s' if len(unjudged) > 1 else ''} the tutorial's own code is judged on "
                f"could not be checked on yours (each 'not checked' line says what it lacks): {', '.join(unjudged)}"
            )
    notes = [h for h in hints if h.startswith("note: ")]
    if notes:
        lines.insert(0, "; ".join(notes))
    lines.insert(0, first)
    lines.insert(
        0,
        f"{code.path.name} against tutorial {code.chapter}: {counts['right']} right, {counts['WRONG']} wrong "
        f"({same} as the tutorial's own code), {counts['not checked']} not checked "
        f"(each says why: what your program, or the tutorial's shape, lacks for it), "
        f"{counts['about the tutorial']} about the tutorial rather than your code",
    )
    return lines


class TutorialCodePlugin:
    """Registered by plugin.py when --tutorial-code is given; ``claims`` returns the run's claim outcomes."""

    def __init__(self, code: TutorialCode, claims):
        self.code, self.claims = code, claims

    def pytest_ignore_collect(self, collection_path, config):
        """Collect only the chapter's spec module (and the folders on the way to it)."""
        target = self.code.test_file
        path = Path(collection_path)
        if path == target or path in target.parents:
            return None
        if CHECKOUT in path.parents or path == CHECKOUT:
            return True
        return None

    def pytest_collection_modifyitems(self, config, items):
        """Keep the tests that call the implementation: the others check the tutorial, not the learner's code."""
        keep = [item for item in items if "impl" in getattr(item, "fixturenames", ())]
        deselected = [item for item in items if item not in keep]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = keep

    def tutorial(self) -> dict[str, dict] | None:
        """The tutorial's own code's claims through the same checks (cached; None inside that very run)."""
        if not hasattr(self, "_tutorial"):
            from nnspec import classroom

            self._tutorial = classroom.baseline_claims(self.code.chapter)
        return self._tutorial

    def submission(self, claims: dict[str, dict], config):
        """This run as a class of one (nnspec.classroom): its claims, the mistakes named (asked of the
        implementation under test through the protocol, nnspec.mistakes), the update claims decided."""
        from nnspec import classroom, data_claims, mistakes, step_mistakes
        from nnspec import plugin as harness

        if getattr(self, "_sub", None) is None:
            impl = harness.implementation(config)
            sub = classroom.Submission(self.code.path.name, self.code.path, claims=dict(claims))
            sub.notes = list(impl.tutorial_notes())  # from the program's loading (over the wire: its start message)
            sub.hints = mistakes.diagnose(impl) + step_mistakes.diagnose(impl) + mistakes.from_reasons(claims)
            sub.updates = mistakes.update_verdicts(impl, sub.hints)
            sub.updates |= data_claims.verdicts(self.code.chapter, impl.tutorial_data())
            classroom.decide_update_claims(sub)
            self._sub = sub
        return self._sub

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        config = session.config
        path = config.getoption("gradescope_results", None)
        claims = self.claims()
        if claims is None:
            return
        if path:
            _write_json(path, self.results(claims, config))
        if session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            session.exitstatus = self.exit_code(claims, config)
        report = config.getoption("conformance_report", None)
        if report:  # the class grader reads the mistakes named beside the report (nnspec.classroom)
            sub = self.submission(claims, config)
            _write_json(f"{report}.hints.json", {"hints": sub.hints, "updates": sub.updates})

    def exit_code(self, claims: dict[str, dict], config) -> pytest.ExitCode:
        """1 when the learner's report has a WRONG (its own or as the tutorial's), else 0: a failing test whose
        verdict is a note (a warning at inputs the tutorial never feeds) is not a failure of the program."""
        sub = self.submission(claims, config)
        table = rows(self.code.chapter, sub.claims, {}, self.tutorial())
        return pytest.ExitCode.TESTS_FAILED if any(r["word"] == "WRONG" for r in table) else pytest.ExitCode.OK

    def results(self, claims: dict[str, dict], config) -> dict:
        """Gradescope's results.json, as the class grader writes it for a class of one."""
        from nnspec import class_report, classroom, gradescope, grading

        sub = self.submission(claims, config)
        tutorial = self.tutorial() or sub.claims
        ids = classroom.chapter_claims(self.code.chapter, tutorial | sub.claims)
        table = class_report.Table(self.code.chapter, ids, tutorial, [sub], grading.default(self.code.chapter))
        return gradescope.results(table, sub)

    @pytest.hookimpl(tryfirst=True)
    def pytest_terminal_summary(self, terminalreporter):
        claims = self.claims()
        if not claims:
            return
        tr = terminalreporter
        tr.section(f"your code ({self.code.path.name}) against tutorial {self.code.chapter}, in its order", sep="=")
        sub = self.submission(claims, terminalreporter.config)
        width = max(tr._tw.fullwidth, 100)
        lines = report_lines(self.code, sub.claims, width=width, tutorial=self.tutorial(), hints=sub.hints)
        lines[2:2] = [f"note: {n}" for n in sub.notes]
        for line in lines:
            tr.write_line(line, red=line.startswith("WRONG"), green=line.startswith("right"))
