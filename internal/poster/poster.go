// Package poster reads the classroom posters of a site (content/posters/*.md),
// checks them, and turns the poster pages Hugo rendered into a PDF and a
// preview image each, through one Chromium for all posters.
//
// A poster is a Markdown file:
//
//	---
//	title: "Our rules for staying safe online"
//	key_stage: EYFS/KS1        # EYFS, KS1, EYFS/KS1, KS2 or KS3
//	paper: A4                  # A4 or A3
//	orientation: portrait      # portrait (the default) or landscape
//	language: en               # en (the default), pl, ur …
//	rules_from: pupil-acceptable-use#ks1-rules
//	---
//
// With rules_from the rules are the list under that heading of the policy
// (content/policies/pupil-acceptable-use.md, the heading with id ks1-rules),
// so the poster and the policy never disagree. Otherwise the body is the
// rules, one per line, each starting with the name of its icon:
//
//   - :padlock: I keep my password secret.
//   - :tell-someone: I tell a grown-up if anything online upsets me.
//
// A translation names the rules it translates (translates: SLUG#ANCHOR), and
// `policysite check` warns when they change.
//
// The layout layouts/posters/page.html reads the same sources; this package
// is what reports mistakes in them, with file and line.
package poster

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/policysite/policysite/internal/markdown"
	"github.com/policysite/policysite/internal/policy"
	"github.com/policysite/policysite/internal/school"
)

// Poster is one file in content/posters.
type Poster struct {
	File        string // relative to the site, with forward slashes: content/posters/ks1-a4-en.md
	Title       string
	KeyStage    string // as written, in capitals: EYFS, KS1, EYFS/KS1, KS2 or KS3
	Paper       string // A4 or A3
	Orientation string // portrait or landscape
	Language    string // a language tag such as en, pl, ur
	Draft       bool
	// RulesFrom is where the rules come from, or nil when the body has them.
	RulesFrom *Ref
	// Translates is the list of rules this poster translates, or nil.
	Translates *Ref
	Rules      []Rule
	// Lines are the lines of the front-matter fields, by lower-case key.
	Lines map[string]int
}

// Ref points at the rules list under one heading of a policy.
type Ref struct {
	school.Ref        // the policy's slug and the heading's id
	Raw        string // as written in the front matter
	Line       int    // of the front-matter field
	// File is the policy's file, relative to the site, once found.
	File string
}

func (r *Ref) String() string { return r.File + "#" + r.Anchor }

// Rule is one line of a poster.
type Rule struct {
	Icon string
	Text string // Markdown, as written (continuation lines joined with spaces)
	File string // where it is written: the poster, or the policy it comes from
	Line int
}

// Paper sizes in millimetres, portrait.
var papers = map[string][2]float64{"A4": {210, 297}, "A3": {297, 420}}

// KeyStages are the values key_stage can take.
var KeyStages = []string{"EYFS/KS1", "EYFS", "KS1", "KS2", "KS3"}

// Size is the sheet's width and height in millimetres.
func (p *Poster) Size() (w, h float64) {
	s := papers[p.Paper]
	if p.Orientation == "landscape" {
		return s[1], s[0]
	}
	return s[0], s[1]
}

// Sheet describes the paper for messages: "A4 portrait".
func (p *Poster) Sheet() string { return p.Paper + " " + p.Orientation }

// MaxWords is the reading-level limit of a rule for the poster's key stage,
// or 0 for none.
func (p *Poster) MaxWords() int {
	switch p.KeyStage {
	case "EYFS", "KS1", "EYFS/KS1":
		return 12
	case "KS2":
		return 20
	}
	return 0
}

