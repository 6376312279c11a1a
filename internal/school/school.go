// Package school holds the words every part of policysite shares: a Finding
// in a school's sources (file:line, error or warning), a Ref to a section of
// a policy (online-safety#filtering), a member of Staff and a training
// Completion. It imports nothing but the standard library, so the generator,
// the checks and the small trainlog binary can all use it; the adapters
// (Hugo, Chromium, SQLite, HTTP) sit around it, as in benbjohnson/wtf.
//
// It is not the repository's root package: that one embeds the built-in
// theme and the example school, which trainlog must not carry.
package school

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Severity says whether a finding stops publication (Error) or is advice
// (Warning).
type Severity int

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// Finding is one thing wrong with a site's sources, tied to a file and line
// so that someone who is not a programmer can open the file and fix it.
type Finding struct {
	File     string // relative to the site folder, with forward slashes
	Line     int    // 1-based; 0 when the finding is about the whole file
	Severity Severity
	Message  string
}

// String formats the finding the way compilers do, so editors can jump to
// it: "content/policies/online-safety.md:12: error: message".
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: %s", f.Where(), f.Severity, f.Message)
}

// Where is the finding's place, "file:line", or the file alone for a
// finding about the whole file.
func (f Finding) Where() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return f.File
}

// Errorf is an Error finding.
func Errorf(file string, line int, format string, args ...any) Finding {
	return Finding{File: file, Line: line, Severity: Error, Message: fmt.Sprintf(format, args...)}
}

// Warnf is a Warning finding.
func Warnf(file string, line int, format string, args ...any) Finding {
	return Finding{File: file, Line: line, Severity: Warning, Message: fmt.Sprintf(format, args...)}
}

// Sort orders findings by file, then line, errors before warnings, and drops
// exact repeats (the same placeholder twice on one line is one fix). It
// returns the shortened slice.
func Sort(fs []Finding) []Finding {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		return a.Message < b.Message
	})
	out := fs[:0]
	for i, f := range fs {
		if i > 0 && f == fs[i-1] {
			continue
		}
		out = append(out, f)
	}
	return out
}

// Errors counts the findings that are errors.
func Errors(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if f.Severity == Error {
			n++
		}
	}
	return n
}

// Only returns the findings of one severity.
func Only(fs []Finding, s Severity) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Severity == s {
			out = append(out, f)
		}
	}
	return out
}

// Ref points at a section of a policy, written SLUG#ANCHOR: the heading with
// id Anchor in the policy whose slug (file name without .md) is Policy.
// Posters take their rules from one (rules_from), quiz questions cite one.
type Ref struct {
	Policy string
	Anchor string // "" when the reference names the whole policy
}

func (r Ref) String() string {
	if r.Anchor == "" {
		return r.Policy
	}
	return r.Policy + "#" + r.Anchor
}

// ParseRef reads "online-safety#filtering" (also "online-safety.md#filtering",
// as a link to the file is written). It reports false when s is not a slug
// of lower-case letters, digits, '-' and '_', optionally followed by # and an
// id of letters, digits, '-' and '_'.
func ParseRef(s string) (Ref, bool) {
	slug, anchor, hasAnchor := strings.Cut(strings.TrimSpace(s), "#")
	slug = strings.TrimSuffix(slug, ".md")
	if !isSlug(slug) || (hasAnchor && !isID(anchor)) {
		return Ref{}, false
	}
	return Ref{Policy: slug, Anchor: anchor}, true
}

// isSlug: words of a-z and 0-9 joined by single '-' or '_'.
func isSlug(s string) bool {
	if s == "" {
		return false
	}
	prev := byte('-')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' || c == '_':
			if prev == '-' || prev == '_' {
				return false
			}
		default:
			return false
		}
		prev = c
	}
	return prev != '-' && prev != '_'
}

// isID: a heading id as a reference may name it.
func isID(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Staff is one member of staff on the school's staff list (the roster CSV
// with the header id,name,email,role,start_date).
type Staff struct {
	ID        string
	Name      string
	Email     string
	Role      string
	StartDate time.Time // midnight, local time
	Line      int       // of the staff list, for messages
}

// Completion is one finished attempt at a training quiz, as the training
// record keeps it.
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
