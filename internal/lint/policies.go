package lint

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/policysite/policysite/internal/policy"
	"github.com/policysite/policysite/internal/school"
)

// checkOwners: the owner must be a role in [params.school], or the policy
// page and the governors' schedule show no owner.
func checkOwners(s *Site) []school.Finding {
	if s.School == nil {
		return nil
	}
	roles := s.School.Roles()
	var out []school.Finding
	for _, p := range s.Policies {
		if p.Owner == "" || slices.Contains(roles, strings.ToLower(p.Owner)) {
			continue
		}
		hint := ""
		if m := policy.Suggest(p.Owner, roles, 2); len(m) > 0 {
			hint = fmt.Sprintf("did you mean %s? ", strings.Join(m, " or "))
		}
		out = append(out, school.Errorf(p.File, p.FieldLines["owner"],
			"owner %q is not a role in %s: %suse one of %s (each is a [params.school.ROLE] table with role and name), or add [params.school.%s] with role = \"…\" and name = \"…\"",
			p.Owner, s.Config.File, hint, strings.Join(roles, ", "), strings.ToLower(p.Owner)))
	}
	return out
}

// checkRelatedDrafts: a related policy that is a draft is not published, so
// the "related policies" list would link to nothing.
func checkRelatedDrafts(s *Site) []school.Finding {
	var out []school.Finding
	for _, p := range s.Policies {
		for _, r := range p.Related {
			if t := s.bySlug[r]; t != nil && t.Draft && !p.Draft {
				out = append(out, school.Warnf(p.File, p.FieldLines["related"],
					"related lists %q, which is a draft (draft: true in %s), so it is not published: publish it or take it out of related", r, t.File))
			}
		}
	}
	return out
}

func checkPlaceholders(s *Site) []school.Finding {
	var out []school.Finding
	for _, p := range append(append([]*policy.Policy{}, s.Policies...), s.Pages...) {
		for _, ph := range p.Placeholders {
			where := ""
			if ph.Field != "" {
				where = fmt.Sprintf(" in the %s field", ph.Field)
			}
			var msg string
			switch ph.Kind {
			case policy.Redaction:
				msg = fmt.Sprintf("%q%s is a blacked-out gap left from a template: replace it with the school's own text", ph.Text, where)
			case policy.Bracketed:
				msg = fmt.Sprintf("%q%s looks like a template placeholder still to fill in: replace it with the real text (for school details use a variable, e.g. {{< school \"name\" >}}); if it is meant as a link, write [text](address)", ph.Text, where)
			case policy.AngleBracket:
				msg = fmt.Sprintf("%q%s looks like a template placeholder, and the website would show nothing there (text in <angle brackets> is taken as HTML and left out): replace it with the real text", ph.Text, where)
			default:
				msg = fmt.Sprintf("%q%s marks text still to be written: finish it and remove the marker before publishing", ph.Text, where)
			}
			out = append(out, school.Errorf(p.File, ph.Line, "%s", msg))
		}
	}
	return out
}

