package policy

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	toml "github.com/pelletier/go-toml/v2"
	"github.com/policysite/policysite/internal/school"
)

// frontMatter is the raw front matter of a file.
type frontMatter struct {
	format    string // "yaml" or "toml"
	text      []byte
	firstLine int // file line of the first line of text
	closeLine int // file line of the closing delimiter
}

func (fm *frontMatter) bodyLine() int {
	if fm == nil {
		return 1
	}
	return fm.closeLine + 1
}

// SplitFrontMatter splits a page into its front matter block and its body,
// the one way policysite splits them: check reads the fields from the block,
// and the build repairs pasted Markdown in the body only. The block is the
// opening line (--- or +++, after an optional byte-order mark, trailing
// spaces allowed), the fields, and the closing line (the same delimiter). ok
// is false when src does not start with front matter (body is src) or
// leaves it open (body is nil).
func SplitFrontMatter(src []byte) (fm, body []byte, ok bool) {
	s := scanFrontMatter(src)
	switch {
	case s.format == "":
		return nil, src, false
	case !s.closed:
		return nil, nil, false
	}
	return src[:s.bodyStart], src[s.bodyStart:], true
}

// frontMatterScan is where a file's front matter is: byte offsets into the
// file as given.
type frontMatterScan struct {
	first     string // the opening line, trimmed: "---", "+++" or what stands there instead
	format    string // "yaml", "toml", or "" for no front matter
	closed    bool
	textStart int // the fields
	textEnd   int
	closeLine int // 1-based file line of the closing delimiter
	bodyStart int
}

func scanFrontMatter(src []byte) frontMatterScan {
	start := 0
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		start = 3
	}
	firstEnd := bytes.IndexByte(src[start:], '\n')
	if firstEnd < 0 {
		firstEnd = len(src)
	} else {
		firstEnd += start
	}
	s := frontMatterScan{first: strings.TrimRight(string(src[start:firstEnd]), " \t\r")}
	switch s.first {
	case "---":
		s.format = "yaml"
	case "+++":
		s.format = "toml"
	default:
		return s
	}
	s.textStart = min(firstEnd+1, len(src))
	line := 2
	for pos := s.textStart; pos <= len(src); line++ {
		end := bytes.IndexByte(src[pos:], '\n')
		l, next := src[pos:], len(src)
		if end >= 0 {
			l, next = src[pos:pos+end], pos+end+1
		}
		if strings.TrimRight(string(l), " \t\r") == s.first {
			s.closed, s.textEnd, s.closeLine, s.bodyStart = true, pos, line, next
			return s
		}
		if end < 0 {
			break
		}
		pos = next
	}
	return s
}

// splitFrontMatter separates front matter from body, with the problems a
// policy's author must fix. With no usable front matter it returns a nil
// frontMatter and the whole file as body.
func splitFrontMatter(file string, src []byte) (*frontMatter, []byte, []school.Finding) {
	s := scanFrontMatter(src)
	switch {
	case s.format == "":
		msg := "the file has no front matter: a policy must start with a line containing only --- , then its fields " +
			"(title, summary, audience, owner, adopted, adopted_by, review, version, related), then another line with ---"
		if strings.HasPrefix(s.first, "{") {
			msg = "JSON front matter is not supported: start the file with a line containing only --- and write the fields as YAML, e.g. title: Online Safety Policy"
		}
		return nil, bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")), []school.Finding{school.Errorf(file, 1, "%s", msg)}
	case !s.closed:
		return nil, nil, []school.Finding{school.Errorf(file, 1,
			"the front matter opened with %s on line 1 is never closed: add a line containing only %s after the last field (for example after the related: line)",
			s.first, s.first)}
	}
	fm := &frontMatter{format: s.format, text: src[s.textStart:s.textEnd], firstLine: 2, closeLine: s.closeLine}
	return fm, src[s.bodyStart:], nil
}

// The fields every policy must have, in the order messages list them.
var requiredFields = []string{"title", "summary", "audience", "owner", "adopted", "adopted_by", "review", "version", "related"}

// Audiences are the readers a policy can be written for.
var Audiences = []string{"parents", "staff", "pupils", "governors"}

