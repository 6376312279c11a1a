package postgres

import (
	"context"
	"crypto/rand"
	"net"
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

func TestOpenExplainsAServerThatCannotBeReached(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	_, err = Open(context.Background(), "postgres://trainlog:s3cret-pw@"+addr+"/school", Options{Certificates: store.NewCertificates([]byte("k"))})
	if err == nil {
		t.Fatal("Open succeeded with no server")
	}
	for _, want := range []string{"cannot connect", "PostgreSQL is running", "password", addr} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "s3cret-pw") {
		t.Errorf("the error shows the password: %v", err)
	}
}
