package quiz

import (
	"fmt"
	"regexp"
	"strings"
)

// PolicyIndex answers whether a policy, and a heading anchor inside it, exist.
// The site build implements it from the rendered policies; trainlog, which
// never renders, may answer HasAnchor with true.
type PolicyIndex interface {
	HasPolicy(slug string) bool
	HasAnchor(slug, anchor string) bool
}

// The id becomes part of the quiz page address and of stored records.
var validID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate reports everything in the quiz that would make it wrong to publish
// or to grade. idx may be nil, in which case policies and refs are not checked.
func (q *Quiz) Validate(idx PolicyIndex) []Problem {
	var ps []Problem
	add := func(line int, format string, args ...any) {
		ps = append(ps, Problem{File: q.File, Line: line, Message: fmt.Sprintf(format, args...)})
	}

	if !validID.MatchString(q.ID) {
		add(0, "the file name %q becomes the quiz address, so it must use only lowercase letters, digits and single hyphens (for example online-safety.toml): rename the file", q.ID+".toml")
	}
	if strings.TrimSpace(q.Title) == "" {
		add(q.line("title"), `title is missing: add a line such as title = "Online safety annual update" at the top of the file`)
	}
	switch {
	case strings.TrimSpace(q.Policy) == "":
		add(q.line("policy"), `policy is missing: add policy = "slug", where slug is the file name of the policy in content/policies without .md`)
	case idx != nil && !idx.HasPolicy(q.Policy):
		add(q.line("policy"), "policy %q does not exist: check the spelling against the file names in content/policies (without .md)", q.Policy)
	}
	if _, ok := q.keyLines["valid_for_days"]; !ok {
		add(0, "valid_for_days is missing: add valid_for_days = 365 (how long a pass counts before staff must retake it)")
	} else if q.ValidForDays <= 0 {
		add(q.line("valid_for_days"), "valid_for_days is %d: it must be a number of days above 0, such as 365", q.ValidForDays)
	}

	if q.Acknowledge {
		if len(q.Questions) > 0 {
			add(q.Questions[0].Line, "this quiz has acknowledge = true, so it records that staff have read the policy and cannot have questions: remove the [[questions]] tables or remove acknowledge = true")
		}
		sortProblems(ps)
		return ps
	}
	if len(q.Questions) == 0 {
		add(0, "this quiz has no questions: add [[questions]] tables, or add acknowledge = true if it only records that staff have read the policy")
	}
	if _, ok := q.keyLines["pass_mark"]; !ok {
		add(0, "pass_mark is missing: add pass_mark = 0.8 (the share of questions to get right, from 0 to 1)")
	} else if q.PassMark < 0 || q.PassMark > 1 {
		hint := ""
		if q.PassMark > 1 && q.PassMark <= 100 {
			hint = fmt.Sprintf(" (for %g%% write %g)", q.PassMark, q.PassMark/100)
		}
		add(q.line("pass_mark"), "pass_mark %g is out of range: it must be from 0 to 1%s", q.PassMark, hint)
	}

	for i := range q.Questions {
		ps = append(ps, q.Questions[i].validate(q.File, i+1, idx)...)
	}
	sortProblems(ps)
	return ps
}

func (qu *Question) validate(file string, num int, idx PolicyIndex) []Problem {
	var ps []Problem
	add := func(line int, format string, args ...any) {
		ps = append(ps, Problem{File: file, Line: line, Message: fmt.Sprintf("question %d: ", num) + fmt.Sprintf(format, args...)})
	}

	if strings.TrimSpace(qu.Text) == "" {
		add(qu.line("text"), `text is missing: add text = "…" with the question staff will read`)
	}
	if strings.TrimSpace(qu.Explanation) == "" {
		add(qu.line("explanation"), `explanation is missing: add explanation = "…"; staff see it after they answer`)
	}

	switch n := len(qu.Choices); {
	case n == 0:
		add(qu.line("choices"), `has no choices: add choices = ["…", "…"] with at least two answers to pick from`)
	case n == 1:
		add(qu.line("choices"), "has only one choice: add at least one more, so there is something to choose between")
	}
	seen := map[string]int{}
	for i, c := range qu.Choices {
		line := qu.line("choices")
		if i < len(qu.choiceLines) && qu.choiceLines[i] > 0 {
			line = qu.choiceLines[i]
		}
		key := strings.ToLower(strings.Join(strings.Fields(c), " "))
		if key == "" {
			add(line, "choice %d is empty: write the answer text, or remove it (and renumber answer)", i)
			continue
		}
		if j, dup := seen[key]; dup {
			add(line, "choices %d and %d are the same (%q): make each choice different, or remove one (and renumber answer)", j, i, c)
			continue
		}
		seen[key] = i
	}

	aline := qu.line("answer")
	switch {
	case qu.Answer == nil:
		if _, ok := qu.keyLines["answer"]; !ok {
			add(aline, "answer is missing: add answer = N, the number of the right choice counted from 0 (or a list such as [0, 2] for choose-all-that-apply)")
		}
	case len(qu.Answer) == 0:
		add(aline, "answer = [] lists no right choice: put the numbers of the right choices in the list, counted from 0")
	default:
		used := map[int]bool{}
		for _, a := range qu.Answer {
			switch {
			case len(qu.Choices) > 0 && (a < 0 || a >= len(qu.Choices)):
				add(aline, "answer %d is out of range: this question has %d choices, numbered 0 to %d", a, len(qu.Choices), len(qu.Choices)-1)
			case a < 0:
				add(aline, "answer %d is out of range: choices are numbered from 0", a)
			case used[a]:
				add(aline, "answer lists choice %d twice: list each right choice once", a)
			}
			used[a] = true
		}
	}

	qu.validateRef(add, idx)
	return ps
}

func (qu *Question) validateRef(add func(int, string, ...any), idx PolicyIndex) {
	line := qu.line("ref")
	ref := strings.TrimSpace(qu.Ref)
	if ref == "" {
		add(line, `ref is missing: add ref = "policy-slug#heading-anchor", the policy section this question tests, so staff can read it after answering`)
		return
	}
	slug, anchor, hasAnchor := strings.Cut(ref, "#")
	if slug == "" {
		add(line, "ref %q has no policy before the #: write it as policy-slug#heading-anchor", ref)
		return
	}
	if idx == nil {
		return
	}
	if !idx.HasPolicy(slug) {
		add(line, "ref %q points to policy %q, which does not exist: check the spelling against the file names in content/policies (without .md)", ref, slug)
		return
	}
	if hasAnchor && anchor == "" {
		add(line, "ref %q ends with # but names no heading: add the heading's anchor after the #, or remove the #", ref)
		return
	}
	if hasAnchor && !idx.HasAnchor(slug, anchor) {
		add(line, "ref %q points to a heading #%s that policy %q does not have: use the anchor of an existing heading (lowercase words joined by hyphens, or the {#id} written after the heading)", ref, anchor, slug)
	}
}
