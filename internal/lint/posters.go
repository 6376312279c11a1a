package lint

import (
	"fmt"

	"github.com/policysite/policysite/internal/poster"
	"github.com/policysite/policysite/internal/school"
)

// checkPosters: every poster in content/posters can be read and printed
// (known key stage, paper, icons; rules_from points at a list of rules with
// icons), its rules are short enough for its key stage, and a translation
// still matches the rules it translates. The poster package does the work,
// and the build runs the same checks on the posters it publishes.
func checkPosters(s *Site) []school.Finding {
	site, findings := poster.NewSite(s.Dir, s.Policies)
	posters, probs := site.Load()
	s.Posters, s.Icons = posters, site.Icons
	findings = append(findings, probs...)
	seen := map[string]bool{} // a policy's rule used by two posters: one warning
	for _, p := range posters {
		for _, f := range site.Advice(p) {
			if k := fmt.Sprint(f.File, f.Line); !seen[k] {
				seen[k] = true
				findings = append(findings, f)
			}
		}
	}
	return findings
}
