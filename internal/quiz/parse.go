package quiz

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/policysite/policysite/internal/textenc"
)

var (
	topKeys      = []string{"title", "policy", "intro", "pass_mark", "valid_for_days", "acknowledge"}
	questionKeys = []string{"text", "choices", "answer", "explanation", "ref"}
)

// Parse reads a quiz from data; file is only used in messages and for the id.
//
// The file is decoded twice on purpose: go-toml's decoder is the authority on
// TOML syntax and duplicate keys (and reports their line), while the walk over
// the unstable AST gives the line of every key and value, which the decoder
// does not expose. Only the walk fills the Quiz.
func Parse(file string, data []byte) (*Quiz, []Problem) {
	q := &Quiz{
		ID:       strings.TrimSuffix(filepath.Base(file), ".toml"),
		File:     file,
		keyLines: map[string]int{},
	}
	if !utf8.Valid(data) {
		// TOML must be UTF-8; Notepad's "ANSI" (Windows-1252) curly quotes
		// and dashes are not, and the TOML reader's own message does not
		// say what to do.
		_, line := textenc.ToUTF8(data)
		return nil, []Problem{{File: file, Line: line, Message: "this line has a character (a curly quote, a dash, £ …) that is not UTF-8: the file was saved in Windows' \"ANSI\" encoding, as Notepad and older versions of Word do. Save it as UTF-8 (in Notepad: File › Save as, Encoding: UTF-8)"}}
	}
	var probe map[string]any
	if err := toml.Unmarshal(data, &probe); err != nil {
		return nil, []Problem{syntaxProblem(file, err)}
	}

	w := walker{file: file, q: q}
	w.p.Reset(data)
	for w.p.NextExpression() {
		w.expression(w.p.Expression())
	}
	if err := w.p.Error(); err != nil {
		// The decoder accepted the file, so the AST parser should too; report
		// rather than hide it if the two ever disagree.
		w.add(0, fmt.Sprintf("could not read the file: %v", err))
	}
	sortProblems(w.problems)
	return q, w.problems
}

func syntaxProblem(file string, err error) Problem {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, _ := de.Position()
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		return Problem{File: file, Line: line, Message: fmt.Sprintf(
			"this is not valid TOML: %s (check the quotes, brackets and `key = value` form on this line; each key may appear only once per table)", msg)}
	}
	return Problem{File: file, Message: fmt.Sprintf("this is not valid TOML: %v", err)}
}

type walker struct {
	file     string
	q        *Quiz
	p        unstable.Parser
	question int  // index into q.Questions of the current [[questions]], or -1 at the top
	skipping bool // inside a table that is not allowed: its keys were reported with the table
	problems []Problem
}

func (w *walker) add(line int, msg string) {
	w.problems = append(w.problems, Problem{File: w.file, Line: line, Message: msg})
}

func (w *walker) lineOf(n *unstable.Node) int {
	if n == nil || n.Raw.Length == 0 && n.Raw.Offset == 0 {
		return 0
	}
	return w.p.Shape(n.Raw).Start.Line
}

// keyName joins a (possibly dotted) key and returns the line of its first part.
func (w *walker) keyName(it unstable.Iterator) (string, int) {
	var parts []string
	line := 0
	for it.Next() {
		n := it.Node()
		if line == 0 {
			line = w.lineOf(n)
		}
		parts = append(parts, string(n.Data))
	}
	return strings.Join(parts, "."), line
}

func (w *walker) expression(e *unstable.Node) {
	if e == nil {
		return
	}
	switch e.Kind {
	case unstable.ArrayTable:
		name, line := w.keyName(e.Key())
		if name == "questions" {
			w.q.Questions = append(w.q.Questions, Question{Line: line, keyLines: map[string]int{}})
			w.question = len(w.q.Questions) - 1
			w.skipping = false
			return
		}
		w.add(line, fmt.Sprintf("unknown table [[%s]]: a quiz file has only [[questions]] tables; rename it or remove it", name))
		w.skipping = true
	case unstable.Table:
		name, line := w.keyName(e.Key())
		if name == "questions" {
			w.add(line, "[questions] needs double brackets: write [[questions]] above each question, so every question is its own table")
		} else {
			w.add(line, fmt.Sprintf("unknown table [%s]: a quiz file has top-level keys (%s) and [[questions]] tables only; rename it or remove it",
				name, strings.Join(topKeys, ", ")))
		}
		w.skipping = true
	case unstable.KeyValue:
		if w.skipping {
			return
		}
		name, line := w.keyName(e.Key())
		if len(w.q.Questions) == 0 {
			w.topKey(name, line, e.Value())
		} else {
			w.questionKey(&w.q.Questions[w.question], name, line, e.Value())
		}
	}
}

