package e2e

import (
	"context"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/policysite/policysite/internal/serve"
)

// copyExample copies the example school's sources (not its theme, which is
// built in) so a test can edit them.
func copyExample(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	for _, part := range []string{"config.toml", "content", "quizzes"} {
		src := filepath.Join("..", part)
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel("..", p)
			target := filepath.Join(dst, rel)
			if d.IsDir() {
				return os.MkdirAll(target, 0o755)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(target, b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// The DSL keeps a policy open in `policysite serve` while editing it: a save
// shows up on the open page by itself, and a mistake is shown over the page
// with its file and line instead of a blank or stale page.
func TestServeLiveReload(t *testing.T) {
	ctx := tab(t)
	site := copyExample(t)
	s, err := serve.New(serve.Options{Source: site, Debounce: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer func() {
		s.Close() // ends the page's live-reload stream, so srv.Close can finish
		srv.Close()
	}()
	wctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Watch(wctx)

	if _, err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/policies/online-safety/")); err != nil {
		t.Fatal(err)
	}
	if !waitFor(ctx, `document.querySelector("h1") && document.querySelector("h1").textContent.includes("Online Safety")`, 20*time.Second) {
		t.Fatal("the preview did not show the online safety policy")
	}
	// Mark this page load: a reload replaces window, so the mark goes away.
	eval[bool](t, ctx, `window.__notReloaded = true`)
	time.Sleep(300 * time.Millisecond) // the live-reload connection opens

	path := filepath.Join(site, "content/policies/online-safety.md")
	src, _ := os.ReadFile(path)
	edited := strings.Replace(string(src), "## Aims and scope {#aims}", "## Aims and scope {#aims}\n\nA sentence added while the page was open.", 1)
	if edited == string(src) {
		t.Fatal("the example policy no longer has the heading this test edits under")
	}
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if !waitFor(ctx, `!window.__notReloaded && document.body.innerText.includes("A sentence added while the page was open.")`, 30*time.Second) {
		screenshot(t, ctx, "serve-no-reload")
		t.Fatal("after saving the policy, the open page did not reload with the new sentence")
	}

	broken := strings.Replace(edited, "A sentence added", `{{< school "dsl.fax" >}} added`, 1)
	os.WriteFile(path, []byte(broken), 0o644)
	if !waitFor(ctx, `[...document.querySelectorAll("[role=alert], pre")].some(e => e.textContent.includes("content/policies/online-safety.md") && e.textContent.includes("dsl.fax"))`, 30*time.Second) {
		screenshot(t, ctx, "serve-no-error")
		t.Fatal("after a broken save, the page did not show the error with its file and key")
	}
	screenshot(t, ctx, "serve-build-error")
}
