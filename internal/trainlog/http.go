package trainlog

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) *apiError {
	return &apiError{status: status, msg: fmt.Sprintf(format, args...)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":"the server could not write its answer"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

func writeError(w http.ResponseWriter, e *apiError) {
	if rec, ok := w.(*statusRecorder); ok {
		rec.reason = e.msg // for the request log; messages never quote a token
	}
	writeJSON(w, e.status, map[string]string{"error": e.msg})
}

// routes builds the handler. Method-less patterns catch the wrong methods
// so every answer, even a 405, is JSON that says what to do.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/completions", s.handleCompletion)
	mux.HandleFunc("POST /v1/whoami", s.handleWhoami)
	mux.HandleFunc("GET /v1/report", s.requireAdmin(s.handleReport))
	mux.HandleFunc("GET /v1/completions.csv", s.requireAdmin(s.handleCSV))
	mux.HandleFunc("GET /v1/certificates/{code}", s.handleCertificate)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /report", serveAsset("report.html"))
	mux.HandleFunc("GET /report.js", serveAsset("report.js"))
	mux.HandleFunc("GET /report.css", serveAsset("report.css"))
	for path, allow := range map[string]string{
		"/v1/completions": "POST", "/v1/whoami": "POST", "/v1/report": "GET", "/v1/completions.csv": "GET",
		"/v1/certificates/{code}": "GET", "/healthz": "GET", "/report": "GET",
	} {
		mux.HandleFunc(path, methodNotAllowed(allow))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errorf(http.StatusNotFound, "there is nothing at %s: the API has /v1/completions, /v1/whoami, /v1/report, /v1/completions.csv, /v1/certificates/CODE, /healthz and the page /report", r.URL.Path))
	})

	var h http.Handler = mux
	h = s.rateLimit(h)
	h = s.cors(h)
	h = securityHeaders(h)
	h = s.logRequests(h)
	return h
}

func methodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow+", OPTIONS")
		writeError(w, errorf(http.StatusMethodNotAllowed, "%s does not accept %s: use %s", r.URL.Path, r.Method, allow))
	}
}

// The header values are shared, read-only slices: set on every response,
// building them per request showed up in profiles.
var securityHeaderValues = map[string][]string{
	"Content-Security-Policy": {"default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"},
	"X-Content-Type-Options":  {"nosniff"},
	"Referrer-Policy":         {"no-referrer"},
	"X-Frame-Options":         {"DENY"},
	// Answers carry names and scores: keep them out of shared caches.
	"Cache-Control": {"no-store"},
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range securityHeaderValues {
			h[k] = v
		}
		next.ServeHTTP(w, r)
	})
}

// cors lets only the configured site origin call the API from a browser.
func (s *Server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		allowed := origin != "" && s.cfg.AllowOrigin != "" && origin == s.cfg.AllowOrigin
		if origin != "" {
			w.Header().Add("Vary", "Origin")
		}
		if allowed {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Expose-Headers", "Retry-After")
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			if !allowed {
				writeError(w, errorf(http.StatusForbidden, "the origin %q may not call this API from a browser: start trainlog with --allow-origin set to the site's address", origin))
				return
			}
			h := w.Header()
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Content-Type, Authorization")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	reason string // the error sent, if any
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// logRequests logs method, path, status, duration and, for a refusal, the
// error message sent: never the query string, headers or body, which carry
// tokens and answers. It also turns a panic into a 500 so no input can
// take the server down.
func (s *Server) logRequests(next http.Handler) http.Handler {
	log := s.cfg.Logger
	logAll := log.Enabled(context.Background(), slog.LevelInfo)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		// The path as the client asked for it (/api/v1/completions), not as
		// left after the mount point was stripped; never the query string.
		path := r.URL.Path
		if p, _, _ := strings.Cut(r.RequestURI, "?"); strings.HasPrefix(p, "/") {
			path = p
		}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("handler panic", "method", r.Method, "path", path, "panic", fmt.Sprint(v))
				if rec.status == 0 {
					writeError(rec, errorf(http.StatusInternalServerError, "the server hit an internal error; nothing was recorded, so try again"))
				}
			}
			if !logAll {
				return
			}
			if rec.reason != "" {
				// Why a request was refused, so whoever reads the log can
				// answer "the page says my completion was not recorded".
				log.LogAttrs(r.Context(), slog.LevelInfo, "request",
					slog.String("method", r.Method), slog.String("path", path),
					slog.Int("status", rec.status), slog.Duration("duration", time.Since(start)),
					slog.String("error", rec.reason))
				return
			}
			log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method), slog.String("path", path),
				slog.Int("status", rec.status), slog.Duration("duration", time.Since(start)))
		}()
		next.ServeHTTP(rec, r)
	})
}

func (s *Server) requireAdmin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		token, found := strings.CutPrefix(auth, "Bearer ")
		if !found || !s.admin.ok(strings.TrimSpace(token)) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="trainlog"`)
			// Say which token this trainlog uses: with TRAINLOG_ADMIN_TOKEN
			// set, the admin-token file (perhaps left by an earlier run)
			// does not open the report.
			where := "the token from the file admin-token in trainlog's data folder"
			if s.cfg.AdminToken != "" {
				where = "the token trainlog was started with in TRAINLOG_ADMIN_TOKEN (the admin-token file is not used while that is set)"
			}
			msg := "this needs the admin token: send the header Authorization: Bearer TOKEN, with " + where
			if found {
				msg = "the admin token is wrong: use " + where
			}
			writeError(w, errorf(http.StatusUnauthorized, "%s", msg))
			return
		}
		next(w, r)
	}
}

// limiter is a token bucket per client address.
type limiter struct {
	rate  float64
	burst float64
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst int, now func() time.Time) *limiter {
	return &limiter{rate: rate, burst: float64(burst), now: now, buckets: map[string]*bucket{}}
}

// allow takes a token for key, or says how long until one is free.
func (l *limiter) allow(key string) (ok bool, retryAfter time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) > time.Minute {
		// Drop buckets that have refilled: they hold no state worth keeping,
		// and this bounds memory however many addresses appear.
		for k, b := range l.buckets {
			if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

func (s *Server) rateLimit(next http.Handler) http.Handler {
	if s.cfg.RateLimit < 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		if s.cfg.TrustProxy {
			if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
				// The last entry is the one our own proxy added; earlier
				// ones come from the client and could be anything.
				host = strings.TrimSpace(xff[strings.LastIndexByte(xff, ',')+1:])
			}
		}
		if ok, wait := s.limiter.allow(host); !ok {
			secs := int(math.Ceil(wait.Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			writeError(w, errorf(http.StatusTooManyRequests, "too many requests from this address: wait %d second(s) and try again", secs))
			return
		}
		next.ServeHTTP(w, r)
	})
}
