// Package trainlog records staff training completions: it grades quiz
// submissions with the same quiz files as the site, stores them durably,
// and reports who is trained, on which policy version, and who is overdue.
//
// The HTTP handler serves paths relative to where it is mounted; both
// cmd/trainlog and `policysite serve` mount it at /api/ with
// http.StripPrefix("/api", h). It must not import Hugo, so the trainlog
// binary stays small.
//
// # API (paths as mounted at /api)
//
// Every answer is JSON except the CSV and the report page; every refusal is
// {"error": "what is wrong and what to do"}.
//
// POST /api/v1/completions, Content-Type: application/json (else 415):
//
//	{"attempt_id": "…", "quiz": "online-safety", "answers": [[1], [0, 2], …],
//	 "token": "…", "started_at": "2026-09-14T09:30:00Z", "finished_at": "…"}
//
// attempt_id is made by the page, 8–100 characters of [A-Za-z0-9._:-], and
// kept with a queued completion so a resend is recognised. A time-ordered id
// (Date.now().toString(36) + "-" + crypto.randomUUID()) is kinder to the
// database than a bare random UUID, but both work. answers holds, per
// question in file order, the chosen choice indices in file order, whatever
// order they were shown in; [] for an acknowledgement. started_at and
// finished_at are optional RFC 3339 times. In open mode (--open-domain),
// "name" and "email" may replace "token".
//
//	201 {"id", "quiz", "policy_version", "score", "correct", "total", "passed",
//	     "certificate" (only when passed), "name", "date" (YYYY-MM-DD)}
//	200 the same body, for an attempt_id already stored: nothing new is stored
//	400 malformed JSON, an unknown field, a missing or bad attempt_id/quiz/answers/time
//	401 no token, a forged or cut-short token, someone no longer on the roster
//	404 unknown quiz       409 attempt_id already used by someone else or for another quiz
//	413 body over 64 KiB   422 wrong number of answers, an index out of range
//	429 rate limit (Retry-After says when to retry)
//	503 could not be saved: nothing recorded, send it again (same attempt_id)
//
// A 2xx is sent only once the record is on disk. The page should keep a
// completion until it gets a 2xx (or a 4xx other than 429, which resending
// will not fix) and resend otherwise.
//
// POST /api/v1/whoami {"token": "…"} → 200 {"staff_id", "name", "role"}, or
// 401: lets the quiz page greet the person its link was made for.
//
// GET /api/v1/certificates/{code} (public) → 200 {"certificate", "valid",
// "name", "quiz", "quiz_title", "policy_version", "date", "valid_until",
// "score"}, or 404. Codes are 10 Crockford base32 characters; lower case,
// hyphens and the look-alikes O, I, L are accepted.
//
// Admin, with Authorization: Bearer ADMIN_TOKEN (else 401):
// GET /api/v1/report (see Report and BuildReport) and GET
// /api/v1/completions.csv (every completion; UTF-8 with a byte-order mark;
// cells starting with = + - @ tab or CR are prefixed with ').
//
// GET /api/report is the DSL's report page; GET /api/healthz (and /healthz in
// cmd/trainlog) answers {"ok": true, "quizzes": N, "staff": N}.
//
// CORS is answered only for Config.AllowOrigin. Responses carry a CSP of
// default-src 'self' with frame-ancestors 'none', nosniff, no-referrer and
// no-store. Requests are logged as method, path, status and duration only.
package trainlog

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/policysite/policysite/internal/quiz"
	"github.com/policysite/policysite/internal/school"
	"github.com/policysite/policysite/internal/store"
	"github.com/policysite/policysite/internal/store/postgres"
	"github.com/policysite/policysite/internal/store/sqlite"
)

