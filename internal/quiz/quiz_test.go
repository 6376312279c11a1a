package quiz

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fakeIndex knows the policies and anchors of a small imaginary school.
type fakeIndex map[string][]string

func (f fakeIndex) HasPolicy(slug string) bool { _, ok := f[slug]; return ok }
func (f fakeIndex) HasAnchor(slug, anchor string) bool {
	for _, a := range f[slug] {
		if a == anchor {
			return true
		}
	}
	return false
}

var school = fakeIndex{
	"online-safety":        {"reporting", "filtering", "social-media"},
	"staff-acceptable-use": {"devices"},
}

func TestLoadDirReadsFixtures(t *testing.T) {
	quizzes, problems := LoadDir("testdata/valid")
	if len(problems) > 0 {
		t.Fatalf("unexpected problems: %v", problems)
	}
	if len(quizzes) != 2 || quizzes[0].ID != "online-safety" || quizzes[1].ID != "staff-aup" {
		t.Fatalf("want quizzes online-safety, staff-aup in that order; got %v", ids(quizzes))
	}
	os := quizzes[0]
	if os.Title != "Online safety: annual update" || os.Policy != "online-safety" || os.PassMark != 0.75 || os.ValidForDays != 365 {
		t.Errorf("top-level fields not read: %+v", os)
	}
	if !strings.Contains(os.Intro, "Four scenarios") {
		t.Errorf("intro not read: %q", os.Intro)
	}
	if os.File != filepath.Join("testdata/valid", "online-safety.toml") {
		t.Errorf("File = %q", os.File)
	}
	if len(os.Questions) != 4 {
		t.Fatalf("want 4 questions, got %d", len(os.Questions))
	}
	q1, q2 := os.Questions[0], os.Questions[1]
	if q1.Line != 10 || q2.Line != 21 {
		t.Errorf("question lines = %d, %d; want 10, 21", q1.Line, q2.Line)
	}
	if q1.Multi || !reflect.DeepEqual(q1.Answer, []int{1}) || len(q1.Choices) != 3 {
		t.Errorf("single-answer question read wrongly: %+v", q1)
	}
	if !q2.Multi || !reflect.DeepEqual(q2.Answer, []int{0, 2}) {
		t.Errorf("choose-all question read wrongly: %+v", q2)
	}
	if q1.Ref != "online-safety#reporting" || q1.Explanation == "" || q1.Text == "" {
		t.Errorf("question text fields not read: %+v", q1)
	}
	if !quizzes[1].Acknowledge || len(quizzes[1].Questions) != 0 {
		t.Errorf("acknowledgement quiz read wrongly: %+v", quizzes[1])
	}
	for _, q := range quizzes {
		if ps := q.Validate(school); len(ps) > 0 {
			t.Errorf("%s: valid fixture reported problems: %v", q.ID, ps)
		}
	}
}

func TestLoadDirMissingFolder(t *testing.T) {
	_, ps := LoadDir(filepath.Join(t.TempDir(), "nope"))
	if len(ps) != 1 || !strings.Contains(ps[0].String(), "cannot read the quizzes folder") {
		t.Fatalf("want one clear problem, got %v", ps)
	}
}

func ids(qs []*Quiz) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.ID)
	}
	return out
}

// A question block that is valid on its own; cases append or alter lines.
const goodQuestion = `
[[questions]]
text = "Who do you tell?"
choices = ["The DSL", "Nobody"]
answer = 0
explanation = "Always the DSL."
ref = "online-safety#reporting"
`

