package trainlog

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable Now for report and rate-limit tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// The tests' "today": 1 March 2027, mid-morning.
var today = time.Date(2027, 3, 1, 10, 0, 0, 0, time.Local)

type fixture struct {
	t      *testing.T
	srv    *Server
	ts     *httptest.Server
	clock  *clock
	cfg    Config
	admin  string
	logs   *syncBuffer
	signer *Signer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// testRoster: ann and bob are long-serving, cat started ten days ago, dan
// started sixty days ago.
func testRoster(now time.Time) string {
	d := func(days int) string { return now.AddDate(0, 0, -days).Format("2006-01-02") }
	return "id,name,email,role,start_date\n" +
		"ann,Ann Archer,ann@school.example,Teacher,2015-09-01\n" +
		"bob,Bob Baker,bob@school.example,Teaching assistant,2018-01-08\n" +
		"cat,Cat Cole,cat@school.example,Teacher," + d(10) + "\n" +
		"dan,Dan Dale,dan@school.example,Midday supervisor," + d(60) + "\n"
}

// newFixture starts a real server (real SQLite file in a temp dir) mounted
// at /api/ the way cmd/trainlog and policysite serve mount it.
func newFixture(t *testing.T, mutate func(*Config)) *fixture {
	t.Helper()
	dir := t.TempDir()
	roster := filepath.Join(dir, "staff.csv")
	if err := os.WriteFile(roster, []byte(testRoster(today)), 0o644); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, clock: &clock{t: today}, logs: &syncBuffer{}}
	cfg := Config{
		DataDir:    filepath.Join(dir, "data"),
		QuizDir:    "testdata/site/quizzes",
		ContentDir: "testdata/site/content",
		RosterFile: roster,
		RateLimit:  -1,
		Now:        f.clock.Now,
		Logger:     slog.New(slog.NewTextHandler(f.logs, nil)),
		Notice:     func(string) {},
	}
	if mutate != nil {
		mutate(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	f.srv, f.cfg = srv, cfg
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", srv.Handler()))
	f.ts = httptest.NewServer(mux)
	t.Cleanup(f.ts.Close)
	if cfg.AdminToken != "" {
		f.admin = cfg.AdminToken
	} else {
		b, err := os.ReadFile(filepath.Join(cfg.DataDir, "admin-token"))
		if err != nil {
			t.Fatal(err)
		}
		f.admin = strings.TrimSpace(string(b))
	}
	f.signer, _, err = OpenSigner(cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) token(id string) string { return f.signer.Token(id) }

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

func (r response) errorText(t *testing.T) string {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error answer has Content-Type %q, want JSON", ct)
	}
	s, _ := r.json(t)["error"].(string)
	if s == "" {
		t.Errorf("error answer has no error text: %s", r.body)
	}
	return s
}

func (f *fixture) do(method, path string, body string, headers ...string) response {
	f.t.Helper()
	req, err := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := f.ts.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// submit posts a completion; answers is raw JSON.
func (f *fixture) submit(attempt, quiz, answers, token string) response {
	f.t.Helper()
	body, _ := json.Marshal(map[string]any{"attempt_id": attempt, "quiz": quiz, "answers": json.RawMessage(answers), "token": token,
		"started_at": "2027-03-01T09:40:00Z", "finished_at": "2027-03-01T09:52:00Z"})
	return f.do("POST", "/api/v1/completions", string(body))
}

const (
	allRight   = `[[1],[0,2],[1],[1]]`
	threeRight = `[[1],[0,2],[1],[0]]`
	oneRight   = `[[1],[0],[0],[0]]`
)
