package policy

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

type phMatch struct {
	start, end int
	text       string
	kind       PlaceholderKind
}

// Placeholders are found by hand-written scans rather than regular
// expressions: check reads every line of every policy on each build, and Go's
// regexp engine is slow on patterns without a literal prefix.

// isRedaction reports the block characters templates use to black out what
// each school must fill in: ▀…▟ (U+2580–U+259F), ■, ▬, ▮ and ⬛.
func isRedaction(r rune) bool {
	return (r >= 0x2580 && r <= 0x259F) || r == 0x25A0 || r == 0x25AC || r == 0x25AE || r == 0x2B1B
}

// markerWords are written where text is still to come.
var markerWords = []string{"TBC", "TBA", "TBD", "TODO", "FIXME"}

// findPlaceholders finds leftover template text in a plain string (a
// front-matter value or a config value).
func findPlaceholders(s string) []phMatch { return scanPlaceholders(s, nil) }

// scanPlaceholders finds leftover template text in prose. labels are the
// ranges of link and image texts, so that a shortcut reference link such as
// "[Keeping Children Safe in Education]" (with its definition elsewhere) is
// not taken for a "[School name]" placeholder.
func scanPlaceholders(s string, labels []span) []phMatch {
	sort.Slice(labels, func(i, j int) bool { return labels[i].start < labels[j].start })
	var out []phMatch
	out = scanRedactions(s, out)
	out = scanBrackets(s, labels, out)
	out = scanMarkers(s, out)
	sortMatches(out)
	return out
}

func scanRedactions(s string, out []phMatch) []phMatch {
	// Every redaction character is three bytes starting 0xE2 in UTF-8.
	for i := 0; i < len(s); {
		k := strings.IndexByte(s[i:], 0xE2)
		if k < 0 {
			break
		}
		start := i + k
		end := start
		for end < len(s) {
			r, size := utf8.DecodeRuneInString(s[end:])
			if !isRedaction(r) {
				break
			}
			end += size
		}
		if end > start {
			out = append(out, phMatch{start, end, s[start:end], Redaction})
			i = end
		} else {
			i = start + 1
		}
	}
	return out
}

// scanBrackets finds "[text]" on one line (at most 120 characters, no
// brackets inside) that is not Markdown link, image, footnote, task or alert
// syntax.
func scanBrackets(s string, labels []span, out []phMatch) []phMatch {
	for i := 0; i < len(s); {
		k := strings.IndexByte(s[i:], '[')
		if k < 0 {
			break
		}
		start := i + k
		j := start + 1
		for j < len(s) && j-start-1 <= 120 && s[j] != '[' && s[j] != ']' && s[j] != '\n' {
			j++
		}
		if j >= len(s) || s[j] != ']' || j == start+1 || j-start-1 > 120 {
			i = start + 1
			continue
		}
		end := j + 1
		i = end
		inner := strings.TrimSuffix(s[start+1:j], `\`)
		trimmed := strings.TrimSpace(inner)
		switch {
		case start > 0 && s[start-1] == '!' && !(start > 1 && s[start-2] == '\\'): // image
		case end < len(s) && (s[end] == '(' || s[end] == '['): // [text](url), [text][ref]
		case start > 0 && s[start-1] == ']': // the [ref] of [text][ref]
		case end < len(s) && s[end] == ':' && atLineStart(s, start): // [ref]: url
		case trimmed == "" || trimmed == "x" || trimmed == "X": // task list box
		case strings.HasPrefix(trimmed, "^"): // footnote
		case strings.HasPrefix(trimmed, "!"): // > [!NOTE] alert
		case !strings.ContainsFunc(trimmed, unicode.IsLetter): // [1], [...]
		case strings.EqualFold(trimmed, "sic"):
		case labelWithin(labels, start+1, j): // a reference link's own text
		default:
			out = append(out, phMatch{start, end, "[" + inner + "]", Bracketed})
		}
	}
	return out
}

// scanMarkers finds XXX (any run of three or more X or x) and the marker
// words, as whole words only: "TODO" but not "TODOS" or "STBC".
func scanMarkers(s string, out []phMatch) []phMatch {
	for i := 0; i < len(s); {
		end := i
		switch c := s[i]; c {
		case 'X', 'x':
			for end < len(s) && s[end] == c {
				end++
			}
			if end-i < 3 {
				end = i
			}
		case 'T', 'F':
			for _, w := range markerWords {
				if strings.HasPrefix(s[i:], w) {
					end = i + len(w)
					break
				}
			}
		}
		if end == i {
			i++
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if !isWordRune(before) && !isWordRune(after) {
			out = append(out, phMatch{i, end, s[i:end], Marker})
		}
		i = end
	}
	return out
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func atLineStart(s string, i int) bool {
	j := strings.LastIndexByte(s[:i], '\n') + 1
	return strings.TrimLeft(s[j:i], " ") == "" && i-j <= 3
}

// labelWithin reports whether a link text lies inside [start, end): then
// the brackets are that link's own. A placeholder inside a longer link text,
// "[Contact [School name]](x.md)", is still a placeholder.
// spans must be sorted by start.
func labelWithin(spans []span, start, end int) bool {
	i := sort.Search(len(spans), func(i int) bool { return spans[i].start >= start })
	for ; i < len(spans) && spans[i].start < end; i++ {
		if spans[i].end <= end {
			return true
		}
	}
	return false
}

func sortMatches(ms []phMatch) {
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].start < ms[j].start })
}
