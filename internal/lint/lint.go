// Package lint is `policysite check`: it reads a whole site (config, policies,
// other pages, quizzes) and reports everything a Designated Safeguarding Lead
// should fix before publishing, each as "file:line: severity: message" with
// what is wrong and how to fix it. The build runs the same checks and stops
// on errors.
package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/policysite/policysite/internal/hugo"
	"github.com/policysite/policysite/internal/markdown"
	"github.com/policysite/policysite/internal/policy"
	"github.com/policysite/policysite/internal/poster"
	"github.com/policysite/policysite/internal/school"
)

// Options tune a check.
type Options struct {
	// Strict makes a passed review date an error instead of a warning.
	Strict bool
	// Now is the day review dates are compared with; zero means today.
	Now time.Time
	// WarnDays is how many days before its review date a policy is reported
	// as due soon; 0 means params.review_warning_days from the config, or 60.
	WarnDays int
}

// Site is a loaded site, shared by the checks.
type Site struct {
	Dir      string
	Config   *policy.Config
	School   *policy.School // nil when the config has no [params.school]
	Policies []*policy.Policy
	// Pages are the other Markdown pages under content/ (home, staff area,
	// accessibility statement, posters): school variables, placeholders and
	// links into policies are checked there too.
	Pages []*policy.Policy
	// Posters are the classroom posters in content/posters, as far as they
	// could be read; the build prints these.
	Posters []*poster.Poster
	// Icons are the pictures rules start with (static/icons), the theme's
	// and the site's own.
	Icons []poster.Icon

	opt      Options
	md       *hugo.Markdown
	bySlug   map[string]*policy.Policy
	anchors  map[*policy.Policy]map[string]bool
	byFile   map[string]*policy.Policy // "content/policies/x.md" -> policy
	allSlugs []string
}

// HasPolicy reports whether a policy with this slug exists (quiz.PolicyIndex).
func (s *Site) HasPolicy(slug string) bool { return s.bySlug[slug] != nil }

// HasAnchor reports whether the policy has a heading with this id
// (quiz.PolicyIndex). Ids are those Hugo will give the headings.
func (s *Site) HasAnchor(slug, anchor string) bool {
	p := s.bySlug[slug]
	return p != nil && s.hasAnchor(p, anchor)
}

// hasAnchor also says yes when the answer cannot be known: a page with a
// heading whose id depends on shortcode output we cannot predict (such as a
// school variable when the config is missing, which is reported already)
// might have the anchor.
func (s *Site) hasAnchor(p *policy.Policy, anchor string) bool {
	if s.anchors[p][anchor] {
		return true
	}
	for _, h := range p.Headings {
		if h.Guessed && !h.Unstable {
			return true
		}
	}
	return false
}

// siteChecks are every check, in the order they run: to add one, write a
// func(*Site) []school.Finding in a file of this package and list it here.
var siteChecks = []func(*Site) []school.Finding{
	checkOwners,
	checkTitles,
	checkStrayFiles,
	checkMisplacedPolicies,
	checkRelatedDrafts,
	checkSchoolVariables,
	checkSchoolContacts,
	checkShortcodeNames,
	checkPlaceholders,
	checkHeadings,
	checkLinks,
	checkImages,
	checkReviewDates,
	checkPastedMarkdown,
	checkPastedHTML,
	checkQuizzes,
	checkPosters,
}

// Check reads the site in siteDir and returns its findings sorted by file
// and line. The error is only for a site that cannot be read at all (no such
// folder); everything wrong inside it is a school.Finding.
func Check(siteDir string, opt Options) ([]school.Finding, error) {
	_, findings, err := Run(siteDir, opt)
	return findings, err
}

// Run is Check that also returns the site it read, for the build to publish
// from: what check read is what is built, not read a second time.
func Run(siteDir string, opt Options) (*Site, []school.Finding, error) {
	site, findings, err := Load(siteDir, opt)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range siteChecks {
		findings = append(findings, c(site)...)
	}
	return site, school.Sort(findings), nil
}

