/* Presence on admin change forms that opt in (newsdesk/editing/guard.py).

   While the form is open a heartbeat every 15 seconds says "I am editing this";
   the answer names the others editing it and carries the record's current
   version, so the form says when someone else saved before the editor tries.
   No inline code: it runs under the site's Content-Security-Policy. */
(function () {
  "use strict";

  var script = document.currentScript;
  var endpoint = script.getAttribute("data-endpoint");
  var pageVersion = script.getAttribute("data-version") || "";
  var BEAT_MS = Number(script.getAttribute("data-interval")) || 15000;
  var noun = script.getAttribute("data-noun") || "record";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) { node.textContent = text; }
    return node;
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

  function names(list) {
    if (list.length < 2) { return list.join(""); }
    return list.slice(0, -1).join(", ") + " and " + list[list.length - 1];
  }

  function init() {
    var form = document.querySelector("#content-main form[method=post]");
    if (!form || !endpoint) { return; }
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var others = el("p", { "class": "nd-presence", "aria-live": "polite", hidden: "" });
    var saved = el("p", { "class": "nd-presence-saved", role: "alert", hidden: "" });
    var box = panel(form);
    box.insertBefore(saved, box.firstChild);
    box.insertBefore(others, box.firstChild);
    var warnedVersion = pageVersion;

    function data(extra) {
      var body = new FormData();
      body.append("csrfmiddlewaretoken", token ? token.value : "");
      Object.keys(extra || {}).forEach(function (key) { body.append(key, extra[key]); });
      return body;
    }

    function show(answer) {
      var list = answer.others || [];
      if (list.length) {
        var since = list.length === 1
          ? " (since " + list[0].since_label + ")"
          : " (" + list.map(function (o) { return o.name + " since " + o.since_label; }).join(", ") + ")";
        others.textContent = names(list.map(function (o) { return o.name; })) +
          (list.length === 1 ? " is" : " are") + " also editing this " + noun + since + ".";
        others.hidden = false;
      } else {
        others.hidden = true;
        others.textContent = "";
      }
      if (answer.version && answer.version !== warnedVersion) {
        warnedVersion = answer.version;
        saved.textContent = (answer.saved_by || "Someone else") + " saved this " + noun +
          (answer.saved_at_label ? " at " + answer.saved_at_label : "") +
          " while you were editing. Your changes are still in this form: when you save, " +
          "you will see both versions side by side and choose what to keep.";
        saved.hidden = false;
      }
    }

    var left = false;

    function beat() {
      if (left) { return; }
      fetch(endpoint, { method: "POST", body: data(), credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) { if (answer) { show(answer); } })
        .catch(function () { /* the next beat tries again */ });
    }

    beat();
    setInterval(beat, BEAT_MS);
    window.addEventListener("pagehide", function () {
      left = true;
      navigator.sendBeacon(endpoint, data({ leave: "1" }));
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) { left = false; beat(); }  // back from the page cache
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
