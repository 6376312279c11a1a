package postgres

import (
	"context"
	"crypto/rand"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/policysite/policysite/internal/store"
	"github.com/policysite/policysite/internal/store/storetest"
)

// The suite runs only against a real server:
//
//	TRAINLOG_TEST_POSTGRES_URL=postgres://user:pass@localhost:5432/db go test ./internal/store/postgres/
//
// Each test gets its own schema, dropped afterwards.
func TestStore(t *testing.T) {
	url := os.Getenv("TRAINLOG_TEST_POSTGRES_URL")
	if url == "" {
		t.Skip("set TRAINLOG_TEST_POSTGRES_URL to run the Postgres store tests against a real server")
	}
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		schema := "trainlog_test_" + strings.ToLower(rand.Text()[:12])
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatalf("connect to %s: %v", url, err)
		}
		if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			conn.Close(context.Background())
		})
		return func() (store.Store, error) {
			return Open(ctx, url, Options{Certificates: storetest.Certs, Schema: schema})
		}
	})
}

func TestOpenExplainsABadAddress(t *testing.T) {
	_, err := Open(context.Background(), "postgres://host:notaport/db", Options{Certificates: store.NewCertificates([]byte("k"))})
	if err == nil || !strings.Contains(err.Error(), "postgres://user:password@host:5432/database") {
		t.Fatalf("err = %v, want a message showing the address form", err)
	}
}
