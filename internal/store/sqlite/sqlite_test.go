package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
