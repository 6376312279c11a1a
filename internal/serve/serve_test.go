package serve

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeSite(t *testing.T) string {
	t.Helper()
	site := t.TempDir()
	files := map[string]string{
		"config.toml":           "baseURL = \"/\"\ndisableKinds = [\"taxonomy\", \"term\", \"rss\"]\n[params.school]\nname = \"Serve School\"\n[params.school.dsl]\nrole = \"DSL\"\nname = \"Ms D\"\nphone = \"01632 960 000\"\n",
		"content/_index.md":     "---\ntitle: Home\n---\n",
		"content/policies/a.md": "---\ntitle: \"A Policy\"\nsummary: \"About A.\"\naudience: [parents]\nowner: dsl\nadopted: 2026-01-01\nadopted_by: \"LGB\"\nreview: 2027-06-01\nversion: \"1\"\nrelated: []\n---\n\n## First {#first}\n\nOriginal words.\n",
	}
	for rel, s := range files {
		p := filepath.Join(site, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return site
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Saving a policy rebuilds the site, the open page is told to reload, and
// the reloaded page has the new words; a broken save shows the error and
// keeps serving the last good site's files.
func TestSaveRebuildsAndTellsPagesToReload(t *testing.T) {
	site := writeSite(t)
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "api:"+r.URL.Path) })
	s, err := New(Options{Source: site, API: api, Debounce: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Watch(ctx)

	code, page := get(t, ts.URL+"/policies/a/")
	if code != 200 || !strings.Contains(page, "Original words.") {
		t.Fatalf("first build: %d %q", code, page)
	}
	if !strings.Contains(page, "/__policysite/livereload.js") {
		t.Error("preview pages do not load the live-reload script")
	}
	if _, body := get(t, ts.URL+"/api/v1/x"); body != "api:/v1/x" {
		t.Errorf("API mount: %q", body)
	}

	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/__policysite/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan string, 8)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				events <- d
			}
		}
	}()
	time.Sleep(200 * time.Millisecond) // let the watcher settle

	policy := filepath.Join(site, "content/policies/a.md")
	src, _ := os.ReadFile(policy)
	os.WriteFile(policy, []byte(strings.Replace(string(src), "Original words.", "Edited words.", 1)), 0o644)
	if ev := waitEvent(t, events); ev != "reload" {
		t.Fatalf("after a good save got event %q", ev)
	}
	if _, page := get(t, ts.URL+"/policies/a/"); !strings.Contains(page, "Edited words.") {
		t.Errorf("page after save lacks the edit")
	}

	os.WriteFile(policy, []byte(strings.Replace(string(src), "Original words.", `{{< school "nope" >}}`, 1)), 0o644)
	ev := waitEvent(t, events)
	if !strings.HasPrefix(ev, "error:") {
		t.Fatalf("after a bad save got event %q", ev)
	}
	code, page = get(t, ts.URL+"/policies/a/")
	if code != 500 || !strings.Contains(page, "content/policies/a.md") || !strings.Contains(page, "nope") {
		t.Errorf("error page: %d %q", code, page)
	}
	if code, _ := get(t, ts.URL+"/css/site.css"); code != 200 {
		t.Errorf("static files of the last good build stopped being served: %d", code)
	}
}

func waitEvent(t *testing.T, ch chan string) string {
	t.Helper()
	select {
	case ev := <-ch:
		return ev
	case <-time.After(30 * time.Second):
		t.Fatal("no live-reload event within 30 s of saving")
		return ""
	}
}

// A school whose config.toml gives its real address in a folder
// (baseURL = "https://example.org/school/") still gets a working preview:
// the page's styles and links point where the preview serves them.
func TestPreviewOfASitePublishedAtASubPath(t *testing.T) {
	site := writeSite(t)
	cfg := filepath.Join(site, "config.toml")
	src, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(src), `baseURL = "/"`, `baseURL = "https://example.org/school/"`, 1)), 0o644)
	s, err := New(Options{Source: site})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	code, page := get(t, ts.URL+"/policies/a/")
	if code != 200 || !strings.Contains(page, "Original words.") {
		t.Fatalf("preview of /policies/a/: %d %q", code, page)
	}
	for _, path := range []string{"/css/site.css", "/js/site.js", "/policies/"} {
		if !strings.Contains(page, `"`+path+`"`) {
			t.Errorf("the preview page does not link to %s", path)
		}
		if code, _ := get(t, ts.URL+path); code != 200 {
			t.Errorf("%s in the preview: %d, want 200", path, code)
		}
	}
	if strings.Contains(page, "/school/") {
		t.Error("the preview page links to /school/..., which the preview does not serve")
	}
}
