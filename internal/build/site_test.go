package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/policysite/policysite/internal/chromium"
)

// rootURL finds addresses that start at the root of the host: href=/x,
// src="/x", "url":"/x" in the search index, url(/x) in CSS.
var rootURL = regexp.MustCompile(`(?:(?:href|src|action|data-[a-z-]+)=["']?|"url":"|url\(["']?)(/[^/"'\s>)][^"'\s>)]*|/)["'\s>)]`)

// A school whose site lives in a folder of a larger website
// (https://example.org/school/) must get links, CSS, scripts, the search
// index and posters that all stay inside that folder; a link to /policies/
// there would reach the wrong website.
func TestBuildAtSubPath(t *testing.T) {
	site := copyDir(t, "testdata/site")
	src := `---
title: "Our rules online"
key_stage: KS2
paper: A4
orientation: portrait
language: en
---
- :padlock: I keep my password secret.
- :tell-someone: I tell an adult if something online upsets me.
`
	if err := os.MkdirAll(filepath.Join(site, "content/posters"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(site, "content/posters/rules.md"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	search := "---\ntitle: Search\nlayout: search\noutputs: [html, json]\nsearch_exclude: true\n---\n"
	if err := os.WriteFile(filepath.Join(site, "content/search.md"), []byte(search), 0o644); err != nil {
		t.Fatal(err)
	}
	// A link to a file of the site and an image, written from the site's root.
	alpha := filepath.Join(site, "content/policies/alpha.md")
	if err := os.WriteFile(alpha, []byte(read(t, alpha)+"\nThe [consent form](/files/consent.pdf) has our logo: ![Fixture logo](/files/logo.svg)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(site, "static/files"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"consent.pdf", "logo.svg"} {
		if err := os.WriteFile(filepath.Join(site, "static/files", f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	access := "---\ntitle: Accessibility statement\nlayout: accessibility\n---\n"
	if err := os.WriteFile(filepath.Join(site, "content/accessibility.md"), []byte(access), 0o644); err != nil {
		t.Fatal(err)
	}
	// A cache of our own, so the poster is really rendered in the browser.
	t.Setenv("POLICYSITE_CACHE", t.TempDir())
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Site(Options{Source: site, Dest: dest, BaseURL: "https://example.org/school/"}); err != nil {
		t.Fatalf("build at https://example.org/school/ failed: %v", err)
	}

	checked, seen := 0, 0
	err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(p) {
		case ".html", ".json", ".css", ".js":
		default:
			return nil
		}
		checked++
		rel, _ := filepath.Rel(dest, p)
		for _, m := range rootURL.FindAllStringSubmatch(read(t, p), -1) {
			u := m[1]
			seen++
			if u == "/__policysite/livereload.js" { // serve only, never at a sub-path
				continue
			}
			if !strings.HasPrefix(u, "/school/") {
				t.Errorf("%s links to %s, outside the site's folder /school/", rel, u)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 5 || seen < 20 {
		t.Fatalf("checked only %d files and %d addresses: is the pattern still right for the minified output?", checked, seen)
	}
	for _, want := range []string{
		"/school/css/site.css", "/school/js/site.js", "/school/policies/alpha/",
		"/school/policies/beta/#rules", "/school/search/",
		"/school/files/consent.pdf", "/school/files/logo.svg",
	} {
		if !strings.Contains(read(t, filepath.Join(dest, "policies/alpha/index.html"))+read(t, filepath.Join(dest, "index.html")), want) {
			t.Errorf("the home and alpha pages lack %s", want)
		}
	}
	if !strings.Contains(read(t, filepath.Join(dest, "search/index.json")), `"/school/policies/alpha/"`) {
		t.Error("the search index does not give alpha's address under /school/")
	}
	if a := read(t, filepath.Join(dest, "accessibility/index.html")); !strings.Contains(a, "policy website of Fixture Primary School at <a href=https://example.org/school/") {
		t.Errorf("the accessibility statement does not say it covers https://example.org/school/:\n%.600s", a[strings.Index(a, "<main"):])
	}
	if _, err := chromium.Find(); err == nil {
		if _, err := os.Stat(filepath.Join(dest, "posters/rules/rules.pdf")); err != nil {
			t.Errorf("no poster PDF at the sub-path: %v", err)
		}
	}
}

// A school changes the built-in look by putting a file of the same name in
// its own layouts/: here the footer.
func TestSchoolLayoutOverridesTheTheme(t *testing.T) {
	site := copyDir(t, "testdata/site")
	own := filepath.Join(site, "layouts/_partials/footer.html")
	if err := os.MkdirAll(filepath.Dir(own), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(own, []byte(`<footer class="site-footer">Our own footer</footer>`), 0o644); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Site(Options{Source: site, Dest: dest}); err != nil {
		t.Fatal(err)
	}
	page := read(t, filepath.Join(dest, "policies/alpha/index.html"))
	if !strings.Contains(page, "Our own footer") {
		t.Error("the school's layouts/_partials/footer.html did not replace the theme's footer")
	}
	if !strings.Contains(page, "Ms Fixture Lead") {
		t.Error("the rest of the theme stopped working with one partial overridden")
	}
}

// A policy saved in Notepad's "ANSI" encoding (Windows-1252) is published
// with its curly quotes, not as "�".
func TestBuildReadsWindows1252(t *testing.T) {
	site := copyDir(t, "testdata/site")
	file := filepath.Join(site, "content/policies/alpha.md")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	src = append(src, []byte("\nThe school\x92s rules \x93matter\x94 \x96 always.\n")...)
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Site(Options{Source: site, Dest: dest}); err != nil {
		t.Fatal(err)
	}
	page := read(t, filepath.Join(dest, "policies/alpha/index.html"))
	if !strings.Contains(page, "The school’s rules “matter” – always.") && !strings.Contains(page, "The school&rsquo;s rules &ldquo;matter&rdquo; &ndash; always.") {
		t.Errorf("the Windows-1252 sentence is not on the page as written; page:\n%s", page)
	}
	if strings.Contains(page, "\ufffd") || !utf8.ValidString(page) {
		t.Error("the page has characters that are not UTF-8, or replacement characters")
	}
}

// A build for an address that is only a path ("/") says how to give the real
// one, which the sitemap and printed links need; a build with one does not.
func TestBuildSaysWhenTheAddressIsNotSet(t *testing.T) {
	site := copyDir(t, "testdata/site")
	dest := filepath.Join(t.TempDir(), "public")
	res, err := Site(Options{Source: site, Dest: dest})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(res.Notes, "\n")
	// The fixture's beta policy is past its review date: a warning of check.
	for _, want := range []string{`baseURL is "/"`, "config.toml", "--base-url", "The check found 1 warning", "run `policysite check` to see where"} {
		if !strings.Contains(notes, want) {
			t.Errorf("building with baseURL = \"/\": the notes do not mention %s:\n%s", want, notes)
		}
	}
	res, err = Site(Options{Source: site, Dest: dest, BaseURL: "https://policies.fixture.example.org/"})
	if err != nil {
		t.Fatal(err)
	}
	if notes := strings.Join(res.Notes, "\n"); strings.Contains(notes, "baseURL") {
		t.Errorf("building for https://policies.fixture.example.org/ still says the address is not set:\n%s", notes)
	}
	if sm := read(t, filepath.Join(dest, "sitemap.xml")); !strings.Contains(sm, "<loc>https://policies.fixture.example.org/policies/alpha/</loc>") {
		t.Errorf("the sitemap does not give alpha's full address:\n%.400s", sm)
	}
}
