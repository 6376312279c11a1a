// Package hugo is the only package that talks to Hugo's Go API. Hugo's
// internals move between releases, so everything version-specific is kept
// here, behind Build, and covered by tests that run real builds.
package hugo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/spf13/afero"
)

// ThemeName is the directory name the embedded theme is written out under.
const ThemeName = "policysite"

// Options says what to build and where.
type Options struct {
	// Source is the school's site folder (config.toml, content/, quizzes/ …).
	Source string
	// Dest is the folder the site is written to. Build writes straight into
	// it; callers that need an atomic swap pass a fresh temporary folder.
	Dest string
	// Theme holds the built-in theme (layouts/, static/). Nil builds the site
	// with its own layouts only, as plain Hugo would.
	Theme fs.FS
	// Params are merged into the site's [params]; they let the tool tell the
	// templates about the run (live reload, the training endpoint …).
	Params map[string]any
	// BaseURL overrides the config's baseURL when set.
	BaseURL string
	// Minify runs Hugo's minifier over every output file.
	Minify bool
	// Environment is Hugo's environment name ("production" by default).
	Environment string
	// Log receives Hugo's warnings and errors. Nil discards them.
	Log io.Writer
	// Transform, when set, rewrites content Markdown as Hugo reads it.
	Transform Transform
}

// Result describes a finished build.
type Result struct {
	Pages    int
	Duration time.Duration
	// BaseURL is the address the site was built for, as Hugo resolved it
	// from config.toml and Options.BaseURL ("/" when only a path).
	BaseURL string
}

// Build renders the site once. Each call makes its own HugoSites: Hugo keeps
// state between builds that is only safe to reuse in its own server mode.
func Build(opt Options) (*Result, error) {
	start := time.Now()
	src, err := filepath.Abs(opt.Source)
	if err != nil {
		return nil, err
	}
	dest, err := filepath.Abs(opt.Dest)
	if err != nil {
		return nil, err
	}
	cfgFile, err := FindConfig(src)
	if err != nil {
		return nil, err
	}
	flags, cleanup, err := buildFlags(opt, src, dest)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	// Template errors (errorf) reach us only as log lines; keep them so the
	// returned error says what went wrong instead of "logged 1 error(s)".
	errs := &errorLines{w: opt.Log}
	sites, err := newSites(opt, src, cfgFile, flags, errs)
	if err != nil {
		return nil, err
	}
	defer sites.Close()
	if err := render(sites, src, dest, errs); err != nil {
		return nil, err
	}
	res := &Result{Duration: time.Since(start)}
	for _, s := range sites.Sites {
		res.Pages += len(s.Pages())
	}
	if len(sites.Sites) > 0 {
		res.BaseURL = sites.Sites[0].BaseURL()
	}
	return res, nil
}

// buildFlags are the settings a build gives Hugo on top of the site's
// config, as Hugo's command line would. cleanup removes the theme written
// out for it.
func buildFlags(opt Options, src, dest string) (flags config.Provider, cleanup func(), err error) {
	cleanup = func() {}
	f := config.New()
	f.Set("workingDir", src)
	f.Set("publishDir", dest)
	f.Set("publishDirStatic", dest)
	f.Set("publishDirDynamic", dest)
	// Hugo's cache would otherwise land in a shared temp folder keyed by
	// site; keep it inside the build so parallel test builds don't collide.
	f.Set("cacheDir", filepath.Join(dest, ".cache-hugo"))
	f.Set("noBuildLock", true)
	// "Raw HTML omitted … ignoreLogs = ['warning-goldmark-raw-html']" is
	// Hugo talking to developers; policysite check reports pasted HTML at its
	// line, in words a school can act on.
	f.Set("ignoreLogs", []string{"warning-goldmark-raw-html"})
	if opt.BaseURL != "" {
		f.Set("baseURL", opt.BaseURL)
	}
	if opt.Minify {
		f.Set("minify", map[string]any{"minifyOutput": true})
	}
	if opt.Theme != nil {
		themesDir, err := os.MkdirTemp("", "policysite-theme-")
		if err != nil {
			return nil, cleanup, fmt.Errorf("preparing the built-in theme: %w", err)
		}
		cleanup = func() { os.RemoveAll(themesDir) }
		// Hugo's module system reads a theme from disk.
		if err := os.CopyFS(filepath.Join(themesDir, ThemeName), opt.Theme); err != nil {
			return nil, cleanup, fmt.Errorf("writing the built-in theme: %w", err)
		}
		f.Set("themesDir", themesDir)
		f.Set("theme", []string{ThemeName})
	}
	f.Set("module", map[string]any{"mounts": mounts(src)})
	for k, v := range opt.Params {
		f.Set("params."+strings.ToLower(k), v)
	}
	return f, cleanup, nil
}

