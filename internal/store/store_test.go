package store

import (
	"testing"
)

func TestCertificateCodesRoundTripAndAreUnique(t *testing.T) {
	c := NewCertificates([]byte("school secret"))
	seen := map[string]int64{}
	for _, id := range append(seq(1, 5000), 1<<40, 1<<50-1) {
		code := c.Code(id)
		if n, ok := NormalizeCertificate(code); !ok || n != code {
			t.Fatalf("code %q of id %d is not a normalised code", code, id)
		}
		if other, dup := seen[code]; dup {
			t.Fatalf("ids %d and %d share code %s", other, id, code)
		}
		seen[code] = id
		if back, ok := c.ID(code); !ok || back != id {
			t.Fatalf("code %s of id %d decodes to %d, %v", code, id, back, ok)
		}
	}
}

func TestCertificateCodesDependOnTheKey(t *testing.T) {
	a, b := NewCertificates([]byte("one school")), NewCertificates([]byte("another school"))
	same := 0
	for id := int64(1); id <= 100; id++ {
		if a.Code(id) == b.Code(id) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d of 100 codes are the same under different keys", same)
	}
	// Consecutive records must not get similar-looking codes, or one
	// certificate would reveal its neighbours.
	if a.Code(1)[:5] == a.Code(2)[:5] {
		t.Errorf("codes of ids 1 and 2 share a prefix: %s %s", a.Code(1), a.Code(2))
	}
}

func TestCertificateIDRejectsNonCodes(t *testing.T) {
	c := NewCertificates([]byte("k"))
	for _, s := range []string{"", "ABC", "ABCDEFGHJKM", "abcdefghjk", "ABCDEFGHJU"} {
		if _, ok := c.ID(s); ok {
			t.Errorf("ID(%q) accepted a non-code", s)
		}
	}
}

func seq(from, to int64) []int64 {
	var out []int64
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func TestNormalizeCertificate(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"7K2M9QX4TD", "7K2M9QX4TD", true},
		{"7k2m9-qx4td", "7K2M9QX4TD", true},
		{" 7K2M9 QX4TD ", "7K2M9QX4TD", true},
		{"OIL2M9QX4T", "0112M9QX4T", true}, // look-alike letters read as digits
		{"7K2M9QX4T", "", false},           // too short
		{"7K2M9QX4TDD", "", false},         // too long
		{"7K2M9QX4TU", "", false},          // U is not in the alphabet
		{"7K2M9QX4T!", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeCertificate(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeCertificate(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
