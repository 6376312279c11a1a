// The staff training quiz: layouts/quiz/page.html renders the page and the
// quiz as JSON (#quiz-data); this script turns it into the interactive quiz
// and records a passed attempt with the trainlog endpoint.
//
// Recording a completion, and what happens when that fails:
//   - The person's token comes from their personal link (?t=TOKEN) and is kept
//     in localStorage, so the link is only needed once per device.
//   - A passed attempt is put in a queue in localStorage *before* it is sent,
//     keyed by its attempt_id, and leaves the queue only when the endpoint
//     answers 200 or 201. A network error, 5xx, 408 or 429 leaves it queued;
//     the queue is sent again on the `online` event, on every quiz page load
//     and every 30 seconds. Any other 4xx is shown as an error and the entry
//     is kept, marked refused, so the DSL can see it.
//   - A resend carries the same attempt_id, and the endpoint stores an
//     attempt_id only once, so nothing is recorded twice.
(function () {
  "use strict";

  var dataEl = document.getElementById("quiz-data");
  var app = document.getElementById("quiz-app");
  if (!dataEl || !app) return;
  var quiz = JSON.parse(dataEl.textContent);
  var questions = quiz.questions || [];
  // The endpoint: an absolute URL, or a path the build has already put inside
  // the site's folder (trainlog_url "/api" at https://example.org/school/ is
  // "/school/api"; see layouts/quiz/page.html). fetch resolves it against the page.
  var api = String(quiz.api || "/api").replace(/\/+$/, "");

  var TOKEN_KEY = "policysite.trainlog.token";
  var QUEUE_KEY = "policysite.trainlog.queue";
  var MODE_KEY = "policysite.quiz.mode";
  var RETRY_MS = 30000;
  var SAVED_HONESTLY = "Saved on this device; it will be sent when the connection is back — don't clear your browser data.";

  // --- small helpers -------------------------------------------------------

  // el("p", {class: "x"}, "text", child, …): attributes starting with "on"
  // are listeners; null/false children are skipped; strings are text.
  function el(tag, attrs) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
      else if (k === "html") node.innerHTML = v; // only HTML the site build made
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  function html(s) { return el("span", {html: s}); }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function focus(node) {
    if (!node) return;
    if (!node.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(node.tagName)) node.setAttribute("tabindex", "-1");
    node.focus();
  }

  var store = (function () {
    var memory = {};
    function ok() {
      try { localStorage.setItem("policysite.probe", "1"); localStorage.removeItem("policysite.probe"); return true; } catch (e) { return false; }
    }
    var persistent = ok();
    return {
      persistent: persistent,
      get: function (k) {
        if (!persistent) return memory[k] === undefined ? null : memory[k];
        try { return localStorage.getItem(k); } catch (e) { return null; }
      },
      set: function (k, v) {
        if (!persistent) { memory[k] = v; return false; }
        try { localStorage.setItem(k, v); return true; } catch (e) { memory[k] = v; return false; }
      },
      remove: function (k) {
        delete memory[k];
        try { localStorage.removeItem(k); } catch (e) { /* nothing to do */ }
      }
    };
  })();

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // crypto.randomUUID needs a secure context; a school may serve over http.
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // shuffled returns 0..n-1 in a random order (Fisher–Yates).
  function shuffled(n) {
    var a = [];
    for (var i = 0; i < n; i++) a.push(i);
    var r = new Uint32Array(Math.max(n, 1));
    crypto.getRandomValues(r);
    for (var j = n - 1; j > 0; j--) {
      var k = r[j] % (j + 1);
      var t = a[j]; a[j] = a[k]; a[k] = t;
    }
    return a;
  }

  var lang = document.documentElement.lang || "en-GB";
  function longDate(iso) {
    var d = new Date(iso);
    if (isNaN(d)) return "";
    return new Intl.DateTimeFormat(lang, {day: "numeric", month: "long", year: "numeric"}).format(d);
  }
  // recordedDate formats the endpoint's "YYYY-MM-DD" (the day it recorded
  // the completion, which counts for due dates) as a calendar day.
  function recordedDate(ymd) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd || "");
    if (!m) return "";
    var d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    return new Intl.DateTimeFormat(lang, {day: "numeric", month: "long", year: "numeric"}).format(d);
  }
  function dateTime(iso) {
    var d = new Date(iso);
    if (isNaN(d)) return "";
    return new Intl.DateTimeFormat(lang, {day: "numeric", month: "long", hour: "2-digit", minute: "2-digit"}).format(d);
  }
  function percent(x) { return Math.round(x * 100) + "%"; }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  function sameSet(a, b) {
    if (a.length !== b.length) return false;
    return a.every(function (x) { return b.indexOf(x) >= 0; });
  }
  // The question text may already say "choose all that apply".
  function saysAllThatApply(q) { return /all that apply/i.test(q.text.replace(/<[^>]*>/g, "")); }
  function dslName() {
    var d = quiz.dsl || {};
    return d.name ? d.role + ", " + d.name : d.role || "Designated Safeguarding Lead";
  }
  function dslContact() {
    var d = quiz.dsl || {};
    var parts = [dslName()];
    if (d.email) parts.push(" (", el("a", {href: "mailto:" + d.email}, d.email), ")");
    return parts;
  }

  // --- the person's token --------------------------------------------------

  (function takeTokenFromLink() {
    var url = new URL(location.href);
    var t = url.searchParams.get("t");
    if (!t) return;
    store.set(TOKEN_KEY, t.trim());
    // Keep the token out of the address bar, bookmarks and screenshots.
    url.searchParams.delete("t");
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  })();
  function token() { return store.get(TOKEN_KEY) || ""; }

  var who = {state: token() ? "token" : "none", name: ""};

  async function whoami() {
    var t = token();
    if (!t) { who = {state: "none", name: ""}; return; }
    try {
      var res = await fetch(api + "/v1/whoami", {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({token: t}),
        cache: "no-store",
        credentials: "omit"
      });
      if (res.ok) {
        var body = await res.json();
        who = {state: "named", name: body.name || ""};
        if (!who.name) who.state = "token";
      } else if (res.status === 401 || res.status === 403) {
        who = {state: "unknown", name: ""};
      } else {
        who = {state: "token", name: ""};
      }
    } catch (e) {
      who = {state: "token", name: ""};
    }
  }

  // --- the queue of completions waiting to be sent -------------------------

  function loadQueue() {
    try { return JSON.parse(store.get(QUEUE_KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function saveQueue(q) {
    if (Object.keys(q).length === 0) { store.remove(QUEUE_KEY); return true; }
    return store.set(QUEUE_KEY, JSON.stringify(q));
  }
  function updateEntry(id, fn) {
    var q = loadQueue();
    if (!q[id]) return null;
    fn(q[id]);
    saveQueue(q);
    return q[id];
  }

  // post sends one entry and says what became of it: "sent" (with the
  // endpoint's answer), "retry" (kept, sent again later) or "refused".
  async function post(entry) {
    var res;
    try {
      res = await fetch(entry.url, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify(entry.body),
        cache: "no-store",
        credentials: "omit"
      });
    } catch (e) {
      return {kind: "retry", why: "no connection"};
    }
    var body = null;
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    if (res.status === 200 || res.status === 201) return {kind: "sent", body: body || {}};
    if (res.status >= 500 || res.status === 408 || res.status === 429 || res.status < 400) {
      return {kind: "retry", why: "the training record answered " + res.status};
    }
    var msg = body && body.error ? body.error : res.statusText || "request refused";
    return {kind: "refused", status: res.status, error: msg};
  }

  // retryRefused puts a refused entry back in line. One refused for its
  // personal link takes the link now on this device, if there is a newer one.
  function retryRefused(e) {
    e.state = "waiting";
    if ((e.status === 401 || e.status === 403) && token()) e.body.token = token();
  }

  var flushing = null;
  var flushAgain = false;
  // flush sends every waiting entry, one at a time. Called while running, it
  // runs once more afterwards, so a completion queued meanwhile is not missed.
  function flush() {
    if (flushing) { flushAgain = true; return flushing; }
    flushing = (async function () {
      do {
        flushAgain = false;
        var q = loadQueue();
        for (var id in q) {
          if (q[id].state === "refused") continue;
          var r = await post(q[id]);
          settle(id, q[id], r);
        }
      } while (flushAgain);
    })().finally(function () { flushing = null; renderQueue(); });
    return flushing;
  }

  // settle records what became of an entry and shows it.
  function settle(id, entry, r) {
    if (r.kind === "sent") {
      var q = loadQueue();
      delete q[id];
      saveQueue(q);
      sentLater = sentLater.filter(function (s) { return s.id !== id; });
      if (current && current.id === id) showSent(entry, r.body);
      else sentLater.push({id: id, entry: entry, body: r.body});
      return;
    }
    if (r.kind === "refused") {
      updateEntry(id, function (e) { e.state = "refused"; e.status = r.status; e.error = r.error; });
      if (current && current.id === id) showRefused(r.status, r.error);
      return;
    }
    updateEntry(id, function (e) { e.tries = (e.tries || 0) + 1; e.last_error = r.why; });
    if (current && current.id === id) showQueued();
  }

  // --- the page ------------------------------------------------------------

  app.hidden = false;
  var staticList = document.getElementById("quiz-static");
  if (staticList) staticList.hidden = true;

  var whoBox = el("div", {id: "quiz-who", class: "quiz-notice"});
  var queueBox = el("div", {id: "quiz-queue", class: "quiz-notice quiz-queue"});
  // A short spoken summary when the queue changes; the panel itself may hold
  // whole certificates, too long to be read out.
  var queueLive = el("p", {id: "quiz-queue-live", class: "visually-hidden", role: "status"});
  var queueSaid = "";
  var startBox = el("section", {id: "quiz-begin", class: "quiz-begin", "aria-labelledby": "quiz-begin-title"});
  var runBox = el("section", {id: "quiz-run", class: "quiz-run", "aria-label": "Questions", hidden: true});
  var resultBox = el("section", {id: "quiz-result", class: "quiz-result", "aria-labelledby": "quiz-result-title", hidden: true});
  append(app, [whoBox, queueLive, queueBox, startBox, runBox, resultBox]);

  var current = null;   // the attempt being answered or sent
  var sentLater = [];   // queued completions from earlier visits, now sent

  function renderWho() {
    clear(whoBox);
    whoBox.setAttribute("data-state", who.state);
    whoBox.className = "quiz-notice" + (who.state === "none" || who.state === "unknown" ? " quiz-notice-warn" : "");
    var forget = el("button", {type: "button", class: "button button-secondary button-small", id: "quiz-forget", onclick: function () {
      store.remove(TOKEN_KEY);
      who = {state: "none", name: ""};
      renderWho();
      if (quiz.acknowledge) renderAcknowledge();
      focus(whoBox);
    }}, "Forget my link on this device");
    if (who.state === "named") {
      append(whoBox, [
        el("p", null, "Your training will be recorded for ", el("strong", {class: "quiz-who-name"}, who.name), "."),
        el("p", null, "Not you, or on a shared computer? ", forget)
      ]);
    } else if (who.state === "token") {
      append(whoBox, [
        el("p", null, "Your personal link is saved on this device, so when you pass, the school's training record is updated in your name."),
        el("p", null, "On a shared computer? ", forget)
      ]);
    } else if (who.state === "unknown") {
      append(whoBox, [
        el("p", null, el("strong", null, "Your personal link was not recognised."),
          " It may be out of date. Ask the ", dslContact(), " for a new one. Until then you can practise, but nothing is recorded."),
        el("p", null, forget)
      ]);
    } else {
      append(whoBox, [
        el("p", null, el("strong", null, quiz.acknowledge ? "This device does not have your personal link." : "Practice mode: your answers will not be recorded.")),
        el("p", null, "Each member of staff has a personal link that records their training. If you don't have yours, ask the ",
          dslContact(), ". Open it once on this device and the school's record will be updated whenever you pass."),
        quiz.acknowledge ? null : el("p", null, "You can still take the quiz now for practice.")
      ]);
    }
  }

  function renderQueue() {
    clear(queueBox);
    var q = loadQueue();
    var waiting = [], refused = [];
    for (var id in q) {
      if (current && current.id === id) continue; // shown with the result
      (q[id].state === "refused" ? refused : waiting).push(q[id]);
    }
    sentLater.forEach(function (s) {
      append(queueBox, el("div", {class: "quiz-queue-sent"},
        el("p", null, el("strong", null, "Sent."), " Your completion of “" + s.entry.title + "” from " + dateTime(s.entry.body.finished_at) + " is now recorded."),
        s.body.certificate ? certificate(s.entry, s.body) : null));
    });
    if (waiting.length) {
      append(queueBox, el("div", {class: "quiz-queue-waiting"},
        el("p", null, el("strong", null, plural(waiting.length, "completion is", "completions are") + " waiting to be sent from this device. "),
          "It will be sent when the connection is back — don't clear your browser data."),
        el("ul", null, waiting.map(function (e) {
          return el("li", null, "“" + e.title + "”, finished " + dateTime(e.body.finished_at));
        }))));
    }
    if (refused.length) {
      append(queueBox, el("div", {class: "quiz-queue-refused"},
        el("p", null, el("strong", null, "The training record refused " + plural(refused.length, "completion", "completions") + " saved on this device."),
          " They are kept here. Show this to the ", dslName(), ":"),
        el("ul", null, refused.map(function (e) {
          return el("li", null, "“" + e.title + "”, finished " + dateTime(e.body.finished_at) + ": " + e.error +
            " (HTTP " + e.status + ", attempt " + e.body.attempt_id + ")");
        })),
        el("p", null, el("button", {type: "button", class: "button button-secondary button-small", onclick: function () {
          var q2 = loadQueue();
          for (var k in q2) if (q2[k].state === "refused") { retryRefused(q2[k]); }
          saveQueue(q2);
          flush();
        }}, "Try sending them again"))));
    }
    queueBox.hidden = !queueBox.firstChild;
    var say = [];
    if (sentLater.length) say.push(plural(sentLater.length, "completion saved on this device has", "completions saved on this device have") + " now been recorded.");
    if (waiting.length) say.push(plural(waiting.length, "completion is", "completions are") + " still waiting to be sent.");
    if (refused.length) say.push("The training record refused " + plural(refused.length, "completion", "completions") + " saved on this device.");
    var text = say.join(" ");
    if (text !== queueSaid) { queueLive.textContent = text; queueSaid = text; }
  }

  // --- before starting -----------------------------------------------------

  var mode = store.get(MODE_KEY) === "all" ? "all" : "one";

  function renderBegin() {
    clear(startBox);
    if (quiz.acknowledge) { renderAcknowledge(); return; }
    append(startBox, [
      el("h2", {id: "quiz-begin-title"}, "Take the quiz"),
      el("p", null, plural(questions.length, "question", "questions") + ". After each answer you will see whether it was right, why, and where the policy says so. " +
        "You need " + quiz.need + " right to pass. The questions come in a random order."),
      el("fieldset", {class: "quiz-mode"},
        el("legend", null, "Show the questions"),
        modeChoice("one", "One at a time"),
        modeChoice("all", "All on one page")),
      el("p", null, el("button", {type: "button", id: "quiz-start", class: "button", onclick: start}, "Start the quiz"))
    ]);
  }
  function modeChoice(value, label) {
    return el("div", {class: "quiz-option"},
      el("input", {type: "radio", name: "quiz-mode", id: "quiz-mode-" + value, value: value, checked: mode === value,
        onchange: function () { mode = value; store.set(MODE_KEY, value); }}),
      el("label", {for: "quiz-mode-" + value}, label));
  }

  // --- answering -------------------------------------------------------------

  function newAttempt() {
    var order = shuffled(questions.length);
    return {
      id: uuid(),
      startedAt: new Date().toISOString(),
      finishedAt: null,
      order: order, // display position → question index in the file
      choiceOrder: questions.map(function (q) { return shuffled(q.choices.length); }),
      answers: questions.map(function () { return null; }), // file order, choice indices in file order
      pos: 0
    };
  }

  function start() {
    current = newAttempt();
    renderRun();
    startBox.hidden = true;
    resultBox.hidden = true;
    runBox.hidden = false;
    showPos(firstUnanswered(0));
  }

  var modeButton, finishBox, progressBar, progressText;

  function renderRun() {
    clear(runBox);
    modeButton = el("button", {type: "button", class: "button button-secondary button-small quiz-mode-toggle", id: "quiz-mode-toggle", onclick: function () {
      mode = mode === "one" ? "all" : "one";
      store.set(MODE_KEY, mode);
      showPos(current.pos);
    }});
    progressText = el("p", {class: "quiz-progress-text"});
    progressBar = el("span");
    var head = el("div", {class: "quiz-run-head"},
      el("div", {class: "quiz-progress"}, progressText, el("div", {class: "quiz-progress-bar", "aria-hidden": "true"}, progressBar)),
      modeButton);
    var list = el("div", {class: "quiz-questions"});
    current.order.forEach(function (qi, pos) { append(list, renderQuestion(qi, pos)); });
    var finishError = el("p", {class: "quiz-error", id: "quiz-finish-error", role: "alert", hidden: true});
    finishBox = el("div", {class: "quiz-finish"},
      finishError,
      el("button", {type: "button", class: "button", id: "quiz-finish", onclick: function () {
        var left = current.order.filter(function (qi) { return !current.answers[qi]; });
        if (left.length) {
          finishError.hidden = false;
          finishError.textContent = "Answer every question first: " + plural(left.length, "question is", "questions are") + " left.";
          showPos(firstUnanswered(0));
          return;
        }
        finish();
      }}, "See your result"));
    append(runBox, [head, list, finishBox]);
  }

  function section(pos) { return runBox.querySelector('.quiz-q[data-pos="' + pos + '"]'); }

  function firstUnanswered(from) {
    var n = current.order.length;
    for (var i = 0; i < n; i++) {
      var pos = (from + i) % n;
      if (!current.answers[current.order[pos]]) return pos;
    }
    return -1;
  }

  function renderQuestion(qi, pos) {
    var q = questions[qi];
    var n = current.order.length;
    var name = "quiz-q" + qi;
    var hintId = "quiz-q" + qi + "-hint";
    var hint = q.multi ? (saysAllThatApply(q) ? "Tick every answer that applies." : "Choose all that apply.") : "Choose one answer.";
    var choices = el("ul", {class: "quiz-choices"});
    current.choiceOrder[qi].forEach(function (ci) {
      var id = name + "-c" + ci;
      append(choices, el("li", {class: "quiz-option", "data-choice": ci},
        el("input", {type: q.multi ? "checkbox" : "radio", name: name, id: id, value: ci}),
        el("label", {for: id}, html(q.choices[ci])),
        el("span", {class: "quiz-mark"})));
    });
    var error = el("p", {class: "quiz-error", id: name + "-error", hidden: true});
    var feedback = el("div", {class: "quiz-feedback", "aria-live": "polite", tabindex: "-1"});
    var next = el("button", {type: "button", class: "button quiz-next", hidden: true, onclick: function () { afterAnswer(pos); }});
    var form = el("form", {class: "quiz-q-form", novalidate: true, onsubmit: function (ev) { ev.preventDefault(); check(qi, pos); }},
      el("fieldset", {"aria-describedby": hintId},
        el("legend", {tabindex: "-1"},
          el("span", {class: "quiz-q-number"}, "Question " + (pos + 1) + " of " + n),
          el("span", {class: "quiz-q-text"}, html(q.text))),
        el("p", {class: "quiz-hint", id: hintId}, hint),
        choices,
        error),
      el("div", {class: "quiz-actions"}, el("button", {type: "submit", class: "button quiz-check"}, "Check answer")),
      feedback,
      el("div", {class: "quiz-actions"}, next));
    return el("section", {class: "quiz-q", "data-q": qi, "data-pos": pos, id: "quiz-q-" + qi}, form);
  }

  function check(qi, pos) {
    var q = questions[qi];
    var box = section(pos);
    var inputs = Array.prototype.slice.call(box.querySelectorAll("input"));
    var chosen = inputs.filter(function (i) { return i.checked; }).map(function (i) { return Number(i.value); });
    var error = box.querySelector(".quiz-error");
    if (!chosen.length) {
      error.hidden = false;
      error.textContent = q.multi ? "Choose at least one answer, then check it." : "Choose an answer, then check it.";
      inputs[0].setAttribute("aria-describedby", error.id);
      focus(inputs[0]);
      return;
    }
    error.hidden = true;
    inputs[0].removeAttribute("aria-describedby");
    chosen.sort(function (a, b) { return a - b; });
    current.answers[qi] = chosen;
    var right = sameSet(chosen, q.answer);

    inputs.forEach(function (i) { i.disabled = true; });
    box.querySelector(".quiz-check").hidden = true;
    box.classList.add("is-answered");
    box.querySelectorAll(".quiz-option").forEach(function (li) {
      var ci = Number(li.getAttribute("data-choice"));
      var picked = chosen.indexOf(ci) >= 0, correct = q.answer.indexOf(ci) >= 0;
      var mark = li.querySelector(".quiz-mark");
      if (picked && correct) { li.classList.add("is-right"); mark.textContent = "Your answer: right"; }
      else if (picked) { li.classList.add("is-wrong"); mark.textContent = "Your answer: wrong"; }
      else if (correct) { li.classList.add("is-right"); mark.textContent = q.multi ? "Right answer, not ticked" : "Right answer"; }
    });

    var rightChoices = q.answer.map(function (ci) { return el("li", null, html(q.choices[ci])); });
    var ref = q.ref || {};
    var feedback = box.querySelector(".quiz-feedback");
    feedback.setAttribute("data-result", right ? "right" : "wrong");
    feedback.className = "quiz-feedback " + (right ? "is-right" : "is-wrong");
    append(clear(feedback), [
      el("p", {class: "quiz-verdict"},
        el("span", {class: "quiz-verdict-icon", "aria-hidden": "true"}, right ? "✓" : "✗"),
        el("strong", null, right ? "Correct." : "Not quite."),
        right ? null : " " + (q.answer.length > 1 ? "The right answers are:" : "The right answer is:")),
      right ? null : el("ul", {class: "quiz-right-answers"}, rightChoices),
      q.explanation ? el("p", {class: "quiz-explanation"}, html(q.explanation)) : null,
      ref.url ? el("p", {class: "quiz-ref"}, "The policy says more in ",
        el("a", {href: ref.url}, ref.section ? "“" + ref.section + "”" : ref.policy),
        ref.section ? " (" + ref.policy + ")." : ".") : null
    ]);

    var next = box.querySelector(".quiz-next");
    var remaining = firstUnanswered(pos);
    next.textContent = remaining < 0 ? "See your result" : (mode === "one" ? "Next question" : "Go to the next question");
    next.hidden = false;
    updateProgress();
    focus(feedback);
  }

  function afterAnswer(pos) {
    var nextPos = firstUnanswered(pos);
    if (nextPos < 0) { finish(); return; }
    showPos(nextPos);
  }

  // showPos shows the question at display position pos (all of them in "all"
  // mode) and moves focus to its legend.
  function showPos(pos) {
    if (pos < 0) pos = 0;
    current.pos = pos;
    runBox.setAttribute("data-mode", mode);
    runBox.querySelectorAll(".quiz-q").forEach(function (s) {
      s.hidden = mode === "one" && Number(s.getAttribute("data-pos")) !== pos;
    });
    finishBox.hidden = mode === "one";
    modeButton.textContent = mode === "one" ? "Show all questions on one page" : "Show one question at a time";
    updateProgress();
    focus(section(pos).querySelector("legend"));
  }

  function updateProgress() {
    var n = current.order.length;
    var done = current.answers.filter(Boolean).length;
    progressText.textContent = mode === "one"
      ? "Question " + (current.pos + 1) + " of " + n + " · " + done + " answered"
      : done + " of " + n + " answered";
    progressBar.style.width = (n ? (100 * done / n) : 0) + "%";
  }

  // --- the result -------------------------------------------------------------

  var sendBox;

  function finish() {
    current.finishedAt = new Date().toISOString();
    var correct = 0;
    questions.forEach(function (q, qi) { if (current.answers[qi] && sameSet(current.answers[qi], q.answer)) correct++; });
    var n = questions.length;
    var passed = correct >= quiz.need;
    current.correct = correct;
    runBox.hidden = true;
    clear(resultBox).hidden = false;
    resultBox.setAttribute("data-passed", passed ? "true" : "false");
    sendBox = el("div", {id: "quiz-send", class: "quiz-notice quiz-send", role: "status", "aria-live": "polite"});
    append(resultBox, [
      el("h2", {id: "quiz-result-title", tabindex: "-1"}, "Your result"),
      el("p", {class: "quiz-score"}, "You got ", el("strong", null, correct + " out of " + n), " right (" + percent(n ? correct / n : 0) + "). " +
        "The pass mark is " + percent(quiz.pass_mark) + " (" + quiz.need + " of " + n + ")."),
      el("p", {class: "quiz-verdict quiz-verdict-big " + (passed ? "is-right" : "is-wrong")},
        el("span", {class: "quiz-verdict-icon", "aria-hidden": "true"}, passed ? "✓" : "✗"),
        el("strong", null, passed ? "You passed." : "You did not pass this time."))
    ]);
    if (passed) {
      append(resultBox, sendBox);
      if (token()) send(); else showPractice();
    } else {
      showFailed();
    }
    focus(resultBox.querySelector("h2"));
  }

  function showFailed() {
    var wrong = questions.map(function (q, qi) { return qi; }).filter(function (qi) {
      return !sameSet(current.answers[qi] || [], questions[qi].answer);
    });
    append(resultBox, [
      el("p", null, "You need " + quiz.need + " right to pass. Look again at the parts of the policy below, then try again: " +
        "the questions and answers will come in a new order."),
      el("h3", null, "Worth another look"),
      el("ul", {class: "quiz-review"}, wrong.map(function (qi) {
        var q = questions[qi], ref = q.ref || {};
        return el("li", null,
          el("p", {class: "quiz-review-q"}, html(q.text)),
          q.explanation ? el("p", null, html(q.explanation)) : null,
          ref.url ? el("p", null, el("a", {href: ref.url}, ref.section ? "“" + ref.section + "” in the " + ref.policy : ref.policy)) : null);
      })),
      el("p", null, el("button", {type: "button", class: "button", id: "quiz-retry", onclick: start}, "Try again"))
    ]);
  }

  function showPractice() {
    sendBox.setAttribute("data-state", "practice");
    sendBox.className = "quiz-notice quiz-send";
    append(clear(sendBox), [
      el("p", null, el("strong", null, "Practice only: this has not been recorded."),
        " To record your training, open your personal link from the ", dslContact(), " on this device, then take the quiz again.")
    ]);
    append(resultBox, el("p", null, el("button", {type: "button", class: "button button-secondary", onclick: start}, "Take the quiz again")));
  }

  function send() {
    var entry = {
      url: api + "/v1/completions",
      title: quiz.title,
      policy: quiz.policy.title,
      version: quiz.policy.version,
      total: questions.length,
      school: quiz.school,
      name: who.name || "",
      state: "waiting",
      queued_at: new Date().toISOString(),
      body: {
        attempt_id: current.id,
        quiz: quiz.id,
        answers: quiz.acknowledge ? [] : current.answers.map(function (a) { return a || []; }),
        token: token(),
        started_at: current.startedAt,
        finished_at: current.finishedAt
      }
    };
    var q = loadQueue();
    q[current.id] = entry;
    current.stored = saveQueue(q);
    current.entry = entry;
    sendBox.setAttribute("data-state", "sending");
    sendBox.className = "quiz-notice quiz-send";
    append(clear(sendBox), el("p", null, "Sending your completion to the school's training record…"));
    flush();
  }

  function showQueued() {
    sendBox.setAttribute("data-state", "queued");
    sendBox.className = "quiz-notice quiz-send quiz-notice-warn";
    if (current.stored) {
      append(clear(sendBox), [
        el("p", null, el("strong", null, "Not sent yet: the training record cannot be reached.")),
        el("p", null, SAVED_HONESTLY),
        el("p", null, "This page tries again every 30 seconds and as soon as the connection is back; so does every training page you open later on this device.")
      ]);
    } else {
      append(clear(sendBox), [
        el("p", null, el("strong", null, "Not sent yet: the training record cannot be reached, and this browser will not let the page save it.")),
        el("p", null, "Keep this page open: it tries again every 30 seconds. If you close it before it is sent, your completion is lost and you will need to take the quiz again.")
      ]);
    }
  }

  function showRefused(status, error) {
    sendBox.setAttribute("data-state", "refused");
    sendBox.className = "quiz-notice quiz-send quiz-notice-error";
    var advice = status === 401 || status === 403
      ? ["Your personal link was not accepted. Ask the ", dslContact(), " for a new one."]
      : ["Show this message to the ", dslContact(), "."];
    append(clear(sendBox), [
      el("p", null, el("strong", null, "The training record refused this completion: "), error + " (HTTP " + status + ")."),
      el("p", null, advice, " Your result is kept on this device (attempt " + current.id + ")."),
      el("p", null, el("button", {type: "button", class: "button button-secondary button-small", onclick: function () {
        updateEntry(current.id, retryRefused);
        sendBox.setAttribute("data-state", "sending");
        append(clear(sendBox), el("p", null, "Sending your completion to the school's training record…"));
        flush();
      }}, "Try again"))
    ]);
  }

  function showSent(entry, body) {
    if (body.passed === false) {
      sendBox.setAttribute("data-state", "not-passed");
      sendBox.className = "quiz-notice quiz-send quiz-notice-error";
      append(clear(sendBox), [
        el("p", null, el("strong", null, "Recorded, but the training record marked it as not passed"),
          " (score " + percent(body.score || 0) + "). This page may be out of date: reload it and take the quiz again."),
        el("p", null, el("button", {type: "button", class: "button", onclick: function () { location.reload(); }}, "Reload the page"))
      ]);
      return;
    }
    sendBox.setAttribute("data-state", "sent");
    sendBox.className = "quiz-notice quiz-send quiz-notice-ok";
    append(clear(sendBox), el("p", null, el("strong", null, "Recorded."),
      quiz.acknowledge ? " The school's training record now shows your acknowledgement." : " The school's training record now shows that you passed."));
    var old = resultBox.querySelector(".certificate-wrap");
    if (old) old.remove();
    append(resultBox, certificate(entry, body));
  }

  function certificate(entry, body) {
    var ack = entry.body.answers.length === 0; // a quiz with questions always sends answers
    var name = body.name || entry.name || who.name || "";
    var version = body.policy_version || entry.version;
    var code = body.certificate || "";
    var verifyURL = new URL(api + "/v1/certificates/" + encodeURIComponent(code), location.href).href;
    var n = entry.total || 0;
    var printButton = el("button", {type: "button", class: "button button-secondary print-button", onclick: function () { window.print(); }}, "Print the certificate");
    document.body.classList.add("quiz-has-certificate");
    var score = body.score != null ? percent(body.score) : "";
    if (!ack && n && body.score != null) score += " (" + Math.round(body.score * n) + " of " + n + ")";
    return el("div", {class: "certificate-wrap"},
      el("section", {class: "certificate", "aria-labelledby": "certificate-title-" + entry.body.attempt_id},
        el("p", {class: "certificate-school"}, entry.school || quiz.school),
        el("h3", {class: "certificate-title", id: "certificate-title-" + entry.body.attempt_id}, ack ? "Record of acknowledgement" : "Certificate of training"),
        el("p", {class: "certificate-lead"}, "This certifies that"),
        el("p", {class: "certificate-name"}, name || "the member of staff named in the training record"),
        el("p", {class: "certificate-lead"}, ack ? "has read and understood" : "has completed"),
        el("p", {class: "certificate-quiz"}, ack ? entry.policy : entry.title),
        el("dl", {class: "certificate-details"},
          el("div", null, el("dt", null, "Policy"), el("dd", null, entry.policy + (version ? ", version " + version : ""))),
          el("div", null, el("dt", null, "Date"), el("dd", {class: "certificate-date"}, recordedDate(body.date) || longDate(entry.body.finished_at))),
          ack ? null : el("div", null, el("dt", null, "Score"), el("dd", {class: "certificate-score"}, score)),
          el("div", null, el("dt", null, "Verification code"), el("dd", {class: "certificate-code"}, code))),
        el("p", {class: "certificate-verify"}, "Anyone can check this certificate with the school's training record at ", el("span", {class: "certificate-url"}, verifyURL), ".")),
      printButton);
  }

  // --- read and acknowledge ----------------------------------------------------

  function renderAcknowledge() {
    clear(startBox);
    var p = quiz.policy;
    var what = "version " + (p.version || "(no version)") + " of the " + p.title;
    append(startBox, el("h2", {id: "quiz-begin-title"}, "Acknowledge"));
    if (!token()) {
      append(startBox, el("p", null, "You can record that you have read " + what + " once you have opened your personal link on this device."));
      return;
    }
    var error = el("p", {class: "quiz-error", id: "quiz-ack-error", hidden: true});
    var box = el("input", {type: "checkbox", id: "quiz-ack", name: "quiz-ack"});
    append(startBox, el("form", {id: "quiz-ack-form", novalidate: true, onsubmit: function (ev) {
      ev.preventDefault();
      if (!box.checked) {
        error.hidden = false;
        error.textContent = "Tick the box to confirm you have read and understood the policy.";
        box.setAttribute("aria-describedby", error.id);
        focus(box);
        return;
      }
      current = {id: uuid(), startedAt: pageOpened, finishedAt: new Date().toISOString(), answers: []};
      startBox.hidden = true;
      clear(resultBox).hidden = false;
      sendBox = el("div", {id: "quiz-send", class: "quiz-notice quiz-send", role: "status", "aria-live": "polite"});
      append(resultBox, [el("h2", {id: "quiz-result-title", tabindex: "-1"}, "Your acknowledgement"), sendBox]);
      send();
      focus(resultBox.querySelector("h2"));
    }},
      el("div", {class: "quiz-option quiz-ack"}, box, el("label", {for: "quiz-ack"}, "I have read and understood " + what + ".")),
      error,
      el("p", null, el("button", {type: "submit", class: "button", id: "quiz-ack-submit"}, "Record my acknowledgement"))));
  }

  // --- start up ------------------------------------------------------------------

  var pageOpened = new Date().toISOString();
  renderWho();
  renderBegin();
  renderQueue();
  whoami().then(renderWho);
  flush();
  window.addEventListener("online", flush);
  setInterval(flush, RETRY_MS);
})();
