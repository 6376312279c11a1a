package policysite

import (
	"io/fs"
	"testing"
)

// //go:embed without all: silently drops files whose names start with "_";
// a theme without _shortcodes or a site without _index.md builds wrong pages
// rather than failing, so prove they are in the binary.
func TestEmbeddedFilesKeepUnderscoreNames(t *testing.T) {
	tests := []struct {
		fsys fs.FS
		path string
	}{
		{Theme, "layouts/_shortcodes/school.html"},
		{Theme, "layouts/_partials"},
		{Theme, "layouts/baseof.html"},
		{Theme, "static/css/site.css"},
		{Example, "config.toml"},
		{Example, "content/_index.md"},
		{Example, "content/policies/_index.md"},
		{Example, "content/policies/online-safety.md"},
	}
	for _, tc := range tests {
		if _, err := fs.Stat(tc.fsys, tc.path); err != nil {
			t.Errorf("%s is not embedded: %v", tc.path, err)
		}
	}
}
