// Package sqlite is the embedded trainlog store: one pure-Go SQLite file in
// WAL mode with synchronous=FULL, written by a single goroutine that commits
// waiting inserts together (group commit), so each fsync covers many
// completions and durability does not cap throughput.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/policysite/policysite/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options tune the writer. The zero value is what trainlog uses.
type Options struct {
	// Certificates makes certificate codes from record ids. Required.
	Certificates *store.Certificates
	// MaxBatch caps how many inserts share one transaction. 1 gives one
	// transaction per completion, kept for the comparison benchmark.
	MaxBatch int
	// QueueSize is how many inserts may wait for the writer; more callers
	// block in Add until there is room.
	QueueSize int
}

// Store is a store.Store backed by one SQLite file.
type Store struct {
	path     string
	w        *sql.DB // exactly one connection, used only by the writer goroutine
	r        *sql.DB // readers; WAL lets them run while the writer commits
	maxBatch int

	// The writer talks to the driver directly: database/sql's per-call
	// conversions and locking cost about as much CPU as SQLite's own insert.
	wconn  *sql.Conn
	insert driver.Stmt
	byTry  driver.Stmt
	args   [16]driver.NamedValue
	certs  *store.Certificates
	nextID int64 // owned by the writer goroutine: it alone inserts

	mu     sync.RWMutex // held for reading while sending on queue, for writing to close it
	closed bool
	queue  chan *pending
	done   chan struct{} // closed when the writer has flushed and stopped
}

type pending struct {
	c       store.Completion
	out     store.Completion
	created bool
	err     error
	ack     chan struct{}
}

var _ store.Store = (*Store)(nil)

const columns = `id, attempt_id, staff_id, name, email, quiz, policy_version, score, correct, total, passed,
	certificate, answers, started_at, finished_at, received_at`

// Open opens (creating if needed) the database file at path and brings its
// schema up to date.
func Open(path string, opt Options) (*Store, error) {
	if opt.Certificates == nil {
		return nil, fmt.Errorf("open %s: no certificate codec given", path)
	}
	if opt.MaxBatch <= 0 {
		opt.MaxBatch = 512
	}
	if opt.QueueSize <= 0 {
		opt.QueueSize = 4096
	}
	dsn := func(extra ...string) string {
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		// Checkpoint every ~32 MiB of WAL instead of SQLite's 4 MiB: pages
		// rewritten between checkpoints (the attempt-id index is written at
		// random places) are copied to the database once, not many times.
		// This cut about 3 µs of CPU per completion.
		q.Add("_pragma", "wal_autocheckpoint(8000)")
		for _, e := range extra {
			q.Add("_pragma", e)
		}
		return "file:" + path + "?" + q.Encode()
	}
	w, err := sql.Open("sqlite", dsn())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{path: path, w: w, maxBatch: opt.MaxBatch, certs: opt.Certificates}
	if err := s.migrate(); err != nil {
		w.Close()
		return nil, err
	}
	if err := w.QueryRow(`SELECT COALESCE(MAX(id), 0) + 1 FROM completions`).Scan(&s.nextID); err != nil {
		w.Close()
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn("query_only(1)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	s.r = r
	if err := s.prepareWriter(); err != nil {
		s.closeDBs()
		return nil, fmt.Errorf("prepare statements on %s: %w", path, err)
	}
	s.queue = make(chan *pending, opt.QueueSize)
	s.done = make(chan struct{})
	go s.writer()
	return s, nil
}

func (s *Store) prepareWriter() error {
	ctx := context.Background()
	var err error
	if s.wconn, err = s.w.Conn(ctx); err != nil {
		return err
	}
	// The statements are used only inside later Raw calls on this same
	// connection, which the store holds until Close.
	return s.wconn.Raw(func(dc any) error {
		c, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return errors.New("the sqlite driver cannot prepare statements")
		}
		if s.insert, err = c.PrepareContext(ctx, `INSERT INTO completions (id, attempt_id, staff_id, name, email, quiz,
			policy_version, score, correct, total, passed, certificate, answers, started_at, finished_at, received_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (attempt_id) DO NOTHING`); err != nil {
			return err
		}
		s.byTry, err = c.PrepareContext(ctx, `SELECT `+columns+` FROM completions WHERE attempt_id = ?`)
		return err
	})
}

// migrate applies the embedded migrations newer than PRAGMA user_version.
func (s *Store) migrate() error {
	var version int
	if err := s.w.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("read schema version of %s: %w (is it an SQLite database?)", s.path, err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	if version > len(names) {
		return fmt.Errorf("%s has schema version %d but this trainlog knows only %d: it was written by a newer trainlog, so run that version", s.path, version, len(names))
	}
	for i := version; i < len(names); i++ {
		body, err := migrations.ReadFile(names[i])
		if err != nil {
			return err
		}
		tx, err := s.w.Begin()
		if err != nil {
			return fmt.Errorf("migrate %s: %w", s.path, err)
		}
		if _, err := tx.Exec(string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s with %s: %w", s.path, names[i], err)
		}
		if _, err := tx.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, i+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", s.path, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s with %s: %w", s.path, names[i], err)
		}
	}
	return nil
}

