// Filters the VRT <select> as the reporter types (no third-party code; CSP script-src 'self').
(function () {
  "use strict";
  var input = document.getElementById("vrt-search");
  var select = document.getElementById("vrt");
  var count = document.getElementById("vrt-count");
  if (!input || !select) { return; }
  function fold(s) { return s.toLowerCase().replace(/[^0-9a-z]+/g, " "); }
  var options = Array.prototype.slice.call(select.querySelectorAll("option[value]"));
  var hay = options.map(function (o) { return fold(o.textContent + " " + o.value + " " + (o.dataset.cwe || "")); });
  function apply() {
    var words = fold(input.value).split(" ").filter(Boolean);
    var shown = 0;
    options.forEach(function (o, i) {
      var ok = words.every(function (w) { return hay[i].indexOf(w) !== -1; });
      o.hidden = !ok;
      o.disabled = !ok && !o.selected;
      if (ok) { shown += 1; }
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (g) {
      g.hidden = !g.querySelector("option:not([hidden])");
    });
    if (count) { count.textContent = shown + " kelas / classes"; }
  }
  input.addEventListener("input", apply);
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      e.preventDefault();
      var first = options.filter(function (o) { return !o.hidden; })[0];
      if (first) { select.value = first.value; select.focus(); }
    }
  });
  apply();
}());
