"""A folder of learners' programs graded as a class: ``python -m nnspec.classroom grade NNN FOLDER``.

(``pytest --tutorial-code NNN=FOLDER`` hands over to this command.) Every ``.py`` and ``.ipynb`` in
FOLDER is one submission. The teacher's folder is only read: each submission is copied (a notebook
converted, :mod:`nnspec.notebook`) into a temporary folder of its own, and graded there.

Paid once: this process imports pytest, NumPy, SymPy and the chapter's specification, and runs the
tutorial's own code (``nnspec/shapes/own_code/seedNNN.py``: reference_nn.tutorials in the learner's
shape) through the same checks first (run by this process, its program behind the wire like theirs);
that baseline also warms every cache the checks share. Each submission is then graded in a *forked*
copy of this warm process (``os.fork``, after ``gc.freeze``; ``JOBS`` copies at a time, one per CPU),
which runs the chapter's checks with ``pytest.main`` on that submission alone: nothing is imported or
collected twice. The submission's code itself runs behind the wire (nnspec.wire, in the
box) as in every validation run, so ``os._exit``, an endless method or endless printing costs only
the calls that reach it; the fork contains the rest: it is killed at ``SUBMISSION_LIMIT`` seconds, it
works in a folder of its own, its files are capped by ``RLIMIT_FSIZE``. (``--in-process`` runs the
submissions in the fork itself, without wire and box: faster, for trusted code only.)

Each claim of a submission gets one cell (:data:`CELLS`): ``right``, ``wrong``, ``wrong-as-tutorial``
(the tutorial's own code fails the same check for the same cause: :func:`same_cause`),
``not-checked`` or ``error``. :mod:`nnspec.class_report` writes the CSV and the Markdown report,
:mod:`nnspec.gradescope` the results.json files, :mod:`nnspec.grading` reads the teacher's choices.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from nnspec import content, notebook
from nnspec.outcomes import FAILING, Outcome

ROOT = content.ROOT
SUBMISSION_LIMIT = 120.0  # seconds for one submission's whole check (the tutorials' own take about 1 s warm)
TEST_LIMIT = float(os.environ.get("REFERENCE_NN_CLASS_TEST_LIMIT", 20.0))  # seconds per test (pytest-timeout)
OUTPUT_LIMIT = 64 * 2**20  # bytes a submission's check may write to any file (its output included)
SUFFIXES = (".py", ".ipynb")
JOBS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
IN_PROCESS = False  # --in-process: submissions run in the forked grader itself (no wire, no box): trusted code only

#: the cells of the class table, in the order a teacher reads them
CELLS = ("right", "wrong", "wrong-as-tutorial", "not-checked", "error")
NOT_CHECKED = {Outcome.NOT_IMPLEMENTED, Outcome.NOT_ABOUT, Outcome.REFERENCE_ONLY, Outcome.SKIPPED}

#: A failure whose whole cause is the sigmoid's exp overflowing at inputs the tutorial never feeds (-1000:
#: the value is still right, 1/(1+inf) = 0, with a warning) is protocol strictness, not what the claim
#: says: a note, not a WRONG. Other warnings (log(0), a softmax's power overflowing) stay failures.
FLOAT_WARNING = re.compile(r"^RuntimeWarning: overflow encountered in exp\b")


@dataclass
class Submission:
    name: str  # the file's name in the teacher's folder
    program: Path  # the copy that is graded
    notes: list[str] = field(default_factory=list)
    status: str = "graded"  # graded | refused | crashed | timed out | unreadable
    message: str = ""
    claims: dict[str, dict] = field(default_factory=dict)  # the conformance report's claims
    seconds: float = 0.0
    hints: list[str] = field(default_factory=list)  # the mistakes recognised (nnspec.mistakes), notes included
    updates: dict[str, str | None] = field(default_factory=dict)  # nnspec.mistakes.update_verdicts


def discover(folder: Path) -> list[Path]:
    """The submissions of a class folder: its .py and .ipynb files, by name (hidden files aside)."""
    return sorted(
        p for p in Path(folder).iterdir() if p.is_file() and p.suffix in SUFFIXES and not p.name.startswith(".")
    )


def prepare(path: Path, workdir: Path) -> Submission:
    """Copy one submission into a folder of its own under ``workdir`` (a notebook as its program)."""
    own = Path(tempfile.mkdtemp(prefix="submission-", dir=workdir))
    program = own / (Path(path).stem + ".py")
    sub = Submission(Path(path).name, program)
    try:
        if path.suffix == ".ipynb":
            sub.notes = notebook.convert(path, program)
        else:
            shutil.copyfile(path, program)
    except (OSError, UnicodeDecodeError, notebook.NotebookError) as exc:
        sub.status, sub.message = "unreadable", str(exc)
    return sub


def _pytest_args(chapter: str, program: Path, report: Path) -> list[str]:
    return [
        str(content.SPEC / f"test_seed{chapter}.py"),
        "--rootdir",
        str(ROOT),
        "-c",
        str(ROOT / "pyproject.toml"),
        "-p",
        "no:cacheprovider",
        "-q",
        "--tb=no",
        "--no-header",
        "-n",
        "0",
        "--timeout",
        str(TEST_LIMIT),
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",  # the spec modules are already imported (and rewritten)
        "--tutorial-code",
        f"{chapter}={program}",
        "--conformance-report",
        str(report),
    ]


def run_check(chapter: str, program: Path, in_process: bool = False) -> tuple[int, Path, Path]:
    """The chapter's checks on ``program`` (behind the wire, in the box, unless ``in_process``), run by this
    process with the program's folder as working directory."""
    import pytest

    folder = program.parent
    report, log = folder.parent / f"{folder.name}.report", folder.parent / f"{folder.name}.log"
    here = os.getcwd()
    os.chdir(folder)
    try:
        code = pytest.main(_pytest_args(chapter, program, report) + (["--in-process"] if in_process else []))
    finally:
        os.chdir(here)
    return int(code), report, log


