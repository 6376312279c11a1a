package build

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/policysite/policysite/internal/chromium"
	"github.com/policysite/policysite/internal/poster"
	"golang.org/x/net/html"
)

// manifestDir is where layouts/posters/page.html publishes one JSON entry per
// poster page, inside the built site. The poster step reads and removes it.
const manifestDir = "_policysite/posters"

// posterEntry is what the poster layout tells the build about one poster
// page: where Hugo put it and its files, as only Hugo knows.
type posterEntry struct {
	File    string `json:"file"` // content/posters/x.md
	Page    string `json:"page"` // its address, as a link on the site
	Base    string `json:"base"` // the site's address path, "/" or "/sub/"
	PDF     string `json:"pdf"`
	Preview string `json:"preview"`
}

// A posterJob is one published poster page to print, with the poster it
// shows (as check read it) and what printing it made.
type posterJob struct {
	entry  posterEntry
	poster *poster.Poster
	key    string // in the cache; "" when not cached
	out    *printedPoster
}

type printedPoster struct {
	measure    poster.Measure
	pdf, image []byte
	cached     bool // from the cache: it fitted when it was printed
}

// buildPosters is the poster step of a site build, run on Hugo's output in
// dest before it is published; posters are the site's posters as check read
// them (check has already stopped the build on their mistakes). When a
// Chromium is at hand it opens each published poster page in it: a poster
// whose rules do not fit on its sheet fails the build, naming the poster
// and the first rule that spilled; the others get a PDF and a PNG preview
// beside their page. Without a browser the pages are left to print from any
// browser, the links to PDFs and previews are taken out of the site, and a
// note says why.
//
// A poster whose page, stylesheet, icons, browser and fonts are all as they
// were when it was last printed is taken from the cache (postercache.go),
// so a rebuild with unchanged posters starts no browser.
//
// It returns notes for the build's summary. An error means the site must
// not be published; dest may then hold some of the files.
func buildPosters(ctx context.Context, dest string, posters []*poster.Poster) ([]string, error) {
	jobs, err := posterJobs(dest, posters)
	if err != nil || len(jobs) == 0 {
		return nil, err
	}
	start := time.Now()
	exe, err := chromium.Find()
	if err != nil {
		return skipped(dest, err, len(jobs))
	}
	c := openCache(exe)
	todo := c.lookUp(dest, jobs)
	if len(todo) > 0 {
		b, err := chromium.Start(exe)
		if err != nil {
			return skipped(dest, err, len(jobs))
		}
		defer b.Close()
		if err := printPosters(ctx, b, dest, todo); err != nil {
			return nil, err
		}
	}
	if err := writePosterFiles(dest, jobs, c); err != nil {
		return nil, err
	}
	took := time.Since(start).Round(10 * time.Millisecond)
	if n := len(jobs) - len(todo); n > 0 {
		return []string{fmt.Sprintf("Posters: %d PDFs and previews in %s (%d unchanged, from the cache in %s).", len(jobs), took, n, c.dir)}, nil
	}
	return []string{fmt.Sprintf("Posters: %d PDFs and previews made in %s.", len(jobs), took)}, nil
}

// posterJobs pairs each poster page Hugo published with its poster.
func posterJobs(dest string, posters []*poster.Poster) ([]*posterJob, error) {
	entries, err := readManifest(dest)
	if err != nil {
		return nil, err
	}
	byFile := map[string]*poster.Poster{}
	for _, p := range posters {
		byFile[p.File] = p
	}
	jobs := make([]*posterJob, len(entries))
	for i, e := range entries {
		p := byFile[e.File]
		if p == nil {
			return nil, fmt.Errorf("%s: the site has a poster page for this file, but policysite could not read it as a poster: is it in content/posters?", e.File)
		}
		jobs[i] = &posterJob{entry: e, poster: p}
	}
	return jobs, nil
}

