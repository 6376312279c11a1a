package e2e

// The harness: TestMain builds the example school at the repository root once,
// serves it on a loopback test server and starts one headless Chromium. Each
// test opens its own tab with tab(t) or open(t, path).
//
// Hooks for later tests:
//   - siteHandler wraps the handler that serves the built site. Set it from an
//     init func in another _test.go file to mount more handlers, for example
//     the training endpoint at /api (see the comment on siteHandler).
//   - siteDir is the folder the example school was built into, siteURL the
//     address it is served at. Files a hook writes beside siteDir (in
//     filepath.Dir(siteDir)) are removed after the run.
//   - atExit registers a func to run after the last test.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/policysite/policysite/internal/build"
)

// siteHandler, when not nil, wraps the handler that serves the built site, and
// the test server serves what it returns. Set it before TestMain runs, from an
// init func in another _test.go file of this package:
//
//	func init() {
//		siteHandler = func(site http.Handler) http.Handler {
//			mux := http.NewServeMux()
//			mux.Handle("/api/", trainlogHandler)
//			mux.Handle("/", site)
//			return mux
//		}
//	}
var siteHandler func(site http.Handler) http.Handler

var (
	// siteDir is the folder the example school was built into.
	siteDir string
	// siteURL is the test server's address, without a trailing slash.
	siteURL string
	// browserCtx is the chromedp context of the one browser; tabs derive
	// from it.
	browserCtx context.Context
	// setupErr is why the site or the browser could not be set up. Every
	// test that needs them fails with it, so the reason shows once per test.
	setupErr error
	// setupReported is set once a test has shown setupErr in full.
	setupReported atomic.Bool
)

// tabTimeout bounds everything one test does in its tab. The machine is
// small and shared, so it is generous; a test that hits it is stuck.
const tabTimeout = 60 * time.Second

// axeTags are the axe-core rule tags the site must pass: WCAG 2.0, 2.1 and
// 2.2 at levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "policysite-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	stop, err := setUp(tmp)
	defer stop()
	if err != nil {
		setupErr = err
		fmt.Fprintf(os.Stderr, "e2e: SETUP FAILED, every browser test will fail:\n%v\n", err)
	}
	code := m.Run()
	for i := len(exitFuncs) - 1; i >= 0; i-- {
		exitFuncs[i]()
	}
	return code
}

var exitFuncs []func()

// atExit registers f to run once every test has finished, before the
// server and the browser stop and the temporary folder (siteDir's parent)
// is removed: closing a database a siteHandler opened, say. The last
// registered runs first.
func atExit(f func()) { exitFuncs = append(exitFuncs, f) }

