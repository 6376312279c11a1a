package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policysite/policysite/internal/sitetest"
)

// generateSite writes a site of n policies of about 3 KB each, linked to each
// other with anchors and using school variables, like a large trust's
// policies; it returns the site folder.
func generateSite(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	cfg := []byte(sitetest.File(tb, validSite, "config.toml"))
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "config.toml"), cfg, 0o644))
	pol := filepath.Join(dir, "content", "policies")
	must(os.MkdirAll(pol, 0o755))
	para := "Staff follow this policy at all times and record any concern on the same day. " +
		"Pupils are taught how to stay safe, and parents are told how to help at home. " +
		"The governing body checks each year that the policy works in practice.\n"
	for i := 0; i < n; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Policy %d\nsummary: What policy %d covers.\naudience: [parents, staff]\nowner: dsl\n", i, i)
		fmt.Fprintf(&b, "adopted: 2026-09-01\nadopted_by: Local Governing Body\nreview: 2027-09-01\nversion: \"1.%d\"\nrelated: [policy-%d]\n---\n\n", i%10, (i+1)%n)
		fmt.Fprintf(&b, "This policy explains how {{< school \"name\" >}} works. Contact {{< school \"dsl.name\" >}}.\n\n")
		for s, title := range []string{"Roles and responsibilities", "Reporting a concern", "Filtering & monitoring", "Review"} {
			fmt.Fprintf(&b, "## %s\n\n%s\n", title, para)
			fmt.Fprintf(&b, "- See [section %d of policy %d](policy-%d.md#reporting-a-concern).\n", s, (i+s)%n, (i+s)%n)
			fmt.Fprintf(&b, "- Phone {{%% school \"dsl.phone\" %%}} or read [the review](#review).\n\n")
			fmt.Fprintf(&b, "### Details\n\n%s\n", para)
		}
		must(os.WriteFile(filepath.Join(pol, fmt.Sprintf("policy-%d.md", i)), []byte(b.String()), 0o644))
	}
	return dir
}

// BenchmarkCheck checks a generated site of 1,000 policies (~3 KB each).
// Goal: well under a second, so the build can run it before every build.
func BenchmarkCheck(b *testing.B) {
	dir := generateSite(b, 1000)
	size := 0
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if info, err := d.Info(); err == nil && !d.IsDir() {
			size += int(info.Size())
		}
		return nil
	})
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		findings, err := Check(dir, Options{Now: today})
		if err != nil {
			b.Fatal(err)
		}
		if len(findings) != 0 {
			b.Fatalf("generated site should be clean, got %d findings, first: %s", len(findings), findings[0])
		}
	}
	b.ReportMetric(float64(size)/1000, "bytes/policy")
}
