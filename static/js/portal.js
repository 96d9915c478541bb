/* Small behaviours for the portal. No inline scripts: the CSP only allows files from 'self'. */
(function () {
  "use strict";

  // Expand and collapse branches of the unit tree; htmx loads a branch on its first opening.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".tree-toggle");
    if (!toggle) return;
    var branch = document.getElementById(toggle.getAttribute("aria-controls"));
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", open ? "false" : "true");
    if (branch) branch.hidden = open;
    var icon = toggle.querySelector(".bi");
    if (icon) {
      icon.classList.toggle("bi-chevron-right", open);
      icon.classList.toggle("bi-chevron-down", !open);
    }
  });

  // Ask before destructive posts: buttons carry data-confirm="question".
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = button && button.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // Unit-code inputs suggest units as you type (a datalist filled from the lookup view).
  var lookupUrl = document.body.getAttribute("data-lookup-url");
  document.querySelectorAll("input[data-unit-lookup]").forEach(function (input, index) {
    var list = document.createElement("datalist");
    list.id = "unit-lookup-" + index;
    input.after(list);
    input.setAttribute("list", list.id);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < 2) return;
      timer = setTimeout(function () {
        var url = lookupUrl + "?scope=" + encodeURIComponent(input.dataset.unitLookup) +
          "&q=" + encodeURIComponent(query);
        fetch(url, {credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.text() : ""; })
          .then(function (html) { list.innerHTML = html; });
      }, 250);
    });
  });
})();