// Config says where trainlog finds its inputs and keeps its data. Zero
// values get the defaults noted on each field.
type Config struct {
	DataDir     string // trainlog.db, hmac.key, admin-token; default ".trainlog"
	QuizDir     string // *.toml quiz files; default "quizzes"
	ContentDir  string // the site's content; policy versions come from ContentDir/policies; default "content"
	RosterFile  string // staff CSV; default DataDir/staff.csv
	PostgresURL string // when set, completions go to Postgres instead of DataDir/trainlog.db

	AllowOrigin string // the site's origin (https://school.example) allowed to call the API from a browser; empty: same origin only
	OpenDomain  string // when set, accept name + e-mail in this domain instead of a personal token

	// AdminToken overrides DataDir/admin-token (cmd/trainlog passes
	// TRAINLOG_ADMIN_TOKEN here).
	AdminToken string

	RateLimit float64 // requests per second per client address; default 20; negative turns the limit off
	RateBurst int     // requests a client may make at once; default 100
	// TrustProxy makes the rate limit use the last address in
	// X-Forwarded-For, as set by a reverse proxy in front of trainlog.
	// Without a proxy, leave it off: clients could then pick their address.
	TrustProxy bool

	// GraceDays is how long a new starter has, from their start date, before
	// a quiz they have never passed shows as "never" (overdue). Default 28.
	GraceDays int
	// DueSoonDays is how far ahead a due date makes a row "due". Default 30.
	DueSoonDays int

	Now    func() time.Time // default time.Now; tests fix the clock
	Logger *slog.Logger     // default slog.Default()
	// Notice receives messages a person setting up trainlog must see, such
	// as where a new admin token was written. Default: Logger at Warn.
	Notice func(msg string)

	// SQLite tunes the embedded store (tests and benchmarks).
	SQLite sqlite.Options
}

func (c *Config) defaults() {
	if c.DataDir == "" {
		c.DataDir = ".trainlog"
	}
	if c.QuizDir == "" {
		c.QuizDir = "quizzes"
	}
	if c.ContentDir == "" {
		c.ContentDir = "content"
	}
	if c.RosterFile == "" {
		c.RosterFile = filepath.Join(c.DataDir, "staff.csv")
	}
	if c.RateLimit == 0 {
		c.RateLimit = 20
	}
	if c.RateBurst <= 0 {
		c.RateBurst = 100
	}
	if c.GraceDays <= 0 {
		c.GraceDays = 28
	}
	if c.DueSoonDays <= 0 {
		c.DueSoonDays = 30
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Notice == nil {
		log := c.Logger
		c.Notice = func(msg string) { log.Warn(msg) }
	}
	c.AllowOrigin = strings.TrimSuffix(c.AllowOrigin, "/")
	// A browser's Origin header is scheme://host[:port] only, so a site
	// address with a path (https://example.org/school/, a site published
	// in a folder) is cut to its origin; otherwise it would never match.
	if u, err := url.Parse(c.AllowOrigin); err == nil && u.Scheme != "" && u.Host != "" {
		c.AllowOrigin = strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
	}
	c.OpenDomain = strings.ToLower(strings.TrimPrefix(c.OpenDomain, "@"))
}

// Server is the trainlog endpoint.
type Server struct {
	cfg     Config
	store   store.Store
	signer  *Signer
	admin   adminCheck
	limiter *limiter
	state   atomic.Pointer[state]
	handler http.Handler

	tokens     sync.Map // personal token -> staff id, for tokens already verified
	tokenCount atomic.Int64
}

// state is everything read from files; Reload swaps it whole so a request
// never sees a quiz from one load and a roster from another.
type state struct {
	quizzes  map[string]*quiz.Quiz
	order    []*quiz.Quiz
	versions policyIndex
	adopted  adoptedDates
	roster   *Roster
}

// LoadError lists every problem in the input files that stops trainlog.
type LoadError struct{ Problems []Problem }

func (e *LoadError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s) in the quiz, policy or roster files; fix them and try again:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.Where() + ": " + p.Message) // all stop trainlog: no "error:" on each
	}
	return b.String()
}

