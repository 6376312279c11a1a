package policy

import (
	"bytes"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/policysite/policysite/internal/school"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// segKind says what a stretch of the Markdown we hand to goldmark stands for.
type segKind int

const (
	segSource  segKind = iota // copied from the file unchanged
	segValue                  // output of {{% school %}}: known text
	segOpaque                 // a {{< >}} shortcode: Hugo's placeholder, then HTML we do not know
	segUnknown                // a {{% %}} shortcode whose Markdown output we do not know
	segLiteral                // an escaped tag, printed as written
)

// seg maps a stretch of the expanded Markdown back to the file.
type seg struct {
	md, src, mdLen int
	kind           segKind
}

// expanded is a body with its shortcodes replaced as Hugo replaces them
// before Markdown rendering, plus the map back to file lines.
type expanded struct {
	md         []byte
	segs       []seg
	lineStarts []int // offsets in body of each line start
	bodyLine   int
	raw        map[string]string // Hugo-style placeholder -> the tag as written
}

// restore puts the written shortcode back where text shows a placeholder, so
// messages quote what the author wrote.
func (e *expanded) restore(s string) string {
	if !strings.Contains(s, "HAHAHUGOSHORTCODE") {
		return s
	}
	for ph, raw := range e.raw {
		s = strings.ReplaceAll(s, ph, raw)
	}
	return s
}

// hugoPlaceholder mimics the text Hugo puts where a {{< >}} shortcode goes
// while Markdown is rendered ("HAHAHUGOSHORTCODE" + page id + "s" + ordinal +
// "HBHB"). The page id is an internal counter, so ids of headings that
// contain one change from build to build.
func hugoPlaceholder(ordinal int) string {
	return "HAHAHUGOSHORTCODE0s" + strconv.Itoa(ordinal) + "HBHB"
}

func expand(body []byte, bodyLine int, tags []scTag, vals SchoolValues) *expanded {
	e := &expanded{bodyLine: bodyLine, lineStarts: []int{0}, raw: map[string]string{}}
	for i, c := range body {
		if c == '\n' {
			e.lineStarts = append(e.lineStarts, i+1)
		}
	}
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
			ph := hugoPlaceholder(ordinal)
			e.raw[ph] = t.Raw
			add(t.start, segOpaque, []byte(ph))
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

type span struct{ start, end int }

func (p *Policy) analyseBody(body []byte, vals SchoolValues) []school.Finding {
	var probs []school.Finding
	tags, errs := scanShortcodes(body)
	e := expand(body, p.BodyLine, tags, vals)
	for _, t := range tags {
		if t.escaped {
			continue
		}
		sc := t.Shortcode
		sc.Line = e.bodyLine + lineIndex(e.lineStarts, t.start)
		p.Shortcodes = append(p.Shortcodes, sc)
	}
	for _, se := range errs {
		probs = append(probs, school.Errorf(p.File, e.bodyLine+lineIndex(e.lineStarts, se.offset), "%s", se.msg))
	}

	doc := markdown.Parser().Parse(text.NewReader(e.md))
	ids := newIDSet()
	var masks, labels []span
	last := 0 // furthest Markdown offset seen, for nodes without their own position
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			last = max(last, n.Lines().At(0).Start)
		}
		switch n := n.(type) {
		case *ast.Heading:
			h := Heading{Level: n.Level, Text: e.restore(displayText(n, e.md))}
			if n.Lines().Len() > 0 {
				first, lastSeg := n.Lines().At(0), n.Lines().At(n.Lines().Len()-1)
				h.Line = e.line(first.Start)
				end := len(e.md)
				if k := bytes.IndexByte(e.md[lastSeg.Stop:], '\n'); k >= 0 {
					end = lastSeg.Stop + k
				}
				h.Unstable = e.holds(segOpaque, first.Start, end)
				h.Guessed = h.Unstable || e.holds(segUnknown, first.Start, end)
			} else {
				h.Line = e.line(headingMarkerAt(e.md, last))
			}
			_, h.Explicit = explicitID(n)
			h.Unstable = h.Unstable && !h.Explicit
			h.Guessed = h.Guessed && !h.Explicit
			h.ID = ids.headingID(n, e.md)
			p.Headings = append(p.Headings, h)
		case *ast.Link:
			sp, ok := textSpan(n)
			line := e.line(last)
			if ok {
				line = e.line(sp.start)
				labels = append(labels, sp)
			}
			dest := string(n.Destination)
			p.Links = append(p.Links, Link{Dest: e.restore(dest), Text: e.restore(displayText(n, e.md)), Line: line, Dynamic: strings.Contains(dest, "HAHAHUGOSHORTCODE")})
		case *ast.Image:
			line := e.line(last)
			if sp, ok := textSpan(n); ok {
				line = e.line(sp.start)
				labels = append(labels, sp)
			}
			dest := string(n.Destination)
			p.Images = append(p.Images, Link{Dest: e.restore(dest), Text: e.restore(displayText(n, e.md)), Line: line, Dynamic: strings.Contains(dest, "HAHAHUGOSHORTCODE")})
		case *ast.CodeSpan:
			if sp, ok := textSpan(n); ok {
				masks = append(masks, sp)
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			for i := 0; i < n.Lines().Len(); i++ {
				s := n.Lines().At(i)
				masks = append(masks, span{s.Start, s.Stop})
			}
		case *ast.RawHTML:
			for i := 0; i < n.Segments.Len(); i++ {
				s := n.Segments.At(i)
				if p.checkTags(e, s.Start, e.md[s.Start:s.Stop]) {
					p.addHTMLLine(e.line(s.Start))
				}
				masks = append(masks, span{s.Start, s.Stop})
			}
		case *ast.HTMLBlock:
			html := false
			for i := 0; i < n.Lines().Len(); i++ {
				s := n.Lines().At(i)
				html = p.checkTags(e, s.Start, e.md[s.Start:s.Stop]) || html
			}
			if html {
				p.addHTMLLine(e.line(n.Lines().At(0).Start))
			}
		case *ast.Paragraph:
			if pr, ok := p.looseTable(e, n); ok {
				probs = append(probs, pr)
			}
		case *east.FootnoteLink, *east.FootnoteBacklink:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})

	for _, m := range spacedLinkRe.FindAllSubmatchIndex(e.md, -1) {
		if inSpans(masks, m[0]) || inSpans(labels, m[2]) || (m[0] > 0 && e.md[m[0]-1] == '!') {
			continue
		}
		text, dest := string(e.md[m[2]:m[3]]), strings.TrimSpace(string(e.md[m[4]:m[5]]))
		fix := strings.ReplaceAll(dest, " ", "%20")
		why := "write each space in it as %20"
		if base, frag, _ := strings.Cut(dest, "#"); strings.HasSuffix(strings.ToLower(base), ".md") {
			fix = hugoName(strings.TrimSuffix(strings.TrimSuffix(base, ".md"), ".MD")) + ".md"
			if frag != "" {
				fix += "#" + frag
			}
			why = "link to the policy by its file name without capitals or spaces"
		}
		probs = append(probs, school.Errorf(p.File, e.line(m[0]),
			"[%s](%s) is shown as it is, not as a link, because a link's address cannot contain spaces: %s, [%s](%s)",
			e.restore(text), e.restore(dest), why, e.restore(text), e.restore(fix)))
		labels = append(labels, span{m[2], m[3]}) // not also a "[placeholder]"
	}

	masked := maskedCopy(e, masks)
	for _, ph := range scanPlaceholders(string(masked), labels) {
		p.Placeholders = append(p.Placeholders, Placeholder{Line: e.line(ph.start), Text: ph.text, Kind: ph.kind})
	}
	sort.SliceStable(p.Placeholders, func(i, j int) bool { return p.Placeholders[i].Line < p.Placeholders[j].Line })
	return probs
}

func lineIndex(starts []int, off int) int {
	return sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1
}

// headingMarkerAt finds the start of the next line that begins with '#' at or
// after off: the position of an empty ATX heading, which has no text lines.
func headingMarkerAt(md []byte, off int) int {
	for i := off; i < len(md); i++ {
		if (i == 0 || md[i-1] == '\n') && md[i] == '#' {
			return i
		}
	}
	return off
}

// textSpan is the range covered by the text inside an inline node.
func textSpan(n ast.Node) (span, bool) {
	sp := span{-1, -1}
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			if sp.start < 0 || t.Segment.Start < sp.start {
				sp.start = t.Segment.Start
			}
			sp.end = max(sp.end, t.Segment.Stop)
		}
		return ast.WalkContinue, nil
	})
	return sp, sp.start >= 0
}

