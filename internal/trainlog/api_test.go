package trainlog

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/policysite/policysite/internal/store"
)

func TestCompletionIsGradedStoredAndIdempotent(t *testing.T) {
	f := newFixture(t, nil)
	res := f.submit("attempt-0001", "online-safety", allRight, f.token("ann"))
	if res.status != http.StatusCreated {
		t.Fatalf("status %d, want 201: %s", res.status, res.body)
	}
	m := res.json(t)
	if m["quiz"] != "online-safety" || m["policy_version"] != "4.0" || m["score"] != 1.0 || m["passed"] != true || m["name"] != "Ann Archer" || m["date"] != "2027-03-01" {
		t.Errorf("unexpected reply %s", res.body)
	}
	code, _ := m["certificate"].(string)
	if n, ok := store.NormalizeCertificate(code); !ok || n != code {
		t.Errorf("certificate %q is not a code", code)
	}
	if _, ok := m["id"].(float64); !ok {
		t.Errorf("no numeric id in %s", res.body)
	}

	again := f.submit("attempt-0001", "online-safety", allRight, f.token("ann"))
	if again.status != http.StatusOK || !bytes.Equal(again.body, res.body) {
		t.Errorf("resend: status %d body %s; want 200 and the same body %s", again.status, again.body, res.body)
	}
	// Even a resend with different answers gets the first, stored result.
	changed := f.submit("attempt-0001", "online-safety", oneRight, f.token("ann"))
	if changed.status != http.StatusOK || !bytes.Equal(changed.body, res.body) {
		t.Errorf("resend with other answers: status %d body %s; want the stored result", changed.status, changed.body)
	}
	if rows := f.csvRows(); len(rows) != 2 {
		t.Errorf("CSV has %d lines, want header + 1 completion", len(rows))
	}
}

func TestServerGradesNotTheClient(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		answers string
		score   float64
		passed  bool
	}{
		{threeRight, 0.75, true},
		{oneRight, 0.25, false},
		{`[[], [], [], []]`, 0, false},
		{`[1, [2, 0], 1, 1]`, 1, true}, // bare numbers, and choices in any order
	}
	for i, tt := range tests {
		res := f.submit(fmt.Sprintf("attempt-grade-%d", i), "online-safety", tt.answers, f.token("bob"))
		if res.status != http.StatusCreated {
			t.Fatalf("%s: status %d: %s", tt.answers, res.status, res.body)
		}
		m := res.json(t)
		if m["score"] != tt.score || m["passed"] != tt.passed {
			t.Errorf("%s: score %v passed %v, want %v %v", tt.answers, m["score"], m["passed"], tt.score, tt.passed)
		}
		if _, has := m["certificate"]; has != tt.passed {
			t.Errorf("%s: certificate present = %v, want %v", tt.answers, has, tt.passed)
		}
	}
}

