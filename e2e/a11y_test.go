package e2e

// Browser tests for the WCAG 2.2 AA success criteria that axe-core cannot
// decide on its own, on the pages that matter most:
//
//   - 1.4.10 Reflow: nothing scrolls sideways at 320 CSS px (a table may
//     scroll in its own box, which the keyboard can reach: 2.1.1);
//   - 1.4.12 Text spacing: with the spacing the criterion names, no text is
//     clipped or spills out of a box of fixed size;
//   - 2.4.7 Focus visible, 2.4.11 Focus not obscured and 1.4.11 Non-text
//     contrast of the focus indicator: tabbing through each page, every
//     focused element is at least partly in view and not under anything, and
//     its focus changes an outline, a box-shadow, a border or a background
//     in a colour of at least 3:1 against what is around it, not cut off by
//     a box that hides its overflow; and (1.4.3) its text stays 4.5:1 on the
//     background focus gives it. The same for the focus the quiz moves;
//   - 1.4.11 for form fields: the border of a text field, check box or radio
//     button is at least 3:1 against the background;
//   - 2.5.8 Target size (minimum): every link and control is at least
//     24×24 CSS px, or has room enough around it; links inside a sentence
//     are exempt;
//   - 2.3.3-style motion: with prefers-reduced-motion: reduce nothing animates
//     and nothing scrolls smoothly.
//
// The measuring is done by the JavaScript in a11yLib, which the tests inject
// into each page.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// a11yPage is one page the checks run on. setUp, when not nil, brings the
// page into the state to check (a quiz started, the report with its token).
type a11yPage struct {
	name, path string
	api        bool // served by the training endpoint: needs it up
	setUp      func(t *testing.T, ctx context.Context)
}

var a11yPages = []a11yPage{
	{name: "home", path: "/"},
	{name: "policy index", path: "/policies/"},
	{name: "policy page", path: onlineSafety},
	{name: "schedule", path: "/schedule/"},
	{name: "search", path: "/search/?q=filtering", setUp: func(t *testing.T, ctx context.Context) {
		// With results on the page, as a reader sees them.
		if !waitFor(ctx, `document.querySelectorAll("#search-results a").length > 0`, 10*time.Second) {
			t.Fatalf("/search/?q=filtering showed no results")
		}
		eval[bool](t, ctx, `(document.activeElement.blur(), scrollTo(0, 0), true)`)
	}},
	{name: "accessibility statement", path: "/accessibility/"},
	{name: "quiz", path: "/staff/training/online-safety-annual/"},
	{name: "quiz question", path: "/staff/training/online-safety-annual/", setUp: func(t *testing.T, ctx context.Context) {
		eval[bool](t, ctx, `(document.getElementById("quiz-start").click(), true)`)
		if !waitFor(ctx, `[...document.querySelectorAll("section.quiz-q")].some(q => q.getClientRects().length > 0)`, 5*time.Second) {
			t.Fatalf("quiz: after Start, no question is shown")
		}
		eval[bool](t, ctx, `(document.activeElement.blur(), scrollTo(0, 0), true)`)
	}},
	{name: "quiz result", path: "/staff/training/online-safety-annual/", api: true, setUp: func(t *testing.T, ctx context.Context) {
		// Passed in practice (no personal link, so nothing is recorded): the
		// result, the review of answers and the retry button.
		q := exampleQuiz(t, "online-safety", false)
		eval[bool](t, ctx, `(document.getElementById("quiz-start").click(), true)`)
		answerAllByScript(t, ctx, q, len(q.Questions))
		if !waitFor(ctx, `!!document.getElementById("quiz-result") && document.getElementById("quiz-result").getClientRects().length > 0`, 5*time.Second) {
			t.Fatalf("quiz: after answering every question, no #quiz-result")
		}
		eval[bool](t, ctx, `(document.activeElement.blur(), scrollTo(0, 0), true)`)
	}},
	{name: "posters index", path: "/staff/posters/"},
	{name: "poster", path: "/posters/ks1-a4-en/"},
	{name: "poster in Urdu", path: "/posters/ks1-a4-ur/"},
	{name: "poster A3 landscape", path: "/posters/ks2-a3-en/"},
	{name: "report", path: "/api/report", api: true, setUp: func(t *testing.T, ctx context.Context) {
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#token"), api.admin+"\n")); err != nil {
			t.Fatalf("/api/report: typing the admin token into #token: %v", err)
		}
		if !waitFor(ctx, `!!document.getElementById("report") && !document.getElementById("report").hidden &&
			document.querySelectorAll("#rows tr").length > 0`, 10*time.Second) {
			t.Fatalf("/api/report: after giving the admin token, no report table")
		}
		eval[bool](t, ctx, `(document.activeElement.blur(), scrollTo(0, 0), true)`)
	}},
}

