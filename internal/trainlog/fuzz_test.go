package trainlog

import (
	"reflect"
	"testing"
	"time"

	"github.com/policysite/policysite/internal/quiz"
)

// FuzzSubmission feeds arbitrary bodies through decoding, identification
// and grading (everything before the store). It must never panic, and every
// refusal must be one of the documented statuses with a message. `go test`
// runs the seeds; `go test -fuzz=FuzzSubmission ./internal/trainlog` explores.
func FuzzSubmission(f *testing.F) {
	quizzes, ps := quiz.LoadDir("testdata/site/quizzes")
	if len(ps) > 0 {
		f.Fatal(ps)
	}
	roster, rps := ParseRoster("staff.csv", []byte(testRoster(today)))
	if len(rps) > 0 {
		f.Fatal(rps)
	}
	signer := NewSigner([]byte("fuzz key, thirty-two bytes long!"))
	st := &state{quizzes: map[string]*quiz.Quiz{}, order: quizzes, versions: policyIndex{"online-safety": "4.0", "staff-acceptable-use": "3.2"}, roster: roster}
	for _, q := range quizzes {
		st.quizzes[q.ID] = q
	}
	s := &Server{cfg: Config{Now: func() time.Time { return today }, OpenDomain: "school.example"}, signer: signer}

	tok := signer.Token("ann")
	for _, seed := range []string{
		`{"attempt_id":"attempt-0001","quiz":"online-safety","answers":[[1],[0,2],[1],[1]],"token":"` + tok + `"}`,
		`{"attempt_id":"attempt-0002","quiz":"staff-aup","answers":[],"name":"Val","email":"val@school.example"}`,
		`{"attempt_id":"attempt-0003","quiz":"online-safety","answers":[1,[2,0],1,1],"token":"` + tok + `","started_at":"2027-03-01T09:00:00Z","finished_at":"2027-03-01T09:10:00Z"}`,
		`{"attempt_id":"attempt-0004","quiz":"online-safety","answers":[[99999999999999999999],[-1],[1e3],[1]],"token":"x.y"}`,
		`{"answers":[[[[]]]]}`, `{"answers":null}`, `[]`, `null`, `"`, `{"quiz":"\u0000"}`, ``,
		`{"attempt_id":"attempt-0005","quiz":"staff-aup","answers":[],"name":"Zoë","email":"z@school.example","name":"Zoë \"Z\""}`,
		"{\"attempt_id\":\"a\xffb\",\"quiz\":\"q\",\"answers\":[]}",
		` { "quiz" : "staff-aup" , "answers" : [ ] , "attempt_id" : "attempt-0006" , "token" : null } `,
		`{"quiz":"staff-aup","answers":[],"attempt_id":"attempt-0007"} {}`,
	} {
		f.Add([]byte(seed))
	}
	allowed := map[int]bool{400: true, 401: true, 404: true, 422: true}
	f.Fuzz(func(t *testing.T, body []byte) {
		// The fast decoder must agree with encoding/json whenever it answers.
		if fast, ok := fastSubmission(body); ok {
			slow, e := slowSubmission(body)
			if e != nil {
				t.Fatalf("fast path accepted what encoding/json refuses (%s): %q", e.msg, body)
			}
			if !reflect.DeepEqual(fast, slow) {
				t.Fatalf("fast and slow decoders differ on %q:\n%+v\n%+v", body, fast, slow)
			}
		}
		c, e := s.grade(st, body)
		if e != nil {
			if !allowed[e.status] || e.msg == "" {
				t.Fatalf("status %d %q for %q", e.status, e.msg, body)
			}
			return
		}
		if c.Score < 0 || c.Score > 1 || c.StaffID == "" || st.quizzes[c.Quiz] == nil || c.Correct > c.Total {
			t.Fatalf("accepted an impossible completion %+v from %q", c, body)
		}
	})
}
