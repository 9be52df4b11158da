/* Click-to-load embeds: the provider's frame is created only when the reader asks.
   The CSP's frame-src allows only the providers the renderer knows. */
(function () {
  "use strict";

  function load(figure) {
    var src = figure.getAttribute("data-embed-src") || "";
    if (src.indexOf("https://") !== 0) { return; }
    var frame = document.createElement("iframe");
    frame.src = src;
    frame.title = figure.getAttribute("data-embed-title") || "Embedded content";
    frame.className = "embed-frame";
    if (figure.getAttribute("data-embed-kind") === "video") {
      frame.classList.add("is-video");
    } else {
      frame.height = figure.getAttribute("data-embed-provider") === "SoundCloud" ? "166" : "480";
    }
    frame.setAttribute("allow", "fullscreen; encrypted-media; picture-in-picture");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.setAttribute("loading", "lazy");
    var placeholder = figure.querySelector(".embed-placeholder");
    figure.replaceChild(frame, placeholder);
    frame.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-embed-load]") : null;
    if (!button) { return; }
    var figure = button.closest("figure.embed");
    if (figure) { load(figure); }
  });
})();
