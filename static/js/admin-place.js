/* The place form in the back-office: a map picker for the position (communes drawn from local
 * GeoJSON, no tiles unless TILES_URL is set; an address search when GEOCODER_URL is set), the week
 * grid of opening hours kept in step with its expression, and live previews of the hours and of
 * the Markdown description. The form works without it. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  var configNode = document.getElementById("place-form-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var labels = config.labels;
  var latInput = document.getElementById("id_latitude");
  var lonInput = document.getElementById("id_longitude");
  var precision = document.getElementById("id_location_precision");
  var communeInput = document.getElementById("id_commune");
  var addressInput = document.getElementById("id_address");
  var csrf = document.querySelector("[name=csrfmiddlewaretoken]");

  function status(id, text, isWarning) {
    var node = document.getElementById(id);
    node.textContent = text;
    node.className = isWarning ? "solozere-warning" : "solozere-help";
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { throw new Error(response.status); });
      });
  }

  // Map picker
  if (latInput && lonInput && typeof L !== "undefined") {
    var box = element("div", { "class": "solozere-position" });
    var mapNode = element("div", {
      id: "place-picker", "class": "solozere-picker solozere-picker-far", role: "region",
      "aria-label": labels.map
    });
    var tools = element("div", { "class": "solozere-picker-tools" });
    var centre = element("button", { type: "button", "class": "button" }, labels.centre);
    tools.appendChild(centre);
    box.appendChild(tools);
    box.appendChild(mapNode);
    box.appendChild(element("p", { id: "picker-status", "class": "solozere-help", "aria-live": "polite" }));
    var row = latInput.closest(".form-row") || latInput.parentNode;
    row.parentNode.insertBefore(box, row.nextSibling);
    status("picker-status", labels.help);

    var map = L.map(mapNode, { zoomControl: false }).setView([44.52, 3.5], 9);
    L.control.zoom({ zoomInTitle: labels.zoomIn, zoomOutTitle: labels.zoomOut }).addTo(map);
    map.attributionControl.setPrefix(false);
    if (config.tiles) {
      L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
    }
    // Commune names only once they no longer overlap.
    map.on("zoomend", function () {
      mapNode.classList.toggle("solozere-picker-far", map.getZoom() < 11);
    });

    var rings = [];
    getJSON(config.outline).then(function (data) {
      L.geoJSON(data, { style: { color: "#0b5e55", weight: 2, fillOpacity: 0.05 }, interactive: false })
        .addTo(map);
      var geometry = data.features[0].geometry;
      var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
      rings = polygons.map(function (polygon) { return polygon[0]; });
      check();
    });

    var townhalls = {};
    Object.keys(config.communes).forEach(function (pk) {
      townhalls[config.communes[pk].insee] = config.communes[pk].at;
    });
    var communeLayer = null;
    getJSON(config.communeOutlines).then(function (data) {
      communeLayer = L.geoJSON(data, { style: communeStyle, interactive: false }).addTo(map);
      communeLayer.eachLayer(function (layer) {
        var name = element("span", {}, layer.feature.properties.name);
        var at = townhalls[layer.feature.properties.insee] || layer.getBounds().getCenter();
        L.marker(at, {
          icon: L.divIcon({ className: "solozere-commune-name", html: name, iconSize: null }),
          interactive: false, keyboard: false
        }).addTo(map);
      });
    });

    function selectedCommune() {
      return communeInput && config.communes[communeInput.value];
    }

    function communeStyle(feature) {
      var selected = selectedCommune();
      var isSelected = selected && selected.insee === feature.properties.insee;
      return {
        color: isSelected ? "#b3541e" : "#6b7f7b", weight: isSelected ? 3 : 1,
        dashArray: isSelected ? null : "3 3", fillOpacity: 0
      };
    }

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
      status("picker-status", ok ? labels.help : labels.outside, !ok);
    }

    function fromInputs() {
      var lat = parseFloat(latInput.value.replace(",", "."));
      var lon = parseFloat(lonInput.value.replace(",", "."));
      if (isNaN(lat) || isNaN(lon)) return;
      marker.setLatLng([lat, lon]).addTo(map);
      map.setView([lat, lon], Math.max(map.getZoom(), 12));
      check();
    }

    function toInputs(latlng, exact) {
      latInput.value = latlng.lat.toFixed(5);
      lonInput.value = latlng.lng.toFixed(5);
      if (precision && exact !== false) precision.value = "exact";
      check();
    }

    map.on("click", function (event) {
      marker.setLatLng(event.latlng).addTo(map);
      toInputs(event.latlng);
    });
    marker.on("dragend", function () { toInputs(marker.getLatLng()); });
    latInput.addEventListener("change", fromInputs);
    lonInput.addEventListener("change", fromInputs);

    // « Centrer sur la commune »: its town hall; choosing a commune does it too (the autocomplete
    // is a jQuery select2, whose changes only jQuery hears).
    function centreOnCommune() {
      var commune = selectedCommune();
      if (communeLayer) communeLayer.setStyle(communeStyle);
      if (!commune) {
        status("picker-status", labels.noCommune, true);
        return;
      }
      map.setView(commune.at, 13);
      status("picker-status", labels.help);
    }
    centre.addEventListener("click", centreOnCommune);
    if (window.django && window.django.jQuery) {
      window.django.jQuery("#id_commune").on("change", centreOnCommune);
    }
    fromInputs();

    if (config.geocoder) addressSearch(tools, map, marker, toInputs);
  }

  // Address search, through the back-office (which asks the national address service).
  function addressSearch(tools, map, marker, toInputs) {
    var search = element("div", { "class": "solozere-geocoder", role: "search" });
    search.appendChild(element("label", { "for": "geocoder-query" }, labels.search));
    var query = element("input", {
      type: "search", id: "geocoder-query", maxlength: "200", autocomplete: "off", "class": "vTextField"
    });
    query.value = addressInput ? addressInput.value : "";
    search.appendChild(query);
    var button = element("button", { type: "button", "class": "button" }, labels.searchButton);
    search.appendChild(button);
    tools.parentNode.insertBefore(search, tools);
    var answer = element("div", { "class": "solozere-geocoder-answer" });
    answer.appendChild(element("p", { id: "geocoder-status", "class": "solozere-help", "aria-live": "polite" }));
    var list = element("ul", { id: "geocoder-results", "class": "solozere-geocoder-results" });
    answer.appendChild(list);
    tools.parentNode.insertBefore(answer, tools);

    function choose(result) {
      var at = L.latLng(result.latitude, result.longitude);
      marker.setLatLng(at).addTo(map);
      map.setView(at, 17);
      toInputs(at, ["housenumber", "street"].indexOf(result.kind) !== -1);
      if (addressInput && !addressInput.value.trim() && result.street) {
        addressInput.value = result.street + ", " + (result.postcode + " " + result.city).trim();
      }
      list.textContent = "";
      status("geocoder-status", labels.placed.replace("%(label)s", result.label));
      if (result.warning) status("picker-status", result.warning, true);
    }

    function run() {
      var text = query.value.trim();
      list.textContent = "";
      status("geocoder-status", labels.searching);
      var params = new URLSearchParams({ q: text, commune: communeInput ? communeInput.value : "" });
      getJSON(config.geocoder + "?" + params).then(function (data) {
        var results = data.results || [];
        if (!results.length) {
          status("geocoder-status", data.error || labels.searchFailed, true);
          return;
        }
        status("geocoder-status", labels.results);
        results.forEach(function (result) {
          var item = element("li");
          var pick = element("button", { type: "button", "class": "button" }, result.label);
          pick.addEventListener("click", function () { choose(result); });
          item.appendChild(pick);
          if (result.warning) item.appendChild(element("span", { "class": "solozere-warning" }, result.warning));
          list.appendChild(item);
        });
      }).catch(function () { status("geocoder-status", labels.searchFailed, true); });
    }

    button.addEventListener("click", run);
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // not the place form's submission
        event.preventDefault();
        run();
      }
    });
  }

  // Live previews, fetched from the server so they say exactly what the site will show.
  function post(url, body) {
    return fetch(url, {
      method: "POST", body: body, headers: { "X-CSRFToken": csrf.value }, credentials: "same-origin"
    }).then(function (r) { return r.json(); });
  }

  function preview(input, url, outputId, render) {
    if (!input) return null;
    var output = element("div", { id: outputId, "class": "solozere-preview", "aria-live": "polite" });
    var holder = input.closest(".flex-container") || input;
    holder.parentNode.insertBefore(output, holder.nextSibling);
    var timer = null;
    function refresh() {
      post(url, new URLSearchParams({ value: input.value })).then(function (data) {
        render(output, data, input.value);
      });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
    refresh();
    return output;
  }

  function renderHours(output, data, typed) {
    output.textContent = "";
    if (data.error) {
      output.appendChild(element("p", { "class": "solozere-warning" }, data.error));
      return;
    }
    if (data.expression && data.expression !== typed.trim()) {
      var line = element("p", {}, labels.expression + " ");
      line.appendChild(element("code", {}, data.expression));
      output.appendChild(line);
    }
    var list = element("ul");
    data.week.forEach(function (day) { list.appendChild(element("li", {}, day)); });
    output.appendChild(list);
  }

  var expression = document.getElementById("id_opening_hours");
  var hoursOutput = preview(expression, config.hoursPreview, "hours-preview", renderHours);

  // The week grid writes the expression as it is filled in.
  var grid = document.querySelector(".hours-grid");
  if (grid && expression) {
    var timer = null;
    var gridChanged = function () {
      var body = new URLSearchParams({ source: "grid" });
      grid.querySelectorAll("input, select").forEach(function (field) {
        if (field.type !== "checkbox" || field.checked) body.append(field.name, field.value);
      });
      post(config.hoursPreview, body).then(function (data) {
        if (!data.error) expression.value = data.expression;
        renderHours(hoursOutput, data, "");
      });
    };
    grid.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(gridChanged, 400);
    });
    grid.addEventListener("change", function () {
      clearTimeout(timer);
      timer = setTimeout(gridChanged, 100);
    });

    // Monday's ranges copied to Tuesday–Friday: most places keep the same hours all week.
    var usual = grid.querySelector(".hours-block");
    var copy = element("button", { type: "button", "class": "button hours-copy" }, labels.copyWeek);
    usual.appendChild(copy);
    copy.addEventListener("click", function () {
      var prefix = grid.id + "-";
      usual.querySelectorAll("input[id^='" + prefix + "mo-']").forEach(function (monday) {
        ["tu", "we", "th", "fr"].forEach(function (day) {
          document.getElementById(monday.id.replace(prefix + "mo-", prefix + day + "-")).value = monday.value;
        });
      });
      gridChanged();
    });
  }

  preview(document.getElementById("id_description"), config.markdownPreview, "markdown-preview",
    function (output, data) {
      // The server has sanitised this HTML with nh3, exactly as the public page will.
      output.innerHTML = data.html;
    });
});