// newSites loads the site's config and prepares Hugo's sites, logging to
// errs.
func newSites(opt Options, src, cfgFile string, flags config.Provider, errs *errorLines) (*hugolib.HugoSites, error) {
	logger := loggers.New(loggers.Options{
		Level:  logg.LevelWarn,
		StdOut: io.Discard,
		StdErr: errs,
	})
	env := opt.Environment
	if env == "" {
		env = "production"
	}
	configs, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Flags:       flags,
		Fs:          hugofs.Os,
		Filename:    cfgFile,
		Environment: env,
		Logger:      logger,
		Environ:     []string{"HUGO_ENVIRONMENT=" + env},
	})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %s", filepath.Base(cfgFile), relPositions(src, err.Error()))
	}
	var source afero.Fs = hugofs.Os
	if opt.Transform != nil {
		source = newTransformFs(src, opt.Transform)
	}
	sites, err := hugolib.NewHugoSites(deps.DepsCfg{
		Configs:  configs,
		Fs:       hugofs.NewFromSourceAndDestination(source, hugofs.Os, flags),
		LogLevel: logg.LevelWarn,
		StdOut:   io.Discard,
		StdErr:   errs,
	})
	if err != nil {
		return nil, errors.New(relPositions(src, err.Error()))
	}
	return sites, nil
}

// render builds the pages and copies the static files beside them.
func render(sites *hugolib.HugoSites, src, dest string, errs *errorLines) error {
	// Hugo's own command copies static files beside the build (hugolib
	// renders pages only); do the same, at the same time.
	staticDone := make(chan error, 1)
	go func() { staticDone <- copyStatic(sites, dest) }()
	buildErr := sites.Build(hugolib.BuildCfg{})
	if err := <-staticDone; err != nil && buildErr == nil {
		return fmt.Errorf("copying static files: %w", err)
	}
	if buildErr != nil {
		if msgs := errs.messages(); len(msgs) > 0 {
			return errors.New(relPositions(src, strings.Join(msgs, "\n")))
		}
		return errors.New(relPositions(src, buildErr.Error()))
	}
	os.RemoveAll(filepath.Join(dest, ".cache-hugo"))
	return nil
}

// copyStatic writes the union of the site's and the theme's static folders
// (the site's own files win) into dest.
func copyStatic(sites *hugolib.HugoSites, dest string) error {
	for _, sfs := range sites.BaseFs.SourceFilesystems.Static {
		root := filepath.Join(dest, sfs.PublishFolder)
		if _, err := sfs.Fs.Stat("/"); errors.Is(err, fs.ErrNotExist) {
			continue // no static folder at all
		}
		err := afero.Walk(sfs.Fs, "/", func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			target := filepath.Join(root, filepath.FromSlash(p))
			if info.IsDir() {
				return os.MkdirAll(target, 0o755)
			}
			if info.Name() == ".keep" {
				return nil
			}
			in, err := sfs.Fs.Open(p)
			if err != nil {
				return err
			}
			defer in.Close()
			out, err := os.Create(target)
			if err != nil {
				return err
			}
			if _, err := io.Copy(out, in); err != nil {
				out.Close()
				return err
			}
			return out.Close()
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// mounts repeats Hugo's default project mounts and adds quizzes/ as data, so
// quiz pages are made by a content adapter from data and the quiz files
// themselves (with their answers) are never published as static files.
func mounts(src string) []map[string]any {
	m := []map[string]any{
		{"source": "content", "target": "content"},
		{"source": "layouts", "target": "layouts"},
		{"source": "static", "target": "static"},
		{"source": "assets", "target": "assets"},
		{"source": "data", "target": "data"},
		{"source": "i18n", "target": "i18n"},
		{"source": "archetypes", "target": "archetypes"},
	}
	if st, err := os.Stat(filepath.Join(src, "quizzes")); err == nil && st.IsDir() {
		m = append(m, map[string]any{"source": "quizzes", "target": "data/quizzes"})
	}
	return m
}

// FindConfig returns the site's config file, or an error a school user can act on.
func FindConfig(src string) (string, error) {
	if st, err := os.Stat(src); err != nil || !st.IsDir() {
		return "", fmt.Errorf("there is no site folder at %s: give the folder that holds config.toml and content/, or make one with `policysite init %s`", src, src)
	}
	for _, name := range []string{"hugo.toml", "config.toml", "hugo.yaml", "config.yaml", "hugo.json", "config.json"} {
		p := filepath.Join(src, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no config.toml in %s: is this a school site folder? Run `policysite init DIR` to make one", src)
}

// errorLines passes Hugo's log through and remembers its ERROR lines.
type errorLines struct {
	w    io.Writer
	mu   sync.Mutex
	buf  []byte
	errs []string
}

func (e *errorLines) Write(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.buf = append(e.buf, p...)
	for {
		i := bytes.IndexByte(e.buf, '\n')
		if i < 0 {
			break
		}
		line := string(e.buf[:i])
		e.buf = e.buf[i+1:]
		if msg, ok := strings.CutPrefix(line, "ERROR "); ok {
			e.errs = append(e.errs, strings.TrimSpace(msg))
			continue // returned as the build's error; printing it twice confuses
		}
		fmt.Fprintln(e.w, line)
	}
	return len(p), nil
}

func (e *errorLines) messages() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.errs...)
}

var quotedPos = regexp.MustCompile(`"([^"\n]+?):(\d+)(?::(\d+))?"`)

// relPositions rewrites Hugo's quoted absolute positions
// ("/abs/site/content/x.md:12:3") as content/x.md:12, the form a school user
// can find in their editor, like check's output.
func relPositions(src, msg string) string {
	return quotedPos.ReplaceAllStringFunc(msg, func(m string) string {
		sub := quotedPos.FindStringSubmatch(m)
		p := sub[1]
		if rel, err := filepath.Rel(src, p); err == nil && !strings.HasPrefix(rel, "..") {
			p = filepath.ToSlash(rel)
		}
		return p + ":" + sub[2]
	})
}
