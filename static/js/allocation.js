/* Live totals of the allocation table as the user types (the server checks again on save). */
(function () {
  "use strict";
  var form = document.querySelector(".allocation-form");
  if (!form) return;
  var group = new Intl.NumberFormat(document.documentElement.lang || "vi");

  function parse(text) {
    var t = String(text || "").trim().replace(/\s/g, "");
    if (!t) return 0;
    if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) t = t.replace(/\./g, "").replace(",", ".");
    else t = t.replace(",", ".");
    var n = Number(t);
    return isNaN(n) ? NaN : n;
  }

  function update(target) {
    var total = 0, bad = false;
    form.querySelectorAll('.alloc-cell[data-target="' + target + '"]').forEach(function (input) {
      var n = parse(input.value);
      var invalid = isNaN(n) || n < 0;
      input.classList.toggle("is-invalid", invalid);
      input.setAttribute("aria-invalid", invalid ? "true" : "false");
      if (invalid) bad = true; else total += n;
    });
    var planCell = form.querySelector('td[data-plan][data-target="' + target + '"]');
    var plan = planCell && planCell.dataset.plan !== "" ? Number(planCell.dataset.plan) : null;
    form.querySelector('.alloc-total[data-target="' + target + '"]').textContent = bad ? "?" : group.format(total);
    var remainder = form.querySelector('.alloc-remainder[data-target="' + target + '"]');
    if (plan !== null && !bad) {
      var hint = remainder.querySelector(".short-hint");
      remainder.firstChild.nodeValue = group.format(plan - total);
      remainder.classList.toggle("text-danger", total < plan);
      remainder.classList.toggle("fw-bold", total < plan);
      if (hint) hint.hidden = !(total < plan);
    }
  }

  form.addEventListener("input", function (event) {
    if (event.target.classList.contains("alloc-cell")) update(event.target.dataset.target);
  });
})();