var (
	htmlTagRe     = regexp.MustCompile(`<([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?>`)
	linkDestRe    = regexp.MustCompile(`\]\([^)\n]*\)`)
	angleLinkRe   = regexp.MustCompile(`<[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*>`)
	htmlCommentRe = regexp.MustCompile(`(?s)<!--.*?-->`)
)

// checkTags records inline HTML tags that are not HTML elements, such as
// "<School name>": Hugo leaves raw HTML out of the page, so the reader would
// see nothing where the school's name should be.
//
// It reports whether b holds a real HTML element, which Hugo leaves out too
// (with the text inside it): see Policy.HTMLLines.
func (p *Policy) checkTags(e *expanded, off int, b []byte) bool {
	html := false
	for _, m := range htmlTagRe.FindAllSubmatchIndex(b, -1) {
		name := strings.ToLower(string(b[m[2]:m[3]]))
		if knownHTMLElements[name] {
			html = true
			continue
		}
		p.Placeholders = append(p.Placeholders, Placeholder{Line: e.line(off + m[0]), Text: string(b[m[0]:m[1]]), Kind: AngleBracket})
	}
	return html
}

// looseTable finds a table the reader would see as lines of text: rows of
// | cells | whose second line is not a separator with one --- per column,
// or a table pasted from Word with tabs between the cells.
func (p *Policy) looseTable(e *expanded, n *ast.Paragraph) (school.Finding, bool) {
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		l := strings.TrimSpace(string(e.md[seg.Start:seg.Stop]))
		if strings.HasPrefix(l, "|") && strings.Count(l, "|") >= 3 {
			cells := strings.Split(strings.Trim(l, "|"), "|")
			sep := strings.TrimSpace(strings.Repeat("| --- ", len(cells)) + "|")
			return school.Warnf(p.File, e.line(seg.Start),
				"this looks like a table, but the website shows it as lines of text: a table's second line must have one --- per column, and this row has %d columns: put %s under it (and give every row %d cells)",
				len(cells), sep, len(cells)), true
		}
		if cells := strings.Split(l, "\t"); len(cells) >= 3 {
			row := "| " + strings.Join(cells, " | ") + " |"
			sep := strings.TrimSpace(strings.Repeat("| --- ", len(cells)) + "|")
			return school.Warnf(p.File, e.line(seg.Start),
				"this looks like a table pasted with tabs between the cells, which the website shows as one line of text: write it as a Markdown table, %s then %s, then a line per row", row, sep), true
		}
	}
	return school.Finding{}, false
}

