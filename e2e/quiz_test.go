package e2e

// Browser tests for the staff training quiz pages (issue 3), run against the
// example school with the training endpoint mounted at /api.
//
// The contract with layouts/quiz/page.html and static/js/quiz.js:
//   /staff/training/QUIZ-ID/ per quizzes/QUIZ-ID.toml; #quiz-data holds the quiz
//   as JSON; #quiz-app is the interactive quiz, #quiz-static the plain list of
//   questions shown without JavaScript (inside <noscript> the notice).
//   #quiz-who[data-state=named|token|unknown|none] says whose record is kept;
//   #quiz-start starts; each question is section.quiz-q[data-q=FILE-INDEX]
//   [data-pos=SHOWN-POSITION] with a <fieldset>/<legend>, inputs whose value is
//   the choice's index in the file, button.quiz-check, div.quiz-feedback
//   (aria-live, data-result=right|wrong) and button.quiz-next;
//   #quiz-mode-toggle switches one-at-a-time / all on one page, #quiz-finish
//   ends the quiz in the all-on-one-page mode; #quiz-result[data-passed],
//   #quiz-send[data-state=sending|sent|queued|refused|practice], .certificate
//   (.certificate-name, .certificate-score, .certificate-code), #quiz-retry;
//   acknowledgements: #quiz-ack and #quiz-ack-submit. The offline queue lives
//   in localStorage under "policysite.trainlog.queue", keyed by attempt_id.

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/policysite/policysite/internal/quiz"
	"github.com/policysite/policysite/internal/trainlog"
)

// quizDir is where the example school's quizzes are, from this folder.
var quizDir = filepath.Join("..", "quizzes")

// The member of staff the tests act as.
const (
	testStaffID   = "T042"
	testStaffName = "Alex Testperson"
)

// api is what the test server mounts at /api: the training endpoint, behind
// a switch that can make it unreachable.
var api = &apiSwitch{}

func init() {
	prev := siteHandler
	siteHandler = func(site http.Handler) http.Handler {
		if prev != nil {
			site = prev(site)
		}
		api.setUp(filepath.Join(filepath.Dir(siteDir), "trainlog"))
		mux := http.NewServeMux()
		mux.Handle("/api/", http.StripPrefix("/api", api))
		mux.Handle("/", site)
		return mux
	}
}

// apiSwitch serves the training endpoint in one of three modes:
//   - up: as it is;
//   - down: every request answers 503, as when the endpoint is stopped;
//   - lose: the endpoint handles the request (and stores what it is sent),
//     but the page gets 502, as when a proxy drops the answer.
type apiSwitch struct {
	mode    atomic.Value // string
	handler http.Handler
	token   string // the test staff member's personal token
	admin   string // the admin token
	err     error  // why the endpoint could not be started
}

func (a *apiSwitch) setMode(m string) { a.mode.Store(m) }

