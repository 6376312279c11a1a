package policysite

import (
	"os/exec"
	"strings"
	"testing"
)

// The import graph runs one way: the domain types at the bottom import
// nothing of ours, only internal/hugo imports Hugo, only internal/chromium
// drives a browser, `policysite check` (internal/lint) links no browser
// driver, and the trainlog endpoint links neither Hugo nor a browser (a
// 70 MB "tiny" endpoint otherwise).
func TestImportBoundaries(t *testing.T) {
	const mod = "github.com/policysite/policysite/"
	deps := func(pkg string) []string {
		t.Helper()
		out, err := exec.Command("go", "list", "-deps", mod+pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	none := func(pkg string, forbidden ...string) {
		t.Helper()
		for _, d := range deps(pkg) {
			for _, f := range forbidden {
				if strings.HasPrefix(d, f) {
					t.Errorf("%s depends on %s", pkg, d)
				}
			}
		}
	}
	const chromedp, cdproto, hugo = "github.com/chromedp/chromedp", "github.com/chromedp/cdproto", "github.com/gohugoio/hugo"
	none("internal/lint", chromedp, cdproto)
	none("internal/poster", chromedp, cdproto, hugo)
	none("internal/policy", chromedp, cdproto, hugo)
	none("cmd/trainlog", hugo, chromedp, cdproto, mod+"internal/lint", mod+"internal/hugo")
	for _, d := range deps("internal/school") {
		if strings.Contains(d, ".") && d != mod+"internal/school" { // a module path, not the standard library
			t.Errorf("internal/school, the domain types, depends on %s: it must import only the standard library", d)
		}
	}

	// Who imports Hugo and chromedp directly.
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, mod+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, " ")
		for _, imp := range strings.Fields(imports) {
			switch {
			case strings.HasPrefix(imp, hugo) && pkg != mod+"internal/hugo":
				t.Errorf("%s imports %s: only internal/hugo may import Hugo", pkg, imp)
			case (strings.HasPrefix(imp, chromedp) || strings.HasPrefix(imp, cdproto)) && pkg != mod+"internal/chromium":
				t.Errorf("%s imports %s: only internal/chromium may drive the browser", pkg, imp)
			}
		}
	}
}
