package build_test

// The poster step as part of whole builds of a copy of the example school:
// posters rendered once and then taken from the cache until they change; a
// poster whose rules spill off its sheet stops the build, naming the poster
// and the rule; without a browser the build still publishes, says once why
// there are no PDFs, and links to none. (The example school's own PDFs are
// checked in e2e/posters_test.go.)

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/policysite/policysite"
	"github.com/policysite/policysite/internal/build"
	"github.com/policysite/policysite/internal/poster"
)

// exampleSite copies the example school into a new folder.
func exampleSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, policysite.Example); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Builds of one site in a row, as in `policysite serve`: the first renders
// every poster; the next takes them all from the cache; after a change only
// the changed poster is rendered again, and a poster whose rules spill off
// its sheet fails the build, naming the poster, the rule and its line, and
// keeping the last good site.
func TestBuildPosters(t *testing.T) {
	t.Setenv("POLICYSITE_CACHE", t.TempDir())
	src := exampleSite(t)
	dest := filepath.Join(t.TempDir(), "public")
	pdf := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dest, "posters", name, name+".pdf"))
		if err != nil {
			t.Fatalf("no PDF for %s: %v", name, err)
		}
		return b
	}
	note := func(res *build.Result) string {
		for _, n := range res.Notes {
			if strings.HasPrefix(n, "Posters:") {
				return n
			}
		}
		t.Fatalf("no note about the posters; notes: %q", res.Notes)
		return ""
	}

	// 1. Every poster rendered.
	res, err := build.Site(build.Options{Source: src, Dest: dest})
	if err != nil {
		t.Fatalf("first build: %v", err)
	}
	if n := note(res); !strings.HasPrefix(n, "Posters: 5 PDFs and previews made in ") {
		t.Errorf("first build: note %q, want all 5 posters made", n)
	}
	first := pdf("ks2-a4-en")

	// 2. Nothing changed: all from the cache, the same files.
	res, err = build.Site(build.Options{Source: src, Dest: dest})
	if err != nil {
		t.Fatalf("second build: %v", err)
	}
	if n := note(res); !strings.Contains(n, "(5 unchanged, from the cache") {
		t.Errorf("second build, nothing changed: note %q, want all 5 from the cache", n)
	}
	if !bytes.Equal(pdf("ks2-a4-en"), first) {
		t.Errorf("second build: ks2-a4-en.pdf differs from the first build's, with nothing changed")
	}

	// 3. One poster changed, one added whose rules spill.
	ks2 := filepath.Join(src, "content", "posters", "ks2-a4-en.md")
	old, _ := os.ReadFile(ks2)
	os.WriteFile(ks2, bytes.Replace(old, []byte(`title: "Our rules for using the internet"`), []byte(`title: "Our internet rules"`), 1), 0o644)
	const bodyLine = 8
	var b strings.Builder
	b.WriteString("---\ntitle: \"Too many rules\"\nkey_stage: KS1\npaper: A4\norientation: portrait\nlanguage: en\n---\n")
	for i := 1; i <= 14; i++ {
		fmt.Fprintf(&b, "- :padlock: Rule number %d: I keep my password secret from everyone.\n", i)
	}
	tooLong := filepath.Join(src, "content", "posters", "too-long.md")
	os.WriteFile(tooLong, []byte(b.String()), 0o644)
	os.WriteFile(filepath.Join(dest, "last-good.txt"), []byte("yes"), 0o644)

	_, err = build.Site(build.Options{Source: src, Dest: dest})
	if err == nil {
		t.Fatal("the build succeeded with a poster of 14 long KS1 rules on A4: want it to fail, naming the poster")
	}
	msg := err.Error()
	t.Logf("the build said:\n%s", msg)
	m := regexp.MustCompile(`content/posters/too-long\.md: the poster does not fit on one A4 portrait sheet: rule (\d+) of 14 and the (\d+) rules? after it would spill .*\(content/posters/too-long\.md:(\d+)\)\. To fix it, .*A3`).FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("build error does not name the poster, the rule and its line, and say how to fix it:\n%s", msg)
	}
	firstOff, _ := strconv.Atoi(m[1])
	after, _ := strconv.Atoi(m[2])
	line, _ := strconv.Atoi(m[3])
	if firstOff < 2 || firstOff+after != 14 {
		t.Errorf("rule %d and %d after it: want the first rule off the sheet, and the count of those after it to add up to 14", firstOff, after)
	}
	if line != bodyLine+firstOff-1 {
		t.Errorf("rule %d is on line %d of the file, the message says line %d", firstOff, bodyLine+firstOff-1, line)
	}
	if !strings.Contains(msg, fmt.Sprintf("“Rule number %d:", firstOff)) {
		t.Errorf("the message does not quote rule %d:\n%s", firstOff, msg)
	}
	if strings.Contains(msg, "were measured in") {
		t.Errorf("the poster was drawn in a font it is designed for (scripts/setup installs Noto Sans), yet the message blames the font:\n%s", msg)
	}
	if strings.Count(msg, "content/posters/") != 2 { // the poster, and the rule's place in it
		t.Errorf("the message names other posters than too-long.md, which fit:\n%s", msg)
	}
	if _, err := os.Stat(filepath.Join(dest, "last-good.txt")); err != nil {
		t.Errorf("the failed build replaced the last good site: %v", err)
	}
	if !bytes.Equal(pdf("ks2-a4-en"), first) {
		t.Errorf("the failed build changed the published ks2-a4-en.pdf")
	}
	siblings, _ := os.ReadDir(filepath.Dir(dest))
	if len(siblings) != 1 {
		t.Errorf("the failed build left %v beside the site folder", names(siblings))
	}

	// 4. The spilling poster gone: the changed poster was rendered by the
	// failed build and comes from the cache too, with its new title.
	os.Remove(tooLong)
	res, err = build.Site(build.Options{Source: src, Dest: dest})
	if err != nil {
		t.Fatalf("fourth build: %v", err)
	}
	if n := note(res); !strings.Contains(n, "(5 unchanged, from the cache") {
		t.Errorf("fourth build: note %q, want all 5 from the cache", n)
	}
	if bytes.Equal(pdf("ks2-a4-en"), first) {
		t.Errorf("ks2-a4-en.pdf is the same as before its title changed")
	}
}

