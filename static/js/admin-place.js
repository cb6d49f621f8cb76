/* The place form in the back-office: a map picker for the position, and live previews of the
 * opening hours and of the Markdown description. Works with the bundled Leaflet, no tiles. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  var configNode = document.getElementById("place-form-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var latInput = document.getElementById("id_latitude");
  var lonInput = document.getElementById("id_longitude");
  var precision = document.getElementById("id_location_precision");

  function status(id, text, isWarning) {
    var node = document.getElementById(id);
    node.textContent = text;
    node.className = isWarning ? "solozere-warning" : "solozere-help";
  }

  // Map picker
  if (latInput && lonInput && typeof L !== "undefined") {
    var box = document.createElement("div");
    box.innerHTML = '<div id="place-picker" class="solozere-picker" role="region"></div>' +
      '<p id="picker-status" class="solozere-help" aria-live="polite"></p>';
    var row = latInput.closest(".form-row") || latInput.parentNode;
    row.parentNode.insertBefore(box, row.nextSibling);
    var mapNode = document.getElementById("place-picker");
    mapNode.setAttribute("aria-label", config.labels.map);
    status("picker-status", config.labels.help);

    var map = L.map(mapNode, { zoomControl: false }).setView([44.52, 3.5], 9);
    L.control.zoom({ zoomInTitle: config.labels.zoomIn, zoomOutTitle: config.labels.zoomOut })
      .addTo(map);
    var rings = [];
    fetch(config.outline).then(function (r) { return r.json(); }).then(function (data) {
      L.geoJSON(data, { style: { color: "#0b5e55", weight: 2, fillOpacity: 0.1 }, interactive: false })
        .addTo(map);
      var geometry = data.features[0].geometry;
      var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
      rings = polygons.map(function (polygon) { return polygon[0]; });
      check();
    });

    var marker = L.marker(map.getCenter(), { draggable: true, keyboard: false });

    function inside(ring, x, y) {
      var result = false;
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
        if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) result = !result;
      }
      return result;
    }

    function check() {
      if (!map.hasLayer(marker) || !rings.length) return;
      var p = marker.getLatLng();
      var ok = rings.some(function (ring) { return inside(ring, p.lng, p.lat); });
      status("picker-status", ok ? config.labels.help : config.labels.outside, !ok);
    }

    function fromInputs() {
      var lat = parseFloat(latInput.value.replace(",", "."));
      var lon = parseFloat(lonInput.value.replace(",", "."));
      if (isNaN(lat) || isNaN(lon)) return;
      marker.setLatLng([lat, lon]).addTo(map);
      map.setView([lat, lon], Math.max(map.getZoom(), 12));
      check();
    }

    function toInputs(latlng) {
      latInput.value = latlng.lat.toFixed(5);
      lonInput.value = latlng.lng.toFixed(5);
      if (precision) precision.value = "exact";
      check();
    }

    map.on("click", function (event) {
      marker.setLatLng(event.latlng).addTo(map);
      toInputs(event.latlng);
    });
    marker.on("dragend", function () { toInputs(marker.getLatLng()); });
    latInput.addEventListener("change", fromInputs);
    lonInput.addEventListener("change", fromInputs);

    // Choosing a commune centres the map on its town hall (the autocomplete is a jQuery select2).
    function centreOnCommune(pk) {
      var position = config.communes[pk];
      if (position) map.setView(position, 13);
    }
    if (window.django && window.django.jQuery) {
      window.django.jQuery("#id_commune").on("change", function () { centreOnCommune(this.value); });
    }
    fromInputs();
  }

  // Live previews, fetched from the server so they say exactly what the site will show.
  function preview(input, url, outputId, render) {
    if (!input) return;
    var output = document.createElement("div");
    output.id = outputId;
    output.className = "solozere-preview";
    output.setAttribute("aria-live", "polite");
    input.parentNode.appendChild(output);
    var timer = null;
    function refresh() {
      var body = new URLSearchParams({ value: input.value });
      fetch(url, {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": document.querySelector("[name=csrfmiddlewaretoken]").value }
      }).then(function (r) { return r.json(); }).then(function (data) { render(output, data); });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
    refresh();
  }

  preview(document.getElementById("id_opening_hours"), config.hoursPreview, "hours-preview",
    function (output, data) {
      output.textContent = "";
      if (data.error) {
        var error = document.createElement("p");
        error.className = "solozere-warning";
        error.textContent = data.error;
        output.appendChild(error);
        return;
      }
      var list = document.createElement("ul");
      data.week.forEach(function (day) {
        var item = document.createElement("li");
        item.textContent = day;
        list.appendChild(item);
      });
      output.appendChild(list);
    });

  preview(document.getElementById("id_description"), config.markdownPreview, "markdown-preview",
    function (output, data) {
      // The server has sanitised this HTML with nh3, exactly as the public page will.
      output.innerHTML = data.html;
    });
});