// spacedLinkRe is [text](address with spaces), which Markdown does not read
// as a link.
var spacedLinkRe = regexp.MustCompile(`\[([^\[\]\n]+)\]\(([^()\n]*[^()\s][ \t]+[^()\s][^()\n]*)\)`)

func inSpans(spans []span, off int) bool {
	for _, s := range spans {
		if off >= s.start && off < s.end {
			return true
		}
	}
	return false
}

func (p *Policy) addHTMLLine(line int) {
	if n := len(p.HTMLLines); n == 0 || p.HTMLLines[n-1] != line {
		p.HTMLLines = append(p.HTMLLines, line)
	}
}

// maskedCopy is the expanded Markdown with everything that is not prose
// blanked out (same length, newlines kept): code, shortcode output, link
// destinations and web addresses.
func maskedCopy(e *expanded, masks []span) []byte {
	out := bytes.Clone(e.md)
	blank := func(s, t int) {
		for i := max(s, 0); i < t && i < len(out); i++ {
			if out[i] != '\n' {
				out[i] = ' '
			}
		}
	}
	for _, m := range masks {
		blank(m.start, m.end)
	}
	for _, s := range e.segs {
		if s.kind != segSource {
			blank(s.md, s.md+s.mdLen)
		}
	}
	for _, m := range angleLinkRe.FindAllIndex(out, -1) {
		blank(m[0], m[1])
	}
	for _, m := range bareURLs(out) {
		blank(m.start, m.end)
	}
	// HTML comments are not shown on the site, so a "[placeholder]" in one
	// misleads nobody; an explicit marker such as TODO still means unfinished
	// work and is kept.
	for _, m := range htmlCommentRe.FindAllIndex(out, -1) {
		keep := scanPlaceholders(string(out[m[0]:m[1]]), nil)
		blank(m[0], m[1])
		for _, k := range keep {
			if k.kind == Marker || k.kind == Redaction {
				copy(out[m[0]+k.start:], k.text)
			}
		}
	}
	for _, m := range linkDestRe.FindAllIndex(out, -1) {
		blank(m[0]+1, m[1]) // keep "]" so "[text]" still reads as a label
	}
	// Reference definitions, "[label]: address": blank the address but keep
	// "]:" so the label still reads as a definition.
	for lineStart := 0; lineStart < len(out); {
		lineEnd := bytes.IndexByte(out[lineStart:], '\n')
		if lineEnd < 0 {
			lineEnd = len(out)
		} else {
			lineEnd += lineStart
		}
		line := out[lineStart:lineEnd]
		indent := len(line) - len(bytes.TrimLeft(line, " "))
		if indent <= 3 && indent < len(line) && line[indent] == '[' {
			if k := bytes.IndexByte(line[indent:], ']'); k > 1 && indent+k+1 < len(line) && line[indent+k+1] == ':' {
				blank(lineStart+indent+k+2, lineEnd)
			}
		}
		lineStart = lineEnd + 1
	}
	return out
}

