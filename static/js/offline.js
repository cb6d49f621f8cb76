/* Solozère without a network (templates/sw.js is the service worker):
   - registers the service worker, once the page has loaded;
   - a page the service worker shows from its copies says so, and from when (<html data-copy>), or
     that it was never kept (<html data-absent>);
   - the offline page (/hors-ligne/) lists the places kept on the device, searchable. */
(function () {
  "use strict";
  var root = document.documentElement;

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  /* « {day} à {time} » filled with the local day (DD/MM) and time (HH:MM) of `iso`. */
  function when(template, iso) {
    var moment = new Date(iso);
    if (isNaN(moment.getTime())) return null;
    return template
      .replace("{day}", pad(moment.getDate()) + "/" + pad(moment.getMonth() + 1))
      .replace("{time}", pad(moment.getHours()) + ":" + pad(moment.getMinutes()));
  }

  if ("serviceWorker" in navigator && root.dataset.serviceWorker) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(root.dataset.serviceWorker, { scope: "/" }).catch(function () {});
    });
  }

  var notice = document.getElementById("offline-notice");
  if (notice) {
    var text = null;
    if (root.dataset.copy) text = when(notice.dataset.copy, root.dataset.copy);
    else if (root.dataset.absent) text = notice.dataset.absent;
    if (text) {
      notice.textContent = text;
      notice.hidden = false;
    }
  }

  var box = document.getElementById("offline-places");
  if (!box) return;
  var form = box.querySelector("form");
  var input = box.querySelector("input");
  var status = box.querySelector(".offline-status");
  var list = box.querySelector(".offline-list");
  box.querySelector(".offline-needs-js").hidden = true;
  var places = [];
  var made = "";

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function card(place) {
    var item = element("li", "card offline-place");
    var title = element("h2", "card-title");
    var link = element("a", "", place.name);
    link.href = place.url;
    title.appendChild(link);
    item.appendChild(title);
    var meta = element("p", "card-meta");
    place.types.forEach(function (type) {
      meta.appendChild(element("span", "tag", type));
    });
    if (place.status) meta.appendChild(element("span", "tag tag-status", place.status));
    item.appendChild(meta);
    var where = place.itinerant ? box.dataset.itinerant : place.commune || box.dataset.nowhere;
    item.appendChild(element("p", "card-where", where));
    if (place.phone) {
      var phone = element("p", "", box.dataset.phone + " ");
      var call = element("a", "", place.phone);
      call.href = "tel:" + place.phone.replace(/[^0-9+]/g, "");
      phone.appendChild(call);
      item.appendChild(phone);
    }
    if (place.hours.length) {
      var details = element("details", "offline-hours");
      details.appendChild(element("summary", "", box.dataset.hours));
      var days = element("ul");
      place.hours.forEach(function (day) {
        days.appendChild(element("li", "", day[0] + " : " + (day[1].join(", ") || box.dataset.closed)));
      });
      details.appendChild(days);
      item.appendChild(details);
    }
    if (place.note) item.appendChild(element("p", "", place.note));
    place.text = folded([place.name, place.commune, place.types.join(" "), place.phone].join(" "));
    place.item = item;
    return item;
  }

  function show() {
    var words = folded(input.value).split(/\s+/).filter(Boolean);
    var count = 0;
    places.forEach(function (place) {
      var shown = words.every(function (word) {
        return place.text.indexOf(word) !== -1;
      });
      place.item.hidden = !shown;
      if (shown) count += 1;
    });
    status.textContent =
      made + " " + box.dataset.found.replace("{count}", count).replace("{total}", places.length);
  }

  fetch(box.dataset.list, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(function (data) {
      made = when(box.dataset.made, data.made) || "";
      places = data.places;
      var fragment = document.createDocumentFragment();
      places.forEach(function (place) {
        fragment.appendChild(card(place));
      });
      list.appendChild(fragment);
      form.hidden = false;
      show();
    })
    .catch(function () {
      status.textContent = box.dataset.missing;
    });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  input.addEventListener("input", show);
})();
