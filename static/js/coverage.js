/* The coverage map: Lozère's communes coloured by their distance to the need. The table below the
 * map says the same in text. */
(function () {
  "use strict";

  var configNode = document.getElementById("map-config");
  var mapNode = document.getElementById("map");
  if (!configNode || !mapNode || typeof L === "undefined") return;
  var config = JSON.parse(configNode.textContent);
  var COLOURS = { lt5: "#1b7837", "5to10": "#7fbf7b", "10to20": "#f1a340", gt20: "#b2182b" };

  document.querySelectorAll("[data-map-panel]").forEach(function (panel) { panel.hidden = false; });
  var map = L.map(mapNode, { zoomControl: false }).setView([44.52, 3.5], 9);
  L.control.zoom({ zoomInTitle: config.labels.zoomIn, zoomOutTitle: config.labels.zoomOut })
    .addTo(map);
  map.attributionControl.setPrefix(false);
  if (window.solozere) window.solozere.communeNames(map, config.communeNames);

  fetch(config.geojson).then(function (r) { return r.json(); }).then(function (data) {
    var layer = L.geoJSON(data, {
      style: function (feature) {
        return {
          color: "#ffffff", weight: 1, fillOpacity: 0.85,
          fillColor: COLOURS[feature.properties.band]
        };
      },
      onEachFeature: function (feature, shape) {
        var p = feature.properties;
        var distance = p.distance === null ? config.labels.none : p.distance + " km";
        shape.bindTooltip(p.name + " : " + distance + (p.nearest ? " (" + p.nearest + ")" : ""));
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds());
  });
})();