func (w *walker) topKey(name string, line int, v *unstable.Node) {
	q := w.q
	switch name {
	case "title", "policy", "intro":
		s, ok := w.stringValue(name, line, v)
		if !ok {
			return
		}
		switch name {
		case "title":
			q.Title = s
		case "policy":
			q.Policy = s
		case "intro":
			q.Intro = s
		}
	case "pass_mark":
		f, ok := w.numberValue(v)
		if !ok {
			w.add(line, fmt.Sprintf("pass_mark must be a number from 0 to 1, such as 0.8 for 80%%; found %s", w.describe(v)))
			return
		}
		q.PassMark = f
	case "valid_for_days":
		n, ok := w.intValue(v)
		if !ok {
			w.add(line, fmt.Sprintf("valid_for_days must be a whole number of days, such as 365; found %s", w.describe(v)))
			return
		}
		q.ValidForDays = int(n)
	case "acknowledge":
		if v.Kind != unstable.Bool {
			w.add(line, fmt.Sprintf("acknowledge must be true or false (without quotes); found %s", w.describe(v)))
			return
		}
		q.Acknowledge = string(v.Data) == "true"
	case "questions":
		w.add(line, "write each question as its own [[questions]] table, not as a questions = [...] list")
		return
	default:
		if slices.Contains(questionKeys, name) {
			w.add(line, fmt.Sprintf("%q belongs to a question: put it after a [[questions]] line", name))
		} else {
			w.add(line, fmt.Sprintf("unknown key %q: the keys allowed at the top of a quiz file are %s", name, strings.Join(topKeys, ", ")))
		}
		return
	}
	q.keyLines[name] = line
}

func (w *walker) questionKey(qu *Question, name string, line int, v *unstable.Node) {
	switch name {
	case "text", "explanation", "ref":
		s, ok := w.stringValue(name, line, v)
		if !ok {
			return
		}
		switch name {
		case "text":
			qu.Text = s
		case "explanation":
			qu.Explanation = s
		case "ref":
			qu.Ref = s
		}
	case "choices":
		if v.Kind != unstable.Array {
			w.add(line, fmt.Sprintf(`choices must be a list of texts, such as choices = ["Yes", "No"]; found %s`, w.describe(v)))
			return
		}
		qu.Choices = []string{}
		qu.choiceLines = nil
		it := v.Children()
		for i := 0; it.Next(); i++ {
			n := it.Node()
			if n.Kind != unstable.String {
				w.add(w.lineOf(n), fmt.Sprintf("choice %d must be text in quotes; found %s", i, w.describe(n)))
				continue
			}
			qu.Choices = append(qu.Choices, string(n.Data))
			qu.choiceLines = append(qu.choiceLines, w.lineOf(n))
		}
	case "answer":
		switch v.Kind {
		case unstable.Array:
			qu.Multi = true
			qu.Answer = []int{}
			it := v.Children()
			for it.Next() {
				n, ok := w.intValue(it.Node())
				if !ok {
					w.add(line, fmt.Sprintf("answer must list choice numbers counted from 0, such as answer = [0, 2]; found %s in the list", w.describe(it.Node())))
					qu.Answer = nil
					return
				}
				qu.Answer = append(qu.Answer, clampInt(n))
			}
		default:
			n, ok := w.intValue(v)
			if !ok {
				w.add(line, fmt.Sprintf("answer must be the number of the right choice counted from 0 (answer = 2), or a list for choose-all-that-apply (answer = [0, 2]); found %s", w.describe(v)))
				return
			}
			qu.Multi = false
			qu.Answer = []int{clampInt(n)}
		}
	default:
		if slices.Contains(topKeys, name) {
			w.add(line, fmt.Sprintf("%q is a quiz setting, but here it falls inside question %d: move it above the first [[questions]] line", name, w.question+1))
		} else {
			w.add(line, fmt.Sprintf("unknown key %q in question %d: the keys allowed in a question are %s", name, w.question+1, strings.Join(questionKeys, ", ")))
		}
		return
	}
	qu.keyLines[name] = line
}

func (w *walker) stringValue(name string, line int, v *unstable.Node) (string, bool) {
	if v.Kind != unstable.String {
		w.add(line, fmt.Sprintf("%s must be text in quotes; found %s", name, w.describe(v)))
		return "", false
	}
	return string(v.Data), true
}

func (w *walker) intValue(v *unstable.Node) (int64, bool) {
	if v.Kind != unstable.Integer {
		return 0, false
	}
	n, err := strconv.ParseInt(string(v.Data), 0, 64)
	return n, err == nil
}

func (w *walker) numberValue(v *unstable.Node) (float64, bool) {
	switch v.Kind {
	case unstable.Integer:
		n, ok := w.intValue(v)
		return float64(n), ok
	case unstable.Float:
		f, err := strconv.ParseFloat(strings.ReplaceAll(string(v.Data), "_", ""), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, false
		}
		return f, true
	}
	return 0, false
}

// describe names a value's kind in words a non-programmer recognises.
func (w *walker) describe(v *unstable.Node) string {
	var kind string
	switch v.Kind {
	case unstable.String:
		kind = "text"
	case unstable.Integer:
		kind = "a whole number"
	case unstable.Float:
		kind = "a number"
	case unstable.Bool:
		kind = "true/false"
	case unstable.Array:
		return "a list"
	case unstable.InlineTable:
		return "a table in braces"
	case unstable.LocalDate, unstable.LocalDateTime, unstable.DateTime, unstable.LocalTime:
		kind = "a date or time"
	default:
		return "a value of an unexpected kind"
	}
	raw := ""
	if v.Raw.Length > 0 {
		raw = string(w.p.Raw(v.Raw))
	}
	if raw == "" {
		return kind
	}
	if utf8.RuneCountInString(raw) > 40 {
		raw = string([]rune(raw)[:40]) + "…"
	}
	return kind + " " + raw
}

// clampInt keeps absurd indices representable; Validate reports them as out of range.
func clampInt(n int64) int {
	if n > math.MaxInt32 {
		return math.MaxInt32
	}
	if n < math.MinInt32 {
		return math.MinInt32
	}
	return int(n)
}
