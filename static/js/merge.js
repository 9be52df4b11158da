/* The three-way view after a refused stale save (newsdesk/editing/merge.py):
   "Take mine" / "Take theirs" put that side's value into the form's field,
   which is the merged result. No inline code: it runs under the site's CSP. */
(function () {
  "use strict";

  var source = document.getElementById("nd-merge-inputs");
  var form = document.querySelector("#content-main form[method=post]");
  if (!source || !form) { return; }
  var fields = JSON.parse(source.textContent);

  function set(name, values, labels) {
    Array.prototype.forEach.call(form.querySelectorAll("[name='" + name + "']"), function (element, i) {
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT") {
        values.forEach(function (value) {
          var present = Array.prototype.some.call(element.options, function (o) { return o.value === value; });
          if (!present) {
            var option = document.createElement("option");
            option.value = value;
            option.textContent = labels[value] || value;
            element.appendChild(option);
          }
        });
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
      } else {
        element.value = values[i] !== undefined ? values[i] : (values[0] || "");
      }
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  document.querySelectorAll(".nd-take").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = fields[button.getAttribute("data-field")];
      var side = button.getAttribute("data-take");
      var inputs = field[side];
      Object.keys(inputs).forEach(function (name) { set(name, inputs[name], field.labels || {}); });
      var row = button.closest(".nd-merge-field");
      row.querySelectorAll(".nd-take").forEach(function (other) {
        other.classList.toggle("is-chosen", other === button);
      });
      row.querySelector(".nd-merge-state").textContent =
        side === "mine" ? "the form has yours" : "the form has theirs";
    });
  });
})();
