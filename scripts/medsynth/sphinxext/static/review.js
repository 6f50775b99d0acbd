// Adds a "Copy" button to every BibTeX snippet of the review's tables and references.
document.addEventListener("DOMContentLoaded", () => {
  for (const block of document.querySelectorAll("details.review-bibtex")) {
    const pre = block.querySelector("code.review-bibtex-source");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "review-copy";
    button.textContent = "Copy";
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(pre.textContent);
        button.textContent = "Copied";
      } catch (error) {
        const range = document.createRange();
        range.selectNodeContents(pre);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        button.textContent = "Selected: press Ctrl+C";
      }
      setTimeout(() => { button.textContent = "Copy"; }, 2000);
    });
    block.appendChild(button);
  }
});

// Filters and sorting for the citation tables. Without JavaScript (and in the PDF) the tables
// stay plain; the facets come from the rows' classes (family-*, eval-*, year-*, coding-*).
function reviewFacet(rows, prefix) {
  const values = new Set();
  for (const row of rows) {
    for (const name of row.classList) {
      if (name.startsWith(prefix) && name.length > prefix.length) values.add(name.slice(prefix.length));
    }
  }
  return [...values].sort();
}

function reviewSelect(label, prefix, values, onChange) {
  const select = document.createElement("select");
  select.dataset.prefix = prefix;
  select.setAttribute("aria-label", label);
  select.append(new Option(`${label}: all`, ""));
  for (const value of values) select.append(new Option(`${label}: ${prefix === "eval-" ? value.toUpperCase() : value}`, value));
  select.addEventListener("change", onChange);
  return select;
}

// The basket: tick rows in any table and download just those entries, as BibTeX or RIS, made in
// the browser from each row's data-bibtex / data-ris (no server involved).
function reviewBasket(table, rows) {
  const box = document.createElement("span");
  box.className = "review-basket";
  const count = document.createElement("span");
  count.className = "review-basket-count";
  const ticked = () => rows.filter((row) => row.querySelector("input.review-tick")?.checked);
  const update = () => { count.textContent = `${ticked().length} ticked`; };
  for (const row of rows) {
    if (!row.dataset.bibtex) continue;
    const tick = document.createElement("input");
    tick.type = "checkbox";
    tick.className = "review-tick";
    tick.setAttribute("aria-label", `Select ${row.id || "this entry"} for download`);
    tick.addEventListener("change", update);
    row.cells[0].prepend(tick);
  }
  const button = (label, attribute, name) => {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "review-basket-download";
    element.dataset.format = attribute;
    element.textContent = label;
    element.addEventListener("click", () => {
      const chosen = ticked();
      if (!chosen.length) return;
      const text = chosen.map((row) => row.dataset[attribute]).join(attribute === "bibtex" ? "\n" : "");
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
      link.download = name;
      document.body.append(link);
      link.click();
      setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    });
    return element;
  };
  box.append("Download ticked: ", button("BibTeX", "bibtex", "selected.bib"), " ", button("RIS", "ris", "selected.ris"),
             " ", count);
  update();
  return box;
}

function reviewEnhance(table) {
  const body = table.tBodies[0];
  if (!body) return;
  const rows = [...body.rows];
  const bar = document.createElement("div");
  bar.className = "review-filters";
  const text = document.createElement("input");
  text.type = "search";
  text.placeholder = "Filter rows…";
  text.setAttribute("aria-label", "Filter rows by text");
  const count = document.createElement("span");
  count.className = "review-count";
  const texts = new Map();
  // What a reader sees in a row: not the folded BibTeX, nor the Copy button.
  const reviewVisibleText = (row) => {
    if (!texts.has(row)) {
      const copy = row.cloneNode(true);
      copy.querySelectorAll("details.review-bibtex, button.review-copy, input.review-tick").forEach((node) => node.remove());
      texts.set(row, copy.textContent.toLowerCase());
    }
    return texts.get(row);
  };
  const apply = () => {
    const words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    const facets = [...bar.querySelectorAll("select")].filter((s) => s.value).map((s) => s.dataset.prefix + s.value);
    let shown = 0;
    for (const row of rows) {
      const haystack = reviewVisibleText(row);
      const visible = words.every((w) => haystack.includes(w)) && facets.every((f) => row.classList.contains(f));
      row.hidden = !visible;
      if (visible) shown += 1;
    }
    count.textContent = `${shown} of ${rows.length} rows`;
  };
  text.addEventListener("input", apply);
  bar.append(text,
    reviewSelect("Family", "family-", reviewFacet(rows, "family-"), apply),
    reviewSelect("Evaluation", "eval-", reviewFacet(rows, "eval-"), apply),
    reviewSelect("Year", "year-", reviewFacet(rows, "year-").reverse(), apply),
    reviewSelect("Coded by", "coding-", reviewFacet(rows, "coding-"), apply),
    count, reviewBasket(table, rows));
  table.before(bar);
  apply();
  const headers = table.tHead ? [...table.tHead.rows[0].cells] : [];
  headers.forEach((header, column) => {
    header.classList.add("review-sortable");
    header.tabIndex = 0;
    header.title = "Sort by this column";
    const sort = () => {
      const ascending = header.dataset.order !== "asc";
      headers.forEach((h) => delete h.dataset.order);
      header.dataset.order = ascending ? "asc" : "desc";
      rows.sort((a, b) => {
        const x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
        return (ascending ? 1 : -1) * x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
      });
      body.append(...rows);
    };
    header.addEventListener("click", sort);
    header.addEventListener("keydown", (event) => { if (event.key === "Enter") sort(); });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.review-table").forEach(reviewEnhance);
});
