package hugo

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
)

// check reads headings with Markdown.Parse, so these are the ids check
// knows: Hugo's own (its goldmark converter with autoHeadingIDType =
// "github", Hugo's default), one heading per page. They pin the behaviours a
// quiz author meets:
// punctuation and symbols vanish, spaces become hyphens (so "a & b" gives
// "a--b"), typographer dashes and quotes vanish, accents and non-Latin
// letters stay, link URLs and bare web addresses vanish, and inside a link
// or emphasis Hugo keeps only the first piece of text.
func TestHeadingIDs(t *testing.T) {
	tests := []struct{ heading, want string }{
		{`Roles (and responsibilities)`, `roles-and-responsibilities`},
		{`Roles & responsibilities`, `roles--responsibilities`},
		{`Parents’ guide to online safety`, `parents-guide-to-online-safety`},
		{`“Sexting”: what to do`, `sexting-what-to-do`},
		{`Don't share passwords`, `dont-share-passwords`},
		{`Café and Naïve: accents`, `café-and-naïve-accents`},
		{`Section 1.2.3`, `section-123`},
		{`2026/27 review`, `202627-review`},
		{`Emoji 📱 phones`, `emoji--phones`},
		{`📱`, `heading`},
		{`Use of AI (e.g. ChatGPT)`, `use-of-ai-eg-chatgpt`},
		{`KCSIE 2025 – Part 2`, `kcsie-2025--part-2`},
		{`The school's "Prevent" duty`, `the-schools-prevent-duty`},
		{`_Emphasis_ with underscores`, `emphasis-with-underscores`},
		{`**Important:** read this`, `important-read-this`},
		{`Read [the *full* policy](x) now`, `read-the--now`},
		{`A ![logo](x.png) image`, `a-logo-image`},
		{`Escaped \*star\*`, `escaped-star`},
		{`100% safe`, `100-safe`},
		{`C++ & C#`, `c--c`},
		{`Multiple   spaces`, `multiple---spaces`},
		{`Ends with a question?`, `ends-with-a-question`},
		{`Ελληνικά γράμματα`, `ελληνικά-γράμματα`},
		{`ÉCOLE PRIMAIRE`, `école-primaire`},
		{`İstanbul trip`, `istanbul-trip`},
		{`Número 5`, `número-5`},
		{`&amp; entity`, `-entity`},
		{`Numeric &#169; ref`, `numeric-169-ref`},
		{`Step 1 -- report`, `step-1--report`},
		{`Step 2 --- escalate`, `step-2--escalate`},
		{`Wait...`, `wait`},
		{`UPPER lower MiXeD`, `upper-lower-mixed`},
		{`Wi‑Fi with non-breaking hyphen`, `wifi-with-non-breaking-hyphen`},
		{`e-Safety`, `e-safety`},
		{`Mobile phones — staff`, `mobile-phones--staff`},
		{`Contact www.ceop.police.uk now`, `contact--now`},
		{"The `school` shortcode", `the-school-shortcode`},
		{`Under_score and snake_case`, `under_score-and-snake_case`},
		{`Trailing space and hashes ###`, `trailing-space-and-hashes`},
		{`<School name> contacts`, `contacts`},
		{`Report to the DSL {#report}`, `report`},
		{`[Link only](other.md)`, `link-only`},
	}
	for _, tt := range tests {
		if got := headingIDs(DefaultMarkdown(), tt.heading); len(got) != 1 || got[0] != tt.want {
			t.Errorf("## %s: ids %q, Hugo gives %q", tt.heading, got, tt.want)
		}
	}
}

// Repeated headings get -1, -2 … in page order; an explicit {#id} reserves
// its id for later automatic ones but is itself never renamed.
func TestHeadingIDsDuplicates(t *testing.T) {
	tests := []struct {
		name     string
		headings []string
		want     []string
	}{
		{"repeats", []string{"Roles", "Roles", "Roles-1", "Roles"}, []string{"roles", "roles-1", "roles-1-1", "roles-2"}},
		{"explicit reserves", []string{"Roles", "Custom {#roles-1}", "Roles"}, []string{"roles", "roles-1", "roles-2"}},
		{"explicit kept even if taken", []string{"Roles", "Roles {#roles}"}, []string{"roles", "roles"}},
		{"symbol-only headings", []string{"📱", "✅", "Heading"}, []string{"heading", "heading-1", "heading-2"}},
		{"different text same id", []string{"Roles & duties", "Roles – duties", "Roles  duties"}, []string{"roles--duties", "roles--duties-1", "roles--duties-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := headingIDs(DefaultMarkdown(), tt.headings...); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("headings %q: ids %q, want %q", tt.headings, got, tt.want)
			}
		})
	}
}

// A site that asks for other ids (autoHeadingIDType in config.toml) gets
// them, from Hugo, in check as on the pages; AnchorID follows it too.
func TestHeadingIDsFollowTheSiteConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := "title = \"x\"\n[markup.goldmark.parser]\nautoHeadingIDType = \"github-ascii\"\n"
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	md, err := NewMarkdown(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := headingIDs(md, "Café and Naïve: accents", "Café and Naïve: accents"); !reflect.DeepEqual(got, []string{"cafe-and-naive-accents", "cafe-and-naive-accents-1"}) {
		t.Errorf("github-ascii ids %q", got)
	}
	if got := md.AnchorID("Café & Co"); got != "cafe--co" {
		t.Errorf("AnchorID = %q", got)
	}
	if got := DefaultMarkdown().AnchorID("Café & Co"); got != "café--co" {
		t.Errorf("default AnchorID = %q", got)
	}
}

// headingIDs parses a page of one ## heading per text and returns the ids
// the parser gave them.
func headingIDs(md *Markdown, headings ...string) []string {
	var src strings.Builder
	for _, h := range headings {
		src.WriteString("## " + h + "\n\n")
	}
	var ids []string
	for n := md.Parse([]byte(src.String())).FirstChild(); n != nil; n = n.NextSibling() {
		if _, ok := n.(*ast.Heading); !ok {
			continue
		}
		id, _ := n.AttributeString("id")
		b, _ := id.([]byte)
		ids = append(ids, string(b))
	}
	return ids
}
