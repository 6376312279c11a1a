package textenc

import "testing"

func TestToUTF8(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		line           int
	}{
		{"UTF-8 kept as it is", "The school’s rules “matter” – £5\n", "The school’s rules “matter” – £5\n", 0},
		{"Windows-1252 from Notepad", "Title\nThe school\x92s rules \x93matter\x94 \x96 \xa35\n", "Title\nThe school’s rules “matter” – £5\n", 2},
		{"mixed: UTF-8 kept, stray bytes read as Windows-1252", "a ’\n\nb \x85\n", "a ’\n\nb …\n", 3},
		{"a byte Windows-1252 does not define", "x\x81y", "x\ufffdy", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, line := ToUTF8([]byte(tc.in))
			if string(got) != tc.want || line != tc.line {
				t.Errorf("ToUTF8(%q) = %q, line %d; want %q, line %d", tc.in, got, line, tc.want, tc.line)
			}
		})
	}
}
