package lint

import (
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/policysite/policysite"
	"github.com/policysite/policysite/internal/policy"
	"github.com/policysite/policysite/internal/school"
)

// vagueLinkTexts say nothing about where a link goes; screen-reader users
// often list a page's links out of context, where "click here" is useless.
var vagueLinkTexts = map[string]bool{
	"click here": true, "here": true, "click": true, "click this": true, "this link": true, "link": true,
	"read more": true, "more": true, "more info": true, "more information": true, "this": true, "this page": true,
	"follow this link": true, "press here": true, "tap here": true,
}

// checkLinks: links between pages must reach an existing policy (or page)
// and, with #anchor, a heading it has. The rules follow the theme's
// render-link hook: "other.md" is relative to the page's folder (and, failing
// that, to its section), "../other/" is an ordinary relative web address,
// and "/policies/other/" is absolute.
func checkLinks(s *Site) []school.Finding {
	var out []school.Finding
	for _, p := range append(append([]*policy.Policy{}, s.Policies...), s.Pages...) {
		for _, l := range p.Links {
			if f, bad := s.linkProblem(p, l); bad {
				out = append(out, f)
			}
			text := strings.ToLower(strings.Trim(strings.TrimSpace(l.Text), ".:!…"))
			if vagueLinkTexts[text] {
				out = append(out, school.Warnf(p.File, l.Line,
					"the link text %q does not say where the link goes, and people using screen readers often hear links out of context: describe the destination instead, e.g. [the Staff Acceptable Use Policy](staff-acceptable-use.md)",
					l.Text))
			}
		}
	}
	return out
}

