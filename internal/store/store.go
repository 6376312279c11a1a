// Package store defines where trainlog keeps completions. Implementations
// live in store/sqlite (the default, embedded) and store/postgres; both pass
// the shared suite in store/storetest.
package store

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Completion is one graded quiz submission as stored.
type Completion struct {
	ID            int64
	AttemptID     string // chosen by the page; a resend carries the same id
	StaffID       string // roster id, or the e-mail address in open mode
	Name          string
	Email         string
	Quiz          string
	PolicyVersion string
	Score         float64
	Correct       int
	Total         int
	Passed        bool
	Certificate   string // verification code; empty unless Passed
	Answers       string // the graded answers as JSON, kept for disputes
	StartedAt     time.Time
	FinishedAt    time.Time
	ReceivedAt    time.Time // server clock: the date that counts for due dates
}

// Store keeps completions durably.
type Store interface {
	// Add stores c unless a completion with the same AttemptID exists. It
	// returns only once the record is on stable storage. The store assigns
	// the ID and, for a passed completion, the certificate code derived from
	// it (see Certificates); anything the caller put in them is ignored.
	// created is false when an earlier record was found; that record is
	// returned unchanged.
	Add(ctx context.Context, c Completion) (stored Completion, created bool, err error)
	// ByCertificate finds the passed completion holding a certificate code
	// (already normalised with NormalizeCertificate); ErrNotFound otherwise.
	ByCertificate(ctx context.Context, code string) (Completion, error)
	// LastPasses returns, for every staff member and quiz, the most recent
	// passing completion.
	LastPasses(ctx context.Context) ([]Completion, error)
	// Each calls fn for every completion in the order they were stored.
	Each(ctx context.Context, fn func(Completion) error) error
	// Close finishes pending writes and releases the database.
	Close() error
}

var (
	ErrNotFound = errors.New("not found")
	ErrClosed   = errors.New("store is closed")
)

// Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or
// copied from paper survives.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// CertificateLength is the number of characters in a certificate code.
const CertificateLength = 10

// NormalizeCertificate turns what a person typed into the stored form:
// upper case, hyphens and spaces dropped, and the letters Crockford base32
// treats as look-alikes mapped to their digits. ok is false when the result
// cannot be a code.
func NormalizeCertificate(s string) (code string, ok bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case '-', ' ':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		if !strings.ContainsRune(crockford, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != CertificateLength {
		return "", false
	}
	return b.String(), true
}
