package trainlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/policysite/policysite/internal/quiz"
	"github.com/policysite/policysite/internal/store"
)

// MaxBody is the largest request body accepted; a real submission is well
// under 2 KiB.
const MaxBody = 64 << 10

// submission is the body of POST /v1/completions.
type submission struct {
	AttemptID  string   `json:"attempt_id"`
	Quiz       string   `json:"quiz"`
	Answers    *answers `json:"answers"`
	Token      string   `json:"token"`
	StartedAt  string   `json:"started_at"`
	FinishedAt string   `json:"finished_at"`
	Name       string   `json:"name"`  // open mode only
	Email      string   `json:"email"` // open mode only

	started, finished time.Time
}

var submissionFields = []string{"attempt_id", "quiz", "answers", "token", "started_at", "finished_at", "name", "email"}

// answers accepts, per question, a list of choice indices; a bare number is
// taken as a one-element list. Numbers too large for an index are kept
// (clamped) so grading can report them as out of range (422), not as
// malformed JSON (400).
type answers [][]int

var errAnswersShape = errors.New("answers must be a list with one list of choice numbers per question, such as [[1], [0, 2]]")

// UnmarshalJSON reads the list by hand: going through encoding/json's
// reflection for every number was the largest single cost of a submission.
// The decoder has already checked b is valid JSON, so only the shape is
// checked here.
func (a *answers) UnmarshalJSON(b []byte) error {
	p := scanner{b: b}
	out, err := p.answers()
	if err != nil {
		return err
	}
	*a = out
	return nil
}

// answers reads a list of answers at the scanner's position. All indices
// share one backing array: a slice per question was the largest allocation
// of a submission.
func (p *scanner) answers() ([][]int, error) {
	if !p.eat('[') {
		return nil, errAnswersShape
	}
	flat := make([]int, 0, 32)
	ends := make([]int, 0, 16) // where each question's indices end in flat
	if p.eat(']') {
		return [][]int{}, nil
	}
	for i := 0; ; i++ {
		if p.eat('[') {
			if !p.eat(']') {
				for j := 0; ; j++ {
					n, err := p.index()
					if err != nil {
						return nil, fmt.Errorf("answers[%d][%d]: %w", i, j, err)
					}
					flat = append(flat, n)
					if p.eat(',') {
						continue
					}
					if p.eat(']') {
						break
					}
					return nil, fmt.Errorf("answers[%d] must be a list of choice numbers, such as [0, 2]", i)
				}
			}
		} else {
			n, err := p.index()
			if err != nil {
				return nil, fmt.Errorf("answers[%d]: %w", i, err)
			}
			flat = append(flat, n)
		}
		ends = append(ends, len(flat))
		if p.eat(',') {
			continue
		}
		if p.eat(']') {
			break
		}
		return nil, errAnswersShape
	}
	out := make([][]int, len(ends))
	start := 0
	for i, end := range ends {
		out[i] = flat[start:end:end] // capped, so no append can reach the next question
		start = end
	}
	return out, nil
}

