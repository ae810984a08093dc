/*
 * Comparison table: sorting (vendored tablesort) and a filter form.
 *
 * Progressive enhancement: the page ships the whole table; this script adds the form above
 * it, so without JavaScript no dead controls appear. Idempotent: a table already enhanced
 * (data-vc-ready) is left alone if the script runs twice.
 */
(function () {
  "use strict";

  var LICENSES = [["libre", "Libre"], ["privativa", "Privativa"], ["mixta", "Mixta"]];
  var USED = ["yes", "partial"];
  var counter = 0;

  // Lower case and without accents, so "emulacion" finds "Emulación".
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function element(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) { node[key] = props[key]; });
    (children || []).forEach(function (child) { node.append(child); });
    return node;
  }

  function select(id, label, any, options) {
    var choices = [element("option", { value: "", textContent: any })].concat(
      options.map(function (pair) {
        return element("option", { value: pair[0], textContent: pair[1] });
      }));
    var control = element("select", { id: id, name: id }, choices);
    return element("div", { className: "vc-filter" },
      [element("label", { htmlFor: id, textContent: label }), control]);
  }

  function techniqueOptions(table) {
    return Array.prototype.map.call(table.querySelectorAll("thead th[data-technique]"),
      function (th) { return [th.getAttribute("data-technique"), th.textContent.trim()]; });
  }

  function buildForm(table, prefix) {
    var search = element("input", { id: prefix + "-texto", name: prefix + "-texto",
      type: "search", autocomplete: "off", placeholder: "Nombre, desarrollador, licencia…" });
    return element("form", { className: "vc-filters", role: "search" }, [
      select(prefix + "-tecnica", "Técnica", "Cualquiera", techniqueOptions(table)),
      select(prefix + "-licencia", "Licencia", "Cualquiera", LICENSES),
      element("div", { className: "vc-filter vc-filter--text" },
        [element("label", { htmlFor: search.id, textContent: "Buscar" }), search]),
    ]);
  }

  function matches(row, technique, license, words) {
    if (technique && USED.indexOf(row.getAttribute("data-" + technique)) < 0) return false;
    if (license && row.getAttribute("data-license") !== license) return false;
    var haystack = fold((row.getAttribute("data-search") || "") + " " + row.cells[0].textContent);
    return words.every(function (word) { return haystack.indexOf(word) >= 0; });
  }

  function applyFilters(form, table, status) {
    var fields = form.elements;
    var technique = fields[0].value;
    var license = fields[1].value;
    var words = fold(fields[2].value).split(/\s+/).filter(Boolean);
    var rows = table.tBodies[0].rows;
    var shown = 0;
    Array.prototype.forEach.call(rows, function (row) {
      row.hidden = !matches(row, technique, license, words);
      if (!row.hidden) shown += 1;
    });
    status.textContent = shown + " de " + rows.length + " sistemas";
  }

  // tablesort sorts on click and Enter; buttons and the WAI pattern also use Space.
  function sortable(table) {
    if (typeof window.Tablesort !== "function") return;
    new window.Tablesort(table);
    table.querySelectorAll("thead th[role=columnheader][tabindex]").forEach(function (th) {
      th.addEventListener("keydown", function (event) {
        if (event.key === " ") {
          event.preventDefault();
          th.click();
        }
      });
    });
  }

  function enhance(root) {
    var table = root.querySelector("table");
    if (!table || root.hasAttribute("data-vc-ready")) return;
    root.setAttribute("data-vc-ready", "");
    counter += 1;
    var form = buildForm(table, "vc-cuadro-" + counter);
    var status = element("p", { className: "vc-status" });
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", function () { applyFilters(form, table, status); });
    form.addEventListener("change", function () { applyFilters(form, table, status); });
    root.insertBefore(form, root.firstChild);
    root.insertBefore(status, form.nextSibling);
    sortable(table);
    root.classList.add("vc-comparison--enhanced");
    applyFilters(form, table, status);
  }

  function start() {
    document.querySelectorAll("[data-vc-comparison]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
