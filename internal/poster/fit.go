package poster

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// The fit of a poster on its sheet: what the browser measures on a printed
// poster page (MeasureScript, run by internal/chromium for the build) and
// what the build says when the rules do not fit (FitProblem). No browser
// here: the measuring is the page's own JavaScript.

// PreviewWidth is the width in pixels of a poster's preview image.
const PreviewWidth = 480

// FontOf is the element whose font a spill message names: the first rule's
// text.
const FontOf = ".poster-rule .poster-text"

// Measure is the layout of a poster page in print, in CSS pixels (1/96 in).
type Measure struct {
	Error  string  `json:"error"`
	Width  float64 `json:"width"`  // of the sheet
	Height float64 `json:"height"` // of the sheet
	// Limit is the bottom of the space for rules: the sheet's bottom less
	// its safe margin.
	Limit float64    `json:"limit"`
	Rules []RuleRect `json:"rules"`
	// Broken lists images (icons, logo) the browser could not load.
	Broken []string `json:"broken"`
	// Wide is true when something is wider than the sheet's safe area.
	Wide      bool   `json:"wide"`
	Direction string `json:"direction"`
	// Font is the family the browser drew the first rule in, asked of it
	// only when the rules do not fit: the same poster fits with one font and
	// not with a wider one, so the error names it.
	Font string `json:"-"`
}

// RuleRect is where one rule is on the sheet.
type RuleRect struct {
	Top    float64 `json:"top"`
	Bottom float64 `json:"bottom"`
	Left   float64 `json:"left"`
	Right  float64 `json:"right"`
	Icon   float64 `json:"icon"` // horizontal centre of the icon
	Text   float64 `json:"text"` // horizontal centre of the text
}

// FirstOverflow is the index of the first rule that does not end inside
// the sheet's safe area, or -1 when all fit.
func (m *Measure) FirstOverflow() int {
	for i, r := range m.Rules {
		if r.Bottom > m.Limit+0.5 {
			return i
		}
	}
	return -1
}

// MeasureScript waits for fonts and images, then reports the layout of the sheet
// (print media is emulated by then).
const MeasureScript = `(async () => {
	await document.fonts.ready;
	await Promise.all([...document.images].map(i => i.complete ? null :
		new Promise(r => { i.addEventListener("load", r); i.addEventListener("error", r); })));
	const sheet = document.querySelector("article.poster");
	if (!sheet) return {error: 'the page has no <article class="poster">: is layouts/posters/page.html the poster layout?'};
	const list = sheet.querySelector(".poster-rules");
	const s = sheet.getBoundingClientRect();
	const cs = getComputedStyle(sheet);
	const box = el => el ? el.getBoundingClientRect() : null;
	const mid = r => r ? (r.left + r.right) / 2 : 0;
	const rules = list ? [...list.querySelectorAll(":scope > .poster-rule")].map(li => {
		const r = li.getBoundingClientRect();
		return {top: r.top - s.top, bottom: r.bottom - s.top, left: r.left - s.left, right: r.right - s.left,
			icon: mid(box(li.querySelector(".poster-icon"))) - s.left, text: mid(box(li.querySelector(".poster-text"))) - s.left};
	}) : [];
	return {
		width: s.width, height: s.height,
		limit: s.height - parseFloat(cs.paddingBottom),
		rules,
		broken: [...sheet.querySelectorAll("img")].filter(i => !i.naturalWidth).map(i => i.getAttribute("src")),
		wide: sheet.scrollWidth > sheet.clientWidth + 1 || (list && list.scrollWidth > list.clientWidth + 1),
		direction: cs.direction,
	};
})()`

// FitProblem says what is wrong with a poster's layout, or "".
func FitProblem(p *Poster, m Measure) string {
	if m.Error != "" {
		return fmt.Sprintf("%s: %s", p.File, m.Error)
	}
	if len(m.Broken) > 0 {
		return fmt.Sprintf("%s: the poster page shows no picture for %s: the file is missing from the built site; check the icon names and the school logo (params.school.logo in config.toml)", p.File, strings.Join(m.Broken, ", "))
	}
	if len(m.Rules) != len(p.Rules) {
		return fmt.Sprintf("%s: the poster page shows %d rules but the poster has %d: is layouts/posters/page.html the poster layout?", p.File, len(m.Rules), len(p.Rules))
	}
	i := m.FirstOverflow()
	if i < 0 {
		if m.Wide {
			return fmt.Sprintf("%s: something on the poster is wider than its %s sheet: shorten the title or the longest word", p.File, p.Sheet())
		}
		return ""
	}
	r := p.Rules[i]
	mm := func(px float64) float64 { return px * 25.4 / 96 }
	over := mm(m.Rules[len(m.Rules)-1].Bottom - m.Limit)
	after := ""
	if n := len(p.Rules) - i - 1; n == 1 {
		after = " and the 1 rule after it"
	} else if n > 1 {
		after = fmt.Sprintf(" and the %d rules after it", n)
	}
	where := fmt.Sprintf("%s:%d", r.File, r.Line)
	if r.File != p.File {
		where += fmt.Sprintf(", taken from there by rules_from on line %d", p.RulesFrom.Line)
	}
	fix := "shorten or remove rules, or shorten the title"
	switch {
	case p.Paper == "A4":
		fix += ", or print it on A3 (paper: A3)"
	case p.Orientation == "landscape":
		fix += ", or try orientation: portrait"
	}
	msg := fmt.Sprintf("%s: the poster does not fit on one %s sheet: rule %d of %d%s would spill over the bottom margin (the rules need %.0f mm more than the sheet has): “%s” (%s). To fix it, %s.",
		p.File, p.Sheet(), i+1, len(p.Rules), after, math.Ceil(over), short(r.Text, 60), where, fix)
	if m.Font != "" && !slices.Contains(designedFonts, m.Font) {
		msg += fmt.Sprintf("\n  The rules were measured in %s, the font this computer has of those the poster asks for; the posters are designed for Noto Sans or Liberation Sans (Noto Naskh Arabic for Urdu and Arabic), which take less room. Installing them (on Debian or Ubuntu: sudo apt install fonts-noto-core fonts-liberation) may let the poster fit as it is.", m.Font)
	}
	return msg
}

// designedFonts are the fonts the poster layout is measured and tested
// with (static/css/poster.css names them first in its font stacks). Another
// font, such as DejaVu Sans on a machine without them, is wider, so a poster
// that fits elsewhere can spill there.
var designedFonts = []string{
	"Noto Sans", "Open Sans", "Liberation Sans", "Arial", "Helvetica",
	"Noto Naskh Arabic", "Noto Sans Arabic", "Noto Nastaliq Urdu",
}
