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
