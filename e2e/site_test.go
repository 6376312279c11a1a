package e2e

// Browser tests for the parent/staff website (issue 2), run against the real
// example school. The theme's contract with these tests:
//   skip link a.skip-link → #main; <nav aria-label="Main">; <main id="main">;
//   policy pages have <dl class="policy-meta">, <nav class="toc" aria-label="Contents">,
//   <section class="related">; search at /search/ has #search-form,
//   #search-input and #search-results (aria-live); the schedule at
//   /schedule/ is a <table>; the accessibility statement is /accessibility/;
//   one CSS file with the print rules.

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The policy most tests use: the example school's longest, with a full TOC.
const onlineSafety = "/policies/online-safety/"

// sitePages are the pages every parent-facing check runs on.
var sitePages = []struct{ name, path string }{
	{"home", "/"},
	{"policy index", "/policies/"},
	{"policy page", onlineSafety},
	{"schedule", "/schedule/"},
	{"search", "/search/"},
	{"accessibility statement", "/accessibility/"},
}

// Everything a page fetches comes from the site itself (no CDN, no web
// fonts, no trackers), and is there: no missing stylesheet, script or icon.
// It runs first: a missing stylesheet explains many later failures.
func TestPageRequestsStayOnSiteAndLoad(t *testing.T) {
	for _, p := range sitePages {
		t.Run(p.name, func(t *testing.T) {
			ctx := tab(t)
			stop := recordRequests(t, ctx)
			navigate(t, ctx, p.path)
			time.Sleep(500 * time.Millisecond) // let late fetches (the search index, say) happen
			var foreign, broken []string
			for _, r := range stop() {
				switch {
				case strings.HasPrefix(r.URL, "data:") || strings.HasPrefix(r.URL, "blob:"):
				case !strings.HasPrefix(r.URL, siteURL+"/"):
					foreign = append(foreign, r.URL)
				case r.Failed != "" || r.Status >= 400:
					if !slices.Contains(broken, r.String()) {
						broken = append(broken, r.String())
					}
				}
			}
			if len(foreign) > 0 {
				t.Errorf("%s fetched from other sites: %q; want everything from the site itself", p.path, foreign)
			}
			if len(broken) > 0 {
				t.Errorf("%s asked for files the site does not have: %s", p.path, strings.Join(broken, ", "))
			}
		})
	}
}

