// Injected into every HTML page the browser test serves: once the page has loaded (and its own scripts have
// run), it writes what the browser laid out into <body data-layout>: image and formula sizes, anything wider
// than the window outside a scroll container, boxes that scroll sideways with no visible sign of it, content
// cut by a box that hides its overflow, claim ids broken inside a word, tables that need scrolling, and on the
// ledger what its filters show.
// It measures a moment after the load event (after the page's own load handlers), then again with every folded
// block opened (after the page's own handlers of the toggle events).
const settled = (fn) => setTimeout(fn, 100);
const measure = () => {
  const size = (r) => [Math.round(r.width), Math.round(r.height)];
  const width = document.documentElement.clientWidth;
  const overflowX = (e) => getComputedStyle(e).overflowX;
  const scrolls = (e) => ["auto", "scroll", "hidden", "clip"].includes(overflowX(e));
  const inScroller = (e) => { for (let p = e.parentElement; p; p = p.parentElement) if (scrolls(p)) return true; return false; };
  // laid out and visible: not inside a folded block (Chromium keeps a closed <details>' content laid out)
  const folded = (e) => { const d = e.closest("details:not([open])"); return d && !e.closest("summary"); };
  const shown = (e) => (e.offsetParent !== null || getComputedStyle(e).position === "fixed") && !folded(e);
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && e.className.baseVal === undefined ? "." + e.className.split(" ")[0] : "");
  const what = (e) => name(e) + " “" + e.textContent.trim().replace(/\s+/g, " ").slice(0, 50) + "”";
  const content = [...document.querySelectorAll(".md-content *")].filter(shown);
  const wide = [...document.querySelectorAll(".md-main *")].filter(
    (e) => shown(e) && e.getBoundingClientRect().right > width + 1 && !inScroller(e)).slice(0, 5).map(name);
  const overflowing = content.filter((e) => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0);
  // a box that scrolls sideways must say so: the class scroll-hint.js gives it (a visible scrollbar and edge
  // shadow) and, for a table, the visible line above it
  const unsigned = overflowing.filter((e) => ["auto", "scroll"].includes(overflowX(e))).filter((e) => {
    if (!e.classList.contains("scrolls-x")) return true;
    if (!e.classList.contains("md-typeset__scrollwrap")) return false;
    const hint = e.previousElementSibling;
    return !(hint && hint.classList.contains("scroll-hint") && !hint.hidden && hint.getBoundingClientRect().height > 0);
  }).slice(0, 8).map(what);
  // content a box cuts off and nobody can scroll to (overflow hidden or clip); MathML's own boxes excepted
  const cut = overflowing.filter((e) => ["hidden", "clip"].includes(overflowX(e)) && !e.closest("math"))
    .filter((e) => e.scrollWidth > e.clientWidth + 4).slice(0, 8).map(what);
  // a claim id (NNN.words-with-hyphens) broken inside one of its words
  const broken = [];
  for (const code of document.querySelectorAll(".md-content code")) {
    const text = code.textContent;
    if (!/^\d{3}\.[a-z0-9][a-z0-9.-]*$/.test(text) || !shown(code)) continue;
    const node = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    const pieces = [];
    for (let t = node.nextNode(); t; t = node.nextNode()) {
      for (const m of t.data.matchAll(/[a-z0-9]+/g)) pieces.push([t, m.index, m.index + m[0].length]);
    }
    for (const [t, start, end] of pieces) {
      const range = document.createRange();
      range.setStart(t, start);
      range.setEnd(t, end);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) { broken.push(text); break; }
    }
  }
  const wraps = [...document.querySelectorAll(".md-typeset__scrollwrap")].filter(
    (w) => shown(w) && w.scrollWidth > w.clientWidth + 1).map((w) => w.querySelector("thead") ? w.querySelector("thead").textContent.trim().replace(/\s+/g, " ").slice(0, 60) : "table");
  return {
    width: width,
    page_scrolls: document.documentElement.scrollWidth > width + 1,
    wide: wide,
    unsigned_scrolling: unsigned,
    cut: cut,
    broken_ids: broken.slice(0, 8),
    tables_scrolling: wraps,
    images: [...document.images].map((i) => [i.naturalWidth, i.naturalHeight, i.complete]),
    math: [...document.querySelectorAll("math")].map((m) => size(m.getBoundingClientRect())),
  };
};
const union = (a, b) => [...new Set([...a, ...b])];
window.addEventListener("load", () => settled(() => { try {
  const report = measure();
  const form = document.querySelector(".ledger-filter-form");
  if (form) {
    const rows = () => [...document.querySelectorAll(".md-typeset table tbody tr")].filter((r) => !r.hidden && r.cells[0].querySelector("a"));
    const verdict = form.querySelector("select[name=verdict]");
    report.filter = {selects: [...form.querySelectorAll("select")].map((s) => s.name), all: rows().length};
    verdict.value = "refuted";
    verdict.dispatchEvent(new Event("change"));
    report.filter.refuted = rows().length;
    report.filter.refuted_verdicts = [...new Set(rows().map((r) => r.cells[3].textContent.trim()))];
    verdict.value = "";
    verdict.dispatchEvent(new Event("change"));
  }
  // then every folded block opened, as a reader opens them: what they hold must fit too
  document.querySelectorAll("details:not([open])").forEach((d) => { d.open = true; });
  settled(() => { try {
    const opened = measure();
    for (const key of ["wide", "unsigned_scrolling", "cut", "broken_ids"]) report[key] = union(report[key], opened[key]).slice(0, 8);
    report.page_scrolls = report.page_scrolls || opened.page_scrolls;
    document.body.setAttribute("data-layout", JSON.stringify(report));
  } catch (e) { document.body.setAttribute("data-layout", JSON.stringify({error: String(e)})); } });
} catch (e) { document.body.setAttribute("data-layout", JSON.stringify({error: String(e)})); } }));
