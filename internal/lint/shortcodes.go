package lint

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/policysite/policysite"
	"github.com/policysite/policysite/internal/policy"
	"github.com/policysite/policysite/internal/school"
)

// hugoShortcodes are the shortcodes Hugo v0.165 has built in.
var hugoShortcodes = []string{
	"comment", "details", "figure", "gist", "highlight", "instagram", "param", "qr", "ref", "relref", "vimeo", "x", "youtube",
}

// checkShortcodeNames: a shortcode Hugo has no template for stops the build
// with "template for shortcode … not found"; say which ones there are.
func checkShortcodeNames(s *Site) []school.Finding {
	known := s.shortcodeNames()
	var ours []string // the ones a policy is likely to mean
	for _, n := range known {
		if !slices.Contains(hugoShortcodes, n) {
			ours = append(ours, n)
		}
	}
	var out []school.Finding
	for _, p := range append(append([]*policy.Policy{}, s.Policies...), s.Pages...) {
		for _, sc := range p.Shortcodes {
			if sc.Name == "" || slices.Contains(known, sc.Name) {
				continue
			}
			hint := ""
			if m := policy.Suggest(strings.ToLower(sc.Name), known, 3); len(m) > 0 {
				hint = fmt.Sprintf("did you mean %s? ", strings.Join(m, " or "))
			}
			out = append(out, school.Errorf(p.File, sc.Line,
				"%s uses a shortcode called %q, which does not exist: %sthe shortcodes for policies are %s, e.g. {{< school \"dsl.name\" >}} or {{< icon \"padlock\" >}}",
				sc.Raw, sc.Name, hint, strings.Join(ours, ", ")))
		}
	}
	return out
}

// shortcodeNames lists the shortcodes a build can use: the built-in theme's,
// the site's own (layouts/_shortcodes or layouts/shortcodes) and Hugo's.
func (s *Site) shortcodeNames() []string {
	seen := map[string]bool{}
	for _, n := range hugoShortcodes {
		seen[n] = true
	}
	add := func(name string) {
		base := filepath.Base(name)
		if i := strings.IndexByte(base, '.'); i > 0 {
			seen[base[:i]] = true
		}
	}
	for _, dir := range []string{"layouts/_shortcodes", "layouts/shortcodes"} {
		if entries, err := fs.ReadDir(policysite.Theme, dir); err == nil {
			for _, e := range entries {
				add(e.Name())
			}
		}
		if entries, err := os.ReadDir(filepath.Join(s.Dir, filepath.FromSlash(dir))); err == nil {
			for _, e := range entries {
				add(e.Name())
			}
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