// scanner walks a JSON value already known to be valid.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// eat skips white space and then c, if c is next.
func (s *scanner) eat(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// index reads a whole number, clamping huge ones to the int32 range.
func (s *scanner) index() (int, error) {
	s.space()
	start := s.i
	neg := s.i < len(s.b) && s.b[s.i] == '-'
	if neg {
		s.i++
	}
	var n int64
	digits := 0
	for ; s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9'; s.i++ {
		if n < 1<<31 {
			n = n*10 + int64(s.b[s.i]-'0')
		}
		digits++
	}
	leadingZero := digits > 1 && s.b[start+boolInt(neg)] == '0' // not JSON; the fast path must refuse it
	if digits == 0 || leadingZero || (s.i < len(s.b) && strings.IndexByte(".eE", s.b[s.i]) >= 0) {
		end := s.i
		for end < len(s.b) && strings.IndexByte(",] \t\r\n", s.b[end]) < 0 {
			end++
		}
		return 0, fmt.Errorf("%s is not a choice number: use whole numbers counted from 0", truncate(string(s.b[start:end]), 20))
	}
	if neg {
		n = -n
	}
	return clamp(n), nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func clamp(n int64) int {
	if n > 1<<31-1 {
		return 1<<31 - 1
	}
	if n < -1<<31 {
		return -1 << 31
	}
	return int(n)
}

// appendAnswers writes the graded answers as compact JSON for the record.
func appendAnswers(b []byte, a [][]int) []byte {
	b = append(b, '[')
	for i, list := range a {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, n := range list {
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(n), 10)
		}
		b = append(b, ']')
	}
	return append(b, ']')
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// decodeSubmission reads and checks the JSON body (400 for anything malformed).
func decodeSubmission(body []byte) (*submission, *apiError) {
	sub, ok := fastSubmission(body)
	if !ok {
		var e *apiError
		if sub, e = slowSubmission(body); e != nil {
			return nil, e
		}
	}
	bad := func(format string, args ...any) (*submission, *apiError) {
		return nil, errorf(http.StatusBadRequest, format, args...)
	}
	switch {
	case sub.AttemptID == "":
		return bad("attempt_id is missing: the page must send a random id for each attempt, so a resend is not counted twice")
	case len(sub.AttemptID) < 8 || len(sub.AttemptID) > 100 || strings.IndexFunc(sub.AttemptID, notIDChar) >= 0:
		return bad("attempt_id %q must be 8 to 100 letters, digits, '-', '_', '.' or ':', such as a UUID", truncate(sub.AttemptID, 40))
	case sub.Quiz == "":
		return bad("quiz is missing: send the quiz id (the quiz file name without .toml)")
	case sub.Answers == nil:
		return bad("answers is missing: send one list of choice numbers per question, or [] for an acknowledgement")
	}
	var err error
	if sub.started, err = optionalTime(sub.StartedAt); err != nil {
		return bad("started_at %q is not a time such as 2026-09-14T09:30:00Z", truncate(sub.StartedAt, 40))
	}
	if sub.finished, err = optionalTime(sub.FinishedAt); err != nil {
		return bad("finished_at %q is not a time such as 2026-09-14T09:42:00Z", truncate(sub.FinishedAt, 40))
	}
	if !sub.started.IsZero() && !sub.finished.IsZero() && sub.finished.Before(sub.started) {
		return bad("finished_at (%s) is before started_at (%s)", sub.FinishedAt, sub.StartedAt)
	}
	return sub, nil
}

// slowSubmission decodes with encoding/json, whose errors say exactly what
// is wrong and where.
func slowSubmission(body []byte) (*submission, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var sub submission
	if err := dec.Decode(&sub); err != nil {
		return nil, jsonError(err, body)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errorf(http.StatusBadRequest, "the body must hold exactly one JSON object, but more follows it")
	}
	return &sub, nil
}

// fastSubmission reads the usual shape of a submission without reflection
// (encoding/json was a tenth of the server's CPU). It accepts a strict
// subset of JSON: an object of known keys, strings with no escapes or
// control characters in valid UTF-8, and answers as lists of whole
// numbers. For anything else ok is false and slowSubmission decides, so
// both paths agree on every body (FuzzSubmission checks that).
func fastSubmission(b []byte) (sub *submission, ok bool) {
	p := scanner{b: b}
	if !p.eat('{') || p.eat('}') {
		return nil, false
	}
	sub = &submission{}
	for {
		key, ok := p.plainString()
		if !ok || !p.eat(':') {
			return nil, false
		}
		var field *string
		switch key {
		case "answers":
			a, err := p.answers()
			if err != nil {
				return nil, false
			}
			sub.Answers = (*answers)(&a)
		case "attempt_id":
			field = &sub.AttemptID
		case "quiz":
			field = &sub.Quiz
		case "token":
			field = &sub.Token
		case "started_at":
			field = &sub.StartedAt
		case "finished_at":
			field = &sub.FinishedAt
		case "name":
			field = &sub.Name
		case "email":
			field = &sub.Email
		default:
			return nil, false
		}
		if field != nil {
			if *field, ok = p.plainString(); !ok {
				return nil, false
			}
		}
		if p.eat(',') {
			continue
		}
		if !p.eat('}') {
			return nil, false
		}
		p.space()
		return sub, p.i == len(b)
	}
}

// plainString reads a JSON string that needs no decoding.
func (p *scanner) plainString() (string, bool) {
	if !p.eat('"') {
		return "", false
	}
	start := p.i
	ascii := true
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; {
		case c == '"':
			s := p.b[start:p.i]
			p.i++
			if !ascii && !utf8.Valid(s) {
				return "", false // encoding/json would replace the bad bytes
			}
			return string(s), true
		case c == '\\' || c < 0x20:
			return "", false
		case c >= 0x80:
			ascii = false
		}
	}
	return "", false
}

func notIDChar(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == ':')
}

func optionalTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// jsonError explains a decoding failure in words, with the byte offset.
func jsonError(err error, body []byte) *apiError {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case len(bytes.TrimSpace(body)) == 0:
		return errorf(http.StatusBadRequest, "the body is empty: send a JSON object with %s", strings.Join(submissionFields[:3], ", "))
	case errors.As(err, &syn):
		return errorf(http.StatusBadRequest, "the body is not valid JSON: %v (at byte %d)", syn, syn.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return errorf(http.StatusBadRequest, "the body must be a JSON object, not %s", typ.Value)
		}
		return errorf(http.StatusBadRequest, "%s must be %s, not %s", typ.Field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(http.StatusBadRequest, "the body is not valid JSON: it ends too soon")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return errorf(http.StatusBadRequest, "unknown field %s: the fields are %s", field, strings.Join(submissionFields, ", "))
	}
	return errorf(http.StatusBadRequest, "the body is not valid: %v", strings.TrimPrefix(err.Error(), "json: "))
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "text in quotes"
	case "slice":
		return "a list"
	}
	return k
}

// completionReply is the answer to a submission; a resend of the same
// attempt gets the same body, built from the stored record.
type completionReply struct {
	ID            int64   `json:"id"`
	Quiz          string  `json:"quiz"`
	PolicyVersion string  `json:"policy_version"`
	Score         float64 `json:"score"`
	Correct       int     `json:"correct"`
	Total         int     `json:"total"`
	Passed        bool    `json:"passed"`
	Certificate   string  `json:"certificate,omitempty"`
	Name          string  `json:"name"`
	Date          string  `json:"date"` // day recorded, YYYY-MM-DD, as printed on the certificate
}

func replyFor(c store.Completion) completionReply {
	return completionReply{
		ID: c.ID, Quiz: c.Quiz, PolicyVersion: c.PolicyVersion, Score: c.Score, Correct: c.Correct,
		Total: c.Total, Passed: c.Passed, Certificate: c.Certificate, Name: c.Name,
		Date: c.ReceivedAt.In(time.Local).Format(dateLayout),
	}
}

const dateLayout = "2006-01-02"

func (s *Server) handleCompletion(w http.ResponseWriter, r *http.Request) {
	body, e := readJSONBody(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	st := s.state.Load()
	c, e := s.grade(st, body)
	if e != nil {
		writeError(w, e)
		return
	}
	stored, created, err := s.store.Add(r.Context(), c)
	if err != nil {
		s.cfg.Logger.Error("store completion", "quiz", c.Quiz, "error", err.Error())
		writeError(w, errorf(http.StatusServiceUnavailable, "the completion could not be saved just now; nothing was recorded, so send it again (the page retries on its own)"))
		return
	}
	if !created {
		if stored.StaffID != c.StaffID || stored.Quiz != c.Quiz {
			writeError(w, errorf(http.StatusConflict, "attempt_id %q was already used for a different submission: make a new random attempt_id for each attempt", c.AttemptID))
			return
		}
		writeJSON(w, http.StatusOK, replyFor(stored))
		return
	}
	writeJSON(w, http.StatusCreated, replyFor(stored))
}

// readJSONBody enforces the content type and the size limit.
func readJSONBody(w http.ResponseWriter, r *http.Request) ([]byte, *apiError) {
	// Requiring JSON also means a browser on another site cannot post here
	// without a CORS preflight, which only --allow-origin passes.
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return nil, errorf(http.StatusUnsupportedMediaType, "send the body as JSON with the header Content-Type: application/json")
		}
	}
	var body []byte
	var err error
	if n := r.ContentLength; n >= 0 && n <= MaxBody {
		// The usual case: read exactly what was announced (net/http never
		// delivers more), in one allocation.
		body = make([]byte, n)
		_, err = io.ReadFull(r.Body, body)
	} else {
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	}
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, errorf(http.StatusRequestEntityTooLarge, "the body is larger than %d KiB: a completion is much smaller, so check what the page sends", MaxBody>>10)
		}
		return nil, errorf(http.StatusBadRequest, "the body could not be read: %v", err)
	}
	return body, nil
}

