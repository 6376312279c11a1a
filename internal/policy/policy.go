// Package policy reads a school's policy files (Markdown with YAML or TOML
// front matter) into a model the rest of policysite shares: front-matter
// fields, headings with the ids Hugo gives them, links, shortcodes and text
// left unfilled from a template. It checks what can be checked from the
// policies alone; site-wide checks (school variables, links, quizzes) live in
// internal/lint. It does not import Hugo: the body is parsed by the Markdown
// a caller passes in (internal/hugo's, so the ids are Hugo's own), and
// without one only the front matter is read — all trainlog needs.
package policy

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/policysite/policysite/internal/school"
	"github.com/policysite/policysite/internal/textenc"
)

// Policy is one file in content/policies.
type Policy struct {
	Slug string // file name without .md, the folder name of a bundle (x/index.md), or the slug front-matter field
	File string // path as given, or relative to Parser.Root when set; always with forward slashes

	Title, Summary, Owner, AdoptedBy, Version string
	Audience                                  []string
	Adopted, Review                           time.Time // zero when missing or malformed
	Related                                   []string
	Draft                                     bool

	Body     string
	BodyLine int // 1-based line of the file where Body starts

	Headings []Heading
	Links    []Link
	// Images are the pictures in the body, ![description](address); Text is
	// the description (alt text).
	Images []Link
	// Shortcodes lists every shortcode tag in the body, in order, so callers
	// can check the arguments of the ones they know (e.g. school).
	Shortcodes []Shortcode
	// Placeholders is text left unfilled from a template, in front matter and
	// body (outside code), in file order.
	Placeholders []Placeholder
	// HTMLLines are the lines where HTML (pasted from a web page or Word)
	// starts: the site leaves it out, text and all (markup.goldmark.renderer
	// unsafe = false). HTML comments are not counted.
	HTMLLines []int
	// Repairs are what Parser.Normalize changed in the body before reading it.
	Repairs []Repair

	FrontMatter map[string]any // decoded front matter, keys as written
	FieldLines  map[string]int // lower-case front-matter key -> line, for messages
	Format      string         // "yaml" or "toml": the front-matter syntax, for examples in messages
}

// Heading is a Markdown heading in a policy body.
type Heading struct {
	Level int
	Text  string // as a reader sees it
	// ID is the id Hugo gives it, as Hugo's own parser made it (an explicit
	// {#id}, else one from its text by the site's autoHeadingIDType); "" for
	// a heading without text, and when Unstable.
	ID   string
	Line int
	// Explicit is true when the id comes from a {#id} attribute.
	Explicit bool
	// Unstable is true when the automatic id contains a {{< … >}} shortcode:
	// Hugo then puts its internal placeholder, which holds a counter that
	// changes between builds, into the id. Nothing can link to it reliably.
	Unstable bool
	// Guessed is true when the automatic id depends on shortcode output not
	// known here ({{< >}}, or {{% %}} other than a known school variable), so
	// ID may differ from Hugo's.
	Guessed bool
}

// Link is a Markdown link ([text](dest) or a resolved reference link) in a
// policy body. Images and bare web addresses are not included.
type Link struct {
	Dest string
	Text string
	Line int
	// Dynamic is true when the address comes from a shortcode whose output
	// is not known here, such as [CEOP]({{< school "national.ceop_url" >}}).
	// {{< ref >}}, {{< relref >}} and {{% school %}} are expanded instead.
	Dynamic bool
}

// Shortcode is one shortcode tag in a policy body: {{< name args >}} or
// {{% name args %}}. Escaped tags ({{</* … */>}}) are not included.
type Shortcode struct {
	Name     string
	Args     []string          // positional arguments, unquoted
	Named    map[string]string // key="value" arguments
	Markdown bool              // {{% %}}: output is rendered as Markdown
	Closing  bool              // {{< /name >}}
	Line     int
	Raw      string // the tag as written, for messages
}

// Placeholder is text left unfilled from a template.
type Placeholder struct {
	Line  int
	Text  string // the placeholder as written, e.g. "[School name]" or "TBC"
	Kind  PlaceholderKind
	Field string // front-matter key, or "" in the body
}

// PlaceholderKind says what kind of leftover template text was found.
type PlaceholderKind int

const (
	Redaction    PlaceholderKind = iota // ▇▇▇ or ███ blocks
	Bracketed                           // [School name]
	Marker                              // XXX, TBC, TBA, TBD, TODO, FIXME
	AngleBracket                        // <School name>, which Hugo drops as raw HTML
)

// Status is where a policy stands against its review date.
type Status int

const (
	Current Status = iota
	DueSoon        // review date is within the warning window (or today)
	Overdue        // review date has passed
)

func (s Status) String() string {
	switch s {
	case Current:
		return "current"
	case DueSoon:
		return "due soon"
	case Overdue:
		return "overdue"
	}
	return "unknown"
}

// ReviewStatus compares the review date with the calendar day of now: a
// policy due for review today is DueSoon, not yet Overdue. A policy with no
// valid review date is Overdue, because nobody knows when it was last checked.
func (p *Policy) ReviewStatus(now time.Time, warnDays int) Status {
	if p.Review.IsZero() {
		return Overdue
	}
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	review := time.Date(p.Review.Year(), p.Review.Month(), p.Review.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case review.Before(today):
		return Overdue
	case !review.After(today.AddDate(0, 0, warnDays)):
		return DueSoon
	}
	return Current
}

