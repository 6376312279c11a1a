package policy

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/policysite/policysite/internal/hugo"
	"github.com/policysite/policysite/internal/school"
)

const validFM = `---
title: Online Safety Policy
summary: How we keep pupils safe online.
audience: [parents, staff]
owner: dsl
adopted: 2026-09-14
adopted_by: Local Governing Body
review: 2027-09-14
version: "3.1"
related: []
---
`

// fakeSchool answers school shortcodes as the theme would print them.
type fakeSchool map[string]string

func (f fakeSchool) ShortcodeOutput(key string) (string, bool) {
	v, ok := f[strings.ToLower(key)]
	return v, ok
}

// hugoMarkdown parses bodies as a site with Hugo's default settings does.
var hugoMarkdown = hugo.DefaultMarkdown()

// parse reads src with ps, its body parsed by Hugo's Markdown unless ps
// says otherwise.
func parse(t *testing.T, ps *Parser, src string) (*Policy, []school.Finding) {
	t.Helper()
	if ps.Markdown == nil {
		ps.Markdown = hugoMarkdown
	}
	p, probs := ps.Parse("content/policies/online-safety.md", "online-safety", []byte(src))
	if p == nil {
		t.Fatalf("Parse returned no policy; problems: %v", probs)
	}
	return p, probs
}

func TestParseFrontMatter(t *testing.T) {
	p, probs := parse(t, &Parser{}, validFM+"Body.\n")
	if len(probs) != 0 {
		t.Fatalf("unexpected problems: %v", probs)
	}
	want := &Policy{
		Slug: "online-safety", File: "content/policies/online-safety.md",
		Title: "Online Safety Policy", Summary: "How we keep pupils safe online.", Owner: "dsl",
		AdoptedBy: "Local Governing Body", Version: "3.1", Audience: []string{"parents", "staff"},
		Adopted: time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC), Review: time.Date(2027, 9, 14, 0, 0, 0, 0, time.UTC),
		Related: []string{}, Body: "Body.\n", BodyLine: 12, Format: "yaml",
	}
	got := *p
	got.FrontMatter, got.FieldLines, got.Headings, got.Links, got.Shortcodes, got.Placeholders = nil, nil, nil, nil, nil, nil
	if !reflect.DeepEqual(&got, want) {
		t.Errorf("got  %+v\nwant %+v", &got, want)
	}
	wantLines := map[string]int{"title": 2, "summary": 3, "audience": 4, "owner": 5, "adopted": 6, "adopted_by": 7, "review": 8, "version": 9, "related": 10}
	if !reflect.DeepEqual(p.FieldLines, wantLines) {
		t.Errorf("FieldLines = %v, want %v", p.FieldLines, wantLines)
	}
}

// The same policy written with TOML front matter, Windows line endings and a
// byte-order mark (as Notepad saves it) reads the same.
func TestParseTOMLWithCRLFAndBOM(t *testing.T) {
	src := "\ufeff+++\r\ntitle = \"Online Safety Policy\"\r\nsummary = \"S\"\r\naudience = [\"staff\"]\r\nowner = \"dsl\"\r\n" +
		"adopted = 2026-09-14\r\nadopted_by = \"LGB\"\r\nreview = 2027-09-14\r\nversion = \"3.1\"\r\nrelated = [\"social-media\"]\r\n+++\r\n" +
		"## Roles and duties\r\n"
	p, probs := parse(t, &Parser{}, src)
	if len(probs) != 0 {
		t.Fatalf("unexpected problems: %v", probs)
	}
	if p.Format != "toml" || p.Title != "Online Safety Policy" || !reflect.DeepEqual(p.Related, []string{"social-media"}) || p.Review.Year() != 2027 {
		t.Errorf("got %+v", p)
	}
	if p.BodyLine != 12 || len(p.Headings) != 1 || p.Headings[0].Line != 12 || p.Headings[0].ID != "roles-and-duties" {
		t.Errorf("BodyLine %d, headings %+v", p.BodyLine, p.Headings)
	}
}

// A policy saved by Notepad in its "ANSI" encoding (Windows-1252) reads as
// the author wrote it, curly quotes and all, with a warning at the first line
// that was not UTF-8.
func TestParseWindows1252(t *testing.T) {
	src := strings.Replace(validFM, "How we keep pupils safe online.", "How we keep pupils \x93safe\x94 online.", 1) + "## Parents\x92 role\n"
	p, probs := parse(t, &Parser{}, src)
	if p.Summary != "How we keep pupils “safe” online." || len(p.Headings) != 1 || p.Headings[0].Text != "Parents’ role" {
		t.Errorf("summary %q, headings %+v: want the Windows-1252 quotes read as curly quotes", p.Summary, p.Headings)
	}
	if len(probs) != 1 || probs[0].Severity != school.Warning || probs[0].Line != 3 || !strings.Contains(probs[0].Message, "save the file as UTF-8") {
		t.Errorf("problems %v: want one warning at line 3 saying to save the file as UTF-8", probs)
	}
}