// hugoKeys are Hugo's own front-matter keys (lower case, as Hugo compares
// them) plus toc, which the theme reads; they are allowed in policies.
var hugoKeys = []string{
	"aliases", "build", "cascade", "date", "description", "draft", "expirydate", "headless", "iscjklanguage",
	"keywords", "lastmod", "layout", "linktitle", "markup", "menu", "menus", "outputs", "params", "publishdate",
	"pubdate", "resources", "sitemap", "slug", "toc", "translationkey", "type", "unpublishdate", "url", "weight",
}

var fieldExamples = map[string][2]string{ // YAML, TOML
	"title":      {`title: Online Safety Policy`, `title = "Online Safety Policy"`},
	"summary":    {`summary: How we keep pupils and staff safe online.`, `summary = "How we keep pupils and staff safe online."`},
	"audience":   {`audience: [parents, staff]`, `audience = ["parents", "staff"]`},
	"owner":      {`owner: dsl`, `owner = "dsl"`},
	"adopted":    {`adopted: 2026-09-14`, `adopted = 2026-09-14`},
	"adopted_by": {`adopted_by: Local Governing Body`, `adopted_by = "Local Governing Body"`},
	"review":     {`review: 2027-09-14`, `review = 2027-09-14`},
	"version":    {`version: "3.1"`, `version = "3.1"`},
	"related":    {`related: [staff-acceptable-use]   (or related: [] for none)`, `related = ["staff-acceptable-use"]   (or related = [] for none)`},
	"slug":       {`slug: online-safety`, `slug = "online-safety"`},
}

func (p *Policy) example(key string) string {
	ex := fieldExamples[key]
	if p.Format == "toml" {
		return ex[1]
	}
	return ex[0]
}

// dateExample writes a date field in the file's own syntax.
func (p *Policy) dateExample(key string, t time.Time) string {
	if p.Format == "toml" {
		return key + " = " + t.Format(time.DateOnly)
	}
	return key + ": " + t.Format(time.DateOnly)
}

var (
	yamlKeyLine = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_-]*)\s*:`)
	tomlKeyLine = regexp.MustCompile(`^\s*([A-Za-z0-9_-]+)\s*=`)
	tomlTable   = regexp.MustCompile(`^\s*\[`)
	versionRe   = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*$`)
	slugRe      = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	dmyRe       = regexp.MustCompile(`^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$`)
)

// keyLines finds the line of each top-level key. A line scan is enough for
// the flat front matter policies use, and it works on files the decoder
// rejects.
func (fm *frontMatter) keyLines() (map[string]int, map[string]string) {
	lines := map[string]int{}
	raw := map[string]string{}
	for i, l := range strings.Split(string(fm.text), "\n") {
		l = strings.TrimRight(l, "\r")
		var m []string
		if fm.format == "yaml" {
			m = yamlKeyLine.FindStringSubmatch(l)
		} else {
			if tomlTable.MatchString(l) {
				break // keys after [table] belong to that table
			}
			m = tomlKeyLine.FindStringSubmatch(l)
		}
		if m == nil {
			continue
		}
		k := strings.ToLower(m[1])
		if _, seen := lines[k]; !seen {
			lines[k] = fm.firstLine + i
			raw[k] = strings.TrimSpace(l[len(m[0]):])
		}
	}
	return lines, raw
}

// fieldReader reads a policy's front-matter fields into it, gathering what
// is wrong with them.
type fieldReader struct {
	p      *Policy
	fm     *frontMatter
	fields map[string]any    // by lower-case key
	lines  map[string]int    // lower-case key -> file line
	raw    map[string]string // lower-case key -> the value as written
	probs  []school.Finding
}

func (r *fieldReader) line(k string) int {
	if l, ok := r.lines[k]; ok {
		return l
	}
	return r.fm.firstLine - 1
}

func (r *fieldReader) errorf(k, format string, args ...any) {
	r.probs = append(r.probs, school.Errorf(r.p.File, r.line(k), format, args...))
}

func (r *fieldReader) missing(k, what string) {
	r.probs = append(r.probs, school.Errorf(r.p.File, r.fm.closeLine,
		"the required front-matter field %q is missing: add %s (%s) before the closing %s line",
		k, r.p.example(k), what, delimiter(r.fm.format)))
}