// Add queues c for the writer and waits until its transaction has committed.
func (s *Store) Add(ctx context.Context, c store.Completion) (store.Completion, bool, error) {
	p := &pending{c: c, ack: make(chan struct{})}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return store.Completion{}, false, store.ErrClosed
	}
	select {
	case s.queue <- p:
		s.mu.RUnlock()
	case <-ctx.Done():
		s.mu.RUnlock()
		return store.Completion{}, false, ctx.Err()
	}
	// Once queued the insert will be attempted whatever happens to ctx; a
	// caller that gives up can resend the same attempt id safely.
	select {
	case <-p.ack:
		return p.out, p.created, p.err
	case <-ctx.Done():
		return store.Completion{}, false, ctx.Err()
	}
}

func (s *Store) writer() {
	defer close(s.done)
	batch := make([]*pending, 0, s.maxBatch)
	for p := range s.queue {
		batch = append(batch[:0], p)
	fill:
		for len(batch) < s.maxBatch {
			select {
			case q, ok := <-s.queue:
				if !ok {
					break fill
				}
				batch = append(batch, q)
			default:
				break fill
			}
		}
		s.commit(batch)
	}
}

// commit writes a batch in one transaction and acknowledges every waiter
// only after COMMIT has returned, that is after SQLite's fsync of the WAL.
// Any failure fails the whole batch: the rows share one transaction, and the
// callers can resend safely because attempt ids make resends idempotent.
func (s *Store) commit(batch []*pending) {
	firstID := s.nextID
	err := s.wconn.Raw(func(dc any) error {
		ctx := context.Background()
		tx, err := dc.(driver.ConnBeginTx).BeginTx(ctx, driver.TxOptions{})
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		for _, p := range batch {
			if p.out, p.created, err = s.insertOne(ctx, p.c); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		return nil
	})
	if err != nil {
		s.nextID = firstID
	}
	for _, p := range batch {
		if err != nil {
			p.out, p.created, p.err = store.Completion{}, false, fmt.Errorf("sqlite %s: %w", s.path, err)
		}
		close(p.ack)
	}
}

func (s *Store) insertOne(ctx context.Context, c store.Completion) (store.Completion, bool, error) {
	c.ID = s.nextID
	c.Certificate = ""
	var cert any
	if c.Passed {
		c.Certificate = s.certs.Code(c.ID)
		cert = c.Certificate
	}
	passed := int64(0)
	if c.Passed {
		passed = 1
	}
	a := s.args[:]
	for i, v := range []any{c.ID, c.AttemptID, c.StaffID, c.Name, c.Email, c.Quiz, c.PolicyVersion, c.Score,
		int64(c.Correct), int64(c.Total), passed, cert, c.Answers, micros(c.StartedAt), micros(c.FinishedAt), c.ReceivedAt.UnixMicro()} {
		a[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	res, err := s.insert.(driver.StmtExecContext).ExecContext(ctx, a)
	if err != nil {
		return store.Completion{}, false, fmt.Errorf("insert attempt %q: %w", c.AttemptID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return store.Completion{}, false, fmt.Errorf("insert attempt %q: %w", c.AttemptID, err)
	} else if n == 1 {
		s.nextID++
		return c, true, nil
	}
	old, err := s.storedAttempt(ctx, c.AttemptID)
	if err != nil {
		return store.Completion{}, false, fmt.Errorf("look up stored attempt %q: %w", c.AttemptID, err)
	}
	return old, false, nil
}

// storedAttempt reads a completion through the writer's own connection, so
// it sees rows of the transaction in progress.
func (s *Store) storedAttempt(ctx context.Context, attempt string) (store.Completion, error) {
	rows, err := s.byTry.(driver.StmtQueryContext).QueryContext(ctx, []driver.NamedValue{{Ordinal: 1, Value: attempt}})
	if err != nil {
		return store.Completion{}, err
	}
	defer rows.Close()
	v := make([]driver.Value, 16)
	if err := rows.Next(v); err != nil {
		return store.Completion{}, err
	}
	return scan(valueRow(v))
}

// valueRow lets scan read driver values as it reads database/sql rows.
type valueRow []driver.Value

func (r valueRow) Scan(dest ...any) error {
	for i, d := range dest {
		var err error
		switch d := d.(type) {
		case *int64:
			*d, err = asInt(r[i])
		case *int:
			var n int64
			n, err = asInt(r[i])
			*d = int(n)
		case *bool:
			var n int64
			n, err = asInt(r[i])
			*d = n != 0
		case *float64:
			f, ok := r[i].(float64)
			if !ok {
				err = fmt.Errorf("column %d: want a number, have %T", i, r[i])
			}
			*d = f
		case *string:
			str, ok := r[i].(string)
			if !ok {
				err = fmt.Errorf("column %d: want text, have %T", i, r[i])
			}
			*d = str
		case *sql.NullString:
			*d = sql.NullString{}
			if str, ok := r[i].(string); ok {
				*d = sql.NullString{String: str, Valid: true}
			}
		case *sql.NullInt64:
			*d = sql.NullInt64{}
			if n, ok := r[i].(int64); ok {
				*d = sql.NullInt64{Int64: n, Valid: true}
			}
		default:
			err = fmt.Errorf("column %d: cannot read into %T", i, d)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func asInt(v driver.Value) (int64, error) {
	n, ok := v.(int64)
	if !ok {
		return 0, fmt.Errorf("want a whole number, have %T", v)
	}
	return n, nil
}

func (s *Store) ByCertificate(ctx context.Context, code string) (store.Completion, error) {
	id, ok := s.certs.ID(code)
	if !ok {
		return store.Completion{}, store.ErrNotFound
	}
	c, err := scanOne(s.r.QueryRowContext(ctx, `SELECT `+columns+` FROM completions WHERE id = ?`, id))
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return c, err
		}
		return c, fmt.Errorf("sqlite %s: certificate %s: %w", s.path, code, err)
	}
	// A stale key or a failed attempt's id decodes fine but must not verify.
	if !c.Passed || c.Certificate != code {
		return store.Completion{}, store.ErrNotFound
	}
	return c, nil
}

func (s *Store) LastPasses(ctx context.Context) ([]store.Completion, error) {
	var out []store.Completion
	err := s.query(ctx, `SELECT `+columns+` FROM completions WHERE id IN
		(SELECT MAX(id) FROM completions WHERE passed = 1 GROUP BY staff_id, quiz) ORDER BY id`,
		func(c store.Completion) error { out = append(out, c); return nil })
	if err != nil {
		return nil, fmt.Errorf("sqlite %s: last passes: %w", s.path, err)
	}
	return out, nil
}

func (s *Store) Each(ctx context.Context, fn func(store.Completion) error) error {
	return s.query(ctx, `SELECT `+columns+` FROM completions ORDER BY id`, fn)
}

func (s *Store) query(ctx context.Context, q string, fn func(store.Completion) error) error {
	rows, err := s.r.QueryContext(ctx, q)
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

// Close lets the writer commit everything already queued, then closes the
// database. It is safe to call more than once.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.queue)
	s.mu.Unlock()
	<-s.done
	return s.closeDBs()
}

func (s *Store) closeDBs() error {
	var errs []error
	if s.wconn != nil {
		errs = append(errs, s.wconn.Raw(func(any) error {
			var errs []error
			for _, st := range []driver.Stmt{s.insert, s.byTry} {
				if st != nil {
					errs = append(errs, st.Close())
				}
			}
			return errors.Join(errs...)
		}))
		errs = append(errs, s.wconn.Close())
	}
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	errs = append(errs, s.w.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close %s: %w", s.path, err)
	}
	return nil
}

type scanner interface{ Scan(dest ...any) error }

func scanOne(row *sql.Row) (store.Completion, error) {
	c, err := scan(row)
	if errors.Is(err, sql.ErrNoRows) {
		return c, store.ErrNotFound
	}
	return c, err
}

func scan(r scanner) (store.Completion, error) {
	var c store.Completion
	var cert sql.NullString
	var started, finished sql.NullInt64
	var received int64
	err := r.Scan(&c.ID, &c.AttemptID, &c.StaffID, &c.Name, &c.Email, &c.Quiz, &c.PolicyVersion, &c.Score,
		&c.Correct, &c.Total, &c.Passed, &cert, &c.Answers, &started, &finished, &received)
	if err != nil {
		return store.Completion{}, err
	}
	c.Certificate = cert.String
	c.StartedAt = fromMicros(started)
	c.FinishedAt = fromMicros(finished)
	c.ReceivedAt = time.UnixMicro(received).UTC()
	return c, nil
}

// micros is a time as stored: Unix microseconds, or NULL for no time.
func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func fromMicros(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.UnixMicro(n.Int64).UTC()
}

// Path is the database file, for messages.
func (s *Store) Path() string { return s.path }
