// Package textenc reads text files the way a school's Windows PC saves them:
// UTF-8, or Windows-1252 ("ANSI") from Notepad, Word and Excel. Policies,
// posters and the staff roster go through it.
package textenc

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// ToUTF8 returns src as UTF-8. Notepad's and older Word's "ANSI" encoding on
// a British school's PC is Windows-1252, in which curly quotes, dashes and £
// are single bytes that are not UTF-8, and which a browser shows as "�". Each
// byte that is not part of valid UTF-8 is read as Windows-1252; valid UTF-8
// (a file half pasted from elsewhere) is kept. line is the 1-based line of
// the first byte changed, or 0 when src was UTF-8 already. The line count
// never changes.
func ToUTF8(src []byte) (out []byte, line int) {
	if utf8.Valid(src) {
		return src, 0
	}
	dec := charmap.Windows1252.NewDecoder()
	out = make([]byte, 0, len(src)+len(src)/8)
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r != utf8.RuneError || n > 1 {
			out = append(out, src[i:i+n]...)
			i += n
			continue
		}
		if line == 0 {
			line = bytes.Count(src[:i], []byte("\n")) + 1
		}
		b, err := dec.Bytes(src[i : i+1])
		if err != nil || len(b) == 0 {
			b = []byte(string(utf8.RuneError))
		}
		out = append(out, b...)
		i++
	}
	return out, line
}
