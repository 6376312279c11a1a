// Package serve is the preview server behind `policysite serve`: it builds the
// site, serves it, rebuilds when a file changes and tells open pages to reload.
package serve

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/policysite/policysite/internal/build"
)

//go:embed livereload.js
var liveReloadJS []byte

// Options for a preview server.
type Options struct {
	Source string
	// API, when set, is mounted at /api/ (the training endpoint).
	API http.Handler
	Log io.Writer
	// Debounce groups the burst of events an editor makes when it saves.
	Debounce time.Duration
	// AfterBuild runs after every successful build (the endpoint reloads
	// its quizzes then).
	AfterBuild func()
}

// Server serves the latest good build and rebuilds on change.
type Server struct {
	opt     Options
	workDir string

	mu      sync.RWMutex
	current string // folder of the latest good build
	lastErr string // message of the latest failed build, "" when good
	gen     int    // bumps on every build, good or bad

	subsMu sync.Mutex
	subs   map[chan string]struct{}
	// stop ends the open live-reload streams, which would otherwise keep
	// an HTTP server's shutdown waiting for as long as a tab is open.
	stop     chan struct{}
	stopOnce sync.Once
}

// New makes a server and runs the first build. A failing first build is not
// fatal: the page shows the error until the file is fixed.
func New(opt Options) (*Server, error) {
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	if opt.Debounce == 0 {
		opt.Debounce = 150 * time.Millisecond
	}
	src, err := filepath.Abs(opt.Source)
	if err != nil {
		return nil, err
	}
	opt.Source = src
	work, err := os.MkdirTemp("", "policysite-serve-")
	if err != nil {
		return nil, err
	}
	s := &Server{opt: opt, workDir: work, subs: map[chan string]struct{}{}, stop: make(chan struct{})}
	s.Rebuild()
	return s, nil
}

// StopEvents ends every live-reload stream; call it before shutting the
// HTTP server down.
func (s *Server) StopEvents() { s.stopOnce.Do(func() { close(s.stop) }) }

// Close ends the live-reload streams and removes the preview's files.
func (s *Server) Close() error {
	s.StopEvents()
	return os.RemoveAll(s.workDir)
}

// Rebuild builds the site once more and tells open pages about it.
func (s *Server) Rebuild() error {
	s.mu.Lock()
	s.gen++
	dest := filepath.Join(s.workDir, fmt.Sprintf("site-%d", s.gen))
	s.mu.Unlock()

	res, err := build.Site(build.Options{
		Source: s.opt.Source,
		Dest:   dest,
		// The preview is served from the root of its own address, whatever
		// config.toml's baseURL says: a school published at
		// https://example.org/school/ would otherwise get links to /school/...
		// that the preview does not have, and an unstyled page.
		BaseURL:  "/",
		NoMinify: true,
		Params:   map[string]any{"policysite_livereload": true},
		Log:      s.opt.Log,
	})
	s.mu.Lock()
	old := s.current
	if err != nil {
		s.lastErr = err.Error()
		s.mu.Unlock()
		fmt.Fprintf(s.opt.Log, "Build failed — fix this and save again:\n%s\n", err)
		s.broadcast("error:" + err.Error())
		return err
	}
	s.current, s.lastErr = dest, ""
	s.mu.Unlock()
	if s.opt.AfterBuild != nil {
		s.opt.AfterBuild()
	}
	if old != "" && old != dest {
		// Pages being served from the old folder finish first; then it goes.
		time.AfterFunc(5*time.Second, func() { os.RemoveAll(old) })
	}
	fmt.Fprintf(s.opt.Log, "Built %d pages in %s.\n", res.Pages, res.Duration.Round(time.Millisecond))
	s.broadcast("reload")
	return nil
}

// Handler serves the site, the live-reload channel and the API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	if s.opt.API != nil {
		mux.Handle("/api/", http.StripPrefix("/api", s.opt.API))
	}
	mux.HandleFunc("/__policysite/livereload.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(liveReloadJS)
	})
	mux.HandleFunc("/__policysite/events", s.events)
	mux.HandleFunc("/", s.site)
	return mux
}

