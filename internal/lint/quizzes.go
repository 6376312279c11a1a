package lint

import (
	"os"
	"path/filepath"

	"github.com/policysite/policysite/internal/quiz"
	"github.com/policysite/policysite/internal/school"
)

var _ quiz.PolicyIndex = (*Site)(nil)

// checkQuizzes: every quiz in quizzes/ must be well formed and cite policies
// and headings that exist. A site without a quizzes folder has no quizzes.
func checkQuizzes(s *Site) []school.Finding {
	dir := filepath.Join(s.Dir, "quizzes")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil
	}
	quizzes, probs := quiz.LoadDir(dir)
	for _, q := range quizzes {
		probs = append(probs, q.Validate(s)...)
	}
	out := make([]school.Finding, 0, len(probs))
	for _, p := range probs {
		out = append(out, school.Finding{File: s.rel(p.File), Line: p.Line, Severity: school.Error, Message: p.Message})
	}
	return out
}
