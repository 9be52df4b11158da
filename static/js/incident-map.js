// Draws the incident map from the JSON data block named by data-points-id.
// The same places and coordinates are listed in the page text.
(function () {
  "use strict";
  function draw() {
    var element = document.getElementById("incident-map");
    if (!element || typeof L === "undefined") {
      return;
    }
    var data = document.getElementById(element.getAttribute("data-points-id"));
    if (!data) {
      return;
    }
    var points = JSON.parse(data.textContent);
    if (!points.length) {
      return;
    }
    element.classList.add("is-active");
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 18,
      attribution: "&copy; OpenStreetMap contributors",
    }).addTo(map);
    var bounds = [];
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lng], { title: point.title, alt: point.title });
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.title;
      var popup = document.createElement("div");
      popup.appendChild(link);
      popup.appendChild(document.createElement("br"));
      popup.appendChild(document.createTextNode(point.place));
      marker.bindPopup(popup).addTo(map);
      bounds.push([point.lat, point.lng]);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 8);
    } else {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 10 });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
