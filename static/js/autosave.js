/* Autosave for admin change forms that opt in (newsdesk/editing/guard.py).

   Every few seconds, when the form differs from what was last kept, its state
   is posted to the server as this editor's draft of this record, and once
   more, by beacon, when the page is hidden or left. Reopening the form offers
   to restore a kept draft; leaving with unsaved changes asks first (not after
   a submit). No inline code: it runs under the site's Content-Security-Policy. */
(function () {
  "use strict";

  var SKIP = /^csrfmiddlewaretoken$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$|__prefix__/;
  var LABEL = "_label:";
  var script = document.currentScript;
  var endpoint = script.getAttribute("data-endpoint");
  var pageVersion = script.getAttribute("data-version") || "";
  var noun = script.getAttribute("data-noun") || "record";
  var INTERVAL_MS = Number(script.getAttribute("data-interval")) || 3000;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function kept(element) {
    var type = element.type;
    return element.name && !SKIP.test(element.name) && !element.disabled &&
      ["file", "submit", "button", "reset", "image"].indexOf(type) === -1;
  }

  // {name: [values]} as the browser would post them; selects also keep the
  // text of their chosen options, so an autocomplete's choice can be shown again.
  function stateOf(form) {
    var state = {};
    each(form.elements, function (element) {
      if (!kept(element)) { return; }
      var name = element.name;
      if (!state[name]) { state[name] = []; }
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked) { state[name].push(element.value); }
      } else if (element.tagName === "SELECT") {
        if (!state[LABEL + name]) { state[LABEL + name] = []; }
        each(element.options, function (option) {
          if (option.selected && option.value !== "") {
            state[name].push(option.value);
            state[LABEL + name].push(option.textContent);
          }
        });
      } else {
        state[name].push(element.value);
      }
    });
    return state;
  }

  function canonical(state) {
    return JSON.stringify(Object.keys(state).sort().map(function (key) { return [key, state[key]]; }));
  }

  function fire(element) {
    element.dispatchEvent(new Event("input", { bubbles: true }));
    element.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function escaped(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // Rows the editor added with "Add another" are not in the page as it opens:
  // add as many as the kept state names (through the admin's own button, so
  // the row's widgets are set up), giving their values somewhere to go.
  function addRows(form, state) {
    each(form.querySelectorAll(".js-inline-admin-formset[data-inline-formset]"), function (group) {
      var prefix;
      try { prefix = JSON.parse(group.getAttribute("data-inline-formset")).options.prefix; } catch (e) { return; }
      var total = prefix && form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
      if (!total) { return; }
      var row = new RegExp("^" + escaped(prefix) + "-(\\d+)-");
      var needed = 0;
      Object.keys(state).forEach(function (key) {
        var match = row.exec(key.indexOf(LABEL) === 0 ? key.slice(LABEL.length) : key);
        if (match) { needed = Math.max(needed, Number(match[1]) + 1); }
      });
      for (var tries = 0; Number(total.value) < needed && tries < 200; tries++) {
        var add = group.querySelector(".add-row a");
        if (!add) { break; }
        add.click();
      }
    });
  }

  function restore(form, state) {
    addRows(form, state);
    var seen = {};
    each(form.elements, function (element) {
      if (!kept(element) || !(element.name in state)) { return; }
      var values = state[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT") {
        var labels = state[LABEL + element.name] || [];
        values.forEach(function (value, i) {
          var present = Array.prototype.some.call(element.options, function (o) { return o.value === value; });
          if (!present) { element.appendChild(el("option", { value: value }, labels[i] || value)); }
        });
        each(element.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
      } else {
        var i = seen[element.name] || 0;
        seen[element.name] = i + 1;
        if (i < values.length) { element.value = values[i]; }
      }
      fire(element);
    });
  }

  function panel(form) {
    var box = document.getElementById("nd-keep-work");
    if (!box) {
      box = el("div", { id: "nd-keep-work", "class": "nd-keep-work" });
      var top = form.querySelector(":scope > div") || form;
      top.insertBefore(box, top.firstChild);
    }
    return box;
  }

  function init() {
    var form = document.querySelector("#content-main form[method=post]");
    if (!form || !endpoint) { return; }
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var initial = canonical(stateOf(form));
    var lastKept = initial;
    var submitting = false;
    var status = el("p", { "class": "nd-autosave-status", "aria-live": "polite" });
    panel(form).appendChild(status);

    function payload(extra) {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", token ? token.value : "");
      Object.keys(extra).forEach(function (key) { data.append(key, extra[key]); });
      return data;
    }

    function current() { return stateOf(form); }

    function keepPayload(state) {
      var version = (form.querySelector("input[name=version_seen]") || {}).value || pageVersion;
      return payload({ state: JSON.stringify(state), version: version });
    }

    function keep() {
      if (submitting) { return; }
      var state = current();
      var now = canonical(state);
      if (now === lastKept) { return; }
      var discard = now === initial;
      fetch(endpoint, {
        method: "POST",
        body: discard ? payload({ discard: "1" }) : keepPayload(state),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      })
        .then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        })
        .then(function (result) {
          if (!result.ok) {
            status.textContent = result.data.error || "Unsaved changes could not be kept on the server.";
            status.className = "nd-autosave-status is-error";
            return;
          }
          lastKept = now;
          status.className = "nd-autosave-status";
          status.textContent = discard ? "" : "Unsaved changes kept at " + result.data.saved_at_label + ".";
        })
        .catch(function () {
          status.textContent = "Unsaved changes could not be kept on the server; they are still in this form.";
          status.className = "nd-autosave-status is-error";
        });
    }

    function keepNow() {
      if (submitting) { return; }
      var state = current();
      var now = canonical(state);
      if (now === lastKept || now === initial) { return; }
      if (navigator.sendBeacon(endpoint, keepPayload(state))) { lastKept = now; }
    }

    form.addEventListener("submit", function () { submitting = true; });
    setInterval(keep, INTERVAL_MS);
    window.addEventListener("pagehide", keepNow);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { keepNow(); }
    });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || canonical(current()) === initial) { return; }
      event.preventDefault();
      event.returnValue = "";
    });

    fetch(endpoint, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { draft: null }; })
      .then(function (data) {
        var draft = data.draft;
        // After a refused stale save the form already holds the editor's text
        // (the three-way view): nothing to offer back.
        if (!draft || canonical(draft.state) === initial || document.querySelector(".nd-merge")) { return; }
        offer(draft);
      })
      .catch(function () { /* nothing kept, or the server is away: nothing to offer */ });

    function offer(draft) {
      var box = el("section", { "class": "nd-restore", role: "region", "aria-label": "Unsaved changes" });
      box.appendChild(el("p", { "class": "nd-restore-question" },
        "Restore unsaved changes from " + draft.saved_at_label + "?"));
      if (draft.version && draft.version !== pageVersion) {
        box.appendChild(el("p", { "class": "nd-restore-note" },
          "They were made on an earlier version; this " + noun + " has been saved since. " +
          "Saving them will show both versions side by side to merge."));
      }
      var yes = el("button", { type: "button", "class": "button nd-restore-yes" }, "Restore");
      var no = el("button", { type: "button", "class": "button nd-restore-no" }, "Discard");
      box.appendChild(yes);
      box.appendChild(document.createTextNode(" "));
      box.appendChild(no);
      panel(form).insertBefore(box, status);
      yes.addEventListener("click", function () {
        restore(form, draft.state);
        lastKept = canonical(current());
        box.remove();
        status.textContent = "Unsaved changes from " + draft.saved_at_label + " restored. Save to keep them.";
      });
      no.addEventListener("click", function () {
        fetch(endpoint, { method: "POST", body: payload({ discard: "1" }), credentials: "same-origin" });
        box.remove();
        status.textContent = "Unsaved changes discarded.";
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setTimeout(init, 0); });
  } else {
    setTimeout(init, 0);
  }
})();