// writePosterFiles writes each poster's PDF and preview beside its page, and
// caches what was printed now; a poster that does not fit fails the build.
func writePosterFiles(dest string, jobs []*posterJob, c *cache) error {
	var fails []string
	for _, j := range jobs {
		if !j.out.cached {
			if msg := poster.FitProblem(j.poster, j.out.measure); msg != "" {
				fails = append(fails, msg)
				continue
			}
			c.put(j.key, j.out.pdf, j.out.image)
		}
		for _, f := range []struct {
			url  string
			data []byte
		}{{j.entry.PDF, j.out.pdf}, {j.entry.Preview, j.out.image}} {
			path, err := outPath(dest, j.entry, f.url)
			if err != nil {
				return err
			}
			if err := os.WriteFile(path, f.data, 0o644); err != nil {
				return fmt.Errorf("%s: writing %s: %w", j.entry.File, path, err)
			}
		}
	}
	if len(fails) > 0 {
		return errors.New(strings.Join(fails, "\n"))
	}
	return nil
}

// skipped is the end of a build with no browser: the pages stay, the links
// to files that were not made go, and a note says why.
func skipped(dest string, why error, n int) ([]string, error) {
	if err := stripOutputs(dest); err != nil {
		return nil, err
	}
	return []string{fmt.Sprintf("Posters: PDFs and previews skipped, and the fit of each poster on its sheet not checked: %v. The %d poster pages still print from any browser.", why, n)}, nil
}

// printPosters serves the built site in dest to the browser and prints each
// job's poster page in it.
func printPosters(ctx context.Context, b *chromium.Browser, dest string, jobs []*posterJob) error {
	if len(jobs) == 0 {
		return nil
	}
	srv, base, err := serveDir(dest, jobs[0].entry.Base)
	if err != nil {
		return err
	}
	defer srv.Close()
	errs := make([]error, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(chromium.Tabs, len(jobs)) {
		wg.Go(func() {
			for i := range next {
				jobs[i].out, errs[i] = printPoster(ctx, b, base, jobs[i])
			}
		})
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("%s: %w", jobs[i].entry.File, err)
		}
	}
	return nil
}

// printPoster prints one poster page, unless its measure shows it does not
// fit: then only the measure (and the font it was measured in) comes back.
func printPoster(ctx context.Context, b *chromium.Browser, base string, j *posterJob) (*printedPoster, error) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	e := j.entry
	w, h := j.poster.Size()
	var m poster.Measure
	printed, err := b.Print(ctx, chromium.Job{
		URL:     base + strings.TrimPrefix(e.Page, e.Base),
		WidthMM: w, HeightMM: h,
		Measure: poster.MeasureScript,
		Print: func(raw json.RawMessage) bool {
			if err := json.Unmarshal(raw, &m); err != nil {
				m = poster.Measure{Error: fmt.Sprintf("the poster page's measure cannot be read: %v", err)}
			}
			return m.Error == "" && m.FirstOverflow() < 0 && len(m.Broken) == 0 && !m.Wide
		},
		PreviewWidth: poster.PreviewWidth,
		FontOf:       poster.FontOf,
	})
	if err != nil {
		return nil, err
	}
	if m.FirstOverflow() >= 0 {
		m.Font = printed.Font
	}
	return &printedPoster{measure: m, pdf: printed.PDF, image: printed.Preview}, nil
}

// readManifest reads the entries the poster layout published, in file
// order, and removes them from the site.
func readManifest(dest string) ([]posterEntry, error) {
	dir := filepath.Join(dest, filepath.FromSlash(manifestDir))
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	var entries []posterEntry
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var e posterEntry
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, fmt.Errorf("reading %s, which layouts/posters/page.html wrote: %w", f, err)
		}
		entries = append(entries, e)
	}
	// The folder is the build's own, never part of the site.
	if err := os.RemoveAll(filepath.Join(dest, filepath.FromSlash(strings.Split(manifestDir, "/")[0]))); err != nil {
		return nil, err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].File < entries[j].File })
	return entries, nil
}

// outPath turns a link on the site into the file it names inside dest,
// refusing anything that would land outside the poster's own folder.
func outPath(dest string, e posterEntry, url string) (string, error) {
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
func outPagePath(dest string, e posterEntry) (string, error) {
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

// serveDir serves the built site on a loopback port for the browser, under
// the site's own address path, and returns the address to prefix links with.
func serveDir(dir, base string) (*http.Server, string, error) {
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