// openA11y opens p in a new tab whose window is width×height CSS px (0 keeps
// the browser's 1280×900), runs before (emulation that must come before
// loading) and brings the page into its state, with a11yLib injected.
func openA11y(t *testing.T, p a11yPage, width, height int64, before func(ctx context.Context)) context.Context {
	t.Helper()
	if p.api {
		needAPI(t)
	}
	ctx := tab(t)
	if width > 0 {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
			t.Fatalf("emulating a %d×%d px window: %v", width, height, err)
		}
	}
	if before != nil {
		before(ctx)
	}
	navigate(t, ctx, p.path)
	if p.setUp != nil {
		p.setUp(t, ctx)
	}
	eval[bool](t, ctx, a11yLib+`; true`)
	return ctx
}

// forEachPage runs check on every page in a subtest.
func forEachPage(t *testing.T, check func(t *testing.T, p a11yPage)) {
	for _, p := range a11yPages {
		t.Run(p.name, func(t *testing.T) { check(t, p) })
	}
}

// findings formats up to 12 findings, one a line.
func findings(items []string) string {
	more := ""
	if len(items) > 12 {
		more = fmt.Sprintf("\n    … and %d more", len(items)-12)
		items = items[:12]
	}
	return "\n    " + strings.Join(items, "\n    ") + more
}

// --- 1.4.10 Reflow -------------------------------------------------------------

// At 320 CSS px wide (1280 px at 400% zoom) no page scrolls sideways; a wide
// table scrolls inside its own box instead, and that box can be scrolled
// from the keyboard (it takes focus, or something in it does).
func TestA11yReflow320(t *testing.T) {
	forEachPage(t, func(t *testing.T, p a11yPage) {
		ctx := openA11y(t, p, 320, 640, nil)
		type result struct {
			Scroll int      `json:"scroll"`
			Inner  int      `json:"inner"`
			Wide   []string `json:"wide"`
			Stuck  []string `json:"stuck"`
		}
		r := eval[result](t, ctx, `a11y.reflow()`)
		screenshot(t, ctx, "320px")
		if r.Scroll > r.Inner {
			t.Errorf("%s at 320 CSS px: the page is %d px wide and scrolls sideways, want at most %d; sticking out:%s",
				p.path, r.Scroll, r.Inner, findings(r.Wide))
		}
		if len(r.Stuck) > 0 {
			t.Errorf("%s at 320 CSS px: boxes that scroll sideways but not from the keyboard (WCAG 2.1.1), or not all the way (1.4.10):%s", p.path, findings(r.Stuck))
		}
	})
}

// --- 1.4.12 Text spacing -------------------------------------------------------