// str reads a field of plain text.
func (r *fieldReader) str(k, what string) string {
	p := r.p
	v, ok := r.fields[k]
	if !ok {
		r.missing(k, what)
		return ""
	}
	if v == nil {
		r.errorf(k, "%s is empty: write %s, e.g. %s", k, what, p.example(k))
		return ""
	}
	s, ok := scalarText(v)
	if !ok {
		r.errorf(k, "%s must be a single piece of text (%s), not a list or table: write it like %s", k, what, p.example(k))
		return ""
	}
	if strings.TrimSpace(s) == "" {
		r.errorf(k, "%s is empty: write %s, e.g. %s", k, what, p.example(k))
	}
	if strings.Contains(s, "{{<") || strings.Contains(s, "{{%") {
		r.errorf(k, "%s uses a shortcode, but shortcodes only work in the body and would be shown as-is: write the text itself (e.g. the school's name) instead", k)
	}
	return strings.TrimSpace(s)
}

// decode reads front matter in its own syntax.
func (fm *frontMatter) decode() (map[string]any, error) {
	var data map[string]any
	var err error
	if fm.format == "yaml" {
		err = yaml.Unmarshal(fm.text, &data)
	} else {
		err = toml.Unmarshal(fm.text, &data)
	}
	return data, err
}

func (p *Policy) readFrontMatter(fm *frontMatter) []school.Finding {
	p.Format = fm.format
	data, err := fm.decode()
	lines, raw := fm.keyLines()
	p.FieldLines = lines
	if err != nil {
		return []school.Finding{p.syntaxProblem(fm, err)}
	}
	p.FrontMatter = data
	r := &fieldReader{p: p, fm: fm, fields: make(map[string]any, len(data)), lines: lines, raw: raw}
	for k, v := range data {
		r.fields[strings.ToLower(k)] = v
	}
	p.Title = r.str("title", "the policy's name as parents will see it")
	p.Summary = r.str("summary", "one or two sentences saying what the policy covers")
	p.Owner = r.str("owner", "the role that owns the policy, a key of [params.school] in config.toml")
	p.AdoptedBy = r.str("adopted_by", "who adopted it")
	if v, ok := r.fields["version"]; ok && v != nil {
		p.Version = p.readVersion(v, raw["version"], r.line("version"), &r.probs)
	} else {
		r.missing("version", "the version number of this text")
	}
	r.audience()
	p.Related = p.readList(r.fields, "related", r.line("related"), r.missing, &r.probs)
	r.dates()
	r.slug()
	if v, ok := r.fields["draft"].(bool); ok {
		p.Draft = v
	}
	r.unknownKeys()
	r.placeholders()
	return r.probs
}

// audience reads who the policy is for: some of Audiences.
func (r *fieldReader) audience() {
	p := r.p
	p.Audience = p.readList(r.fields, "audience", r.line("audience"), r.missing, &r.probs)
	if _, ok := r.fields["audience"]; !ok || p.Audience == nil {
		return
	}
	if len(p.Audience) == 0 {
		r.errorf("audience", "audience is empty: list who the policy is for, any of %s, e.g. %s", strings.Join(Audiences, ", "), p.example("audience"))
	}
	for _, a := range p.Audience {
		if slices.Contains(Audiences, a) {
			continue
		}
		hint := ""
		if slices.Contains(Audiences, strings.ToLower(strings.TrimSpace(a))) {
			hint = fmt.Sprintf(" (write it in lower case: %s)", strings.ToLower(strings.TrimSpace(a)))
		} else if s := closest(a, Audiences); s != "" {
			hint = fmt.Sprintf(" (did you mean %s?)", s)
		} else {
			hint = fmt.Sprintf(": list only those, e.g. %s", p.example("audience"))
		}
		r.errorf("audience", "audience %q is not one of %s%s", a, strings.Join(Audiences, ", "), hint)
	}
}

// dates reads the adoption and review dates, review after adoption.
func (r *fieldReader) dates() {
	p := r.p
	p.Adopted = p.readDate(r.fields, "adopted", r.line("adopted"), r.missing, &r.probs)
	p.Review = p.readDate(r.fields, "review", r.line("review"), r.missing, &r.probs)
	if !p.Adopted.IsZero() && !p.Review.IsZero() && !p.Review.After(p.Adopted) {
		r.errorf("review", "the review date %s is not after the adopted date %s: set review to when the policy will next be reviewed, e.g. %s",
			p.Review.Format(time.DateOnly), p.Adopted.Format(time.DateOnly), p.dateExample("review", p.Adopted.AddDate(1, 0, 0)))
	}
}

