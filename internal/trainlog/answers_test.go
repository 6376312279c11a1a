package trainlog

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestAnswersDecoding(t *testing.T) {
	tests := []struct {
		in      string
		want    [][]int
		wantErr string
	}{
		{`[]`, [][]int{}, ""},
		{`[[]]`, [][]int{{}}, ""},
		{`[1, [0, 2], [], 3]`, [][]int{{1}, {0, 2}, {}, {3}}, ""},
		{" [ [ 1 ,\n 2 ] ,\t0 ] ", [][]int{{1, 2}, {0}}, ""},
		{`[-0, -7]`, [][]int{{0}, {-7}}, ""},
		{`[[99999999999999999999999]]`, [][]int{{1<<31 - 1}}, ""},
		{`[[-99999999999999999999999]]`, [][]int{{-1 << 31}}, ""},
		{`null`, nil, "answers must be a list"},
		{`"1"`, nil, "answers must be a list"},
		{`{"0":[1]}`, nil, "answers must be a list"},
		{`[[1.5]]`, nil, "answers[0][0]: 1.5 is not a choice number"},
		{`[2e1]`, nil, "answers[0]: 2e1 is not a choice number"},
		{`[["1"]]`, nil, `answers[0][0]: "1" is not a choice number`},
		{`[[[1]]]`, nil, "answers[0][0]"},
		{`[{}]`, nil, "answers[0]"},
		{`[true]`, nil, "answers[0]: true is not a choice number"},
		{`[[1], null]`, nil, "answers[1]: null is not a choice number"},
	}
	for _, tt := range tests {
		var a answers
		err := json.Unmarshal([]byte(tt.in), &a)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: err = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual([][]int(a), tt.want) {
			t.Errorf("%s: got %v, want %v", tt.in, a, tt.want)
		}
		if got := string(appendAnswers(nil, a)); got != strings.Join(strings.Fields(compact(t, tt.want)), "") {
			t.Errorf("%s: stored as %s", tt.in, got)
		}
	}
}

func compact(t *testing.T, v [][]int) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