func (s *Server) site(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	dir, lastErr := s.current, s.lastErr
	s.mu.RUnlock()
	w.Header().Set("Cache-Control", "no-store")
	if lastErr != "" && (dir == "" || strings.HasSuffix(r.URL.Path, "/") || strings.HasSuffix(r.URL.Path, ".html")) {
		errorPage(w, lastErr)
		return
	}
	if dir == "" {
		http.Error(w, "The site is still building.", http.StatusServiceUnavailable)
		return
	}
	http.FileServer(http.Dir(dir)).ServeHTTP(w, r)
}

// events is a Server-Sent Events stream: one line per build.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	ch := make(chan string, 4)
	s.subsMu.Lock()
	s.subs[ch] = struct{}{}
	s.subsMu.Unlock()
	defer func() {
		s.subsMu.Lock()
		delete(s.subs, ch)
		s.subsMu.Unlock()
	}()
	fmt.Fprint(w, ": connected\n\n")
	fl.Flush()
	keep := time.NewTicker(20 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.stop:
			return
		case <-keep.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case msg := <-ch:
			for _, line := range strings.Split(msg, "\n") {
				fmt.Fprintf(w, "data: %s\n", line)
			}
			fmt.Fprint(w, "\n")
		}
		fl.Flush()
	}
}

func (s *Server) broadcast(msg string) {
	s.subsMu.Lock()
	defer s.subsMu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- msg:
		default: // a stalled tab misses one message, not the server
		}
	}
}

// Watch rebuilds when anything in the site changes, until ctx ends.
func (s *Server) Watch(ctx context.Context) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("cannot watch files: %w", err)
	}
	defer w.Close()
	add := func(dir string) {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				if p != dir && strings.HasPrefix(d.Name(), ".") || d.Name() == "public" || d.Name() == "node_modules" {
					return filepath.SkipDir
				}
				w.Add(p)
			}
			return nil
		})
	}
	for _, d := range []string{"content", "layouts", "static", "quizzes", "assets", "data", "i18n"} {
		add(filepath.Join(s.opt.Source, d))
	}
	w.Add(s.opt.Source) // config.toml itself
	var timer *time.Timer
	fire := make(chan struct{}, 1)
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ignored(s.opt.Source, ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					add(ev.Name)
				}
			}
			if timer != nil {
				timer.Stop()
			}
			timer = time.AfterFunc(s.opt.Debounce, func() {
				select {
				case fire <- struct{}{}:
				default:
				}
			})
		case <-fire:
			s.Rebuild()
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			fmt.Fprintln(s.opt.Log, "watching files:", err)
		}
	}
}

// ignored skips editor swap files and our own output.
func ignored(root, name string) bool {
	base := filepath.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") || strings.HasPrefix(base, "#") {
		return true
	}
	rel, err := filepath.Rel(root, name)
	if err != nil {
		return false
	}
	top := strings.SplitN(filepath.ToSlash(rel), "/", 2)[0]
	if top == rel { // a file at the root: only the config matters
		return !strings.HasPrefix(base, "config.") && !strings.HasPrefix(base, "hugo.")
	}
	return top == "public" || top == "resources" || top == ".trainlog"
}

func errorPage(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Build failed</title>
<script src="/__policysite/livereload.js" defer></script>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
pre{white-space:pre-wrap;background:#fff4f4;border-left:6px solid #a00000;padding:1rem}</style></head>
<body><main><h1>The site could not be built</h1><p>Fix the problem below and save the file: this page updates by itself.</p>
<pre>%s</pre></main></body></html>`, htmlEscape(msg))
}

func htmlEscape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;")
	return r.Replace(s)
}

// ErrClosed is returned by callers when the server was shut down.
var ErrClosed = errors.New("server closed")
