package main

import (
	_ "embed"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"

	"github.com/policysite/policysite/internal/trainlog"
)

// exampleStaff is the example school's (fictional) staff list, written to
// the data folder on first run so the training flow works out of the box.
//
//go:embed example-staff.csv
var exampleStaff []byte

// apiFlags are the training endpoint's options when it runs inside serve.
type apiFlags struct {
	data *string
	off  *bool
}

func addAPIFlags(fs *flag.FlagSet) *apiFlags {
	return &apiFlags{
		data: fs.String("data", ".trainlog", "the `FOLDER` for training records (SQLite), the staff list and keys; relative to --source"),
		off:  fs.Bool("no-api", false, "serve the site without the training endpoint at /api"),
	}
}

// trainAPI is the endpoint mounted at /api by serve.
type trainAPI struct {
	srv     *trainlog.Server
	dataDir string
	roster  string
}

// start opens the endpoint, or returns nil when it is switched off.
func (a *apiFlags) start(source string, stdout, stderr io.Writer) (*trainAPI, error) {
	if *a.off {
		return nil, nil
	}
	data := *a.data
	if !filepath.IsAbs(data) {
		data = filepath.Join(source, data)
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return nil, fmt.Errorf("cannot make the training data folder %s: %w", data, err)
	}
	roster := filepath.Join(data, "staff.csv")
	if _, err := os.Stat(roster); os.IsNotExist(err) {
		if err := os.WriteFile(roster, exampleStaff, 0o600); err != nil {
			return nil, err
		}
		fmt.Fprintf(stdout, "No staff list yet: wrote %s with the example school's fictional staff.\n"+
			"Replace it with your own staff (columns id,name,email,role,start_date) before real training starts.\n", roster)
	}
	srv, err := trainlog.New(trainlog.Config{
		DataDir:    data,
		QuizDir:    filepath.Join(source, "quizzes"),
		ContentDir: filepath.Join(source, "content"),
		RosterFile: roster,
		Logger:     slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Notice:     func(msg string) { fmt.Fprintln(stdout, msg) },
	})
	if err != nil {
		return nil, fmt.Errorf("the training endpoint cannot start: %w\n(run with --no-api to preview the site without it)", err)
	}
	return &trainAPI{srv: srv, dataDir: data, roster: roster}, nil
}

func (t *trainAPI) handler() http.Handler {
	if t == nil {
		return nil
	}
	return t.srv.Handler()
}

func (t *trainAPI) close() {
	if t != nil {
		t.srv.Close()
	}
}

// reload picks up edited quizzes, policy versions and staff list; a
// problem keeps the previous ones and is printed.
func (t *trainAPI) reload(stderr io.Writer) {
	if t == nil {
		return
	}
	if err := t.srv.Reload(); err != nil {
		fmt.Fprintf(stderr, "Training endpoint kept its previous quizzes and staff list:\n%v\n", err)
	}
}

// tryLink is a personal training link for the first person on the staff
// list, so the whole flow can be tried straight away.
func (t *trainAPI) tryLink(base string) string {
	if t == nil {
		return ""
	}
	roster, problems := trainlog.LoadRoster(t.roster)
	if len(problems) > 0 || roster == nil || len(roster.Staff) == 0 {
		return ""
	}
	signer, _, err := trainlog.OpenSigner(t.dataDir)
	if err != nil {
		return ""
	}
	s := roster.Staff[0]
	return fmt.Sprintf("%s/staff/training/?t=%s  (personal link for %s)", base, signer.Token(s.ID), s.Name)
}
