/*
 * Tables of the chapters that scroll sideways are reachable by keyboard.
 *
 * Material wraps each plain Markdown table in a .md-typeset__scrollwrap box that scrolls when
 * the table is wider than the screen (on a phone). A box that scrolls and holds nothing
 * focusable cannot be scrolled with the keyboard (WCAG 2.1.1; axe: scrollable-region-focusable).
 * While a box really scrolls, this script makes it a named region in the tab order, as the
 * generated tables (.vc-scroll) already are: tabindex="0", role="region" and «Tabla: ...» with
 * the table's caption or the heading of its section. When it fits, it is left alone, so wide
 * screens get no useless tab stop. Runs on load, on every page change of Material's instant
 * navigation (document$) and when the window changes size.
 */
(function () {
  "use strict";

  var BOX = ".md-typeset__scrollwrap";
  var MANAGED = "data-vc-scroll-label";

  function textOf(element) {
    var copy = element.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(function (link) { link.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function headingBefore(box) {
    for (var node = box; node && !node.matches(".md-content"); node = node.parentElement) {
      for (var sibling = node.previousElementSibling; sibling;
           sibling = sibling.previousElementSibling) {
        if (/^H[1-6]$/.test(sibling.tagName)) return sibling;
      }
    }
    return null;
  }

  function nameOf(box) {
    var source = box.querySelector("caption") || headingBefore(box);
    var text = source ? textOf(source) : "";
    return text ? "Tabla: " + text : "Tabla";
  }

  function update(box, seen) {
    if (box.scrollWidth <= box.clientWidth + 1) {
      if (box.hasAttribute(MANAGED)) {
        ["tabindex", "role", "aria-label", MANAGED].forEach(function (attribute) {
          box.removeAttribute(attribute);
        });
      }
      return;
    }
    var name = nameOf(box);
    seen[name] = (seen[name] || 0) + 1;
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", seen[name] > 1 ? name + " (" + seen[name] + ")" : name);
    box.setAttribute(MANAGED, "");
  }

  function updateAll() {
    var seen = {};
    document.querySelectorAll(BOX).forEach(function (box) { update(box, seen); });
  }

  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; updateAll(); });
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(updateAll); // after Material has wrapped the tables
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateAll);
  } else {
    updateAll();
  }
})();
