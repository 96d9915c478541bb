/* Formsets: add a row from the empty form, move rows up and down, keep ORDER in step.
   Each list is `.formset-rows[data-formset-prefix]`; its empty row is the <template> named by
   `data-template` (default "empty-row") and its add button is `.add-row[data-formset="prefix"]`
   (or the page's only `.add-row`). Several formsets can live on one page. */
(function () {
  "use strict";
  var lists = document.querySelectorAll(".formset-rows");
  if (!lists.length) return;

  lists.forEach(function (list) {
    var prefix = list.getAttribute("data-formset-prefix");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(list.getAttribute("data-template") || "empty-row");
    var add = document.querySelector('.add-row[data-formset="' + prefix + '"]') ||
      (lists.length === 1 ? document.querySelector(".add-row") : null);

    function renumber() {
      list.querySelectorAll(".formset-row").forEach(function (row, index) {
        var order = row.querySelector(".order-input");
        if (order) order.value = index + 1;
      });
    }

    if (add && total && template) {
      add.addEventListener("click", function () {
        var index = parseInt(total.value, 10);
        var html = template.innerHTML.replace(/__prefix__/g, String(index));
        list.insertAdjacentHTML("beforeend", html);
        total.value = index + 1;
        renumber();
        var added = list.lastElementChild;
        var first = added.querySelector("input:not([type=hidden]), textarea, select");
        if (first) first.focus();
      });
    }

    list.addEventListener("click", function (event) {
      var button = event.target.closest(".move-up, .move-down");
      if (!button) return;
      var row = button.closest(".formset-row");
      if (button.classList.contains("move-up") && row.previousElementSibling) {
        list.insertBefore(row, row.previousElementSibling);
      } else if (button.classList.contains("move-down") && row.nextElementSibling) {
        list.insertBefore(row.nextElementSibling, row);
      }
      renumber();
      button.focus();
    });
  });
})();
