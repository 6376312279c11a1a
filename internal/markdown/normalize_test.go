package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policysite/policysite/internal/policy"
	"github.com/yuin/goldmark"
)

func render(t *testing.T, src string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := goldmark.Convert([]byte(src), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestNormalizeRepairsPastedText(t *testing.T) {
	tests := []struct {
		name, in, want string // want: a fragment of the rendered HTML
	}{
		{"hash without space", "Intro.\n\n#Purpose\n\nText.", "<h1>Purpose</h1>"},
		{"two hashes without space", "\n##Who this is for\n", "<h2>Who this is for</h2>"},
		{"bare title-case line", "Text.\n\nRoles and Responsibilities\n\nMore text.", "<h2>Roles and Responsibilities</h2>"},
		{"line ending in a colon", "Text.\n\nWhat Parents Can Do:\n\nMore.", "<h2>What Parents Can Do</h2>"},
		{"glyph bullet", "Items\n\n• first\n• second\n", "<li>first</li>\n<li>second</li>"},
		{"single-space nested bullet", "- parent\n - child\n- next\n", "<li>parent\n<ul>\n<li>child</li>"},
		{"numbered parent with nested bullet", "1) step one\n - detail\n2) step two\n", "<li>step one\n<ul>\n<li>detail</li>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, fixes := Normalize([]byte(tc.in))
			if got := render(t, string(out)); !strings.Contains(got, tc.want) {
				t.Errorf("rendered\n%s\nwant fragment %q", got, tc.want)
			}
			if len(fixes) == 0 {
				t.Errorf("no fix reported for %q", tc.in)
			}
			if strings.Count(string(out), "\n") != strings.Count(tc.in, "\n") {
				t.Errorf("line count changed: %q -> %q", tc.in, out)
			}
		})
	}
}

func TestNormalizeLeavesGoodMarkdownAlone(t *testing.T) {
	tests := []string{
		"## Heading {#id}\n\nA paragraph that ends with a full stop.\n",
		"- item\n  - nested properly\n",
		"```\n#not a heading\n• not a bullet\n```\n",
		"Last reviewed: September 2026\n",
		"{{< school \"name\" >}}\n",
		"| Role | Name |\n| --- | --- |\n",
		"#hashtag in a sentence continues here\nwith a second line.\n",
		"This policy aims to:\n\n- protect pupils\n",
		"Please contact the office if you have any questions about this.\n",
	}
	for _, in := range tests {
		in := "Intro.\n\n" + in
		out, fixes := Normalize([]byte(in))
		if string(out) != in || len(fixes) > 0 {
			t.Errorf("changed good Markdown:\n%q\n->\n%q (%v)", in, out, fixes)
		}
	}
}

// The example school's own policies are well-formed: normalizing must not
// touch them, or a heading would appear that the author never wrote.
func TestExamplePoliciesNeedNoRepair(t *testing.T) {
	files, _ := filepath.Glob("../../content/policies/*.md")
	if len(files) == 0 {
		t.Fatal("no example policies found")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		_, body, _ := policy.SplitFrontMatter(src)
		if _, fixes := Normalize(body); len(fixes) > 0 {
			t.Errorf("%s: %v", f, fixes)
		}
	}
}
