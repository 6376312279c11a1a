package trainlog

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/policysite/policysite/internal/policy"
)

// policyIndex is what trainlog needs from the policies: which exist and
// their current version, recorded with every completion.
type policyIndex map[string]string // slug -> version

// adoptedDates holds the day each policy's current version was adopted
// (front matter "adopted"), as a local calendar day; missing when the
// policy gives no valid date. The report uses it to say by when a
// read-and-acknowledge record of an older version must be renewed.
type adoptedDates map[string]time.Time

func (p policyIndex) HasPolicy(slug string) bool { _, ok := p[slug]; return ok }

// HasAnchor accepts every anchor: heading ids depend on the site's school
// variables and are checked by `policysite check`; trainlog only grades.
func (p policyIndex) HasAnchor(slug, anchor string) bool { return true }

// loadPolicies reads the version of every policy under contentDir/policies.
// Problems in the policies themselves are the site check's business; only
// an unreadable folder stops trainlog here.
func loadPolicies(contentDir string) (policyIndex, adoptedDates, []Problem) {
	dir := filepath.Join(contentDir, "policies")
	pols, probs := policy.LoadDir(dir)
	if pols == nil && len(probs) > 0 {
		var out []Problem
		for _, p := range probs {
			out = append(out, Problem{File: p.File, Line: p.Line, Message: p.Message + fmt.Sprintf(" (trainlog reads policy versions from %s: pass --content with the site's content folder)", dir)})
		}
		return nil, nil, out
	}
	idx, adopted := policyIndex{}, adoptedDates{}
	for _, p := range pols {
		idx[p.Slug] = p.Version
		if !p.Adopted.IsZero() {
			adopted[p.Slug] = time.Date(p.Adopted.Year(), p.Adopted.Month(), p.Adopted.Day(), 0, 0, 0, 0, time.Local)
		}
	}
	return idx, adopted, nil
}
