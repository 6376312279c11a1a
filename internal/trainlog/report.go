package trainlog

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/policysite/policysite/internal/store"
)

// Status of one person for one quiz.
const (
	StatusOverdue = "overdue" // the last pass has expired
	StatusNever   = "never"   // never passed, and the new-starter period is over
	StatusDue     = "due"     // due within DueSoonDays, or a new starter still within the grace period
	StatusDone    = "done"
)

var statusRank = map[string]int{StatusOverdue: 0, StatusNever: 1, StatusDue: 2, StatusDone: 3}

// ReportRow is one person and one quiz.
type ReportRow struct {
	StaffID        string   `json:"staff_id"`
	Name           string   `json:"name"`
	Email          string   `json:"email"`
	Role           string   `json:"role"`
	OnRoster       bool     `json:"on_roster"`
	StartDate      string   `json:"start_date"` // roster start date; first pass for people not on the roster
	Quiz           string   `json:"quiz"`
	QuizTitle      string   `json:"quiz_title"`
	CurrentVersion string   `json:"current_version"` // of the policy the quiz trains on
	LastPass       string   `json:"last_pass,omitempty"`
	Score          *float64 `json:"score,omitempty"`
	PassedVersion  string   `json:"passed_version,omitempty"` // policy version the last pass covered
	// Reacknowledge is set on a read-and-acknowledge quiz whose last pass
	// covered an older version of the policy: the row is then due (or
	// overdue) whatever the age of that pass.
	Reacknowledge bool   `json:"reacknowledge,omitempty"`
	Certificate   string `json:"certificate,omitempty"`
	Due           string `json:"due"`
	DaysLeft      int    `json:"days_left"` // negative when overdue
	Status        string `json:"status"`
}

// Report is the answer of GET /v1/report.
type Report struct {
	Generated   string         `json:"generated"`
	GraceDays   int            `json:"grace_days"`
	DueSoonDays int            `json:"due_soon_days"`
	Counts      map[string]int `json:"counts"`
	Rows        []ReportRow    `json:"rows"`
}

