package poster

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/policysite/policysite"
)

// Icons lists the icon names a poster can use: the built-in theme's
// static/icons/NAME.svg and the site's own static/icons/NAME.svg, which Hugo
// publishes side by side (the site's file wins when both have one).
func Icons(siteDir string) ([]string, error) {
	seen := map[string]bool{}
	add := func(name string) {
		if strings.HasSuffix(name, ".svg") && !strings.HasPrefix(name, ".") {
			seen[strings.TrimSuffix(name, ".svg")] = true
		}
	}
	theme, err := fs.ReadDir(policysite.Theme, "static/icons")
	if err != nil {
		return nil, fmt.Errorf("the built-in theme has no icons: %w", err)
	}
	for _, e := range theme {
		add(e.Name())
	}
	own, err := os.ReadDir(filepath.Join(siteDir, "static", "icons"))
	if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("reading static/icons: %w", err)
	}
	for _, e := range own {
		if !e.IsDir() {
			add(e.Name())
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil
}
