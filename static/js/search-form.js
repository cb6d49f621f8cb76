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
