// Small enhancements that need JavaScript. The site works without them.
(function () {
  "use strict";
  // "Print this policy" buttons are hidden until we know printing can be offered.
  if (typeof window.print === "function") {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }
  // A printed policy writes out where its links go (the print stylesheet
  // shows data-print-url). When config.toml's baseURL is only a path ("/"),
  // a link to another policy would print as "/policies/x/", which a parent
  // cannot type in: give it the full address the page was opened at.
  if (/^https?:$/.test(window.location.protocol)) {
    document.querySelectorAll('a[data-print-url^="/"]').forEach(function (a) {
      a.setAttribute("data-print-url", a.href);
    });
  }
})();
