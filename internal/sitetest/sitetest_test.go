package sitetest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteString(t *testing.T) {
	dir := WriteString(t, "A comment.\n-- config.toml --\ntitle = \"x\"\n-- content/policies/a.md --\n---\ntitle: A\n---\n")
	b, err := os.ReadFile(filepath.Join(dir, "content", "policies", "a.md"))
	if err != nil || string(b) != "---\ntitle: A\n---\n" {
		t.Errorf("content/policies/a.md = %q, %v", b, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "config.toml")); string(b) != "title = \"x\"\n" {
		t.Errorf("config.toml = %q", b)
	}
}
