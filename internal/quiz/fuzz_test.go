package quiz

import (
	"os"
	"testing"
)

// FuzzParse checks that no file, however broken, makes Parse, Validate or
// Grade panic. `go test` runs the seeds; `go test -fuzz=FuzzParse` explores.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/valid/online-safety.toml", "testdata/valid/staff-aup.toml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(goodTop + goodQuestion))
	f.Add([]byte("[[questions]]\nanswer = [99999999999, -3]\nchoices = []\n"))
	f.Add([]byte("a.b.c = 1\n[x.y]\n[[questions.z]]\n"))
	f.Add([]byte("pass_mark = nan\nvalid_for_days = 0x7fffffffffffffff\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		q, _ := Parse("quizzes/f.toml", data)
		if q == nil {
			return
		}
		q.Validate(school)
		answers := make([][]int, len(q.Questions))
		for i := range answers {
			answers[i] = []int{0}
		}
		_, _ = q.Grade(answers)
	})
}