// New reads the quizzes, policies and roster, opens the store and makes the
// secrets on first run. Close the server to flush and close the store.
func New(cfg Config) (*Server, error) {
	cfg.defaults()
	st, err := load(cfg)
	if err != nil {
		return nil, err
	}
	if err := checkDataDir(cfg.DataDir); err != nil {
		return nil, err
	}
	key, created, err := loadKey(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if created {
		cfg.Notice(fmt.Sprintf("made a new signing key for personal links in %s: back it up with the data; if it is lost every invite link must be sent again",
			filepath.Join(cfg.DataDir, keyFile)))
	}
	s := &Server{cfg: cfg, signer: NewSigner(key)}
	if cfg.AdminToken != "" {
		s.admin = newAdminCheck(cfg.AdminToken)
		if len(cfg.AdminToken) < 16 {
			cfg.Logger.Warn("the admin token in TRAINLOG_ADMIN_TOKEN is short enough to guess, and it opens every staff member's training record: use at least 16 random characters (for example from: openssl rand -base64 24), or unset it to use the admin-token file made in the data folder",
				"length", len(cfg.AdminToken))
		}
	} else {
		tok, created, err := loadAdminToken(cfg.DataDir)
		if err != nil {
			return nil, err
		}
		if created {
			cfg.Notice(fmt.Sprintf("made the admin token for the training report; it is kept in %s (open that file to copy it, and keep it private)",
				filepath.Join(cfg.DataDir, adminTokenFile)))
		}
		s.admin = newAdminCheck(tok)
	}
	for _, name := range []string{keyFile, adminTokenFile, "trainlog.db"} {
		warnIfShared(cfg.Logger, filepath.Join(cfg.DataDir, name))
	}
	certs := store.NewCertificates(key)
	if cfg.PostgresURL != "" {
		s.store, err = postgres.Open(context.Background(), cfg.PostgresURL, postgres.Options{Certificates: certs})
	} else {
		opt := cfg.SQLite
		opt.Certificates = certs
		if opt.Logger == nil {
			opt.Logger = cfg.Logger
		}
		s.store, err = sqlite.Open(filepath.Join(cfg.DataDir, "trainlog.db"), opt)
	}
	if err != nil {
		return nil, fmt.Errorf("open the completion store: %w", err)
	}
	s.state.Store(st)
	s.limiter = newLimiter(cfg.RateLimit, cfg.RateBurst, cfg.Now)
	s.handler = s.routes()
	return s, nil
}

// quizProblems are quiz.Problems as trainlog reports them (errors, all).
// Until internal/quiz reports school.Findings itself.
func quizProblems(ps []quiz.Problem) []Problem {
	out := make([]Problem, len(ps))
	for i, p := range ps {
		out[i] = Problem{File: p.File, Line: p.Line, Severity: school.Error, Message: p.Message}
	}
	return out
}

func load(cfg Config) (*state, error) {
	var problems []Problem
	versions, adopted, ps := loadPolicies(cfg.ContentDir)
	problems = append(problems, ps...)
	quizzes, qps := quiz.LoadDir(cfg.QuizDir)
	problems = append(problems, quizProblems(qps)...)
	st := &state{quizzes: map[string]*quiz.Quiz{}, versions: versions, adopted: adopted}
	for _, q := range quizzes {
		if versions != nil {
			problems = append(problems, quizProblems(q.Validate(versions))...)
			if v, ok := versions[q.Policy]; ok && v == "" {
				problems = append(problems, Problem{File: q.File, Line: 0, Message: fmt.Sprintf(
					"policy %q has no version: add version: \"1.0\" to the front matter of its file in %s, because every completion records the version it covers",
					q.Policy, filepath.Join(cfg.ContentDir, "policies"))})
			}
		}
		st.quizzes[q.ID] = q
		st.order = append(st.order, q)
	}
	if len(quizzes) == 0 && len(problems) == 0 {
		problems = append(problems, Problem{File: cfg.QuizDir, Message: "there are no quiz files (*.toml) in this folder: pass --quizzes with the site's quizzes folder"})
	}
	roster, ps := LoadRoster(cfg.RosterFile)
	problems = append(problems, ps...)
	st.roster = roster
	if len(problems) > 0 {
		return nil, &LoadError{Problems: problems}
	}
	return st, nil
}

// Reload reads the quizzes, policies and roster again. On any problem the
// server keeps what it had and the error lists the problems.
func (s *Server) Reload() error {
	st, err := load(s.cfg)
	if err != nil {
		return err
	}
	s.state.Store(st)
	return nil
}

// Loaded says how many quizzes and staff the server is using now.
func (s *Server) Loaded() (quizzes, staff int) {
	st := s.state.Load()
	return len(st.order), len(st.roster.Staff)
}

// Handler serves the API at paths relative to its mount point.
func (s *Server) Handler() http.Handler { return s.handler }

// Close waits for pending writes to reach the disk and closes the store.
func (s *Server) Close() error {
	return s.store.Close()
}

// OpenSigner returns the signer of personal links kept in dataDir, making
// its key on first use (created is then true). `trainlog invite` and
// `trainlog token` use it without opening the store.
func OpenSigner(dataDir string) (signer *Signer, created bool, err error) {
	if dataDir == "" {
		dataDir = ".trainlog"
	}
	key, created, err := loadKey(dataDir)
	if err != nil {
		return nil, false, err
	}
	return NewSigner(key), created, nil
}
