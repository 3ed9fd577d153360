// Re-render the one-time checklist when a situation answer changes (works without JS via the form's GET).
(function () {
  var form = document.getElementById("situations");
  if (!form) return;
  form.addEventListener("change", function () {
    var params = new URLSearchParams(new FormData(form)).toString();
    fetch(form.dataset.checklistUrl + "?" + params, {headers: {"X-Requested-With": "fetch"}})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        var box = document.getElementById("checklist");
        box.outerHTML = html;
        var link = document.getElementById("print-link");
        if (link) link.href = link.href.split("?")[0] + (params ? "?" + params : "");
        history.replaceState(null, "", "?" + params);
      })
      .catch(function () { form.submit(); });
  });
})();
