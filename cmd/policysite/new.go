package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/policysite/policysite/internal/policy"
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

var newCommand = command{
	name:    "new",
	args:    "policy SLUG",
	summary: "start a new policy with every field filled in",
	flags: func(fs *flag.FlagSet) runFunc {
		source := fs.String("source", ".", "the `FOLDER` of the school's site")
		return func(pos []string, stdout, stderr io.Writer) error { return runNew(*source, pos, stdout) }
	},
}

func runNew(source string, pos []string, stdout io.Writer) error {
	if len(pos) != 2 || pos[0] != "policy" {
		return fmt.Errorf("%w: write `policysite new policy SLUG`, for example `policysite new policy anti-bullying`", errUsage)
	}
	slug := pos[1]
	if !slugRE.MatchString(slug) {
		if s := policy.Slugify(strings.TrimSuffix(strings.TrimSuffix(slug, ".md"), ".MD")); s != "" {
			return fmt.Errorf("%w: %q is not a usable name: use lower-case letters, digits and hyphens, without .md: write policysite new policy %s", errUsage, slug, s)
		}
		return fmt.Errorf("%w: %q is not a usable name: use lower-case letters, digits and hyphens, like anti-bullying", errUsage, slug)
	}
	if !isSite(source) {
		where := "this folder"
		if source != "." {
			where = source
		}
		return fmt.Errorf("%s is not a school site (it has no config.toml), so the policy would be lost outside it: go into the site's folder (the one `policysite init` made) and run this again, or add --source FOLDER", where)
	}
	path := filepath.Join(source, "content", "policies", slug+".md")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	// O_EXCL: never overwrite a policy someone already wrote.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists: pick another name, or edit that file", path)
	}
	if err != nil {
		return err
	}
	if _, err := f.WriteString(newPolicy(slug, time.Now())); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created %s.\nFill in the summary and the sections marked TBC, then run `policysite check`.\n", path)
	return nil
}

func titleFromSlug(slug string) string {
	words := strings.Split(slug, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ") + " Policy"
}

// newPolicy is a complete draft: every field has a real default except the
// texts only the school can write, which say TBC so `check` catches them.
func newPolicy(slug string, now time.Time) string {
	day := now.Format("2006-01-02")
	review := now.AddDate(1, 0, 0).Format("2006-01-02")
	return fmt.Sprintf(`---
title: %q
summary: "TBC: one or two plain sentences telling parents what this policy covers."
audience: [parents, staff]
owner: headteacher
adopted: %s
adopted_by: "Local Governing Body"
review: %s
version: "1.0"
related: []
---

## Aims and scope {#aims}

TBC: why the school has this policy and who it applies to.

## Roles and responsibilities {#roles}

TBC: what governors, the headteacher, staff, parents and pupils each do. Use
{{< school "headteacher.name" >}}-style variables for names and contacts, so they
stay right when people change.

## Monitoring and review {#review}

This policy is reviewed every year by the {{< school "governing_body" >}}.
`, titleFromSlug(slug), day, review)
}

var initCommand = command{
	name:    "init",
	args:    "DIR",
	summary: "make a new school site from the example school",
	flags: func(*flag.FlagSet) runFunc {
		return func(pos []string, stdout, stderr io.Writer) error { return runInit(pos, stdout) }
	},
}

func runInit(pos []string, stdout io.Writer) error {
	if len(pos) != 1 {
		return fmt.Errorf("%w: write `policysite init DIR`, for example `policysite init my-school`", errUsage)
	}
	dir := pos[0]
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty: choose a new folder so nothing in it is overwritten", dir)
	}
	if err := copyExample(dir); err != nil {
		return fmt.Errorf("making %s: %w", dir, err)
	}
	fmt.Fprintf(stdout, "Made a new school site in %s from the example school.\n"+
		"Next: edit %s (school name, DSL, contacts), then run\n  policysite serve --source %s\n",
		dir, filepath.Join(dir, "config.toml"), dir)
	return nil
}

// copyExample writes the example school into dir, which is new or empty.
func copyExample(dir string) error { return os.CopyFS(dir, exampleFS()) }

// isSite reports whether dir has a site config (config.toml or hugo.toml).
func isSite(dir string) bool {
	for _, n := range []string{"config.toml", "hugo.toml"} {
		if st, err := os.Stat(filepath.Join(dir, n)); err == nil && !st.IsDir() {
			return true
		}
	}
	return false
}