// rtlLanguages are written right to left.
var rtlLanguages = []string{"ar", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"}

// RTL reports whether the poster's language is written right to left.
func (p *Poster) RTL() bool {
	primary, _, _ := strings.Cut(p.Language, "-")
	return slices.Contains(rtlLanguages, primary)
}

// Stage is the type-size class of the poster's key stage: ks1 (Early
// Years and Key Stage 1), ks2 or ks3.
func (p *Poster) Stage() string {
	switch p.KeyStage {
	case "EYFS", "KS1", "EYFS/KS1":
		return "ks1"
	case "KS3":
		return "ks3"
	}
	return "ks2"
}

// View is what the poster layouts (layouts/posters/) show of each poster,
// by lower-case file (content/posters/x.md): the build hands it to Hugo, so
// the pages show the rules and settings check read, and no template reads
// the sources again. Each rule's text is Markdown, which the layout renders
// (school shortcodes too).
func View(posters []*Poster) map[string]any {
	out := make(map[string]any, len(posters))
	for _, p := range posters {
		rules := make([]map[string]any, len(p.Rules))
		for i, r := range p.Rules {
			rules[i] = map[string]any{"icon": r.Icon, "text": p.typeset(r.Text)}
		}
		dir := "ltr"
		if p.RTL() {
			dir = "rtl"
		}
		out[strings.ToLower(p.File)] = map[string]any{
			"key_stage": p.KeyStage, "stage": p.Stage(), "paper": p.Paper, "orientation": p.Orientation,
			"language": p.Language, "dir": dir, "rules": rules,
		}
	}
	return out
}

// polishOneLetter is a one-letter Polish word (i, w, z, o, u, a) and the
// space after it.
var polishOneLetter = regexp.MustCompile(`(^|\s)([aiouwzAIOUWZ])\s+`)

// typeset applies the poster language's rules of typesetting to a rule's
// text: in Polish a one-letter word never ends a line.
func (p *Poster) typeset(text string) string {
	if primary, _, _ := strings.Cut(p.Language, "-"); primary == "pl" {
		return polishOneLetter.ReplaceAllString(text, "${1}${2}\u00a0")
	}
	return text
}

// Site is what posters are checked against: the site folder, the icons it
// has, and the policies rules can come from.
type Site struct {
	Dir string
	// Icons are the pictures rules can start with, sorted by name;
	// IconNames their names.
	Icons     []Icon
	IconNames []string
	// policies by slug, split into the rules under each heading on first use.
	policies map[string]*policyRules
	slugs    []string // sorted
}

type policyRules struct {
	p        *policy.Policy
	sections map[string]*section // by heading id; nil until first used
}

type section struct {
	heading policy.Heading
	rules   []Rule
	probs   []school.Finding
	// seen is set once the section's own mistakes have been reported.
	seen bool
}

// NewSite prepares the checks of the posters of the site in dir, whose
// policies (as check read them, with the headings Hugo gives them) rules
// can come from.
func NewSite(dir string, policies []*policy.Policy) (*Site, []school.Finding) {
	icons, err := ReadIcons(dir)
	var probs []school.Finding
	if err != nil {
		probs = append(probs, school.Finding{File: "static/icons", Severity: school.Error, Message: err.Error()})
	}
	s := &Site{Dir: dir, Icons: icons, IconNames: iconNames(icons), policies: map[string]*policyRules{}}
	for _, p := range policies {
		if s.policies[p.Slug] == nil { // the first of duplicates, as check does
			s.policies[p.Slug] = &policyRules{p: p}
			s.slugs = append(s.slugs, p.Slug)
		}
	}
	sort.Strings(s.slugs)
	return s, probs
}

// Files lists the poster files of the site: content/posters/**/*.md but the
// section page _index.md.
func Files(dir string) ([]string, error) {
	root := filepath.Join(dir, "content", "posters")
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root && os.IsNotExist(err) {
				return filepath.SkipAll
			}
			return err
		}
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); (ext == ".md" || ext == ".markdown") && !strings.HasPrefix(d.Name(), "_index.") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading content/posters: %w", err)
	}
	sort.Strings(files)
	return files, nil
}

// Load reads and checks every poster of the site.
func (s *Site) Load() ([]*Poster, []school.Finding) {
	files, err := Files(s.Dir)
	if err != nil {
		return nil, []school.Finding{{File: "content/posters", Severity: school.Error, Message: err.Error()}}
	}
	var posters []*Poster
	var probs []school.Finding
	for _, f := range files {
		p, pr := s.Parse(f)
		probs = append(probs, pr...)
		if p != nil {
			posters = append(posters, p)
		}
	}
	return posters, probs
}

var (
	langRe   = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
	posterFM = []string{"title", "key_stage", "paper", "orientation", "language", "rules_from", "translates"}
	// Hugo's own keys, allowed in a poster too.
	hugoKeys = []string{"aliases", "build", "date", "description", "draft", "expirydate", "keywords", "lastmod",
		"linktitle", "outputs", "params", "publishdate", "sitemap", "slug", "summary", "translationkey", "url", "weight"}
)