func TestAcknowledgement(t *testing.T) {
	f := newFixture(t, nil)
	res := f.submit("attempt-ack-1", "staff-aup", `[]`, f.token("cat"))
	if res.status != http.StatusCreated {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	m := res.json(t)
	if m["score"] != 1.0 || m["passed"] != true || m["policy_version"] != "3.2" || m["certificate"] == nil {
		t.Errorf("unexpected reply %s", res.body)
	}
}

func TestBadInput(t *testing.T) {
	f := newFixture(t, nil)
	ann := f.token("ann")
	other := NewSigner([]byte("another school's key, 32 bytes..")).Token("ann")
	body := func(fields string) string { return "{" + fields + "}" }
	ok := `"attempt_id":"attempt-bad-1","quiz":"online-safety","token":"` + ann + `"`
	tests := []struct {
		name    string
		method  string
		body    string
		ctype   string
		status  int
		message string
	}{
		{"too large", "POST", body(ok + `,"answers":[[1],[0,2],[1],[1]],"name":"` + strings.Repeat("x", 70<<10) + `"`), "", 413, "larger than 64 KiB"},
		{"not JSON", "POST", `{"attempt_id": "x",`, "", 400, "not valid JSON"},
		{"syntax error", "POST", `{"attempt_id" "x"}`, "", 400, "not valid JSON"},
		{"empty body", "POST", ` `, "", 400, "body is empty"},
		{"array body", "POST", `[1,2]`, "", 400, "must be a JSON object"},
		{"unknown field", "POST", body(ok + `,"answers":[],"score":1`), "", 400, `unknown field "score": the fields are attempt_id, quiz, answers`},
		{"two objects", "POST", body(ok+`,"answers":[]`) + `{}`, "", 400, "more follows"},
		{"no attempt id", "POST", body(`"quiz":"online-safety","answers":[],"token":"` + ann + `"`), "", 400, "attempt_id is missing"},
		{"bad attempt id", "POST", body(`"attempt_id":"a b","quiz":"online-safety","answers":[],"token":"` + ann + `"`), "", 400, "must be 8 to 100"},
		{"no quiz", "POST", body(`"attempt_id":"attempt-bad-2","answers":[],"token":"` + ann + `"`), "", 400, "quiz is missing"},
		{"no answers", "POST", body(ok), "", 400, "answers is missing"},
		{"answers not a list", "POST", body(ok + `,"answers":"1"`), "", 400, "answers must be a list"},
		{"answer not whole", "POST", body(ok + `,"answers":[[1.5],[0],[1],[1]]`), "", 400, "1.5 is not a choice number"},
		{"quiz not text", "POST", `{"attempt_id":"attempt-bad-3","quiz":7,"answers":[]}`, "", 400, "quiz must be text in quotes"},
		{"bad time", "POST", body(ok + `,"answers":[],"started_at":"yesterday"`), "", 400, `started_at "yesterday" is not a time`},
		{"times reversed", "POST", body(ok + `,"answers":[],"started_at":"2027-03-01T10:00:00Z","finished_at":"2027-03-01T09:00:00Z"`), "", 400, "before started_at"},
		{"wrong content type", "POST", body(ok + `,"answers":[]`), "text/plain", 415, "Content-Type: application/json"},
		{"unknown quiz", "POST", body(`"attempt_id":"attempt-bad-4","quiz":"fire-safety","answers":[],"token":"` + ann + `"`), "", 404, `no quiz "fire-safety": the quizzes are online-safety, staff-aup`},
		{"too few answers", "POST", body(ok + `,"answers":[[1]]`), "", 422, "has 4 questions, so answers must hold 4 lists"},
		{"answers to an acknowledgement", "POST", body(`"attempt_id":"attempt-bad-5","quiz":"staff-aup","answers":[[1]],"token":"` + ann + `"`), "", 422, "must be an empty list"},
		{"index out of range", "POST", body(ok + `,"answers":[[3],[0],[1],[1]]`), "", 422, "question 1: choice 3 is out of range: this question has 3 choices, numbered 0 to 2"},
		{"huge index", "POST", body(ok + `,"answers":[[1],[0],[99999999999999999999999],[1]]`), "", 422, "question 3: choice 2147483647 is out of range"},
		{"negative index", "POST", body(ok + `,"answers":[[1],[0],[-1],[1]]`), "", 422, "choice -1 is out of range"},
		{"two answers to a one-answer question", "POST", body(ok + `,"answers":[[0,1],[0],[1],[1]]`), "", 422, "takes one answer"},
		{"no token", "POST", body(`"attempt_id":"attempt-bad-6","quiz":"online-safety","answers":[]`), "", 401, "token is missing"},
		{"forged token", "POST", body(`"attempt_id":"attempt-bad-7","quiz":"online-safety","answers":[],"token":"YW5u.Zm9yZ2Vk"`), "", 401, "not valid"},
		{"token from another key", "POST", body(`"attempt_id":"attempt-bad-8","quiz":"online-safety","answers":[],"token":"` + other + `"`), "", 401, "not valid"},
		{"token cut short", "POST", body(`"attempt_id":"attempt-bad-9","quiz":"online-safety","answers":[],"token":"` + ann[:len(ann)-4] + `"`), "", 401, "not valid"},
		{"staff no longer on roster", "POST", body(`"attempt_id":"attempt-bad-10","quiz":"online-safety","answers":[],"token":"` + f.token("zoe") + `"`), "", 401, "no longer on the staff roster"},
		{"open-mode fields without open mode", "POST", body(`"attempt_id":"attempt-bad-11","quiz":"online-safety","answers":[],"name":"Ann","email":"ann@school.example"`), "", 401, "token is missing"},
		{"GET completions", "GET", "", "", 405, "does not accept GET: use POST"},
		{"unknown path", "GET", "", "", 404, "nothing at /v1/nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/api/v1/completions"
			if tt.name == "unknown path" {
				path = "/api/v1/nope"
			}
			headers := []string{}
			if tt.ctype != "" {
				headers = []string{"Content-Type", tt.ctype}
			}
			res := f.do(tt.method, path, tt.body, headers...)
			if res.status != tt.status {
				t.Errorf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			if msg := res.errorText(t); !strings.Contains(msg, tt.message) {
				t.Errorf("error %q lacks %q", msg, tt.message)
			}
		})
	}
	if rows := f.csvRows(); len(rows) != 1 {
		t.Errorf("bad input was stored: CSV has %d lines", len(rows))
	}
}

func TestSameAttemptFromSomeoneElseIsRefused(t *testing.T) {
	f := newFixture(t, nil)
	if res := f.submit("attempt-shared", "online-safety", allRight, f.token("ann")); res.status != 201 {
		t.Fatal(res.status)
	}
	res := f.submit("attempt-shared", "online-safety", allRight, f.token("bob"))
	if res.status != http.StatusConflict {
		t.Fatalf("status %d, want 409: %s", res.status, res.body)
	}
	if msg := res.errorText(t); !strings.Contains(msg, "make a new random attempt_id") {
		t.Errorf("error %q", msg)
	}
	if strings.Contains(string(res.body), "Ann") {
		t.Errorf("409 leaks the first submitter: %s", res.body)
	}
}

func TestOpenMode(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.OpenDomain = "@School.Example" })
	post := func(attempt, name, email string) response {
		return f.do("POST", "/api/v1/completions", fmt.Sprintf(`{"attempt_id":%q,"quiz":"staff-aup","answers":[],"name":%q,"email":%q}`, attempt, name, email))
	}
	res := post("attempt-open-1", "Val Vine", "Val.Vine@school.example")
	if res.status != 201 || res.json(t)["name"] != "Val Vine" {
		t.Fatalf("open mode: status %d %s", res.status, res.body)
	}
	// Someone on the roster is recorded under their roster id and name.
	res = post("attempt-open-2", "Annie", "ANN@school.example")
	if res.status != 201 || res.json(t)["name"] != "Ann Archer" {
		t.Fatalf("roster e-mail: status %d %s", res.status, res.body)
	}
	for _, tt := range []struct{ name, email, want string }{
		{"Mal", "mal@evil.example", "not an @school.example e-mail address"},
		{"Mal", "mal@school.example.evil.example", "not an @school.example"},
		{"", "x@school.example", "your name and your @school.example"},
		{"Mal", "", "your name and your @school.example"},
	} {
		res := post("attempt-open-bad", tt.name, tt.email)
		if res.status != 401 || !strings.Contains(res.errorText(t), tt.want) {
			t.Errorf("%q <%s>: status %d %s; want 401 with %q", tt.name, tt.email, res.status, res.body, tt.want)
		}
	}
	rows := f.csvRows()
	if len(rows) != 3 || rows[1][2] != "val.vine@school.example" || rows[2][2] != "ann" {
		t.Errorf("stored staff ids wrong: %v", rows)
	}
	// A token still works in open mode.
	if res := f.submit("attempt-open-3", "staff-aup", `[]`, f.token("bob")); res.status != 201 {
		t.Errorf("token in open mode: %d %s", res.status, res.body)
	}
}

