"""The built site in a real browser: headless Chromium with every host but 127.0.0.1 unreachable.

The site is served on 127.0.0.1 by http.server. Each HTML response gets one extra observer script that, once
the page has loaded, writes what the browser laid out into an attribute of <body>: the natural size of every
image and the rendered size of every <math> element. ``--dump-dom`` then prints the DOM with that attribute.
Screenshots are kept in test-artifacts/site/.
"""

from __future__ import annotations

import functools
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


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_head(self):
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
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def chromium(tmp_path, *args) -> subprocess.CompletedProcess:
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
            "--virtual-time-budget=10000",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=180,
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
PAGES = ["", "tutorials/001/", "tutorials/002/", "ledger/", "compliance/", "notebooks/activations/"]


@pytest.mark.parametrize("screen", SCREENS)
def test_pages_fit_the_screen_with_no_cut_off_content(served, tmp_path, screen):
    """Nothing is wider than the window outside a scroll container; on a desktop no table needs scrolling
    either (no column hidden). Screenshots of each page at each width are kept in test-artifacts/site/."""
    width, problems = SCREENS[screen], {}
    for url in PAGES:
        shot = f"{(url.strip('/') or 'home').replace('/', '-')}-{width}.png"
        _, report = open_page(tmp_path, served, url, shot, height=2400, width=width)
        assert abs(report["width"] - width) < 40, report["width"]  # the window is the width asked for
        found = report["wide"] + (["the page scrolls sideways"] if report["page_scrolls"] else [])
        if width >= 1280:
            found += [f"table scrolls: {t}" for t in report["tables_scrolling"]]
        if found:
            problems[url or "home"] = found
    assert not problems, f"content cut off at {width} px: {problems}"


def test_the_ledger_filters_in_the_page(served, tmp_path):
    _, report = open_page(tmp_path, served, "ledger/", "ledger-filtered.png", height=2400)
    f = report.get("filter")
    assert f, "the ledger's filters did not load"
    assert f["selects"] == ["tutorial", "verdict", "cause"]
    assert f["all"] == len(load_claims())
    refuted = sum(c.verdict == "refuted" for c in load_claims().values())
    assert f["refuted"] == refuted and all(v.startswith("refuted") for v in f["refuted_verdicts"]), f
