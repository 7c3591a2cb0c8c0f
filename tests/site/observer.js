// Injected into every HTML page the browser test serves: once the page has loaded, it writes what the
// browser laid out into <body data-layout>: image and formula sizes, anything wider than the window
// outside a scroll container, tables that need scrolling, and on the ledger what its filters show.
window.addEventListener("load", () => {
  const size = (r) => [Math.round(r.width), Math.round(r.height)];
  const width = document.documentElement.clientWidth;
  const scrolls = (e) => ["auto", "scroll", "hidden"].includes(getComputedStyle(e).overflowX);
  const inScroller = (e) => { for (let p = e.parentElement; p; p = p.parentElement) if (scrolls(p)) return true; return false; };
  const shown = (e) => e.offsetParent !== null || getComputedStyle(e).position === "fixed";
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && e.className.baseVal === undefined ? "." + e.className.split(" ")[0] : "");
  const wide = [...document.querySelectorAll(".md-main *")].filter(
    (e) => shown(e) && e.getBoundingClientRect().right > width + 1 && !inScroller(e)).slice(0, 5).map(name);
  const cut = [...document.querySelectorAll(".md-typeset__scrollwrap")].filter(
    (w) => shown(w) && w.scrollWidth > w.clientWidth + 1).map((w) => w.querySelector("thead") ? w.querySelector("thead").textContent.trim().replace(/\s+/g, " ").slice(0, 60) : "table");
  const report = {
    width: width,
    page_scrolls: document.documentElement.scrollWidth > width + 1,
    wide: wide,
    tables_scrolling: cut,
    images: [...document.images].map((i) => [i.naturalWidth, i.naturalHeight, i.complete]),
    math: [...document.querySelectorAll("math")].map((m) => size(m.getBoundingClientRect())),
  };
  const form = document.querySelector(".ledger-filter-form");
  if (form) {
    const rows = () => [...document.querySelectorAll(".md-typeset table tbody tr")].filter((r) => !r.hidden && r.cells[0].querySelector("a"));
    const verdict = form.querySelector("select[name=verdict]");
    report.filter = {selects: [...form.querySelectorAll("select")].map((s) => s.name), all: rows().length};
    verdict.value = "refuted";
    verdict.dispatchEvent(new Event("change"));
    report.filter.refuted = rows().length;
    report.filter.refuted_verdicts = [...new Set(rows().map((r) => r.cells[3].textContent.trim()))];
  }
  document.body.setAttribute("data-layout", JSON.stringify(report));
});