func TestAdminEndpointsNeedTheToken(t *testing.T) {
	f := newFixture(t, nil)
	for _, path := range []string{"/api/v1/report", "/api/v1/completions.csv"} {
		for _, tt := range []struct {
			name, header, want string
		}{
			{"no header", "", "this needs the admin token"},
			{"wrong token", "Bearer nope", "the admin token is wrong"},
			{"token cut short", "Bearer " + f.admin[:len(f.admin)-1], "the admin token is wrong"},
			{"not bearer", "Basic " + f.admin, "this needs the admin token"},
		} {
			var res response
			if tt.header == "" {
				res = f.do("GET", path, "")
			} else {
				res = f.do("GET", path, "", "Authorization", tt.header)
			}
			if res.status != 401 || res.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s: status %d, want 401 with WWW-Authenticate", path, tt.name, res.status)
			}
			if msg := res.errorText(t); !strings.Contains(msg, tt.want) {
				t.Errorf("%s %s: %q lacks %q", path, tt.name, msg, tt.want)
			}
		}
		if res := f.do("GET", path, "", "Authorization", "Bearer "+f.admin); res.status != 200 {
			t.Errorf("%s with the admin token: %d %s", path, res.status, res.body)
		}
	}
}

func TestAdminTokenFromConfigReplacesTheFile(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.AdminToken = "from-the-environment" })
	if res := f.do("GET", "/api/v1/report", "", "Authorization", "Bearer from-the-environment"); res.status != 200 {
		t.Errorf("configured token refused: %d", res.status)
	}
	if _, err := os.Stat(filepath.Join(f.cfg.DataDir, "admin-token")); err == nil {
		t.Error("admin-token file made although a token was configured")
	}
	// The refusal names the token in use, not the file, which does not count.
	res := f.do("GET", "/api/v1/report", "", "Authorization", "Bearer from-an-old-admin-token-file")
	if res.status != 401 || !strings.Contains(string(res.body), "TRAINLOG_ADMIN_TOKEN (the admin-token file is not used") {
		t.Errorf("wrong token with TRAINLOG_ADMIN_TOKEN set: %d %s", res.status, res.body)
	}
}