// BuildReport lists every person × quiz, most urgent first: overdue, never,
// due, done; within a status the earliest due date first.
//
// Due dates count in whole days in the server's time zone: a pass on day D
// of a quiz valid for N days is due on D+N. A person with no pass is due
// GraceDays after their start date. Completions in open mode from people
// not on the roster appear too, with their first pass as start date.
//
// A read-and-acknowledge quiz (acknowledge = true) records that someone has
// read one version of a policy, so a pass on an older version than the
// current one does not count as done: the row is due GraceDays after the
// current version's adoption date (or earlier, when the old pass expires
// first), and overdue after that. Scored quizzes keep their yearly cycle
// across versions; the row shows both versions.
func (s *Server) BuildReport(ctx context.Context) (*Report, error) {
	st := s.state.Load()
	passes, err := s.store.LastPasses(ctx)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now().In(time.Local)
	today := day(now)

	last := map[[2]string]store.Completion{}
	people := append([]*Staff(nil), st.roster.Staff...)
	extra := map[string]*Staff{}
	for _, c := range passes {
		last[[2]string{c.StaffID, c.Quiz}] = c
		if st.roster.ByID(c.StaffID) != nil {
			continue
		}
		passed := day(c.ReceivedAt.In(time.Local))
		if p := extra[c.StaffID]; p == nil {
			extra[c.StaffID] = &Staff{ID: c.StaffID, Name: c.Name, Email: c.Email, StartDate: passed}
			people = append(people, extra[c.StaffID])
		} else if passed.Before(p.StartDate) {
			p.StartDate = passed
		}
	}

	rep := &Report{Generated: now.Format(time.RFC3339), GraceDays: s.cfg.GraceDays, DueSoonDays: s.cfg.DueSoonDays,
		Counts: map[string]int{StatusOverdue: 0, StatusNever: 0, StatusDue: 0, StatusDone: 0}}
	for _, p := range people {
		for _, q := range st.order {
			row := ReportRow{StaffID: p.ID, Name: p.Name, Email: p.Email, Role: p.Role, OnRoster: extra[p.ID] == nil,
				StartDate: p.StartDate.Format(dateLayout),
				Quiz:      q.ID, QuizTitle: q.Title, CurrentVersion: st.versions[q.Policy]}
			var due time.Time
			if c, ok := last[[2]string{p.ID, q.ID}]; ok {
				passed := day(c.ReceivedAt.In(time.Local))
				score := c.Score
				row.LastPass, row.Score, row.PassedVersion, row.Certificate = passed.Format(dateLayout), &score, c.PolicyVersion, c.Certificate
				due = passed.AddDate(0, 0, q.ValidForDays)
				row.Status = StatusDone
				if q.Acknowledge && c.PolicyVersion != "" && row.CurrentVersion != "" && c.PolicyVersion != row.CurrentVersion {
					row.Reacknowledge = true
					row.Status = StatusDue
					if adopted, ok := st.adopted[q.Policy]; ok {
						if d := adopted.AddDate(0, 0, s.cfg.GraceDays); d.Before(due) {
							due = d
						}
					}
				}
				if !today.Before(due) {
					row.Status = StatusOverdue
				} else if !today.Before(due.AddDate(0, 0, -s.cfg.DueSoonDays)) {
					row.Status = StatusDue
				}
			} else {
				due = p.StartDate.AddDate(0, 0, s.cfg.GraceDays)
				row.Status = StatusDue
				if !today.Before(due) {
					row.Status = StatusNever
				}
			}
			row.Due = due.Format(dateLayout)
			row.DaysLeft = daysBetween(today, due)
			rep.Counts[row.Status]++
			rep.Rows = append(rep.Rows, row)
		}
	}
	sort.SliceStable(rep.Rows, func(i, j int) bool {
		a, b := rep.Rows[i], rep.Rows[j]
		if statusRank[a.Status] != statusRank[b.Status] {
			return statusRank[a.Status] < statusRank[b.Status]
		}
		if a.Due != b.Due {
			return a.Due < b.Due
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.QuizTitle < b.QuizTitle
	})
	return rep, nil
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// daysBetween counts calendar days, so clock changes do not shift it.
func daysBetween(from, to time.Time) int {
	a := time.Date(from.Year(), from.Month(), from.Day(), 12, 0, 0, 0, time.UTC)
	b := time.Date(to.Year(), to.Month(), to.Day(), 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	rep, err := s.BuildReport(r.Context())
	if err != nil {
		s.cfg.Logger.Error("build report", "error", err.Error())
		writeError(w, errorf(http.StatusServiceUnavailable, "the report could not be read from the store just now: try again in a moment"))
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

var csvHeader = []string{"id", "recorded_at", "staff_id", "name", "email", "role", "quiz", "quiz_title", "policy_version",
	"score", "correct", "total", "passed", "certificate", "started_at", "finished_at", "attempt_id"}

// handleCSV streams every completion. Cells a spreadsheet would run as a
// formula are made inert with a leading apostrophe.
func (s *Server) handleCSV(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="training-completions-%s.csv"`, s.cfg.Now().In(time.Local).Format(dateLayout)))
	// A byte-order mark makes Excel read the file as UTF-8, so names with
	// accents survive.
	w.Write([]byte("\xef\xbb\xbf"))
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	err := s.store.Each(r.Context(), func(c store.Completion) error {
		role, title := "", c.Quiz
		if p := st.roster.ByID(c.StaffID); p != nil {
			role = p.Role
		}
		if q := st.quizzes[c.Quiz]; q != nil {
			title = q.Title
		}
		rec := []string{strconv.FormatInt(c.ID, 10), c.ReceivedAt.In(time.Local).Format(time.RFC3339), c.StaffID, c.Name, c.Email, role,
			c.Quiz, title, c.PolicyVersion, strconv.FormatFloat(c.Score, 'f', -1, 64), strconv.Itoa(c.Correct), strconv.Itoa(c.Total),
			strconv.FormatBool(c.Passed), c.Certificate, csvTime(c.StartedAt), csvTime(c.FinishedAt), c.AttemptID}
		for i := range rec {
			rec[i] = inertCell(rec[i])
		}
		return cw.Write(rec)
	})
	cw.Flush()
	if err != nil {
		s.cfg.Logger.Error("write completions CSV; the download was broken off so it cannot be taken for the whole record", "error", err.Error())
		// The 200 has gone, but a CSV that simply stopped would look
		// complete to whoever opens it: ending the response without its
		// final chunk makes the browser report the download as failed.
		panic(http.ErrAbortHandler)
	}
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(time.Local).Format(time.RFC3339)
}

// inertCell defuses spreadsheet formula injection (OWASP's list of
// dangerous first characters).
func inertCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Verification is the public answer about a certificate code.
type Verification struct {
	Certificate   string  `json:"certificate"`
	Valid         bool    `json:"valid"`
	Name          string  `json:"name"`
	Quiz          string  `json:"quiz"`
	QuizTitle     string  `json:"quiz_title"`
	PolicyVersion string  `json:"policy_version"`
	Date          string  `json:"date"`
	ValidUntil    string  `json:"valid_until,omitempty"` // when the pass stops counting; empty if the quiz is gone
	Score         float64 `json:"score"`
}

func (s *Server) handleCertificate(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("code")
	code, ok := store.NormalizeCertificate(raw)
	if !ok {
		writeError(w, errorf(http.StatusNotFound, "%q is not a certificate code: a code has %d characters, digits and capital letters (no I, L, O or U), such as 7K2M9-QX4TD",
			truncate(raw, 30), store.CertificateLength))
		return
	}
	c, err := s.store.ByCertificate(r.Context(), code)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, errorf(http.StatusNotFound, "no certificate has the code %s: check it character by character against the printed certificate", code))
		return
	}
	if err != nil {
		s.cfg.Logger.Error("look up certificate", "error", err.Error())
		writeError(w, errorf(http.StatusServiceUnavailable, "certificates cannot be checked just now: try again in a moment"))
		return
	}
	passed := day(c.ReceivedAt.In(time.Local))
	v := Verification{Certificate: c.Certificate, Valid: true, Name: c.Name, Quiz: c.Quiz, QuizTitle: c.Quiz,
		PolicyVersion: c.PolicyVersion, Date: passed.Format(dateLayout), Score: c.Score}
	if q := s.state.Load().quizzes[c.Quiz]; q != nil {
		v.QuizTitle = q.Title
		v.ValidUntil = passed.AddDate(0, 0, q.ValidForDays).Format(dateLayout)
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "quizzes": len(st.order), "staff": len(st.roster.Staff)})
}
