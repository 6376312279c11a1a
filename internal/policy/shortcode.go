package policy

import (
	"bytes"
	"fmt"
	"strings"
)

// scTag is one shortcode tag found in a body, with byte offsets into it.
type scTag struct {
	Shortcode
	start, end int
	escaped    bool // {{</* … */>}}: Hugo prints the tag itself
}

// scanShortcodes finds shortcode tags the way Hugo's page lexer does for the
// cases policies use: {{< name args >}}, {{% name args %}}, closing tags,
// self-closing tags and escaped (commented) tags. Hugo expands shortcodes
// everywhere in the body, code blocks included, so we do too.
func scanShortcodes(body []byte) ([]scTag, []scanError) {
	var tags []scTag
	var errs []scanError
	i := 0
	for {
		j := bytes.Index(body[i:], []byte("{{"))
		if j < 0 {
			return tags, errs
		}
		start := i + j
		if start+2 >= len(body) || (body[start+2] != '<' && body[start+2] != '%') {
			i = start + 2
			continue
		}
		open := body[start+2]
		closeDelim, other := ">}}", "%}}"
		if open == '%' {
			closeDelim, other = other, closeDelim
		}
		inner := start + 3
		// Escaped tag: {{</* … */>}}
		if k := skipSpace(body, inner); bytes.HasPrefix(body[k:], []byte("/*")) {
			endMarker := "*/" + closeDelim
			e := bytes.Index(body[k:], []byte(endMarker))
			if e < 0 {
				errs = append(errs, scanError{start, fmt.Sprintf("the escaped shortcode %s is not closed: end it with %s", clip(body[start:], 30), endMarker)})
				return tags, errs
			}
			end := k + e + len(endMarker)
			tags = append(tags, scTag{start: start, end: end, escaped: true, Shortcode: Shortcode{Raw: string(body[start:end])}})
			i = end
			continue
		}
		end, otherAt := findClose(body, inner, closeDelim, other)
		if end < 0 {
			if otherAt >= 0 {
				errs = append(errs, scanError{start, fmt.Sprintf(
					"the shortcode %s opens with {{%c but closes with %s: use the same kind on both sides, e.g. {{%c school \"name\" %c}}",
					clip(body[start:otherAt+3], 60), open, other, open, open)})
				i = otherAt + 3
				continue
			}
			errs = append(errs, scanError{start, fmt.Sprintf("the shortcode %s is not closed: end it with %s", clip(body[start:], 40), closeDelim)})
			return tags, errs
		}
		t := scTag{start: start, end: end + 3}
		t.Raw = string(body[start : end+3])
		t.Markdown = open == '%'
		content := strings.TrimSpace(string(body[inner:end]))
		if strings.HasPrefix(content, "/") {
			t.Closing = true
			content = strings.TrimSpace(content[1:])
		}
		content = strings.TrimSpace(strings.TrimSuffix(content, "/"))
		toks := tokenize(content)
		if len(toks) > 0 {
			t.Name = toks[0].val
			for _, tk := range toks[1:] {
				if tk.key != "" {
					if t.Named == nil {
						t.Named = map[string]string{}
					}
					t.Named[tk.key] = tk.val
				} else {
					t.Args = append(t.Args, tk.val)
				}
			}
		}
		tags = append(tags, t)
		i = end + 3
	}
}

type scanError struct {
	offset int
	msg    string
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// findClose finds the closing delimiter, skipping quoted arguments. It stops
// at the next "{{" so that one unclosed tag does not swallow the rest of the
// file. otherAt is where the wrong closing delimiter was seen, if it was.
func findClose(b []byte, i int, want, other string) (at, otherAt int) {
	otherAt = -1
	for i < len(b) {
		switch c := b[i]; {
		case c == '"':
			i++
			for i < len(b) && b[i] != '"' && b[i] != '\n' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
		case c == '`':
			if k := bytes.IndexByte(b[i+1:], '`'); k >= 0 {
				i += k + 1
			}
		case bytes.HasPrefix(b[i:], []byte(want)):
			return i, otherAt
		case bytes.HasPrefix(b[i:], []byte(other)):
			if otherAt < 0 {
				otherAt = i
			}
			return -1, otherAt
		case bytes.HasPrefix(b[i:], []byte("{{")):
			return -1, otherAt
		}
		i++
	}
	return -1, otherAt
}

type token struct{ key, val string }

// tokenize splits shortcode arguments: "quoted", `raw`, bare, key="value".
func tokenize(s string) []token {
	var out []token
	i := 0
	readValue := func() string {
		if i >= len(s) {
			return ""
		}
		switch s[i] {
		case '"':
			var b strings.Builder
			i++
			for i < len(s) && s[i] != '"' {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
				i++
			}
			i++
			return b.String()
		case '`':
			i++
			j := strings.IndexByte(s[i:], '`')
			if j < 0 {
				v := s[i:]
				i = len(s)
				return v
			}
			v := s[i : i+j]
			i += j + 1
			return v
		}
		j := i
		for i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' {
			i++
		}
		return s[j:i]
	}
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
		if i >= len(s) {
			return out
		}
		if s[i] != '"' && s[i] != '`' {
			// A bare word followed by '=' is a named argument.
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '=' && s[j] != '\t' && s[j] != '\n' {
				j++
			}
			if j < len(s) && s[j] == '=' {
				key := s[i:j]
				i = j + 1
				out = append(out, token{key: key, val: readValue()})
				continue
			}
		}
		out = append(out, token{val: readValue()})
	}
}

func clip(b []byte, n int) string {
	s := string(b)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}
