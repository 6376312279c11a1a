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
	"log/slog"
	"net/url"
	"os"
	"sort"
	"sync"
	"sync/atomic"
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
	// Logger receives checkpoint failures, which lose nothing (the rows are
	// safe in the WAL) but let the WAL file grow. Default slog.Default().
	Logger *slog.Logger

	// readOnly opens the file as SQLite does when the process may read it
	// but not write it (tests run as root, whom permissions do not stop).
	readOnly bool
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

	ckpt      *sql.DB       // one connection that copies the WAL into the database
	nudge     chan struct{} // the writer asks for a checkpoint
	ckptStop  chan struct{}
	ckptDone  chan struct{}
	sinceCkpt int         // rows committed since the last nudge; writer-owned
	restart   atomic.Bool // the checkpointer asks the writer to restart the WAL
	missed    int         // restarts in a row that found the WAL busy; writer-owned
	log       *slog.Logger
	unlock    func() // releases the lock file; set by Open
}

const (
	// nudgeRows is how many committed rows make the writer ask for a
	// checkpoint (about 4,000 WAL pages): fewer, larger checkpoints copy a
	// page rewritten many times once, which saved about 3 µs of CPU per
	// completion over SQLite's default of 1,000 pages.
	nudgeRows = 4000
	// restartFrames is the WAL size (in pages, ~32 MiB) at which the WAL is
	// restarted. Under steady load a passive checkpoint never finds a moment
	// when every frame is copied and no write is under way, so the WAL would
	// only grow (it reached 180 MB in 15 s), and a RESTART from the
	// checkpointer's connection cannot get in between the writer's
	// transactions either. So the writer runs it itself, between two
	// batches: it copies only the few frames the last passive run left.
	restartFrames = 8000
)

type pending struct {
	c       store.Completion
	out     store.Completion
	created bool
	err     error
	ack     chan struct{} // buffered: the writer never waits on a caller that gave up
}

// pendings are reused: one per completion was the store's largest allocation.
var pendings = sync.Pool{New: func() any { return &pending{ack: make(chan struct{}, 1)} }}

var _ store.Store = (*Store)(nil)

const columns = `id, attempt_id, staff_id, name, email, quiz, policy_version, score, correct, total, passed,
	certificate, answers, started_at, finished_at, received_at`

// Open opens (creating if needed) the database file at path and brings its
// schema up to date. While the store is open it holds path+".lock", so a
// second process opening the same file gets a clear error instead of
// failing to store completions.
func Open(path string, opt Options) (*Store, error) {
	if opt.Certificates == nil {
		return nil, fmt.Errorf("open %s: no certificate codec given", path)
	}
	unlock, err := lock(path)
	if err != nil {
		return nil, err
	}
	// The records hold names, e-mail addresses and scores: made here first,
	// the file is private whatever the umask, and SQLite gives its -wal and
	// -shm files the database file's permissions.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	}
	s, err := open(path, opt)
	if err != nil {
		unlock()
		return nil, err
	}
	s.unlock = unlock
	return s, nil
}

// open opens the database once Open holds its lock.
func open(path string, opt Options) (*Store, error) {
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
		// Checkpoints run on their own connection (see checkpointer), not
		// inside the writer's COMMIT, where they held up every waiting
		// completion for tens of milliseconds.
		q.Add("_pragma", "wal_autocheckpoint(0)")
		for _, e := range extra {
			q.Add("_pragma", e)
		}
		if opt.readOnly {
			q.Add("mode", "ro")
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
	// SQLite opens a file this process may read but not write read-only,
	// without complaint: find that out now rather than at each completion.
	// (BEGIN IMMEDIATE does not notice; rewriting the schema version does.)
	var version int
	err = w.QueryRow(`PRAGMA user_version`).Scan(&version)
	if err == nil {
		_, err = w.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, version))
	}
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("cannot write to %s: %w: the user running trainlog must own the data folder and every file in it (or choose another --data folder)", path, err)
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
	ckpt, err := sql.Open("sqlite", dsn())
	if err != nil {
		s.closeDBs()
		return nil, fmt.Errorf("open %s for checkpoints: %w", path, err)
	}
	ckpt.SetMaxOpenConns(1)
	s.ckpt = ckpt
	s.log = opt.Logger
	if s.log == nil {
		s.log = slog.Default()
	}
	s.queue = make(chan *pending, opt.QueueSize)
	s.done = make(chan struct{})
	s.nudge = make(chan struct{}, 1)
	s.ckptStop = make(chan struct{})
	s.ckptDone = make(chan struct{})
	go s.writer()
	go s.checkpointer()
	return s, nil
}