func TestShortAdminTokenIsWarnedAbout(t *testing.T) {
	for _, tt := range []struct {
		token string
		warn  bool
	}{{"Zq7x", true}, {"school2026", true}, {"from-the-environment", false}} {
		f := newFixture(t, func(c *Config) { c.AdminToken = tt.token })
		logs := f.logs.String()
		if got := strings.Contains(logs, "short enough to guess"); got != tt.warn {
			t.Errorf("token of %d characters: warned %v, want %v; logs: %s", len(tt.token), got, tt.warn, logs)
		}
		if strings.Contains(logs, tt.token) {
			t.Errorf("the admin token %q was logged", tt.token)
		}
	}
}

func (f *fixture) report() Report {
	f.t.Helper()
	res := f.do("GET", "/api/v1/report", "", "Authorization", "Bearer "+f.admin)
	if res.status != 200 {
		f.t.Fatalf("report: %d %s", res.status, res.body)
	}
	var rep Report
	if err := json.Unmarshal(res.body, &rep); err != nil {
		f.t.Fatal(err)
	}
	return rep
}

func TestReportStatuses(t *testing.T) {
	f := newFixture(t, nil)
	at := func(daysAgo int, attempt, quiz, answers, who string) {
		t.Helper()
		f.clock.Set(today.AddDate(0, 0, -daysAgo))
		if res := f.submit(attempt, quiz, answers, f.token(who)); res.status != 201 {
			t.Fatalf("%s: %d %s", attempt, res.status, res.body)
		}
	}
	at(400, "attempt-r1", "online-safety", allRight, "ann")  // expired 35 days ago
	at(350, "attempt-r2", "staff-aup", `[]`, "ann")          // due in 15 days
	at(10, "attempt-r3", "online-safety", threeRight, "bob") // done
	at(5, "attempt-r4", "online-safety", oneRight, "bob")    // a later fail keeps the pass
	at(365, "attempt-r5", "staff-aup", `[]`, "bob")          // due today: overdue
	at(30, "attempt-r6", "online-safety", oneRight, "dan")   // failed only: never
	f.clock.Set(today)

	rep := f.report()
	type key struct{ staff, quiz string }
	got := map[key]ReportRow{}
	for _, r := range rep.Rows {
		got[key{r.StaffID, r.Quiz}] = r
	}
	tests := []struct {
		staff, quiz, status, due, lastPass string
		days                               int
	}{
		{"ann", "online-safety", "overdue", "2027-01-25", "2026-01-25", -35},
		{"ann", "staff-aup", "due", "2027-03-16", "2026-03-16", 15},
		{"bob", "online-safety", "done", "2028-02-19", "2027-02-19", 355},
		{"bob", "staff-aup", "overdue", "2027-03-01", "2026-03-01", 0},
		{"cat", "online-safety", "due", "2027-03-19", "", 18}, // new starter: 28 days from start
		{"cat", "staff-aup", "due", "2027-03-19", "", 18},
		{"dan", "online-safety", "never", "2027-01-28", "", -32},
		{"dan", "staff-aup", "never", "2027-01-28", "", -32},
	}
	if len(rep.Rows) != len(tests) {
		t.Fatalf("%d rows, want %d (4 staff × 2 quizzes)", len(rep.Rows), len(tests))
	}
	for _, tt := range tests {
		r := got[key{tt.staff, tt.quiz}]
		if r.Status != tt.status || r.Due != tt.due || r.LastPass != tt.lastPass || r.DaysLeft != tt.days {
			t.Errorf("%s/%s: status %s due %s last pass %q days %d; want %s %s %q %d",
				tt.staff, tt.quiz, r.Status, r.Due, r.LastPass, r.DaysLeft, tt.status, tt.due, tt.lastPass, tt.days)
		}
	}
	if r := got[key{"bob", "online-safety"}]; r.Score == nil || *r.Score != 0.75 || r.PassedVersion != "4.0" || r.Certificate == "" {
		t.Errorf("bob's last pass details wrong: %+v", r)
	}
	var order []string
	for _, r := range rep.Rows {
		order = append(order, r.Status)
	}
	want := "overdue overdue never never due due due done"
	if strings.Join(order, " ") != want {
		t.Errorf("order %v, want %s", order, want)
	}
	if rep.Rows[0].StaffID != "ann" {
		t.Errorf("the longest-overdue row should come first, got %+v", rep.Rows[0])
	}
	if c := rep.Counts; c["overdue"] != 2 || c["never"] != 2 || c["due"] != 3 || c["done"] != 1 {
		t.Errorf("counts %v", c)
	}
}

