/* The nomination form: show the person list or the collective list, as the radio says.
   Without this script both lists stay visible and the radio still decides. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-nomination-form]");
  if (!form) return;
  var radios = form.querySelectorAll("input[name='kind']");
  var lists = {individual: "person", collective: "organization"};

  function wrapper(name) {
    var select = form.querySelector("[data-nominee='" + name + "']");
    return select ? select.closest(".mb-3") || select.parentElement : null;
  }

  function update() {
    var chosen = form.querySelector("input[name='kind']:checked");
    Object.keys(lists).forEach(function (kind) {
      var box = wrapper(lists[kind]);
      if (box) box.hidden = chosen ? chosen.value !== kind : false;
    });
  }

  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
