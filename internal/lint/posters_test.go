package lint

import (
	"strings"
	"testing"
)

// check reports the posters' mistakes with the rest: errors that stop the
// build at the poster's line, and the reading-level advice as a warning.
func TestCheckPosters(t *testing.T) {
	poster := "---\ntitle: \"Our rules\"\nkey_stage: KS1\npaper: A4\n---\n\n" +
		"- :padlock: I keep my password secret.\n" +
		"- :padlok: I never share it.\n" +
		"- :camera: I always ask before I take a photo of my friends or of anyone else.\n"
	dir := site(t, map[string]string{
		"content/posters/ks1.md": poster,
		"content/posters/ks2.md": "---\ntitle: \"Rules\"\nkey_stage: KS2\npaper: A4\nrules_from: pupil-acceptable-use#ks2-rules\n---\n",
	})
	findings, err := Check(dir, Options{Now: today})
	if err != nil {
		t.Fatal(err)
	}
	wants := []want{
		{"content/posters/ks1.md:8: error", "unknown icon :padlok:"},
		{"content/posters/ks1.md:9: warning", "this rule has 15 words; a rule on a KS1 poster should have at most 12"},
		{"content/posters/ks2.md:5: error", `there is no policy "pupil-acceptable-use"`},
	}
	got := map[string]bool{}
	for _, f := range findings {
		if strings.HasPrefix(f.File, "content/posters/") {
			got[f.String()] = true
		}
	}
	for _, w := range wants {
		found := false
		for g := range got {
			if strings.HasPrefix(g, w.at+": ") && strings.Contains(g, w.phrase) {
				found = true
				delete(got, g)
			}
		}
		if !found {
			t.Errorf("want a finding %s: …%s…", w.at, w.phrase)
		}
	}
	for g := range got {
		t.Errorf("unexpected poster finding: %s", g)
	}
	if t.Failed() {
		for _, f := range findings {
			t.Logf("finding: %s", f)
		}
	}
}
