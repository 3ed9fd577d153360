// Behaviour that used to sit in inline handlers (onclick=, onchange=), which the Content-Security-Policy's
// script-src no longer runs: a [data-print] button prints the page; a select[data-example-picker] loads the chosen
// example (the simulator: a GET with the example, without the YAML being edited).
document.addEventListener("click", function (e) {
  var b = e.target.closest && e.target.closest("[data-print]");
  if (b) { e.preventDefault(); window.print(); }
});
document.addEventListener("change", function (e) {
  var s = e.target;
  if (s.matches && s.matches("select[data-example-picker]") && s.form) {
    if (s.form.yaml) s.form.yaml.value = "";
    s.form.method = "get";
    s.form.submit();
  }
});