// Parse reads and checks one poster file.
func (s *Site) Parse(path string) (*Poster, []school.Finding) {
	pp, probs := (&policy.Parser{Root: s.Dir}).ParsePage(path) // the front matter, and the body as written
	if pp == nil {
		return nil, probs
	}
	p := &Poster{File: pp.File, Lines: pp.FieldLines, Paper: "A4", Orientation: "portrait", Language: "en"}
	if pp.FrontMatter == nil {
		if probs = school.Only(probs, school.Error); len(probs) == 0 {
			probs = append(probs, school.Errorf(p.File, 1, "a poster starts with its front matter: a line with ---, then title, key_stage, paper, orientation and language, each on its own line, then rules_from or the rules, then --- again (see content/posters/ks1-a4-en.md in the example school)"))
		}
		return p, probs
	}
	fm := &fields{p: p, values: map[string]any{}}
	for k, v := range pp.FrontMatter {
		fm.values[strings.ToLower(k)] = v
	}
	fm.read()
	probs = append(fm.probs, s.readRules(p, pp)...)
	for _, r := range p.Rules {
		probs = append(probs, s.checkIcon(r)...)
	}
	return p, probs
}

// fields reads a poster's front matter into it.
type fields struct {
	p      *Poster
	values map[string]any // by lower-case key
	probs  []school.Finding
}

func (f *fields) line(k string) int {
	if l := f.p.Lines[k]; l > 0 {
		return l
	}
	return 1
}

func (f *fields) errorf(k, format string, args ...any) {
	f.probs = append(f.probs, school.Errorf(f.p.File, f.line(k), format, args...))
}

// str is a field's text, and whether it is there at all.
func (f *fields) str(k string) (string, bool) {
	v, ok := f.values[k]
	if !ok || v == nil {
		return "", false
	}
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v), true
	case bool, int, int64, uint64, float64:
		return fmt.Sprint(v), true
	}
	f.errorf(k, "%s must be a single value, like %s", k, example(k))
	return "", false
}

func (f *fields) read() {
	p := f.p
	if d, ok := f.values["draft"].(bool); ok {
		p.Draft = d
	}
	if v, _ := f.str("title"); v != "" {
		p.Title = v
	} else {
		f.errorf("title", "the poster has no title: add %s (it is printed large at the top of the poster)", example("title"))
	}
	f.readKeyStage()
	f.readSheet()
	if v, ok := f.str("language"); ok && v != "" {
		if langRe.MatchString(v) {
			p.Language = strings.ToLower(v)
		} else {
			f.errorf("language", "language %q is not a language code: use a short code such as en (English), pl (Polish) or ur (Urdu)", v)
		}
	}
	p.RulesFrom = f.ref("rules_from")
	p.Translates = f.ref("translates")
	f.unknownKeys()
}

func (f *fields) readKeyStage() {
	v, ok := f.str("key_stage")
	if !ok || v == "" {
		f.errorf("key_stage", "the poster has no key_stage: add %s; it is one of %s and sets the type size and the reading level", example("key_stage"), strings.Join(KeyStages, ", "))
		return
	}
	if ks := strings.ToUpper(strings.Join(strings.Fields(v), "")); slices.Contains(KeyStages, ks) || ks == "EYFS+KS1" {
		f.p.KeyStage = strings.Replace(ks, "+", "/", 1)
		return
	}
	f.errorf("key_stage", "key_stage %q is not one the posters know: use one of %s", v, strings.Join(KeyStages, ", "))
}

func (f *fields) readSheet() {
	if v, ok := f.str("paper"); !ok || v == "" {
		f.errorf("paper", "the poster has no paper size: add %s (or paper: A3)", example("paper"))
	} else if _, known := papers[strings.ToUpper(v)]; known {
		f.p.Paper = strings.ToUpper(v)
	} else {
		f.errorf("paper", "paper %q is not a size the posters are made for: use A4 or A3", v)
	}
	if v, ok := f.str("orientation"); ok && v != "" {
		if o := strings.ToLower(v); o == "portrait" || o == "landscape" {
			f.p.Orientation = o
		} else {
			f.errorf("orientation", "orientation %q: use portrait (taller than wide) or landscape (wider than tall)", v)
		}
	}
}

// ref reads rules_from or translates: a policy and a heading id, SLUG#ANCHOR.
func (f *fields) ref(k string) *Ref {
	v, ok := f.str(k)
	if !ok {
		return nil
	}
	r, ok := school.ParseRef(v)
	if !ok || r.Anchor == "" {
		f.errorf(k, "%s %q should name a policy and the id of a heading in it, joined by #, like %s: the policy is content/policies/pupil-acceptable-use.md and the rules are the list under its heading {#ks1-rules}", k, v, example(k))
		return nil
	}
	return &Ref{Ref: r, Raw: v, Line: f.line(k)}
}

