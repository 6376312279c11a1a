package policysite

import (
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The built-in icons are drawn twice: layouts/_partials/icon-shapes.html
// (inline in pages, through partial "icon.html" and the icon shortcode) and
// static/icons/NAME.svg (the pictures on classroom posters). A change to one
// but not the other would give a pupil one picture on the poster and another
// in the policy it comes from, so the two must hold the same icons, with the
// same names, spoken titles and shapes.
func TestIconShapesMatchStaticIcons(t *testing.T) {
	partial, err := fs.ReadFile(Theme, "layouts/_partials/icon-shapes.html")
	if err != nil {
		t.Fatal(err)
	}
	entry := regexp.MustCompile("\"([a-z0-9-]+)\" \\(dict \"title\" \"([^\"]*)\" \"shape\" `([^`]*)`\\)")
	type icon struct{ title, shape string }
	inline := map[string]icon{}
	for _, m := range entry.FindAllStringSubmatch(string(partial), -1) {
		inline[m[1]] = icon{m[2], m[3]}
	}
	if n := strings.Count(string(partial), `(dict "title"`); n != len(inline) || n == 0 {
		t.Fatalf("read %d icons from icon-shapes.html, which has %d entries: is each still written as \"name\" (dict \"title\" \"...\" \"shape\" ...)?", len(inline), n)
	}

	files, err := fs.Glob(Theme, "static/icons/*.svg")
	if err != nil {
		t.Fatal(err)
	}
	svg := regexp.MustCompile(`^<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><title>([^<]*)</title>(.*)</svg>$`)
	static := map[string]icon{}
	for _, f := range files {
		b, err := fs.ReadFile(Theme, f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(f, "static/icons/"), ".svg")
		m := svg.FindStringSubmatch(strings.TrimSpace(string(b)))
		if m == nil {
			t.Errorf("%s is not the usual 24x24 line icon (<svg ... stroke-width=\"2\"><title>...</title>shapes</svg>), so it cannot be compared with icon-shapes.html", f)
			continue
		}
		static[name] = icon{m[1], m[2]}
	}

	names := map[string]bool{}
	for n := range inline {
		names[n] = true
	}
	for n := range static {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		a, inA := inline[n]
		b, inB := static[n]
		switch {
		case !inB:
			t.Errorf("icon %q is in layouts/_partials/icon-shapes.html but there is no static/icons/%s.svg: add it, with the same title and shapes", n, n)
		case !inA:
			t.Errorf("static/icons/%s.svg has no entry in layouts/_partials/icon-shapes.html: add %q there, with the same title and shapes", n, n)
		case a.title != b.title:
			t.Errorf("icon %q: title %q in icon-shapes.html, %q in static/icons/%s.svg", n, a.title, b.title, n)
		case a.shape != b.shape:
			t.Errorf("icon %q is drawn differently:\nicon-shapes.html:   %s\nstatic/icons/%s.svg: %s", n, a.shape, n, b.shape)
		}
	}
}
