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
})();
