/* Dates and numbers in the reader's language.
   The server writes them in the page's language, the same for every reader so
   that one cached page serves them all; this re-writes each <time datetime>
   and <data value> with Intl in the language the browser asks for. */
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat || !Intl.NumberFormat) { return; }
  var reader = (navigator.languages && navigator.languages[0]) || navigator.language;
  if (!reader) { return; }
  var zone = document.documentElement.getAttribute("data-time-zone") || "UTC";
  var day = { day: "numeric", month: "long", year: "numeric" };
  var formats;
  try {
    formats = {
      // A date alone is a calendar day: no time zone may move it.
      day: new Intl.DateTimeFormat(reader, Object.assign({ timeZone: "UTC" }, day)),
      // A moment shown as a day is the day in the site's time zone, as on the server.
      moment: new Intl.DateTimeFormat(reader, Object.assign({ timeZone: zone }, day)),
      // A moment with its time is shown in the reader's own time zone.
      datetime: new Intl.DateTimeFormat(reader, Object.assign(
        { hour: "numeric", minute: "2-digit", timeZoneName: "short" }, day)),
      number: new Intl.NumberFormat(reader)
    };
  } catch (error) { return; }
  var lang = formats.number.resolvedOptions().locale;

  var root = document.documentElement;
  var pageLanguage = (root.lang || "en").split("-")[0];

  // The text is the reader's language (the server may have written it so
  // already): say so for screen readers when it is not the page's.
  function rewrite(element, text) {
    if (!text) { return; }
    if (element.textContent !== text) { element.textContent = text; }
    if (lang.split("-")[0] !== pageLanguage) { element.setAttribute("lang", lang); }
  }

  var times = document.querySelectorAll("time[datetime]");
  for (var i = 0; i < times.length; i++) {
    var time = times[i];
    if (time.children.length) { continue; }
    var value = time.getAttribute("datetime");
    var dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
    var when = new Date(dateOnly ? value + "T00:00:00Z" : value);
    if (isNaN(when.getTime())) { continue; }
    var format = dateOnly ? formats.day
      : time.getAttribute("data-format") === "datetime" ? formats.datetime : formats.moment;
    rewrite(time, format.format(when));
  }

  // Numbers inside [data-numbers] are written grouped in the language the
  // server formatted them in (12,000 in English, 12 000 in French): read them
  // back with its separator, write them anew. Quoted source text keeps its own.
  var page = root.getAttribute("data-format-lang") || root.lang || "en";
  var group;
  try {
    group = new Intl.NumberFormat(page).formatToParts(10000).filter(function (part) {
      return part.type === "group";
    }).map(function (part) { return part.value; })[0] || "";
  } catch (error) { return; }
  // A space as separator may be written as any of the spaces (the server's
  // formats and the browser's Intl differ: U+00A0, U+202F).
  var escaped = /^[\s\u00a0\u202f]$/.test(group) ? "[\\s\\u00a0\\u202f]"
    : group.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  var grouped = new RegExp("\\d{1,3}(?:" + escaped + "\\d{3})+|\\d+", "g");
  var containers = document.querySelectorAll("[data-numbers]");
  for (var j = 0; j < containers.length; j++) {
    var walker = document.createTreeWalker(containers[j], NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      if (node.parentNode.closest("time, a, q")) { continue; }
      var before = node.nodeValue;
      var after = before.replace(grouped, function (digits) {
        return formats.number.format(Number(digits.replace(/\D/g, "")));
      });
      if (after !== before) {
        node.nodeValue = after;
      }
    }
  }
}());