func (f *fixture) csvRows() [][]string {
	f.t.Helper()
	res := f.do("GET", "/api/v1/completions.csv", "", "Authorization", "Bearer "+f.admin)
	if res.status != 200 {
		f.t.Fatalf("CSV: %d %s", res.status, res.body)
	}
	if !bytes.HasPrefix(res.body, []byte("\xef\xbb\xbf")) {
		f.t.Error("CSV lacks the UTF-8 byte-order mark Excel needs")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(res.body, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		f.t.Fatalf("CSV does not parse: %v", err)
	}
	return rows
}

func TestCSVIsSafeInSpreadsheets(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.OpenDomain = "school.example" })
	names := []string{`=HYPERLINK("http://evil.example","click")`, "+1+1", "-2+3", "@SUM(A1)", "Zoë O'Brien, Jr"}
	for i, n := range names {
		res := f.do("POST", "/api/v1/completions", fmt.Sprintf(`{"attempt_id":"attempt-csv-%d","quiz":"staff-aup","answers":[],"name":%q,"email":"p%d@school.example"}`, i, n, i))
		if res.status != 201 {
			t.Fatalf("%q: %d %s", n, res.status, res.body)
		}
	}
	rows := f.csvRows()
	if strings.Join(rows[0], ",") != strings.Join(csvHeader, ",") {
		t.Errorf("header %v", rows[0])
	}
	for i, n := range names {
		got := rows[i+1][3]
		want := n
		if strings.ContainsRune("=+-@\t\r", rune(n[0])) {
			want = "'" + n
		}
		if got != want {
			t.Errorf("name cell %q, want %q", got, want)
		}
	}
}

