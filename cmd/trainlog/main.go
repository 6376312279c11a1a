// Command trainlog records staff training completions for policysite.
//
// Run `trainlog help` for the commands and flags. Build the release binary
// (about 18 MB; it must stay under 20 MB and free of Hugo) with
//
//	go build -trimpath -ldflags="-s -w" ./cmd/trainlog
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/policysite/policysite/internal/cli"
	"github.com/policysite/policysite/internal/trainlog"
)

const usageCommands = `trainlog records staff training completions for a policysite school site.

Usage:
  trainlog [serve] [flags]          run the endpoint (the default command)
  trainlog invite [flags]           print a personal training link for everyone on the roster (CSV)
  trainlog token [flags] ID         print the personal token of one roster id (for scripts)
  trainlog help                     show this text
`

const usageNotes = `
Give invite and token the same --data as serve: links are signed with its hmac.key.

trainlog asks Go's garbage collector to keep its own memory near 20 MiB, so the whole process
stays under 40 MB while serving; set GOMEMLIMIT to choose another figure.

The admin token for the report is TRAINLOG_ADMIN_TOKEN when set, otherwise the contents of
DATA/admin-token, made on first run. Send SIGHUP to re-read quizzes, policies and the roster.
`

// usage is trainlog's help, made from the flags of its commands.
func usage() string {
	var b strings.Builder
	b.WriteString(usageCommands)
	files := flag.NewFlagSet("files", flag.ContinueOnError)
	addFiles(files)
	isFile := func(name string) bool { return files.Lookup(name) != nil }
	b.WriteString("\nFiles (every command):\n")
	cli.Flags(&b, files, nil)
	serve := flag.NewFlagSet("serve", flag.ContinueOnError)
	serveFlags(serve, func(string) string { return "" }) // no secret from the environment in the help
	b.WriteString("\nserve:\n")
	cli.Flags(&b, serve, isFile)
	invite := flag.NewFlagSet("invite", flag.ContinueOnError)
	inviteFlags(invite)
	b.WriteString("\ninvite:\n")
	cli.Flags(&b, invite, isFile)
	b.WriteString(usageNotes)
	return b.String()
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// files are the flags every command shares.
type files struct {
	data, quizzes, content, roster *string
	fs                             *flag.FlagSet
}

// dataGiven reports whether --data was on the command line.
func (f *files) dataGiven() bool {
	given := false
	f.fs.Visit(func(fl *flag.Flag) { given = given || fl.Name == "data" })
	return given
}

func addFiles(fs *flag.FlagSet) *files {
	return &files{
		data: fs.String("data", ".trainlog", "the `DIR` for trainlog.db, hmac.key and admin-token. hmac.key signs personal links and "+
			"certificate codes: back it up with the data. One trainlog (or policysite serve) at a time may use a data folder."),
		quizzes: fs.String("quizzes", "quizzes", "the site's quiz files (`DIR`), one *.toml per quiz"),
		content: fs.String("content", "content", "the site's content folder (`DIR`); policy versions are read from DIR/policies"),
		roster: fs.String("roster", "", "the staff list (`FILE`), CSV with the header id,name,email,role,start_date and dates as "+
			"YYYY-MM-DD (default DATA/staff.csv)"),
		fs: fs,
	}
}

func (f *files) rosterFile() string {
	if *f.roster != "" {
		return *f.roster
	}
	return filepath.Join(*f.data, "staff.csv")
}

func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(args, stdout, stderr, getenv)
	case "invite":
		err = invite(args, stdout, stderr)
	case "token":
		err = token(args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage())
		return 0
	default:
		fmt.Fprintf(stderr, "trainlog: there is no command %q: use serve, invite or token (trainlog help lists them)\n", cmd)
		return 2
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage())
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "trainlog %s: %v\n(trainlog help lists the commands and flags)\n", cmd, err)
		return 2
	default:
		fmt.Fprintf(stderr, "trainlog %s: %v\n", cmd, err)
		return 1
	}
}

type usageError struct{ error }

func parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard) // errors are printed once, by run, with a hint
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	return nil
}

// serveOptions are serve's flags.
type serveOptions struct {
	files                             *files
	addr, origin, open, pg, debugAddr *string
	rate                              *float64
	burst, grace                      *int
	trustProxy, quiet                 *bool
}