// A parent arrives on the home page, follows a link to a policy, and uses
// the table of contents to jump to a section further down.
func TestHomeToPolicyToSection(t *testing.T) {
	ctx := open(t, "/")

	found := eval[bool](t, ctx, `(() => {
		const a = [...document.querySelectorAll("main a[href]")]
			.find(a => new URL(a.href).pathname === `+jsString(onlineSafety)+`);
		if (a) a.setAttribute("data-e2e", "policy-link");
		return !!a;
	})()`)
	if !found {
		links := eval[[]string](t, ctx, `[...document.querySelectorAll("main a[href]")].map(a => new URL(a.href).pathname)`)
		t.Fatalf("home page: no link in <main> to %s; the links in <main> go to %q", onlineSafety, links)
	}
	clickAndLoad(t, ctx, `[data-e2e="policy-link"]`, "the link to "+onlineSafety)
	if got := eval[string](t, ctx, `location.pathname`); got != onlineSafety {
		t.Fatalf("clicking the home page's link to %s landed on %s", onlineSafety, got)
	}

	// The first TOC entry whose heading starts below the fold: following it
	// must scroll the page.
	type tocPick struct {
		Error string `json:"error"`
		Hash  string `json:"hash"`
		Text  string `json:"text"`
		Count int    `json:"count"`
	}
	pick := eval[tocPick](t, ctx, `(() => {
		const toc = document.querySelector('nav.toc[aria-label="Contents"]');
		if (!toc) return {error: 'no <nav class="toc" aria-label="Contents">'};
		const links = [...toc.querySelectorAll('a[href^="#"]')];
		if (links.length < 3) return {error: "the contents list has " + links.length + " in-page links, want at least 3"};
		const target = a => document.getElementById(decodeURIComponent(a.hash.slice(1)));
		const missing = links.filter(a => !target(a)).map(a => a.getAttribute("href"));
		if (missing.length) return {error: "contents entries point at ids no element has: " + missing.join(" ")};
		const a = links.find(a => target(a).getBoundingClientRect().top > innerHeight) || links[links.length - 1];
		a.setAttribute("data-e2e", "toc-link");
		return {hash: a.hash, text: a.textContent.trim(), count: links.length};
	})()`)
	if pick.Error != "" {
		t.Fatalf("policy page %s: %s", onlineSafety, pick.Error)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-e2e="toc-link"]`))); err != nil {
		t.Fatalf("policy page %s: clicking the contents entry %q: %v", onlineSafety, pick.Text, err)
	}
	// Near the top: within the top fifth of the window (room for a sticky
	// header or scroll-padding), not scrolled past, and not covered by
	// anything (a sticky header, say).
	type view struct {
		URL      string  `json:"url"`
		Top      float64 `json:"top"`
		Height   float64 `json:"height"`
		ScrollY  float64 `json:"scrollY"`
		Covered  string  `json:"covered"`
		Expected bool    `json:"ok"`
	}
	viewJS := `(() => {
		const el = document.getElementById(decodeURIComponent(` + jsString(pick.Hash) + `.slice(1)));
		const r = el.getBoundingClientRect();
		const hit = document.elementFromPoint(r.left + Math.min(10, r.width / 2), r.top + Math.min(r.height / 2, 10));
		const covered = !hit ? "nothing there" : (el.contains(hit) || hit.contains(el)) ? "" :
			hit.tagName.toLowerCase() + (hit.id ? "#" + hit.id : "") + [...hit.classList].map(c => "." + c).join("");
		return {url: location.pathname + location.hash, top: r.top, height: innerHeight, scrollY: scrollY, covered,
			ok: location.hash === ` + jsString(pick.Hash) + ` && r.top >= -2 && r.top <= innerHeight / 5 && covered === ""};
	})()`
	if !waitFor(ctx, viewJS+".ok", 5*time.Second) {
		v := eval[view](t, ctx, viewJS)
		t.Fatalf("policy page: after clicking the contents entry %q (%s), want the URL to end in %s and that heading at the top of the window, uncovered;\n"+
			"got URL %s, heading top at %.0f px in a %.0f px window (scrollY %.0f), covered by %q",
			pick.Text, pick.Hash, pick.Hash, v.URL, v.Top, v.Height, v.ScrollY, v.Covered)
	}
}

// Search finds a policy by a word that is only in its body, not its title,
// and the result takes the reader there.
func TestSearchFindsPolicyByWordInBody(t *testing.T) {
	const word = "sextortion" // in the Online Safety Policy, section "Online sexual abuse and exploitation"

	ctx := open(t, onlineSafety)
	type pageText struct {
		Title string `json:"title"`
		Body  string `json:"body"`
	}
	p := eval[pageText](t, ctx, `({title: (document.querySelector("h1") || {}).textContent || "",
		body: (document.querySelector("main") || document.body).innerText})`)
	if !strings.Contains(strings.ToLower(p.Body), word) || strings.Contains(strings.ToLower(p.Title), word) {
		t.Fatalf("this test needs a word that is in the body of %s but not its title %q; %q no longer is: pick another",
			onlineSafety, p.Title, word)
	}

	navigate(t, ctx, "/search/")
	type form struct {
		Form, Input, Results bool
		Live                 string
	}
	f := eval[form](t, ctx, `({Form: !!document.getElementById("search-form"), Input: !!document.getElementById("search-input"),
		Results: !!document.getElementById("search-results"),
		Live: (document.getElementById("search-results") || {getAttribute: () => ""}).getAttribute("aria-live") || ""})`)
	if !f.Form || !f.Input || !f.Results {
		t.Fatalf("/search/: want #search-form, #search-input and #search-results; found form %v, input %v, results %v", f.Form, f.Input, f.Results)
	}
	if f.Live != "polite" && f.Live != "assertive" {
		t.Errorf("/search/: #search-results has aria-live=%q, want polite (so screen readers announce results)", f.Live)
	}

	// Type the word and press Enter, as a reader would.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#search-input"), word+"\n")); err != nil {
		t.Fatalf("/search/: typing %q into #search-input: %v", word, err)
	}
	hasResult := `[...document.querySelectorAll("#search-results a[href]")].some(a => new URL(a.href, location.href).pathname === ` + jsString(onlineSafety) + `)`
	if !waitFor(ctx, hasResult, 10*time.Second) {
		type results struct {
			URL   string   `json:"url"`
			Links []string `json:"links"`
			Text  string   `json:"text"`
		}
		r := eval[results](t, ctx, `({url: location.pathname + location.search,
			links: [...document.querySelectorAll("#search-results a[href]")].map(a => a.getAttribute("href")),
			text: (document.getElementById("search-results") || {innerText: "(no #search-results)"}).innerText})`)
		t.Fatalf("/search/: searching for %q, want a result linking to %s;\ngot page %s with result links %q and results text %q",
			word, onlineSafety, r.URL, r.Links, short(r.Text, 300))
	}
	axe(t, ctx) // the page with results showing must be accessible too

	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("#search-results a[href]")]
		.find(a => new URL(a.href, location.href).pathname === `+jsString(onlineSafety)+`).setAttribute("data-e2e", "result")`)); err != nil {
		t.Fatal(err)
	}
	clickAndLoad(t, ctx, `[data-e2e="result"]`, "the search result for "+onlineSafety)
	if got := eval[string](t, ctx, `location.pathname`); got != onlineSafety {
		t.Fatalf("/search/: the result for %s led to %s", onlineSafety, got)
	}
}