func TestParseHeadings(t *testing.T) {
	school := fakeSchool{
		"children_services.name": "Ashcombe Children&#39;s Services", // as html/template escapes it
		"dsl.role":               "Designated Safeguarding Lead",
		"dsl.name":               "Mrs Helen Marsh",
	}
	body := `Intro.

## Roles & responsibilities

### The DSL’s role

## Contacting {{% school "children_services.name" %}}

## Talk to {{< school "dsl.name" >}} now

## Talk to {{< school "dsl.name" >}} {#talk}

## {{% school "DSL.Role" %}}

## Roles & responsibilities

Setext heading
--------------

## Reporting {#report}
`
	p, probs := parse(t, &Parser{School: school}, validFM+body)
	if len(probs) != 0 {
		t.Fatalf("unexpected problems: %v", probs)
	}
	want := []Heading{
		{Level: 2, Text: "Roles & responsibilities", ID: "roles--responsibilities", Line: 14},
		{Level: 3, Text: "The DSL’s role", ID: "the-dsls-role", Line: 16},
		// Hugo builds: ids verified against Hugo v0.165.0 with the theme's school shortcode.
		{Level: 2, Text: "Contacting Ashcombe Children's Services", ID: "contacting-ashcombe-children39s-services", Line: 18},
		{Level: 2, Text: `Talk to {{< school "dsl.name" >}} now`, ID: "", Line: 20, Unstable: true, Guessed: true},
		{Level: 2, Text: `Talk to {{< school "dsl.name" >}}`, ID: "talk", Line: 22, Explicit: true},
		{Level: 2, Text: "Designated Safeguarding Lead", ID: "designated-safeguarding-lead", Line: 24},
		{Level: 2, Text: "Roles & responsibilities", ID: "roles--responsibilities-1", Line: 26},
		{Level: 2, Text: "Setext heading", ID: "setext-heading", Line: 28},
		{Level: 2, Text: "Reporting", ID: "report", Line: 31, Explicit: true},
	}
	if !reflect.DeepEqual(p.Headings, want) {
		t.Errorf("headings:\n got %+v\nwant %+v", p.Headings, want)
	}
}

// Without school values a heading that shows one gets a guessed id, which
// callers must not trust.
func TestHeadingWithUnknownSchoolValueIsGuessed(t *testing.T) {
	p, _ := parse(t, &Parser{}, validFM+"## Contacting {{% school \"dsl.name\" %}}\n")
	if h := p.Headings[0]; !h.Guessed || h.Unstable {
		t.Errorf("heading %+v: want Guessed and not Unstable", h)
	}
}

// Normalize runs before anything is read, as in the build: a pasted bare
// heading becomes a heading with its id, on its own line number.
func TestParseAppliesNormalize(t *testing.T) {
	ps := &Parser{Normalize: func(b []byte) ([]byte, []Repair) {
		return []byte(strings.Replace(string(b), "\nRoles\n", "\n## Roles\n", 1)), []Repair{{Line: 3, Message: "made a heading"}}
	}}
	p, _ := parse(t, ps, validFM+"Text.\n\nRoles\n\nMore.\n")
	if len(p.Headings) != 1 || p.Headings[0].ID != "roles" || p.Headings[0].Line != 14 {
		t.Errorf("headings %+v", p.Headings)
	}
	if want := []Repair{{Line: 14, Message: "made a heading"}}; !reflect.DeepEqual(p.Repairs, want) {
		t.Errorf("Repairs = %+v, want %+v (file lines)", p.Repairs, want)
	}
	if strings.Contains(p.Body, "## Roles") {
		t.Error("Body should stay as written")
	}
}

