"""The built site in a real browser: headless Chromium with every host but 127.0.0.1 unreachable.

The site is served on 127.0.0.1 by http.server. Each HTML response gets one extra observer script that, once
the page has loaded, writes what the browser laid out into an attribute of <body>: the natural size of every
image and the rendered size of every <math> element. ``--dump-dom`` then prints the DOM with that attribute.
Screenshots are kept in test-artifacts/site/.
"""

from __future__ import annotations

import functools
import html
import io
import json
import re
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from nnspec import content
from nnspec.registry import load_claims
from tests.site.html_scan import RAW_TEX, parse

pytestmark = pytest.mark.site
ROOT = content.ROOT
ARTIFACTS = ROOT / "test-artifacts" / "site"
CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and Path(p).exists()), None)

OBSERVER = b"<script>" + (Path(__file__).with_name("observer.js")).read_bytes() + b"</script>"


# The page in an iframe of the given width; the frame's layout report is copied onto this page's body.
SCREEN = b"""<!doctype html><html><body style="margin:0">
<iframe src="/URL" style="width:WIDTHpx;height:2400px;border:0;display:block"></iframe>
<script>
const frame = document.querySelector("iframe");
const copy = () => {
  const report = frame.contentDocument && frame.contentDocument.body.getAttribute("data-layout");
  if (report) document.body.setAttribute("data-layout", report); else setTimeout(copy, 50);
};
frame.addEventListener("load", copy);
</script></body></html>"""
MIN_WINDOW = 500  # narrower windows are laid out at this width by headless Chromium


class _Base(str):
    """The server's base URL, with the built site's directory and extra pages served from memory."""

    site: str
    extra: dict


class _Handler(SimpleHTTPRequestHandler):
    extra: dict = {}

    def log_message(self, *args):
        pass

    def send_head(self):
        if self.path in self.extra:
            return self._send(self.extra[self.path])
        screen = re.match(r"/__screen__/(\d+)/(.*)", self.path)
        if screen:  # a phone-width frame around the page: headless Chromium's window is never below 500 px
            return self._send(
                SCREEN.replace(b"WIDTH", screen.group(1).encode()).replace(b"URL", screen.group(2).encode())
            )
        path = Path(self.translate_path(self.path))
        if self.path.endswith("/") and path.is_dir():
            path = path / "index.html"
        if path.suffix != ".html" or not path.is_file():
            return super().send_head()
        return self._send(path.read_bytes().replace(b"</body>", OBSERVER + b"</body>"))

    def _send(self, data: bytes):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


@pytest.fixture(scope="module")
def served(request):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install -y chromium)")
    site = request.getfixturevalue("site")
    extra: dict[str, bytes] = {}
    handler = type("Handler", (_Handler,), {"extra": extra})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = _Base(f"http://127.0.0.1:{server.server_address[1]}")
    base.site, base.extra = str(site), extra
    yield base
    server.shutdown()
    server.server_close()


