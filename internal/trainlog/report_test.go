package trainlog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policysite/policysite/internal/store"
)

// A read-and-acknowledge record covers one version of the policy: when the
// governors adopt a new version, everyone whose last acknowledgement was of
// the older one is due again (from the new version's adoption date), while a
// scored quiz keeps its yearly cycle.
func TestNewPolicyVersionMakesAcknowledgementsDue(t *testing.T) {
	content := filepath.Join(t.TempDir(), "content")
	policies := filepath.Join(content, "policies")
	if err := os.MkdirAll(policies, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"online-safety.md", "staff-acceptable-use.md"} {
		if err := os.WriteFile(filepath.Join(policies, name), []byte(readFile(t, "testdata/site/content/policies/"+name)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	aup := readFile(t, "testdata/site/content/policies/staff-acceptable-use.md")
	adopt := func(version, adopted string) {
		t.Helper()
		s := strings.Replace(aup, `version: "3.2"`, `version: "`+version+`"`, 1)
		s = strings.Replace(s, "adopted: 2026-09-14", "adopted: "+adopted, 1)
		if s == aup {
			t.Fatal("fixture policy no longer has version 3.2 adopted 2026-09-14")
		}
		if err := os.WriteFile(filepath.Join(policies, "staff-acceptable-use.md"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f := newFixture(t, func(c *Config) { c.ContentDir = content })

	f.clock.Set(today.AddDate(0, 0, -10))
	for _, s := range []struct{ attempt, quiz, answers, who string }{
		{"attempt-v1", "staff-aup", `[]`, "ann"},
		{"attempt-v2", "staff-aup", `[]`, "bob"},
		{"attempt-v3", "online-safety", allRight, "ann"},
	} {
		if res := f.submit(s.attempt, s.quiz, s.answers, f.token(s.who)); res.status != 201 {
			t.Fatalf("%s: %d %s", s.attempt, res.status, res.body)
		}
	}
	f.clock.Set(today)

	row := func(rep Report, staff, quiz string) ReportRow {
		t.Helper()
		for _, r := range rep.Rows {
			if r.StaffID == staff && r.Quiz == quiz {
				return r
			}
		}
		t.Fatalf("no report row for %s/%s", staff, quiz)
		return ReportRow{}
	}
	check := func(rep Report, staff, quiz, status, due string, days int, reack bool) {
		t.Helper()
		r := row(rep, staff, quiz)
		if r.Status != status || r.Due != due || r.DaysLeft != days || r.Reacknowledge != reack {
			t.Errorf("%s/%s: status %s due %s days %d reacknowledge %v (passed %s, current %s); want %s %s %d %v",
				staff, quiz, r.Status, r.Due, r.DaysLeft, r.Reacknowledge, r.PassedVersion, r.CurrentVersion, status, due, days, reack)
		}
	}

	// Same version: done, due a year after the pass.
	rep := f.report()
	check(rep, "ann", "staff-aup", "done", "2028-02-19", 355, false)

	// Version 3.3 adopted five days ago: the 3.2 acknowledgements are due
	// 28 days after adoption; the scored quiz is still done.
	adopt("3.3", "2027-02-24")
	if err := f.srv.Reload(); err != nil {
		t.Fatal(err)
	}
	rep = f.report()
	check(rep, "ann", "staff-aup", "due", "2027-03-24", 23, true)
	check(rep, "bob", "staff-aup", "due", "2027-03-24", 23, true)
	check(rep, "ann", "online-safety", "done", "2028-02-19", 355, false)
	if r := row(rep, "ann", "staff-aup"); r.PassedVersion != "3.2" || r.CurrentVersion != "3.3" || r.LastPass != "2027-02-19" {
		t.Errorf("the row should still show the old pass and both versions: %+v", r)
	}

	// Bob acknowledges 3.3: done again, a year from today.
	if res := f.submit("attempt-v4", "staff-aup", `[]`, f.token("bob")); res.status != 201 {
		t.Fatalf("re-acknowledgement: %d %s", res.status, res.body)
	} else if v := res.json(t)["policy_version"]; v != "3.3" {
		t.Errorf("re-acknowledgement recorded version %v, want 3.3", v)
	}
	rep = f.report()
	check(rep, "bob", "staff-aup", "done", "2028-02-29", 365, false)

	// A version adopted long ago (trainlog was not reloaded when it came
	// out): past the grace period the old acknowledgement is overdue.
	adopt("4.0", "2027-01-20")
	if err := f.srv.Reload(); err != nil {
		t.Fatal(err)
	}
	rep = f.report()
	check(rep, "ann", "staff-aup", "overdue", "2027-02-17", -12, true)
	if rep.Rows[0].StaffID != "ann" || rep.Rows[0].Quiz != "staff-aup" {
		t.Errorf("the overdue acknowledgement should come first, got %+v", rep.Rows[0])
	}
}

// failingEach is a store whose Each fails after some rows, as a database
// read error half-way through an export would.
type failingEach struct {
	store.Store
	after int
}

func (f failingEach) Each(ctx context.Context, fn func(store.Completion) error) error {
	n := 0
	f.Store.Each(ctx, func(c store.Completion) error {
		if n == f.after {
			return errors.New("stop")
		}
		n++
		return fn(c)
	})
	return errors.New("disk I/O error")
}

// A CSV export that fails half-way must not arrive as a shorter file that
// looks complete: the download is broken off, and the log says why.
func TestCSVThatFailsHalfWayIsNotTakenForComplete(t *testing.T) {
	f := newFixture(t, nil)
	for i := range 3 {
		if res := f.submit(fmt.Sprintf("attempt-csv-%d", i), "online-safety", allRight, f.token("ann")); res.status != 201 {
			t.Fatalf("%d %s", res.status, res.body)
		}
	}
	f.srv.store = failingEach{Store: f.srv.store, after: 1}
	req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/completions.csv", nil)
	req.Header.Set("Authorization", "Bearer "+f.admin)
	// Either the answer never starts (a small file is still in the
	// server's buffer) or it stops without its end: never a clean EOF.
	if res, err := f.ts.Client().Do(req); err == nil {
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err == nil {
			t.Errorf("the broken export read as a complete file (%d):\n%s", res.StatusCode, body)
		}
	}
	if !strings.Contains(f.logs.String(), "disk I/O error") {
		t.Errorf("log does not say why: %s", f.logs.String())
	}
}
