package hugo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/policysite/policysite/internal/policy"
)

// The school shortcode is the last line of defence when check was skipped:
// Hugo itself must stop on an unknown key, and the error must point at the
// policy's own file and line rather than Hugo's temporary theme folder.
func TestUnknownSchoolKeyFailsWithPosition(t *testing.T) {
	site := t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(site, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("config.toml", "baseURL = \"/\"\ndisableKinds = [\"taxonomy\", \"term\", \"rss\", \"sitemap\", \"robotstxt\"]\n[params.school]\nname = \"X School\"\n[params.school.dsl]\nname = \"D\"\n")
	write("content/a.md", "---\ntitle: A\n---\n\nOur DSL is {{< school \"dsl.name\" >}}.\n\nCall {{< school \"dsl.fax\" >}}.\n")
	sc, err := os.ReadFile("../../layouts/_shortcodes/school.html")
	if err != nil {
		t.Fatal(err)
	}
	theme := fstest.MapFS{
		"layouts/_shortcodes/school.html": {Data: sc},
		"layouts/page.html":               {Data: []byte(`{{ .Content }}`)},
		"layouts/home.html":               {Data: []byte(`home`)},
	}
	// The values the shortcode shows, as the build hands them over.
	cfg, _, err := policy.LoadConfig(site)
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]any{"policysite_school": cfg.School.Outputs()}
	_, err = Build(Options{Source: site, Dest: filepath.Join(t.TempDir(), "out"), Theme: theme, Params: params})
	if err == nil {
		t.Fatal("build with an unknown key succeeded")
	}
	for _, want := range []string{"content/a.md:7", `"dsl.fax"`, "dsl.name", "[params.school]"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), site) {
		t.Errorf("error shows the absolute site path: %v", err)
	}

	write("content/a.md", "---\ntitle: A\n---\n\nOur DSL is {{< school \"dsl.name\" >}}.\n")
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Build(Options{Source: site, Dest: out, Theme: theme, Params: params}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(out, "a/index.html"))
	if !strings.Contains(string(b), "Our DSL is D.") {
		t.Errorf("page = %q", b)
	}
}

// quizzes/ is mounted as data only: the answer files must never be
// published as they are.
func TestStaticFilesAndQuizData(t *testing.T) {
	site := t.TempDir()
	os.MkdirAll(filepath.Join(site, "quizzes"), 0o755)
	os.WriteFile(filepath.Join(site, "config.toml"), []byte("baseURL = \"/\"\n"), 0o644)
	os.WriteFile(filepath.Join(site, "quizzes/q1.toml"), []byte("title = \"Q\"\n"), 0o644)
	theme := fstest.MapFS{
		"layouts/home.html":   {Data: []byte(`{{ range $k, $v := site.Data.quizzes }}{{ $k }}={{ $v.title }};{{ end }}`)},
		"static/css/site.css": {Data: []byte(`body{}`)},
		"static/js/a.js":      {Data: []byte(`theme`)},
	}
	os.MkdirAll(filepath.Join(site, "static/js"), 0o755)
	os.WriteFile(filepath.Join(site, "static/js/a.js"), []byte("site"), 0o644)
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Build(Options{Source: site, Dest: out, Theme: theme}); err != nil {
		t.Fatal(err)
	}
	home, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(home), "q1=Q;") {
		t.Errorf("quiz data not visible to templates: %q", home)
	}
	// Static files from the theme are published, and the site's own file
	// of the same name wins over the theme's.
	if b, err := os.ReadFile(filepath.Join(out, "css/site.css")); err != nil || string(b) != "body{}" {
		t.Errorf("theme static file: %q, %v", b, err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "js/a.js")); string(b) != "site" {
		t.Errorf("site static file should override the theme's: got %q", b)
	}
	filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".toml") {
			t.Errorf("quiz file published: %s", p)
		}
		return nil
	})
}

// Pasted HTML is reported by policysite check at its line; Hugo's own
// warning ("Raw HTML omitted … ignoreLogs = […]") is for developers and must
// not reach the school's terminal.
func TestRawHTMLWarningIsNotLogged(t *testing.T) {
	site := t.TempDir()
	os.WriteFile(filepath.Join(site, "config.toml"), []byte("baseURL = \"/\"\ndisableKinds = [\"taxonomy\", \"term\", \"rss\", \"sitemap\", \"robotstxt\"]\n"), 0o644)
	os.MkdirAll(filepath.Join(site, "content"), 0o755)
	os.WriteFile(filepath.Join(site, "content/a.md"), []byte("---\ntitle: A\n---\n\n<div><p>Pasted <b>text</b></p></div>\n"), 0o644)
	theme := fstest.MapFS{
		"layouts/page.html": {Data: []byte(`{{ .Content }}`)},
		"layouts/home.html": {Data: []byte(`home`)},
	}
	var log strings.Builder
	if _, err := Build(Options{Source: site, Dest: filepath.Join(t.TempDir(), "out"), Theme: theme, Log: &log}); err != nil {
		t.Fatal(err)
	}
	if log.Len() > 0 {
		t.Errorf("the build logged %q", log.String())
	}
}