// Printed, a policy has no site navigation or footer, and a link shows the
// address it goes to.
func TestPrintHidesNavigationAndShowsLinkURLs(t *testing.T) {
	ctx := open(t, onlineSafety)

	type look struct {
		Nav          bool   `json:"nav"`
		NavShown     bool   `json:"navShown"`
		NavDisplay   string `json:"navDisplay"`
		Footer       bool   `json:"footer"`
		FooterShown  bool   `json:"footerShown"`
		FooterStyle  string `json:"footerDisplay"`
		Link         string `json:"link"`
		LinkText     string `json:"linkText"`
		After        string `json:"after"`
		AfterDisplay string `json:"afterDisplay"`
	}
	const lookJS = `(() => {
		const shown = el => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
		const nav = document.querySelector('nav[aria-label="Main"]');
		const footer = document.querySelector('body > footer, [role="contentinfo"]') ||
			[...document.querySelectorAll("footer")].find(f => !f.closest("main, article, aside, nav, section"));
		const link = document.querySelector('main a[href^="http"]');
		return {
			nav: !!nav, navShown: shown(nav), navDisplay: nav ? getComputedStyle(nav).display : "",
			footer: !!footer, footerShown: shown(footer), footerDisplay: footer ? getComputedStyle(footer).display : "",
			link: link ? link.getAttribute("href") : "", linkText: link ? link.textContent.trim() : "",
			after: link ? getComputedStyle(link, "::after").content : "",
			afterDisplay: link ? getComputedStyle(link, "::after").display : "",
		};
	})()`

	screen := eval[look](t, ctx, lookJS)
	if !screen.Nav || !screen.NavShown {
		t.Fatalf("policy page %s on screen: want a visible <nav aria-label=\"Main\">, found nav %v, shown %v", onlineSafety, screen.Nav, screen.NavShown)
	}
	if !screen.Footer || !screen.FooterShown {
		t.Fatalf("policy page %s on screen: want a visible site <footer>, found footer %v, shown %v", onlineSafety, screen.Footer, screen.FooterShown)
	}
	if screen.Link == "" {
		t.Fatalf("policy page %s: want a link to another site in <main> (the national support services), found none", onlineSafety)
	}

	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("emulating print media: %v", err)
	}
	printed := eval[look](t, ctx, lookJS)
	screenshot(t, ctx, "print")
	if printed.NavShown {
		t.Errorf("policy page %s printed: the main navigation is still shown (display: %s), want it hidden", onlineSafety, printed.NavDisplay)
	}
	if printed.FooterShown {
		t.Errorf("policy page %s printed: the site footer is still shown (display: %s), want it hidden", onlineSafety, printed.FooterStyle)
	}
	after := printed.After
	t.Logf("printed, the link %s has ::after content %s", printed.Link, after)
	showsURL := printed.AfterDisplay != "none" && strings.Contains(after, printed.Link)
	if !showsURL {
		t.Errorf("policy page %s printed: the link %q (%s) should print its address after it;\n"+
			"its ::after content is %s (display %s), want it to contain the URL",
			onlineSafety, printed.LinkText, printed.Link, after, printed.AfterDisplay)
	}
}

