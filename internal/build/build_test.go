package build

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/policysite/policysite/internal/hugo"
	"github.com/policysite/policysite/internal/lint"
	"github.com/policysite/policysite/internal/policy"
	"github.com/policysite/policysite/internal/sitetest"
)

// copyDir writes the fixture site src.txtar (testdata/site.txtar for
// "testdata/site") into a new folder, so a test can change it.
func copyDir(t testing.TB, src string) string {
	t.Helper()
	return sitetest.Write(t, src+".txtar")
}

func read(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBuildFixtureSite(t *testing.T) {
	site := copyDir(t, "testdata/site")
	dest := filepath.Join(t.TempDir(), "public")
	res, err := Site(Options{Source: site, Dest: dest})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages < 3 {
		t.Errorf("built %d pages, want at least home and two policies", res.Pages)
	}
	alpha := read(t, filepath.Join(dest, "policies/alpha/index.html"))
	for _, want := range []string{
		"Ms Fixture Lead", "01632 000 001", // school variables filled in
		`id=who`,                // explicit heading id kept for quizzes
		`/policies/beta/#rules`, // .md link resolved to the page URL
	} {
		if !strings.Contains(alpha, want) {
			t.Errorf("alpha page lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, ".cache-hugo")); err == nil {
		t.Error("Hugo's cache folder was published")
	}
}

func TestFailedBuildKeepsPreviousSite(t *testing.T) {
	site := copyDir(t, "testdata/site")
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Site(Options{Source: site, Dest: dest}); err != nil {
		t.Fatal(err)
	}
	before := read(t, filepath.Join(dest, "policies/alpha/index.html"))

	alpha := filepath.Join(site, "content/policies/alpha.md")
	src := strings.Replace(read(t, alpha), `{{< school "dsl.phone" >}}`, `{{< school "dsl.mobile" >}}`, 1)
	if err := os.WriteFile(alpha, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Site(Options{Source: site, Dest: dest})
	if err == nil {
		t.Fatal("build with an unknown school variable succeeded")
	}
	for _, want := range []string{"content/policies/alpha.md:15", `"dsl.mobile"`, "config.toml", "dsl.phone"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
	if after := read(t, filepath.Join(dest, "policies/alpha/index.html")); after != before {
		t.Error("the previous site was changed by a failed build")
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".public.building-*"))
	if len(leftovers) > 0 {
		t.Errorf("failed build left %v behind", leftovers)
	}
}

func TestBuildErrorsSayWhatToDo(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(site string)
		baseURL string // --base-url
		want    []string
	}{
		{"no config", func(site string) { os.Remove(filepath.Join(site, "config.toml")) }, "", []string{"no config.toml", "policysite init"}},
		{"shortcode without key", func(site string) {
			os.WriteFile(filepath.Join(site, "content/policies/gamma.md"), []byte("---\ntitle: G\n---\n\nHi {{< school >}}\n"), 0o644)
		}, "", []string{"content/policies/gamma.md:5", "needs the name of a school variable", `"adopted" is missing`}},
		{"baseURL without https://", func(site string) {
			cfg := filepath.Join(site, "config.toml")
			src, _ := os.ReadFile(cfg)
			os.WriteFile(cfg, bytes.Replace(src, []byte(`baseURL = "/"`), []byte(`baseURL = "policies.fixture.example.org"`), 1), 0o644)
		}, "", []string{"config.toml:1", `must start with https://`, `baseURL = "https://policies.fixture.example.org/"`}},
		{"--base-url without https://", func(string) {}, "www.fixture.example.org/policies",
			[]string{"--base-url", `must start with https://`, `give --base-url "https://www.fixture.example.org/policies/"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			site := copyDir(t, "testdata/site")
			tc.setup(site)
			_, err := Site(Options{Source: site, Dest: filepath.Join(t.TempDir(), "out"), BaseURL: tc.baseURL})
			if err == nil {
				t.Fatal("build succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// A policy pasted from a word processor must show every heading and list
// item its author wrote (testdata/realworld/EXPECT.md lists them).
func TestPastedPolicyRendersEveryHeadingAndItem(t *testing.T) {
	pasted := "../../testdata/realworld/pasted-policy.md"
	expect := read(t, "../../testdata/realworld/EXPECT.md")
	site := copyDir(t, "testdata/site")
	src := read(t, pasted)
	if err := os.WriteFile(filepath.Join(site, "content/policies/pasted.md"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Site(Options{Source: site, Dest: dest, NoMinify: true}); err != nil {
		t.Fatal(err)
	}
	page := read(t, filepath.Join(dest, "policies/pasted/index.html"))
	headings, items := elementTexts(page, "h"), elementTexts(page, "li")
	n := 0
	for _, line := range strings.Split(expect, "\n") {
		kind, text, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if !ok {
			continue
		}
		n++
		text = normSpace(text)
		switch kind {
		case "H":
			if !containsText(headings, text) {
				t.Errorf("heading %q is not rendered as a heading", text)
			}
		case "LI":
			if !containsText(items, text) {
				t.Errorf("list item %q is not rendered as a list item", text)
			}
		}
	}
	if n < 10 {
		t.Fatalf("EXPECT.md lists only %d items", n)
	}
}

// elementTexts returns the text of every <h1>…<h6> (tag "h") or <li>.
func elementTexts(page, tag string) []string {
	var out []string
	rest := page
	for {
		i := strings.Index(rest, "<"+tag)
		if i < 0 {
			return out
		}
		rest = rest[i+1:]
		if tag == "h" && (len(rest) < 2 || rest[1] < '1' || rest[1] > '6') {
			continue
		}
		gt := strings.IndexByte(rest, '>')
		end := strings.Index(rest, "</"+rest[:len(tag)+boolInt(tag == "h")])
		if gt < 0 || end < 0 || end < gt {
			continue
		}
		out = append(out, normSpace(stripTags(rest[gt+1:end])))
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	r := strings.NewReplacer("&amp;", "&", "&rsquo;", "’", "&lsquo;", "‘", "&ldquo;", "“", "&rdquo;", "”", "&#39;", "'", "&quot;", `"`, "&ndash;", "–", "&mdash;", "—", "&hellip;", "…", "&lt;", "<", "&gt;", ">")
	return r.Replace(b.String())
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func containsText(list []string, want string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, want) || strings.Contains(s, want) {
			return true
		}
	}
	return false
}

// genSite writes a site of n policies of about 3 KB each, with school
// variables, links between policies and a few sections each.
func genSite(tb testing.TB, n int) string {
	tb.Helper()
	site := copyDir(tb, "testdata/site")
	dir := filepath.Join(site, "content/policies")
	para := strings.Repeat("Staff follow this procedure carefully and record what they did, when, and who they told. ", 5)
	for i := 0; i < n; i++ {
		var b bytes.Buffer
		fmt.Fprintf(&b, "---\ntitle: \"Policy %04d\"\nsummary: \"Generated policy number %d.\"\naudience: [parents, staff]\nowner: dsl\nadopted: 2026-01-01\nadopted_by: \"Local Governing Body\"\nreview: 2027-01-01\nversion: \"1.%d\"\nrelated: [alpha]\n---\n\n", i, i, i%10)
		for s := 0; s < 5; s++ {
			fmt.Fprintf(&b, "## Section %d of policy %d\n\n%s\n\nContact {{< school \"dsl.name\" >}} or read [alpha](alpha.md#who).\n\n- first point\n- second point\n\n", s, i, para)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("p%04d.md", i)), b.Bytes(), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return site
}

// BenchmarkBuild1000 builds 1,000 generated policies with policysite and
// with plain Hugo (the same Hugo, theme and minify, straight into a folder,
// with none of our steps), alternating so both see the same machine, and
// reports our time as a ratio of Hugo's.
//
//	go test ./internal/build -run '^$' -bench Build1000 -benchtime 5x
func BenchmarkBuild1000(b *testing.B) {
	site := genSite(b, 1000)
	out := b.TempDir()
	checked, _, err := lint.Run(site, lint.Options{})
	if err != nil {
		b.Fatal(err)
	}
	params := hugoParams(checked, nil) // what the theme shows of school variables and icons
	var ours, plain time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := hugo.Build(hugo.Options{Source: site, Dest: filepath.Join(out, fmt.Sprint("hugo", i)), Theme: Theme(), Params: params, Minify: true}); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := Site(Options{Source: site, Dest: filepath.Join(out, "public")}); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		plain += t1.Sub(t0)
		ours += t2.Sub(t1)
	}
	b.ReportMetric(float64(plain.Milliseconds())/float64(b.N), "hugo-ms/op")
	b.ReportMetric(float64(ours.Milliseconds())/float64(b.N), "policysite-ms/op")
	b.ReportMetric(float64(ours)/float64(plain), "ratio")
}

// Hugo reads each policy's version as check read it, on the line it was
// written on, and the pasted-Markdown repairs in the body only.
func TestContentReaderGivesHugoCheckedVersions(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"content/policies/a.md": "---\ntitle: A\nVersion: \"3.10\"   # agreed in June\nrelated: []\n---\n\nRoles and Responsibilities\n\nText.\n",
		"content/policies/b.md": "+++\r\ntitle = \"B\"\r\nversion = \"2.0\"\r\n+++\r\n\r\nText.\r\n",
	}
	var pols []*policy.Policy
	for name, src := range files {
		p, _ := (&policy.Parser{Root: dir}).Parse(name, "x", []byte(src))
		pols = append(pols, p)
	}
	c := newContentReader(dir, pols)
	got := string(c.read(filepath.Join(dir, "content/policies/a.md"), []byte(files["content/policies/a.md"])))
	if want := "---\ntitle: A\nversion: \"3.10\"\nrelated: []\n---\n\n## Roles and Responsibilities\n\nText.\n"; got != want {
		t.Errorf("a.md as Hugo reads it:\n%q\nwant\n%q", got, want)
	}
	got = string(c.read(filepath.Join(dir, "content/policies/b.md"), []byte(files["content/policies/b.md"])))
	if want := "+++\r\ntitle = \"B\"\r\nversion = \"2.0\"\r\n+++\r\n\r\nText.\r\n"; got != want {
		t.Errorf("b.md as Hugo reads it:\n%q\nwant\n%q", got, want)
	}
	if other := "---\ntitle: C\n---\n"; string(c.read(filepath.Join(dir, "content/c.md"), []byte(other))) != other {
		t.Error("a page that is not a policy was changed")
	}
}
