/* Autosave: where JavaScript runs, a page's answers are saved through the JSON API as
   soon as they change. Without it nothing is lost either: the page's buttons post the
   form, which saves it. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var api = form.getAttribute("data-api");
  var kind = form.getAttribute("data-kind");
  var status = form.querySelector(".autosave");
  var busy = false;
  var again = false;
  var typing = null;

  function show(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function pageValues() {
    var data = new FormData(form);
    var values = {};
    form.querySelectorAll("input[type=radio], textarea").forEach(function (field) {
      var value = data.get(field.name);
      values[field.name] = value === null ? "" : String(value);
    });
    return values;
  }

  function merge(state) {
    var body = { answers: state.response.answers, profile: state.response.profile };
    var values = pageValues();
    Object.keys(values).forEach(function (name) {
      if (values[name] === "") {
        delete body[kind][name];
      } else {
        body[kind][name] = values[name];
      }
    });
    return body;
  }

  function save() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(api, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (state) {
        return fetch(api, {
          method: "PUT",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify(merge(state))
        });
      })
      .then(function (response) {
        show(form.getAttribute(response.ok ? "data-saved" : "data-failed"));
      })
      .catch(function () {
        show(form.getAttribute("data-failed"));
      })
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          save();
        }
      });
  }

  form.addEventListener("change", save);
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") {
      clearTimeout(typing);
      typing = setTimeout(save, 1500);
    }
  });
})();
