package build

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var quizData = regexp.MustCompile(`(?s)<script[^>]*id=["']?quiz-data["']?[^>]*>(.*?)</script>`)

// quiz.js sends completions to the quiz JSON's "api". A path in
// trainlog_url is a path of the site, so a site published in a folder
// (https://example.org/school/) sends to /school/api; an absolute URL (a
// trainlog on its own host) and a path already in the folder stay as written.
func TestQuizEndpointFollowsTheSiteFolder(t *testing.T) {
	training, err := filepath.Abs("../../content/staff/training")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		baseURL, trainlogURL, want string
	}{
		{"/", "", "/api"},
		{"/", "/api/", "/api"},
		{"https://example.org/school/", "", "/school/api"},
		{"https://example.org/school/", "/api", "/school/api"},
		{"https://example.org/school/", "api", "/school/api"},
		{"https://example.org/school/", "/school/api", "/school/api"},
		{"https://example.org/school/", "https://training.example.org/api/", "https://training.example.org/api"},
	}
	for _, tt := range tests {
		site := copyDir(t, "testdata/site")
		dir := filepath.Join(site, "content/staff/training")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"_content.gotmpl", "_index.md"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(read(t, filepath.Join(training, name))), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.MkdirAll(filepath.Join(site, "quizzes"), 0o755); err != nil {
			t.Fatal(err)
		}
		quiz := "title = \"Alpha acknowledgement\"\npolicy = \"alpha\"\nvalid_for_days = 365\nacknowledge = true\nintro = \"Read it.\"\n"
		if err := os.WriteFile(filepath.Join(site, "quizzes/alpha-ack.toml"), []byte(quiz), 0o644); err != nil {
			t.Fatal(err)
		}
		if tt.trainlogURL != "" {
			cfg := filepath.Join(site, "config.toml")
			src := read(t, cfg)
			with := strings.Replace(src, "[params]\n", "[params]\n  trainlog_url = \""+tt.trainlogURL+"\"\n", 1)
			if with == src {
				t.Fatal("the fixture config.toml has no [params] table")
			}
			if err := os.WriteFile(cfg, []byte(with), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		dest := filepath.Join(t.TempDir(), "public")
		if _, err := Site(Options{Source: site, Dest: dest, BaseURL: tt.baseURL}); err != nil {
			t.Fatalf("baseURL %s, trainlog_url %q: build failed: %v", tt.baseURL, tt.trainlogURL, err)
		}
		m := quizData.FindStringSubmatch(read(t, filepath.Join(dest, "staff/training/alpha-ack/index.html")))
		if m == nil {
			t.Fatal("the quiz page has no #quiz-data")
		}
		var data struct{ API string }
		if err := json.Unmarshal([]byte(m[1]), &data); err != nil {
			t.Fatalf("#quiz-data is not JSON: %v\n%.300s", err, m[1])
		}
		if data.API != tt.want {
			t.Errorf("baseURL %s, trainlog_url %q: quiz.js would send to %q, want %q", tt.baseURL, tt.trainlogURL, data.API, tt.want)
		}
	}
}
