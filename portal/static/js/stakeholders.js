// Stakeholder room: filter the "who do you work with?" roster as you type.
// Progressive enhancement only: without JS every sector group can be opened by hand, and
// the profile page's server-side search does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-roster-search]");
  var list = document.querySelector("[data-roster]");
  if (!box || !list) { return; }
  var input = box.querySelector("input");
  var groups = list.querySelectorAll("[data-group]");
  var none = document.querySelector("[data-roster-none]");
  var initiallyOpen = [];
  groups.forEach(function (group) { initiallyOpen.push(group.open); });
  box.hidden = false;
  input.addEventListener("input", function () {
    var wanted = input.value.trim().toLocaleLowerCase();
    var found = 0;
    groups.forEach(function (group, index) {
      var visible = 0;
      group.querySelectorAll("[data-name]").forEach(function (row) {
        var ticked = row.querySelector("input[name=partner]").checked;
        row.hidden = wanted !== "" && !ticked && row.getAttribute("data-name").indexOf(wanted) === -1;
        if (!row.hidden) { visible += 1; }
      });
      group.hidden = visible === 0;
      found += visible;
      if (wanted !== "") {
        group.open = visible > 0;
      } else {
        group.open = initiallyOpen[index] || group.querySelector("input[name=partner]:checked") !== null;
      }
    });
    if (none) { none.hidden = found > 0; }
  });
})();