// setUp builds the site, starts the server and the browser. The returned
// func stops whatever was started, also when err is not nil.
func setUp(tmp string) (stop func(), err error) {
	var stops []func()
	stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}

	// 1. The example school, built once, minified as it is published.
	siteDir = filepath.Join(tmp, "public")
	start := time.Now()
	res, err := build.Site(build.Options{Source: "..", Dest: siteDir, NoMinify: false, Log: os.Stderr})
	if err != nil {
		return stop, fmt.Errorf("building the example school at the repository root failed:\n%w", err)
	}
	fmt.Fprintf(os.Stderr, "e2e: built the example school (%d pages) in %s\n", res.Pages, time.Since(start).Round(time.Millisecond))

	// 2. The server.
	var h http.Handler = http.FileServer(http.Dir(siteDir))
	if siteHandler != nil {
		h = siteHandler(h)
	}
	srv := httptest.NewServer(h)
	stops = append(stops, srv.Close)
	siteURL = srv.URL

	// 3. The browser.
	execPath := os.Getenv("CHROMIUM")
	if execPath == "" {
		execPath = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(execPath); err != nil {
		return stop, fmt.Errorf("no Chromium at %s: %v\n"+
			"The browser tests need Debian's chromium. Install it with `make setup` (runs scripts/setup),\n"+
			"or `apt-get install -y chromium`, or point CHROMIUM at a Chromium or Chrome binary.", execPath, err)
	}
	profile := filepath.Join(tmp, "chromium-profile")
	var out syncBuffer
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(&out),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	stops = append(stops, cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	stops = append(stops, cancelBrowser)
	if err := chromedp.Do(bctx); err != nil { // starts the browser, with no timeout on it
		return stop, fmt.Errorf("starting %s failed: %v\nits output:\n%s", execPath, err, tail(out.String(), 2000))
	}
	browserCtx = bctx
	return stop, nil
}

// tab opens a new browser tab for t, with a timeout on everything t does in
// it. When t fails, the tab's page is saved as a screenshot.
func tab(t *testing.T) context.Context {
	t.Helper()
	if setupErr != nil {
		if setupReported.Swap(true) {
			t.Fatal("e2e setup failed: see the first failing test, or the start of the output")
		}
		t.Fatalf("e2e setup failed: %v", setupErr)
	}
	tabCtx, cancelTab := chromedp.NewContext(browserCtx)
	t.Cleanup(cancelTab)
	// Open the tab with no timeout, so the tab outlives ctx's deadline and
	// the failure screenshot below can still be taken.
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("opening a browser tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, tabTimeout)
	t.Cleanup(cancel)
	t.Cleanup(func() { // runs before the two above
		if t.Failed() {
			sctx, cancel := context.WithTimeout(tabCtx, 10*time.Second)
			defer cancel()
			screenshot(t, sctx, "FAILED")
		}
	})
	return ctx
}

// open opens a new tab on path ("/policies/", say) of the example school.
func open(t *testing.T, path string) context.Context {
	t.Helper()
	ctx := tab(t)
	navigate(t, ctx, path)
	return ctx
}

// navigate loads path in the tab and fails unless it answered 200.
func navigate(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(siteURL+path))
	if err != nil {
		t.Fatalf("loading %s: %v", path, err)
	}
	if resp == nil {
		t.Fatalf("loading %s: the browser got no response", path)
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("%s answered HTTP %d %s, want 200: the site has no such page (yet?)", path, resp.Status, resp.StatusText)
	}
}

// clickAndLoad clicks the element that selector matches and waits for the page
// it links to, which must answer 200. what names the element for messages.
func clickAndLoad(t *testing.T, ctx context.Context, selector, what string) {
	t.Helper()
	from := here(ctx)
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(cctx, chromedp.Click(chromedp.CSS(selector)))
	switch {
	case err != nil:
		t.Fatalf("on %s, clicking %s: no page loaded: %v", from, what, err)
	case resp != nil && resp.Status != http.StatusOK:
		t.Fatalf("on %s, clicking %s: %s answered HTTP %d, want 200", from, what, strings.TrimPrefix(resp.URL, siteURL), resp.Status)
	}
}

// request is one request a page made, and how it ended.
type request struct {
	URL    string
	Status int64  // HTTP status, 0 if no response came
	Failed string // why it failed, if it did
}

func (r request) String() string {
	var why []string
	if r.Status != 0 {
		why = append(why, fmt.Sprintf("HTTP %d", r.Status))
	}
	if r.Failed != "" {
		why = append(why, "failed: "+r.Failed)
	}
	if len(why) == 0 {
		why = append(why, "no answer yet")
	}
	return strings.TrimPrefix(r.URL, siteURL) + " (" + strings.Join(why, ", ") + ")"
}

// recordRequests records every request the tab makes from now on, whether or
// not it succeeds, until stop is called.
func recordRequests(t *testing.T, ctx context.Context) (stop func() []request) {
	t.Helper()
	lctx, cancel := context.WithCancel(ctx)
	var (
		mu    sync.Mutex
		order []network.RequestID
		reqs  = map[network.RequestID]*request{}
	)
	err := chromedp.Listen(lctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if reqs[ev.RequestID] == nil {
				order = append(order, ev.RequestID)
			}
			reqs[ev.RequestID] = &request{URL: ev.Request.URL} // a redirect starts over
		case *network.EventResponseReceived:
			if r := reqs[ev.RequestID]; r != nil {
				r.Status = ev.Response.Status
			}
		case *network.EventLoadingFailed:
			if r := reqs[ev.RequestID]; r != nil {
				r.Failed = ev.ErrorText
			}
		}
	})
	if err != nil {
		cancel()
		t.Fatalf("listening to the tab's requests: %v", err)
	}
	return func() []request {
		cancel()
		mu.Lock()
		defer mu.Unlock()
		out := make([]request, 0, len(order))
		for _, id := range order {
			out = append(out, *reqs[id])
		}
		return out
	}
}