// textSpacingCSS is the spacing WCAG 1.4.12 says a reader may set.
const textSpacingCSS = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }`

// With the text spacing of 1.4.12, at 1280 and at 320 CSS px, no text is cut
// off by a box that hides its overflow, and none spills out of a box of fixed
// height over what follows.
func TestA11yTextSpacing(t *testing.T) {
	for _, width := range []int64{0, 320} {
		t.Run(fmt.Sprintf("width %d", width), func(t *testing.T) {
			forEachPage(t, func(t *testing.T, p a11yPage) {
				ctx := openA11y(t, p, width, 800, nil)
				bad := eval[[]string](t, ctx, `a11y.textSpacing(`+jsString(textSpacingCSS)+`)`)
				if len(bad) > 0 {
					screenshot(t, ctx, "text-spacing")
					t.Errorf("%s with WCAG 1.4.12 text spacing: text clipped or spilling out of its box:%s", p.path, findings(bad))
				}
			})
		})
	}
}

// --- 2.4.7, 2.4.11, 1.4.11: focus -----------------------------------------------

// maxTabs bounds how far a test tabs through one page.
const maxTabs = 250

// focusStop is what a11y.focusStop() says about the focused element.
type focusStop struct {
	Key      string   `json:"key"`      // identifies the element, to see the cycle close
	What     string   `json:"what"`     // a readable name for messages
	Body     bool     `json:"body"`     // focus is on the body: the end of the page
	Obscured string   `json:"obscured"` // why it is not visible, "" when it is
	Visible  string   `json:"visible"`  // why the focus indicator does not show, "" when it does
	Text     string   `json:"text"`     // text in it under 4.5:1 (3:1 large) while focused, "" if none
	Notes    []string `json:"notes"`
}

// Tabbing through each page at 1280 and 320 CSS px: every element that takes
// focus is at least partly in view and not under a sticky or fixed box
// (2.4.11), and shows a focus indicator (2.4.7) of at least 3:1 against
// what surrounds it (1.4.11).
func TestA11yFocusVisibleAndNotObscured(t *testing.T) {
	for _, width := range []int64{0, 320} {
		t.Run(fmt.Sprintf("width %d", width), func(t *testing.T) {
			forEachPage(t, func(t *testing.T, p a11yPage) {
				ctx := openA11y(t, p, width, 700, nil)
				// Scrolling smoothly ends where an instant scroll does; turned
				// off, each Tab's scroll is done at once and the test is quick.
				eval[bool](t, ctx, `(document.head.insertAdjacentHTML("beforeend",
					"<style>html, * { scroll-behavior: auto !important; }</style>"), a11y.snapshotUnfocused(), true)`)
				var obscured, invisible, faint []string
				seen := map[string]bool{}
				stops := 0
				for i := 0; i < maxTabs; i++ {
					if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
						t.Fatalf("%s: pressing Tab: %v", p.path, err)
					}
					f := eval[focusStop](t, ctx, `a11y.focusStop()`)
					if f.Body {
						continue
					}
					if seen[f.Key] {
						break // round again
					}
					seen[f.Key] = true
					stops++
					if f.Obscured != "" {
						obscured = append(obscured, f.What+": "+f.Obscured)
					}
					if f.Visible != "" {
						invisible = append(invisible, f.What+": "+f.Visible)
					}
					if f.Text != "" {
						faint = append(faint, f.What+": "+f.Text)
					}
				}
				t.Logf("%s: %d elements take focus", p.path, stops)
				if stops < 3 {
					t.Fatalf("%s: Tab reached only %d elements; the test cannot work", p.path, stops)
				}
				if len(obscured) > 0 {
					t.Errorf("%s: focused elements not visible (WCAG 2.4.11):%s", p.path, findings(obscured))
				}
				if len(invisible) > 0 {
					screenshot(t, ctx, "focus")
					t.Errorf("%s: focused elements without a visible focus indicator of 3:1 (WCAG 2.4.7, 1.4.11):%s", p.path, findings(invisible))
				}
				if len(faint) > 0 {
					t.Errorf("%s: text too faint on its focused background (WCAG 1.4.3):%s", p.path, findings(faint))
				}
			})
		})
	}
}

// The quiz moves the focus itself: to a question's legend when it starts or
// goes on, to the feedback after "Check answer". Each of those is in view
// and shows a focus indicator of 3:1, at 1280 and 320 CSS px.
func TestA11yQuizFocusMovedByScript(t *testing.T) {
	q := exampleQuiz(t, "online-safety", false)
	for _, width := range []int64{0, 320} {
		t.Run(fmt.Sprintf("width %d", width), func(t *testing.T) {
			ctx := openA11y(t, a11yPage{name: "quiz", path: quizPath(q)}, width, 700, nil)
			// Everything in <main> as it is before the focus moves there.
			eval[bool](t, ctx, `(a11y.snapshotUnfocused("main *"), true)`)
			check := func(after, selector string) {
				t.Helper()
				isFocused(t, ctx, selector, after)
				f := eval[focusStop](t, ctx, `a11y.focusStop(true)`)
				if f.Obscured != "" {
					t.Errorf("after %s, the focused %s is not visible (WCAG 2.4.11): %s", after, f.What, f.Obscured)
				}
				if f.Visible != "" {
					t.Errorf("after %s, the focused %s has no visible focus indicator of 3:1 (WCAG 2.4.7, 1.4.11): %s", after, f.What, f.Visible)
				}
			}
			tabTo(t, ctx, "#quiz-start", "the Start button")
			eval[bool](t, ctx, `(a11y.snapshotUnfocused("main *"), true)`)
			press(t, ctx, "\r")
			check("starting the quiz", `.quiz-q[data-pos="0"] legend`)
			eval[bool](t, ctx, `(a11y.snapshotUnfocused("main *"), true)`)
			answerByKeyboard(t, ctx, q, 0, false, func() {
				check("checking an answer", `.quiz-q[data-pos="0"] .quiz-feedback`)
			})
		})
	}
}

// --- 1.4.11: form fields ------------------------------------------------------

// The border of every text field, select, check box and radio button shown is
// at least 3:1 against the background around it (or the field's own
// background is).
func TestA11yFormFieldContrast(t *testing.T) {
	forEachPage(t, func(t *testing.T, p a11yPage) {
		ctx := openA11y(t, p, 0, 0, nil)
		bad := eval[[]string](t, ctx, `a11y.fieldContrast()`)
		if len(bad) > 0 {
			t.Errorf("%s: form fields whose edge is under 3:1 against the background (WCAG 1.4.11):%s", p.path, findings(bad))
		}
	})
}

// --- 2.5.8 Target size ----------------------------------------------------------

// Every link and control shown is at least 24×24 CSS px, or no other target
// comes within the 24 px circle around it; links in a sentence are exempt.
func TestA11yTargetSize(t *testing.T) {
	for _, width := range []int64{0, 320} {
		t.Run(fmt.Sprintf("width %d", width), func(t *testing.T) {
			forEachPage(t, func(t *testing.T, p a11yPage) {
				ctx := openA11y(t, p, width, 800, nil)
				bad := eval[[]string](t, ctx, `a11y.targetSize()`)
				if len(bad) > 0 {
					t.Errorf("%s: targets under 24×24 CSS px with another target too close (WCAG 2.5.8):%s", p.path, findings(bad))
				}
			})
		})
	}
}

// --- Reduced motion ---------------------------------------------------------------

// With prefers-reduced-motion: reduce, nothing on the page animates or
// transitions, and in-page links jump instead of scrolling smoothly.
func TestA11yReducedMotion(t *testing.T) {
	forEachPage(t, func(t *testing.T, p a11yPage) {
		ctx := openA11y(t, p, 0, 0, func(ctx context.Context) {
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{
				{Name: "prefers-reduced-motion", Value: "reduce"},
			}}); err != nil {
				t.Fatalf("emulating prefers-reduced-motion: reduce: %v", err)
			}
		})
		if !eval[bool](t, ctx, `matchMedia("(prefers-reduced-motion: reduce)").matches`) {
			t.Fatalf("emulating prefers-reduced-motion: reduce did not work")
		}
		bad := eval[[]string](t, ctx, `a11y.motion()`)
		if len(bad) > 0 {
			t.Errorf("%s with prefers-reduced-motion: reduce, still moving:%s", p.path, findings(bad))
		}
	})
}

// a11yLib is the JavaScript the tests inject: window.a11y.
const a11yLib = `window.a11y = (() => {
	const css = (e, p) => getComputedStyle(e).getPropertyValue(p);
	const name = e => {
		if (!e || !e.tagName) return String(e);
		let s = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + [...e.classList].slice(0, 3).map(c => "." + c).join("");
		if (e.matches("a[href]")) s += "[href=" + JSON.stringify(e.getAttribute("href").slice(0, 50)) + "]";
		const text = (e.innerText || e.value || e.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ");
		return text ? s + " " + JSON.stringify(text.slice(0, 40)) : s;
	};
	const path = e => [e.parentElement && e.parentElement.parentElement, e.parentElement, e]
		.filter(x => x && x !== document.body && x !== document.documentElement).map(x => name(x).replace(/ ".*$/, "")).join(" > ") + (name(e).match(/ ".*$/) || [""])[0];

	// A box is hidden on purpose (visually-hidden, display none, collapsed).
	const hiddenOnPurpose = e => {
		for (let a = e; a && a !== document.documentElement; a = a.parentElement) {
			const s = getComputedStyle(a);
			if (s.display === "none" || s.visibility === "hidden") return true;
			if (s.clip !== "auto" && s.clip !== "" || s.clipPath.startsWith("inset(50%")) return true;
			if (a.getBoundingClientRect().width <= 1 && s.overflow !== "visible") return true;
			if (a.matches("noscript, template, [hidden], dialog:not([open])")) return true;
		}
		return false;
	};

	// Colours: parse rgb()/rgba(), relative luminance, contrast.
	const parse = c => {
		const m = /rgba?\(([\d.]+)[, ]+([\d.]+)[, ]+([\d.]+)(?:[,/ ]+([\d.]+%?))?\)/.exec(c || "");
		if (!m) return null;
		let a = m[4] === undefined ? 1 : m[4].endsWith("%") ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
		return [+m[1], +m[2], +m[3], a];
	};
	const lum = ([r, g, b]) => {
		const f = v => (v /= 255) <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
		return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
	};
	const contrast = (x, y) => {
		const a = lum(x), b = lum(y);
		return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
	};
	const blend = (top, under) => top[3] >= 1 ? top : [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
	// The colour behind e, from its ancestors' backgrounds (not e's own).
	const backgroundBehind = e => {
		const layers = [];
		for (let a = e.parentElement; a; a = a.parentElement) {
			const c = parse(css(a, "background-color"));
			if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
		}
		let bg = [255, 255, 255, 1];
		for (let i = layers.length - 1; i >= 0; i--) bg = blend(layers[i], bg);
		return bg;
	};
	const ownBackground = (e, behind) => {
		const c = parse(css(e, "background-color"));
		return c && c[3] > 0 ? blend(c, behind) : behind;
	};
	const colours = s => (s.match(/rgba?\([^)]*\)/g) || []).map(parse).filter(c => c && c[3] > 0);
	const fmt = c => "rgb(" + c.slice(0, 3).map(Math.round).join(",") + ")";

	const focusable = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';

	// --- 1.4.10 -------------------------------------------------------------
	const reflow = () => {
		const w = innerWidth;
		const contained = e => {
			for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
				if (css(a, "overflow-x") !== "visible") return true;
			return false;
		};
		const right = e => {
			const r = e.getBoundingClientRect();
			return r.left + Math.max(r.width, css(e, "overflow-x") === "visible" ? e.scrollWidth : 0);
		};
		const out = e => right(e) > w + 1 && !contained(e);
		const scroll = document.documentElement.scrollWidth;
		const wide = scroll <= w ? [] : [...document.querySelectorAll("body *")]
			.filter(e => out(e) && ![...e.children].some(out))
			.map(e => path(e) + " (reaches " + Math.round(right(e)) + " px)");
		// A box that scrolls sideways (a wide table) can be scrolled from the
		// keyboard: it takes focus itself, or something in it does.
		const stuck = [...document.querySelectorAll("body *")].filter(e => {
			const o = css(e, "overflow-x");
			return (o === "auto" || o === "scroll") && e.scrollWidth > e.clientWidth + 1 && !hiddenOnPurpose(e) &&
				!(e.tabIndex >= 0 && e.matches("[tabindex]")) && !e.querySelector(focusable);
		}).map(e => path(e) + " scrolls sideways but cannot take the keyboard focus");
		// Content of a scrolling box that sticks out on its start side (a
		// centred flex row wider than the box) can never be scrolled to.
		for (const e of document.querySelectorAll("body *")) {
			const o = css(e, "overflow-x");
			if (!(o === "auto" || o === "scroll") || e.scrollWidth <= e.clientWidth + 1 || hiddenOnPurpose(e)) continue;
			const keep = e.scrollLeft, b = e.getBoundingClientRect();
			const inner = b.left + e.clientLeft, innerRight = inner + e.clientWidth;
			e.scrollLeft = -1e7;
			const lefts = [...e.children].map(c => c.getBoundingClientRect().left);
			e.scrollLeft = 1e7;
			const rights = [...e.children].map(c => c.getBoundingClientRect().right);
			e.scrollLeft = keep;
			if (lefts.some(l => l < inner - 1)) stuck.push(path(e) + ": " + Math.round(inner - Math.min(...lefts)) + " px of its content on the left can never be scrolled to");
			if (rights.some(r => r > innerRight + 1)) stuck.push(path(e) + ": " + Math.round(Math.max(...rights) - innerRight) + " px of its content on the right can never be scrolled to");
		}
		return {scroll, inner: w, wide, stuck};
	};

	// --- 1.4.12 -------------------------------------------------------------
	const textSpacing = async spacing => {
		const style = document.createElement("style");
		style.textContent = spacing;
		document.head.appendChild(style);
		await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
		const bad = [], spilling = [];
		const hasText = e => (e.innerText || "").trim() !== "";
		for (const e of document.querySelectorAll("body *")) {
			const s = getComputedStyle(e);
			if (s.display === "inline" || s.display === "contents" || e.matches("svg, svg *, img, script, style, br, option")) continue;
			if (!hasText(e) || hiddenOnPurpose(e)) continue;
			const clipsY = s.overflowY === "hidden" || s.overflowY === "clip";
			const clipsX = s.overflowX === "hidden" || s.overflowX === "clip";
			const overY = e.scrollHeight - e.clientHeight, overX = e.scrollWidth - e.clientWidth;
			if (clipsY && overY > 1) bad.push(path(e) + ": overflow hidden cuts off " + overY + " px of its height");
			else if (clipsX && overX > 1) bad.push(path(e) + ": overflow hidden cuts off " + overX + " px of its width");
			else if (!clipsY && s.overflowY === "visible" && s.height !== "auto" && e.style.height === "" &&
				/^\d/.test(s.getPropertyValue("max-height")) && overY > 1)
				bad.push(path(e) + ": text spills " + overY + " px below its max-height");
			else if (s.textOverflow === "ellipsis" && overX > 1) bad.push(path(e) + ": text cut with an ellipsis");
		}
		// Text that spills out of a box of limited height while overflow is
		// visible: it then runs over whatever comes next.
		for (const e of document.querySelectorAll("body *")) {
			const s = getComputedStyle(e);
			if (s.overflowY !== "visible" || s.display.startsWith("inline") || s.display === "contents" || s.display.startsWith("table")) continue;
			if (e.matches("svg, svg *, img") || !hasText(e) || hiddenOnPurpose(e)) continue;
			// A few px past the box is the tall glyphs of some scripts (Urdu's
			// Naskh), which overlap nothing: a quarter of the type size.
			const over = e.scrollHeight - e.clientHeight;
			if (over > Math.max(2, 0.25 * parseFloat(s.fontSize))) spilling.push([e, path(e) + ": content spills " + over + " px out of its box"]);
			// Sideways too, unless a box around it scrolls (a wide table).
			const side = e.scrollWidth - e.clientWidth;
			let scrolls = false;
			for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
				if (css(a, "overflow-x") !== "visible") { scrolls = true; break; }
			if (side > 2 && s.overflowX === "visible" && !scrolls) spilling.push([e, path(e) + ": content spills " + side + " px out of its side"]);
		}
		// A box spills when a box inside it does: name only the innermost.
		for (const [e, why] of spilling)
			if (!spilling.some(([o]) => o !== e && e.contains(o))) bad.push(why);
		style.remove();
		return bad;
	};

	// --- focus --------------------------------------------------------------
	const focusProps = ["outline-style", "outline-width", "outline-color", "box-shadow", "background-color",
		"border-top-color", "border-bottom-color", "border-left-color", "border-right-color", "color", "text-decoration-line"];
	const unfocused = new WeakMap();
	const focusables = () => document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex], iframe, [contenteditable]");
	const styleOf = e => Object.fromEntries(focusProps.map(p => [p, css(e, p)]));
	const snapshotUnfocused = sel => { for (const e of sel ? document.querySelectorAll(sel) : focusables()) if (!unfocused.has(e)) unfocused.set(e, styleOf(e)); };
	let keys = new WeakMap(), nextKey = 0;
	const keyOf = e => { if (!keys.has(e)) keys.set(e, "k" + (nextKey++)); return keys.get(e); };

	const obscured = e => {
		const rects = [...e.getClientRects()].filter(r => r.width > 0 && r.height > 0);
		if (!rects.length) return "it has no size on screen";
		const inView = rects.map(r => ({
			left: Math.max(r.left, 0), top: Math.max(r.top, 0),
			right: Math.min(r.right, innerWidth), bottom: Math.min(r.bottom, innerHeight),
		})).filter(r => r.right - r.left >= 1 && r.bottom - r.top >= 1);
		if (!inView.length) {
			const r = rects[0];
			return "outside the window (at " + Math.round(r.left) + "," + Math.round(r.top) + ", window " + innerWidth + "×" + innerHeight + ")";
		}
		// Sample points inside each part in view: is any of them e itself?
		let covers = new Set();
		for (const r of inView) {
			for (const fx of [0.1, 0.5, 0.9]) for (const fy of [0.15, 0.5, 0.85]) {
				const x = r.left + (r.right - r.left) * fx, y = r.top + (r.bottom - r.top) * fy;
				const hit = document.elementFromPoint(x, y);
				if (!hit) continue;
				if (hit === e || e.contains(hit) || (e.labels && [...e.labels].some(l => l.contains(hit)))) return "";
				covers.add(name(hit));
			}
		}
		return "covered by " + [...covers].slice(0, 3).join(", ");
	};

	// Is the focus indicator visible: what changed from the unfocused style,
	// and is one of the changed colours 3:1 against what surrounds it?
	const indicator = (e, strict) => {
		let before = unfocused.get(e);
		if (strict) {
			// Focus the script moved: the element as it is now, without the
			// focus, then focused again (which keeps :focus-visible after
			// keyboard use).
			const wasVisible = e.matches(":focus-visible");
			e.blur();
			before = styleOf(e);
			e.focus({preventScroll: true});
			if (document.activeElement !== e || e.matches(":focus-visible") !== wasVisible)
				return "focusing it again by script changed its focus state: the test cannot judge it";
		}
		if (!before) return ""; // made after the page loaded: not judged
		const now = styleOf(e);
		const behind = backgroundBehind(e);
		const candidates = [];
		const drawsOutline = now["outline-style"] !== "none" && parseFloat(now["outline-width"]) >= 1;
		const hadOutline = before["outline-style"] !== "none" && parseFloat(before["outline-width"]) >= 1;
		if (drawsOutline && (!hadOutline || now["outline-color"] !== before["outline-color"] || now["outline-width"] !== before["outline-width"]))
			candidates.push(...colours(now["outline-color"]).map(c => ["outline", c]));
		if (now["box-shadow"] !== before["box-shadow"] && now["box-shadow"] !== "none")
			candidates.push(...colours(now["box-shadow"]).map(c => ["box-shadow", c]));
		for (const side of ["top", "bottom", "left", "right"]) {
			const p = "border-" + side + "-color";
			if (now[p] !== before[p] && parseFloat(css(e, "border-" + side + "-width")) >= 2)
				candidates.push(...colours(now[p]).map(c => ["border", c]));
		}
		if (now["background-color"] !== before["background-color"])
			candidates.push(...colours(now["background-color"]).map(c => ["background", c]));
		if (!candidates.length) return "nothing changes when it is focused (outline, box-shadow, border, background)";
		// An outline or box-shadow cut off by a box around it that hides its
		// overflow leaves, at worst, nothing to see.
		const ring = (drawsOutline ? parseFloat(now["outline-width"]) + Math.max(0, parseFloat(css(e, "outline-offset")) || 0) : 0);
		const shadow = now["box-shadow"] === "none" ? 0 : Math.max(0, ...(now["box-shadow"].replace(/rgba?\([^)]*\)/g, "").match(/-?[\d.]+px/g) || []).map(v => Math.abs(parseFloat(v))));
		const reach = Math.max(ring, shadow);
		if (reach >= 2) {
			const r = e.getBoundingClientRect();
			for (let a = e.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
				const as = getComputedStyle(a);
				if (as.overflowX === "visible" && as.overflowY === "visible") continue;
				const b = a.getBoundingClientRect();
				const inner = {left: b.left + a.clientLeft, top: b.top + a.clientTop, right: b.left + a.clientLeft + a.clientWidth, bottom: b.top + a.clientTop + a.clientHeight};
				const cut = [r.left - reach < inner.left - 1 && "left", r.right + reach > inner.right + 1 && "right",
					as.overflowY !== "visible" && a.scrollHeight <= a.clientHeight + 1 && r.top - reach < inner.top - 1 && "top",
					as.overflowY !== "visible" && a.scrollHeight <= a.clientHeight + 1 && r.bottom + reach > inner.bottom + 1 && "bottom"].filter(Boolean);
				if (cut.length) return "its focus ring (" + reach + " px) is cut off on the " + cut.join(", ") + " by " + name(a).replace(/ ".*$/, "") + " (overflow " + as.overflow + ")";
			}
		}
		let best = 0, bestWhat = "";
		for (const [what, c] of candidates) {
			const col = blend(c, behind);
			// Against the background around it, and, for a background change,
			// against the element's background before.
			const ratio = what === "background"
				? contrast(col, parse(before["background-color"])[3] > 0 ? blend(parse(before["background-color"]), behind) : behind)
				: contrast(col, behind);
			if (ratio > best) { best = ratio; bestWhat = what + " " + fmt(col) + " on " + fmt(behind); }
		}
		return best >= 3 ? "" : "the focus indicator is only " + best.toFixed(2) + ":1 (" + bestWhat + "), want 3:1";
	};

	const frame = () => new Promise(r => requestAnimationFrame(r));
	// Text in the focused element keeps 4.5:1 (3:1 when large) against the
	// background focus gives it: axe only sees the page unfocused.
	const focusedText = e => {
		const bad = [];
		for (const x of [e, ...e.querySelectorAll("*")]) {
			if (![...x.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) || hiddenOnPurpose(x)) continue;
			const s = getComputedStyle(x);
			const layers = [];
			for (let a = x; a; a = a.parentElement) {
				const c = parse(css(a, "background-color"));
				if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
			}
			let bg = [255, 255, 255, 1];
			for (let i = layers.length - 1; i >= 0; i--) bg = blend(layers[i], bg);
			const fg = blend(parse(s.color), bg);
			const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight, 10) >= 700;
			const want = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
			const r = contrast(fg, bg);
			if (r < want) bad.push(JSON.stringify(x.innerText.trim().slice(0, 30)) + " " + fmt(fg) + " on " + fmt(bg) + " is " + r.toFixed(2) + ":1, want " + want + ":1");
		}
		return bad.join("; ");
	};

	const focusStop = async strict => {
		let e = document.activeElement;
		while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
		// Let the scroll that focus started (smooth, by default) come to rest:
		// the page and the element stay put for two frames.
		const where = () => [scrollX, scrollY, e && e.getBoundingClientRect ? e.getBoundingClientRect().top : 0].join();
		await frame();
		for (let last = where(), still = 0, i = 0; still < 2 && i < 120; i++) {
			await frame();
			const now = where();
			still = now === last ? still + 1 : 0;
			last = now;
		}
		if (!e || e === document.body || e === document.documentElement) return {body: true};
		return {key: keyOf(e), what: path(e), obscured: obscured(e), visible: indicator(e, strict), text: focusedText(e)};
	};

	// --- 1.4.11: form fields ---------------------------------------------------
	const fieldContrast = () => {
		const bad = [];
		const fields = document.querySelectorAll('input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), select, textarea');
		for (const e of fields) {
			if (hiddenOnPurpose(e) || !e.getClientRects().length) continue;
			const behind = backgroundBehind(e);
			const own = ownBackground(e, behind);
			let best = contrast(own, behind), bestWhat = "its background " + fmt(own) + " on " + fmt(behind);
			for (const side of ["top", "bottom", "left", "right"]) {
				if (parseFloat(css(e, "border-" + side + "-width")) < 1 || css(e, "border-" + side + "-style") === "none") continue;
				const c = parse(css(e, "border-" + side + "-color"));
				if (!c || c[3] === 0) continue;
				const col = blend(c, behind);
				const r = Math.max(contrast(col, behind), contrast(col, own));
				if (r > best) { best = r; bestWhat = "border " + fmt(col) + " on " + fmt(behind) + " / " + fmt(own); }
			}
			if (best < 3) bad.push(path(e) + ": " + best.toFixed(2) + ":1 (" + bestWhat + ")");
		}
		return bad;
	};

	// --- 2.5.8 ------------------------------------------------------------------
	const targetSize = () => {
		const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [role=tab], [role=checkbox], [role=radio], [onclick]';
		const targets = [];
		for (const e of document.querySelectorAll(sel)) {
			if (hiddenOnPurpose(e) || e.closest("[inert]")) continue;
			const s = getComputedStyle(e);
			if (s.pointerEvents === "none" || parseFloat(s.opacity) === 0 && !e.matches(".heading-anchor")) continue;
			const r = e.getBoundingClientRect();
			if (r.width < 1 || r.height < 1 || r.bottom + scrollY <= 0 || r.right + scrollX <= 0) continue;
			// A link inside a sentence: inline, with other text in its block.
			let inline = false;
			if (e.matches("a") && s.display === "inline") {
				let block = e.parentElement;
				while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
				// Around the link, at least three words of other text: a
				// sentence, not a label such as "Phone:".
				const rest = block ? (block.innerText || "").replace(e.innerText || "", " ") : "";
				inline = rest.trim().split(/\s+/).filter(w => /\p{L}/u.test(w)).length >= 3;
			}
			// A control a label enlarges: the label counts too.
			let rect = {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
			if (e.labels) for (const l of e.labels) {
				const lr = l.getBoundingClientRect();
				if (lr.width && lr.height && Math.abs(lr.top - r.top) < 40 && !hiddenOnPurpose(l)) {
					// only when label and control touch (one target on screen)
					if (lr.left <= r.right + 16 && lr.right >= r.left - 16)
						rect = {left: Math.min(rect.left, lr.left), top: Math.min(rect.top, lr.top), right: Math.max(rect.right, lr.right), bottom: Math.max(rect.bottom, lr.bottom)};
				}
			}
			targets.push({e, rect, inline});
		}
		const small = t => t.rect.right - t.rect.left < 23.5 || t.rect.bottom - t.rect.top < 23.5;
		const centre = t => [(t.rect.left + t.rect.right) / 2, (t.rect.top + t.rect.bottom) / 2];
		const distToRect = ([x, y], r) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
		const bad = [];
		for (const t of targets) {
			if (t.inline || !small(t)) continue;
			const c = centre(t);
			const near = targets.filter(o => o !== t && !o.e.contains(t.e) && !t.e.contains(o.e) &&
				(small(o) && !o.inline ? Math.hypot(c[0] - centre(o)[0], c[1] - centre(o)[1]) < 24 : distToRect(c, o.rect) < 12));
			if (near.length)
				bad.push(path(t.e) + " is " + Math.round(t.rect.right - t.rect.left) + "×" + Math.round(t.rect.bottom - t.rect.top) +
					" px, too close to " + near.slice(0, 2).map(o => name(o.e)).join(", "));
		}
		return bad;
	};

	// --- reduced motion ----------------------------------------------------------
	const motion = () => {
		const bad = [];
		if (css(document.documentElement, "scroll-behavior") === "smooth") bad.push("html: scroll-behavior smooth");
		for (const e of document.querySelectorAll("*")) {
			const s = getComputedStyle(e);
			if (s.scrollBehavior === "smooth" && e !== document.documentElement) bad.push(path(e) + ": scroll-behavior smooth");
			if (s.animationName !== "none" && s.animationDuration.split(",").some(d => parseFloat(d) > 0.01))
				bad.push(path(e) + ": animation " + s.animationName + " " + s.animationDuration);
			if (s.transitionDuration.split(",").some(d => parseFloat(d) > 0.01) && s.transitionProperty !== "none")
				bad.push(path(e) + ": transition " + s.transitionProperty + " " + s.transitionDuration);
			for (const pseudo of ["::before", "::after"]) {
				const p = getComputedStyle(e, pseudo);
				if (p.content !== "none" && p.animationName !== "none" && parseFloat(p.animationDuration) > 0.01)
					bad.push(path(e) + pseudo + ": animation " + p.animationName);
			}
		}
		for (const a of document.getAnimations()) {
			if (a.playState === "running") bad.push("a running " + a.constructor.name + " on " + path(a.effect && a.effect.target || document.body));
		}
		return bad;
	};

	return {reflow, textSpacing, snapshotUnfocused, focusStop, fieldContrast, targetSize, motion};
})()`