// unknownKeys warns about fields a poster does not have: a typo such as
// "papper" silently leaves the real field at its default.
func (f *fields) unknownKeys() {
	for k := range f.values {
		if slices.Contains(posterFM, k) || slices.Contains(hugoKeys, k) {
			continue
		}
		hint := ""
		if m := policy.Suggest(k, posterFM, 1); len(m) > 0 {
			hint = fmt.Sprintf("did you mean %s? ", m[0])
		}
		f.probs = append(f.probs, school.Warnf(f.p.File, f.line(k), "%s is not a poster field, so it changes nothing: %sa poster has %s", k, hint, strings.Join(posterFM, ", ")))
	}
}

// readRules takes the poster's rules from its body, or from the policy
// rules_from names, and checks what translates names.
func (s *Site) readRules(p *Poster, pp *policy.Policy) []school.Finding {
	var probs []school.Finding
	body, _ := markdown.Normalize([]byte(pp.Body))
	own, bodyProbs := parseRules(p.File, string(body), pp.BodyLine, true)
	switch {
	case p.RulesFrom != nil && len(own) > 0:
		probs = append(probs, school.Errorf(p.File, own[0].Line, "this poster takes its rules from %s (line %d), so its own rules here would be left out: delete them, or delete the rules_from line to use these instead", p.RulesFrom.Raw, p.RulesFrom.Line))
	case p.RulesFrom != nil:
		probs = append(probs, bodyProbs...)
		rules, rprobs := s.rulesAt(p.File, p.RulesFrom)
		p.Rules = rules
		probs = append(probs, rprobs...)
	default:
		probs = append(probs, bodyProbs...)
		p.Rules = own
		if len(own) == 0 && len(bodyProbs) == 0 {
			probs = append(probs, school.Errorf(p.File, pp.BodyLine-1, "the poster has no rules: write them below the front matter, one per line, like\n    - :padlock: I keep my password secret.\nor take them from the pupil acceptable use policy with %s", example("rules_from")))
		}
	}
	if p.Translates != nil {
		if _, tprobs := s.rulesAt(p.File, p.Translates); len(tprobs) > 0 {
			probs = append(probs, tprobs...)
		}
	}
	return probs
}

// checkIcon reports an icon name the site has no picture for.
func (s *Site) checkIcon(r Rule) []school.Finding {
	if slices.Contains(s.IconNames, r.Icon) {
		return nil
	}
	hint := ""
	if m := policy.Suggest(r.Icon, s.IconNames, 2); len(m) > 0 {
		hint = fmt.Sprintf("did you mean :%s:? ", strings.Join(m, ": or :"))
	}
	return []school.Finding{school.Errorf(r.File, r.Line, "unknown icon :%s: (the site has no picture of that name): %sthe icons are %s; or draw your own as static/icons/%s.svg",
		r.Icon, hint, strings.Join(s.IconNames, ", "), r.Icon)}
}

// rulesAt returns the rules under the heading ref points at. Mistakes in
// the policy are reported at the policy's lines, with the poster named.
func (s *Site) rulesAt(posterFile string, ref *Ref) ([]Rule, []school.Finding) {
	pr := s.policies[ref.Policy]
	if pr == nil {
		hint := ""
		if m := policy.Suggest(ref.Policy, s.slugs, 2); len(m) > 0 {
			hint = fmt.Sprintf("did you mean %s? ", strings.Join(m, " or "))
		}
		return nil, []school.Finding{school.Errorf(posterFile, ref.Line, "there is no policy %q (content/policies/%s.md): %sthe policies are %s",
			ref.Policy, ref.Policy, hint, strings.Join(s.slugs, ", "))}
	}
	ref.File = pr.p.File
	sec := pr.section(ref.Anchor)
	if sec == nil {
		var ids []string
		for _, h := range pr.p.Headings {
			if h.ID != "" {
				ids = append(ids, h.ID)
			}
		}
		hint := ""
		if m := policy.Suggest(ref.Anchor, ids, 2); len(m) > 0 {
			hint = fmt.Sprintf("did you mean #%s? ", strings.Join(m, " or #"))
		}
		return nil, []school.Finding{school.Errorf(posterFile, ref.Line, "%s has no heading with the id %q: %sits headings' ids are %s; give the heading of the rules an id like ## Our rules for Key Stage 1 {#ks1-rules}",
			pr.p.File, ref.Anchor, hint, strings.Join(ids, ", "))}
	}
	var probs []school.Finding
	if !sec.seen {
		// Report a policy's own mistakes once, even if two posters use it.
		sec.seen = true
		for _, p := range sec.probs {
			p.Message += fmt.Sprintf(" (the poster %s takes its rules from here)", posterFile)
			probs = append(probs, p)
		}
	}
	if len(sec.rules) == 0 {
		probs = append(probs, school.Errorf(posterFile, ref.Line, "the section %q of %s (line %d) has no rules: the poster takes the bullet list under that heading, each item starting with an icon, like - :padlock: I keep my password secret.",
			sec.heading.Text, pr.p.File, sec.heading.Line))
	}
	return sec.rules, probs
}