// slug reads the slug field, or checks the one the file name gives.
func (r *fieldReader) slug() {
	p := r.p
	if v, ok := r.fields["slug"]; ok {
		s, isText := scalarText(v)
		s = strings.TrimSpace(s)
		switch {
		case !isText || s == "":
			r.errorf("slug", "slug must be a short web name such as %s, or be left out to use the file name", p.example("slug"))
		case !slugRe.MatchString(s):
			r.errorf("slug", "slug %q should use only lower-case letters, digits and single hyphens, because quizzes and links cite it; e.g. %s", s, p.example("slug"))
			p.Slug = s
		default:
			p.Slug = s
		}
		return
	}
	warn := func(format string, args ...any) { r.probs = append(r.probs, school.Warnf(p.File, 1, format, args...)) }
	if !slugRe.MatchString(p.Slug) {
		warn("the file name gives the slug %q, which is awkward in web addresses and quiz references: rename the file using lower-case letters, digits and hyphens, e.g. %s.md",
			p.Slug, Slugify(p.Slug))
	} else if ext := path.Ext(p.File); ext != ".md" && ext != ".markdown" && p.fileName() == p.Slug {
		warn("the file name ends in %s: rename the file to %s.md, as links to it are written (%s.md)", ext, p.Slug, p.Slug)
	} else if name := p.fileName(); name != p.Slug {
		warn("the file name %q has capitals or spaces: the website calls this policy %s (its address is /policies/%s/, and related:, links and quizzes name it %s); rename the file to %s.md so the names match",
			name, p.Slug, p.Slug, p.Slug, p.Slug)
	}
}

