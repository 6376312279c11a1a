package lint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/policysite/policysite/internal/policy"
	"github.com/policysite/policysite/internal/school"
)

// checkSchoolVariables: every {{< school "key" >}} must name a variable in
// [params.school], or the build stops (and a safeguarding page must never
// show a blank where a phone number should be).
func checkSchoolVariables(s *Site) []school.Finding {
	if s.School == nil {
		return nil // the config problem is already reported
	}
	var out []school.Finding
	for _, p := range append(append([]*policy.Policy{}, s.Policies...), s.Pages...) {
		for _, sc := range p.Shortcodes {
			if sc.Name != "school" || sc.Closing {
				continue
			}
			if f, bad := s.schoolKeyProblem(p.File, sc); bad {
				out = append(out, f)
			}
		}
	}
	return out
}

func (s *Site) schoolKeyProblem(file string, sc policy.Shortcode) (school.Finding, bool) {
	key := strings.TrimSpace(sc.SchoolKey())
	cfg := s.Config.File
	switch {
	case key == "":
		return school.Errorf(file, sc.Line, "%s needs the name of a school variable, e.g. {{< school \"dsl.name\" >}}", sc.Raw), true
	case s.School.Has(key):
		return school.Finding{}, false
	case s.School.IsGroup(key):
		return school.Errorf(file, sc.Line, "%s names the group %q, not a single value: use one of %s",
			sc.Raw, key, strings.Join(s.School.GroupKeys(key), ", ")), true
	}
	msg := fmt.Sprintf("unknown school variable %q in %s", key, sc.Raw)
	if m := policy.Suggest(key, s.School.Keys(), 3); len(m) > 0 {
		msg += fmt.Sprintf(": did you mean %s?", strings.Join(m, " or "))
	} else {
		msg += ":"
	}
	group, _, dotted := strings.Cut(strings.ToLower(key), ".")
	if dotted && s.School.IsGroup(group) {
		msg += fmt.Sprintf(" %s has %s.", group, strings.Join(s.School.GroupKeys(group), ", "))
		msg += fmt.Sprintf(" To add it, put it under [params.school.%s] in %s (line %d).", group, cfg, s.School.KeyLine(group))
	} else {
		msg += fmt.Sprintf(" the variables are %s. To add it, put it under [params.school] in %s.", s.knownKeySummary(), cfg)
	}
	return school.Errorf(file, sc.Line, "%s", msg), true
}

// knownKeySummary lists top-level variables and groups ("dsl.*"), which is
// short enough to read in a terminal, unlike every key.
func (s *Site) knownKeySummary() string {
	seen := map[string]bool{}
	var items []string
	for _, k := range s.School.Keys() {
		item := k
		if g, _, ok := strings.Cut(k, "."); ok {
			item = g + ".*"
		}
		if !seen[item] {
			seen[item] = true
			items = append(items, item)
		}
	}
	sort.Strings(items)
	return strings.Join(items, ", ")
}

// checkSchoolContacts: the home page's "Worried about a child?" box shows the
// DSL from [params.school.dsl]; without a name and phone the theme leaves the
// box out, and a parent is not told who to speak to.
func checkSchoolContacts(s *Site) []school.Finding {
	if s.School == nil {
		return nil // the config problem is already reported
	}
	var out []school.Finding
	for _, k := range []string{"dsl.name", "dsl.phone"} {
		if v, ok := s.School.Value(k); ok && strings.TrimSpace(v) != "" {
			continue
		}
		_, field, _ := strings.Cut(k, ".")
		if line := s.School.KeyLine("dsl"); line > 0 {
			out = append(out, school.Errorf(s.Config.File, line,
				"[params.school.dsl] has no %s, and the home page's \"Worried about a child?\" box needs the Designated Safeguarding Lead's name and phone number: add %s = \"…\" under it", field, field))
			continue
		}
		out = append(out, school.Errorf(s.Config.File, s.School.Line,
			"the config has no [params.school.dsl], so the home page's \"Worried about a child?\" box cannot say who the Designated Safeguarding Lead is: add it after [params.school] with role = \"Designated Safeguarding Lead\", name = \"…\", phone = \"…\" and email = \"…\""))
		break
	}
	return out
}