func (a *apiSwitch) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a.handler == nil {
		http.Error(w, `{"error":"the training endpoint did not start"}`, http.StatusInternalServerError)
		return
	}
	switch a.mode.Load() {
	case "down":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"error":"the training endpoint is stopped (test)"}`)
	case "lose":
		rec := httptest.NewRecorder()
		a.handler.ServeHTTP(rec, r)
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "bad gateway (test): the endpoint answered but the answer was lost")
	default:
		a.handler.ServeHTTP(w, r)
	}
}

// setUp starts the endpoint with its data in dir.
func (a *apiSwitch) setUp(dir string) {
	a.setMode("up")
	a.handler, a.token, a.admin, a.err = startTrainlog(dir)
}

// needAPI fails t when the endpoint could not be started.
func needAPI(t *testing.T) {
	t.Helper()
	if api.err != nil {
		t.Fatalf("the training endpoint for /api could not be started: %v", api.err)
	}
	t.Cleanup(func() { api.setMode("up") })
}

// --- the quizzes --------------------------------------------------------------

var loadQuizzes = sync.OnceValues(func() ([]*quiz.Quiz, error) {
	qs, problems := quiz.LoadDir(quizDir)
	if len(problems) > 0 {
		var b strings.Builder
		for _, p := range problems {
			fmt.Fprintln(&b, p)
		}
		return qs, fmt.Errorf("the quiz files have problems:\n%s", b.String())
	}
	return qs, nil
})

// exampleQuiz finds the example school's quiz on policy (a scored one, or a
// read-and-acknowledge one when ack is set).
func exampleQuiz(t *testing.T, policy string, ack bool) *quiz.Quiz {
	t.Helper()
	qs, err := loadQuizzes()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, q := range qs {
		ids = append(ids, fmt.Sprintf("%s (policy %s, acknowledge %v)", q.ID, q.Policy, q.Acknowledge))
		if (policy == "" || q.Policy == policy) && q.Acknowledge == ack && (ack || len(q.Questions) > 0) {
			return q
		}
	}
	t.Fatalf("want a quiz in %s on policy %q with acknowledge = %v; the quizzes there are %q", quizDir, policy, ack, ids)
	return nil
}

func quizPath(q *quiz.Quiz) string { return "/staff/training/" + q.ID + "/" }

// personalLink is the link the DSL sends the test staff member for q.
func personalLink(q *quiz.Quiz) string { return quizPath(q) + "?t=" + api.token }

// freshDevice forgets everything the site stored in the browser, as if the
// person had never used this device.
func freshDevice(t *testing.T, ctx context.Context) {
	t.Helper()
	navigate(t, ctx, "/")
	eval[bool](t, ctx, `(localStorage.clear(), true)`)
}

// --- the keyboard ---------------------------------------------------------------

// press sends keys to the focused element, one key at a time.
func press(t *testing.T, ctx context.Context, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(k)); err != nil {
			t.Fatalf("on %s, pressing %q: %v", here(ctx), k, err)
		}
	}
}

// focused describes the focused element, for messages.
func focused(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `(() => {
		const e = document.activeElement;
		if (!e || e === document.body) return "nothing (the page body)";
		let s = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + [...e.classList].map(c => "." + c).join("");
		const text = (e.innerText || e.value || "").trim().replace(/\s+/g, " ");
		return s + (text ? " " + JSON.stringify(text.slice(0, 60)) : "");
	})()`)
}

// tabTo presses Tab until the element selector matches has the focus, as a
// keyboard user moves through the page. It fails if that takes more than 60
// presses or the element is never reached.
func tabTo(t *testing.T, ctx context.Context, selector, what string) {
	t.Helper()
	is := `(document.activeElement && document.activeElement.matches(` + jsString(selector) + `))`
	for i := 0; i < 60; i++ {
		if eval[bool](t, ctx, is) {
			return
		}
		press(t, ctx, kb.Tab)
	}
	t.Fatalf("on %s: pressing Tab 60 times never reached %s (%s); the focus is on %s",
		here(ctx), what, selector, focused(t, ctx))
}

// isFocused fails t unless the focused element matches selector.
func isFocused(t *testing.T, ctx context.Context, selector, after string) {
	t.Helper()
	if !eval[bool](t, ctx, `!!document.activeElement && document.activeElement.matches(`+jsString(selector)+`)`) {
		t.Fatalf("on %s, after %s: want the focus on %s; it is on %s", here(ctx), after, selector, focused(t, ctx))
	}
}

// shownQuestion is the question the page shows at a position.
type shownQuestion struct {
	Q      int   `json:"q"`      // index in the quiz file
	Values []int `json:"values"` // the choices' file indices, in the order shown
	Type   string
}

func questionAt(t *testing.T, ctx context.Context, pos int) shownQuestion {
	t.Helper()
	var s shownQuestion
	raw := eval[string](t, ctx, `(() => {
		const sec = document.querySelector('.quiz-q[data-pos="`+fmt.Sprint(pos)+`"]');
		if (!sec) return "";
		const inputs = [...sec.querySelectorAll("fieldset input")];
		return JSON.stringify({q: Number(sec.dataset.q), values: inputs.map(i => Number(i.value)),
			Type: inputs.length ? inputs[0].type : ""});
	})()`)
	if raw == "" {
		t.Fatalf("on %s: no question section .quiz-q[data-pos=%d]", here(ctx), pos)
	}
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// answerByKeyboard answers the question shown at pos with the keyboard only:
// Tab into the choices, arrow keys or Space to choose, Tab to "Check answer"
// and Enter, then Tab to the next button and Enter. right picks the right
// answer; otherwise a wrong one.
// onFeedback, when not nil, runs while the feedback is shown.
func answerByKeyboard(t *testing.T, ctx context.Context, q *quiz.Quiz, pos int, right bool, onFeedback func()) {
	t.Helper()
	s := questionAt(t, ctx, pos)
	qu := q.Questions[s.Q]
	want := pickAnswer(qu, right)
	sec := fmt.Sprintf(`.quiz-q[data-pos="%d"]`, pos)
	if qu.Multi {
		if s.Type != "checkbox" {
			t.Fatalf("question %d (%q) is choose-all-that-apply; want checkboxes, got %q inputs", s.Q+1, qu.Text, s.Type)
		}
		for _, v := range s.Values { // in the order shown, so Tab only goes forward
			if slices.Contains(want, v) {
				tabTo(t, ctx, fmt.Sprintf(`%s input[value="%d"]`, sec, v), fmt.Sprintf("choice %d of question %d", v, s.Q+1))
				press(t, ctx, " ")
			}
		}
	} else {
		if s.Type != "radio" {
			t.Fatalf("question %d (%q) takes one answer; want radio buttons, got %q inputs", s.Q+1, qu.Text, s.Type)
		}
		tabTo(t, ctx, sec+` input[type="radio"]`, fmt.Sprintf("the choices of question %d", s.Q+1))
		at := slices.Index(s.Values, want[0])
		if at == 0 {
			press(t, ctx, " ")
		}
		for i := 0; i < at; i++ {
			press(t, ctx, kb.ArrowDown)
		}
	}
	got := eval[[]int](t, ctx, `[...document.querySelectorAll('`+sec+` input:checked')].map(i => Number(i.value)).sort((a, b) => a - b)`)
	sort.Ints(want)
	if !slices.Equal(got, want) {
		t.Fatalf("question %d: after choosing %v by keyboard, the page has %v checked", s.Q+1, want, got)
	}
	tabTo(t, ctx, sec+" .quiz-check", "the Check answer button")
	press(t, ctx, kb.Enter)
	isFocused(t, ctx, sec+" .quiz-feedback", "checking an answer")
	fb := eval[map[string]string](t, ctx, `(() => { const f = document.querySelector('`+sec+` .quiz-feedback');
		return {result: f.dataset.result || "", text: f.innerText, live: f.getAttribute("aria-live") || "",
			link: (f.querySelector("a[href]") || {href: ""}).href}; })()`)
	wantWord, wantResult := "Correct", "right"
	if !right {
		wantWord, wantResult = "Not quite", "wrong"
	}
	if fb["result"] != wantResult || !strings.Contains(fb["text"], wantWord) {
		t.Fatalf("question %d: want the feedback to say %q (data-result %q); got data-result %q and text %q",
			s.Q+1, wantWord, wantResult, fb["result"], fb["text"])
	}
	if fb["live"] != "polite" && fb["live"] != "assertive" {
		t.Errorf("question %d: the feedback has aria-live=%q, want polite", s.Q+1, fb["live"])
	}
	if qu.Ref != "" {
		slug, anchor, _ := strings.Cut(qu.Ref, "#")
		wantLink := "/policies/" + slug + "/"
		if anchor != "" {
			wantLink += "#" + anchor
		}
		if !strings.HasSuffix(fb["link"], wantLink) {
			t.Errorf("question %d cites %s: want a link to %s in the feedback, got %q", s.Q+1, qu.Ref, wantLink, fb["link"])
		}
	}
	if qu.Explanation != "" && !strings.Contains(norm(fb["text"]), norm(firstWords(qu.Explanation, 6))) {
		t.Errorf("question %d: want the explanation %q in the feedback; got %q", s.Q+1, qu.Explanation, fb["text"])
	}
	if onFeedback != nil {
		onFeedback()
	}
	tabTo(t, ctx, sec+" .quiz-next", "the next-question button")
	press(t, ctx, kb.Enter)
}

func pickAnswer(qu quiz.Question, right bool) []int {
	if right {
		return slices.Clone(qu.Answer)
	}
	for i := range qu.Choices {
		if !slices.Contains(qu.Answer, i) {
			return []int{i}
		}
	}
	return []int{} // every choice is right: impossible to get wrong
}

// answerAllByScript answers every question of the running quiz with clicks
// from script (the keyboard path has its own test): right ones until
// nRight is reached, wrong ones after.
func answerAllByScript(t *testing.T, ctx context.Context, q *quiz.Quiz, nRight int) {
	t.Helper()
	for pos := range q.Questions {
		answerByScript(t, ctx, q, pos, pos < nRight, true)
	}
}

// answerByScript answers the question shown at pos, rightly or not, and
// presses its next button when next is set.
func answerByScript(t *testing.T, ctx context.Context, q *quiz.Quiz, pos int, right, next bool) {
	t.Helper()
	s := questionAt(t, ctx, pos)
	sel, _ := json.Marshal(pickAnswer(q.Questions[s.Q], right))
	ok := eval[bool](t, ctx, `(() => {
		const sec = document.querySelector('.quiz-q[data-pos="`+fmt.Sprint(pos)+`"]');
		for (const v of `+string(sel)+`) sec.querySelector('input[value="' + v + '"]').click();
		sec.querySelector(".quiz-check").click();
		const next = sec.querySelector(".quiz-next");
		if (next.hidden) return false;
		if (`+fmt.Sprint(next)+`) next.click();
		return true;
	})()`)
	if !ok {
		t.Fatalf("question at position %d: after checking the answer, no next button", pos)
	}
}

var spaces = regexp.MustCompile(`\s+`)

func norm(s string) string {
	s = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, "*", "", "_", "", "`", "").Replace(s)
	return strings.ToLower(spaces.ReplaceAllString(s, " "))
}

