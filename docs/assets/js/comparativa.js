/*
 * Comparison table: sorting (vendored tablesort) and a filter form.
 *
 * The host filter's choices come from the page (data-vc-hosts, derived from the data by the
 * build) and its value from the address: comparativa/?anfitrion=windows opens the table
 * filtered, and choosing a host writes the parameter back so the view can be shared.
 *
 * Progressive enhancement: the page ships the whole table; this script adds the form above
 * it, so without JavaScript no dead controls appear. Idempotent: a table already enhanced
 * (data-vc-ready) is left alone if the script runs twice.
 */
(function () {
  "use strict";

  var LICENSES = [["libre", "Libre"], ["privativa", "Privativa"], ["mixta", "Mixta"]];
  var USED = ["yes", "partial"];
  var HOST_PARAM = "anfitrion";
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

  // [[id, label], ...] from the build; a page without it (or with bad JSON) gets no host filter.
  function hostOptions(root) {
    try {
      var options = JSON.parse(root.getAttribute("data-vc-hosts") || "[]");
      return Array.isArray(options) ? options : [];
    } catch (error) {
      return [];
    }
  }

  function buildForm(table, prefix, hosts) {
    var search = element("input", { id: prefix + "-texto", name: prefix + "-texto",
      type: "search", autocomplete: "off", placeholder: "Nombre, desarrollador, licencia…" });
    var controls = [
      select(prefix + "-tecnica", "Técnica", "Cualquiera", techniqueOptions(table)),
      select(prefix + "-licencia", "Licencia", "Cualquiera", LICENSES),
      element("div", { className: "vc-filter vc-filter--text" },
        [element("label", { htmlFor: search.id, textContent: "Buscar" }), search]),
    ];
    if (hosts.length) {
      controls.unshift(select(prefix + "-anfitrion", "Anfitrión", "Cualquiera", hosts));
    }
    return element("form", { className: "vc-filters", role: "search" }, controls);
  }

  // The form's current choices, read by the end of each control's id.
  function choices(form) {
    var out = { host: "", technique: "", license: "", words: [] };
    Array.prototype.forEach.call(form.elements, function (field) {
      var id = field.id || "";
      if (/-anfitrion$/.test(id)) out.host = field.value;
      else if (/-tecnica$/.test(id)) out.technique = field.value;
      else if (/-licencia$/.test(id)) out.license = field.value;
      else if (/-texto$/.test(id)) out.words = fold(field.value).split(/\s+/).filter(Boolean);
    });
    return out;
  }

  function matches(row, chosen) {
    var technique = chosen.technique;
    if (technique && USED.indexOf(row.getAttribute("data-" + technique)) < 0) return false;
    if (chosen.license && row.getAttribute("data-license") !== chosen.license) return false;
    var hosts = (row.getAttribute("data-hosts") || "").split(/\s+/);
    if (chosen.host && hosts.indexOf(chosen.host) < 0) return false;
    var haystack = fold((row.getAttribute("data-search") || "") + " " + row.cells[0].textContent);
    return chosen.words.every(function (word) { return haystack.indexOf(word) >= 0; });
  }

  function applyFilters(form, table, status) {
    var chosen = choices(form);
    var rows = table.tBodies[0].rows;
    var shown = 0;
    Array.prototype.forEach.call(rows, function (row) {
      row.hidden = !matches(row, chosen);
      if (!row.hidden) shown += 1;
    });
    status.textContent = shown + " de " + rows.length + " sistemas";
  }

  // ?anfitrion=<id> selects that host when the page opens (unknown ids are ignored).
  function hostFromAddress(form) {
    var control = form.querySelector("select[id$='-anfitrion']");
    var wanted = new URLSearchParams(window.location.search).get(HOST_PARAM);
    if (!control || !wanted) return;
    var known = Array.prototype.some.call(control.options, function (option) {
      return option.value === wanted;
    });
    if (known) control.value = wanted;
  }

  // Keep ?anfitrion= in step with the control, without a new history entry.
  function hostToAddress(form) {
    var control = form.querySelector("select[id$='-anfitrion']");
    if (!control || !window.history.replaceState) return;
    var url = new URL(window.location.href);
    if (control.value) url.searchParams.set(HOST_PARAM, control.value);
    else url.searchParams.delete(HOST_PARAM);
    if (url.href !== window.location.href) window.history.replaceState(null, "", url.href);
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
    var form = buildForm(table, "vc-cuadro-" + counter, hostOptions(root));
    var status = element("p", { className: "vc-status" });
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", function () { applyFilters(form, table, status); });
    form.addEventListener("change", function (event) {
      applyFilters(form, table, status);
      if (/-anfitrion$/.test(event.target.id || "")) hostToAddress(form);
    });
    root.insertBefore(form, root.firstChild);
    root.insertBefore(status, form.nextSibling);
    sortable(table);
    root.classList.add("vc-comparison--enhanced");
    hostFromAddress(form);
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
