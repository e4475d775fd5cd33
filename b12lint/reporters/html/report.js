// b12lint audit report: sort and filter the findings table, filter from chart bars, and open
// an encounter's drill-down from its link. No network access; works on file:// URLs.
(function () {
  "use strict";
  var table = document.getElementById("findings-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = rows.map(function (r) { return r.textContent.toLowerCase(); });
  var query = document.getElementById("filter");
  var severity = document.getElementById("filter-severity");
  var category = document.getElementById("filter-category");
  var shown = document.getElementById("shown");

  function apply() {
    var q = query.value.trim().toLowerCase();
    var s = severity.value, c = category.value, n = 0;
    rows.forEach(function (r, i) {
      var ok = (!q || text[i].indexOf(q) >= 0) && (!s || r.dataset.severity === s) &&
               (!c || r.dataset.category === c);
      r.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = n.toLocaleString("en-US");
  }
  query.addEventListener("input", apply);
  severity.addEventListener("change", apply);
  category.addEventListener("change", apply);
  document.getElementById("filter-clear").addEventListener("click", function () {
    query.value = ""; severity.value = ""; category.value = ""; apply();
  });

  var ths = Array.prototype.slice.call(table.tHead.rows[0].cells);
  ths.forEach(function (th, col) {
    th.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      ths.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var numeric = th.dataset.type === "num";
      var order = rows.map(function (r, i) { return i; });
      function key(i) {
        var cell = rows[i].cells[col];
        var k = cell.dataset.key !== undefined ? cell.dataset.key : cell.textContent;
        return numeric ? parseFloat(k) : k.toLowerCase();
      }
      order.sort(function (a, b) {
        var ka = key(a), kb = key(b);
        var d = ka < kb ? -1 : ka > kb ? 1 : a - b;
        return asc ? d : -d;
      });
      rows = order.map(function (i) { return rows[i]; });
      text = order.map(function (i) { return text[i]; });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("svg.chart .bar"), function (bar) {
    bar.addEventListener("click", function () {
      var field = bar.dataset.field, value = bar.dataset.value;
      severity.value = ""; category.value = ""; query.value = "";
      if (field === "severity") { severity.value = value; }
      else if (field === "category") { category.value = value; }
      else { query.value = value; }
      apply();
      table.scrollIntoView({ behavior: "smooth", block: "start" });
    });
  });

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") { el.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
