package policy

import (
	"sort"
	"strconv"
	"strings"
)

// segKind says what a stretch of the Markdown we hand to the parser stands for.
type segKind int

const (
	segSource  segKind = iota // copied from the file unchanged
	segValue                  // output of {{% school %}}: known text
	segOpaque                 // a {{< >}} shortcode: a marker in the text, then HTML we do not know
	segUnknown                // a {{% %}} shortcode whose Markdown output we do not know
	segLiteral                // an escaped tag, printed as written
)

// seg maps a stretch of the expanded Markdown back to the file.
type seg struct {
	md, src, mdLen int
	kind           segKind
}

// expanded is a body with its shortcodes replaced where Hugo replaces them
// before Markdown rendering, plus the map back to file lines: {{% school %}}
// by the value the site shows (Hugo prints the same value, see
// School.ShortcodeOutput), ref and relref by the page they name, and any
// other {{< >}} by a marker standing for output only Hugo knows.
type expanded struct {
	md         []byte
	segs       []seg
	lineStarts []int // offsets in body of each line start
	bodyLine   int
	raw        map[string]string // marker -> the tag as written
}

// A marker stands for a {{< >}} shortcode's output in the text the parser
// reads: Hugo puts its own placeholder there, whose page counter changes
// from build to build, so what follows from it (a heading's id, a link's
// address) is not known before Hugo runs. The marker is private-use
// characters around letters, so it never reads as Markdown, never matches
// text an author wrote, and gives a heading an id of its own.
const markerStart, markerEnd = "\ue000", "\ue001"

func marker(ordinal int) string {
	return markerStart + "sc" + strconv.Itoa(ordinal) + markerEnd
}

// hasMarker reports whether s holds a {{< >}} shortcode's output.
func hasMarker(s string) bool { return strings.Contains(s, markerStart) }

// restore puts the written shortcode back where text shows a marker, so
// messages quote what the author wrote.
func (e *expanded) restore(s string) string {
	if !hasMarker(s) {
		return s
	}
	for m, raw := range e.raw {
		s = strings.ReplaceAll(s, m, raw)
	}
	return s
}

func expand(body []byte, bodyLine int, tags []scTag, vals SchoolValues) *expanded {
	e := &expanded{bodyLine: bodyLine, lineStarts: lineStarts(body), raw: map[string]string{}}
	md := make([]byte, 0, len(body)+64)
	prev := 0
	add := func(src int, kind segKind, b []byte) {
		e.segs = append(e.segs, seg{md: len(md), src: src, mdLen: len(b), kind: kind})
		md = append(md, b...)
	}
	ordinal := 0
	for _, t := range tags {
		add(prev, segSource, body[prev:t.start])
		switch {
		case t.escaped:
			lit := strings.Replace(strings.Replace(t.Raw, "/*", "", 1), "*/", "", 1)
			add(t.start, segLiteral, []byte(lit))
		case t.Closing && t.Markdown:
			add(t.start, segUnknown, nil)
		case t.Closing:
			add(t.start, segOpaque, nil)
		case (t.Name == "ref" || t.Name == "relref") && len(t.Args) > 0:
			// The page path is what a link check needs; Hugo turns it into
			// the page's address, and fails the build if there is none.
			add(t.start, segValue, []byte(t.Args[0]))
		case t.Markdown && t.Name == "school" && vals != nil:
			if v, ok := vals.ShortcodeOutput(schoolKey(t.Shortcode)); ok {
				add(t.start, segValue, []byte(v))
			} else {
				add(t.start, segUnknown, nil)
			}
		case t.Markdown:
			add(t.start, segUnknown, nil)
		default:
			m := marker(ordinal)
			e.raw[m] = t.Raw
			add(t.start, segOpaque, []byte(m))
		}
		ordinal++
		prev = t.end
	}
	add(prev, segSource, body[prev:])
	e.md = md
	return e
}

// schoolKey is the variable a school shortcode asks for: its first argument,
// the only form the theme's shortcode reads.
func schoolKey(s Shortcode) string {
	if len(s.Args) > 0 {
		return s.Args[0]
	}
	return ""
}

// SchoolKey returns the variable key a school shortcode asks for ("" if none).
func (s Shortcode) SchoolKey() string { return schoolKey(s) }

// segAt returns the segment that holds md offset off.
func (e *expanded) segAt(off int) seg {
	i := sort.Search(len(e.segs), func(i int) bool { return e.segs[i].md > off }) - 1
	// Empty replacement segments share their offset with the next one; the
	// search lands on the last of them, which is the one text continues in.
	if i < 0 {
		return e.segs[0]
	}
	return e.segs[i]
}

// srcOffset maps an offset in the expanded Markdown to one in the body.
func (e *expanded) srcOffset(off int) int {
	s := e.segAt(off)
	if s.kind != segSource {
		return s.src
	}
	return s.src + off - s.md
}

// line maps an offset in the expanded Markdown to a 1-based file line.
func (e *expanded) line(off int) int {
	src := e.srcOffset(off)
	i := sort.Search(len(e.lineStarts), func(i int) bool { return e.lineStarts[i] > src }) - 1
	return e.bodyLine + max(i, 0)
}

// holds reports whether [start, end] of the Markdown holds a segment of kind.
func (e *expanded) holds(kind segKind, start, end int) bool {
	for _, s := range e.segs {
		if s.kind == kind && s.md >= start && s.md <= end {
			return true
		}
	}
	return false
}

// lineStarts are the offsets in b at which its lines start.
func lineStarts(b []byte) []int {
	starts := []int{0}
	for i, c := range b {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}
