// The DSL's training report. The admin token lives only in sessionStorage:
// it is gone when the tab closes and is never put in a URL.
(function () {
  "use strict";
  var KEY = "trainlog-admin-token";
  var form = document.getElementById("token-form");
  var input = document.getElementById("token");
  var forget = document.getElementById("forget");
  var message = document.getElementById("message");
  var report = document.getElementById("report");
  var rows = document.getElementById("rows");
  var filter = document.getElementById("filter");
  var data = null;

  var LABELS = { overdue: "Overdue", never: "Never passed", due: "Due", done: "Done" };

  function say(text, isError) {
    message.textContent = text;
    message.className = isError ? "error" : "";
  }

  function token() {
    try { return sessionStorage.getItem(KEY) || ""; } catch (e) { return ""; }
  }

  function keep(t) {
    try { sessionStorage.setItem(KEY, t); } catch (e) { /* private mode: ask again next time */ }
    forget.hidden = false;
  }

  function drop() {
    try { sessionStorage.removeItem(KEY); } catch (e) { /* nothing kept */ }
    forget.hidden = true;
  }

  function request(path) {
    return fetch(path, { headers: { Authorization: "Bearer " + token() }, cache: "no-store" }).then(function (res) {
      if (res.ok) { return res; }
      return res.json().catch(function () { return {}; }).then(function (body) {
        var err = new Error(body.error || ("The server answered " + res.status + "."));
        err.status = res.status;
        throw err;
      });
    });
  }

  function failed(err) {
    if (err.status === 401) {
      drop();
      report.hidden = true;
      say(err.message, true);
      input.focus();
      return;
    }
    say(err.status ? err.message : "The training log could not be reached. Check that trainlog is running, then try again.", true);
  }

  function load() {
    say("Loading the report…");
    request("v1/report").then(function (res) { return res.json(); }).then(function (rep) {
      data = rep;
      render();
      report.hidden = false;
      var c = rep.counts;
      say("Report loaded: " + c.overdue + " overdue, " + c.never + " never passed, " + c.due + " due, " + c.done + " done.");
    }).catch(failed);
  }

  function cell(tr, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    tr.appendChild(td);
    return td;
  }

  function render() {
    document.getElementById("generated").textContent = "Made " + new Date(data.generated).toLocaleString("en-GB") +
      ". New starters have " + data.grace_days + " days from their start date; \u201cdue\u201d means within " + data.due_soon_days + " days.";
    var counts = document.getElementById("counts");
    counts.textContent = "";
    ["overdue", "never", "due", "done"].forEach(function (s) {
      var li = document.createElement("li");
      li.className = "badge " + s;
      li.textContent = LABELS[s] + ": " + data.counts[s];
      counts.appendChild(li);
    });
    rows.textContent = "";
    var shown = 0;
    data.rows.forEach(function (r) {
      if (filter.value && r.status !== filter.value) { return; }
      shown++;
      var tr = document.createElement("tr");
      var st = cell(tr, "");
      var badge = document.createElement("span");
      badge.className = "badge " + r.status;
      badge.textContent = LABELS[r.status] || r.status;
      st.appendChild(badge);
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = r.name + (r.on_roster ? "" : " (not on the roster)");
      tr.appendChild(th);
      cell(tr, r.role);
      cell(tr, r.quiz_title);
      cell(tr, r.last_pass || "—");
      cell(tr, r.score === undefined ? "—" : Math.round(r.score * 100) + "%", "num");
      var version = r.passed_version || "—";
      if (r.passed_version && r.current_version && r.passed_version !== r.current_version) {
        version += " (policy now " + r.current_version + ")";
      }
      cell(tr, version);
      var due = r.due;
      if (r.status === "never") { due += " (not passed since starting on " + r.start_date + ")"; }
      else if (r.days_left < 0) { due += " (" + (-r.days_left) + " days ago)"; }
      else if (r.days_left === 0) { due += " (today)"; }
      else if (r.status !== "done") { due += " (in " + r.days_left + " days)"; }
      if (r.reacknowledge) { due += " \u2014 version " + r.current_version + " not yet acknowledged"; }
      cell(tr, due);
      cell(tr, r.certificate || "—", "code");
      rows.appendChild(tr);
    });
    if (shown === 0) {
      var tr = document.createElement("tr");
      var td = cell(tr, "Nothing to show for this choice.");
      td.colSpan = 9;
      rows.appendChild(tr);
    }
  }

  function downloadCSV() {
    say("Preparing the CSV file…");
    request("v1/completions.csv").then(function (res) {
      var name = "training-completions.csv";
      var m = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") || "");
      if (m) { name = m[1]; }
      return res.blob().then(function (blob) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = name;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
        say("Downloaded " + name + ".");
      });
    }).catch(failed);
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var t = input.value.trim();
    if (!t) {
      say("Paste the admin token first.", true);
      input.focus();
      return;
    }
    keep(t);
    input.value = "";
    load();
  });
  forget.addEventListener("click", function () {
    drop();
    data = null;
    report.hidden = true;
    say("The token is forgotten in this tab.");
    input.focus();
  });
  filter.addEventListener("change", function () { if (data) { render(); } });
  document.getElementById("csv").addEventListener("click", downloadCSV);

  if (token()) {
    forget.hidden = false;
    load();
  }
})();
