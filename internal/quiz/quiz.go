// Package quiz reads staff training quizzes from TOML files, checks them
// against the policies they cite, and grades submitted answers.
//
// It is shared by the site build, `policysite check` and the trainlog
// endpoint, so it must stay free of Hugo and of any I/O beyond reading files.
package quiz

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Question is one [[questions]] table of a quiz file.
type Question struct {
	Text        string
	Choices     []string
	Answer      []int // correct choice indices
	Multi       bool  // the file gave a list: "choose all that apply"
	Explanation string
	Ref         string // "policy-slug#heading-anchor"
	Line        int    // line of this [[questions]] table in the file

	// Where each key was written, so Validate can point at the exact line.
	keyLines    map[string]int
	choiceLines []int
}

// Quiz is one quiz file. A quiz with Acknowledge set has no questions: it
// records that a member of staff has read a version of a policy.
type Quiz struct {
	ID           string // file name without .toml
	File         string // path as given
	Title        string
	Policy       string // slug of the policy it trains on
	Intro        string
	PassMark     float64 // 0..1
	ValidForDays int
	Acknowledge  bool
	Questions    []Question

	keyLines map[string]int
}

// Problem is a finding with a position, printed as "file:line: message".
// Line 0 means the finding is about the whole file.
type Problem struct {
	File    string
	Line    int
	Message string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Message)
}

// Error lets a single Problem travel as an error.
func (p Problem) Error() string { return p.String() }

// ParseFile reads one quiz file. It reports TOML syntax errors, unknown keys
// and values of the wrong type as Problems with line numbers; the quiz is nil
// only when the file could not be read or is not valid TOML.
func ParseFile(path string) (*Quiz, []Problem) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, []Problem{{File: path, Message: fmt.Sprintf("cannot read the quiz file: %v", err)}}
	}
	return Parse(path, data)
}

// LoadDir parses every *.toml file in dir, sorted by quiz id.
func LoadDir(dir string) ([]*Quiz, []Problem) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, []Problem{{File: dir, Message: fmt.Sprintf("cannot read the quizzes folder: %v (pass the folder that holds the .toml quiz files)", err)}}
	}
	var quizzes []*Quiz
	var problems []Problem
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".toml") {
			continue
		}
		q, ps := ParseFile(filepath.Join(dir, e.Name()))
		problems = append(problems, ps...)
		if q != nil {
			quizzes = append(quizzes, q)
		}
	}
	sort.Slice(quizzes, func(i, j int) bool { return quizzes[i].ID < quizzes[j].ID })
	return quizzes, problems
}

// line returns where key was written in the quiz file, or 0 when unknown.
func (q *Quiz) line(key string) int { return q.keyLines[key] }

// line returns where key was written in this question, falling back to the
// [[questions]] header so a finding always points somewhere useful.
func (qu *Question) line(key string) int {
	if l := qu.keyLines[key]; l > 0 {
		return l
	}
	return qu.Line
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
}
