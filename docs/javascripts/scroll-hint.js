// Makes sideways scrolling visible: every table wrapper, code block, display formula and notebook cell that is
// wider than its box gets the class "scrolls-x" (site.css then shows its scrollbar and a shadow at the edge that hides
// more), and a wide table gets a line above it saying that it scrolls and how many columns are out of view.
// Re-checked on resize, when a folded block opens, when a box's content changes size, and as the reader scrolls. No library, no network; text is set with textContent.
(() => {
  // every box of the page's content that can scroll sideways (tables, code, formulas, notebook cells)
  const scrollers = () => [...document.querySelectorAll(".md-content *")].filter(
    (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX));

  const hidden = (wrap) => {
    const right = wrap.getBoundingClientRect().right;
    const row = wrap.querySelector("tr");
    return row ? [...row.cells].filter((c) => c.getBoundingClientRect().right > right + 1).length : 0;
  };

  const mark = (el) => {
    const scrolls = el.scrollWidth > el.clientWidth + 1;
    el.classList.toggle("scrolls-x", scrolls);
    el.classList.toggle("at-start", scrolls && el.scrollLeft <= 1);
    el.classList.toggle("at-end", scrolls && el.scrollLeft + el.clientWidth >= el.scrollWidth - 1);
    if (!el.classList.contains("md-typeset__scrollwrap")) return;
    let hint = el.previousElementSibling;
    if (!hint || !hint.classList.contains("scroll-hint")) {
      if (!scrolls) return;
      hint = document.createElement("p");
      hint.className = "scroll-hint";
      el.before(hint);
    }
    hint.hidden = !scrolls;
    if (scrolls) {
      const n = hidden(el);
      hint.textContent = n ? `This table scrolls sideways: ${n} more column${n > 1 ? "s" : ""} to the right →` :
        "This table scrolls sideways ←";
    }
  };

  let boxes = [];
  const markAll = () => boxes.forEach(mark);
  window.addEventListener("load", () => {
    boxes = scrollers();
    markAll();
    boxes.forEach((el) => el.addEventListener("scroll", () => mark(el), {passive: true}));
    // a folded block opened: the boxes in it are laid out now
    document.addEventListener("toggle", (e) => {
      if (e.target.open) e.target.querySelectorAll(".scroll-watched").forEach(mark);
    }, true);
    // a box's content can change its width after load (a formula laid out late, a folded block opened)
    if (window.ResizeObserver) {
      const watch = new ResizeObserver((entries) => entries.forEach((e) => {
        const box = e.target.closest(".scroll-watched");
        if (box) mark(box);
      }));
      boxes.forEach((el) => {
        el.classList.add("scroll-watched");
        watch.observe(el);
        if (el.firstElementChild) watch.observe(el.firstElementChild);
      });
    }
  });
  window.addEventListener("resize", markAll);
})();