func TestParseLinksAndShortcodes(t *testing.T) {
	body := `See [the staff policy](staff-acceptable-use.md#passwords) and
[CEOP]({{< school "national.ceop_url" >}}), [x]({{< ref "social-media.md#scope" >}}).

{{< icon name="phone"
   size=2 >}} Call {{% school "dsl.phone" %}}. {{</* school "x" */>}}

A [reference link] and <https://example.org>, www.example.org.

[reference link]: other.md#a
`
	p, probs := parse(t, &Parser{}, validFM+body)
	if len(probs) != 0 {
		t.Fatalf("unexpected problems: %v", probs)
	}
	wantLinks := []Link{
		{Dest: "staff-acceptable-use.md#passwords", Text: "the staff policy", Line: 12},
		{Dest: `{{< school "national.ceop_url" >}}`, Text: "CEOP", Line: 13, Dynamic: true},
		{Dest: "social-media.md#scope", Text: "x", Line: 13},
		{Dest: "other.md#a", Text: "reference link", Line: 18},
	}
	if !reflect.DeepEqual(p.Links, wantLinks) {
		t.Errorf("links:\n got %+v\nwant %+v", p.Links, wantLinks)
	}
	var got []string
	for _, s := range p.Shortcodes {
		got = append(got, s.Name+" "+strings.Join(s.Args, ",")+" "+mapString(s.Named)+" "+map[bool]string{true: "%", false: "<"}[s.Markdown]+" "+strconv.Itoa(s.Line))
	}
	wantSC := []string{
		"school national.ceop_url  < 13",
		"ref social-media.md#scope  < 13",
		"icon  name=phone,size=2 < 15",
		"school dsl.phone  % 16",
	}
	if !reflect.DeepEqual(got, wantSC) {
		t.Errorf("shortcodes:\n got %q\nwant %q", got, wantSC)
	}
}

func mapString(m map[string]string) string {
	var parts []string
	for _, k := range []string{"key", "name", "size"} {
		if v, ok := m[k]; ok {
			parts = append(parts, k+"="+v)
		}
	}
	return strings.Join(parts, ",")
}

func TestPlaceholders(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string // "line text"
	}{
		{"redaction", "Call ▇▇▇ or █ now.\n", []string{"12 ▇▇▇", "12 █"}},
		{"square brackets", "Welcome to [School name] in [Town].\n", []string{"12 [School name]", "12 [Town]"}},
		{"escaped brackets still show", `Welcome to \[School name\].` + "\n", []string{`12 [School name]`}},
		{"markers as words", "Phone: XXX XXX. Date TBC, venue TBA, TODO: fix. FIXME\n", []string{"12 XXX", "12 XXX", "12 TBC", "12 TBA", "12 TODO", "12 FIXME"}},
		{"angle brackets", "Ask <Name of DSL> or <b>bold</b>.\n", []string{"12 <Name of DSL>"}},
		{"second line", "Fine.\nNot fine: [Insert date].\n", []string{"13 [Insert date]"}},
		{"links and images are not placeholders", "[a](b.md) [c][d] ![e](f.png) [g][] [^1] [ ] [x]\n\n[d]: x.md\n[g]: y.md\n\n[^1]: Note.\n", nil},
		{"task lists are not placeholders", "- [ ] one\n- [x] two\n- [X] three\n", nil},
		{"numbers and ellipses are not placeholders", "See [1], [2026] and [...] [sic].\n", nil},
		{"alerts are not placeholders", "> [!NOTE]\n> Read this.\n", nil},
		{"words that contain markers", "STBC, TODOS, XXXL, MAXXX, 20XX, Xx\n", nil},
		{"code is not prose", "Use `[School name]` and `TODO`.\n\n```\n[School name] TBC ▇▇\n```\n\n    XXX indented code\n", nil},
		{"addresses are not prose", "Visit https://example.org/TODO and www.xxx.example and <https://x.org/[a]>.\n", nil},
		{"shortcode arguments are not prose", "{{< school \"TBC\" >}} {{< icon \"[x]\" >}}\n", nil},
		{"comments keep only markers", "<!-- [params.school] TODO -->\n", []string{"12 TODO"}},
		{"link text with a placeholder inside", "[Contact [School name]](x.md)\n", []string{"12 [School name]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := parse(t, &Parser{}, validFM+tt.body)
			var got []string
			for _, ph := range p.Placeholders {
				got = append(got, strconv.Itoa(ph.Line)+" "+ph.Text)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("placeholders in %q:\n got %q\nwant %q", tt.body, got, tt.want)
			}
		})
	}
}

