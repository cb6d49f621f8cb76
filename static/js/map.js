/* Solozère map: Lozère drawn from local GeoJSON, the places of the page as clustered markers.
 * Everything it needs comes from the JSON in #map-config; without JavaScript the list stands alone.
 */
(function () {
  "use strict";

  var configNode = document.getElementById("map-config");
  var mapNode = document.getElementById("map");
  if (!configNode || !mapNode || typeof L === "undefined") return;
  var config = JSON.parse(configNode.textContent);

  var map = L.map(mapNode, { zoomSnap: 0.5, minZoom: 5, maxZoom: 18, zoomControl: false })
    .setView([44.52, 3.5], 9);
  L.control.zoom({ zoomInTitle: config.labels.zoomIn, zoomOutTitle: config.labels.zoomOut })
    .addTo(map);

  // The map may be hidden (a phone showing the list): remember what to frame, frame it when shown.
  // Framing is instant: a marker tapped while the view still glides would lose its popup when the
  // clusters are redrawn at the end of the glide.
  var framed = null;
  function frame(bounds, options) {
    options = L.extend({ animate: false }, options);
    framed = { bounds: bounds, options: options };
    if (mapNode.offsetWidth) map.fitBounds(bounds, options);
  }
  function reframe() {
    map.invalidateSize();
    if (framed) map.fitBounds(framed.bounds, framed.options);
  }

  map.on("popupopen", function (event) {
    var popupNode = event.popup.getElement();
    var close = popupNode.querySelector(".leaflet-popup-close-button");
    if (close) close.setAttribute("aria-label", config.labels.close);
    var link = popupNode.querySelector("a[href]:not(.leaflet-popup-close-button)");
    if (link) link.focus();
  });
  if (config.tiles) {
    L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 18 }).addTo(map);
  }
  map.attributionControl.setPrefix(false);

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" } }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  // Without tiles, the communes orient the visitor (map-communes.js).
  if (!config.tiles && window.solozere) {
    window.solozere.communeNames(map, config.communeNames);
    window.solozere.communeBorders(map, config.borders);
  }

  var outline = getJSON(config.outline).then(function (data) {
    var layer = L.geoJSON(data, {
      style: { color: "#0b5e55", weight: 2, fillColor: "#e4efec", fillOpacity: 0.6 },
      interactive: false
    }).addTo(map);
    return layer;
  });

  if (config.insee) {
    getJSON(config.communeOutline.replace("00000", config.insee)).then(function (data) {
      L.geoJSON(data, {
        style: { color: "#b3541e", weight: 2, dashArray: "4 3", fillOpacity: 0.08 },
        interactive: false
      }).addTo(map);
    }).catch(function () { /* a commune outside the local boundaries: no outline */ });
  }

  // An area the page is about (a communauté de communes): outlined, and what the map frames.
  var area = config.area ? getJSON(config.area).then(function (data) {
    return L.geoJSON(data, {
      style: { color: "#b3541e", weight: 2, dashArray: "6 4", fillColor: "#b3541e", fillOpacity: 0.06 },
      interactive: false
    }).addTo(map);
  }) : null;

  function icon(picto, approx) {
    var html = document.createElement("span");
    html.className = "marker" + (approx ? " marker-approx" : "");
    picto = picto || config.defaultPicto;
    if (picto) {
      var img = document.createElement("img");
      img.src = config.pictos + picto + ".svg";
      img.alt = "";
      html.appendChild(img);
    }
    return L.divIcon({ html: html, className: "", iconSize: [30, 30], iconAnchor: [15, 15] });
  }

  // What the collection names once (types, services), for every popup.
  var catalogue = { types: {}, services: {} };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function popup(properties) {
    var box = element("div", "popup");
    box.appendChild(element("strong", "", properties.name));
    var types = (properties.types || []).map(function (code) { return catalogue.types[code]; });
    if (types.length) box.appendChild(element("p", "popup-meta", types.filter(Boolean).join(" · ")));
    box.appendChild(element("p", "", properties.commune || config.labels.noCommune));
    var state = properties.status ? config.labels.status[properties.status]
      : properties.open === true ? config.labels.openNow
        : properties.open === false ? config.labels.closedNow : "";
    if (state) {
      var line = element("p", "popup-state");
      line.appendChild(element("span", "tag" + (properties.open ? " tag-open" : ""), state));
      box.appendChild(line);
    }
    var services = (properties.services || []).filter(function (code) {
      return catalogue.services[code];
    });
    if (services.length) {
      var list = element("ul", "pictos popup-pictos");
      list.setAttribute("aria-label", config.labels.services);
      services.forEach(function (code) {
        var service = catalogue.services[code];
        var item = element("li", "popup-picto");
        var img = element("img");
        img.src = config.pictos + service[1] + ".svg";
        img.alt = service[0];
        img.title = service[0];
        img.width = img.height = 20;
        item.appendChild(img);
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    if (properties.approx) box.appendChild(element("p", "popup-note", config.labels.approx));
    var link = element("a", "", config.labels.open);
    link.href = properties.url;
    box.appendChild(link);
    return box;
  }

  var bounds = null;
  if (config.origin) {
    var origin = L.latLng(config.origin[0], config.origin[1]);
    var circle = L.circle(origin, {
      radius: (config.radiusKm || 10) * 1000, color: "#b3541e", weight: 1, fillOpacity: 0.05,
      interactive: false
    }).addTo(map);
    L.circleMarker(origin, { radius: 5, color: "#b3541e", fillOpacity: 1, interactive: false })
      .addTo(map);
    bounds = circle.getBounds();
  }

  if (config.point) {
    var here = L.latLng(config.point.lat, config.point.lon);
    L.marker(here, { icon: icon(config.point.picto, config.point.approx), keyboard: false })
      .addTo(map);
    map.setView(here, config.point.approx ? 12 : 14);
  }

  if (config.geojson) {
    // Few places come as points, clustered here; many (a region, the country) come as counts per
    // cell of a grid over the view, asked for again whenever the view moves.
    var source = config.geojson + (config.geojson.indexOf("?") === -1 ? "?" : "&") + "grid=1";
    // Clusters split and merge at once too: while they glide, a tapped marker may be taken off
    // the map and put back, and its popup closes with it.
    var cluster = L.markerClusterGroup({
      showCoverageOnHover: false, maxClusterRadius: 40, animate: false
    });
    var cells = L.featureGroup();
    map.addLayer(cluster);
    map.addLayer(cells);
    var settling = false;

    function draw(data) {
      cluster.clearLayers();
      cells.clearLayers();
      if (data.gridded) {
        data.features.forEach(function (feature) {
          var count = feature.properties.count;
          var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
          var where = feature.geometry.coordinates;
          var cell = L.marker([where[1], where[0]], {
            icon: L.divIcon({
              html: "<div><span>" + count + "</span></div>",
              className: "marker-cluster marker-cluster-" + size,
              iconSize: [40, 40]
            }),
            title: config.labels.cell.replace("%(count)s", count),
            alt: config.labels.cell.replace("%(count)s", count)
          });
          cell.on("click", function () { map.setView(cell.getLatLng(), map.getZoom() + 2); });
          cells.addLayer(cell);
        });
        return cells;
      }
      catalogue = { types: data.types || {}, services: data.services || {} };
      cluster.addLayer(L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          var p = feature.properties;
          return L.marker(latlng, {
            icon: icon(p.picto || config.defaultPicto, p.approx), title: p.name, alt: p.name
          });
        },
        onEachFeature: function (feature, marker) {
          marker.bindPopup(function () { return popup(feature.properties); });
        }
      }));
      return cluster;
    }

    function view() {
      var b = map.getBounds();
      var clamp = function (value, limit) { return Math.max(-limit, Math.min(limit, value)); };
      return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180),
        clamp(b.getNorth(), 90)].map(function (value) { return value.toFixed(4); }).join(",");
    }

    getJSON(source).then(function (data) {
      var shown = draw(data);
      settling = true;
      setTimeout(function () { settling = false; }, 1000);
      if (bounds) {
        frame(bounds, { padding: [10, 10] });
      } else if (area) {
        area.then(function (layer) { frame(layer.getBounds(), { padding: [10, 10] }); });
      } else if (data.features.length) {
        frame(shown.getBounds(), { padding: [30, 30], maxZoom: 12 });
      } else {
        outline.then(function (layer) { frame(layer.getBounds()); });
      }
      if (data.gridded) {
        map.on("moveend", function () {
          if (settling) return;
          getJSON(source + "&bbox=" + view()).then(draw).catch(function () {});
        });
      }
    }).catch(function () { /* the list still shows every result */ });
  } else if (area) {
    area.then(function (layer) { frame(layer.getBounds(), { padding: [10, 10] }); });
  } else if (!config.point) {
    outline.then(function (layer) { frame(layer.getBounds()); });
  }

  // On a phone the list and the map take turns; the buttons say which is shown.
  var results = document.querySelector("[data-results]");
  if (results) {
    var toggles = results.querySelectorAll("[data-show]");
    Array.prototype.forEach.call(toggles, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        results.setAttribute("data-view", button.getAttribute("data-show"));
        Array.prototype.forEach.call(toggles, function (other) {
          other.setAttribute("aria-pressed", String(other === button));
        });
        reframe();
        // The list or the map just shown starts low on the screen (a search form left open):
        // bring the results' heading to the top, the map or the list under it.
        if (results.getBoundingClientRect().top > window.innerHeight / 3) results.scrollIntoView();
      });
    });
  }
  document.querySelectorAll("[data-map-panel]").forEach(function (panel) { panel.hidden = false; });
  reframe();
})();