// section returns the rules under the heading with this id, splitting the
// policy into its sections on first use.
func (pr *policyRules) section(id string) *section {
	if pr.sections != nil {
		return pr.sections[id]
	}
	pr.sections = map[string]*section{}
	p := pr.p
	// The headings' lines are those of the repaired body, as built.
	body, _ := markdown.Normalize([]byte(p.Body))
	lines := strings.Split(string(body), "\n")
	for i, h := range p.Headings {
		if h.ID == "" {
			continue
		}
		end := p.BodyLine + len(lines) // file line after the body
		if i+1 < len(p.Headings) {
			end = p.Headings[i+1].Line
		}
		from := h.Line + 1 - p.BodyLine // index into lines
		to := end - p.BodyLine
		if from < 0 || to > len(lines) || from > to {
			continue
		}
		rules, probs := parseRules(p.File, strings.Join(lines[from:to], "\n"), h.Line+1, false)
		pr.sections[h.ID] = &section{heading: h, rules: rules, probs: probs}
	}
	return pr.sections[id]
}

var (
	itemRe  = regexp.MustCompile(`^( {0,3})(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$`)
	iconRe  = regexp.MustCompile(`^:([^:\s]+):(?:[ \t]+(.*))?$`)
	nameRe  = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	fenceRe = regexp.MustCompile("^ {0,3}(```|~~~)")
)

// parseRules reads the list items of a piece of Markdown whose first line is
// file line first. In a poster's body (strict) everything must be a rule; in
// a policy's section other paragraphs are allowed and left out.
func parseRules(file, md string, first int, strict bool) ([]Rule, []school.Finding) {
	var rules []Rule
	var probs []school.Finding
	lines := strings.Split(md, "\n")
	var cur *Rule      // the rule being read, for continuation lines
	var itemIndent int // where the current item's text starts
	inComment := false
	inFence := false
	blankBefore := false
	for i, raw := range lines {
		line := strings.TrimRight(raw, " \t\r")
		n := first + i
		switch {
		case inComment:
			if strings.Contains(line, "-->") {
				inComment = false
			}
			continue
		case inFence:
			if fenceRe.MatchString(line) {
				inFence = false
			}
			continue
		}
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			blankBefore = true
			continue
		}
		if strings.HasPrefix(trimmed, "<!--") {
			if !strings.Contains(trimmed, "-->") {
				inComment = true
			}
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " \t"))
		if m := itemRe.FindStringSubmatch(line); m != nil {
			// A list item. Indented further than the current item's text,
			// it would be a list inside a rule.
			if cur != nil && indent >= itemIndent {
				probs = append(probs, school.Errorf(file, n, "a rule cannot have a list inside it: make %q a rule of its own, starting at the beginning of the line", trimmed))
				continue
			}
			cur = nil
			text := strings.TrimSpace(m[2])
			itemIndent = indent + 2
			im := iconRe.FindStringSubmatch(text)
			if im == nil {
				probs = append(probs, school.Errorf(file, n, "this rule has no icon: start it with the name of its picture between colons, like - :padlock: %s", orExample(text)))
				continue
			}
			name, rest := im[1], strings.TrimSpace(im[2])
			if !nameRe.MatchString(name) {
				probs = append(probs, school.Errorf(file, n, "icon names are written in small letters with hyphens, like :ask-before-click:, not :%s:", name))
				continue
			}
			if rest == "" {
				probs = append(probs, school.Errorf(file, n, "the rule with the icon :%s: has no words: write the rule after the icon, like - :%s: I keep my password secret.", name, name))
				continue
			}
			rules = append(rules, Rule{Icon: name, Text: rest, File: file, Line: n})
			cur = &rules[len(rules)-1]
			blankBefore = false
			continue
		}
		if fenceRe.MatchString(line) {
			inFence = true
			cur = nil
			if strict {
				probs = append(probs, school.Errorf(file, n, "a poster's body holds only its rules: remove this code block"))
			}
			continue
		}
		if cur != nil && (!blankBefore || indent >= itemIndent) && !strings.HasPrefix(trimmed, "#") {
			// The rule goes on over this line.
			if blankBefore {
				probs = append(probs, school.Errorf(file, n, "a rule is one paragraph: join this line to the rule above (line %d), or remove the blank line before it", cur.Line))
				continue
			}
			cur.Text += " " + trimmed
			continue
		}
		cur = nil
		blankBefore = false
		if strict {
			probs = append(probs, school.Errorf(file, n, "%q is not a rule: a poster's body holds only its rules, one per line, each starting with - and its icon, like - :padlock: I keep my password secret. (The title goes in the front matter.)", short(trimmed, 60)))
		}
	}
	return rules, probs
}

