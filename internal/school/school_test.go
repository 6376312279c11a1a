package school

import (
	"reflect"
	"strings"
	"testing"
)

func TestSortDropsRepeats(t *testing.T) {
	fs := []Finding{
		Warnf("b.md", 1, "w"), Errorf("a.md", 3, "e"), Warnf("a.md", 3, "w"), Errorf("a.md", 3, "e"), Errorf("a.md", 1, "e"),
	}
	want := []Finding{Errorf("a.md", 1, "e"), Errorf("a.md", 3, "e"), Warnf("a.md", 3, "w"), Warnf("b.md", 1, "w")}
	if got := Sort(fs); !reflect.DeepEqual(got, want) {
		t.Errorf("Sort = %v, want %v", got, want)
	}
	if n := Errors(want); n != 2 {
		t.Errorf("Errors = %d", n)
	}
}

func TestParseRef(t *testing.T) {
	tests := []struct {
		in   string
		want Ref
		ok   bool
	}{
		{"pupil-acceptable-use#ks1-rules", Ref{"pupil-acceptable-use", "ks1-rules"}, true},
		{"pupil-acceptable-use.md#ks1-rules", Ref{"pupil-acceptable-use", "ks1-rules"}, true},
		{"online-safety", Ref{"online-safety", ""}, true},
		{"snake_case#Mixed_ID-2", Ref{"snake_case", "Mixed_ID-2"}, true},
		{"Online-Safety#x", Ref{}, false},
		{"online-safety#", Ref{}, false},
		{"#anchor", Ref{}, false},
		{"a--b#x", Ref{}, false},
		{"online safety#x", Ref{}, false},
		{"online-safety#two words", Ref{}, false},
		{"online-safety#a#b", Ref{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseRef(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ParseRef(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if want := strings.Replace(tt.in, ".md#", "#", 1); ok && got.String() != want {
			t.Errorf("ParseRef(%q).String() = %q, want %q", tt.in, got.String(), want)
		}
	}
}

// Moved from internal/policy (policy.Problem is school.Finding now).
func TestFindingStringTable(t *testing.T) {
	tests := []struct {
		p    Finding
		want string
	}{
		{Finding{"content/policies/a.md", 12, Error, "bad"}, "content/policies/a.md:12: error: bad"},
		{Finding{"config.toml", 0, Warning, "odd"}, "config.toml: warning: odd"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%q, want %q", got, tt.want)
		}
	}
}