func (s *Site) linkProblem(p *policy.Policy, l policy.Link) (school.Finding, bool) {
	dest := strings.TrimSpace(l.Dest)
	if l.Dynamic {
		return school.Finding{}, false
	}
	if dest == "" {
		return school.Errorf(p.File, l.Line, "the link %q has no address: put the address in the brackets, e.g. [%s](other-policy.md)", l.Text, l.Text), true
	}
	u, err := url.Parse(dest)
	if err != nil {
		return school.Errorf(p.File, l.Line, "the link address %q cannot be read (%v): check for spaces or stray characters; write other-policy.md, other-policy.md#section or https://…", dest, err), true
	}
	if u.Scheme != "" || strings.HasPrefix(dest, "//") {
		return school.Finding{}, false // another site, email or phone: not ours to check
	}
	target := p
	if u.Path != "" {
		var found bool
		var msg string
		target, found, msg = s.resolve(p, u.Path)
		if !found {
			return school.Errorf(p.File, l.Line, "the link to %q goes nowhere: %s", dest, msg), true
		}
	}
	anchor := u.Fragment
	if target == nil {
		return school.Finding{}, false
	}
	if anchor == "" || strings.HasPrefix(anchor, "fn:") || strings.HasPrefix(anchor, "fnref:") || s.hasAnchor(target, anchor) {
		if target.Draft && !p.Draft {
			return school.Warnf(p.File, l.Line, "the link to %q leads to %s, which is a draft (draft: true), so it is not published and the link will not work on the website: publish it or remove the link", dest, target.File), true
		}
		return school.Finding{}, false
	}
	where := target.File
	if target == p {
		where = "this page"
	}
	ids := make([]string, 0, len(s.anchors[target]))
	for id := range s.anchors[target] {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	hint := ""
	if m := policy.Suggest(anchor, ids, 2); len(m) > 0 {
		hint = " Did you mean #" + strings.Join(m, " or #") + "?"
	}
	list := "it has no headings"
	if len(ids) > 0 {
		list = "its headings are #" + strings.Join(headingIDs(target, 15), ", #")
	}
	return school.Errorf(p.File, l.Line,
		"the link to %q points to a heading #%s that %s does not have.%s A heading's id is its text in lower case with spaces as hyphens and punctuation left out; %s. You can also give the heading a fixed id: ## Heading {#%s}",
		dest, anchor, where, hint, list, anchor), true
}

// headingIDs lists a page's heading ids in page order, at most n.
func headingIDs(p *policy.Policy, n int) []string {
	var out []string
	for _, h := range p.Headings {
		if h.ID == "" {
			continue
		}
		if len(out) == n {
			out = append(out, "…")
			break
		}
		out = append(out, h.ID)
	}
	return out
}

// resolve finds the page a link path leads to. target is nil for pages we
// know exist but do not check further (a section, or a web address outside
// /policies/). msg says why a link goes nowhere.
func (s *Site) resolve(p *policy.Policy, linkPath string) (target *policy.Policy, found bool, msg string) {
	pageDir := path.Dir(p.File)
	section := pageDir
	if s.isPolicy(p) {
		section = "content/policies"
	}
	ext := path.Ext(linkPath)
	if ext == ".md" || ext == ".markdown" {
		var candidates []string
		if strings.HasPrefix(linkPath, "/") {
			candidates = append(candidates, path.Join("content", linkPath))
		} else {
			candidates = append(candidates, path.Join(pageDir, linkPath))
			if !strings.HasPrefix(linkPath, "../") {
				candidates = append(candidates, path.Join(section, linkPath))
			}
		}
		for _, c := range candidates {
			if t := s.byFile[c]; t != nil {
				return t, true, ""
			}
			if t := s.byFile[strings.TrimSuffix(c, ext)+"/index.md"]; t != nil {
				return t, true, ""
			}
			if st, err := os.Stat(filepath.Join(s.Dir, filepath.FromSlash(c))); err == nil && !st.IsDir() {
				return nil, true, ""
			}
		}
		return nil, false, fmt.Sprintf("there is no file %s.%s Link to a policy by its file name in content/policies, e.g. [Online Safety](online-safety.md)",
			candidates[0], s.slugHint(strings.TrimSuffix(path.Base(linkPath), ext), ".md"))
	}

	// The render hook first looks the path up as a page of the section.
	if !strings.HasPrefix(linkPath, "/") && !strings.HasPrefix(linkPath, "../") && section == "content/policies" {
		if t := s.bySlug[strings.Trim(strings.TrimPrefix(linkPath, "./"), "/")]; t != nil {
			return t, true, ""
		}
	}
	abs := linkPath
	if !strings.HasPrefix(abs, "/") {
		abs = path.Join(s.pageURL(p), linkPath)
	}
	abs = strings.TrimSuffix(path.Clean(abs), "/index.html")
	if abs == "/policies" {
		return nil, true, ""
	}
	rest, ok := strings.CutPrefix(abs, "/policies/")
	if !ok {
		if ext != "" && ext != ".html" && strings.HasPrefix(linkPath, "/") && !s.staticFile(abs) {
			// A file such as /files/consent-form.pdf comes from static/.
			return nil, false, fmt.Sprintf("there is no file static%s in the site (nor in the built-in theme): put the file at static%s, or correct the address", abs, abs)
		}
		return nil, true, "" // outside the policies: not checked
	}
	if t := s.bySlug[rest]; t != nil {
		return t, true, ""
	}
	return nil, false, fmt.Sprintf("it leads to %s/, and there is no policy with the slug %q there.%s Link to a policy by its file name, e.g. [Online Safety](online-safety.md), or by its address /policies/SLUG/",
		abs, rest, s.slugHint(path.Base(rest), "/"))
}

// staticFile reports whether the site's static/ folder or the built-in
// theme's has the file at the web address abs (/files/form.pdf).
func (s *Site) staticFile(abs string) bool {
	rel := "static" + abs
	if st, err := os.Stat(filepath.Join(s.Dir, filepath.FromSlash(rel))); err == nil && !st.IsDir() {
		return true
	}
	st, err := fs.Stat(policysite.Theme, rel)
	return err == nil && !st.IsDir()
}

func (s *Site) slugHint(name, suffix string) string {
	m := policy.Suggest(name, s.allSlugs, 2)
	if len(m) == 0 {
		return ""
	}
	for i := range m {
		m[i] += suffix
	}
	return " Did you mean " + strings.Join(m, " or ") + "?"
}

func (s *Site) isPolicy(p *policy.Policy) bool {
	return strings.HasPrefix(p.File, "content/policies/") && !strings.HasSuffix(p.File, "/_index.md")
}

// pageURL is the address Hugo gives a page, for resolving relative links.
func (s *Site) pageURL(p *policy.Policy) string {
	if s.isPolicy(p) {
		return "/policies/" + p.Slug + "/"
	}
	f := strings.TrimPrefix(p.File, "content")
	dir, base := path.Split(f)
	name := strings.TrimSuffix(base, path.Ext(base))
	if name == "_index" || name == "index" {
		return dir
	}
	return dir + name + "/"
}

// checkImages: a picture in a page must be a file of the site, so that it
// shows, and so that opening the page asks nothing of another website (which
// would learn who read it: the site promises parents no third-party
// requests); and it needs a description for people who cannot see it.
func checkImages(s *Site) []school.Finding {
	var out []school.Finding
	for _, p := range append(append([]*policy.Policy{}, s.Policies...), s.Pages...) {
		for _, im := range p.Images {
			if f, bad := s.imageProblem(p, im); bad {
				out = append(out, f)
			}
			if strings.TrimSpace(im.Text) == "" {
				out = append(out, school.Warnf(p.File, im.Line,
					"the picture %q has no description, so people using screen readers do not know what it shows: write one in the square brackets, e.g. ![The school's reporting flowchart](%s)",
					im.Dest, im.Dest))
			}
		}
	}
	return out
}

func (s *Site) imageProblem(p *policy.Policy, im policy.Link) (school.Finding, bool) {
	dest := strings.TrimSpace(im.Dest)
	if im.Dynamic {
		return school.Finding{}, false
	}
	if dest == "" {
		return school.Errorf(p.File, im.Line, "the picture %q has no address: put the file in static/images/ and write ![%s](/images/FILE.png)", im.Text, im.Text), true
	}
	u, err := url.Parse(dest)
	if err != nil {
		return school.Errorf(p.File, im.Line, "the picture address %q cannot be read (%v): check for spaces or stray characters; put the file in static/images/ and write /images/FILE.png", dest, err), true
	}
	if u.Scheme != "" || strings.HasPrefix(dest, "//") {
		if u.Scheme == "data" {
			return school.Finding{}, false
		}
		return school.Errorf(p.File, im.Line, "the picture %q is on another website, so every reader's browser would fetch it from there (telling that site who read the page) and show nothing if it moves: save the file in static/images/ and write /images/%s", dest, path.Base(u.Path)), true
	}
	if strings.HasPrefix(u.Path, "/") {
		if !s.staticFile(path.Clean(u.Path)) {
			return school.Errorf(p.File, im.Line, "the picture %q is missing: there is no file static%s in the site (nor in the built-in theme): put the file at static%s, or correct the address", dest, path.Clean(u.Path), path.Clean(u.Path)), true
		}
		return school.Finding{}, false
	}
	// A relative address is a file beside the page (a page bundle:
	// content/policies/SLUG/index.md with its pictures in the same folder).
	rel := path.Join(path.Dir(p.File), u.Path)
	if st, err := os.Stat(filepath.Join(s.Dir, filepath.FromSlash(rel))); err == nil && !st.IsDir() {
		return school.Finding{}, false
	}
	return school.Errorf(p.File, im.Line, "the picture %q is missing: there is no file %s: put pictures in static/images/ and write /images/%s", dest, rel, path.Base(u.Path)), true
}
