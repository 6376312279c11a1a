package policy

import (
	"sort"
	"strings"
)

// closest returns the candidate nearest to s when it is near enough to be a
// likely typo, else "".
func closest(s string, candidates []string) string {
	if m := Suggest(s, candidates, 1); len(m) > 0 {
		return m[0]
	}
	return ""
}

// Suggest returns up to n candidates that s is probably a misspelling of,
// nearest first: those within a small edit distance (a third of the length,
// at least 2) or one being the start of the other. A candidate differing only
// in case counts as nearest.
func Suggest(s string, candidates []string, n int) []string {
	type cand struct {
		s string
		d int
	}
	ls := strings.ToLower(s)
	limit := max(2, len([]rune(s))/3)
	var found []cand
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := levenshtein(ls, lc)
		switch {
		case lc == ls:
			d = 0
		case d > limit && min(len(lc), len(ls)) >= 4 && (strings.HasPrefix(lc, ls) || strings.HasPrefix(ls, lc)):
			// "dsl.phone_number" for "dsl.phone", "filtering" for
			// "filtering-and-monitoring": too far apart by edits, but
			// clearly the same thing.
			d = limit
		}
		if d <= limit {
			found = append(found, cand{c, d})
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].d != found[j].d {
			return found[i].d < found[j].d
		}
		return found[i].s < found[j].s
	})
	out := make([]string, 0, min(n, len(found)))
	for _, f := range found {
		if len(out) == n {
			break
		}
		out = append(out, f.s)
	}
	return out
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
