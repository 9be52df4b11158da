/* The body editor: toolbar, keyboard shortcuts, image and embed choosers, and a
   live preview rendered by the server (the same pipeline as the public page).
   Without this script the body is a plain Markdown textarea. No inline code:
   it runs under the site's Content-Security-Policy. */
(function () {
  "use strict";

  var DEBOUNCE_MS = 450;
  var isMac = /Mac|iPhone|iPad/.test(navigator.platform || "");
  var MOD = isMac ? "⌘" : "Ctrl+";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; }
      else if (key === "className") { node.className = attrs[key]; }
      else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // --- Text edits ----------------------------------------------------------------

  function replaceSelection(textarea, before, after, placeholder) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var value = textarea.value;
    var selected = value.slice(start, end) || placeholder || "";
    textarea.focus();
    textarea.setRangeText(before + selected + after, start, end, "end");
    textarea.setSelectionRange(start + before.length, start + before.length + selected.length);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function prefixLines(textarea, prefixFor) {
    var value = textarea.value;
    var start = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
    var endIndex = value.indexOf("\n", textarea.selectionEnd);
    var end = endIndex === -1 ? value.length : endIndex;
    var lines = value.slice(start, end).split("\n");
    var replaced = lines.map(function (line, i) {
      var bare = line.replace(/^(#{1,6} |> |- |\d+\. )/, "");
      var prefix = prefixFor(i);
      return line.indexOf(prefix) === 0 ? bare : prefix + bare;
    }).join("\n");
    textarea.focus();
    textarea.setRangeText(replaced, start, end, "select");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function insertBlock(textarea, block) {
    var value = textarea.value, at = textarea.selectionEnd;
    var before = value.slice(0, at), after = value.slice(at);
    var lead = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
    var tail = /^\n\n/.test(after) ? "" : (/^\n/.test(after) ? "\n" : "\n\n");
    textarea.focus();
    textarea.setRangeText(lead + block + tail, at, at, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // --- Dialogs ---------------------------------------------------------------------

  function dialog(title, build) {
    var box = el("dialog", { className: "nd-dialog", "aria-labelledby": "nd-dialog-title" });
    var form = el("form", { method: "dialog" });
    form.appendChild(el("h2", { id: "nd-dialog-title", text: title }));
    var body = el("div", { className: "nd-dialog-body" });
    form.appendChild(body);
    var actions = el("div", { className: "nd-dialog-actions" });
    var cancel = el("button", { type: "button", className: "nd-button", text: "Cancel" });
    cancel.addEventListener("click", function () { box.close(); });
    actions.appendChild(cancel);
    form.appendChild(actions);
    box.appendChild(form);
    document.body.appendChild(box);
    box.addEventListener("close", function () { box.remove(); });
    build(body, actions, box, form);
    box.showModal();
    return box;
  }

  function askLink(textarea) {
    var selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd);
    dialog("Insert link", function (body, actions, box, form) {
      var text = el("input", { type: "text", id: "nd-link-text", value: selected });
      var url = el("input", { type: "url", id: "nd-link-url", placeholder: "https://… or /articles/…", required: "" });
      body.appendChild(el("label", { for: "nd-link-text", text: "Text" }));
      body.appendChild(text);
      body.appendChild(el("label", { for: "nd-link-url", text: "Address" }));
      body.appendChild(url);
      var ok = el("button", { type: "submit", className: "nd-button nd-button--primary", text: "Insert link" });
      actions.appendChild(ok);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!url.value.trim()) { url.focus(); return; }
        box.close();
        replaceSelection(textarea, "[", "](" + url.value.trim() + ")", text.value || "link");
      });
      (selected ? url : text).focus();
    });
  }

  function askEmbed(textarea, providers) {
    dialog("Embed", function (body, actions, box, form) {
      var url = el("input", { type: "url", id: "nd-embed-url", placeholder: "https://www.youtube.com/watch?v=…", required: "" });
      body.appendChild(el("label", { for: "nd-embed-url", text: "Address of the video, post, chart or audio" }));
      body.appendChild(url);
      body.appendChild(el("p", { className: "nd-help", text: "Allowed: " + providers + ". Readers see a button and load nothing from the provider until they press it." }));
      actions.appendChild(el("button", { type: "submit", className: "nd-button nd-button--primary", text: "Insert embed" }));
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var value = url.value.trim();
        if (!value) { url.focus(); return; }
        box.close();
        insertBlock(textarea, value);
      });
      url.focus();
    });
  }

  function chooseImage(imagesUrl, onChoose) {
    dialog("Choose an image from the library", function (body, actions, box) {
      var search = el("input", { type: "search", id: "nd-image-search", placeholder: "Alt text, caption, credit…" });
      var grid = el("ul", { className: "nd-chooser-grid", "aria-label": "Library images" });
      var status = el("p", { className: "nd-help", role: "status" });
      var more = el("button", { type: "button", className: "nd-button", text: "More images" });
      var upload = el("a", { className: "nd-button", target: "_blank", rel: "noopener", text: "Upload a new image" });
      body.appendChild(el("label", { for: "nd-image-search", text: "Search the library" }));
      body.appendChild(search);
      body.appendChild(status);
      body.appendChild(grid);
      actions.insertBefore(more, actions.firstChild);
      actions.insertBefore(upload, actions.firstChild);
      var page = 1, timer = null, latest = 0;

      function load(reset) {
        var mine = ++latest;  // an older, slower answer must not add its images
        if (reset) { page = 1; grid.textContent = ""; }
        status.textContent = "Loading…";
        var params = new URLSearchParams({ q: search.value, page: String(page) });
        fetch(imagesUrl + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            if (mine !== latest) { return; }
            upload.href = data.add_url;
            (data.results || []).forEach(function (image) {
              var pick = el("button", { type: "button", className: "nd-chooser-item" }, [
                image.thumb ? el("img", { src: image.thumb, alt: "", width: "120", height: "120", loading: "lazy" }) : null,
                el("span", { className: "nd-chooser-label", text: image.label }),
                el("span", { className: "nd-chooser-meta", text: image.decorative ? "Decorative" : (image.alt_text ? "Alt: " + image.alt_text : "") })
              ]);
              pick.addEventListener("click", function () { box.close(); onChoose(image); });
              grid.appendChild(el("li", {}, [pick]));
            });
            more.hidden = !data.has_next;
            status.textContent = grid.children.length ? "" : "No images match. Upload one, then search again.";
          })
          .catch(function () { status.textContent = "The library could not be loaded. Try again."; });
      }

      search.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { load(true); }, 300);
      });
      more.addEventListener("click", function () { page += 1; load(false); });
      load(true);
      search.focus();
    });
  }

  // --- Checks panel and publish button ------------------------------------------------

  var LEVELS = { blocker: "Blocks publishing", warning: "Warning", info: "Info" };

  function showChecks(data) {
    var panel = document.getElementById("nd-checks");
    if (panel) {
      var summary = el("p", { className: "nd-checks-summary" });
      if (data.blockers) {
        summary.appendChild(el("strong", { text: data.blockers + (data.blockers === 1 ? " problem" : " problems") + " must be fixed before publishing." }));
      } else {
        summary.textContent = "Nothing blocks publishing.";
      }
      var list = el("ul", { className: "nd-checks-list" });
      data.checks.forEach(function (check) {
        var item = el("li", { className: "nd-check nd-check--" + check.level }, [
          el("span", { className: "nd-check-level", text: LEVELS[check.level] || check.level })
        ]);
        item.appendChild(document.createTextNode(" " + check.message));
        list.appendChild(item);
      });
      panel.textContent = "";
      panel.appendChild(summary);
      panel.appendChild(list);
      panel.setAttribute("data-blockers", String(data.blockers));
    }
    document.querySelectorAll(".nd-workflow--publish").forEach(function (button) {
      if (!button.hasAttribute("data-label")) { button.setAttribute("data-label", button.textContent); }
      var blocked = data.blockers > 0;
      button.textContent = blocked ? data.publish_label : button.getAttribute("data-label").replace(/^Cannot publish yet.*$/, "Publish or schedule");
      button.classList.toggle("is-blocked", blocked);
      button.title = blocked ? data.checks.filter(function (c) { return c.level === "blocker"; }).map(function (c) { return c.message; }).join("\n") : "";
    });
  }

  // --- The editor -------------------------------------------------------------------

  function enhance(root) {
    var textarea = root.querySelector("textarea");
    if (!textarea || root.classList.contains("is-enhanced")) { return; }
    root.classList.add("is-enhanced");
    var form = textarea.form;
    var previewUrl = root.getAttribute("data-preview-url");
    var imagesUrl = root.getAttribute("data-images-url");
    var providers = root.getAttribute("data-providers") || "";

    var actions = {
      h2: function () { prefixLines(textarea, function () { return "## "; }); },
      h3: function () { prefixLines(textarea, function () { return "### "; }); },
      bold: function () { replaceSelection(textarea, "**", "**", "bold text"); },
      italic: function () { replaceSelection(textarea, "*", "*", "italic text"); },
      link: function () { askLink(textarea); },
      quote: function () { prefixLines(textarea, function () { return "> "; }); },
      bullets: function () { prefixLines(textarea, function () { return "- "; }); },
      numbers: function () { prefixLines(textarea, function (i) { return (i + 1) + ". "; }); },
      image: function () {
        chooseImage(imagesUrl, function (image) {
          var caption = image.caption ? ' "' + image.caption.replace(/"/g, "'") + '"' : "";
          var alt = (image.decorative ? "" : image.alt_text).replace(/[\[\]]/g, "");
          insertBlock(textarea, "![" + alt + "](image:" + image.id + caption + ")");
        });
      },
      embed: function () { askEmbed(textarea, providers); }
    };
    var buttons = [
      ["h2", "H2", "Heading", MOD + "Alt+2"],
      ["h3", "H3", "Subheading", MOD + "Alt+3"],
      ["bold", "B", "Bold", MOD + "B"],
      ["italic", "I", "Italic", MOD + "I"],
      ["link", "Link", "Link", MOD + "K"],
      ["quote", "“ ”", "Quote", MOD + "Shift+9"],
      ["bullets", "• List", "Bulleted list", MOD + "Shift+8"],
      ["numbers", "1. List", "Numbered list", MOD + "Shift+7"],
      ["image", "Image", "Image from the library", MOD + "Shift+I"],
      ["embed", "Embed", "Embed (" + providers + ")", MOD + "Shift+E"]
    ];
    var toolbar = el("div", { className: "nd-toolbar", role: "toolbar", "aria-label": "Formatting", "aria-controls": textarea.id });
    buttons.forEach(function (spec) {
      var button = el("button", {
        type: "button", className: "nd-tool nd-tool--" + spec[0],
        "aria-label": spec[2] + " (" + spec[3] + ")", title: spec[2] + " (" + spec[3] + ")",
        "data-action": spec[0], text: spec[1]
      });
      button.addEventListener("click", function () { actions[spec[0]](); });
      toolbar.appendChild(button);
    });

    var status = el("span", { className: "nd-preview-status", role: "status" });
    var summary = el("a", { className: "nd-preview-checks", href: "#nd-checks" });
    var previewBody = el("div", { className: "nd-preview-body article-body" });
    var preview = el("section", { className: "nd-preview", "aria-label": "Preview" }, [
      el("div", { className: "nd-preview-head" }, [
        el("strong", { text: "Preview" }),
        el("span", { className: "nd-help", text: " as readers will see it" }),
        summary,
        status
      ]),
      previewBody
    ]);
    var write = el("div", { className: "nd-write" });
    var panes = el("div", { className: "nd-panes" }, [write, preview]);
    textarea.parentNode.insertBefore(toolbar, textarea);
    textarea.parentNode.insertBefore(panes, textarea);
    write.appendChild(textarea);

    textarea.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey)) { return; }
      var key = event.key.toLowerCase(), code = event.code;
      var action = null;
      if (event.shiftKey) {
        action = { Digit7: "numbers", Digit8: "bullets", Digit9: "quote", KeyI: "image", KeyE: "embed" }[code];
      } else if (event.altKey) {
        action = { Digit2: "h2", Digit3: "h3" }[code];
      } else {
        action = { b: "bold", i: "italic", k: "link" }[key];
      }
      if (action) { event.preventDefault(); actions[action](); }
    });

    var timer = null, inflight = null;
    function field(name) { return form ? form.querySelector("[name=" + name + "]") : null; }
    function refresh() {
      if (inflight) { inflight.abort(); }
      inflight = new AbortController();
      var data = new FormData();
      data.append("body", textarea.value);
      ["headline", "standfirst", "lead_image"].forEach(function (name) {
        var input = field(name);
        if (input) { data.append(name, input.value); }
      });
      var flag = field("needs_headline");
      if (flag && flag.checked) { data.append("needs_headline", "on"); }
      var match = window.location.pathname.match(/\/article\/(\d+)\/change\//);
      if (match) { data.append("article", match[1]); }
      status.textContent = "Updating…";
      fetch(previewUrl, {
        method: "POST", body: data, credentials: "same-origin", signal: inflight.signal,
        headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" }
      })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (result) {
          previewBody.innerHTML = result.html;  // sanitised by the server, as on the site
          if (!result.html) { previewBody.appendChild(el("p", { className: "nd-help", text: "Nothing to preview yet." })); }
          showChecks(result);
          var warnings = result.checks.filter(function (c) { return c.level === "warning"; }).length;
          summary.textContent = result.blockers
            ? result.blockers + " blocking · " + warnings + " warning" + (warnings === 1 ? "" : "s")
            : (warnings ? "Ready · " + warnings + " warning" + (warnings === 1 ? "" : "s") : "Ready to publish");
          summary.className = "nd-preview-checks " + (result.blockers ? "is-blocked" : "is-clear");
          status.textContent = "Up to date";
        })
        .catch(function (error) {
          if (error.name !== "AbortError") { status.textContent = "Preview unavailable (" + error.message + ")"; }
        });
    }
    function later() { clearTimeout(timer); timer = setTimeout(refresh, DEBOUNCE_MS); }
    textarea.addEventListener("input", later);
    ["headline", "standfirst", "needs_headline"].forEach(function (name) {
      var input = field(name);
      if (input) { input.addEventListener("input", later); input.addEventListener("change", later); }
    });
    var lead = field("lead_image");
    if (lead) {
      lead.addEventListener("change", later);
      if (window.django && window.django.jQuery) { window.django.jQuery(lead).on("change", later); }
      leadImageChooser(lead, imagesUrl);
    }
    refresh();
  }

  // --- Lead image: thumbnail of the choice and a visual chooser --------------------

  function leadImageChooser(select, imagesUrl) {
    var holder = el("div", { className: "nd-lead-choice" });
    var thumb = el("div", { className: "nd-lead-thumb", "aria-live": "polite" });
    var browse = el("button", { type: "button", className: "nd-button", text: "Browse the library" });
    var clear = el("button", { type: "button", className: "nd-button", text: "Remove" });
    holder.appendChild(thumb);
    holder.appendChild(browse);
    holder.appendChild(clear);
    var anchor = select.closest(".related-widget-wrapper") || select;
    anchor.parentNode.insertBefore(holder, anchor.nextSibling);
    var $ = window.django && window.django.jQuery;

    function show() {
      thumb.textContent = "";
      clear.hidden = !select.value;
      if (!select.value) { thumb.appendChild(el("span", { className: "nd-help", text: "No lead image." })); return; }
      fetch(imagesUrl + "?id=" + encodeURIComponent(select.value), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var image = data.results && data.results[0];
          if (!image) { return; }
          if (image.thumb) { thumb.appendChild(el("img", { src: image.thumb, alt: "", width: "80", height: "80" })); }
          thumb.appendChild(el("span", { text: image.decorative ? "Decorative image" : "Alt text: " + image.alt_text }));
        });
    }
    function setValue(id, label) {
      if (id && !select.querySelector('option[value="' + id + '"]')) {
        select.appendChild(new Option(label, id, true, true));
      }
      select.value = id;
      // The change listeners refresh the thumbnail and the preview's checks.
      if ($) { $(select).trigger("change"); } else { select.dispatchEvent(new Event("change", { bubbles: true })); }
    }
    browse.addEventListener("click", function () {
      chooseImage(imagesUrl, function (image) { setValue(String(image.id), image.label); });
    });
    clear.addEventListener("click", function () { setValue("", ""); });
    if ($) { $(select).on("change", show); } else { select.addEventListener("change", show); }
    show();
  }

  function start() { document.querySelectorAll(".nd-editor").forEach(enhance); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