// bareURLs finds web and email addresses written out in the text
// (https://…, www.…, mailto:…), which may contain anything, even "xxx".
func bareURLs(b []byte) []span {
	var out []span
	stop := func(c byte) bool {
		return c <= ' ' || c == '<' || c == '>' || c == '(' || c == ')' || c == '[' || c == ']'
	}
	extend := func(start, from int) {
		end := from
		for end < len(b) && !stop(b[end]) {
			end++
		}
		out = append(out, span{start, end})
	}
	for _, marker := range []string{"://", "www.", "WWW.", "mailto:", "MAILTO:"} {
		for i := 0; ; {
			k := bytes.Index(b[i:], []byte(marker))
			if k < 0 {
				break
			}
			start := i + k
			if marker == "://" {
				for start > 0 && isASCIILetter(b[start-1]) {
					start--
				}
			}
			extend(start, i+k+len(marker))
			i = i + k + len(marker)
		}
	}
	return out
}

func isASCIILetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

var knownHTMLElements = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`a abbr address area article aside audio b bdi bdo blockquote br button caption cite code col
	colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure footer form h1 h2 h3 h4
	h5 h6 header hr i iframe img input ins kbd label legend li link main map mark meter nav noscript object ol optgroup
	option output p picture pre progress q rp rt ruby s samp script section select small source span strong style sub
	summary sup table tbody td template textarea tfoot th thead time tr track u ul var video wbr center font`) {
		knownHTMLElements[n] = true
	}
}
