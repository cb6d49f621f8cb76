/* « Autour de moi »: with the visitor's consent, search around their position. */
(function () {
  "use strict";

  var button = document.getElementById("locate");
  if (!button || !("geolocation" in navigator)) return;
  var form = button.form;
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
