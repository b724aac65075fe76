// antq — small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Ask before destructive actions: <form data-confirm="…">.
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  }, true);
  // Keep the CSRF token on every htmx request.
  document.addEventListener("htmx:configRequest", function (ev) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { ev.detail.headers["X-CSRF-Token"] = meta.getAttribute("content"); }
  });
})();