def _child(chapter: str, program: Path) -> None:
    """In the forked copy: its own process group, no terminal, capped files; never returns."""
    code = 70
    try:
        os.setpgrp()
        log = program.parent.parent / f"{program.parent.name}.log"
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        sys.stdin = open(os.devnull)  # noqa: SIM115 - input() reads end-of-file
        resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_LIMIT, OUTPUT_LIMIT))
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
        os.environ["MPLBACKEND"] = "Agg"  # plt.show() draws nothing and returns
        code, _, _ = run_check(chapter, program, in_process=IN_PROCESS)
    except BaseException:  # noqa: BLE001 - whatever happens, the copy ends here
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _read_report(sub: Submission, code: int, report: Path, log: Path) -> None:
    text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
    errors = [line.removeprefix("ERROR: ") for line in text.splitlines() if line.startswith("ERROR: ")]
    path = report.parent / (report.name + ".json")
    if path.is_file():
        sub.claims = json.loads(path.read_text(encoding="utf-8"))["claims"]
    hints = report.parent / (report.name + ".hints.json")  # written by the check (nnspec.tutorial_code)
    if hints.is_file():
        doc = json.loads(hints.read_text(encoding="utf-8"))
        sub.hints, sub.updates = [str(h) for h in doc["hints"]], dict(doc["updates"])
    from nnspec.mistakes import from_reasons

    sub.hints += from_reasons(sub.claims)
    decide_update_claims(sub)
    if code == 4 or (not sub.claims and errors):
        sub.status, sub.message = "refused", errors[0] if errors else f"the check stopped (exit {code})"
    elif not sub.claims:
        sub.status = "crashed"
        sub.message = f"its process ended with exit code {code} before the check could report (os._exit in its code?)"
        if code == 70:
            sub.message = "the check itself failed: " + _tail(text)