// checkpointer copies committed pages from the WAL into the database file
// while the writer goes on committing: when nudged, and every second.
func (s *Store) checkpointer() {
	defer close(s.ckptDone)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-s.ckptStop:
			return
		case <-s.nudge:
		case <-tick.C:
		}
		frames, err := s.checkpoint("PASSIVE")
		if err == nil && frames >= restartFrames {
			s.restart.Store(true)
		}
		if err != nil {
			s.log.Warn("SQLite checkpoint failed; completions are safe in the WAL, which will keep growing until one succeeds",
				"file", s.path, "error", err.Error())
		}
	}
}

// checkpoint runs one checkpoint and returns the WAL's size in pages.
func (s *Store) checkpoint(mode string) (frames int, err error) {
	var busy, copied int
	err = s.ckpt.QueryRow(`PRAGMA wal_checkpoint(`+mode+`)`).Scan(&busy, &frames, &copied)
	return frames, err
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
	p := pendings.Get().(*pending)
	p.c = c
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		pendings.Put(p)
		return store.Completion{}, false, store.ErrClosed
	}
	select {
	case s.queue <- p:
		s.mu.RUnlock()
	case <-ctx.Done():
		s.mu.RUnlock()
		pendings.Put(p)
		return store.Completion{}, false, ctx.Err()
	}
	// Once queued the insert will be attempted whatever happens to ctx; a
	// caller that gives up can resend the same attempt id safely. Its
	// pending then stays with the writer and is left to the collector.
	select {
	case <-p.ack:
		out, created, err := p.out, p.created, p.err
		*p = pending{ack: p.ack}
		pendings.Put(p)
		return out, created, err
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
		if s.restart.Swap(false) {
			var busy, frames, copied int
			err := s.wconn.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(RESTART)`).Scan(&busy, &frames, &copied)
			if err == nil && busy == 0 {
				s.missed = 0
			} else if s.missed++; s.missed%10 == 0 {
				// Busy now and then is expected (a passive checkpoint or a
				// report query was running); every time means the WAL grows.
				s.log.Warn("the SQLite WAL could not be restarted 10 times in a row and keeps growing; a long report or export may be holding it",
					"file", s.path, "wal_pages", frames, "error", fmt.Sprint(err))
			}
		}
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
	} else if s.sinceCkpt += len(batch); s.sinceCkpt >= nudgeRows {
		s.sinceCkpt = 0
		select {
		case s.nudge <- struct{}{}:
		default: // one is already pending
		}
	}
	for _, p := range batch {
		if err != nil {
			p.out, p.created, p.err = store.Completion{}, false, fmt.Errorf("sqlite %s: %w", s.path, err)
		}
		p.ack <- struct{}{}
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
	close(s.ckptStop)
	<-s.ckptDone
	// Leave everything in the database file and an empty WAL, so a copy of
	// trainlog.db alone is a complete backup.
	if _, err := s.checkpoint("TRUNCATE"); err != nil {
		s.log.Warn("final SQLite checkpoint failed; the WAL file still holds recent completions, keep it with the database", "file", s.path, "error", err.Error())
	}
	err := s.closeDBs()
	s.unlock()
	return err
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
	if s.ckpt != nil {
		errs = append(errs, s.ckpt.Close())
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