// Printed, a link to another policy writes out its full address, which a
// parent can type in; the example school's baseURL is "/", so the built page
// only knows the path.
func TestPrintShowsFullAddressOfLinksToOtherPolicies(t *testing.T) {
	ctx := open(t, onlineSafety)
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("emulating print media: %v", err)
	}
	type link struct {
		Href  string `json:"href"`
		After string `json:"after"`
	}
	got := eval[link](t, ctx, `(() => {
		const a = [...document.querySelectorAll("main .prose a[href]")].find(a => /\/policies\/[a-z0-9-]+\//.test(a.getAttribute("href")));
		return a ? {href: a.href, after: getComputedStyle(a, "::after").content} : {href: "", after: ""};
	})()`)
	if got.Href == "" {
		t.Fatalf("policy page %s: want a link to another policy in its text, found none", onlineSafety)
	}
	if !strings.Contains(got.After, got.Href) {
		t.Errorf("policy page %s printed: the link to %s prints %s after it, want its full address %s", onlineSafety, got.Href, got.After, got.Href)
	}
}

// axe-core finds no WCAG 2.2 A/AA violation on any of the main pages.
func TestAccessibilityAxe(t *testing.T) {
	for _, p := range sitePages {
		t.Run(p.name, func(t *testing.T) {
			ctx := open(t, p.path)
			axe(t, ctx)
		})
	}
}

// With JavaScript off, a policy page still shows its content, metadata and
// a table of contents that works.
func TestPolicyPageWithoutJavaScript(t *testing.T) {
	ctx := tab(t)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("turning JavaScript off: %v", err)
	}
	// Prove it is off: a page whose script would set its title.
	if err := chromedp.Do(ctx, chromedp.Navigate(`data:text/html,<title>off</title><script>document.title="on"</script>`)); err != nil {
		t.Fatal(err)
	}
	if title := eval[string](t, ctx, `document.title`); title != "off" {
		t.Fatalf("turning JavaScript off did not work: a test page's script still ran (title %q)", title)
	}
	navigate(t, ctx, onlineSafety)

	type content struct {
		Title    string   `json:"title"`
		Text     int      `json:"text"`
		Meta     bool     `json:"meta"`
		TOC      []string `json:"toc"`
		Missing  []string `json:"missing"`
		Sections int      `json:"sections"`
	}
	c := eval[content](t, ctx, `(() => {
		const main = document.querySelector("main") || document.body;
		const toc = [...document.querySelectorAll('nav.toc[aria-label="Contents"] a[href^="#"]')];
		const shown = el => el.getClientRects().length > 0;
		return {
			title: (document.querySelector("h1") || {}).textContent || "",
			text: main.innerText.length,
			meta: !!document.querySelector("dl.policy-meta") && shown(document.querySelector("dl.policy-meta")),
			toc: toc.filter(shown).map(a => a.hash),
			missing: toc.filter(a => !document.getElementById(decodeURIComponent(a.hash.slice(1)))).map(a => a.hash),
			sections: main.querySelectorAll("h2[id]").length,
		};
	})()`)
	if !strings.Contains(c.Title, "Online Safety") {
		t.Errorf("%s without JavaScript: want the heading \"Online Safety Policy\", got %q", onlineSafety, c.Title)
	}
	if c.Text < 10000 || c.Sections < 10 {
		t.Errorf("%s without JavaScript: want the whole policy shown; got %d characters of text in <main> and %d section headings with ids",
			onlineSafety, c.Text, c.Sections)
	}
	if !c.Meta {
		t.Errorf("%s without JavaScript: want the metadata box <dl class=\"policy-meta\"> shown; it is not", onlineSafety)
	}
	if len(c.TOC) < 5 || len(c.Missing) > 0 {
		t.Fatalf("%s without JavaScript: want a shown contents list of at least 5 working entries; got %d entries %q, pointing nowhere: %q",
			onlineSafety, len(c.TOC), c.TOC, c.Missing)
	}
	target := c.TOC[len(c.TOC)/2]
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`nav.toc a[href="`+target+`"]`))); err != nil {
		t.Fatalf("%s without JavaScript: clicking the contents entry %s: %v", onlineSafety, target, err)
	}
	if !waitFor(ctx, `location.hash === `+jsString(target), 3*time.Second) {
		t.Errorf("%s without JavaScript: clicking the contents entry %s left the URL at %s", onlineSafety, target, here(ctx))
	}
}

