// Filters for the claims ledger: one <select> per column named in the placeholder's data-columns,
// offered the values found in that column. Runs only where the placeholder is; builds its elements with
// createElement and textContent, so no text from the table is ever read as HTML.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector(".ledger-filters");
  if (!box) return;
  let table = box.nextElementSibling;
  while (table && !table.querySelector("table") && table.tagName !== "TABLE") table = table.nextElementSibling;
  if (!table) return;
  if (table.tagName !== "TABLE") table = table.querySelector("table");
  const headers = [...table.tHead.rows[0].cells].map((th) => th.textContent.trim());
  const rows = [...table.tBodies[0].rows];
  const text = (row, i) => row.cells[i].textContent.replace(/\s+/g, " ").trim();
  const selects = [];
  const form = document.createElement("form");
  form.className = "ledger-filter-form";
  const count = document.createElement("output");
  for (const name of box.dataset.columns.split(" ")) {
    const column = headers.indexOf(name);
    if (column < 0) continue;
    const label = document.createElement("label");
    label.textContent = name + " ";
    const select = document.createElement("select");
    select.name = name;
    const all = new Option("all", "");
    select.add(all);
    for (const value of [...new Set(rows.map((r) => text(r, column)))].sort()) select.add(new Option(value, value));
    select.addEventListener("change", apply);
    label.append(select);
    form.append(label);
    selects.push([select, column]);
  }
  form.append(count);
  box.replaceChildren(form);
  function apply() {
    let shown = 0;
    for (const row of rows) {
      const keep = selects.every(([s, column]) => !s.value || text(row, column) === s.value);
      row.hidden = !keep;
      shown += keep;
    }
    count.textContent = `${shown} of ${rows.length} claims`;
  }
  apply();
});