const goodTop = `title = "T"
policy = "online-safety"
pass_mark = 0.8
valid_for_days = 365
`

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		wantLine int
		want     []string // substrings of the one expected message
	}{
		{"unterminated string", "title = \"Online\npolicy = \"x\"\n", 1, []string{"not valid TOML", "quotes"}},
		{"duplicate key", goodTop + "title = \"again\"\n", 5, []string{"not valid TOML"}},
		{"unknown top key lists allowed keys", "title = \"T\"\npassmark = 0.8\n", 2,
			[]string{`unknown key "passmark"`, "pass_mark", "valid_for_days", "acknowledge"}},
		{"unknown question key", goodTop + goodQuestion + "answers = 1\n", 12,
			[]string{`unknown key "answers" in question 1`, "text, choices, answer, explanation, ref"}},
		{"question key at top", "title = \"x\"\nref = \"online-safety\"\n", 2, []string{`"ref" belongs to a question`}},
		{"top key inside a question", goodTop + goodQuestion + "pass_mark = 0.5\n", 12, []string{`"pass_mark" is a quiz setting`, "move it above"}},
		{"pass_mark as text", "pass_mark = \"80%\"\n", 1, []string{"pass_mark must be a number from 0 to 1", `found text "80%"`}},
		{"valid_for_days as float", "valid_for_days = 365.5\n", 1, []string{"whole number of days", "365.5"}},
		{"acknowledge as text", "acknowledge = \"yes\"\n", 1, []string{"true or false"}},
		{"title as number", "title = 3\n", 1, []string{"title must be text in quotes", "a whole number 3"}},
		{"single bracket questions", "[questions]\ntext = \"x\"\n", 1, []string{"double brackets", "[[questions]]"}},
		{"unknown table", goodTop + "[meta]\nauthor = \"me\"\n", 5, []string{"unknown table [meta]"}},
		{"unknown array table", goodTop + "[[question]]\ntext = \"x\"\n", 5, []string{"unknown table [[question]]", "[[questions]]"}},
		{"choices not a list", goodTop + "[[questions]]\nchoices = \"Yes\"\n", 6, []string{"choices must be a list"}},
		{"choice not text", goodTop + "[[questions]]\nchoices = [\n  \"Yes\",\n  2,\n]\n", 8, []string{"choice 1 must be text"}},
		{"answer as text", goodTop + "[[questions]]\nanswer = \"1\"\n", 6, []string{"answer must be the number of the right choice"}},
		{"answer list of text", goodTop + "[[questions]]\nanswer = [\"a\"]\n", 6, []string{"answer must list choice numbers"}},
		{"saved as Windows-1252 (Notepad's ANSI)", goodTop + "intro = \"It\x92s short\"\n", 5, []string{"not UTF-8", "Save it as UTF-8"}},
		{"questions as inline list", "questions = [{text = \"x\"}]\n", 1, []string{"own [[questions]] table"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := Parse("quizzes/t.toml", []byte(tt.src))
			if len(ps) != 1 {
				t.Fatalf("want exactly one problem, got %d: %v", len(ps), ps)
			}
			p := ps[0]
			if p.Line != tt.wantLine || p.File != "quizzes/t.toml" {
				t.Errorf("position = %s:%d, want quizzes/t.toml:%d (%s)", p.File, p.Line, tt.wantLine, p)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Message, w) {
					t.Errorf("message %q lacks %q", p.Message, w)
				}
			}
		})
	}
}

