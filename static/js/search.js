// Search for the policy website. It runs entirely in the browser: it fetches
// the index built with the site (search/index.json) and shows the pages that
// contain every word typed, with a snippet around the first match.
// No third-party code and no requests to anywhere but this site.
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  if (!form || !input || !results) return;

  // The form is hidden in the HTML, so that without JavaScript the page only
  // shows its note and the link to all policies.
  form.hidden = false;
  var indexURL = form.getAttribute("data-index");
  var policiesURL = (document.querySelector('.site-nav a[href$="policies/"]') || {}).href || "../policies/";
  var pages = null; // loaded index, each page with normalised text
  var loading = null;

  // Lower case, accents removed, curly quotes made straight, so that "Mrs Zoë's"
  // is found by "zoe's".
  function fold(text) {
    return String(text || "")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u2018\u2019\u201b\u2032]/g, "'")
      .replace(/[\u201c\u201d\u2033]/g, '"')
      .toLowerCase();
  }

  function words(query) {
    var seen = {};
    return fold(query).split(/[^a-z0-9']+/).map(function (w) {
      return w.replace(/^'+|'+$/g, "");
    }).filter(function (w) {
      if (!w || seen[w]) return false;
      seen[w] = true;
      return true;
    });
  }

  function escapeRE(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // A word matches at the start of a word in the text: "phone" finds
  // "phones" and "mobile-phone" but not "headphone".
  function wordRE(w, flags) { return new RegExp("(^|[^a-z0-9])" + escapeRE(w), flags || ""); }

  function load() {
    if (pages) return Promise.resolve(pages);
    if (loading) return loading;
    loading = fetch(indexURL, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (data) {
        pages = (data.pages || []).map(function (p) {
          return {
            title: p.title, url: p.url, summary: p.summary || "", content: p.content || "",
            kind: p.section || "", version: p.version || "",
            fTitle: fold(p.title), fSummary: fold(p.summary), fContent: fold(p.content)
          };
        });
        return pages;
      });
    loading.catch(function () { loading = null; });
    return loading;
  }

  function count(re, text) {
    var n = 0, m;
    var g = new RegExp(re.source, "g");
    while ((m = g.exec(text)) && n < 50) { n++; if (m[0] === "") g.lastIndex++; }
    return n;
  }

  function search(query) {
    var ws = words(query);
    if (!ws.length) return { words: ws, hits: [] };
    var res = [];
    pages.forEach(function (p) {
      var score = 0;
      for (var i = 0; i < ws.length; i++) {
        var re = wordRE(ws[i]);
        var inTitle = re.test(p.fTitle), inSummary = re.test(p.fSummary), inBody = re.test(p.fContent);
        if (!inTitle && !inSummary && !inBody) return; // every word must match
        score += (inTitle ? 20 : 0) + (inSummary ? 5 : 0) + count(re, p.fContent);
      }
      res.push({ page: p, score: score });
    });
    res.sort(function (a, b) { return b.score - a.score || a.page.title.localeCompare(b.page.title); });
    return { words: ws, hits: res };
  }

  // The snippet: about 220 characters of the body around the first match,
  // cut at spaces. fold() keeps string length for ordinary text, so positions
  // found in the folded text are used on the original.
  function snippet(p, ws) {
    var text = p.content, folded = p.fContent;
    if (folded.length !== text.length) { text = folded; }
    // Candidate places: the first few matches of each word. The best is the
    // one with the most different query words close by.
    var at = -1, best = -1;
    for (var i = 0; i < ws.length; i++) {
      var g = wordRE(ws[i], "g"), m, tries = 0;
      while ((m = g.exec(folded)) && tries++ < 20) {
        var pos = m.index + m[1].length;
        var near = folded.slice(Math.max(0, pos - 80), pos + 140), score = 0;
        for (var j = 0; j < ws.length; j++) if (wordRE(ws[j]).test(near)) score++;
        if (score > best || (score === best && pos < at)) { best = score; at = pos; }
        if (m[0] === "") g.lastIndex++;
      }
    }
    if (at < 0) return p.summary || text.slice(0, 200);
    var start = Math.max(0, at - 80), end = Math.min(text.length, at + 140);
    if (start > 0) { var s = text.indexOf(" ", start); if (s >= 0 && s < at) start = s + 1; }
    if (end < text.length) { var e = text.lastIndexOf(" ", end); if (e > at) end = e; }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  // Appends text to el with every query word marked.
  function appendMarked(el, text, ws) {
    var f = fold(text);
    if (f.length !== text.length) { el.appendChild(document.createTextNode(text)); return; }
    var alts = ws.map(escapeRE).sort(function (a, b) { return b.length - a.length; }).join("|");
    var re = new RegExp("(^|[^a-z0-9])(" + alts + ")", "g");
    var last = 0, m;
    while ((m = re.exec(f))) {
      var from = m.index + m[1].length, to = from + m[2].length;
      if (from > last) el.appendChild(document.createTextNode(text.slice(last, from)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(from, to);
      el.appendChild(mark);
      last = to;
      if (m[0] === "") re.lastIndex++;
    }
    if (last < text.length) el.appendChild(document.createTextNode(text.slice(last)));
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function allPoliciesLink(before, after) {
    var p = el("p", "search-help");
    p.appendChild(document.createTextNode(before));
    var a = el("a", null, "the list of all policies");
    a.href = policiesURL;
    p.appendChild(a);
    p.appendChild(document.createTextNode(after));
    return p;
  }

  function show(query) {
    var out = search(query);
    results.textContent = "";
    if (!out.words.length) return;
    var n = out.hits.length;
    var status = el("p", "search-status");
    status.id = "search-status";
    var q = "\u201c" + query.trim() + "\u201d";
    if (n === 0) {
      status.textContent = "Nothing found for " + q + ".";
      results.appendChild(status);
      results.appendChild(allPoliciesLink(
        (out.words.length > 1 ? "No page contains all of these words. Try fewer words, or look through " : "Try another word, or look through "), "."));
      return;
    }
    status.textContent = n + (n === 1 ? " result" : " results") + " for " + q + ".";
    results.appendChild(status);
    var list = el("ol", "search-result-list");
    out.hits.forEach(function (h) {
      var p = h.page;
      var li = el("li", "search-result");
      var title = el("h2", "search-result-title");
      var a = el("a");
      a.href = p.url;
      appendMarked(a, p.title, out.words);
      title.appendChild(a);
      li.appendChild(title);
      if (p.kind === "Policy" && p.version) {
        li.appendChild(el("p", "search-result-meta", "Policy, version " + p.version));
      }
      var snip = el("p", "search-snippet");
      appendMarked(snip, snippet(p, out.words), out.words);
      li.appendChild(snip);
      list.appendChild(li);
    });
    results.appendChild(list);
  }

  function run(query, updateURL) {
    if (updateURL && window.history && history.replaceState) {
      var url = new URL(window.location.href);
      if (query.trim()) url.searchParams.set("q", query.trim()); else url.searchParams.delete("q");
      history.replaceState(null, "", url.toString());
    }
    if (!query.trim()) { results.textContent = ""; return; }
    load().then(function () { show(query); }, function () {
      results.textContent = "";
      results.appendChild(allPoliciesLink("Sorry, search could not load its index. You can still find every policy on ", "."));
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    run(input.value, true);
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial, false);
  }
})();
