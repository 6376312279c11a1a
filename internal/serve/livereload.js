// Live reload for `policysite serve`: reloads the page when a build finishes,
// and shows the build error over the page when one fails.
(function () {
  "use strict";
  if (!window.EventSource) return;
  var es = new EventSource("/__policysite/events");
  var box = null;
  es.onmessage = function (e) {
    if (e.data === "reload") { location.reload(); return; }
    if (e.data.indexOf("error:") === 0) { show(e.data.slice(6)); }
  };
  function show(text) {
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;background:#fff;color:#1a1a1a;" +
        "border-top:6px solid #a00000;padding:1rem;font:1rem/1.4 system-ui,sans-serif;z-index:9999;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "The site could not be rebuilt. Fix this and save again:\n\n" + text;
  }
})();