// SchoolValues gives the Markdown a {{% school "key" %}} shortcode produces,
// so heading ids that use school variables come out as Hugo's do.
type SchoolValues interface {
	ShortcodeOutput(key string) (string, bool)
}

// Parser reads policies. The zero value reads the front matter only, with
// paths as given.
type Parser struct {
	// Markdown, when set, parses the body: headings, links, images,
	// shortcodes, placeholders and pasted HTML are read only then.
	Markdown Markdown
	// School, when set, supplies the output of {{% school "key" %}}.
	School SchoolValues
	// Root, when set, makes Policy.File and school.Finding.File relative to it (a
	// site directory), so messages read content/policies/x.md:12.
	Root string
	// Normalize, when set, rewrites the body before it is read, as the site
	// build does before Hugo sees it (internal/markdown repairs pasted text,
	// turning a bare "Roles and Responsibilities" line into a heading). It
	// must keep the number of lines, and says what it repaired, with lines
	// counted from 1 at the start of the body. Policy.Body stays as written.
	Normalize func(body []byte) ([]byte, []Repair)
}

// Repair is a change Normalize made to the body, which the author may want to
// make in the source.
type Repair struct {
	Line    int // line of the file
	Message string
}

// ParseFile reads one policy with a zero Parser.
func ParseFile(path string) (*Policy, []school.Finding) {
	return (&Parser{}).ParseFile(path)
}

// LoadDir reads every policy in dir with a zero Parser.
func LoadDir(dir string) ([]*Policy, []school.Finding) {
	return (&Parser{}).LoadDir(dir)
}

// ParseFile reads one policy file. It always returns a Policy (possibly with
// zero fields) unless the file cannot be read, so callers can keep checking
// links and headings of a file whose front matter is wrong.
func (ps *Parser) ParseFile(path string) (*Policy, []school.Finding) {
	display := ps.display(path)
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, []school.Finding{school.Errorf(display, 0, "cannot read the policy file: %v", err)}
	}
	slug := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if isBundleIndex(path) {
		slug = filepath.Base(filepath.Dir(path))
	}
	return ps.parse(display, hugoName(slug), src, true)
}

// Parse reads a policy from memory; file is used in messages and slug is the
// slug the file name gives (the slug front-matter field still wins).
func (ps *Parser) Parse(file, slug string, src []byte) (*Policy, []school.Finding) {
	return ps.parse(file, slug, src, true)
}

// ParsePage reads any other content page (home, staff area, accessibility
// statement) like a policy, but without the policy front-matter rules: its
// body still has headings, links, shortcodes and placeholders worth checking.
func (ps *Parser) ParsePage(path string) (*Policy, []school.Finding) {
	display := ps.display(path)
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, []school.Finding{school.Errorf(display, 0, "cannot read the page: %v", err)}
	}
	slug := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return ps.parse(display, slug, src, false)
}

func (ps *Parser) parse(display, slug string, src []byte, isPolicy bool) (*Policy, []school.Finding) {
	p := &Policy{Slug: slug, File: display, FieldLines: map[string]int{}}
	var probs []school.Finding
	// The site is built from the same repaired text (internal/build).
	src, line := textenc.ToUTF8(src)
	if line > 0 {
		probs = append(probs, school.Warnf(display, line, "the file is not saved as UTF-8: from this line it has characters (curly quotes, dashes, £ …) in Windows' \"ANSI\" encoding, as Notepad and older versions of Word save them. The website shows them correctly, but other programs may not: save the file as UTF-8 (in Notepad: File › Save as, Encoding: UTF-8)"))
	}
	fm, body, fmProbs := splitFrontMatter(display, src)
	if isPolicy {
		probs = append(probs, fmProbs...)
		if fm != nil {
			probs = append(probs, p.readFrontMatter(fm)...)
		}
	} else if fm != nil {
		probs = append(probs, p.readPageFrontMatter(fm)...)
	} else if body == nil {
		probs = append(probs, fmProbs...) // unclosed front matter breaks any page
	}
	p.BodyLine = fm.bodyLine()
	p.Body = string(body)
	if ps.Normalize != nil {
		var repairs []Repair
		body, repairs = ps.Normalize(body)
		for _, r := range repairs {
			p.Repairs = append(p.Repairs, Repair{Line: p.BodyLine + r.Line - 1, Message: r.Message})
		}
	}
	if ps.Markdown != nil {
		probs = append(probs, p.analyseBody(ps.Markdown, body, ps.School)...)
	}
	return p, probs
}

func (ps *Parser) display(path string) string {
	if ps.Root != "" {
		if rel, err := filepath.Rel(ps.Root, path); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(path)
}

// hugoName is the name Hugo gives a page from its file or folder name, and
// so the slug related:, links and quizzes use: lower case, spaces as hyphens
// ("Anti Bullying.md" is /policies/anti-bullying/).
func hugoName(name string) string {
	return strings.ReplaceAll(strings.ToLower(name), " ", "-")
}

func isBundleIndex(path string) bool {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base)) == "index"
}
