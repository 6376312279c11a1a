// Package postgres keeps trainlog completions in PostgreSQL, for schools
// that already run one and want trainlog's data with the rest. Each Add is
// its own transaction; PostgreSQL's own group commit batches the fsyncs of
// concurrent commits.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/policysite/policysite/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options for Open.
type Options struct {
	// Certificates makes certificate codes from record ids. Required.
	Certificates *store.Certificates
	// Schema, when set, is the schema trainlog's tables live in (the tests
	// use a fresh one each). It must exist.
	Schema string
}

// Store is a store.Store in PostgreSQL.
type Store struct {
	pool   *pgxpool.Pool
	certs  *store.Certificates
	closed atomic.Bool
}

var _ store.Store = (*Store)(nil)

const columns = `id, attempt_id, staff_id, name, email, quiz, policy_version, score, correct, total, passed,
	certificate, answers, started_at, finished_at, received_at`

// Open connects to url (postgres://user:pass@host/db) and brings the schema
// up to date.
func Open(ctx context.Context, url string, opt Options) (*Store, error) {
	if opt.Certificates == nil {
		return nil, errors.New("postgres: no certificate codec given")
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: the address is not valid (write it as postgres://user:password@host:5432/database): %w", err)
	}
	if opt.Schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = opt.Schema
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		// A server behind a firewall that drops packets would otherwise
		// keep trainlog starting, silently, for minutes.
		cfg.ConnConfig.ConnectTimeout = 15 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	s := &Store{pool: pool, certs: opt.Certificates}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: cannot connect: check that PostgreSQL is running at the address given and that its user name, password and database name are right: %w", err)
	}
	defer tx.Rollback(ctx)
	// Two trainlogs starting together must not both migrate.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7312450981)`); err != nil {
		return fmt.Errorf("postgres: lock for migration: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS trainlog_schema (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	var version int
	err = tx.QueryRow(ctx, `SELECT version FROM trainlog_schema`).Scan(&version)
	if errors.Is(err, pgx.ErrNoRows) {
		_, err = tx.Exec(ctx, `INSERT INTO trainlog_schema (version) VALUES (0)`)
	}
	if err != nil {
		return fmt.Errorf("postgres: read schema version: %w", err)
	}
	if version > len(names) {
		return fmt.Errorf("postgres: the database has schema version %d but this trainlog knows only %d: it was written by a newer trainlog, so run that version", version, len(names))
	}
	for i := version; i < len(names); i++ {
		body, err := migrations.ReadFile(names[i])
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return fmt.Errorf("postgres: migrate with %s: %w", names[i], err)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE trainlog_schema SET version = $1`, len(names)); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	return tx.Commit(ctx)
}

func (s *Store) Add(ctx context.Context, c store.Completion) (store.Completion, bool, error) {
	if s.closed.Load() {
		return store.Completion{}, false, store.ErrClosed
	}
	// The id comes first so the certificate, derived from it, is written in
	// the same statement as the row.
	if err := s.pool.QueryRow(ctx, `SELECT nextval('completions_id_seq')`).Scan(&c.ID); err != nil {
		return store.Completion{}, false, fmt.Errorf("postgres: next id: %w", err)
	}
	c.Certificate = ""
	if c.Passed {
		c.Certificate = s.certs.Code(c.ID)
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO completions (`+columns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (attempt_id) DO NOTHING`,
		c.ID, c.AttemptID, c.StaffID, c.Name, c.Email, c.Quiz, c.PolicyVersion, c.Score, c.Correct, c.Total, c.Passed,
		nullString(c.Certificate), c.Answers, nullTime(c.StartedAt), nullTime(c.FinishedAt), c.ReceivedAt.UTC())
	if err != nil {
		return store.Completion{}, false, fmt.Errorf("postgres: insert attempt %q: %w", c.AttemptID, err)
	}
	if tag.RowsAffected() == 1 {
		return c, true, nil
	}
	old, err := s.one(ctx, `WHERE attempt_id = $1`, c.AttemptID)
	if err != nil {
		return store.Completion{}, false, fmt.Errorf("postgres: look up stored attempt %q: %w", c.AttemptID, err)
	}
	return old, false, nil
}

func (s *Store) ByCertificate(ctx context.Context, code string) (store.Completion, error) {
	id, ok := s.certs.ID(code)
	if !ok {
		return store.Completion{}, store.ErrNotFound
	}
	c, err := s.one(ctx, `WHERE id = $1`, id)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return c, err
		}
		return c, fmt.Errorf("postgres: certificate %s: %w", code, err)
	}
	if !c.Passed || c.Certificate != code {
		return store.Completion{}, store.ErrNotFound
	}
	return c, nil
}

func (s *Store) LastPasses(ctx context.Context) ([]store.Completion, error) {
	var out []store.Completion
	err := s.query(ctx, `SELECT DISTINCT ON (staff_id, quiz) `+columns+` FROM completions WHERE passed
		ORDER BY staff_id, quiz, id DESC`, func(c store.Completion) error { out = append(out, c); return nil })
	if err != nil {
		return nil, fmt.Errorf("postgres: last passes: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *Store) Each(ctx context.Context, fn func(store.Completion) error) error {
	return s.query(ctx, `SELECT `+columns+` FROM completions ORDER BY id`, fn)
}

func (s *Store) query(ctx context.Context, q string, fn func(store.Completion) error) error {
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scan(rows)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *Store) one(ctx context.Context, where string, arg any) (store.Completion, error) {
	c, err := scan(s.pool.QueryRow(ctx, `SELECT `+columns+` FROM completions `+where, arg))
	if errors.Is(err, pgx.ErrNoRows) {
		return c, store.ErrNotFound
	}
	return c, err
}

func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.pool.Close()
	return nil
}

func scan(r pgx.Row) (store.Completion, error) {
	var c store.Completion
	var cert *string
	var started, finished *time.Time
	err := r.Scan(&c.ID, &c.AttemptID, &c.StaffID, &c.Name, &c.Email, &c.Quiz, &c.PolicyVersion, &c.Score,
		&c.Correct, &c.Total, &c.Passed, &cert, &c.Answers, &started, &finished, &c.ReceivedAt)
	if err != nil {
		return store.Completion{}, err
	}
	if cert != nil {
		c.Certificate = *cert
	}
	if started != nil {
		c.StartedAt = started.UTC()
	}
	if finished != nil {
		c.FinishedAt = finished.UTC()
	}
	c.ReceivedAt = c.ReceivedAt.UTC()
	return c, nil
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