// unknownKeys warns about fields policies do not have: Hugo ignores them,
// but a typo such as "reveiw" silently leaves the real field missing or stale.
func (r *fieldReader) unknownKeys() {
	var unknown []string
	for k := range r.fields {
		if !slices.Contains(requiredFields, k) && !slices.Contains(hugoKeys, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		hint := ""
		if s := closest(k, append(append([]string{}, requiredFields...), hugoKeys...)); s != "" {
			hint = fmt.Sprintf(" (did you mean %s?)", s)
		}
		r.probs = append(r.probs, school.Warnf(r.p.File, r.line(k),
			"unknown front-matter field %q%s: the policy fields are %s; Hugo's own fields such as weight, draft, slug, aliases, layout, url and toc are also allowed; remove or rename it",
			k, hint, strings.Join(requiredFields, ", ")))
	}
}

// placeholders finds template text left in the fields shown on the site.
func (r *fieldReader) placeholders() {
	p := r.p
	add := func(k, s string) {
		for _, ph := range findPlaceholders(s) {
			p.Placeholders = append(p.Placeholders, Placeholder{Line: r.line(k), Text: ph.text, Kind: ph.kind, Field: k})
		}
	}
	for _, k := range []string{"title", "summary", "owner", "adopted_by", "version"} {
		if s, ok := scalarText(r.fields[k]); ok {
			add(k, s)
		}
	}
	for _, k := range []string{"audience", "related"} {
		if list, ok := r.fields[k].([]any); ok {
			for _, item := range list {
				if s, ok := item.(string); ok {
					add(k, s)
				}
			}
		}
	}
}

// readPageFrontMatter only checks that a non-policy page's front matter can
// be read; Hugo fails on it otherwise.
func (p *Policy) readPageFrontMatter(fm *frontMatter) []school.Finding {
	p.Format = fm.format
	data, err := fm.decode()
	p.FieldLines, _ = fm.keyLines()
	if err != nil {
		return []school.Finding{p.syntaxProblem(fm, err)}
	}
	p.FrontMatter = data
	if s, ok := scalarText(lookupFold(data, "title")); ok {
		p.Title = s
	}
	return nil
}

// fileName is the name the policy's file (or bundle folder) gives it, as
// written, without .md.
func (p *Policy) fileName() string {
	base := path.Base(p.File)
	name := strings.TrimSuffix(base, path.Ext(base))
	if name == "index" {
		name = path.Base(path.Dir(p.File))
	}
	return name
}

func delimiter(format string) string {
	if format == "toml" {
		return "+++"
	}
	return "---"
}

// syntaxProblem turns a decoder error into a message with the file line.
func (p *Policy) syntaxProblem(fm *frontMatter, err error) school.Finding {
	line := fm.firstLine
	msg := err.Error()
	var yerr yaml.Error
	var terr *toml.DecodeError
	switch {
	case errors.As(err, &yerr):
		if tok := yerr.GetToken(); tok != nil && tok.Position != nil {
			line = fm.firstLine - 1 + tok.Position.Line
		}
		msg = yerr.GetMessage()
	case errors.As(err, &terr):
		row, _ := terr.Position()
		line = fm.firstLine - 1 + row
		msg = strings.TrimPrefix(terr.Error(), "toml: ")
	}
	if fm.format == "yaml" {
		if prob, ok := p.yamlLineProblem(fm); ok {
			return prob
		}
	}
	hint := "each field goes on its own line as key: value, e.g. title: Online Safety Policy; put text containing a colon or # in quotes"
	if fm.format == "toml" {
		hint = `each field goes on its own line as key = value, with text in quotes, e.g. title = "Online Safety Policy"`
	}
	return school.Errorf(p.File, line, "the front matter cannot be read (%s): %s", msg, hint)
}

// yamlLineProblem finds the two mistakes people make most when typing YAML
// front matter by hand, which the decoder reports in its own words ("found
// character that cannot start any token", "non-map value is specified"): a
// line indented with a tab, and a field without its colon.
func (p *Policy) yamlLineProblem(fm *frontMatter) (school.Finding, bool) {
	for i, l := range strings.Split(string(fm.text), "\n") {
		l = strings.TrimRight(l, "\r")
		line := fm.firstLine + i
		if strings.HasPrefix(l, "\t") {
			return school.Errorf(p.File, line,
				"the line %q starts with a tab: front matter may not use tabs; delete it so the line starts with the field name, e.g. %s",
				strings.TrimSpace(l), p.example("audience")), true
		}
		t := strings.TrimSpace(l)
		if m := yamlKeyLine.FindStringSubmatch(t); m != nil && t == l {
			if prob, ok := p.yamlValueProblem(line, m[1], strings.TrimSpace(t[len(m[0]):])); ok {
				return prob, true
			}
		}
		if t == "" || t != l || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "-") || strings.Contains(t, ":") {
			continue // blank, indented (part of the field above), a comment, a list item, or a field
		}
		word, rest, _ := strings.Cut(t, " ")
		k := strings.ToLower(word)
		if slices.Contains(requiredFields, k) || slices.Contains(hugoKeys, k) {
			return school.Errorf(p.File, line,
				"the line %q has no colon after the field name: write %s: %s", t, word, strings.TrimSpace(rest)), true
		}
		return school.Errorf(p.File, line,
			"the line %q is not a field: each field is its name, a colon and a space, then its value (e.g. %s); if the text belongs to the field above, join it to the end of that line",
			t, p.example("owner")), true
	}
	return school.Finding{}, false
}

// yamlValueProblem finds text that YAML reads as more than text: a colon
// and space inside it ("title: Anti-bullying: our policy"), or quotes
// inside quotes (summary: "How we "prevent" bullying.").
func (p *Policy) yamlValueProblem(line int, key, v string) (school.Finding, bool) {
	if strings.HasPrefix(v, "[") && !strings.Contains(v, "]") {
		ex := fieldExamples[strings.ToLower(key)][0]
		if ex == "" || !strings.Contains(ex, "[") {
			ex = key + ": [parents, staff]"
		}
		return school.Errorf(p.File, line, "the list of %s is not closed: end it with ] on the same line, e.g. %s", key, ex), true
	}
	if v == "" || strings.HasPrefix(v, "[") || strings.HasPrefix(v, "{") || strings.HasPrefix(v, "|") || strings.HasPrefix(v, ">") {
		return school.Finding{}, false
	}
	if q := v[0]; q == '"' || q == '\'' {
		end := strings.IndexByte(v[1:], q)
		rest := ""
		if end >= 0 {
			rest = strings.TrimSpace(v[end+2:])
		}
		if end >= 0 && rest != "" && !strings.HasPrefix(rest, "#") {
			inner := strings.TrimSuffix(v[1:], string(q))
			other := "'"
			if q == '\'' {
				other = `"`
			}
			return school.Errorf(p.File, line,
				"the %s has quotation marks inside the quotes around it, so it ends early: put %s around the whole text instead, e.g. %s: %s%s%s",
				key, map[string]string{"'": "single quotes", `"`: "double quotes"}[other], key, other, inner, other), true
		}
		return school.Finding{}, false
	}
	if strings.Contains(v, ": ") || strings.HasSuffix(v, ":") {
		text := v
		if i := strings.Index(text, " #"); i >= 0 {
			text = strings.TrimSpace(text[:i])
		}
		return school.Errorf(p.File, line,
			"the %s contains a colon, which in front matter starts a new field: put the whole text in quotes, e.g. %s: %q", key, key, text), true
	}
	return school.Finding{}, false
}

