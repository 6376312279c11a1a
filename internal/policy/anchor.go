package policy

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The heading ids below must match, character for character, the ids Hugo
// v0.165.0 writes with autoHeadingIDType = "github": training quizzes cite
// them as policy-slug#anchor, and a quiz citing an id Hugo does not produce
// sends staff to the top of the page instead of the clause they are tested on.
// Hugo's rule (markup/goldmark/autoid.go and internal/render.TextPlain):
//
//  1. take the heading's inline content as plain text (see headingPlainText);
//  2. trim surrounding white space;
//  3. ASCII space and '-' become '-', letters, digits and '_' are lower-cased,
//     every other rune (punctuation, symbols, emoji, curly quotes, tabs,
//     non-breaking spaces) is dropped;
//  4. an empty result becomes "heading" (a heading with no text at all,
//     such as a bare "##", gets no id);
//  5. an id already used on the page gets "-1", "-2", … appended.
//
// An explicit {#id} attribute wins and is not de-duplicated, but it does
// reserve the id for the automatic ids that come after it.

// AnchorID returns the id Hugo gives a heading whose Markdown text is
// markdown, when it is the only heading on the page. Markdown markup counts
// as Hugo counts it: emphasis and code keep their text, typographer dashes and
// quotes vanish, link URLs and bare web addresses vanish, and an explicit
// {#custom-id} is returned as written. Shortcodes are not expanded here; see
// Policy.Headings for ids of headings that use them.
func AnchorID(markdown string) string {
	return AnchorIDs(markdown)[0]
}

// AnchorIDs returns the ids of a page whose headings, in order, have the given
// Markdown texts, with Hugo's "-1", "-2" suffixes for repeated ids.
func AnchorIDs(headings ...string) []string {
	var src bytes.Buffer
	for _, h := range headings {
		// A newline would end the heading early; Hugo's headings are one line.
		h = strings.NewReplacer("\r", " ", "\n", " ").Replace(h)
		src.WriteString("## ")
		src.WriteString(h)
		src.WriteString("\n\n")
	}
	b := src.Bytes()
	doc := markdown.Parser().Parse(text.NewReader(b))
	ids := newIDSet()
	out := make([]string, 0, len(headings))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			out = append(out, ids.headingID(h, b))
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	// An empty heading text still makes a heading ("## "), so len(out) matches
	// unless the text itself opens a block (e.g. "```"); keep the contract of
	// one id per heading regardless.
	for len(out) < len(headings) {
		out = append(out, ids.generate(""))
	}
	return out[:len(headings)]
}

// idSet hands out heading ids for one page in document order, as Hugo's
// idFactory does.
type idSet struct {
	used map[string]struct{}
}

func newIDSet() *idSet { return &idSet{used: make(map[string]struct{})} }

// headingID returns the id of h: its explicit id attribute, or a generated one.
func (s *idSet) headingID(h *ast.Heading, source []byte) string {
	if id, ok := explicitID(h); ok {
		s.used[id] = struct{}{}
		return id
	}
	plain := hugoPlainText(h, source)
	if plain == "" {
		// Hugo gives a heading with no text at all no id (but one whose
		// text has only symbols, such as an emoji, gets "heading").
		return ""
	}
	return s.generate(plain)
}

func explicitID(n ast.Node) (string, bool) {
	v, ok := n.AttributeString("id")
	if !ok {
		return "", false
	}
	switch v := v.(type) {
	case []byte:
		return string(v), true
	case string:
		return v, true
	}
	return "", false
}

// generate turns plain heading text into a unique id.
func (s *idSet) generate(plain string) string {
	id := sanitizeAnchor(plain)
	if id == "" {
		id = "heading"
	}
	if _, taken := s.used[id]; taken {
		for i := 1; ; i++ {
			cand := id + "-" + strconv.Itoa(i)
			if _, taken := s.used[cand]; !taken {
				id = cand
				break
			}
		}
	}
	s.used[id] = struct{}{}
	return id
}

// sanitizeAnchor applies GitHub's character rule (steps 2 and 3 above).
func sanitizeAnchor(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '-' || r == ' ':
			b.WriteByte('-')
		case r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// hugoPlainText reproduces Hugo's render.TextPlain for a heading, including
// its quirk that inside a nested node (emphasis, link, code span) only the
// first child is followed: "[the *full* policy](x)" contributes "the " only.
// For multi-line (setext) headings Hugo keeps the last line.
func hugoPlainText(h *ast.Heading, source []byte) string {
	var buf bytes.Buffer
	for c := h.FirstChild(); c != nil; c = c.NextSibling() {
		hugoTextTo(c, source, &buf)
	}
	s := string(util.ResolveEntityNames(buf.Bytes()))
	if h.Lines().Len() > 1 {
		if i := strings.LastIndexByte(s, '\n'); i >= 0 {
			s = s[i+1:]
		}
	}
	return s
}

func hugoTextTo(n ast.Node, source []byte, buf *bytes.Buffer) {
	if n == nil {
		return
	}
	switch n := n.(type) {
	case *ast.RawHTML:
		// Hugo strips the tags of inline HTML, which leaves nothing of a
		// single tag such as <br> or <span class="x">.
	case *ast.String:
		buf.Write(n.Value)
	case *ast.Text:
		buf.Write(n.Segment.Value(source))
		if n.HardLineBreak() || n.SoftLineBreak() {
			buf.WriteByte('\n')
		}
	default:
		hugoTextTo(n.FirstChild(), source, buf)
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