func TestValidateProblems(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		src      string
		wantLine int
		want     string // the message must contain this
	}{
		{"answer out of range", "", goodTop + strings.Replace(goodQuestion, "answer = 0", "answer = 4", 1), 9,
			"question 1: answer 4 is out of range: this question has 2 choices, numbered 0 to 1"},
		{"list answer out of range", "", goodTop + strings.Replace(goodQuestion, "answer = 0", "answer = [0, 5]", 1), 9,
			"answer 5 is out of range"},
		{"negative answer", "", goodTop + strings.Replace(goodQuestion, "answer = 0", "answer = -1", 1), 9, "answer -1 is out of range"},
		{"answer repeated", "", goodTop + strings.Replace(goodQuestion, "answer = 0", "answer = [1, 1]", 1), 9, "lists choice 1 twice"},
		{"empty answer list", "", goodTop + strings.Replace(goodQuestion, "answer = 0", "answer = []", 1), 9, "lists no right choice"},
		{"missing answer", "", goodTop + strings.Replace(goodQuestion, "answer = 0\n", "", 1), 6, "answer is missing"},
		{"no choices", "", goodTop + strings.Replace(goodQuestion, `choices = ["The DSL", "Nobody"]`, "choices = []", 1), 8, "has no choices"},
		{"no choices key", "", goodTop + strings.Replace(goodQuestion, "choices = [\"The DSL\", \"Nobody\"]\n", "", 1), 6, "has no choices"},
		{"one choice", "", goodTop + strings.Replace(strings.Replace(goodQuestion, `, "Nobody"`, "", 1), "", "", 1), 8, "only one choice"},
		{"duplicate choices ignore case and spaces", "", goodTop + strings.Replace(goodQuestion, `choices = ["The DSL", "Nobody"]`, "choices = [\n \"The DSL\",\n \"the  dsl\",\n]", 1), 10,
			`choices 0 and 1 are the same ("the  dsl")`},
		{"empty choice", "", goodTop + strings.Replace(goodQuestion, `"Nobody"`, `" "`, 1), 8, "choice 1 is empty"},
		{"pass_mark as percent", "", strings.Replace(goodTop, "0.8", "80", 1) + goodQuestion, 3, "pass_mark 80 is out of range: it must be from 0 to 1 (for 80% write 0.8)"},
		{"pass_mark negative", "", strings.Replace(goodTop, "0.8", "-0.5", 1) + goodQuestion, 3, "pass_mark -0.5 is out of range"},
		{"pass_mark missing", "", strings.Replace(goodTop, "pass_mark = 0.8\n", "", 1) + goodQuestion, 0, "pass_mark is missing"},
		{"valid_for_days missing", "", strings.Replace(goodTop, "valid_for_days = 365\n", "", 1) + goodQuestion, 0, "valid_for_days is missing"},
		{"valid_for_days zero", "", strings.Replace(goodTop, "365", "0", 1) + goodQuestion, 4, "valid_for_days is 0"},
		{"title missing", "", strings.Replace(goodTop, "title = \"T\"\n", "", 1) + goodQuestion, 0, "title is missing"},
		{"policy missing", "", strings.Replace(goodTop, "policy = \"online-safety\"\n", "", 1) + goodQuestion, 0, "policy is missing"},
		{"policy unknown", "", strings.Replace(goodTop, `"online-safety"`, `"online-safty"`, 1) + goodQuestion, 2,
			`policy "online-safty" does not exist`},
		{"ref to missing policy", "", goodTop + strings.Replace(goodQuestion, "online-safety#reporting", "e-safety#reporting", 1), 11,
			`points to policy "e-safety", which does not exist`},
		{"ref to missing anchor", "", goodTop + strings.Replace(goodQuestion, "#reporting", "#reportng", 1), 11,
			`points to a heading #reportng that policy "online-safety" does not have`},
		{"ref with empty anchor", "", goodTop + strings.Replace(goodQuestion, "#reporting", "#", 1), 11, "names no heading"},
		{"ref missing", "", goodTop + strings.Replace(goodQuestion, "ref = \"online-safety#reporting\"\n", "", 1), 6, "ref is missing"},
		{"text missing", "", goodTop + strings.Replace(goodQuestion, "text = \"Who do you tell?\"\n", "", 1), 6, "text is missing"},
		{"explanation missing", "", goodTop + strings.Replace(goodQuestion, "explanation = \"Always the DSL.\"\n", "", 1), 6, "explanation is missing"},
		{"no questions", "", goodTop, 0, "has no questions"},
		{"acknowledge with questions", "", goodTop + "acknowledge = true\n" + goodQuestion, 7, "cannot have questions"},
		{"bad file name", "quizzes/Online Safety.toml", goodTop + goodQuestion, 0, "must use only lowercase letters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = "quizzes/online-safety.toml"
			}
			q, ps := Parse(file, []byte(tt.src))
			if len(ps) > 0 {
				t.Fatalf("parse problems: %v", ps)
			}
			ps = q.Validate(school)
			if len(ps) != 1 {
				t.Fatalf("want exactly one problem, got %d: %v", len(ps), ps)
			}
			if ps[0].Line != tt.wantLine {
				t.Errorf("line = %d, want %d (%s)", ps[0].Line, tt.wantLine, ps[0])
			}
			if !strings.Contains(ps[0].Message, tt.want) {
				t.Errorf("message %q lacks %q", ps[0].Message, tt.want)
			}
		})
	}
}

func TestValidateWithoutIndexSkipsPolicyChecks(t *testing.T) {
	src := strings.Replace(goodTop, `"online-safety"`, `"anything"`, 1) + strings.Replace(goodQuestion, "online-safety#reporting", "elsewhere#x", 1)
	q, _ := Parse("quizzes/q.toml", []byte(src))
	if ps := q.Validate(nil); len(ps) != 0 {
		t.Fatalf("want no problems without an index, got %v", ps)
	}
}

func TestProblemString(t *testing.T) {
	if got := (Problem{File: "quizzes/a.toml", Line: 42, Message: "m"}).String(); got != "quizzes/a.toml:42: m" {
		t.Errorf("got %q", got)
	}
	if got := (Problem{File: "quizzes/a.toml", Message: "m"}).String(); got != "quizzes/a.toml: m" {
		t.Errorf("got %q", got)
	}
}