// Load reads the config and every content page of the site, reporting what
// cannot be read or is malformed on its own.
func Load(siteDir string, opt Options) (*Site, []school.Finding, error) {
	st, err := os.Stat(siteDir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("there is no site folder at %s: give the folder that holds config.toml and content/, or make one with `policysite init %s`", siteDir, siteDir)
		}
		return nil, nil, fmt.Errorf("cannot read the site folder: %w", err)
	}
	if !st.IsDir() {
		return nil, nil, fmt.Errorf("the site %s is a file, not a folder: give the folder that holds config.toml and content/", siteDir)
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	cfg, findings, err := policy.LoadConfig(siteDir)
	if err != nil {
		return nil, nil, err
	}
	if opt.WarnDays <= 0 {
		opt.WarnDays = cfg.ReviewWarningDays
	}
	if opt.WarnDays <= 0 {
		opt.WarnDays = 60
	}
	site := &Site{Dir: siteDir, Config: cfg, School: cfg.School, opt: opt, md: siteMarkdown(siteDir)}
	parser := &policy.Parser{Root: siteDir, Normalize: normalize, Markdown: site.md}
	if cfg.School != nil {
		parser.School = cfg.School
	}

	polDir := filepath.Join(siteDir, "content", "policies")
	if st, err := os.Stat(polDir); err != nil || !st.IsDir() {
		findings = append(findings, school.Finding{File: "content/policies", Severity: school.Error,
			Message: "there is no content/policies folder: policies go there, one Markdown file each; create one with `policysite new policy SLUG`"})
	} else {
		pols, probs := parser.LoadDir(polDir)
		site.Policies = pols
		findings = append(findings, probs...)
		if len(pols) == 0 {
			findings = append(findings, school.Finding{File: "content/policies", Severity: school.Warning,
				Message: "there are no policies yet: add one with `policysite new policy SLUG`"})
		}
	}
	pages, probs, err := loadPages(parser, siteDir, polDir)
	if err != nil {
		return nil, nil, err
	}
	site.Pages = pages
	findings = append(findings, probs...)
	site.index()
	return site, findings, nil
}

// siteMarkdown is Hugo's Markdown as the site configures it, or Hugo's
// defaults when the config cannot be read (that is reported already).
func siteMarkdown(siteDir string) *hugo.Markdown {
	if md, err := hugo.NewMarkdown(siteDir); err == nil {
		return md
	}
	return hugo.DefaultMarkdown()
}

// normalize applies the build's repairs of pasted Markdown, so headings that
// only exist after the repair get their ids here too.
func normalize(body []byte) ([]byte, []policy.Repair) {
	out, fixes := markdown.Normalize(body)
	repairs := make([]policy.Repair, len(fixes))
	for i, f := range fixes {
		repairs[i] = policy.Repair{Line: f.Line, Message: f.Message}
	}
	return out, repairs
}

func (s *Site) index() {
	s.bySlug = map[string]*policy.Policy{}
	s.anchors = map[*policy.Policy]map[string]bool{}
	s.byFile = map[string]*policy.Policy{}
	for _, p := range append(append([]*policy.Policy{}, s.Policies...), s.Pages...) {
		ids := map[string]bool{}
		for _, h := range p.Headings {
			if h.ID != "" {
				ids[h.ID] = true
			}
		}
		s.anchors[p] = ids
		s.byFile[p.File] = p
	}
	for _, p := range s.Policies {
		if s.bySlug[p.Slug] == nil { // the first of duplicates wins; LoadDir reports the clash
			s.bySlug[p.Slug] = p
			s.allSlugs = append(s.allSlugs, p.Slug)
		}
	}
}

// loadPages reads content/**/*.md outside content/policies.
func loadPages(parser *policy.Parser, siteDir, polDir string) ([]*policy.Policy, []school.Finding, error) {
	content := filepath.Join(siteDir, "content")
	var paths []string
	err := filepath.WalkDir(content, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == content {
				return filepath.SkipAll
			}
			return err
		}
		if d.IsDir() {
			if path == polDir || (path != content && strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); ext == ".md" || ext == ".markdown" {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reading the content folder: %w", err)
	}
	// The section page of the policies is a page too, not a policy.
	if _, err := os.Stat(filepath.Join(polDir, "_index.md")); err == nil {
		paths = append(paths, filepath.Join(polDir, "_index.md"))
	}
	var pages []*policy.Policy
	var findings []school.Finding
	for _, path := range paths {
		p, probs := parser.ParsePage(path)
		findings = append(findings, probs...)
		if p != nil {
			pages = append(pages, p)
		}
	}
	return pages, findings, nil
}

// rel makes a path from another package (such as internal/quiz, which
// reports paths as given) relative to the site, with forward slashes.
func (s *Site) rel(path string) string {
	if r, err := filepath.Rel(s.Dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(path)
}