// grade turns a body into a completion ready to store, or says why not.
func (s *Server) grade(st *state, body []byte) (store.Completion, *apiError) {
	sub, e := decodeSubmission(body)
	if e != nil {
		return store.Completion{}, e
	}
	who, e := s.identify(st, sub)
	if e != nil {
		return store.Completion{}, e
	}
	q := st.quizzes[sub.Quiz]
	if q == nil {
		return store.Completion{}, errorf(http.StatusNotFound, "there is no quiz %q: the quizzes are %s", truncate(sub.Quiz, 60), quizList(st))
	}
	res, err := q.Grade(*sub.Answers)
	if err != nil {
		var ae *quiz.AnswerError
		if errors.As(err, &ae) {
			return store.Completion{}, errorf(http.StatusUnprocessableEntity, "%s", ae.Error())
		}
		return store.Completion{}, errorf(http.StatusUnprocessableEntity, "%v", err)
	}
	graded := appendAnswers(make([]byte, 0, 64), *sub.Answers)
	return store.Completion{
		AttemptID: sub.AttemptID, StaffID: who.ID, Name: who.Name, Email: who.Email,
		Quiz: q.ID, PolicyVersion: st.versions[q.Policy],
		Score: res.Score, Correct: res.Correct, Total: res.Total, Passed: res.Passed,
		Answers: string(graded), StartedAt: sub.started, FinishedAt: sub.finished,
		ReceivedAt: s.cfg.Now().UTC(),
	}, nil
}

func quizList(st *state) string {
	ids := make([]string, 0, len(st.order))
	for _, q := range st.order {
		ids = append(ids, q.ID)
	}
	sort.Strings(ids)
	return strings.Join(ids, ", ")
}

// identify finds who is submitting: a personal token, or in open mode a
// name and an address in the school's domain.
func (s *Server) identify(st *state, sub *submission) (*Staff, *apiError) {
	if sub.Token != "" {
		return s.staffForToken(st, sub.Token)
	}
	if s.cfg.OpenDomain == "" {
		return nil, errorf(http.StatusUnauthorized, "token is missing: open the quiz from your personal training link (ask the DSL to send it again if you have lost it)")
	}
	name := strings.TrimSpace(sub.Name)
	email := strings.ToLower(strings.TrimSpace(sub.Email))
	switch {
	case name == "" || email == "":
		return nil, errorf(http.StatusUnauthorized, "send your personal token, or your name and your @%s e-mail address", s.cfg.OpenDomain)
	case len(name) > 200:
		return nil, errorf(http.StatusBadRequest, "name is longer than 200 characters")
	case !plausibleEmail(email) || !strings.HasSuffix(email, "@"+s.cfg.OpenDomain):
		return nil, errorf(http.StatusUnauthorized, "%q is not an @%s e-mail address: use your school address", truncate(email, 80), s.cfg.OpenDomain)
	}
	if known := st.roster.ByEmail(email); known != nil {
		return known, nil
	}
	return &Staff{ID: email, Name: name, Email: email}, nil
}

func (s *Server) staffForToken(st *state, token string) (*Staff, *apiError) {
	id, ok := s.verified(token)
	if !ok {
		return nil, errorf(http.StatusUnauthorized, "this personal link is not valid (it may be cut short): open the whole link from your invitation, or ask the DSL for a new one")
	}
	who := st.roster.ByID(id)
	if who == nil {
		return nil, errorf(http.StatusUnauthorized, "this personal link belongs to someone no longer on the staff roster: ask the DSL to check the roster")
	}
	return who, nil
}

type whoamiRequest struct {
	Token string `json:"token"`
}

// handleWhoami lets the quiz page greet the person its link belongs to.
func (s *Server) handleWhoami(w http.ResponseWriter, r *http.Request) {
	body, e := readJSONBody(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	var req whoamiRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, errorf(http.StatusBadRequest, "send {\"token\": \"...\"}: %v", strings.TrimPrefix(err.Error(), "json: ")))
		return
	}
	if req.Token == "" {
		writeError(w, errorf(http.StatusUnauthorized, "token is missing: open the quiz from your personal training link"))
		return
	}
	who, e := s.staffForToken(s.state.Load(), req.Token)
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"staff_id": who.ID, "name": who.Name, "role": who.Role})
}

// verified checks a personal token, remembering the good ones: a school has
// a few hundred, and recomputing the HMAC for every submission showed up in
// profiles. Forged tokens are never remembered, so the cache cannot be
// grown by an attacker beyond maxVerified entries anyway.
func (s *Server) verified(token string) (string, bool) {
	if id, ok := s.tokens.Load(token); ok {
		return id.(string), true
	}
	id, ok := s.signer.Verify(token)
	if ok && s.tokenCount.Load() < maxVerified {
		if _, loaded := s.tokens.LoadOrStore(token, id); !loaded {
			s.tokenCount.Add(1)
		}
	}
	return id, ok
}

const maxVerified = 10000
