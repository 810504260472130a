// Stakeholder room: filter the "who do you work with?" roster as you type.
// Progressive enhancement only: without JS the server-side search does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-roster-search]");
  var list = document.querySelector("[data-roster]");
  if (!box || !list) { return; }
  var input = box.querySelector("input");
  var rows = list.querySelectorAll("[data-name]");
  box.hidden = false;
  input.addEventListener("input", function () {
    var wanted = input.value.trim().toLocaleLowerCase();
    rows.forEach(function (row) {
      var ticked = row.querySelector("input[type=checkbox]").checked;
      row.hidden = wanted !== "" && !ticked && row.getAttribute("data-name").indexOf(wanted) === -1;
    });
  });
})();