func TestInertCell(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+44 1632": "'+44 1632", "-5": "'-5", "@x": "'@x", "\tx": "'\tx", "\rx": "'\rx",
		"Ann": "Ann", "": "", "1=1": "1=1", "'=x": "'=x",
	} {
		if got := inertCell(in); got != want {
			t.Errorf("inertCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCertificateVerification(t *testing.T) {
	f := newFixture(t, nil)
	res := f.submit("attempt-cert-1", "online-safety", allRight, f.token("ann"))
	code := res.json(t)["certificate"].(string)
	fail := f.submit("attempt-cert-2", "online-safety", oneRight, f.token("bob")).json(t)
	if _, has := fail["certificate"]; has {
		t.Fatal("a fail got a certificate")
	}

	check := f.do("GET", "/api/v1/certificates/"+code, "")
	if check.status != 200 {
		t.Fatalf("verify %s: %d %s", code, check.status, check.body)
	}
	m := check.json(t)
	if m["valid"] != true || m["name"] != "Ann Archer" || m["quiz_title"] != "Online safety: annual update" ||
		m["policy_version"] != "4.0" || m["date"] != "2027-03-01" || m["valid_until"] != "2028-02-29" || m["score"] != 1.0 {
		t.Errorf("verification %s", check.body)
	}
	typed := strings.ToLower(code[:5] + "-" + code[5:])
	if res := f.do("GET", "/api/v1/certificates/"+typed, ""); res.status != 200 {
		t.Errorf("code typed in lower case with a hyphen (%s): %d", typed, res.status)
	}
	for _, bad := range []string{"0000000000", "SHORT", "%3Cscript%3E"} {
		res := f.do("GET", "/api/v1/certificates/"+bad, "")
		if res.status != 404 || !strings.Contains(res.errorText(t), "certificate") {
			t.Errorf("%s: %d %s", bad, res.status, res.body)
		}
	}
}

func TestWhoami(t *testing.T) {
	f := newFixture(t, nil)
	res := f.do("POST", "/api/v1/whoami", `{"token":"`+f.token("cat")+`"}`)
	if res.status != 200 || res.json(t)["name"] != "Cat Cole" {
		t.Errorf("whoami: %d %s", res.status, res.body)
	}
	for body, want := range map[string]string{
		`{"token":"bad.token"}`: "not valid",
		`{}`:                    "token is missing",
		`{"t":"x"}`:             "unknown field",
	} {
		res := f.do("POST", "/api/v1/whoami", body)
		if res.status/100 != 4 || !strings.Contains(res.errorText(t), want) {
			t.Errorf("%s: %d %s; want 4xx with %q", body, res.status, res.body, want)
		}
	}
}

func TestSecurityHeadersAndCORS(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.AllowOrigin = "https://oakfield.example/" })
	res := f.do("GET", "/api/healthz", "")
	for h, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
	} {
		if !strings.Contains(res.header.Get(h), want) {
			t.Errorf("%s = %q, want %q", h, res.header.Get(h), want)
		}
	}
	if !strings.Contains(res.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Error("CSP does not forbid framing")
	}

	pre := f.do("OPTIONS", "/api/v1/completions", "", "Origin", "https://oakfield.example", "Access-Control-Request-Method", "POST",
		"Access-Control-Request-Headers", "content-type")
	if pre.status != 204 || pre.header.Get("Access-Control-Allow-Origin") != "https://oakfield.example" ||
		!strings.Contains(pre.header.Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.Contains(pre.header.Get("Access-Control-Allow-Headers"), "Content-Type") {
		t.Errorf("preflight from the site: %d %v", pre.status, pre.header)
	}
	evil := f.do("OPTIONS", "/api/v1/completions", "", "Origin", "https://evil.example", "Access-Control-Request-Method", "POST")
	if evil.status != 403 || evil.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from another site: %d %v", evil.status, evil.header)
	}
	if !strings.Contains(evil.errorText(t), "--allow-origin") {
		t.Errorf("refusal does not say how to allow an origin")
	}
	post := f.do("POST", "/api/v1/whoami", `{"token":"`+f.token("ann")+`"}`, "Origin", "https://oakfield.example")
	if post.header.Get("Access-Control-Allow-Origin") != "https://oakfield.example" {
		t.Errorf("POST from the site lacks Access-Control-Allow-Origin")
	}
	post = f.do("POST", "/api/v1/whoami", `{"token":"`+f.token("ann")+`"}`, "Origin", "https://evil.example")
	if post.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("POST from another site got Access-Control-Allow-Origin")
	}
}