// serveFlags defines serve's flags, with their help, on fs.
func serveFlags(fs *flag.FlagSet, getenv func(string) string) *serveOptions {
	return &serveOptions{
		files: addFiles(fs),
		addr:  fs.String("addr", "127.0.0.1:8090", "where to listen (`HOST:PORT`). The API is under /api/, the report page at /api/report, a health check at /healthz."),
		origin: fs.String("allow-origin", "", "the site's address (`URL`, e.g. https://www.school.example) when the site and trainlog are "+
			"on different origins; browsers elsewhere are refused"),
		open: fs.String("open-domain", "", "also accept a name and an e-mail address @`DOMAIN` instead of a personal link "+
			"(weaker: anyone can type a colleague's address)"),
		pg: fs.String("postgres", getenv("TRAINLOG_POSTGRES_URL"), "keep completions in PostgreSQL (`URL` postgres://user:pass@host/db) "+
			"instead of DATA/trainlog.db; also read from TRAINLOG_POSTGRES_URL"),
		rate: fs.Float64("rate-limit", 20, "requests per second per address (`N`; 0 or less turns it off). A whole school may share one "+
			"address, so keep the burst generous."),
		burst: fs.Int("rate-burst", 100, "requests an address may make at once (`N`)"),
		trustProxy: fs.Bool("trust-proxy", false, "behind a reverse proxy: limit by the last X-Forwarded-For address instead of the "+
			"proxy's own (never set it without a proxy)"),
		grace: fs.Int("grace-days", 28, "days (`N`) a new starter has from their start_date before a quiz they have not passed shows "+
			"as \"never\""),
		quiet: fs.Bool("quiet", false, "do not log each request (errors are still logged)"),
		debugAddr: fs.String("debug-addr", "", "serve Go's profiler (/debug/pprof/) on this separate address (`HOST:PORT`), for "+
			"performance work; keep it on 127.0.0.1"),
	}
}

func serve(args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	o := serveFlags(fs, getenv)
	f, addr, origin, open, pg, debugAddr := o.files, o.addr, o.origin, o.open, o.pg, o.debugAddr
	rate, burst, grace, trustProxy, quiet := o.rate, o.burst, o.grace, o.trustProxy, o.quiet
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected %q: serve takes only flags", fs.Arg(0))}
	}
	// Checked before anything is made in the data folder: a mistake here
	// would otherwise show only later, as a bind error or as browsers
	// refused for no visible reason.
	if _, port, err := net.SplitHostPort(*addr); err != nil || port == "" {
		return usageError{fmt.Errorf("--addr %q is not HOST:PORT: write it as 127.0.0.1:8090 (this machine only) or :8090 (every address)", *addr)}
	}
	if *origin != "" {
		if err := webAddress("--allow-origin", *origin); err != nil {
			return err
		}
	}
	if *grace < 0 {
		return usageError{fmt.Errorf("--grace-days %d is negative: give the number of days a new starter has, such as 28", *grace)}
	}
	if *rate <= 0 {
		*rate = -1
	}
	if getenv("GOMEMLIMIT") == "" {
		// A soft limit: the heap is small (a few MiB live), and without it
		// the collector let the process grow past 40 MB under load.
		debug.SetMemoryLimit(20 << 20)
	}
	level := slog.LevelInfo
	if *quiet {
		level = slog.LevelWarn
	}
	logs := newLogWriter(stderr, 100*time.Millisecond)
	defer logs.Close()
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: level}))

	srv, err := trainlog.New(trainlog.Config{
		DataDir: *f.data, QuizDir: *f.quizzes, ContentDir: *f.content, RosterFile: f.rosterFile(),
		PostgresURL: *pg, AllowOrigin: *origin, OpenDomain: *open, AdminToken: getenv("TRAINLOG_ADMIN_TOKEN"),
		RateLimit: *rate, RateBurst: *burst, TrustProxy: *trustProxy, GraceDays: *grace, Logger: logger,
		Notice: func(msg string) { fmt.Fprintln(stdout, msg) },
	})
	if err != nil {
		return err
	}
	defer srv.Close()

	ln, err := net.Listen("tcp", *addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("cannot listen on %s: another program is using that port (another trainlog?): stop it, or choose another --addr", *addr)
	}
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w: check --addr (the host must be an address of this machine, such as 127.0.0.1)", *addr, err)
	}
	h := srv.Handler()
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", h))
	mux.Handle("/healthz", h)
	mux.Handle("/{$}", http.RedirectHandler("/api/report", http.StatusFound))
	hs := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	if *debugAddr != "" {
		dbg, err := net.Listen("tcp", *debugAddr)
		if err != nil {
			return fmt.Errorf("cannot listen on --debug-addr %s: %w", *debugAddr, err)
		}
		// net/http/pprof registers itself on the default mux, which nothing
		// else here uses.
		go http.Serve(dbg, http.DefaultServeMux)
	}
	fmt.Fprintf(stdout, "trainlog is listening on http://%s (report page: http://%s/api/report)\n", ln.Addr(), ln.Addr())

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sig)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	for {
		select {
		case err := <-served:
			return err
		case s := <-sig:
			if s == syscall.SIGHUP {
				if err := srv.Reload(); err != nil {
					logger.Error("reload failed; still using the previous quizzes and roster", "problems", err.Error())
				} else {
					// Logged at Warn so --quiet shows it too: it answers "did
					// my edit of the staff list take?".
					q, n := srv.Loaded()
					logger.Warn("reloaded quizzes, policy versions and roster", "quizzes", q, "staff", n)
				}
				continue
			}
			// Finish requests in flight so every acknowledged completion is
			// answered; Close (deferred) then flushes the store.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := hs.Shutdown(ctx)
			cancel()
			return err
		}
	}
}