func TestFrontMatterPlaceholders(t *testing.T) {
	src := strings.Replace(validFM, "summary: How we keep pupils safe online.", "summary: How ▇▇▇ keeps pupils safe (TBC).", 1)
	p, _ := parse(t, &Parser{}, src)
	var got []string
	for _, ph := range p.Placeholders {
		got = append(got, ph.Field+" "+strconv.Itoa(ph.Line)+" "+ph.Text)
	}
	if want := []string{"summary 3 ▇▇▇", "summary 3 TBC"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestReviewStatus(t *testing.T) {
	review := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		now  time.Time
		want Status
	}{
		{time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC), Current},
		{time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC), DueSoon}, // exactly 60 days before
		{time.Date(2026, 9, 30, 23, 59, 0, 0, time.UTC), Current},
		{time.Date(2026, 11, 30, 23, 59, 0, 0, time.UTC), DueSoon}, // the review day itself
		{time.Date(2026, 12, 1, 0, 1, 0, 0, time.UTC), Overdue},
		// A London evening is already the next day in some zones: the
		// calendar day of now counts, in now's own zone.
		{time.Date(2026, 12, 1, 0, 30, 0, 0, time.FixedZone("BST", 3600)), Overdue},
	}
	p := &Policy{Review: review}
	for _, tt := range tests {
		if got := p.ReviewStatus(tt.now, 60); got != tt.want {
			t.Errorf("ReviewStatus(%s) = %s, want %s", tt.now, got, tt.want)
		}
	}
	if got := (&Policy{}).ReviewStatus(time.Now(), 60); got != Overdue {
		t.Errorf("no review date: %s, want overdue", got)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("_index.md", "---\ntitle: Policies\n---\n")
	write("zeta.md", validFM)
	write("alpha/index.md", strings.Replace(validFM, "related: []", "related: [zeta, gamma]", 1))
	write("alpha/notes.md", "a resource of the bundle, not a page")
	write(".draft.md", "hidden")
	write("sub/beta.md", validFM)
	write("zeta/index.md", validFM)
	write("other.md", strings.Replace(validFM, "related: []", "related: []\nslug: beta", 1))

	pols, probs := (&Parser{Root: dir}).LoadDir(dir)
	var got []string
	for _, p := range pols {
		got = append(got, p.Slug+"="+p.File)
	}
	want := []string{"alpha=alpha/index.md", "beta=other.md", "beta=sub/beta.md", "zeta=zeta.md", "zeta=zeta/index.md"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("policies %q, want %q", got, want)
	}
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.String())
	}
	wantProbs := []string{
		`alpha/index.md:10: error: related lists "gamma", but there is no policy with that slug`,
		`sub/beta.md:1: error: duplicate slug "beta": other.md already uses it`,
		`zeta/index.md:1: error: duplicate slug "zeta": zeta.md already uses it`,
	}
	if len(msgs) != len(wantProbs) {
		t.Fatalf("problems %q, want %d", msgs, len(wantProbs))
	}
	for i := range wantProbs {
		if !strings.HasPrefix(msgs[i], wantProbs[i]) {
			t.Errorf("problem %d = %q, want prefix %q", i, msgs[i], wantProbs[i])
		}
	}
}

// Without a Markdown parser only the front matter is read: what trainlog
// needs (slug, version, adoption date), without parsing any body.
func TestZeroParserReadsFrontMatterOnly(t *testing.T) {
	p, probs := (&Parser{}).Parse("content/policies/online-safety.md", "online-safety", []byte(validFM+"## Roles\n\n[TBC](x.md)\n"))
	if len(probs) != 0 || p.Version != "3.1" || p.Slug != "online-safety" || p.Adopted.IsZero() {
		t.Fatalf("policy %+v, problems %v", p, probs)
	}
	if p.Headings != nil || p.Links != nil || p.Placeholders != nil || p.Body != "## Roles\n\n[TBC](x.md)\n" {
		t.Errorf("the body was read: headings %v, links %v, placeholders %v, body %q", p.Headings, p.Links, p.Placeholders, p.Body)
	}
}

func TestLoadDirMissing(t *testing.T) {
	pols, probs := LoadDir(filepath.Join(t.TempDir(), "none"))
	if len(pols) != 0 || len(probs) != 1 || !strings.Contains(probs[0].Message, "cannot read the policies folder") {
		t.Errorf("got %v, %v", pols, probs)
	}
}

// One splitter for check and the build: a byte-order mark before the
// opening line and spaces after a delimiter do not hide the front matter.
func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		src, fm, body string
		ok            bool
	}{
		{"---\ntitle: A\n---\nBody\n", "---\ntitle: A\n---\n", "Body\n", true},
		{"\ufeff---\r\ntitle: A\r\n---\r\nBody\r\n", "\ufeff---\r\ntitle: A\r\n---\r\n", "Body\r\n", true},
		{"--- \ntitle: A\n---  \nBody\n", "--- \ntitle: A\n---  \n", "Body\n", true},
		{"+++\ntitle = 'A'\n+++\n", "+++\ntitle = 'A'\n+++\n", "", true},
		{"---\ntitle: A\n---", "---\ntitle: A\n---", "", true},
		{"# Just text\n", "", "# Just text\n", false},
		{"---\ntitle: A\nBody\n", "", "", false},
	}
	for _, tt := range tests {
		fm, body, ok := SplitFrontMatter([]byte(tt.src))
		if string(fm) != tt.fm || string(body) != tt.body || ok != tt.ok {
			t.Errorf("SplitFrontMatter(%q) = %q, %q, %v; want %q, %q, %v", tt.src, fm, body, ok, tt.fm, tt.body, tt.ok)
		}
	}
}