// At 200% zoom on a 1280 px window, that is 640 CSS px, no page scrolls
// sideways (WCAG 1.4.10 Reflow).
func TestNoHorizontalScrollAt200PercentZoom(t *testing.T) {
	for _, p := range sitePages {
		t.Run(p.name, func(t *testing.T) {
			ctx := tab(t)
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(640, 900, chromedp.EmulateScale(2))); err != nil {
				t.Fatalf("emulating a 640 px wide window at 200%%: %v", err)
			}
			navigate(t, ctx, p.path)
			type width struct {
				Scroll int      `json:"scroll"`
				Inner  int      `json:"inner"`
				Wide   []string `json:"wide"`
			}
			w := eval[width](t, ctx, `(() => {
				const w = innerWidth;
				const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
					[...e.classList].map(c => "." + c).join("");
				const path = e => [e.parentElement.parentElement, e.parentElement, e].filter(x => x && x !== document.body).map(name).join(" > ");
				// Inside a box that scrolls or clips sideways, overflow is that box's own business.
				const contained = e => {
					for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
						if (getComputedStyle(a).overflowX !== "visible") return true;
					return false;
				};
				// How far right an element, or content spilling out of it, reaches.
				const right = e => {
					const r = e.getBoundingClientRect();
					return r.left + Math.max(r.width, getComputedStyle(e).overflowX === "visible" ? e.scrollWidth : 0);
				};
				const out = e => right(e) > w + 1 && !contained(e);
				const scroll = document.documentElement.scrollWidth;
				// The innermost elements that stick out past the window's right edge: the causes.
				const wide = scroll <= w ? [] : [...document.querySelectorAll("body *")]
					.filter(e => out(e) && ![...e.children].some(out))
					.slice(0, 8)
					.map(e => path(e) + " (reaches " + Math.round(right(e)) + " px)");
				return {scroll, inner: w, wide};
			})()`)
			if w.Scroll > w.Inner {
				t.Errorf("%s at 640 CSS px (200%% zoom): the page is %d px wide and scrolls sideways, want at most %d;\nelements sticking out: %s",
					p.path, w.Scroll, w.Inner, strings.Join(w.Wide, ", "))
			}
		})
	}
}

// The first Tab on a page reaches the skip link, which is visible when
// focused and takes the reader to the main content.
func TestSkipLink(t *testing.T) {
	ctx := open(t, onlineSafety)
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	type focus struct {
		Skip    bool    `json:"skip"`
		What    string  `json:"what"`
		Href    string  `json:"href"`
		Width   float64 `json:"width"`
		Height  float64 `json:"height"`
		Top     float64 `json:"top"`
		Outline string  `json:"outline"`
		Shadow  string  `json:"shadow"`
	}
	f := eval[focus](t, ctx, `(() => {
		const a = document.activeElement, r = a.getBoundingClientRect(), s = getComputedStyle(a);
		return {skip: a.matches("a.skip-link"), what: a.outerHTML.slice(0, 120), href: a.getAttribute("href") || "",
			width: r.width, height: r.height, top: r.top, outline: s.outlineStyle + " " + s.outlineWidth, shadow: s.boxShadow};
	})()`)
	if !f.Skip {
		t.Fatalf("%s: the first Tab should focus the skip link a.skip-link; it focused %s", onlineSafety, f.What)
	}
	if f.Href != "#main" {
		t.Errorf("%s: the skip link goes to %q, want #main", onlineSafety, f.Href)
	}
	if f.Width < 1 || f.Height < 1 || f.Top < 0 || f.Top > 900 {
		t.Errorf("%s: the focused skip link is not visible: %.0f×%.0f px at top %.0f", onlineSafety, f.Width, f.Height, f.Top)
	}
	if strings.HasPrefix(f.Outline, "none") && f.Shadow == "none" {
		t.Errorf("%s: the focused skip link has no visible focus indicator (outline %s, box-shadow %s)", onlineSafety, f.Outline, f.Shadow)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\r")); err != nil {
		t.Fatal(err)
	}
	if !waitFor(ctx, `location.hash === "#main"`, 3*time.Second) {
		t.Errorf("%s: Enter on the skip link left the URL at %s, want #main", onlineSafety, here(ctx))
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}
