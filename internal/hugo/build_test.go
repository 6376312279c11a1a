package hugo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policysite/policysite/internal/policy"
	"github.com/policysite/policysite/internal/sitetest"
)

// The school shortcode is the last line of defence when check was skipped:
// Hugo itself must stop on an unknown key, and the error must point at the
// policy's own file and line rather than Hugo's temporary theme folder.
func TestUnknownSchoolKeyFailsWithPosition(t *testing.T) {
	dir := sitetest.Write(t, "testdata/school-shortcode.txtar")
	site := filepath.Join(dir, "site")
	sc, err := os.ReadFile("../../layouts/_shortcodes/school.html")
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "theme/layouts/_shortcodes"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "theme/layouts/_shortcodes/school.html"), sc, 0o644); err != nil {
		t.Fatal(err)
	}
	theme := os.DirFS(filepath.Join(dir, "theme"))
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

	if err := os.WriteFile(filepath.Join(site, "content/a.md"), []byte("---\ntitle: A\n---\n\nOur DSL is {{< school \"dsl.name\" >}}.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
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
	dir := sitetest.Write(t, "testdata/static-and-quizzes.txtar")
	site, theme := filepath.Join(dir, "site"), os.DirFS(filepath.Join(dir, "theme"))
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
	if b, err := os.ReadFile(filepath.Join(out, "css/site.css")); err != nil || strings.TrimSpace(string(b)) != "body{}" {
		t.Errorf("theme static file: %q, %v", b, err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "js/a.js")); strings.TrimSpace(string(b)) != "site" {
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
	dir := sitetest.Write(t, "testdata/raw-html.txtar")
	site, theme := filepath.Join(dir, "site"), os.DirFS(filepath.Join(dir, "theme"))
	var log strings.Builder
	if _, err := Build(Options{Source: site, Dest: filepath.Join(t.TempDir(), "out"), Theme: theme, Log: &log}); err != nil {
		t.Fatal(err)
	}
	if log.Len() > 0 {
		t.Errorf("the build logged %q", log.String())
	}
}
