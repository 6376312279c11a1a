package poster

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/policysite/policysite/internal/school"
	"golang.org/x/net/html"
)

// ManifestDir is where layouts/posters/page.html publishes one JSON entry per
// poster page, inside the built site. Build reads and removes it.
const ManifestDir = "_policysite/posters"

// Options of the poster step of a build.
type Options struct {
	// Source is the school's site folder; Dest the folder Hugo just built it
	// into, where the PDFs and previews are written beside the poster pages.
	Source, Dest string
	// Chromium is the browser to print with; "" finds one (FindChromium),
	// and "none" makes no PDFs, as if there were no browser.
	Chromium string
	// Browser, when set, is used instead of starting a Chromium, and
	// nothing is taken from or put in the cache.
	Browser *Browser
}

// Entry is what the poster layout tells the build about one poster page.
type Entry struct {
	File        string `json:"file"` // content/posters/x.md
	Page        string `json:"page"` // its address, as a link on the site
	Base        string `json:"base"` // the site's address path, "/" or "/sub/"
	PDF         string `json:"pdf"`
	Preview     string `json:"preview"`
	Paper       string `json:"paper"`
	Orientation string `json:"orientation"`
	Language    string `json:"language"`
	Rules       int    `json:"rules"`
}

// Build is the poster step of a site build, run on Hugo's output before it
// is published. It checks every published poster, and then, when a Chromium
// is at hand, opens each poster page in it: a poster whose rules do not fit
// on its sheet fails the build, naming the poster and the first rule that
// spilled; the others get a PDF and a PNG preview beside their page. Without
// a browser the pages are left to print from any browser, the links to PDFs
// and previews are taken out of the site, and a note says why.
//
// A poster whose page, stylesheet, icons, browser and fonts are all as they
// were when it was last rendered is taken from the cache (see cache.go), so
// a rebuild with unchanged posters starts no browser.
//
// It returns notes for the build's summary. An error means the site must
// not be published; Dest may then hold some of the files.
func Build(ctx context.Context, opt Options) ([]string, error) {
	entries, err := readManifest(opt.Dest)
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, nil
	}
	posters, probs := Load(opt.Source)
	byFile := map[string]*Poster{}
	for _, p := range posters {
		byFile[p.File] = p
	}
	// Only the published posters count: a draft may be unfinished.
	var errs []school.Finding
	published := map[string]bool{}
	for _, e := range entries {
		published[e.File] = true
	}
	for _, pr := range probs {
		if pr.Severity != school.Error {
			continue
		}
		if p := byFile[pr.File]; p != nil && !published[p.File] {
			continue
		}
		errs = append(errs, pr)
	}
	if len(errs) > 0 {
		return nil, problemsError(errs)
	}
	for _, e := range entries {
		p := byFile[e.File]
		if p == nil {
			return nil, fmt.Errorf("%s: the site has a poster page for this file, but policysite could not read it as a poster: is it in content/posters?", e.File)
		}
		if e.Rules != len(p.Rules) {
			return nil, fmt.Errorf("%s: the poster page shows %d rules but the poster has %d: a rule the layout could not read? Each rule must be one list item starting with its icon, like - :padlock: I keep my password secret.", e.File, e.Rules, len(p.Rules))
		}
	}

	start := time.Now()
	b := opt.Browser
	c := &cache{}
	chromium := ""
	if b == nil {
		chromium = opt.Chromium
		var why error
		switch chromium {
		case "none":
			why = errors.New("the build was asked not to use a browser")
		case "":
			chromium, why = FindChromium()
		}
		if why != nil {
			return skipped(opt.Dest, why, len(entries))
		}
		c = openCache(chromium)
	}

	// What did not change since it was last rendered comes from the cache.
	pages := make([]*Page, len(entries))
	keys := make([]string, len(entries))
	var todo []Entry
	var todoAt []int
	for i, e := range entries {
		keys[i] = c.key(opt.Dest, e)
		if pdf, png, ok := c.get(keys[i]); ok {
			pages[i] = &Page{PDF: pdf, Preview: png, cached: true}
			continue
		}
		todo = append(todo, e)
		todoAt = append(todoAt, i)
	}
	if len(todo) > 0 {
		if b == nil {
			var err error
			if b, err = StartBrowser(chromium); err != nil {
				return skipped(opt.Dest, err, len(entries))
			}
			defer b.Close()
		}
		rendered, err := RenderAll(ctx, b, opt.Dest, todo)
		if err != nil {
			return nil, err
		}
		for j, i := range todoAt {
			pages[i] = rendered[j]
		}
	}

	var fails []string
	for i, e := range entries {
		p, out := byFile[e.File], pages[i]
		if !out.cached {
			if msg := fitProblem(p, e, out.Measure); msg != "" {
				fails = append(fails, msg)
				continue
			}
			c.put(keys[i], out.PDF, out.Preview)
		}
		for _, f := range []struct {
			url  string
			data []byte
		}{{e.PDF, out.PDF}, {e.Preview, out.Preview}} {
			path, err := outPath(opt.Dest, e, f.url)
			if err != nil {
				return nil, err
			}
			if err := os.WriteFile(path, f.data, 0o644); err != nil {
				return nil, fmt.Errorf("%s: writing %s: %w", e.File, path, err)
			}
		}
	}
	if len(fails) > 0 {
		return nil, errors.New(strings.Join(fails, "\n"))
	}
	took := time.Since(start).Round(10 * time.Millisecond)
	if n := len(entries) - len(todo); n > 0 {
		return []string{fmt.Sprintf("Posters: %d PDFs and previews in %s (%d unchanged, from the cache in %s).", len(entries), took, n, c.dir)}, nil
	}
	return []string{fmt.Sprintf("Posters: %d PDFs and previews made in %s.", len(entries), took)}, nil
}

