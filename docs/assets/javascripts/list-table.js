/* Filter, sort, count and CSV download for the list tables of policies/lists/.
 *
 * Progressive enhancement: the page already holds the whole table as plain HTML (built by
 * src/fazhi/policies/pages.py) and a link to the full CSV, so everything is readable without
 * JavaScript. The controls are in the page too, so nothing moves when this script runs
 * (site.css hides them where JavaScript does not run, and the sort buttons come disabled);
 * this script brings them to life: a text filter, a column choice, sortable column headers
 * (real buttons, so the keyboard works), a live count and a download of the rows currently
 * shown, written as the served CSV is (byte order mark, CRLF, formulas neutralised).
 * Nothing is loaded from anywhere else. */
(function () {
  "use strict";

  var collator = new Intl.Collator("zh-CN", { numeric: true });

  function init() {
    var tables = document.querySelectorAll("[data-fazhi-table]:not([data-ready])");
    for (var i = 0; i < tables.length; i++) enhance(tables[i]);
  }

  function enhance(root) {
    var table = root.querySelector("table");
    if (!table || !table.tBodies.length) return;
    root.setAttribute("data-ready", "");
    var tbody = table.tBodies[0];
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var rows = Array.prototype.slice.call(tbody.rows);
    // Each row's cell texts, lower-cased once: filtering 1,500 rows then takes a few ms.
    var texts = rows.map(function (row) {
      return Array.prototype.map.call(row.cells, function (cell) {
        return cell.textContent.toLowerCase();
      });
    });
    var count = root.querySelector(".fazhi-table__count");
    var controls = root.querySelector(".fazhi-table__controls");
    var input = controls.querySelector("input");
    var select = controls.querySelector("select");
    headers.forEach(makeSortable);

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(filter, 120);
    });
    select.addEventListener("change", filter);
    controls.querySelector('[data-action="clear"]').addEventListener("click", function () {
      input.value = "";
      select.value = "";
      filter();
      input.focus();
    });
    controls.querySelector('[data-action="download"]').addEventListener("click", download);
    filter();

    function filter() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var column = select.value === "" ? -1 : Number(select.value);
      var shown = 0;
      rows.forEach(function (row, index) {
        var cells = texts[index];
        var haystack = column < 0 ? cells.join("\u0001") : cells[column];
        var match = words.every(function (word) { return haystack.indexOf(word) !== -1; });
        row.hidden = !match;
        if (match) shown++;
      });
      count.textContent = shown === rows.length
        ? "共 " + rows.length + " 条"
        : "共 " + rows.length + " 条，符合条件 " + shown + " 条";
    }

    function makeSortable(th, index) {
      var button = th.querySelector(".fazhi-sort");
      button.title = "按“" + th.textContent + "”排序";
      button.disabled = false;
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        sortBy(index, ascending);
      });
    }

    function sortBy(column, ascending) {
      var numeric = rows.every(function (row, i) {
        var text = texts[i][column].trim();
        return text === "" || !isNaN(Number(text));
      });
      var order = rows.map(function (row, i) { return i; });
      order.sort(function (a, b) {
        var x = texts[a][column].trim(), y = texts[b][column].trim();
        var result = numeric ? (Number(x) - Number(y)) : collator.compare(x, y);
        return (ascending ? result : -result) || a - b;
      });
      var fragment = document.createDocumentFragment();
      order.forEach(function (i) { fragment.appendChild(rows[i]); });
      tbody.appendChild(fragment);
      rows = order.map(function (i) { return rows[i]; });
      texts = order.map(function (i) { return texts[i]; });
    }

    function download() {
      var lines = [headers.map(function (th) { return csvCell(th.textContent); }).join(",")];
      rows.forEach(function (row) {
        if (row.hidden) return;
        lines.push(Array.prototype.map.call(row.cells, function (cell) {
          return csvCell(cell.textContent);
        }).join(","));
      });
      // A BOM so that Excel opens the UTF-8 file with the Chinese intact.
      var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = root.getAttribute("data-filename") || "list.csv";
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
    }
  }

  // CSV injection (OWASP): a cell starting with =, +, -, @, TAB or CR gets a leading ' so that
  // a spreadsheet shows it as text and never runs it as a formula. The one rule, declared in
  // src/fazhi/policies/csv_output.py (FORMULA_STARTS, neutralise), which writes the served
  // policies/lists/<name>.csv; keep the two equal. Only the download: the table on the page
  // shows every cell as written.
  var FORMULA_START = /^[=+\-@\t\r]/;

  function neutralise(text) {
    return FORMULA_START.test(text) ? "'" + text : text;
  }

  function csvCell(text) {
    text = neutralise(text.trim());
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  // Material's instant navigation announces each new page on document$; without it, the
  // page is ready once this deferred script runs.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
