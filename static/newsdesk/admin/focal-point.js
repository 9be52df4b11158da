/* The focal point picker on a library image's form.
 *
 * Clicking the picture (or moving the point with the arrow keys once the
 * picture has focus) sets the "Focal x" and "Focal y" fields; typing in the
 * fields moves the point. The crop previews follow, placed the way the server
 * crops (newsdesk.media.focal_crop). Without JavaScript the two fields are
 * plain numbers and the previews show the saved crops.
 */
(function () {
  "use strict";

  function clamp(value, low, high) {
    return Math.min(Math.max(value, low), high);
  }

  // Percent of the slack at which a window centred on `focal` starts: the
  // same arithmetic as the server's _offset(), read by object-position.
  function offset(focal, length, windowLength) {
    var slack = length - windowLength;
    if (slack <= 0) {
      return 50;
    }
    var start = clamp((focal / 100) * length - windowLength / 2, 0, slack);
    return Math.round((start / slack) * 100);
  }

  function cropPosition(x, y, width, height, ratio) {
    var parts = ratio.split(":");
    var wide = Number(parts[0]);
    var high = Number(parts[1]);
    if (width * high > height * wide) {
      return offset(x, width, (height * wide) / high) + "% 50%";
    }
    return "50% " + offset(y, height, (width * high) / wide) + "%";
  }

  function setUp(picker) {
    var fieldX = document.getElementById("id_focal_x");
    var fieldY = document.getElementById("id_focal_y");
    var frame = picker.querySelector(".nd-focal__frame");
    var image = picker.querySelector(".nd-focal__image");
    var marker = picker.querySelector(".nd-focal__marker");
    if (!fieldX || !fieldY || !frame || !image || !marker) {
      return;
    }
    var width = Number(picker.dataset.width) || image.naturalWidth;
    var height = Number(picker.dataset.height) || image.naturalHeight;

    function read(field) {
      var value = parseInt(field.value, 10);
      return isNaN(value) ? 50 : clamp(value, 0, 100);
    }

    function show() {
      var x = read(fieldX);
      var y = read(fieldY);
      marker.hidden = false;
      marker.style.left = x + "%";
      marker.style.top = y + "%";
      frame.setAttribute(
        "aria-label",
        "Focal point: " + x + " % from the left, " + y + " % from the top"
      );
      picker.querySelectorAll(".nd-focal__crop img").forEach(function (crop) {
        crop.style.objectPosition = cropPosition(x, y, width, height, crop.dataset.ratio);
      });
    }

    function set(x, y) {
      fieldX.value = String(clamp(Math.round(x), 0, 100));
      fieldY.value = String(clamp(Math.round(y), 0, 100));
      [fieldX, fieldY].forEach(function (field) {
        field.dispatchEvent(new Event("change", { bubbles: true }));
      });
      show();
    }

    frame.tabIndex = 0;
    frame.setAttribute("role", "button");
    frame.setAttribute("aria-describedby", "nd-focal-help");
    frame.classList.add("is-active");

    frame.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      if (!box.width || !box.height) {
        return;
      }
      set(
        ((event.clientX - box.left) / box.width) * 100,
        ((event.clientY - box.top) / box.height) * 100
      );
    });

    var steps = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    frame.addEventListener("keydown", function (event) {
      var step = steps[event.key];
      if (!step) {
        return;
      }
      event.preventDefault();
      var size = event.shiftKey ? 10 : 1;
      set(read(fieldX) + step[0] * size, read(fieldY) + step[1] * size);
    });

    [fieldX, fieldY].forEach(function (field) {
      field.addEventListener("input", show);
    });
    show();
  }

  function start() {
    document.querySelectorAll("[data-nd-focal]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