// skipped is the end of a build with no browser: the pages stay, the links
// to files that were not made go, and a note says why.
func skipped(dest string, why error, n int) ([]string, error) {
	if err := stripOutputs(dest); err != nil {
		return nil, err
	}
	return []string{fmt.Sprintf("Posters: PDFs and previews skipped, and the fit of each poster on its sheet not checked: %v. The %d poster pages still print from any browser.", why, n)}, nil
}

// RenderAll serves the built site in dest to the browser and renders each
// entry's poster page in it, in order.
func RenderAll(ctx context.Context, b *Browser, dest string, entries []Entry) ([]*Page, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	srv, base, err := serve(dest, entries[0].Base)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	pages := make([]*Page, len(entries))
	errs := make([]error, len(entries))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(Tabs, len(entries)) {
		wg.Go(func() {
			for i := range next {
				e := entries[i]
				pctx, cancel := context.WithTimeout(ctx, 60*time.Second)
				w, h := sheetMM(e.Paper, e.Orientation)
				pages[i], errs[i] = b.Render(pctx, base+strings.TrimPrefix(e.Page, e.Base), w, h)
				cancel()
			}
		})
	}
	for i := range entries {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("%s: %w", entries[i].File, err)
		}
	}
	return pages, nil
}

// sheetMM is the size of a sheet of paper; A4 portrait when unknown (the
// page is measured anyway).
func sheetMM(paper, orientation string) (w, h float64) {
	p := &Poster{Paper: strings.ToUpper(paper), Orientation: strings.ToLower(orientation)}
	if _, ok := papers[p.Paper]; !ok {
		p.Paper = "A4"
	}
	return p.Size()
}