func firstWords(s string, n int) string {
	w := strings.Fields(s)
	if len(w) > n {
		w = w[:n]
	}
	return strings.Join(w, " ")
}

// --- the endpoint's records ------------------------------------------------------

// apiGet fetches path from the endpoint with the admin token, as the DSL
// would. It goes to the endpoint itself, so it works while the page's way
// to it is switched off.
func apiGet(t *testing.T, path string) []byte {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+api.admin)
	rec := httptest.NewRecorder()
	api.handler.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /api%s with the admin token: HTTP %d: %s", path, res.StatusCode, short(string(body), 300))
	}
	return body
}

// completions lists the stored completions (the CSV export) as maps from
// column name to value.
func completions(t *testing.T) []map[string]string {
	t.Helper()
	body := apiGet(t, "/v1/completions.csv")
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatalf("GET /api/v1/completions.csv: not CSV: %v\n%s", err, short(string(body), 300))
	}
	if len(rows) == 0 {
		t.Fatalf("GET /api/v1/completions.csv: no header row")
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			if i < len(r) {
				m[strings.ToLower(strings.TrimSpace(h))] = r[i]
			}
		}
		out = append(out, m)
	}
	return out
}

func countAttempt(t *testing.T, attemptID string) int {
	t.Helper()
	n := 0
	for _, c := range completions(t) {
		if c["attempt_id"] == attemptID {
			n++
		}
	}
	return n
}

// --- tests -----------------------------------------------------------------------