// inviteFlags defines invite's flags, with their help, on fs.
func inviteFlags(fs *flag.FlagSet) (*files, *string) {
	return addFiles(fs), fs.String("base-url", "http://127.0.0.1:1313", "the site's address (`URL`; the default is policysite serve's); "+
		"links look like URL/staff/training/?t=TOKEN")
}

func invite(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("invite", flag.ContinueOnError)
	f, base := inviteFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected %q: invite takes only flags", fs.Arg(0))}
	}
	// Links without https:// are not clickable in most e-mail programs.
	if err := webAddress("--base-url", *base); err != nil {
		return err
	}
	roster, signer, err := rosterAndSigner(f, stderr)
	if err != nil {
		return err
	}
	// CSV, so the office can mail-merge the links into personal e-mails.
	w := csv.NewWriter(stdout)
	w.Write([]string{"id", "name", "email", "link"})
	for _, s := range roster.Staff {
		w.Write([]string{s.ID, s.Name, s.Email, strings.TrimSuffix(*base, "/") + "/staff/training/?t=" + signer.Token(s.ID)})
	}
	w.Flush()
	return w.Error()
}

func token(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	f := addFiles(fs)
	// Flags may come after the id too: trainlog token HMARSH --data DIR.
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if id == "" && fs.NArg() > 0 {
		id = fs.Arg(0)
	}
	if id == "" || fs.NArg() > 1 || (fs.NArg() == 1 && fs.Arg(0) != id) {
		return usageError{errors.New("give exactly one roster id, e.g. trainlog token HMARSH")}
	}
	roster, signer, err := rosterAndSigner(f, stderr)
	if err != nil {
		return err
	}
	if roster.ByID(id) == nil {
		return fmt.Errorf("no one on the roster %s has the id %q: check the id column (ids are case-sensitive)", f.rosterFile(), id)
	}
	fmt.Fprintln(stdout, signer.Token(id))
	return nil
}

func rosterAndSigner(f *files, stderr io.Writer) (*trainlog.Roster, *trainlog.Signer, error) {
	roster, problems := trainlog.LoadRoster(f.rosterFile())
	if len(problems) > 0 {
		return nil, nil, &trainlog.LoadError{Problems: problems}
	}
	if !f.dataGiven() {
		// The README's server runs with --data /var/lib/trainlog: links
		// signed with a key made here, in the default folder, would all be
		// refused by it.
		if _, err := os.Stat(filepath.Join(*f.data, "hmac.key")); errors.Is(err, fs.ErrNotExist) {
			return nil, nil, usageError{fmt.Errorf("there is no signing key in %s, the default data folder: pass --data with the folder trainlog serve uses (e.g. --data /var/lib/trainlog), so the links are signed with its key", *f.data)}
		}
	}
	signer, created, err := trainlog.OpenSigner(*f.data)
	if err != nil {
		return nil, nil, err
	}
	if created {
		// Most often this means --data was left out or mistyped: links
		// signed with a new key are refused by the trainlog that is running.
		dir := *f.data
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs
		}
		fmt.Fprintf(stderr, "there was no signing key, so a new one was made in %s.\n"+
			"These links work only with a trainlog started with --data %s. If trainlog already runs with another\n"+
			"data folder, run this again with --data set to that folder, and do not send these links.\n"+
			"Back up the key with the data: if it is lost, every link must be sent again.\n",
			filepath.Join(dir, "hmac.key"), dir)
	}
	return roster, signer, nil
}

// logWriter buffers log lines and writes them out every interval: a write
// system call per request cost about 13 µs of CPU per completion under
// load. At most one interval of lines is lost if the process is killed;
// completions themselves never depend on the log.
type logWriter struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

func newLogWriter(w io.Writer, every time.Duration) *logWriter {
	l := &logWriter{w: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				l.flush()
			case <-l.stop:
				l.flush()
				return
			}
		}
	}()
	return l
}

func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *logWriter) flush() {
	l.mu.Lock()
	l.w.Flush()
	l.mu.Unlock()
}

// Close writes out what is buffered and stops the timer.
func (l *logWriter) Close() error {
	close(l.stop)
	<-l.done
	return nil
}

// webAddress refuses a site address a browser or an e-mail program would not
// take as one (no http:// or https://, no host).
func webAddress(flag, v string) error {
	if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return usageError{fmt.Errorf("%s %q is not a web address: write the site's address with https://, such as https://policies.school.example", flag, v)}
	}
	return nil
}