// fitProblem says what is wrong with a poster's layout, or "".
func fitProblem(p *Poster, e Entry, m Measure) string {
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

func problemsError(ps []school.Finding) error {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
	var lines []string
	seen := map[string]bool{}
	for _, p := range ps {
		s := p.String()
		if !seen[s] {
			seen[s] = true
			lines = append(lines, s)
		}
	}
	return errors.New(strings.Join(lines, "\n"))
}

// readManifest reads the entries the poster layout published, in file
// order, and removes them from the site.
func readManifest(dest string) ([]Entry, error) {
	dir := filepath.Join(dest, filepath.FromSlash(ManifestDir))
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	var entries []Entry
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var e Entry
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, fmt.Errorf("reading %s, which layouts/posters/page.html wrote: %w", f, err)
		}
		entries = append(entries, e)
	}
	// The folder is the build's own, never part of the site.
	if err := os.RemoveAll(filepath.Join(dest, filepath.FromSlash(strings.Split(ManifestDir, "/")[0]))); err != nil {
		return nil, err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].File < entries[j].File })
	return entries, nil
}

// outPath turns a link on the site into the file it names inside dest,
// refusing anything that would land outside the poster's own folder.
func outPath(dest string, e Entry, url string) (string, error) {
	rel := strings.TrimPrefix(url, e.Base)
	if rel == url && e.Base != "/" {
		return "", fmt.Errorf("%s: the poster layout asked for %s, which is not under the site's address %s", e.File, url, e.Base)
	}
	path := filepath.Join(dest, filepath.FromSlash(strings.TrimPrefix(rel, "/")))
	page := filepath.Join(dest, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(e.Page, e.Base), "/")))
	if !strings.HasSuffix(e.Page, "/") {
		page = filepath.Dir(page)
	}
	if r, err := filepath.Rel(page, path); err != nil || strings.HasPrefix(r, "..") || strings.Contains(r, string(filepath.Separator)) {
		return "", fmt.Errorf("%s: the poster layout asked for %s, which is not in the poster page's own folder", e.File, url)
	}
	return path, nil
}

// outPagePath is the HTML file of a poster page inside dest.
func outPagePath(dest string, e Entry) (string, error) {
	rel := strings.TrimPrefix(e.Page, e.Base)
	if rel == e.Page && e.Base != "/" {
		return "", fmt.Errorf("%s: the page %s is not under the site's address %s", e.File, e.Page, e.Base)
	}
	p := filepath.Join(dest, filepath.FromSlash(strings.TrimPrefix(rel, "/")))
	if strings.HasSuffix(e.Page, "/") {
		p = filepath.Join(p, "index.html")
	}
	if r, err := filepath.Rel(dest, p); err != nil || strings.HasPrefix(r, "..") {
		return "", fmt.Errorf("%s: the page %s is outside the site", e.File, e.Page)
	}
	return p, nil
}

// serve serves the built site on a loopback port for the browser, under
// the site's own address path, and returns the address to prefix links with.
func serve(dir, base string) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("opening a local port for the browser: %w", err)
	}
	var h http.Handler = http.FileServer(http.Dir(dir))
	if base != "/" && base != "" {
		h = http.StripPrefix(strings.TrimSuffix(base, "/"), h)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return srv, "http://" + ln.Addr().String() + base, nil
}

// outputMark is the attribute of the elements that link to PDFs and previews.
const outputMark = "data-poster-output"

// stripOutputs removes the elements marked data-poster-output from every
// page of the built site, for a build that made no PDFs or previews.
func stripOutputs(dest string) error {
	return filepath.WalkDir(dest, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil || !bytes.Contains(b, []byte(outputMark)) {
			return err
		}
		out, err := removeMarked(b)
		if err != nil {
			return fmt.Errorf("removing the links to PDFs from %s: %w", path, err)
		}
		return os.WriteFile(path, out, 0o644)
	})
}

func removeMarked(src []byte) ([]byte, error) {
	doc, err := html.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	var marked []*html.Node
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		for _, a := range n.Attr {
			if a.Key == outputMark {
				marked = append(marked, n)
				break
			}
		}
	}
	for _, n := range marked {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
	var buf bytes.Buffer
	if err := html.Render(&buf, doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
