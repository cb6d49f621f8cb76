/* The communes on a map without tiles, to orient by: their names (the most populous first, all
 * when zoomed in) and, zoomed in, the borders between them. Drawn for the eyes only, never
 * focused nor read out: the page's text says what the map shows. Used by map.js and coverage.js.
 */
(function () {
  "use strict";

  var BORDERS_ZOOM = 10;

  function pane(map, name, zIndex) {
    var node = map.createPane(name);
    node.style.zIndex = zIndex;
    node.style.pointerEvents = "none";
    node.setAttribute("aria-hidden", "true");
    return name;
  }

  function getJSON(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  // How many names at most, by zoom: a few towns for the whole département, every one up close.
  function most(zoom) {
    return zoom < 9 ? 8 : zoom < 10 ? 20 : zoom < 11 ? 50 : Infinity;
  }

  /* Names at the town halls, [name, latitude, longitude, population] most populous first: each
   * is written unless it would overlap one already written. */
  function names(map, url) {
    var where = pane(map, "communeNames", 450); // above shapes (400), under markers (600)
    var container = map.getContainer();
    var measure = document.createElement("canvas").getContext("2d");
    var communes = [];
    var shown = {}; // index in communes: its tooltip on the map

    function chosen() {
      var wanted = {};
      if (!container.offsetWidth) return wanted;
      var font = getComputedStyle(container).fontFamily;
      var view = map.getBounds().pad(0.1);
      var limit = most(map.getZoom());
      var taken = [];
      for (var i = 0; i < communes.length && taken.length < limit; i++) {
        var commune = communes[i];
        var at = L.latLng(commune[1], commune[2]);
        if (!view.contains(at)) continue;
        measure.font = (commune[3] >= 2000 ? "700" : "400") + " 12px " + font;
        var width = Math.ceil(measure.measureText(commune[0]).width) + 8;
        var point = map.latLngToLayerPoint(at);
        // The name is written under its town hall's dot, clear of a marker standing there.
        var box = L.bounds([point.x - width / 2, point.y + 13], [point.x + width / 2, point.y + 31]);
        if (taken.some(function (other) { return other.intersects(box); })) continue;
        taken.push(box);
        wanted[i] = at;
      }
      return wanted;
    }

    // Only the names that come or go change: the others stay, moved by Leaflet with the map.
    function place() {
      var wanted = chosen();
      Object.keys(shown).forEach(function (index) {
        if (!(index in wanted)) {
          map.removeLayer(shown[index]);
          delete shown[index];
        }
      });
      Object.keys(wanted).forEach(function (index) {
        if (index in shown) return;
        var commune = communes[index];
        var text = document.createElement("span");
        text.textContent = commune[0];
        // A permanent tooltip: Leaflet moves it with the zoom, and it is not a marker.
        shown[index] = L.tooltip(wanted[index], {
          content: text, permanent: true, direction: "bottom", offset: [0, 13], opacity: 1,
          className: "commune-name" + (commune[3] >= 2000 ? " commune-name-major" : ""),
          pane: where
        }).addTo(map);
      });
    }

    getJSON(url).then(function (data) {
      communes = data.communes;
      place();
    }).catch(function () { /* the map still draws the département */ });
    map.on("moveend resize", place);
  }

  /* The borders between communes, asked for the first time the map is zoomed in enough. */
  function borders(map, url) {
    var where = pane(map, "communeBorders", 410); // above the département's fill
    var layer = null;
    var asked = false;

    function show() {
      var wanted = map.getZoom() >= BORDERS_ZOOM;
      if (wanted && !asked) {
        asked = true;
        getJSON(url).then(function (data) {
          layer = L.geoJSON(data, {
            style: { color: "#6b7b86", weight: 1, opacity: 0.8 }, interactive: false, pane: where
          });
          show();
        }).catch(function () { asked = false; });
      }
      if (layer && wanted) layer.addTo(map);
      else if (layer) layer.remove();
    }

    map.on("zoomend", show);
    show();
  }

  window.solozere = window.solozere || {};
  window.solozere.communeNames = names;
  window.solozere.communeBorders = borders;
})();