func TestGrade(t *testing.T) {
	quizzes, ps := LoadDir("testdata/valid")
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	os, ack := quizzes[0], quizzes[1] // answers: 1, [0,2], 1, 1; pass mark 0.75
	tests := []struct {
		name    string
		quiz    *Quiz
		answers [][]int
		want    Result
		wantErr string
	}{
		{"all right", os, [][]int{{1}, {0, 2}, {1}, {1}}, Result{Score: 1, Correct: 4, Total: 4, Passed: true, PerQuestion: []bool{true, true, true, true}}, ""},
		{"multi in any order", os, [][]int{{1}, {2, 0}, {1}, {1}}, Result{Score: 1, Correct: 4, Total: 4, Passed: true, PerQuestion: []bool{true, true, true, true}}, ""},
		{"exactly the pass mark", os, [][]int{{1}, {0, 2}, {1}, {0}}, Result{Score: 0.75, Correct: 3, Total: 4, Passed: true, PerQuestion: []bool{true, true, true, false}}, ""},
		{"multi subset is wrong", os, [][]int{{1}, {0}, {1}, {0}}, Result{Score: 0.5, Correct: 2, Total: 4, Passed: false, PerQuestion: []bool{true, false, true, false}}, ""},
		{"multi superset is wrong", os, [][]int{{1}, {0, 1, 2}, {1}, {1}}, Result{Score: 0.75, Correct: 3, Total: 4, Passed: true, PerQuestion: []bool{true, false, true, true}}, ""},
		{"unanswered counts wrong", os, [][]int{{}, {}, {}, {}}, Result{Score: 0, Correct: 0, Total: 4, Passed: false, PerQuestion: []bool{false, false, false, false}}, ""},
		{"acknowledgement", ack, [][]int{}, Result{Score: 1, Passed: true, PerQuestion: []bool{}}, ""},
		{"acknowledgement nil answers", ack, nil, Result{Score: 1, Passed: true, PerQuestion: []bool{}}, ""},
		{"acknowledgement with answers", ack, [][]int{{0}}, Result{}, "answers must be an empty list; got 1"},
		{"too few answers", os, [][]int{{1}}, Result{}, "has 4 questions, so answers must hold 4 lists"},
		{"too many answers", os, [][]int{{1}, {0}, {1}, {1}, {1}}, Result{}, "got 5"},
		{"index out of range", os, [][]int{{3}, {0}, {1}, {1}}, Result{}, "question 1: choice 3 is out of range: this question has 3 choices, numbered 0 to 2"},
		{"negative index", os, [][]int{{1}, {0}, {-1}, {1}}, Result{}, "question 3: choice -1 is out of range"},
		{"two answers to a single question", os, [][]int{{0, 1}, {0}, {1}, {1}}, Result{}, "question 1: this question takes one answer; got 2"},
		{"repeated choice", os, [][]int{{1}, {0, 0}, {1}, {1}}, Result{}, "question 2: choice 0 is given twice"},
		{"more choices than exist", os, [][]int{{1}, {0, 1, 2, 0}, {1}, {1}}, Result{}, "question 2: got 4 choices but the question has only 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.quiz.Grade(tt.answers)
			if tt.wantErr != "" {
				var ae *AnswerError
				if !errors.As(err, &ae) {
					t.Fatalf("want *AnswerError, got %v", err)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %q lacks %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestGradePassMarkBoundaries(t *testing.T) {
	// Ten questions, answer 0 each: k right answers must pass exactly when k >= 10*mark.
	src := goodTop
	for i := 0; i < 10; i++ {
		src += goodQuestion
	}
	for _, mark := range []float64{0, 0.1, 0.3, 0.7, 0.8, 0.9, 1} {
		q, _ := Parse("quizzes/ten.toml", []byte(src))
		q.PassMark = mark
		for k := 0; k <= 10; k++ {
			answers := make([][]int, 10)
			for i := range answers {
				if i < k {
					answers[i] = []int{0}
				} else {
					answers[i] = []int{1}
				}
			}
			res, err := q.Grade(answers)
			if err != nil {
				t.Fatal(err)
			}
			want := k*10 >= int(mark*100+0.5)
			if res.Passed != want {
				t.Errorf("pass mark %v, %d/10 right: passed = %v, want %v", mark, k, res.Passed, want)
			}
		}
	}
}
