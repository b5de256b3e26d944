// Progressive enhancement for every page; without JavaScript each page still works as written.
// - The main menu folds behind a "Meny" button on narrow screens (Bootstrap's collapse does the toggling).
// - Tables stack their rows as cards on phones (static/css/noramal.css): each cell gets its column's
//   heading as data-label, which the CSS shows before the value.
// - On a phone the goal tree opens with the goals below the styrmodell's headline level folded away.
(function () {
  "use strict";
  var PHONE = "(max-width: 575.98px)";

  function menu() {
    var toggle = document.querySelector("[data-menu-toggle]");
    var list = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!list || !window.bootstrap) {
      return;
    }
    list.classList.add("collapse");
    toggle.hidden = false;
  }

  function headings(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) {
      return [];
    }
    var names = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      for (var span = 0; span < (cell.colSpan || 1); span += 1) {
        names.push(text);
      }
    });
    return names;
  }

  function tables() {
    Array.prototype.forEach.call(document.querySelectorAll(".site-main table"), function (table) {
      var names = headings(table);
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            var name = names[column];
            if (name && column > 0 && !cell.hasAttribute("data-label")) {
              cell.setAttribute("data-label", name);
            }
            if (cell.textContent.trim().length > 40) {
              cell.classList.add("cell--wide");
            }
            column += cell.colSpan || 1;
          });
        });
      });
    });
  }

  function tree() {
    if (!window.matchMedia || !window.matchMedia(PHONE).matches) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("details[data-fold-on-phone]"), function (fold) {
      fold.open = false;
    });
  }

  function start() {
    menu();
    tables();
    tree();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