// checkHeadings: heading levels must not skip (screen-reader users move
// through a page by its heading outline), the page title is the only h1, and
// two headings must not share an explicit id.
func checkHeadings(s *Site) []school.Finding {
	var out []school.Finding
	for _, p := range append(append([]*policy.Policy{}, s.Policies...), s.Pages...) {
		prev := 1 // the theme shows the title as the page's h1
		explicit := map[string]int{}
		for _, h := range p.Headings {
			switch {
			case h.Level == 1:
				out = append(out, school.Warnf(p.File, h.Line,
					"the heading %q is a top-level heading (#), but the page title is already the top-level heading: use ## for sections, ### for their parts", h.Text))
			case h.Level > prev+1:
				out = append(out, school.Warnf(p.File, h.Line,
					"the heading %q jumps from level %d to level %d, which confuses people using screen readers: make it %s, or add the missing level above it",
					h.Text, prev, h.Level, strings.Repeat("#", prev+1)))
			}
			prev = h.Level
			if h.Explicit {
				if first, dup := explicit[h.ID]; dup {
					out = append(out, school.Errorf(p.File, h.Line,
						"the id {#%s} is already used by the heading on line %d: links and quiz references reach only the first; give this heading a different id", h.ID, first))
				} else {
					explicit[h.ID] = h.Line
				}
			}
			if m := badIDRe.FindStringSubmatch(h.Text); m != nil && !h.Explicit {
				out = append(out, school.Warnf(p.File, h.Line,
					"the heading shows %q as text, because an id cannot contain spaces or other punctuation: write {#%s}", m[0], s.md.AnchorID(m[1])))
			}
			if !h.Explicit && !hasWord(shortcodeRe.ReplaceAllString(h.Text, "x")) {
				out = append(out, school.Warnf(p.File, h.Line,
					"the heading %q has no words: screen readers read out the names of its symbols, and its web address (#%s) says nothing, so links and quizzes cannot cite it: write the section's name in words (an emoji may stay beside it)",
					h.Text, h.ID))
			}
			if h.Unstable {
				out = append(out, school.Warnf(p.File, h.Line,
					"the heading \"%s\" contains a {{< … >}} shortcode, so Hugo gives it an id that can change at every build and links or quiz references to it break: use {{%% school \"…\" %%}} in headings, or give the heading a fixed id, e.g. ## %s {#%s}",
					h.Text, h.Text, s.suggestID(h.Text)))
			}
		}
	}
	return out
}

var badIDRe = regexp.MustCompile(`\{#([^{}]*)\}\s*$`)

var shortcodeRe = regexp.MustCompile(`\{\{[<%].*?[>%]\}\}`)

// suggestID proposes a fixed id for a heading whose automatic one is unstable:
// the id of its text without the shortcodes.
func (s *Site) suggestID(text string) string {
	id := s.md.AnchorID(strings.Join(strings.Fields(shortcodeRe.ReplaceAllString(text, " ")), " "))
	if id == "" || id == "heading" {
		return "section"
	}
	return id
}

func checkReviewDates(s *Site) []school.Finding {
	var out []school.Finding
	y, m, d := s.opt.Now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	for _, p := range s.Policies {
		if p.Review.IsZero() || !p.Review.After(p.Adopted) {
			continue // missing, malformed or before adoption: already an error
		}
		line := p.FieldLines["review"]
		date := p.Review.Format("2 January 2006")
		days := int(p.Review.Sub(today).Hours() / 24)
		switch p.ReviewStatus(s.opt.Now, s.opt.WarnDays) {
		case policy.Overdue:
			f := school.Warnf(p.File, line,
				"the review date %s has passed (%s ago): review the policy with the %s, then set review: to the next review date (and update adopted: and version: if the text changed)",
				date, plural(-days, "day"), ownerWord(p))
			if s.opt.Strict {
				f.Severity = school.Error
			}
			out = append(out, f)
		case policy.DueSoon:
			when := "today"
			if days > 0 {
				when = "in " + plural(days, "day")
			}
			out = append(out, school.Warnf(p.File, line,
				"the review is due on %s, %s: plan the review with the %s and set review: to the next date once it is done",
				date, when, ownerWord(p)))
		}
	}
	return out
}