def chromium(tmp_path, *args, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # no network but this server
            *(() if any(a.startswith("--virtual-time-budget") for a in args) else ("--virtual-time-budget=10000",)),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _not_blank(png: Path) -> bool:
    """More than 2% of the screenshot's pixels differ from its most common colour."""
    from matplotlib.image import imread

    rgb = np.round(imread(png)[..., :3] * 255).astype(np.int64).reshape(-1, 3)
    codes = rgb @ np.array([65536, 256, 1])
    return (codes != np.bincount(codes).argmax()).mean() > 0.02


def open_page(tmp_path, base: str, url: str, shot: str, height: int = 1800, width: int = 1280) -> tuple[str, dict]:
    """(the DOM after load, the observer's layout report); keeps a screenshot in test-artifacts/site/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if width < MIN_WINDOW:
        url, width = f"__screen__/{width}/{url}", MIN_WINDOW
    dom = chromium(tmp_path, f"--window-size={width},{height}", "--dump-dom", f"{base}/{url}")
    assert dom.returncode == 0, dom.stderr[-2000:]
    shot_run = chromium(
        tmp_path, f"--window-size={width},{height}", f"--screenshot={ARTIFACTS / shot}", f"{base}/{url}"
    )
    assert shot_run.returncode == 0, shot_run.stderr[-2000:]
    assert _not_blank(ARTIFACTS / shot), f"the screenshot of {url} is blank"
    m = re.search(r'data-layout="([^"]*)"', dom.stdout)
    assert m, f"{url}: the page did not finish loading (no layout report in the DOM)"
    report = json.loads(m.group(1).replace("&quot;", '"'))
    return dom.stdout, report


def _rendered_math(report) -> list:
    return [wh for wh in report["math"] if wh[0] > 0 and wh[1] > 0]


def test_a_chapter_renders_its_math_in_the_browser(served, tmp_path):
    base = served
    tutorial = next(c.tutorial for c in load_claims().values() if "symbolic" in c.oracles)
    dom, report = open_page(tmp_path, base, f"tutorials/{tutorial}/", f"chapter-{tutorial}.png", height=3000)
    assert report["math"], "no <math> element on the chapter"
    assert len(_rendered_math(report)) == len(report["math"]), "some formulas were laid out with no size"
    assert not RAW_TEX.findall("".join(parse(dom).text))


def test_a_notebook_page_shows_its_plots_and_math_in_the_browser(served, tmp_path):
    base = served
    dom, report = open_page(tmp_path, base, "notebooks/activations/", "notebook-activations.png")
    plots = [img for img in report["images"] if img[0] > 100 and img[1] > 100 and img[2]]
    assert len(plots) >= 3, f"expected the notebook's plots to load, got image sizes {report['images']}"
    assert report["math"] and len(_rendered_math(report)) == len(report["math"])
    assert not RAW_TEX.findall("".join(parse(dom).text))


SCREENS = {"desktop": 1280, "phone": 390}
# one page of every kind, screenshotted at both widths (test-artifacts/site/<kind>-<width>.png)
PAGE_KINDS = {
    "home": "",
    "chapter": "tutorials/002/",
    "corrected-edition": "editions/003/",
    "ledger": "ledger/",
    "compliance": "compliance/",
    "notebook": "notebooks/activations/",
    "test-source": "source/tests/spec/test_seed000/",
    "check-your-code": "check_your_code/",
    "implementers": "implementers/",
    "teeth": "teeth/",
    "benchmarks": "benchmarks/",
    "rubric": "rubric/",
    "design": "design/",
    "api": "api/",
}

# Every page of the site laid out in turn in a frame of the given width, in one browser run; the frames'
# layout reports are gathered onto this page's body.
ALL_PAGES = b"""<!doctype html><html><body style="margin:0">
<iframe style="width:WIDTHpx;height:2400px;border:0;display:block"></iframe>
<script>
const frame = document.querySelector("iframe");
const urls = URLS;
const reports = {};
let i = -1, waited = 0;
const next = () => {
  i += 1;
  waited = 0;
  if (i >= urls.length) { document.body.setAttribute("data-layout", JSON.stringify(reports)); return; }
  frame.src = "/" + urls[i];
};
const copy = () => {
  const body = frame.contentDocument && frame.contentDocument.body;
  const report = body && body.getAttribute("data-layout");
  if (report) { reports[urls[i]] = JSON.parse(report); document.body.setAttribute("data-done", i + 1); next(); }
  else if (++waited > 2400) { reports[urls[i]] = {error: "no layout report after 120 s"}; next(); }
  else setTimeout(copy, 50);
};
frame.addEventListener("load", copy);
next();
</script></body></html>"""


PAGES_PER_RUN = 6  # pages laid out per browser run: each run has its own (virtual) time budget


def layout_reports(served, tmp_path, urls: list[str], width: int) -> dict[str, dict]:
    """{url: layout report} of the pages, laid out one after another in one browser run."""
    served.extra["/__all__.html"] = ALL_PAGES.replace(b"WIDTH", str(width).encode()).replace(
        b"URLS", json.dumps(urls).encode()
    )
    dom = chromium(
        tmp_path,
        f"--window-size={max(width, MIN_WINDOW)},2400",
        "--virtual-time-budget=300000",
        "--dump-dom",
        f"{served}/__all__.html",
        timeout=600,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    m = re.search(r'data-layout="([^"]*)"', dom.stdout)
    done = re.search(r'data-done="(\d+)"', dom.stdout)
    at = urls[int(done.group(1))] if done and int(done.group(1)) < len(urls) else urls[0]
    assert m, f"the pages did not all finish loading (no layout reports in the DOM): stopped at {at!r}"
    return json.loads(html.unescape(m.group(1)))


def every_page(site: Path) -> list[str]:
    """The URL of every HTML page of the built site (404 excepted)."""
    return sorted(
        p.parent.relative_to(site).as_posix() + "/" if p.parent != site else "" for p in site.rglob("index.html")
    )


def problems_of(report: dict, width: int) -> list[str]:
    """What a page's layout report shows cut off or unreadable at this width."""
    if "error" in report:
        return [f"the page could not be checked: {report['error']}"]
    found = [f"wider than the window: {w}" for w in report["wide"]]
    found += ["the page scrolls sideways"] if report["page_scrolls"] else []
    found += [f"scrolls with no visible sign: {w}" for w in report["unsigned_scrolling"]]
    found += [f"cut off (overflow hidden): {w}" for w in report["cut"]]
    found += [f"claim id broken inside a word: {w}" for w in report["broken_ids"]]
    return found


@pytest.mark.parametrize("screen", SCREENS)
def test_every_page_fits_the_screen_with_nothing_cut_off(served, tmp_path, screen):
    """On every page at 390 and 1280 px: nothing is wider than the window outside a scroll container, a box
    that scrolls sideways says so visibly, nothing is cut by a box that hides its overflow, and no claim id is
    broken inside a word; at 1280 px the ledger's table fits without scrolling."""
    width = SCREENS[screen]
    site = Path(served.site)
    urls = every_page(site)
    reports = {}
    for start in range(0, len(urls), PAGES_PER_RUN):
        reports.update(layout_reports(served, tmp_path, urls[start : start + PAGES_PER_RUN], width))
    assert sorted(reports) == urls, f"pages without a report: {sorted(set(urls) - set(reports))}"
    problems = {}
    for url, report in reports.items():
        found = problems_of(report, width)
        if "width" in report and abs(report["width"] - width) >= 40:  # the frame is the width asked for
            found.append(f"laid out at {report['width']} px")
        if width >= 1280 and url == "ledger/":  # the ledger's columns are its point: all in view on a desktop
            found += [f"table scrolls at 1280 px: {t}" for t in report["tables_scrolling"]]
        if found:
            problems[url or "home"] = found
    assert not problems, f"{len(problems)} of {len(urls)} pages have content cut off at {width} px: " + "\n".join(
        f"{url}: {found}" for url, found in sorted(problems.items())
    )


@pytest.mark.parametrize("screen", SCREENS)
def test_every_kind_of_page_is_screenshotted_at_both_widths(served, tmp_path, screen):
    """A screenshot of one page of each kind (test-artifacts/site/<kind>-<width>.png), not blank, to look at."""
    width, blank = SCREENS[screen], []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for kind, url in PAGE_KINDS.items():
        shot = ARTIFACTS / f"{kind}-{width}.png"
        framed = f"__screen__/{width}/{url}" if width < MIN_WINDOW else url
        run = chromium(
            tmp_path, f"--window-size={max(width, MIN_WINDOW)},2400", f"--screenshot={shot}", f"{served}/{framed}"
        )
        assert run.returncode == 0, run.stderr[-2000:]
        if not _not_blank(shot):
            blank.append(kind)
    assert not blank, f"blank screenshots: {blank}"


def test_the_ledger_filters_in_the_page(served, tmp_path):
    _, report = open_page(tmp_path, served, "ledger/", "ledger-filtered.png", height=2400)
    f = report.get("filter")
    assert f, "the ledger's filters did not load"
    assert f["selects"] == ["tutorial", "verdict", "cause"]
    assert f["all"] == len(load_claims())
    refuted = sum(c.verdict == "refuted" for c in load_claims().values())
    assert f["refuted"] == refuted and all(v.startswith("refuted") for v in f["refuted_verdicts"]), f
