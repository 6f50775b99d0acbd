// Adds a "Copy" button to every BibTeX snippet of the review's tables and references.
document.addEventListener("DOMContentLoaded", () => {
  for (const block of document.querySelectorAll("details.review-bibtex")) {
    const pre = block.querySelector("pre");
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
      copy.querySelectorAll("details.review-bibtex, button.review-copy").forEach((node) => node.remove());
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
    count);
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