// Without a browser, whether CHROMIUM names one that is not there or there
// is none on PATH, the build succeeds and says once, among its notes and
// nothing in its log, that the PDFs were skipped and why.
func TestBuildWithoutBrowser(t *testing.T) {
	for _, tc := range []struct {
		name      string
		chromium  string // "" = unset
		emptyPATH bool
		why       string
	}{
		{"CHROMIUM names a missing browser", "/nonexistent/chromium", false, "CHROMIUM is /nonexistent/chromium, which is not a program that can be run"},
		{"no Chromium on PATH", "", true, "no Chromium found (install chromium, or set CHROMIUM"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CHROMIUM", tc.chromium)
			if tc.emptyPATH {
				t.Setenv("PATH", t.TempDir())
			}
			buildWithoutBrowser(t, tc.why)
		})
	}
}

func buildWithoutBrowser(t *testing.T, why string) {
	src := exampleSite(t)
	dest := filepath.Join(t.TempDir(), "public")
	var log bytes.Buffer
	res, err := build.Site(build.Options{Source: src, Dest: dest, Log: &log})
	if err != nil {
		t.Fatalf("without a browser the build must still succeed: %v", err)
	}
	var skipped []string
	for _, n := range res.Notes {
		if strings.Contains(n, "PDF") {
			skipped = append(skipped, n)
		}
	}
	if len(skipped) != 1 || !strings.Contains(skipped[0], "skipped") || !strings.Contains(skipped[0], why) ||
		!strings.Contains(skipped[0], "print from any browser") {
		t.Fatalf("want one note saying the PDFs were skipped, why (%q), and that the pages still print; notes:\n%s", why, strings.Join(res.Notes, "\n"))
	}
	if strings.Contains(log.String(), "PDF") || strings.Contains(log.String(), "Chromium") {
		t.Errorf("the build's log speaks of the PDFs or the browser too, so the skip would be said more than once:\n%s", log.String())
	}

	var pages []string
	err = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		switch {
		case d.IsDir() && rel == "_policysite":
			t.Errorf("the build's own %s folder was published", rel)
		case strings.HasSuffix(p, ".pdf") || (strings.HasPrefix(rel, "posters") && strings.HasSuffix(p, ".png")):
			t.Errorf("%s exists, but there was no browser to make it", rel)
		case strings.HasSuffix(p, ".html"):
			b, _ := os.ReadFile(p)
			if strings.Contains(string(b), ".pdf") || strings.Contains(string(b), "data-poster-output") {
				t.Errorf("%s still links to a PDF or preview that was not made", rel)
			}
			if strings.HasPrefix(rel, "posters/") && strings.Count(rel, "/") == 2 { // posters/x/index.html
				pages = append(pages, rel)
				if !strings.Contains(string(b), "@page") {
					t.Errorf("%s has no @page rule, so it would not print on one sheet", rel)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 5 {
		t.Errorf("poster pages: %v, want the example school's 5", pages)
	}
	index, err := os.ReadFile(filepath.Join(dest, "staff", "posters", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(index), "poster-card-title"); n != 5 {
		t.Errorf("the posters index lists %d posters, want 5 (only the PDF links go)", n)
	}
}

// A poster naming an icon there is no picture for stops the build, at the
// rule's file and line, with every icon name the site knows.
func TestBuildUnknownIcon(t *testing.T) {
	t.Setenv("CHROMIUM", "/nonexistent/chromium") // the icons are checked before any browser
	src := exampleSite(t)
	pl := filepath.Join(src, "content", "posters", "ks1-a4-pl.md")
	old, err := os.ReadFile(pl)
	if err != nil {
		t.Fatal(err)
	}
	const line = 16 // - :kind-words: W internecie używam miłych słów.
	if got := strings.Split(string(old), "\n")[line-1]; !strings.HasPrefix(got, "- :kind-words: ") {
		t.Fatalf("ks1-a4-pl.md line %d is %q, want the kind-words rule: update the test", line, got)
	}
	os.WriteFile(pl, bytes.Replace(old, []byte(":kind-words:"), []byte(":kind-word:"), 1), 0o644)
	dest := filepath.Join(t.TempDir(), "public")
	_, err = build.Site(build.Options{Source: src, Dest: dest})
	if err == nil {
		t.Fatal("the build succeeded with the unknown icon :kind-word: in ks1-a4-pl.md")
	}
	msg := err.Error()
	t.Logf("the build said:\n%s", msg)
	prefix := fmt.Sprintf("content/posters/ks1-a4-pl.md:%d: ", line)
	if !strings.Contains(msg, prefix) || !strings.Contains(msg, "unknown icon :kind-word:") || !strings.Contains(msg, "did you mean :kind-words:?") {
		t.Errorf("want an error at %s naming :kind-word: and suggesting :kind-words:; the build said:\n%s", prefix, msg)
	}
	icons, err := poster.Icons(src)
	if err != nil || len(icons) < 10 {
		t.Fatalf("the icons: %v %v", icons, err)
	}
	if !strings.Contains(msg, "the icons are "+strings.Join(icons, ", ")+";") {
		t.Errorf("the error does not list every known icon (%s):\n%s", strings.Join(icons, ", "), msg)
	}
	if _, err := os.Stat(dest); err == nil {
		t.Errorf("the failed build published a site at %s", dest)
	}
}

func names(es []os.DirEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// On a machine without the fonts the posters are designed for, Chromium
// draws them in another, wider font (DejaVu Sans on a bare Debian), and a
// poster that fits elsewhere can spill. The error then names the font it was
// measured in and how to install the designed ones. A school's own
// static/css/poster.css that asks for DejaVu Sans stands in for such a machine.
func TestSpillNamesTheFont(t *testing.T) {
	t.Setenv("POLICYSITE_CACHE", t.TempDir())
	src := exampleSite(t)
	css, err := fs.ReadFile(policysite.Theme, "static/css/poster.css")
	if err != nil {
		t.Fatal(err)
	}
	stack := regexp.MustCompile(`(?m)^(\s*--font:)[^;]*;`)
	if !stack.Match(css) {
		t.Fatal("static/css/poster.css has no --font: line to replace")
	}
	css = stack.ReplaceAll(css, []byte(`$1 "DejaVu Sans", sans-serif;`))
	os.MkdirAll(filepath.Join(src, "static", "css"), 0o755)
	os.WriteFile(filepath.Join(src, "static", "css", "poster.css"), css, 0o644)
	var b strings.Builder
	b.WriteString("---\ntitle: \"Too many rules\"\nkey_stage: KS1\npaper: A4\norientation: portrait\nlanguage: en\n---\n")
	for i := 1; i <= 14; i++ {
		fmt.Fprintf(&b, "- :padlock: Rule number %d: I keep my password secret from everyone.\n", i)
	}
	os.WriteFile(filepath.Join(src, "content", "posters", "too-long.md"), []byte(b.String()), 0o644)

	_, err = build.Site(build.Options{Source: src, Dest: filepath.Join(t.TempDir(), "public")})
	if err == nil {
		t.Fatal("the build succeeded with 14 long KS1 rules on A4: want it to fail")
	}
	msg := err.Error()
	t.Logf("the build said:\n%s", msg)
	if !strings.Contains(msg, "content/posters/too-long.md: the poster does not fit") {
		t.Fatalf("the error does not say which poster spills:\n%s", msg)
	}
	if !strings.Contains(msg, "The rules were measured in DejaVu Sans") || !strings.Contains(msg, "sudo apt install fonts-noto-core") {
		t.Errorf("the error does not name the font the rules were measured in and how to install the designed ones:\n%s", msg)
	}
}

// A poster page shows the rules check read, each rendered by Hugo: Markdown
// and the school shortcode work in a rule, in the poster's own body and in
// the policy section rules_from takes them from; the page's lang and dir are
// the poster's.
func TestPosterPageShowsTheRulesCheckRead(t *testing.T) {
	t.Setenv("CHROMIUM", "/nonexistent/chromium") // the page, not the PDF
	src := exampleSite(t)
	edit := func(rel, old, new string) {
		t.Helper()
		p := filepath.Join(src, filepath.FromSlash(rel))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s has no %q", rel, old)
		}
		os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644)
	}
	edit("content/policies/pupil-acceptable-use.md", "- :padlock: I keep my password secret.", `- :padlock: I keep my password **secret** at {{< school "short_name" >}}.`)
	edit("content/posters/ks1-a4-pl.md", "- :padlock: Moje hasło to tajemnica.", `- :padlock: Moje hasło to *tajemnica* w {{< school "short_name" >}}.`)
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build.Site(build.Options{Source: src, Dest: dest, NoMinify: true}); err != nil {
		t.Fatal(err)
	}
	page := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dest, "posters", name, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	en, pl, ur := page("ks1-a4-en"), page("ks1-a4-pl"), page("ks1-a4-ur")
	for _, tc := range []struct{ page, want string }{
		{en, `<span class="poster-text">I keep my password <strong>secret</strong> at Oakfield.</span>`},
		{pl, `<span class="poster-text">Moje hasło to <em>tajemnica</em> w` + "\u00a0" + `Oakfield.</span>`},
		{pl, `<html lang="pl" dir="ltr">`},
		{ur, `<html lang="ur" dir="rtl">`},
		{en, `data-rules="8"`},
	} {
		if !strings.Contains(tc.page, tc.want) {
			t.Errorf("poster page lacks %s", tc.want)
		}
	}
}
