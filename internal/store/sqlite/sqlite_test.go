package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/policysite/policysite/internal/store"
	"github.com/policysite/policysite/internal/store/storetest"
)

func TestStore(t *testing.T) {
	for _, opt := range []struct {
		name string
		o    Options
	}{
		{"GroupCommit", Options{}},
		{"OneRowPerTransaction", Options{MaxBatch: 1}},
	} {
		t.Run(opt.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) storetest.Opener {
				path := filepath.Join(t.TempDir(), "trainlog.db")
				return func() (store.Store, error) { return Open(path, withCerts(opt.o)) }
			})
		})
	}
}

// Durability rests on these two settings; a driver upgrade that silently
// dropped a _pragma would otherwise go unnoticed until a power cut.
func TestDurabilitySettings(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "trainlog.db"), withCerts(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var mode string
	var sync int
	if err := s.wconn.QueryRowContext(context.Background(), `PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := s.wconn.QueryRowContext(context.Background(), `PRAGMA synchronous`).Scan(&sync); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || sync != 2 {
		t.Errorf("journal_mode=%s synchronous=%d, want wal and 2 (FULL)", mode, sync)
	}
}

func TestOpenRejectsNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trainlog.db")
	s, err := Open(path, withCerts(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.wconn.ExecContext(context.Background(), `PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(path, withCerts(Options{}))
	if err == nil || !strings.Contains(err.Error(), "written by a newer trainlog") {
		t.Fatalf("err = %v, want a message about a newer trainlog", err)
	}
}

func TestOpenRejectsNonDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trainlog.db")
	if err := os.WriteFile(path, []byte("name,email\nAnn,ann@example.org\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path, withCerts(Options{}))
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want an error naming %s", err, path)
	}
}

func withCerts(o Options) Options {
	o.Certificates = storetest.Certs
	return o
}

func TestOpenNeedsCertificates(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "trainlog.db"), Options{}); err == nil {
		t.Fatal("Open without a certificate codec succeeded")
	}
}

// With SQLite's own checkpoints turned off, the checkpointer must still move
// committed pages into the database file while the store runs (a copy of
// trainlog.db taken then is nearly complete), and nothing may be left in
// the WAL after Close.
func TestCheckpointsRunBesideTheWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trainlog.db")
	s, err := Open(path, withCerts(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	size := func(p string) int64 {
		info, err := os.Stat(p)
		if err != nil {
			return 0
		}
		return info.Size()
	}
	before := size(path)
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < nudgeRows/16+50; i++ {
				c := storetestSample(fmt.Sprintf("ckpt-%d-%d", w, i))
				if _, _, err := s.Add(context.Background(), c); err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for size(path) <= before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if size(path) <= before {
		t.Errorf("database file still %d bytes after %d completions: nothing was checkpointed", size(path), nudgeRows)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := size(path + "-wal"); n != 0 {
		t.Errorf("WAL holds %d bytes after Close", n)
	}
}

func storetestSample(attempt string) store.Completion {
	return store.Completion{AttemptID: attempt, StaffID: "s1", Name: "Ann", Email: "ann@school.example", Quiz: "q",
		PolicyVersion: "1", Score: 1, Correct: 1, Total: 1, Passed: true, Answers: "[[0]]", ReceivedAt: time.Now()}
}

// Two stores on one file would number new records from the same id and
// collide on every insert: the second Open is refused, and after Close the
// file can be opened again.
func TestSecondOpenIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trainlog.db")
	s, err := Open(path, withCerts(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(path, withCerts(Options{}))
	if err == nil {
		t.Fatal("a second Open of the same file succeeded")
	}
	for _, want := range []string{path, "already in use by another trainlog", fmt.Sprintf("process %d", os.Getpid()), "--data"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, withCerts(Options{}))
	if err != nil {
		t.Fatalf("open after Close: %v", err)
	}
	s.Close()
}

// A database the process can read but not write (files left owned by root
// after a first run as root, say) is refused at Open, not at the first
// completion, when every submission would get a 503.
func TestOpenRefusesAFileItCannotWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trainlog.db")
	s, err := Open(path, withCerts(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	o := withCerts(Options{})
	o.readOnly = true
	s, err = Open(path, o)
	if err == nil {
		s.Close()
		t.Fatal("a read-only database was opened for writing")
	}
	for _, want := range []string{"cannot write to " + path, "readonly", "must own the data folder"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if s, err := Open(path, withCerts(Options{})); err != nil {
		t.Errorf("the lock was not released after the refusal: %v", err)
	} else {
		s.Close()
	}
}

// The database holds names, e-mail addresses and scores: a new one and its
// WAL are readable by trainlog's user only, even in a folder others can read.
func TestNewDatabaseIsPrivate(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	path := filepath.Join(dir, "trainlog.db")
	s, err := Open(path, withCerts(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	add := storetestSample("private-0001")
	if _, _, err := s.Add(context.Background(), add); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm", path + ".lock"} {
		if info, err := os.Stat(f); err != nil {
			t.Error(err)
		} else if perm := info.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has permissions %o, want no access for others", filepath.Base(f), perm)
		}
	}
	s.Close()
}