func TestNoCORSWithoutAllowOrigin(t *testing.T) {
	f := newFixture(t, nil)
	pre := f.do("OPTIONS", "/api/v1/completions", "", "Origin", "https://oakfield.example", "Access-Control-Request-Method", "POST")
	if pre.status != 403 || pre.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight with no allowed origin: %d %v", pre.status, pre.header)
	}
}

func TestRateLimit(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.RateLimit, c.RateBurst = 1, 2 })
	body := `{"token":"` + f.token("ann") + `"}`
	for i := 0; i < 2; i++ {
		if res := f.do("POST", "/api/v1/whoami", body); res.status != 200 {
			t.Fatalf("request %d within the burst: %d", i+1, res.status)
		}
	}
	res := f.do("POST", "/api/v1/whoami", body)
	if res.status != 429 || res.header.Get("Retry-After") != "1" {
		t.Fatalf("third request: %d Retry-After %q; want 429 and 1", res.status, res.header.Get("Retry-After"))
	}
	if !strings.Contains(res.errorText(t), "wait 1 second") {
		t.Errorf("429 does not say how long to wait")
	}
	if res := f.do("GET", "/api/healthz", ""); res.status != 200 {
		t.Errorf("health checks must not be limited: %d", res.status)
	}
	f.clock.Add(time.Second)
	if res := f.do("POST", "/api/v1/whoami", body); res.status != 200 {
		t.Errorf("after a second: %d", res.status)
	}
	// Without --trust-proxy a client cannot dodge the limit with a made-up header.
	if res := f.do("POST", "/api/v1/whoami", body, "X-Forwarded-For", "203.0.113.9"); res.status != 429 {
		t.Errorf("X-Forwarded-For changed the client's bucket without TrustProxy: %d", res.status)
	}
}

func TestRateLimitBehindAProxy(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.RateLimit, c.RateBurst, c.TrustProxy = 1, 1, true })
	body := `{"token":"` + f.token("ann") + `"}`
	for _, tt := range []struct {
		xff  string
		want int
	}{
		{"198.51.100.1", 200},
		{"198.51.100.1", 429},
		{"198.51.100.2", 200},               // another staff member behind the same proxy
		{"10.9.9.9, 198.51.100.1", 429},     // only the address the proxy added counts
		{"198.51.100.1, 198.51.100.3", 200}, // a spoofed first entry does not help
	} {
		if res := f.do("POST", "/api/v1/whoami", body, "X-Forwarded-For", tt.xff); res.status != tt.want {
			t.Errorf("X-Forwarded-For %q: %d, want %d", tt.xff, res.status, tt.want)
		}
	}
}

