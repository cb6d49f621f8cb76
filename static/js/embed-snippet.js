/* « Intégrer la carte »: the iframe code follows the choices made in the form. */
(function () {
  "use strict";

  var form = document.getElementById("embed-form");
  if (!form) return;
  var output = document.getElementById("embed-code");
  var title = output.value.match(/title="([^"]*)"/)[1];

  function update() {
    var query = new URLSearchParams();
    ["epci", "commune", "service"].forEach(function (name) {
      var value = form.elements[name].value;
      if (value) query.set(name, value);
    });
    var src = output.getAttribute("data-base") + (query.toString() ? "?" + query : "");
    output.value = '<iframe src="' + src + '" title="' + title +
      '" width="100%" height="600" style="border:0"></iframe>';
  }
  form.addEventListener("change", update);
  update();
})();
