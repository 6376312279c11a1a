package trainlog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
