package policy

import (
	"regexp"
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

var (
	// Block characters templates use to black out what each school must fill in.
	redactionRe = regexp.MustCompile(`[\x{2580}-\x{259F}\x{25A0}\x{25AC}\x{25AE}\x{2B1B}]+`)
	bracketRe   = regexp.MustCompile(`\[([^\[\]\n]{1,120})\]`)
	markerRe    = regexp.MustCompile(`X{3,}|x{3,}|TBC|TBA|TBD|TODO|FIXME`)
)

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
	for _, m := range redactionRe.FindAllStringIndex(s, -1) {
		out = append(out, phMatch{m[0], m[1], s[m[0]:m[1]], Redaction})
	}
	for _, m := range bracketRe.FindAllStringSubmatchIndex(s, -1) {
		start, end := m[0], m[1]
		inner := strings.TrimSuffix(s[m[2]:m[3]], `\`)
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
		case labelWithin(labels, m[2], m[3]): // a reference link's own text
		default:
			out = append(out, phMatch{start, end, "[" + inner + "]", Bracketed})
		}
	}
	for _, m := range markerRe.FindAllStringIndex(s, -1) {
		before, _ := utf8.DecodeLastRuneInString(s[:m[0]])
		after, _ := utf8.DecodeRuneInString(s[m[1]:])
		// Only whole words: "TODO" but not "TODOS" or "STBC".
		if isWordRune(before) || isWordRune(after) {
			continue
		}
		out = append(out, phMatch{m[0], m[1], s[m[0]:m[1]], Marker})
	}
	sortMatches(out)
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
