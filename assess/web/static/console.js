// Copy buttons next to links, where script runs; without it the links are selectable text.
(function () {
  "use strict";
  var status = document.querySelector(".copied");
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) { status.textContent = document.documentElement.lang === "de" ? "Link kopiert." : "Link copied."; }
      });
    });
  });
})();
