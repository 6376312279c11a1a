package quiz

import (
	"fmt"
)

// Result is the server's own grading of one submission.
type Result struct {
	Score       float64 // Correct / Total, 1 for an acknowledgement
	Correct     int
	Total       int
	Passed      bool
	PerQuestion []bool
}

// AnswerError says why a submission cannot be graded (HTTP 422): the page
// that sent it does not match the quiz file.
type AnswerError struct {
	Question int // 1-based; 0 when the error is about the whole submission
	Message  string
}

func (e *AnswerError) Error() string {
	if e.Question > 0 {
		return fmt.Sprintf("question %d: %s", e.Question, e.Message)
	}
	return e.Message
}

// Grade marks answers, given per question in file order as choice indices in
// file order (whatever order the page showed them in). A question is right
// only when the chosen set equals the answer set; an empty list is a question
// left unanswered, which counts as wrong.
func (q *Quiz) Grade(answers [][]int) (Result, error) {
	if q.Acknowledge {
		if len(answers) != 0 {
			return Result{}, &AnswerError{Message: fmt.Sprintf(
				"quiz %q is a read-and-acknowledge record with no questions, so answers must be an empty list; got %d", q.ID, len(answers))}
		}
		return Result{Score: 1, Passed: true, PerQuestion: []bool{}}, nil
	}
	if len(answers) != len(q.Questions) {
		return Result{}, &AnswerError{Message: fmt.Sprintf(
			"quiz %q has %d questions, so answers must hold %d lists (one per question); got %d — the page may be out of date, reload it",
			q.ID, len(q.Questions), len(q.Questions), len(answers))}
	}
	res := Result{Total: len(q.Questions), PerQuestion: make([]bool, len(q.Questions))}
	for i, chosen := range answers {
		qu := &q.Questions[i]
		if err := qu.checkChosen(i+1, chosen); err != nil {
			return Result{}, err
		}
		if sameSet(chosen, qu.Answer) {
			res.Correct++
			res.PerQuestion[i] = true
		}
	}
	if res.Total > 0 {
		res.Score = float64(res.Correct) / float64(res.Total)
	}
	// Compare counts rather than floats so 8 of 10 passes a 0.8 pass mark
	// however the division rounds.
	res.Passed = float64(res.Correct) >= q.PassMark*float64(res.Total)-1e-9
	return res, nil
}

func (qu *Question) checkChosen(num int, chosen []int) error {
	n := len(qu.Choices)
	if !qu.Multi && len(chosen) > 1 {
		return &AnswerError{Question: num, Message: fmt.Sprintf("this question takes one answer; got %d", len(chosen))}
	}
	if len(chosen) > n {
		return &AnswerError{Question: num, Message: fmt.Sprintf("got %d choices but the question has only %d", len(chosen), n)}
	}
	for i, c := range chosen {
		if c < 0 || c >= n {
			return &AnswerError{Question: num, Message: fmt.Sprintf("choice %d is out of range: this question has %d choices, numbered 0 to %d", c, n, n-1)}
		}
		for _, d := range chosen[:i] {
			if c == d {
				return &AnswerError{Question: num, Message: fmt.Sprintf("choice %d is given twice", c)}
			}
		}
	}
	return nil
}

// sameSet reports whether chosen and answer hold the same indices. Both are
// short and free of repeats (checked above and by Validate), so equal
// lengths plus containment is enough, without allocating: grading runs on
// every submission.
func sameSet(chosen, answer []int) bool {
	if len(chosen) != len(answer) {
		return false
	}
	for _, c := range chosen {
		found := false
		for _, a := range answer {
			if a == c {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