func TestLogsNeverHoldTokens(t *testing.T) {
	f := newFixture(t, nil)
	tok := f.token("ann")
	f.submit("attempt-log-1", "online-safety", allRight, tok)
	f.do("POST", "/api/v1/whoami", `{"token":"`+tok+`"}`)
	f.do("GET", "/api/v1/report?token="+tok, "", "Authorization", "Bearer "+f.admin)
	logs := f.logs.String()
	for _, secret := range []string{tok, strings.Split(tok, ".")[1], f.admin} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain a secret %q:\n%s", secret, logs)
		}
	}
	// Paths as the client sent them, under the /api mount point; no query.
	for _, want := range []string{"method=POST", "path=/api/v1/completions ", "status=201", "duration=", "path=/api/v1/report ", "status=200"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
}

// A refusal is logged with its reason, so the log answers "why was my
// completion not recorded?"; the refused tokens stay out of it.
func TestLogsSayWhyARequestWasRefused(t *testing.T) {
	f := newFixture(t, nil)
	tok := f.token("ann")
	forged := strings.Split(tok, ".")[0] + ".AAAAforgedAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	f.submit("attempt-log-2", "online-safety", allRight, forged)
	f.submit("attempt-log-3", "online-safety", `[[1]]`, tok)
	f.do("GET", "/api/v1/report", "", "Authorization", "Bearer wrong-admin-token-guess")
	logs := f.logs.String()
	for _, want := range []string{
		`status=401 duration=`, `error="this personal link is not valid`,
		`status=422`, `answers must hold`,
		`error="the admin token is wrong`,
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	for _, secret := range []string{tok, forged, strings.Split(tok, ".")[1], "wrong-admin-token-guess", f.admin} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain a secret %q:\n%s", secret, logs)
		}
	}
	f.submit("attempt-log-4", "online-safety", allRight, tok)
	for _, line := range strings.Split(f.logs.String(), "\n") {
		if strings.Contains(line, "status=201") && strings.Contains(line, "error=") {
			t.Errorf("a success was logged with an error: %s", line)
		}
	}
}

func TestReportPageIsSelfContained(t *testing.T) {
	f := newFixture(t, nil)
	page := f.do("GET", "/api/report", "")
	if page.status != 200 || !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") {
		t.Fatalf("page: %d %s", page.status, page.header.Get("Content-Type"))
	}
	html := string(page.body)
	for _, want := range []string{`<html lang="en-GB">`, "<main", "<header", `<label for="token">`, `type="password"`, `src="report.js"`,
		`href="report.css"`, `role="status"`, `<th scope="col">Status</th>`, "Download every completion (CSV)"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, asset := range []struct{ path, ctype, want string }{
		{"/api/report.js", "text/javascript", "sessionStorage"},
		{"/api/report.css", "text/css", ":focus-visible"},
	} {
		res := f.do("GET", asset.path, "")
		if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), asset.ctype) || !strings.Contains(string(res.body), asset.want) {
			t.Errorf("%s: %d %s", asset.path, res.status, res.header.Get("Content-Type"))
		}
		if strings.Contains(string(res.body), "localStorage") {
			t.Errorf("%s keeps something in localStorage; the token belongs in sessionStorage only", asset.path)
		}
	}
	for _, b := range []string{html, string(f.do("GET", "/api/report.js", "").body)} {
		if strings.Contains(b, "https://") || strings.Contains(b, "http://") || strings.Contains(b, "<script>") || strings.Contains(b, " style=") {
			t.Error("the report page loads something from elsewhere or has inline script/style, which the CSP blocks")
		}
	}
}

func TestHealth(t *testing.T) {
	f := newFixture(t, nil)
	res := f.do("GET", "/api/healthz", "")
	if m := res.json(t); res.status != 200 || m["ok"] != true || m["quizzes"] != 2.0 || m["staff"] != 4.0 {
		t.Errorf("healthz: %d %s", res.status, res.body)
	}
}