func ownerWord(p *policy.Policy) string {
	if p.Owner != "" {
		return "owner (" + p.Owner + ")"
	}
	return "policy owner"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// checkPastedMarkdown reports what the build repairs in pasted text (bare
// headings, bullet glyphs, one-space nesting) so the source can be tidied.
func checkPastedMarkdown(s *Site) []school.Finding {
	var out []school.Finding
	for _, p := range append(append([]*policy.Policy{}, s.Policies...), s.Pages...) {
		for _, r := range p.Repairs {
			out = append(out, school.Warnf(p.File, r.Line, "%s", r.Message))
		}
	}
	return out
}

// Files in content/policies that are not Markdown are not policies: Hugo
// publishes them as they are (a .txt at /policies/NAME.txt) and the policy
// the author meant is missing from the site.
var wordProcessorFiles = []string{".txt", ".text", ".doc", ".docx", ".rtf", ".odt", ".pages", ".htm", ".html"}

func checkStrayFiles(s *Site) []school.Finding {
	dir := filepath.Join(s.Dir, "content", "policies")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // a missing folder is reported already
	}
	var out []school.Finding
	for _, e := range entries {
		name := e.Name()
		ext := strings.ToLower(filepath.Ext(name))
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") || ext == ".md" || ext == ".markdown" {
			continue
		}
		file := "content/policies/" + name
		slug := s.md.AnchorID(strings.TrimSuffix(name, filepath.Ext(name)))
		if slices.Contains(wordProcessorFiles, ext) {
			out = append(out, school.Errorf(file, 0,
				"this %s file is not read as a policy (only .md files are), and the website would publish it as it is, at /policies/%s: if it is a policy, save it as plain text named %s.md with the policy fields at the top (`policysite new policy %s` makes such a file to paste the text into); if not, move it out of content/policies",
				ext, name, slug, slug))
			continue
		}
		out = append(out, school.Warnf(file, 0,
			"this file is not a policy (only .md files are), and the website publishes it as it is, at /policies/%s: files to download go in static/files/ (linked as /files/%s), pictures in static/images/",
			name, name))
	}
	return out
}

// checkMisplacedPolicies: a policy saved outside content/policies is built as
// a plain page: not listed with the policies, not on the review schedule, and
// its fields are not checked.
func checkMisplacedPolicies(s *Site) []school.Finding {
	var out []school.Finding
	for _, p := range s.Pages {
		if strings.HasPrefix(p.File, "content/policies/") {
			continue
		}
		n := 0
		for k := range p.FrontMatter {
			switch strings.ToLower(k) {
			case "audience", "owner", "adopted", "adopted_by", "review", "version", "related":
				n++
			}
		}
		if n < 3 {
			continue
		}
		name := path.Base(p.File)
		out = append(out, school.Warnf(p.File, 1,
			"this looks like a policy, but it is not in content/policies/, so the website shows it as a plain page: it is not listed with the policies or on the review schedule, and its fields are not checked; move it to content/policies/%s",
			name))
	}
	return out
}

// checkPastedHTML: the site leaves HTML out, and the text inside it with it,
// so a table or paragraph pasted as HTML silently disappears from the page.
func checkPastedHTML(s *Site) []school.Finding {
	var out []school.Finding
	for _, p := range append(append([]*policy.Policy{}, s.Policies...), s.Pages...) {
		for _, line := range p.HTMLLines {
			out = append(out, school.Warnf(p.File, line,
				"this is HTML (as pasted from a web page or Word), which the website leaves out, with any text inside it: write it in Markdown instead (**bold**, lists with -, tables with | cells |, links as [text](address)) or delete it"))
		}
	}
	return out
}

func hasWord(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// checkTitles: two policies with one title look like one policy listed twice
// on the home page, the schedule and in search; and a policy with no text
// would be published as an empty page.
func checkTitles(s *Site) []school.Finding {
	var out []school.Finding
	seen := map[string]*policy.Policy{}
	for _, p := range s.Policies {
		if strings.TrimSpace(p.Body) == "" && p.FrontMatter != nil {
			out = append(out, school.Errorf(p.File, p.BodyLine-1,
				"the policy has no text, only its fields, so its page would be empty: write the policy below this closing --- line (## headings for its sections)"))
		}
		key := strings.ToLower(strings.Join(strings.Fields(p.Title), " "))
		if key == "" {
			continue
		}
		if first := seen[key]; first != nil {
			out = append(out, school.Warnf(p.File, p.FieldLines["title"],
				"the title %q is also the title of %s, so readers see two policies with one name in the lists, the review schedule and search: give each its own title", p.Title, first.File))
			continue
		}
		seen[key] = p
	}
	return out
}
