package policy

import (
	"bytes"
	"regexp"
	"sort"
	"strings"

	"github.com/policysite/policysite/internal/school"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

type span struct{ start, end int }

// Markdown parses a page body as the site's Hugo build does
// (internal/hugo.Markdown): each heading node carries the id Hugo gives it in
// its "id" attribute, computed by Hugo's own code for the site's
// autoHeadingIDType. Parse must be safe for concurrent use.
type Markdown interface {
	Parse(src []byte) ast.Node
}

// bodyReader gathers what a body holds while walking its parsed Markdown.
type bodyReader struct {
	p      *Policy
	e      *expanded
	probs  []school.Finding
	masks  []span // code and raw HTML: not prose
	labels []span // link and image texts
	last   int    // furthest Markdown offset seen, for nodes without their own position
}

// analyseBody reads the headings, links, images, shortcodes, placeholders
// and pasted HTML of a body, parsed by md.
func (p *Policy) analyseBody(md Markdown, body []byte, vals SchoolValues) []school.Finding {
	tags, probs := p.readShortcodes(body)
	r := &bodyReader{p: p, e: expand(body, p.BodyLine, tags, vals), probs: probs}
	_ = ast.Walk(md.Parse(r.e.md), r.visit)
	r.spacedLinks()
	r.placeholders()
	return r.probs
}

// readShortcodes records the body's shortcode tags and their syntax errors.
func (p *Policy) readShortcodes(body []byte) ([]scTag, []school.Finding) {
	tags, errs := scanShortcodes(body)
	lines := lineStarts(body)
	for _, t := range tags {
		if !t.escaped {
			sc := t.Shortcode
			sc.Line = p.BodyLine + lineIndex(lines, t.start)
			p.Shortcodes = append(p.Shortcodes, sc)
		}
	}
	var probs []school.Finding
	for _, se := range errs {
		probs = append(probs, school.Errorf(p.File, p.BodyLine+lineIndex(lines, se.offset), "%s", se.msg))
	}
	return tags, probs
}

func (r *bodyReader) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		r.last = max(r.last, n.Lines().At(0).Start)
	}
	e, p := r.e, r.p
	switch n := n.(type) {
	case *ast.Heading:
		p.Headings = append(p.Headings, r.heading(n))
	case *ast.Link:
		p.Links = append(p.Links, r.link(n, string(n.Destination)))
	case *ast.Image:
		p.Images = append(p.Images, r.link(n, string(n.Destination)))
	case *ast.CodeSpan:
		if sp, ok := textSpan(n); ok {
			r.masks = append(r.masks, sp)
		}
		return ast.WalkSkipChildren, nil
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		for i := 0; i < n.Lines().Len(); i++ {
			s := n.Lines().At(i)
			r.masks = append(r.masks, span{s.Start, s.Stop})
		}
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			s := n.Segments.At(i)
			if p.checkTags(e, s.Start, e.md[s.Start:s.Stop]) {
				p.addHTMLLine(e.line(s.Start))
			}
			r.masks = append(r.masks, span{s.Start, s.Stop})
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
		if f, ok := p.looseTable(e, n); ok {
			r.probs = append(r.probs, f)
		}
	case *east.FootnoteLink, *east.FootnoteBacklink:
		return ast.WalkSkipChildren, nil
	}
	return ast.WalkContinue, nil
}

// heading reads a heading and the id Hugo's parser gave it.
func (r *bodyReader) heading(n *ast.Heading) Heading {
	e := r.e
	h := Heading{Level: n.Level, Text: e.restore(displayText(n, e.md))}
	if v, ok := n.AttributeString("id"); ok {
		if id, ok := v.([]byte); ok {
			h.ID = string(id)
		}
	}
	if n.Lines().Len() == 0 {
		h.Line = e.line(headingMarkerAt(e.md, r.last))
		return h
	}
	first, last := n.Lines().At(0), n.Lines().At(n.Lines().Len()-1)
	h.Line = e.line(first.Start)
	end := len(e.md)
	if k := bytes.IndexByte(e.md[last.Stop:], '\n'); k >= 0 {
		end = last.Stop + k
	}
	// The parser takes an {#id} off the end of the heading's line, after its text.
	after := bytes.TrimSpace(e.md[last.Stop:end])
	h.Explicit = bytes.HasPrefix(after, []byte("{")) && bytes.Contains(after, []byte("#"))
	if !h.Explicit {
		h.Unstable = e.holds(segOpaque, first.Start, end)
		h.Guessed = h.Unstable || e.holds(segUnknown, first.Start, end)
	}
	if h.Unstable {
		h.ID = "" // Hugo's placeholder, with its page counter, is in it
	}
	return h
}

// link reads a link or an image.
func (r *bodyReader) link(n ast.Node, dest string) Link {
	e := r.e
	line := e.line(r.last)
	if sp, ok := textSpan(n); ok {
		line = e.line(sp.start)
		r.labels = append(r.labels, sp)
	}
	return Link{Dest: e.restore(dest), Text: e.restore(displayText(n, e.md)), Line: line, Dynamic: hasMarker(dest)}
}

// spacedLinks reports [text](address with spaces), which Markdown shows as
// it is instead of as a link.
func (r *bodyReader) spacedLinks() {
	e := r.e
	for _, m := range spacedLinkRe.FindAllSubmatchIndex(e.md, -1) {
		if inSpans(r.masks, m[0]) || inSpans(r.labels, m[2]) || (m[0] > 0 && e.md[m[0]-1] == '!') {
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
		r.probs = append(r.probs, school.Errorf(r.p.File, e.line(m[0]),
			"[%s](%s) is shown as it is, not as a link, because a link's address cannot contain spaces: %s, [%s](%s)",
			e.restore(text), e.restore(dest), why, e.restore(text), e.restore(fix)))
		r.labels = append(r.labels, span{m[2], m[3]}) // not also a "[placeholder]"
	}
}

// placeholders finds text left unfilled from a template in the prose.
func (r *bodyReader) placeholders() {
	p, e := r.p, r.e
	masked := maskedCopy(e, r.masks)
	for _, ph := range scanPlaceholders(string(masked), r.labels) {
		p.Placeholders = append(p.Placeholders, Placeholder{Line: e.line(ph.start), Text: ph.text, Kind: ph.kind})
	}
	sort.SliceStable(p.Placeholders, func(i, j int) bool { return p.Placeholders[i].Line < p.Placeholders[j].Line })
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

// displayText is the heading as a reader sees it (all of its text, escapes
// and entities resolved), for messages and tables of contents.
func displayText(n ast.Node, source []byte) string {
	var buf bytes.Buffer
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.RawHTML:
			case *ast.String:
				buf.Write(c.Value)
			case *ast.Text:
				buf.Write(util.UnescapePunctuations(c.Segment.Value(source)))
				if c.HardLineBreak() || c.SoftLineBreak() {
					buf.WriteByte(' ')
				}
			case *ast.AutoLink:
				buf.Write(c.Label(source))
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return strings.TrimSpace(string(util.ResolveNumericReferences(util.ResolveEntityNames(buf.Bytes()))))
}