// eval runs a JavaScript expression in the tab's page and decodes its value.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("on %s, evaluating %s: %v", here(ctx), short(js, 300), err)
	}
	return v
}

// waitFor polls the JavaScript expression js until it is true, for at most d.
// It goes on through errors such as a navigation destroying the page's
// context. It reports whether js became true.
func waitFor(ctx context.Context, js string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return true
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// here is the path and fragment of the tab's page, for messages.
func here(ctx context.Context) string {
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown page)"
	}
	return strings.TrimPrefix(loc, siteURL)
}

// --- axe-core ----------------------------------------------------------------

var axeSource = sync.OnceValues(func() ([]byte, error) {
	return os.ReadFile(filepath.Join("node_modules", "axe-core", "axe.min.js"))
})

type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target         []any  `json:"target"`
		HTML           string `json:"html"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axe runs axe-core's WCAG 2.x A and AA rules on the tab's page and fails t,
// listing every violation, unless there are none.
func axe(t *testing.T, ctx context.Context) {
	t.Helper()
	src, err := axeSource()
	if errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("axe-core is not installed (%v).\nRun `make setup`, or `npm ci --prefix e2e`, from the repository root.", err)
	} else if err != nil {
		t.Fatalf("reading axe-core: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
		t.Fatalf("on %s, injecting axe-core: %v", here(ctx), err)
	}
	tags, _ := json.Marshal(axeTags)
	raw := eval[[]byte](t, ctx, `axe.run(document, {runOnly: {type: "tag", values: `+string(tags)+`}, resultTypes: ["violations"]})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary}))})))`)
	var vs []axeViolation
	if err := json.Unmarshal(raw, &vs); err != nil {
		t.Fatalf("on %s, reading axe-core's result: %v\n%s", here(ctx), err, short(string(raw), 500))
	}
	if len(vs) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "axe-core found %d WCAG 2.2 AA violation(s) on %s, want none:\n", len(vs), here(ctx))
	for _, v := range vs {
		fmt.Fprintf(&b, "\n  %s (%s): %s\n    %s\n", v.ID, v.Impact, v.Help, v.HelpURL)
		for i, n := range v.Nodes {
			if i == 8 {
				fmt.Fprintf(&b, "    … and %d more elements\n", len(v.Nodes)-i)
				break
			}
			fmt.Fprintf(&b, "    - %s   %s\n", targetString(n.Target), short(n.HTML, 140))
			if n.FailureSummary != "" {
				fmt.Fprintf(&b, "        %s\n", strings.ReplaceAll(short(n.FailureSummary, 400), "\n", "\n        "))
			}
		}
	}
	t.Error(b.String())
}

// targetString writes an axe node target (a list of selectors, one per
// frame or shadow root, each a string or a list) as one selector.
func targetString(target []any) string {
	parts := make([]string, 0, len(target))
	for _, p := range target {
		parts = append(parts, fmt.Sprint(p))
	}
	return strings.Join(parts, " >>> ")
}

// --- screenshots -------------------------------------------------------------

var (
	shotsOnce sync.Once
	shotsDir  string
	shotsErr  error
)

// screenshot saves a full-page PNG of the tab as NAME.png in $E2E_SCREENSHOTS,
// or else in a temporary folder that is kept after the run, and logs where.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	shotsOnce.Do(func() {
		shotsDir = os.Getenv("E2E_SCREENSHOTS")
		if shotsDir == "" {
			shotsDir, shotsErr = os.MkdirTemp("", "policysite-e2e-screenshots-")
			return
		}
		shotsErr = os.MkdirAll(shotsDir, 0o755)
	})
	if shotsErr != nil {
		t.Logf("no screenshot: %v", shotsErr)
		return
	}
	// A screenshot taken while the tab is navigating waits for a frame that
	// never comes; bound it so such a mistake costs seconds, not the tab's
	// whole timeout.
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("no screenshot of %s: %v", name, err)
		return
	}
	file := filepath.Join(shotsDir, safeName(t.Name()+"-"+name)+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	t.Logf("screenshot of %s: %s", here(ctx), file)
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func safeName(s string) string { return strings.Trim(unsafeChars.ReplaceAllString(s, "_"), "_") }

// --- small helpers -----------------------------------------------------------

func short(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// syncBuffer collects the browser's output, which it writes from another
// goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
