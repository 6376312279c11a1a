package policy

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/policysite/policysite/internal/school"
)

// LoadDir reads every policy under dir (content/policies): X.md files and
// X/index.md bundles, at any depth, skipping _index.md section pages, hidden
// files and the other files of a bundle. Policies come back sorted by slug,
// then file. Besides each file's own problems it reports slugs used by two
// files and related slugs that name no policy. A dir that cannot be read is
// one problem, not a panic.
func (ps *Parser) LoadDir(dir string) ([]*Policy, []school.Finding) {
	paths, err := policyFiles(dir)
	if err != nil {
		return nil, []school.Finding{school.Errorf(ps.display(dir), 0, "cannot read the policies folder: %v", err)}
	}

	// Parsing is CPU-bound (goldmark), so spread it over the cores.
	type result struct {
		p     *Policy
		probs []school.Finding
	}
	results := make([]result, len(paths))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(paths)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p, probs := ps.ParseFile(paths[i])
				results[i] = result{p, probs}
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()

	var pols []*Policy
	var probs []school.Finding
	for _, r := range results {
		probs = append(probs, r.probs...)
		if r.p != nil {
			pols = append(pols, r.p)
		}
	}
	sort.SliceStable(pols, func(i, j int) bool {
		if pols[i].Slug != pols[j].Slug {
			return pols[i].Slug < pols[j].Slug
		}
		return pols[i].File < pols[j].File
	})

	bySlug := map[string]*Policy{}
	slugs := make([]string, 0, len(pols))
	for _, p := range pols {
		first, dup := bySlug[p.Slug]
		if !dup {
			bySlug[p.Slug] = p
			slugs = append(slugs, p.Slug)
			continue
		}
		line := p.FieldLines["slug"]
		how := "rename one of the files"
		if line > 0 {
			how = "change the slug: field of one of them"
		} else if first.FieldLines["slug"] > 0 {
			how = fmt.Sprintf("change the slug: field of %s or rename this file", first.File)
		}
		probs = append(probs, school.Errorf(p.File, max(line, 1),
			"duplicate slug %q: %s already uses it, so both would be published at /policies/%s/ and one would be lost; %s",
			p.Slug, first.File, p.Slug, how))
	}

	for _, p := range pols {
		for _, r := range p.Related {
			if r == "" || bySlug[r] != nil {
				continue
			}
			hint := ""
			if s := Suggest(strings.TrimSuffix(r, ".md"), slugs, 3); len(s) > 0 {
				hint = fmt.Sprintf(" Did you mean %s?", strings.Join(s, " or "))
			}
			probs = append(probs, school.Errorf(p.File, p.FieldLines["related"],
				"related lists %q, but there is no policy with that slug (a slug is the file name without .md).%s Policies: %s",
				r, hint, listOrNone(slugs, 12)))
		}
	}
	sort.SliceStable(probs, func(i, j int) bool {
		if probs[i].File != probs[j].File {
			return probs[i].File < probs[j].File
		}
		return probs[i].Line < probs[j].Line
	})
	return pols, probs
}

func listOrNone(items []string, n int) string {
	switch {
	case len(items) == 0:
		return "(none)"
	case len(items) > n:
		return strings.Join(items[:n], ", ") + fmt.Sprintf(", … (%d more)", len(items)-n)
	}
	return strings.Join(items, ", ")
}

func policyFiles(dir string) ([]string, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if path != dir && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path == dir {
				return nil
			}
			// A leaf bundle is one page; its other Markdown files are resources.
			for _, idx := range []string{"index.md", "index.markdown"} {
				if st, err := os.Stat(filepath.Join(path, idx)); err == nil && !st.IsDir() {
					paths = append(paths, filepath.Join(path, idx))
					return filepath.SkipDir
				}
			}
			return nil
		}
		// Hugo reads .MD as Markdown too, so check must read it.
		ext := strings.ToLower(filepath.Ext(name))
		if (ext == ".md" || ext == ".markdown") && !strings.HasPrefix(strings.ToLower(name), "_index.") {
			paths = append(paths, path)
		}
		return nil
	})
	return paths, err
}
