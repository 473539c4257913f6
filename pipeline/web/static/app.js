// No inline scripts: the pages' Content-Security-Policy allows only this file.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (form) {
    var input = document.getElementById("file");
    var sizeError = document.getElementById("size-error");
    var max = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
    var dossiers = document.getElementById("ho-so-file");
    var dossierError = document.getElementById("dossier-size-error");
    var dossierMax = parseInt(form.getAttribute("data-dossier-max-bytes"), 10) || 0;
    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      if (file && max && file.size > max) {
        event.preventDefault();
        sizeError.hidden = false;
        return;
      }
      sizeError.hidden = true;
      var big = Array.prototype.some.call(dossiers.files || [], function (f) { return f.size > dossierMax; });
      if (dossierMax && big) {
        event.preventDefault();
        dossierError.hidden = false;
        return;
      }
      dossierError.hidden = true;
      document.getElementById("send").disabled = true;
      document.getElementById("busy").hidden = false;
    });
    input.addEventListener("change", function () { sizeError.hidden = true; });
    dossiers.addEventListener("change", function () { dossierError.hidden = true; });
    window.addEventListener("pageshow", function () {   // back to the page: the button works again
      document.getElementById("send").disabled = false;
      document.getElementById("busy").hidden = true;
    });
  }
  var board = document.getElementById("board-table");
  if (board) {
    var url = board.getAttribute("data-refresh");
    var seconds = parseInt(board.getAttribute("data-interval"), 10) || 20;
    setInterval(function () {
      fetch(url, { credentials: "omit", cache: "no-store" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) { if (html) { board.innerHTML = html; } })
        .catch(function () {});
    }, seconds * 1000);
  }
})();
