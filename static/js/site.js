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

// Review dates. A page says "Overdue" or "Due soon" as of the day the site was
// built; read weeks later it would be out of date, so redraw the flags, the
// notice on a policy page and the schedule's summary from today's date. The
// elements carry data-review="YYYY-MM-DD" and data-review-warn (days).
(function () {
  "use strict";
  var now = new Date();
  var today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  function review(el) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(el.getAttribute("data-review") || "");
    if (!m) return null;
    var days = Math.round((Date.UTC(+m[1], +m[2] - 1, +m[3]) - today) / 86400000);
    var warn = parseInt(el.getAttribute("data-review-warn"), 10);
    if (isNaN(warn)) warn = 60;
    return { days: days, state: days < 0 ? "overdue" : days <= warn ? "soon" : "ok" };
  }
  function shown(el) {
    var f = el.querySelector(".flag-overdue, .notice-overdue");
    if (f) return "overdue";
    return el.querySelector(".flag-soon, .notice-soon") ? "soon" : "ok";
  }
  // Pages only move on, from ok to soon to overdue: a reader whose clock is
  // behind the build's keeps what the build said.
  var rank = { ok: 0, soon: 1, overdue: 2 };
  var changed = false;

  document.querySelectorAll(".review-flag[data-review]").forEach(function (el) {
    var r = review(el);
    if (!r || rank[r.state] <= rank[shown(el)]) return;
    changed = true;
    el.textContent = "";
    if (r.state !== "ok") {
      var flag = document.createElement("span");
      flag.className = "flag flag-" + r.state;
      flag.textContent = r.state === "overdue" ? "Overdue" : "Due soon";
      el.appendChild(flag);
    }
    var row = el.closest("tr");
    if (row) row.className = row.className.replace(/\breview-[a-z]+\b/, "review-" + r.state);
  });

  document.querySelectorAll(".review-notice[data-review]").forEach(function (el) {
    var r = review(el);
    if (!r) return;
    var tpl = el.querySelector('template[data-review-state="' + r.state + '"]');
    if (tpl && rank[r.state] > rank[shown(el)]) {
      el.querySelectorAll(".notice").forEach(function (n) { n.remove(); });
      el.insertBefore(tpl.content.cloneNode(true), el.firstChild);
    }
    var days = el.querySelector(".notice [data-review-days]");
    if (days) days.textContent = r.days === 0 ? "today" : r.days === 1 ? "tomorrow" : "in " + r.days + " days";
  });

  var summary = document.getElementById("schedule-summary");
  var count = summary && summary.querySelector("[data-review-count]");
  if (changed && count) {
    var overdue = document.querySelectorAll(".schedule-table .flag-overdue").length;
    var soon = document.querySelectorAll(".schedule-table .flag-soon").length;
    count.textContent = "";
    if (overdue) {
      var strong = document.createElement("strong");
      strong.textContent = overdue + " overdue for review.";
      count.appendChild(strong);
    } else {
      count.appendChild(document.createTextNode("None overdue for review."));
    }
    if (soon) {
      var warn = summary.getAttribute("data-review-warn") || "60";
      count.appendChild(document.createTextNode(" " + soon + " due for review within " + warn + " days."));
    }
    var checked = summary.querySelector("[data-review-checked]");
    if (checked) {
      checked.textContent = "Checked on " + now.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" }) + ", the day you opened this page.";
    }
  }
})();
