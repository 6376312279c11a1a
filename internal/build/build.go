// Package build runs one whole site build: checks, Hugo, posters, and the
// swap that makes a new output folder appear only when everything worked.
package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/policysite/policysite"
	"github.com/policysite/policysite/internal/hugo"
	"github.com/policysite/policysite/internal/lint"
	"github.com/policysite/policysite/internal/markdown"
	"github.com/policysite/policysite/internal/policy"
	"github.com/policysite/policysite/internal/poster"
	"github.com/policysite/policysite/internal/school"
	"github.com/policysite/policysite/internal/textenc"
)

// Options for one build.
type Options struct {
	Source string
	Dest   string
	// Params are extra template parameters for this run (serve mode sets
	// live reload on, for instance).
	Params  map[string]any
	BaseURL string
	// NoMinify keeps output readable (serve and debugging).
	NoMinify bool
	Log      io.Writer
}

// Result of a build, for the summary line.
type Result struct {
	Pages    int
	Duration time.Duration
	Notes    []string
}

// Theme returns the built-in theme as a file system rooted at its folders.
func Theme() fs.FS { return policysite.Theme }

// Site builds opt.Source into opt.Dest. It renders into a fresh folder beside
// Dest and renames it into place only after every step succeeded, so a failed
// build never leaves a half-written site behind, and the last good site stays.
func Site(opt Options) (*Result, error) {
	start := time.Now()
	// The same checks as `policysite check`: an error there (a broken link, a
	// quiz citing a missing section, a [School name] left in) must not be
	// published, and check's file:line messages say how to fix it.
	if _, err := hugo.FindConfig(opt.Source); err != nil {
		return nil, err
	}
	if msg := policy.BaseURLProblem(opt.BaseURL); msg != "" {
		return nil, fmt.Errorf("--base-url: %s", strings.Replace(msg, "write baseURL = ", "give --base-url ", 1))
	}
	site, findings, err := lint.Run(opt.Source, lint.Options{})
	if err != nil {
		return nil, err
	}
	if n := school.Errors(findings); n > 0 {
		var b strings.Builder
		for _, f := range findings {
			if f.Severity == school.Error {
				b.WriteString(f.String() + "\n")
			}
		}
		return nil, fmt.Errorf("%d problem(s) must be fixed first:\n%s", n, strings.TrimRight(b.String(), "\n"))
	}
	dest, err := filepath.Abs(opt.Dest)
	if err != nil {
		return nil, err
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".building-")
	if err != nil {
		return nil, fmt.Errorf("cannot write next to %s: %w", dest, err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()

	res, err := hugo.Build(hugo.Options{
		Source:    opt.Source,
		Dest:      tmp,
		Theme:     Theme(),
		Params:    hugoParams(site, opt.Params),
		BaseURL:   opt.BaseURL,
		Minify:    !opt.NoMinify,
		Log:       opt.Log,
		Transform: newContentReader(opt.Source, site.Policies).read,
	})
	if err != nil {
		return nil, err
	}
	// Posters: fit check, PDFs and previews, written beside their pages.
	notes, err := buildPosters(context.Background(), tmp, site.Posters)
	if err != nil {
		return nil, err
	}
	if n := len(findings) - school.Errors(findings); n > 0 {
		what := "1 warning"
		if n > 1 {
			what = fmt.Sprintf("%d warnings", n)
		}
		notes = append([]string{fmt.Sprintf("The check found %s, such as a review date that is near or pasted text the site leaves out: run `policysite check` to see where, and fix them before publishing.", what)}, notes...)
	}
	if u := res.BaseURL; !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		notes = append(notes, fmt.Sprintf("Note: the site's address is not set (baseURL is %q in config.toml), so the sitemap for search engines, and printed policies when JavaScript is off, give addresses as paths only, like /policies/online-safety/. Before publishing, set baseURL in config.toml to the address the site will have, e.g. baseURL = \"https://policies.your-school.example.org/\", or build with --base-url ADDRESS.", u))
	}
	if err := swap(tmp, dest); err != nil {
		return nil, err
	}
	ok = true
	return &Result{Pages: res.Pages, Duration: time.Since(start), Notes: notes}, nil
}

// contentReader gives Hugo the content files as check read them.
type contentReader struct {
	// versions are the version lines of the policies, by absolute path:
	// Hugo shows each policy's version as check (and trainlog, which records
	// it with every completion) read it, not as its own YAML reading makes
	// it, so a page never shows another version than the training record.
	versions map[string]versionLine
}

type versionLine struct {
	line int    // of the file
	text string // the line Hugo reads there: version: "3.1"
}

func newContentReader(source string, policies []*policy.Policy) *contentReader {
	c := &contentReader{versions: map[string]versionLine{}}
	abs, err := filepath.Abs(source)
	if err != nil {
		return c
	}
	for _, p := range policies {
		line := p.FieldLines["version"]
		if p.Version == "" || line == 0 {
			continue
		}
		text := "version: " + strconv.Quote(p.Version)
		if p.Format == "toml" {
			text = "version = " + strconv.Quote(p.Version)
		}
		c.versions[filepath.Join(abs, filepath.FromSlash(p.File))] = versionLine{line, text}
	}
	return c
}

// read is what Hugo reads of a content file: the file as UTF-8 (check warns
// about other encodings); for a policy, its version as check read it; and
// pasted Markdown repaired in the body, split from the front matter as
// check splits it. The lines stay where they were.
func (c *contentReader) read(path string, src []byte) []byte {
	src, _ = textenc.ToUTF8(src)
	if v, ok := c.versions[path]; ok {
		src = replaceLine(src, v.line, v.text)
	}
	fm, body, ok := policy.SplitFrontMatter(src)
	if !ok && body == nil {
		return src // front matter never closed: check stopped the build on it
	}
	out, _ := markdown.Normalize(body)
	return append(fm[:len(fm):len(fm)], out...)
}

// replaceLine puts text in place of line n (1-based) of src, keeping its
// line ending.
func replaceLine(src []byte, n int, text string) []byte {
	start := 0
	for i := 1; i < n; i++ {
		k := bytes.IndexByte(src[start:], '\n')
		if k < 0 {
			return src
		}
		start += k + 1
	}
	end := len(src)
	if k := bytes.IndexByte(src[start:], '\n'); k >= 0 {
		end = start + k
	}
	if end > start && src[end-1] == '\r' {
		end--
	}
	out := append([]byte{}, src[:start]...)
	out = append(out, text...)
	return append(out, src[end:]...)
}

// hugoParams are the template parameters of a build: the run's own, and
// what the theme takes from what check read rather than work out again: the
// text each school variable shows (the school shortcode), each poster's
// settings and rules (the poster layouts), and each icon's drawing (the icon
// partial and shortcode, from static/icons/NAME.svg).
func hugoParams(site *lint.Site, params map[string]any) map[string]any {
	schoolValues := map[string]string{}
	if site.School != nil {
		schoolValues = site.School.Outputs()
	}
	icons := make(map[string]any, len(site.Icons))
	for _, ic := range site.Icons {
		icons[ic.Name] = map[string]any{"title": ic.Title, "viewbox": ic.ViewBox, "shape": ic.Shape}
	}
	out := map[string]any{
		"policysite_school":  schoolValues,
		"policysite_posters": poster.View(site.Posters),
		"policysite_icons":   icons,
	}
	for k, v := range params {
		out[k] = v
	}
	return out
}

// swap puts the new folder where the old one was. Between the two renames
// there is a moment with no folder at dest, never a mixed one.
func swap(tmp, dest string) error {
	old := ""
	if _, err := os.Stat(dest); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dest, old); err != nil {
			return fmt.Errorf("cannot replace %s: %w", dest, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, dest); err != nil {
		if old != "" {
			_ = os.Rename(old, dest)
		}
		return fmt.Errorf("cannot move the new site into %s: %w", dest, err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}