// scalarText renders a scalar front-matter value as text.
func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case int, int64, uint64, float64, bool:
		return fmt.Sprint(v), true
	case time.Time:
		return v.Format(time.DateOnly), true
	case toml.LocalDate:
		return v.String(), true
	}
	return "", false
}

func (p *Policy) readVersion(v any, raw string, line int, probs *[]school.Finding) string {
	var s string
	switch v := v.(type) {
	case string:
		s = strings.TrimSpace(v)
	case float64:
		// YAML and TOML read 3.10 as the number 3.1 and 2.0 as 2, which the
		// website would then show; only the quoted text keeps what was meant.
		s = strconv.FormatFloat(v, 'f', -1, 64)
		if r := unquoteRaw(raw); r != "" && r != s {
			*probs = append(*probs, school.Errorf(p.File, line,
				"version %s is read as the number %s, so the website would show %s: put it in quotes, e.g. version: \"%s\"", r, s, s, r))
			return r
		}
	case int, int64, uint64:
		s = fmt.Sprint(v)
	default:
		*probs = append(*probs, school.Errorf(p.File, line, "version must be a version number such as %s", p.example("version")))
		return ""
	}
	if !versionRe.MatchString(s) {
		*probs = append(*probs, school.Errorf(p.File, line,
			"version %q is not a version number: use digits separated by dots, e.g. %s", s, p.example("version")))
	}
	return s
}

// unquoteRaw strips a trailing comment from a raw YAML/TOML value.
func unquoteRaw(raw string) string {
	if i := strings.Index(raw, " #"); i >= 0 {
		raw = raw[:i]
	}
	return strings.TrimSpace(raw)
}