func orExample(text string) string {
	if text == "" {
		return "I keep my password secret."
	}
	return short(text, 50)
}

func short(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

var examples = map[string]string{
	"title":       `title: "Our rules for staying safe online"`,
	"key_stage":   `key_stage: EYFS/KS1`,
	"paper":       `paper: A4`,
	"orientation": `orientation: portrait`,
	"language":    `language: en`,
	"rules_from":  `rules_from: pupil-acceptable-use#ks1-rules`,
	"translates":  `translates: pupil-acceptable-use#ks1-rules`,
}

func example(k string) string { return examples[k] }

// Advice returns the warnings about a poster that do not stop the build:
// rules too long for the key stage, and a translation whose original rules
// have changed since.
func (s *Site) Advice(p *Poster) []school.Finding {
	var out []school.Finding
	if max := p.MaxWords(); max > 0 {
		for _, r := range p.Rules {
			n := Words(r.Text)
			if n <= max {
				continue
			}
			used := ""
			if r.File != p.File {
				used = fmt.Sprintf(" (the poster %s uses it)", p.File)
			}
			out = append(out, school.Warnf(r.File, r.Line, "this rule has %d words; a rule on a %s poster should have at most %d, so that children can read it themselves%s: say it more simply, or split it into two rules",
				n, p.KeyStage, max, used))
		}
	}
	unknown := slices.ContainsFunc(p.Rules, func(r Rule) bool { return !slices.Contains(s.IconNames, r.Icon) })
	if t := p.Translates; t != nil && !unknown { // a misspelt icon is an error of its own
		orig, probs := s.rulesAt(p.File, t)
		if len(probs) == 0 && len(orig) > 0 {
			if msg := drift(orig, p.Rules); msg != "" {
				out = append(out, school.Warnf(p.File, t.Line, "this poster translates the rules in %s, which have changed since: %s. Update the translation, keeping the rules in the same order with the same icons.", t, msg))
			}
		}
	}
	return out
}

// drift says how a translation's rules differ from the original's, by
// their icons, or "" when they match.
func drift(orig, tr []Rule) string {
	for i := range min(len(orig), len(tr)) {
		if orig[i].Icon != tr[i].Icon {
			return fmt.Sprintf("rule %d there is :%s: “%s” (line %d), here it is :%s: (line %d)",
				i+1, orig[i].Icon, short(orig[i].Text, 50), orig[i].Line, tr[i].Icon, tr[i].Line)
		}
	}
	switch {
	case len(orig) > len(tr):
		o := orig[len(tr)]
		return fmt.Sprintf("it has %d rules and this poster %d; the first one missing here is :%s: “%s” (line %d)", len(orig), len(tr), o.Icon, short(o.Text, 50), o.Line)
	case len(orig) < len(tr):
		return fmt.Sprintf("it has %d rules and this poster %d: the rule on line %d is not there any more", len(orig), len(tr), tr[len(orig)].Line)
	}
	return ""
}

var (
	shortcodeRe = regexp.MustCompile(`\{\{[<%].*?[%>]\}\}`)
	linkRe      = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
)

// Words counts the words of a rule as a reader sees them: a shortcode such
// as {{< school "name" >}} counts as one, a link as its text, and
// punctuation standing alone not at all.
func Words(md string) int {
	md = shortcodeRe.ReplaceAllString(md, " x ")
	md = linkRe.ReplaceAllString(md, "$1")
	n := 0
	for _, w := range strings.Fields(md) {
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				n++
				break
			}
		}
	}
	return n
}
