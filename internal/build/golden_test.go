package build

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden from the current output")

// Golden files hold the <main> of key pages of the fixture site, built on a
// fixed day. A change to the theme shows up here as a diff to review; run
// `go test ./internal/build -run Golden -update` to accept it.
func TestGoldenPages(t *testing.T) {
	site := copyDir(t, "testdata/site")
	dest := filepath.Join(t.TempDir(), "public")
	_, err := Site(Options{Source: site, Dest: dest, NoMinify: true,
		Params: map[string]any{"policysite_today": "2026-11-23"}})
	if err != nil {
		t.Fatal(err)
	}
	pages := []struct{ golden, page string }{
		{"home.html", "index.html"},
		{"policy-alpha.html", "policies/alpha/index.html"},
		{"policy-beta-overdue.html", "policies/beta/index.html"},
		{"policies-index.html", "policies/index.html"},
	}
	for _, p := range pages {
		t.Run(p.golden, func(t *testing.T) {
			got := mainOf(t, read(t, filepath.Join(dest, p.page)))
			path := filepath.Join("testdata/golden", p.golden)
			if *update {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s; if the change is intended, run go test ./internal/build -run Golden -update\n%s",
					p.page, path, firstDiff(string(want), got))
			}
		})
	}
}

var blankLines = regexp.MustCompile(`\n\s*\n+`)

func mainOf(t *testing.T, page string) string {
	t.Helper()
	i := strings.Index(page, "<main")
	j := strings.LastIndex(page, "</main>")
	if i < 0 || j < i {
		t.Fatalf("no <main> in page")
	}
	return blankLines.ReplaceAllString(page[i:j+len("</main>")], "\n") + "\n"
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + itoa(i+1) + ":\n  want: " + a + "\n  got:  " + b
		}
	}
	return ""
}

func itoa(i int) string { return fmtInt(i) }

func fmtInt(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return fmtInt(i/10) + string(rune('0'+i%10))
}
