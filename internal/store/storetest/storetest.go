// Package storetest is the behaviour every store.Store must show, run by
// each implementation's tests against a real database.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/policysite/policysite/internal/store"
)

// Opener opens the same database each time it is called, so a test can
// close a store and open it again.
type Opener func() (store.Store, error)

// Certs is the certificate codec the stores under test must be opened with.
var Certs = store.NewCertificates([]byte("storetest key"))

// Run runs the suite. fresh must return an Opener for a new, empty database,
// opened with Certs.
func Run(t *testing.T, fresh func(t *testing.T) Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open Opener)
	}{
		{"AddAssignsIDAndCertificate", testAdd},
		{"SameAttemptReturnsStoredRecord", testIdempotent},
		{"ConcurrentAddsAreAllStoredOnce", testConcurrent},
		{"ByCertificate", testByCertificate},
		{"LastPasses", testLastPasses},
		{"SurvivesReopen", testReopen},
		{"AddAfterClose", testAddAfterClose},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, fresh(t)) })
	}
}

func mustOpen(t *testing.T, open Opener) store.Store {
	t.Helper()
	s, err := open()
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

var base = time.Date(2026, 9, 14, 9, 30, 0, 0, time.UTC)

// sample returns a completion; the ids make every one distinct.
func sample(attempt, staff, quiz string, passed bool, at time.Time) store.Completion {
	c := store.Completion{
		AttemptID: attempt, StaffID: staff, Name: "Name of " + staff, Email: staff + "@school.example",
		Quiz: quiz, PolicyVersion: "4.0", Score: 0.5, Correct: 2, Total: 4, Passed: passed,
		Answers:   `[[1],[0,2],[1],[0]]`,
		StartedAt: at.Add(-5 * time.Minute), FinishedAt: at.Add(-time.Second), ReceivedAt: at,
	}
	if passed {
		c.Score, c.Correct = 1, 4
	}
	return c
}

func add(t *testing.T, s store.Store, c store.Completion) store.Completion {
	t.Helper()
	got, created, err := s.Add(context.Background(), c)
	if err != nil {
		t.Fatalf("add %s: %v", c.AttemptID, err)
	}
	if !created {
		t.Fatalf("add %s: reported as already stored", c.AttemptID)
	}
	return got
}

// same compares what a store must keep exactly; times only to the microsecond.
func same(t *testing.T, got, want store.Completion) {
	t.Helper()
	g, w := got, want
	for _, p := range []*store.Completion{&g, &w} {
		p.ID, p.Certificate = 0, ""
		p.StartedAt = p.StartedAt.Truncate(time.Microsecond).UTC()
		p.FinishedAt = p.FinishedAt.Truncate(time.Microsecond).UTC()
		p.ReceivedAt = p.ReceivedAt.Truncate(time.Microsecond).UTC()
	}
	if g != w {
		t.Errorf("stored record differs:\n got %+v\nwant %+v", g, w)
	}
}

func testAdd(t *testing.T, open Opener) {
	s := mustOpen(t, open)
	pass := sample("a1", "s1", "online-safety", true, base)
	got := add(t, s, pass)
	if got.ID <= 0 {
		t.Errorf("ID = %d, want > 0", got.ID)
	}
	if got.Certificate != Certs.Code(got.ID) {
		t.Errorf("pass got certificate %q, want %q, the code of its id", got.Certificate, Certs.Code(got.ID))
	}
	same(t, got, pass)

	fail := sample("a2", "s1", "online-safety", false, base)
	fail.StartedAt, fail.FinishedAt = time.Time{}, time.Time{} // the page may omit them
	got = add(t, s, fail)
	if got.Certificate != "" {
		t.Errorf("a failed attempt got certificate %q", got.Certificate)
	}
	if !got.StartedAt.IsZero() || !got.FinishedAt.IsZero() {
		t.Errorf("missing times came back as %v, %v", got.StartedAt, got.FinishedAt)
	}
	same(t, got, fail)
}

func testIdempotent(t *testing.T, open Opener) {
	s := mustOpen(t, open)
	first := add(t, s, sample("same", "s1", "online-safety", true, base))
	again := sample("same", "s1", "online-safety", false, base.Add(time.Hour))
	got, created, err := s.Add(context.Background(), again)
	if err != nil {
		t.Fatal(err)
	}
	if created {
		t.Fatal("a resend was stored as a new record")
	}
	if got.ID != first.ID || got.Certificate != first.Certificate || !got.Passed || !got.ReceivedAt.Equal(first.ReceivedAt) {
		t.Errorf("resend returned %+v, want the first record %+v", got, first)
	}
	if n := count(t, s); n != 1 {
		t.Errorf("%d records stored, want 1", n)
	}
}

func count(t *testing.T, s store.Store) int {
	t.Helper()
	n := 0
	if err := s.Each(context.Background(), func(store.Completion) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func testConcurrent(t *testing.T, open Opener) {
	s := mustOpen(t, open)
	const writers, each = 16, 25
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := map[string]int{}
	ids := map[int64]bool{}
	errs := make(chan error, writers*each*2)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				// Every attempt is sent twice, by neighbouring writers.
				for _, owner := range []int{w, (w + 1) % writers} {
					id := fmt.Sprintf("w%d-%d", owner, i)
					c, ok, err := s.Add(context.Background(), sample(id, fmt.Sprintf("s%d", owner), "q", i%2 == 0, base))
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					if ok {
						created[id]++
					}
					if c.AttemptID != id {
						errs <- fmt.Errorf("asked for %s, got %s back", id, c.AttemptID)
					}
					ids[c.ID] = true
					mu.Unlock()
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(created) != writers*each {
		t.Errorf("%d attempts created, want %d", len(created), writers*each)
	}
	for id, n := range created {
		if n != 1 {
			t.Errorf("attempt %s created %d times", id, n)
		}
	}
	if len(ids) != writers*each {
		t.Errorf("%d distinct record ids handed out, want %d", len(ids), writers*each)
	}
	if n := count(t, s); n != writers*each {
		t.Errorf("%d records stored, want %d", n, writers*each)
	}
	certs := map[string]bool{}
	_ = s.Each(context.Background(), func(c store.Completion) error {
		if c.Passed {
			if certs[c.Certificate] {
				t.Errorf("certificate %s issued twice", c.Certificate)
			}
			certs[c.Certificate] = true
		}
		return nil
	})
}

func testByCertificate(t *testing.T, open Opener) {
	s := mustOpen(t, open)
	c := add(t, s, sample("b1", "s1", "q", true, base))
	got, err := s.ByCertificate(context.Background(), c.Certificate)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != c.ID || got.Name != c.Name {
		t.Errorf("got %+v, want %+v", got, c)
	}
	failed := add(t, s, sample("b2", "s1", "q", false, base))
	for name, code := range map[string]string{
		"code of a failed attempt": Certs.Code(failed.ID),
		"code of no record yet":    Certs.Code(failed.ID + 1),
		"code from another key":    store.NewCertificates([]byte("other")).Code(c.ID),
		"one character changed":    flip(c.Certificate),
		"not a code":               "0000",
	} {
		if got, err := s.ByCertificate(context.Background(), code); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s (%s): got %+v, %v; want ErrNotFound", name, code, got, err)
		}
	}
}

func flip(code string) string {
	b := []byte(code)
	if b[4] == '7' {
		b[4] = '8'
	} else {
		b[4] = '7'
	}
	return string(b)
}

func testLastPasses(t *testing.T, open Opener) {
	s := mustOpen(t, open)
	day := 24 * time.Hour
	add(t, s, sample("l1", "ann", "online-safety", true, base))
	latest := add(t, s, sample("l2", "ann", "online-safety", true, base.Add(300*day)))
	add(t, s, sample("l3", "ann", "online-safety", false, base.Add(301*day))) // a later fail does not undo a pass
	aup := add(t, s, sample("l4", "ann", "staff-aup", true, base))
	add(t, s, sample("l5", "bob", "online-safety", false, base)) // never passed
	bob := add(t, s, sample("l6", "bob", "staff-aup", true, base.Add(day)))

	got, err := s.LastPasses(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"ann/online-safety": latest.ID, "ann/staff-aup": aup.ID, "bob/staff-aup": bob.ID}
	if len(got) != len(want) {
		t.Fatalf("got %d last passes, want %d: %+v", len(got), len(want), got)
	}
	for _, c := range got {
		if id := want[c.StaffID+"/"+c.Quiz]; id != c.ID {
			t.Errorf("%s/%s: last pass id %d, want %d", c.StaffID, c.Quiz, c.ID, id)
		}
	}
}

func testReopen(t *testing.T, open Opener) {
	s, err := open()
	if err != nil {
		t.Fatal(err)
	}
	c := add(t, s, sample("r1", "s1", "q", true, base))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = mustOpen(t, open)
	got, err := s.ByCertificate(context.Background(), c.Certificate)
	if err != nil {
		t.Fatalf("record lost after reopening: %v", err)
	}
	same(t, got, c)
	next := add(t, s, sample("r2", "s1", "q", true, base))
	if next.ID <= c.ID {
		t.Errorf("after reopening, new record got id %d, not after %d", next.ID, c.ID)
	}
	if _, created, _ := s.Add(context.Background(), sample("r1", "s1", "q", true, base)); created {
		t.Error("after reopening, a resend was stored again")
	}
}

func testAddAfterClose(t *testing.T, open Opener) {
	s, err := open()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Add(context.Background(), sample("x", "s", "q", true, base)); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Add after Close: err = %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
