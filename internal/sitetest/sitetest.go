// Package sitetest writes whole test sites from txtar archives, as Go's own
// command tests and Hugo's hugolib.Test keep them: one file per fixture,
// each of its files under a "-- path --" line, instead of Go strings or
// trees of small files.
package sitetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// Write writes the site in the txtar file at path into a new temporary
// folder and returns the folder.
func Write(t testing.TB, path string) string {
	t.Helper()
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return writeArchive(t, a)
}

// WriteString writes the site in a txtar archive given as text.
func WriteString(t testing.TB, archive string) string {
	t.Helper()
	return writeArchive(t, txtar.Parse([]byte(archive)))
}

// File returns one file of the txtar file at path.
func File(t testing.TB, path, name string) string {
	t.Helper()
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range a.Files {
		if f.Name == name {
			return string(f.Data)
		}
	}
	t.Fatalf("%s has no file %s", path, name)
	return ""
}

func writeArchive(t testing.TB, a *txtar.Archive) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range a.Files {
		name := filepath.FromSlash(strings.TrimSpace(f.Name))
		if !filepath.IsLocal(name) {
			t.Fatalf("the fixture's file %q is outside the site", f.Name)
		}
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