// A member of staff opens their personal link, does the Online Safety quiz
// with the keyboard alone, passes, sees the certificate, and the DSL's
// report shows it.
func TestQuizKeyboardPassAndCertificate(t *testing.T) {
	needAPI(t)
	q := exampleQuiz(t, "online-safety", false)
	ctx := tab(t)
	freshDevice(t, ctx)
	navigate(t, ctx, personalLink(q))

	// The token is kept, and taken out of the address bar.
	if loc := eval[string](t, ctx, `location.href`); strings.Contains(loc, "t=") {
		t.Errorf("after opening the personal link, the address still shows the token: %s", loc)
	}
	if got := eval[string](t, ctx, `localStorage.getItem("policysite.trainlog.token") || ""`); got != api.token {
		t.Errorf("after opening the personal link, the token kept on the device is %q, want %q", got, api.token)
	}
	if !waitFor(ctx, `(document.getElementById("quiz-who") || {}).dataset?.state === "named"`, 5*time.Second) {
		t.Errorf("%s: want #quiz-who to name the person the link belongs to; it says %q", quizPath(q),
			eval[string](t, ctx, `(document.getElementById("quiz-who") || {innerText: "(no #quiz-who)"}).innerText`))
	} else if who := eval[string](t, ctx, `document.getElementById("quiz-who").innerText`); !strings.Contains(who, testStaffName) {
		t.Errorf("%s: #quiz-who says %q, want the name %q", quizPath(q), who, testStaffName)
	}

	// The intro: policy, version, pass mark, questions, time.
	intro := eval[string](t, ctx, `document.querySelector(".quiz-header").innerText`)
	for _, want := range []string{"Online Safety Policy", "Version", "Pass mark", fmt.Sprint(len(q.Questions)), "minutes"} {
		if !strings.Contains(intro, want) {
			t.Errorf("%s: the intro should show %q; it says %q", quizPath(q), want, intro)
		}
	}
	axe(t, ctx)
	screenshot(t, ctx, "1-intro")

	tabTo(t, ctx, "#quiz-start", "the Start button")
	press(t, ctx, kb.Enter)
	isFocused(t, ctx, `.quiz-q[data-pos="0"] legend`, "starting the quiz")
	progress := eval[string](t, ctx, `document.querySelector('.quiz-q[data-pos="0"] legend').innerText`)
	if wantP := fmt.Sprintf("Question 1 of %d", len(q.Questions)); !strings.Contains(progress, wantP) {
		t.Errorf("the first question's legend says %q, want it to include %q", progress, wantP)
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll(".quiz-q")].filter(s => !s.hidden).length`); n != 1 {
		t.Errorf("one question at a time: %d questions are shown", n)
	}
	axe(t, ctx)
	screenshot(t, ctx, "2-question")

	for pos := range q.Questions {
		var onFeedback func()
		if pos == 0 {
			onFeedback = func() {
				axe(t, ctx)
				screenshot(t, ctx, "2-feedback")
			}
		}
		answerByKeyboard(t, ctx, q, pos, true, onFeedback)
		if pos < len(q.Questions)-1 {
			isFocused(t, ctx, fmt.Sprintf(`.quiz-q[data-pos="%d"] legend`, pos+1), "going to the next question")
		}
	}
	isFocused(t, ctx, "#quiz-result h2", "the last question")
	if !waitFor(ctx, `(document.getElementById("quiz-send") || {}).dataset?.state === "sent"`, 10*time.Second) {
		t.Fatalf("after passing, want #quiz-send to say the completion was recorded; it says %q (state %q)",
			eval[string](t, ctx, `(document.getElementById("quiz-send") || {innerText: "(none)"}).innerText`),
			eval[string](t, ctx, `(document.getElementById("quiz-send") || {dataset: {}}).dataset.state || ""`))
	}
	cert := eval[map[string]string](t, ctx, `(() => { const c = document.querySelector(".certificate"); if (!c) return {};
		return {text: c.innerText, name: c.querySelector(".certificate-name").innerText,
			score: (c.querySelector(".certificate-score") || {}).innerText || "", code: c.querySelector(".certificate-code").innerText}; })()`)
	if cert["text"] == "" {
		t.Fatal("after the completion was recorded, no .certificate is shown")
	}
	if cert["name"] != testStaffName {
		t.Errorf("the certificate names %q, want %q", cert["name"], testStaffName)
	}
	if !strings.HasPrefix(cert["score"], "100%") {
		t.Errorf("the certificate shows the score %q, want 100%% (every answer was right)", cert["score"])
	}
	version := eval[string](t, ctx, `JSON.parse(document.getElementById("quiz-data").textContent).policy.version`)
	for _, want := range []string{q.Title, "version " + version, time.Now().Format("2006")} {
		if !strings.Contains(cert["text"], want) {
			t.Errorf("the certificate should show %q; it says %q", want, cert["text"])
		}
	}
	if strings.TrimSpace(cert["code"]) == "" {
		t.Errorf("the certificate has no verification code")
	}
	if left := eval[string](t, ctx, `localStorage.getItem("policysite.trainlog.queue") || ""`); left != "" {
		t.Errorf("after the completion was recorded, the queue on the device is not empty: %s", left)
	}
	axe(t, ctx)
	screenshot(t, ctx, "3-certificate")

	// Printing shows the certificate and nothing else.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("emulating print: %v", err)
	}
	printed := eval[map[string]bool](t, ctx, `({cert: document.querySelector(".certificate").getClientRects().length > 0,
		header: document.querySelector(".site-header").getClientRects().length > 0,
		h1: document.querySelector("h1").getClientRects().length > 0,
		button: document.querySelector(".certificate-wrap button").getClientRects().length > 0})`)
	chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
	if !printed["cert"] || printed["header"] || printed["h1"] || printed["button"] {
		t.Errorf("in print, want only the certificate shown; got certificate %v, site header %v, page heading %v, print button %v",
			printed["cert"], printed["header"], printed["h1"], printed["button"])
	}

	// The DSL's report has the pass: the row for this person and quiz (every
	// roster member has one, passed or not) is done, with this certificate.
	var report struct {
		Rows []map[string]any `json:"rows"`
	}
	raw := apiGet(t, "/v1/report")
	if err := json.Unmarshal(raw, &report); err != nil {
		t.Fatalf("GET /api/v1/report is not JSON: %v: %s", err, short(string(raw), 300))
	}
	var row map[string]any
	for _, r := range report.Rows {
		if r["staff_id"] == testStaffID && r["quiz"] == q.ID {
			row = r
		}
	}
	plain := func(v any) string { s, _ := v.(string); return strings.ReplaceAll(strings.TrimSpace(s), "-", "") }
	if row == nil {
		t.Errorf("GET /api/v1/report has no row for %s and %s: %s", testStaffID, q.ID, short(string(raw), 500))
	} else if row["status"] != "done" || plain(row["certificate"]) != plain(cert["code"]) || row["passed_version"] != version {
		t.Errorf("GET /api/v1/report row for %s and %s: status %v, certificate %v, version %v; want done, %s, %s",
			testStaffID, q.ID, row["status"], row["certificate"], row["passed_version"], cert["code"], version)
	}
	found := false
	for _, c := range completions(t) {
		if c["quiz"] == q.ID && strings.Contains(c["staff_id"]+c["name"], testStaffID+testStaffName) || c["quiz"] == q.ID && c["certificate"] == strings.ReplaceAll(cert["code"], "-", "") {
			found = true
		}
	}
	if !found {
		t.Errorf("GET /api/v1/completions.csv has no completion of %s with the certificate %s: %v", q.ID, cert["code"], completions(t))
	}
}

// The endpoint is down when someone passes: the page says the completion is
// kept on the device, keeps it, and sends it once the endpoint is back —
// and a resend after a lost answer does not record it twice.
func TestQuizOfflineQueueSendsOnce(t *testing.T) {
	needAPI(t)
	q := exampleQuiz(t, "online-safety", false)
	ctx := tab(t)
	freshDevice(t, ctx)
	navigate(t, ctx, personalLink(q))
	before := len(completions(t))

	api.setMode("down")
	eval[bool](t, ctx, `(document.getElementById("quiz-start").click(), true)`)
	answerAllByScript(t, ctx, q, len(q.Questions))
	if !waitFor(ctx, `(document.getElementById("quiz-send") || {}).dataset?.state === "queued"`, 10*time.Second) {
		t.Fatalf("with the endpoint down, want #quiz-send to say the completion is queued; it says %q",
			eval[string](t, ctx, `(document.getElementById("quiz-send") || {innerText: "(none)"}).innerText`))
	}
	msg := eval[string](t, ctx, `document.getElementById("quiz-send").innerText`)
	if !strings.Contains(msg, "Saved on this device") || !strings.Contains(msg, "don't clear your browser data") {
		t.Errorf("with the endpoint down, the page should say honestly that the completion is saved on this device until it can be sent; it says %q", msg)
	}
	type entry struct {
		State string `json:"state"`
		Body  struct {
			AttemptID string  `json:"attempt_id"`
			Quiz      string  `json:"quiz"`
			Answers   [][]int `json:"answers"`
		} `json:"body"`
	}
	var queue map[string]entry
	if err := json.Unmarshal([]byte(eval[string](t, ctx, `localStorage.getItem("policysite.trainlog.queue") || "{}"`)), &queue); err != nil {
		t.Fatal(err)
	}
	if len(queue) != 1 {
		t.Fatalf("with the endpoint down, want one completion queued on the device; got %d: %v", len(queue), queue)
	}
	var attempt string
	for id, e := range queue {
		attempt = id
		if e.Body.AttemptID != id || e.Body.Quiz != q.ID || len(e.Body.Answers) != len(q.Questions) {
			t.Errorf("queued completion %s: want attempt_id %s, quiz %s and %d answers; got %+v", id, id, q.ID, len(q.Questions), e.Body)
		}
		for i, a := range e.Body.Answers { // file order, choice indices in file order
			if want := slices.Sorted(slices.Values(q.Questions[i].Answer)); !slices.Equal(a, want) {
				t.Errorf("queued answers for question %d (in file order) are %v, want %v: the page must map its shuffled order back", i+1, a, want)
			}
		}
	}
	axe(t, ctx)
	screenshot(t, ctx, "1-queued")
	if n := len(completions(t)); n != before {
		t.Fatalf("with the endpoint down, the endpoint stored %d new completions", n-before)
	}

	// The endpoint stores the resend but its answer is lost on the way back:
	// the page must keep the completion and send it again.
	api.setMode("lose")
	goOfflineAndOnline(t, ctx)
	if !waitForCount(t, attempt, 1, 10*time.Second) {
		t.Fatalf("after the connection came back, the page did not resend the queued completion (the online event)")
	}
	time.Sleep(300 * time.Millisecond)
	if state := eval[string](t, ctx, `document.getElementById("quiz-send").dataset.state`); state != "queued" {
		t.Errorf("after a resend whose answer was lost (502), want the page still to say queued; it says %q", state)
	}
	if !eval[bool](t, ctx, `!!JSON.parse(localStorage.getItem("policysite.trainlog.queue") || "{}")[`+jsString(attempt)+`]`) {
		t.Errorf("after a resend whose answer was lost (502), the completion is no longer queued on the device")
	}

	// Back up: opening a training page sends the queue; the endpoint sees the
	// same attempt_id again and keeps one record.
	api.setMode("up")
	navigate(t, ctx, quizPath(q))
	if !waitFor(ctx, `localStorage.getItem("policysite.trainlog.queue") === null`, 10*time.Second) {
		t.Fatalf("with the endpoint back, the queued completion was not sent on page load; the queue holds %s",
			eval[string](t, ctx, `localStorage.getItem("policysite.trainlog.queue")`))
	}
	if !waitFor(ctx, `/Sent\./.test((document.getElementById("quiz-queue") || {}).innerText || "")`, 5*time.Second) {
		t.Errorf("after a queued completion was sent, the page should say so; #quiz-queue says %q",
			eval[string](t, ctx, `(document.getElementById("quiz-queue") || {innerText: "(none)"}).innerText`))
	}
	screenshot(t, ctx, "2-sent-later")
	if n := countAttempt(t, attempt); n != 1 {
		t.Errorf("attempt %s is stored %d times, want exactly once", attempt, n)
	}
	if n := len(completions(t)); n != before+1 {
		t.Errorf("the endpoint stored %d new completions, want exactly 1", n-before)
	}
}

func waitForCount(t *testing.T, attempt string, want int, d time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		if countAttempt(t, attempt) == want {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(150 * time.Millisecond)
	}
}

// goOfflineAndOnline takes the tab off the network and back, so the page
// gets an `online` event as it would when the wifi comes back.
func goOfflineAndOnline(t *testing.T, ctx context.Context) {
	t.Helper()
	set := func(offline bool) {
		if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
			t.Fatalf("emulating offline=%v: %v", offline, err)
		}
	}
	set(true)
	if !waitFor(ctx, `navigator.onLine === false`, 3*time.Second) {
		t.Fatal("emulating the network going away did not take the page offline")
	}
	set(false)
}

// A completion the endpoint refuses (a personal link it does not know) is
// shown as an error and kept on the device for the DSL.
func TestQuizRefusedCompletionIsKept(t *testing.T) {
	needAPI(t)
	q := exampleQuiz(t, "online-safety", false)
	ctx := tab(t)
	freshDevice(t, ctx)
	navigate(t, ctx, quizPath(q)+"?t=not-a-real-token")
	if !waitFor(ctx, `(document.getElementById("quiz-who") || {}).dataset?.state === "unknown"`, 5*time.Second) {
		t.Errorf("with a token the endpoint does not know, want #quiz-who to say the link was not recognised; it says %q",
			eval[string](t, ctx, `(document.getElementById("quiz-who") || {innerText: "(none)"}).innerText`))
	}
	eval[bool](t, ctx, `(document.getElementById("quiz-start").click(), true)`)
	answerAllByScript(t, ctx, q, len(q.Questions))
	if !waitFor(ctx, `(document.getElementById("quiz-send") || {}).dataset?.state === "refused"`, 10*time.Second) {
		t.Fatalf("with a bad token, want #quiz-send to say the completion was refused; it says %q",
			eval[string](t, ctx, `(document.getElementById("quiz-send") || {innerText: "(none)"}).innerText`))
	}
	msg := eval[string](t, ctx, `document.getElementById("quiz-send").innerText`)
	if !strings.Contains(msg, "401") || !strings.Contains(msg, "kept on this device") {
		t.Errorf("a refused completion should be explained (HTTP 401) and said to be kept; the page says %q", msg)
	}
	queue := eval[string](t, ctx, `localStorage.getItem("policysite.trainlog.queue") || ""`)
	if !strings.Contains(queue, `"refused"`) {
		t.Errorf("a refused completion should stay on the device, marked refused; the queue holds %q", queue)
	}
	screenshot(t, ctx, "refused")
}

// Failing offers a retry with the questions in a new order, and sends
// nothing. The all-on-one-page mode shows every question at once.
func TestQuizFailAndRetryReshuffled(t *testing.T) {
	needAPI(t)
	q := exampleQuiz(t, "online-safety", false)
	ctx := tab(t)
	freshDevice(t, ctx)
	navigate(t, ctx, personalLink(q))
	before := len(completions(t))

	eval[bool](t, ctx, `(document.getElementById("quiz-mode-all").click(), document.getElementById("quiz-start").click(), true)`)
	if n := eval[int](t, ctx, `[...document.querySelectorAll(".quiz-q")].filter(s => !s.hidden).length`); n != len(q.Questions) {
		t.Errorf("all on one page: %d of %d questions shown", n, len(q.Questions))
	}
	order := func() string {
		return eval[string](t, ctx, `[...document.querySelectorAll(".quiz-q")].map(s => s.dataset.q + ":" +
			[...s.querySelectorAll("input")].map(i => i.value).join(",")).join(" ")`)
	}
	first := order()
	// Answer the first question, to see its feedback with the others open.
	answerByScript(t, ctx, q, 0, false, false)
	screenshot(t, ctx, "1-all-on-one-page")
	axe(t, ctx)
	// Finishing early names what is left.
	eval[bool](t, ctx, `(document.getElementById("quiz-finish").click(), true)`)
	if msg := eval[string](t, ctx, `document.getElementById("quiz-finish-error").innerText`); !strings.Contains(msg, fmt.Sprint(len(q.Questions)-1)) {
		t.Errorf("finishing with %d questions unanswered should say so; it says %q", len(q.Questions)-1, msg)
	}
	isFocused(t, ctx, `.quiz-q[data-pos="1"] legend`, "finishing with questions left")
	for pos := 1; pos < len(q.Questions); pos++ {
		answerByScript(t, ctx, q, pos, false, false)
	}
	eval[bool](t, ctx, `(document.getElementById("quiz-finish").click(), true)`)
	if !waitFor(ctx, `(document.getElementById("quiz-result") || {}).dataset?.passed === "false"`, 5*time.Second) {
		t.Fatalf("after answering every question wrong, want a result that says not passed")
	}
	text := eval[string](t, ctx, `document.getElementById("quiz-result").innerText`)
	if !strings.Contains(text, "did not pass") {
		t.Errorf("the result of a failed attempt should say so in words; it says %q", text)
	}
	axe(t, ctx)
	screenshot(t, ctx, "2-failed")
	tabTo(t, ctx, "#quiz-retry", "the Try again button")
	press(t, ctx, kb.Enter)
	isFocused(t, ctx, `.quiz-q[data-pos="0"] legend`, "trying again")
	if second := order(); second == first {
		t.Errorf("trying again should reshuffle the questions and choices; the order is the same: %s", second)
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(completions(t)); n != before {
		t.Errorf("a failed attempt was sent to the endpoint (%d new records); only passes are", n-before)
	}
}

// Without a personal link, the page explains how to get one and still lets
// the person practise; a pass is not sent.
func TestQuizPracticeWithoutToken(t *testing.T) {
	needAPI(t)
	q := exampleQuiz(t, "online-safety", false)
	ctx := tab(t)
	freshDevice(t, ctx)
	navigate(t, ctx, quizPath(q))
	before := len(completions(t))
	who := eval[string](t, ctx, `(document.getElementById("quiz-who") || {innerText: ""}).innerText`)
	if !strings.Contains(who, "personal link") || !strings.Contains(who, "Designated Safeguarding Lead") {
		t.Errorf("without a token, #quiz-who should explain how to get a personal link from the DSL; it says %q", who)
	}
	eval[bool](t, ctx, `(document.getElementById("quiz-start").click(), true)`)
	answerAllByScript(t, ctx, q, len(q.Questions))
	if !waitFor(ctx, `(document.getElementById("quiz-send") || {}).dataset?.state === "practice"`, 5*time.Second) {
		t.Errorf("a pass without a token should say it is practice only; #quiz-send says %q",
			eval[string](t, ctx, `(document.getElementById("quiz-send") || {innerText: "(none)"}).innerText`))
	}
	if n := len(completions(t)); n != before {
		t.Errorf("a practice pass was sent to the endpoint (%d new records)", n-before)
	}
}

// The read-and-acknowledge record: a checkbox and a submit, by keyboard.
func TestQuizAcknowledge(t *testing.T) {
	needAPI(t)
	q := exampleQuiz(t, "", true)
	ctx := tab(t)
	freshDevice(t, ctx)
	navigate(t, ctx, personalLink(q))
	version := eval[string](t, ctx, `JSON.parse(document.getElementById("quiz-data").textContent).policy.version`)
	label := eval[string](t, ctx, `(document.querySelector('label[for="quiz-ack"]') || {innerText: ""}).innerText`)
	if !strings.Contains(label, "I have read and understood version "+version) {
		t.Errorf("the acknowledgement checkbox says %q, want \"I have read and understood version %s of …\"", label, version)
	}
	axe(t, ctx)
	tabTo(t, ctx, "#quiz-ack", "the acknowledgement checkbox")
	press(t, ctx, " ")
	tabTo(t, ctx, "#quiz-ack-submit", "the submit button")
	press(t, ctx, kb.Enter)
	if !waitFor(ctx, `(document.getElementById("quiz-send") || {}).dataset?.state === "sent"`, 10*time.Second) {
		t.Fatalf("after acknowledging, want the record sent; #quiz-send says %q",
			eval[string](t, ctx, `(document.getElementById("quiz-send") || {innerText: "(none)"}).innerText`))
	}
	cert := eval[string](t, ctx, `(document.querySelector(".certificate") || {innerText: ""}).innerText`)
	if !strings.Contains(cert, testStaffName) || !strings.Contains(cert, "version "+version) {
		t.Errorf("the acknowledgement record should name %s and version %s; it says %q", testStaffName, version, cert)
	}
	axe(t, ctx)
	screenshot(t, ctx, "acknowledged")
}

// Without JavaScript the questions are still there to read, with no answers
// given away, and the page says JavaScript is needed to record a completion.
func TestQuizWithoutJavaScript(t *testing.T) {
	q := exampleQuiz(t, "online-safety", false)
	ctx := tab(t)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("turning JavaScript off: %v", err)
	}
	navigate(t, ctx, quizPath(q))
	type page struct {
		Questions int    `json:"questions"`
		Choices   int    `json:"choices"`
		Text      string `json:"text"`
		App       bool   `json:"app"`
	}
	p := eval[page](t, ctx, `(() => {
		const shown = el => !!el && el.getClientRects().length > 0;
		const list = document.getElementById("quiz-static");
		return {questions: list ? [...list.querySelectorAll("ol > li")].filter(shown).length : 0,
			choices: list ? list.querySelectorAll("ol > li li").length : 0,
			text: document.querySelector("main").innerText,
			app: shown(document.getElementById("quiz-app"))};
	})()`)
	if p.Questions != len(q.Questions) {
		t.Errorf("without JavaScript, want the %d questions listed in #quiz-static; %d are shown", len(q.Questions), p.Questions)
	}
	nChoices := 0
	for _, qu := range q.Questions {
		nChoices += len(qu.Choices)
	}
	if p.Choices != nChoices {
		t.Errorf("without JavaScript, want all %d choices listed; got %d", nChoices, p.Choices)
	}
	if !strings.Contains(p.Text, "JavaScript is needed to record a completion") {
		t.Errorf("without JavaScript, the page should say JavaScript is needed to record a completion")
	}
	for _, w := range []string{"Correct", "Right answer", "The right answer"} {
		if strings.Contains(p.Text, w) {
			t.Errorf("without JavaScript, the page gives answers away: it shows %q", w)
		}
	}
	if p.App {
		t.Errorf("without JavaScript, the interactive quiz (#quiz-app) should stay hidden")
	}
	screenshot(t, ctx, "no-javascript")
}

// The DSL's report page (served by trainlog at /api/report) passes axe-core,
// asking for the admin token and showing the table. The quiz page's states
// are checked in the tests above.
func TestQuizReportPageAxe(t *testing.T) {
	needAPI(t)
	ctx := tab(t)
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(siteURL+"/api/report"))
	if err != nil {
		t.Fatalf("loading /api/report: %v", err)
	}
	if resp == nil || resp.Status != http.StatusOK {
		status := 0
		if resp != nil {
			status = int(resp.Status)
		}
		t.Fatalf("/api/report answered HTTP %d, want 200: the trainlog report page is not there (yet?)", status)
	}
	axe(t, ctx)
	screenshot(t, ctx, "1-token")

	// With the admin token: the table, and the test staff member in it.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#token"), api.admin+"\n")); err != nil {
		t.Fatalf("/api/report: typing the admin token into #token: %v", err)
	}
	if !waitFor(ctx, `!!document.getElementById("report") && !document.getElementById("report").hidden &&
		document.querySelectorAll("#rows tr").length > 0`, 10*time.Second) {
		t.Fatalf("/api/report: after giving the admin token, no report table; the page says %q",
			eval[string](t, ctx, `document.body.innerText`))
	}
	if text := eval[string](t, ctx, `document.getElementById("rows").innerText`); !strings.Contains(text, testStaffName) {
		t.Errorf("/api/report: the table does not list %s: %q", testStaffName, short(text, 300))
	}
	axe(t, ctx)
	screenshot(t, ctx, "2-table")
}

// --- the endpoint ------------------------------------------------------------------

// startTrainlog starts the training endpoint (internal/trainlog) over a
// SQLite file in dir, with a roster holding the test staff member, and
// returns its handler (paths relative to /api), that person's personal token
// and the admin token.
func startTrainlog(dir string) (http.Handler, string, string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, "", "", err
	}
	roster := filepath.Join(dir, "staff.csv")
	rows := "id,name,email,role,start_date\n" +
		testStaffID + "," + testStaffName + ",alex.testperson@oakfield-primary.example.org,Class teacher,2026-09-01\n"
	if err := os.WriteFile(roster, []byte(rows), 0o644); err != nil {
		return nil, "", "", err
	}
	const admin = "e2e-admin-token"
	srv, err := trainlog.New(trainlog.Config{
		DataDir:    dir,
		QuizDir:    quizDir,
		ContentDir: filepath.Join("..", "content"),
		RosterFile: roster,
		AdminToken: admin,
		RateLimit:  -1, // one test client makes many requests
		Logger:     slog.New(slog.DiscardHandler),
		Notice:     func(string) {},
	})
	if err != nil {
		return nil, "", "", err
	}
	signer, _, err := trainlog.OpenSigner(dir)
	if err != nil {
		return nil, "", "", err
	}
	return srv.Handler(), signer.Token(testStaffID), admin, nil
}
