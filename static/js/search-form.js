/* The search form: short addresses, and « Autour de moi » (the visitor's position, with consent). */
(function () {
  "use strict";

  var form = document.querySelector("form.search");
  if (!form) return;

  // Leave empty fields out of the address: « ?near=Mende » rather than « ?q=&near=Mende&lat=… ».
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.value === "" && field.type !== "checkbox") field.disabled = true;
    });
  });
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
  });

  // Too many communes to list in the page (a region, the country): suggest them as one types.
  var names = document.getElementById("commune-names");
  var suggest = names && names.getAttribute("data-suggest");
  if (suggest && window.fetch) {
    var pending = null;
    form.elements.near.addEventListener("input", function () {
      var typed = form.elements.near.value.trim();
      clearTimeout(pending);
      if (typed.length < 2) return;
      pending = setTimeout(function () {
        fetch(suggest + "?q=" + encodeURIComponent(typed))
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (found) {
            names.textContent = "";
            found.forEach(function (name) {
              var option = document.createElement("option");
              option.value = name;
              names.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  }

  var button = document.getElementById("locate");
  if (!button || !("geolocation" in navigator)) return;
  var status = document.getElementById("locate-status");
  button.hidden = false;

  button.addEventListener("click", function () {
    status.textContent = button.getAttribute("data-waiting");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(5);
        form.elements.lon.value = position.coords.longitude.toFixed(5);
        form.elements.near.value = "";
        form.submit();
      },
      function () {
        status.textContent = button.getAttribute("data-refused");
      },
      { timeout: 10000, maximumAge: 300000 }
    );
  });

  // Typing a commune replaces a position found earlier.
  form.elements.near.addEventListener("input", function () {
    form.elements.lat.value = "";
    form.elements.lon.value = "";
  });
})();