func (p *Policy) readList(fields map[string]any, k string, line int, missing func(k, what string), probs *[]school.Finding) []string {
	v, ok := fields[k]
	what := map[string]string{
		"audience": "who the policy is for: any of " + strings.Join(Audiences, ", "),
		"related":  "slugs of related policies, or an empty list",
	}[k]
	if !ok {
		missing(k, what)
		return nil
	}
	if v == nil {
		if k == "related" {
			return []string{} // "related:" with nothing after it means none
		}
		*probs = append(*probs, school.Errorf(p.File, line, "%s is empty: list %s, e.g. %s", k, what, p.example(k)))
		return nil
	}
	items, isList := v.([]any)
	if !isList {
		if s, isText := v.(string); isText {
			fix := fmt.Sprintf("%s: [%s]", k, s)
			if p.Format == "toml" {
				fix = fmt.Sprintf("%s = [%q]", k, s)
			}
			*probs = append(*probs, school.Errorf(p.File, line, "%s must be a list in square brackets, even with one entry: write %s", k, fix))
		} else {
			*probs = append(*probs, school.Errorf(p.File, line, "%s must be a list of %s, e.g. %s", k, what, p.example(k)))
		}
		return nil // reported; nil keeps the "empty list" check quiet
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, isText := it.(string)
		if !isText {
			*probs = append(*probs, school.Errorf(p.File, line, "%s must list words, but %v is not a word: e.g. %s", k, it, p.example(k)))
			continue
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

func (p *Policy) readDate(fields map[string]any, k string, line int, missing func(k, what string), probs *[]school.Finding) time.Time {
	what := map[string]string{
		"adopted": "the date the policy was adopted, as YYYY-MM-DD",
		"review":  "the date of its next review, as YYYY-MM-DD",
	}[k]
	v, ok := fields[k]
	if !ok || v == nil {
		missing(k, what)
		return time.Time{}
	}
	switch v := v.(type) {
	case time.Time:
		return time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)
	case toml.LocalDate:
		return time.Date(v.Year, time.Month(v.Month), v.Day, 0, 0, 0, 0, time.UTC)
	case toml.LocalDateTime:
		return time.Date(v.Year, time.Month(v.Month), v.Day, 0, 0, 0, 0, time.UTC)
	case string:
		s := strings.TrimSpace(v)
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t
		}
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		}
		if m := dmyRe.FindStringSubmatch(s); m != nil {
			d, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			y, _ := strconv.Atoi(m[3])
			t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
			if t.Day() == d && int(t.Month()) == mo {
				*probs = append(*probs, school.Errorf(p.File, line,
					"%s %q is not in the form YYYY-MM-DD (year first): if you meant %s, write %s",
					k, s, t.Format("2 January 2006"), p.dateExample(k, t)))
				return time.Time{}
			}
		}
		if t, whole, ok := wordDate(s); ok {
			if whole {
				*probs = append(*probs, school.Errorf(p.File, line,
					"%s %q is not in the form YYYY-MM-DD: if you meant %s, write %s",
					k, s, t.Format("2 January 2006"), p.dateExample(k, t)))
			} else {
				*probs = append(*probs, school.Errorf(p.File, line,
					"%s %q needs the day too, in the form YYYY-MM-DD: for 1 %s, write %s",
					k, s, t.Format("January 2006"), p.dateExample(k, t)))
			}
			return time.Time{}
		}
		if len(s) == 10 && s[4] == '-' && s[7] == '-' {
			*probs = append(*probs, school.Errorf(p.File, line,
				"%s %q is not a real date (check the month is 01-12 and the day exists in that month); the form is YYYY-MM-DD, e.g. %s",
				k, s, p.example(k)))
			return time.Time{}
		}
		*probs = append(*probs, school.Errorf(p.File, line, "%s %q is not a date in the form YYYY-MM-DD: write it like %s", k, s, p.example(k)))
		return time.Time{}
	}
	*probs = append(*probs, school.Errorf(p.File, line, "%s must be a date in the form YYYY-MM-DD, e.g. %s", k, p.example(k)))
	return time.Time{}
}

var (
	dayMonthYearRe = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$`)
	monthDayYearRe = regexp.MustCompile(`^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$`)
	monthYearRe    = regexp.MustCompile(`^([A-Za-z]+)\.?,?\s+(\d{4})$`)
)

// wordDate reads dates written in words, "14 September 2026", "Sept 14th,
// 2026" or "September 2026" (whole is false: no day), so the message can
// give the same date in the form the site needs.
func wordDate(s string) (t time.Time, whole, ok bool) {
	month := func(w string) (time.Month, bool) {
		w = strings.ToLower(w)
		if len(w) < 3 {
			return 0, false
		}
		for m := time.January; m <= time.December; m++ {
			if strings.HasPrefix(strings.ToLower(m.String()), w) || (w == "sept" && m == time.September) {
				return m, true
			}
		}
		return 0, false
	}
	date := func(d int, mw string, y string) (time.Time, bool) {
		m, ok := month(mw)
		year, _ := strconv.Atoi(y)
		if !ok {
			return time.Time{}, false
		}
		t := time.Date(year, m, d, 0, 0, 0, 0, time.UTC)
		return t, t.Day() == d
	}
	s = strings.Join(strings.Fields(s), " ")
	if m := dayMonthYearRe.FindStringSubmatch(s); m != nil {
		d, _ := strconv.Atoi(m[1])
		t, ok := date(d, m[2], m[3])
		return t, true, ok
	}
	if m := monthDayYearRe.FindStringSubmatch(s); m != nil {
		d, _ := strconv.Atoi(m[2])
		t, ok := date(d, m[1], m[3])
		return t, true, ok
	}
	if m := monthYearRe.FindStringSubmatch(s); m != nil {
		t, ok := date(1, m[1], m[2])
		return t, false, ok
	}
	return time.Time{}, false, false
}

// Slugify suggests a usable file name or slug for s: lower-case letters and
// digits joined by hyphens ("Anti Bullying" becomes anti-bullying).
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
