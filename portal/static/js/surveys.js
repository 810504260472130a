// Progressive enhancement only: every survey page works without this file.
(function () {
  "use strict";
  // A client-made UUID replaces the server's one, so a retried send keeps its identity
  // even if the consent page came from the browser cache.
  var field = document.getElementById("client-uuid");
  if (field && window.crypto && typeof window.crypto.randomUUID === "function") {
    field.value = window.crypto.randomUUID();
  }
  // One click per send: a double tap must not post twice.
  document.querySelectorAll("form.r-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent === "1") { event.preventDefault(); return; }
      form.dataset.sent = "1";
      window.setTimeout(function () { form.dataset.sent = ""; }, 4000);
    });
  });
})();

// Questions revealed by an answer on the same page appear at once: after each change the
// page's answers go to the server (nav=reveal: nothing is stored), whose skip logic is the
// only one; the reply says which questions are relevant now. Without this script the page
// comes back from "Next" with the new questions shown instead.
(function () {
  "use strict";
  var form = document.querySelector("form[data-reveal]");
  if (!form || !window.fetch || !window.DOMParser || !window.FormData) { return; }
  var shown = form.querySelector("input[name=shown]");
  var latest = 0;
  function apply(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var ids = [];
    form.querySelectorAll("[data-q]").forEach(function (item) {
      var fresh = doc.querySelector('[data-q="' + item.getAttribute("data-q") + '"]');
      item.hidden = !fresh || fresh.hidden;
      if (!item.hidden && item.querySelector("input, textarea, select")) {
        ids.push(item.getAttribute("data-q"));
      }
    });
    if (shown) { shown.value = ids.join(" "); }
  }
  form.addEventListener("change", function () {
    var data = new FormData(form);
    data.set("nav", "reveal");
    var ticket = ++latest;
    form.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("action") || window.location.href,
          {method: "POST", body: data, credentials: "same-origin"})
      .then(function (reply) { return reply.ok ? reply.text() : null; })
      .then(function (html) {
        if (ticket !== latest) { return; }  // a later change has asked again
        form.removeAttribute("aria-busy");
        if (html) { apply(html); }
      })
      .catch(function () { form.removeAttribute("aria-busy"); });
  });
})();