def _tail(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text[-limit:] if text else "(no output)"


@dataclass
class _Running:
    """A submission whose check runs in a forked copy of this process."""

    sub: Submission
    pid: int
    start: float


def _fork(chapter: str, sub: Submission) -> _Running:
    """Start grading one prepared submission in a forked copy of this process (see the module docstring)."""
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # the warm heap is shared, not collected again in each copy (pytest gc.collect()s at its end)
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(chapter, sub.program)
    return _Running(sub, pid, start)


def _reap(run: _Running, limit: float) -> bool:
    """Whether the check of ``run`` is over (finished, or stopped at ``limit`` seconds); its verdict is read then."""
    sub = run.sub
    done, status = os.waitpid(run.pid, os.WNOHANG)
    if not done:
        if time.monotonic() - run.start < limit:
            return False
        _kill_group(run.pid)
        os.waitpid(run.pid, 0)
        sub.status, sub.message = "timed out", f"its check did not finish in {limit:g} s and was stopped"
        sub.seconds = time.monotonic() - run.start
        return True
    _kill_group(run.pid)  # anything it started and left behind
    sub.seconds = time.monotonic() - run.start
    folder = sub.program.parent
    report, log = folder.parent / f"{folder.name}.report", folder.parent / f"{folder.name}.log"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        why = (
            f"it wrote more than {OUTPUT_LIMIT // 2**20} MB (printing without end?)"
            if sig == signal.SIGXFSZ
            else f"killed by signal {signal.Signals(sig).name}"
        )
        sub.status, sub.message = "crashed", f"its check was stopped: {why}"
        return True
    _read_report(sub, os.WEXITSTATUS(status), report, log)
    return True


def grade_all(chapter: str, subs: list[Submission], limit: float = SUBMISSION_LIMIT, jobs: int = 1, done=None):
    """Grade prepared submissions, ``jobs`` forked checks at a time (each stopped at ``limit`` seconds);
    ``done(sub)`` is called as each one ends. A submission that is not ``graded`` (unreadable) is not run."""
    done = done or (lambda sub: None)
    waiting, running = list(subs), []
    while waiting or running:
        while waiting and len(running) < max(1, jobs):
            sub = waiting.pop(0)
            if sub.status != "graded":
                done(sub)
                continue
            running.append(_fork(chapter, sub))
        for run in [r for r in running if _reap(r, limit)]:
            running.remove(run)
            done(run.sub)
        if running:
            time.sleep(0.01)
    return subs


def grade_one(chapter: str, sub: Submission, limit: float = SUBMISSION_LIMIT) -> Submission:
    """Grade one prepared submission in a forked copy of this process."""
    return grade_all(chapter, [sub], limit)[0]


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def baseline(chapter: str, workdir: Path) -> dict[str, dict]:
    """The tutorial's own code (reference_nn/tutorials/seedNNN.py) through the same shape and checks,
    run by this process (it warms the imports and caches every submission shares), its program behind the
    wire as every submission's is (unless --in-process), so that the same cause reads the same."""
    os.environ[BASELINE_ENV] = "1"
    source = Path(__file__).resolve().parent / "shapes" / "own_code" / f"seed{chapter}.py"
    sub = prepare(source, workdir)
    sub.name = f"the tutorial's own code ({source.name})"
    stdout, stderr = os.dup(1), os.dup(2)
    log = sub.program.parent.parent / f"{sub.program.parent.name}.log"
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    try:
        # the same path as every submission (behind the wire unless --in-process): the same causes, worded alike
        code, report, log = run_check(chapter, sub.program, in_process=IN_PROCESS)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(stdout, 1)
        os.dup2(stderr, 2)
    _read_report(sub, code, report, log)
    if sub.status != "graded":
        raise RuntimeError(f"the tutorial's own code could not be checked: {sub.message}")
    return sub.claims


BASELINE_ENV = "REFERENCE_NN_TUTORIAL_BASELINE"  # set while the tutorial's own code is being checked


def _digest() -> str:
    import hashlib

    h = hashlib.sha256()
    for top in ("nnspec", "tests/spec", "tests/claims", "tests/golden", "reference_nn"):
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
    return h.hexdigest()[:16]


def baseline_claims(chapter: str) -> dict[str, dict] | None:
    """The tutorial's own code's claims, for a single learner check: computed once per state of the
    checkout (a separate process, cached under the user's cache folder), None while computing it."""
    if os.environ.get(BASELINE_ENV):
        return None
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "reference_nn"
    path = cache / f"tutorial-{chapter}-{_digest()}.json"
    if not path.is_file():
        import subprocess

        cache.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, BASELINE_ENV: "1"}
        done = subprocess.run(
            [sys.executable, "-m", "nnspec.classroom", "baseline", chapter, str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0 or not path.is_file():
            return None
    return json.loads(path.read_text(encoding="utf-8"))


# ---- judging one claim -------------------------------------------------------------------------------------

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def same_cause(reason: str, tutorial_reason: str, rtol: float = 1e-3) -> bool:
    """Whether two failure reasons are the same failure: the same words, and numbers equal to 3 digits.

    The check feeds the learner's code and the tutorial's the same inputs, so the same mistake gives the
    same message with the same numbers (up to the rounding of a formula written differently); another
    mistake failing the same assertion gives other numbers."""
    if _NUMBER.sub("#", reason) != _NUMBER.sub("#", tutorial_reason):
        return False
    ours, theirs = _NUMBER.findall(reason), _NUMBER.findall(tutorial_reason)
    return all(
        abs(float(a) - float(b)) <= rtol * max(abs(float(a)), abs(float(b)), 1e-12) for a, b in zip(ours, theirs)
    )


def cell(entry: dict | None, tutorial: dict | None) -> tuple[str, str]:
    """(the cell, a note) for one claim of a submission, given the same claim on the tutorial's code."""
    if entry is None:
        return "not-checked", "not run"
    outcome = entry["outcome"]
    if outcome == Outcome.PASSED:
        return "right", ""
    if outcome == Outcome.ERRORED:
        return "error", entry.get("reason", "")
    if outcome in NOT_CHECKED or outcome not in FAILING:
        return "not-checked", entry.get("reason", "")
    reason = entry.get("reason", "")
    if FLOAT_WARNING.match(reason):
        return "right", f"note (not graded): {reason}"
    if tutorial and tutorial["outcome"] in FAILING and same_cause(reason, tutorial.get("reason", "")):
        return "wrong-as-tutorial", reason
    return "wrong", reason


def judged(sub: Submission, tutorial: dict[str, dict], claim_ids: list[str]) -> dict[str, tuple[str, str]]:
    """{claim id: (cell, note)} for every claim of the chapter; a submission not judged is ``error`` throughout."""
    if sub.status != "graded":
        return {cid: ("error", sub.message) for cid in claim_ids}
    return {cid: cell(sub.claims.get(cid), tutorial.get(cid)) for cid in claim_ids}


def decide_update_claims(sub: Submission) -> None:
    """The claims no test of the shape decides, decided by what the program does and holds: the update claims
    a shape without a loss leaves unchecked, by the update step itself (nnspec.mistakes), and the data claims,
    by its data (nnspec.data_claims). None is right, a reason starting with "note: " right with that note,
    one starting with "not checked: " not checked, any other reason WRONG."""
    for cid, wrong in sub.updates.items():
        entry = sub.claims.get(cid, {"outcome": str(Outcome.NOT_IMPLEMENTED)})
        if entry["outcome"] in NOT_CHECKED:
            if wrong and wrong.startswith("not checked: "):
                outcome, wrong = Outcome.NOT_IMPLEMENTED, wrong.removeprefix("not checked: ")
            elif wrong and not wrong.startswith("note: "):
                outcome = Outcome.FAILED
            else:
                outcome = Outcome.PASSED
            sub.claims[cid] = {**entry, "outcome": str(outcome), "reason": wrong or ""}


# ---- the class ---------------------------------------------------------------------------------------------


def chapter_claims(chapter: str, tutorial: dict[str, dict]) -> list[str]:
    """The chapter's claims the check runs, in the tutorial's order."""
    from nnspec.registry import load_claims

    return [cid for cid, c in load_claims().items() if c.tutorial == chapter and cid in tutorial]


def grade_class(
    chapter: str, folder: Path, *, progress=None, limit: float = SUBMISSION_LIMIT, workdir=None, jobs: int = 1
):
    """(the tutorial's own claims, the claim ids, the graded submissions) for a class folder."""
    progress = progress or (lambda text: None)
    files = discover(folder)
    with tempfile.TemporaryDirectory(prefix="class-", dir=workdir) as tmp:
        tmp = Path(tmp)
        started = time.monotonic()
        progress(f"the tutorial's own code (tutorial {chapter}) through the same checks ...")
        tutorial = baseline(chapter, tmp)
        progress(f"  done in {time.monotonic() - started:.1f} s; {len(files)} submissions to grade")
        claim_ids = chapter_claims(chapter, tutorial)
        width, finished = len(str(len(files))), []

        def done(sub: Submission) -> None:
            finished.append(sub)
            cells = judged(sub, tutorial, claim_ids)
            counts = {c: sum(v[0] == c for v in cells.values()) for c in CELLS}
            said = sub.status if sub.status != "graded" else ", ".join(f"{n} {c}" for c, n in counts.items() if n)
            progress(f"[{len(finished):>{width}}/{len(files)}] {sub.name}: {said} ({sub.seconds:.1f} s)")

        subs = grade_all(chapter, [prepare(path, tmp) for path in files], limit, jobs, done)
        return tutorial, claim_ids, subs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnspec.classroom", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser("grade", help="grade every .py and .ipynb of FOLDER against tutorial NNN")
    grade.add_argument("chapter", choices=["000", "001", "002", "003", "004"])
    grade.add_argument("folder", type=Path)
    grade.add_argument("--class-report", metavar="PATH", help="write PATH.csv and PATH.md")
    grade.add_argument("--gradescope-results", metavar="DIR", help="write DIR/<submission>/results.json for each")
    grade.add_argument("--config", metavar="YAML", help="the teacher's grading choices (nnspec.grading)")
    grade.add_argument("--limit", type=float, default=SUBMISSION_LIMIT, help="seconds per submission")
    grade.add_argument(
        "--in-process",
        action="store_true",
        help="run each submission inside its forked grader, without the wire and the box (trusted code only: faster)",
    )
    grade.add_argument(
        "--jobs", type=int, default=JOBS, help=f"submissions checked at a time (default: the CPUs, {JOBS})"
    )
    grade.add_argument("--test-limit", type=float, default=TEST_LIMIT, help="seconds per test of a submission")
    base = commands.add_parser("baseline", help="write the tutorial's own code's claims as JSON")
    base.add_argument("chapter", choices=["000", "001", "002", "003", "004"])
    base.add_argument("out")
    bundle = commands.add_parser("bundle", help="write a Gradescope autograder zip from a grading config")
    bundle.add_argument("config")
    bundle.add_argument("out")
    args = parser.parse_args(argv)
    from nnspec import class_report, gradescope, grading

    if args.command == "baseline":
        os.chdir(ROOT)
        with tempfile.TemporaryDirectory() as tmp:
            claims = baseline(args.chapter, Path(tmp))
        part = Path(args.out).with_suffix(".part")
        part.write_text(json.dumps(claims, indent=1), encoding="utf-8")
        part.replace(args.out)
        return 0
    if args.command == "bundle":
        grading.bundle(grading.load(args.config), Path(args.out))
        print(f"wrote {args.out}")
        return 0
    if not args.folder.is_dir():
        parser.error(f"no such folder {args.folder}")
    config = grading.load(args.config) if args.config else grading.default(args.chapter)
    globals()["TEST_LIMIT"] = args.test_limit  # read by _pytest_args in every forked check
    globals()["IN_PROCESS"] = args.in_process
    os.chdir(ROOT)
    tutorial, claim_ids, subs = grade_class(
        args.chapter,
        args.folder.resolve(),
        progress=lambda t: print(t, file=sys.stderr, flush=True),
        limit=args.limit,
        jobs=args.jobs,
    )
    table = class_report.Table(args.chapter, claim_ids, tutorial, subs, config)
    if args.class_report:
        for path in class_report.write(table, args.class_report):
            print(f"wrote {path}", file=sys.stderr)
    if args.gradescope_results:
        for sub in subs:
            target = Path(args.gradescope_results) / Path(sub.name).stem / "results.json"
            gradescope.write(target, gradescope.results(table, sub))
        print(f"wrote {len(subs)} results.json under {args.gradescope_results}", file=sys.stderr)
    for line in class_report.summary_lines(table):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
