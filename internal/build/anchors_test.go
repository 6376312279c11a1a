package build

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/policysite/policysite/internal/policy"
)

// Quizzes cite policy-slug#anchor, and check verifies those anchors with
// policy.AnchorIDs, which re-implements Hugo's heading ids without Hugo.
// This builds tricky headings with the real Hugo and compares the two.
func TestAnchorIDsMatchHugo(t *testing.T) {
	headings := []string{
		"Aims and scope",
		"Youth-produced sexual imagery (sharing nudes and semi-nudes)",
		"Roles & responsibilities",
		"Curly “quotes” and ‘apostrophes’ aren’t kept",
		"Parents' and carers' role",
		"Café, naïve and Żółć",
		"2. Numbered heading",
		"Emoji 🙂 in a heading",
		"*Emphasis* and `code`",
		"A [link](https://example.org) in a heading",
		"Dash — and – hyphen - here",
		"Aims and scope",
		"Aims and scope",
		"Fixed id {#my-fixed-id}",
		"Under_score and tab\there",
		"Trailing punctuation?!",
	}
	site := copyDir(t, "testdata/site")
	var md strings.Builder
	md.WriteString("---\ntitle: \"Anchors\"\nsummary: \"x\"\naudience: [staff]\nowner: dsl\nadopted: 2026-01-01\nadopted_by: \"LGB\"\nreview: 2027-01-01\nversion: \"1\"\nrelated: []\n---\n\n")
	for _, h := range headings {
		fmt.Fprintf(&md, "## %s\n\nText.\n\n", h)
	}
	if err := os.WriteFile(filepath.Join(site, "content/policies/anchors.md"), []byte(md.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "out")
	if _, err := Site(Options{Source: site, Dest: dest, NoMinify: true}); err != nil {
		t.Fatal(err)
	}
	page := read(t, filepath.Join(dest, "policies/anchors/index.html"))
	// Only the ids of the body's h2s: the theme adds its own headings (h1,
	// "Contents" …) that are not part of the policy text.
	re := regexp.MustCompile(`<h2[^>]*\bid="([^"]*)"`)
	var hugoIDs []string
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		hugoIDs = append(hugoIDs, m[1])
	}
	ours := policy.AnchorIDs(headings...)
	// Drop theme h2s that come before or after the body by aligning on the
	// first policy heading.
	start := -1
	for i, id := range hugoIDs {
		if id == ours[0] {
			start = i
			break
		}
	}
	if start < 0 || len(hugoIDs)-start < len(ours) {
		t.Fatalf("Hugo's h2 ids %v do not contain the policy headings; ours: %v", hugoIDs, ours)
	}
	for i, h := range headings {
		if got := hugoIDs[start+i]; got != ours[i] {
			t.Errorf("heading %q: Hugo id %q, policy.AnchorIDs %q", h, got, ours[i])
		}
	}
}
