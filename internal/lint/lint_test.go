package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/policysite/policysite/internal/sitetest"
)

// today is the date the fixtures are checked on: the valid site's review
// dates (September 2027) are then comfortably in the future.
var today = time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)

// policyDoc is a policy with valid YAML front matter, changed by edits:
// "key: value" replaces that key's line (or adds a line before the closing
// ---), "-key" removes the line. Unedited, the fields sit on fixed lines
// (title 2, summary 3, audience 4, owner 5, adopted 6, adopted_by 7,
// review 8, version 9, related 10, closing --- 11) and the body starts on
// line 12.
var policyDocs atomic.Int64

func policyDoc(body string, edits ...string) string {
	lines := []string{
		fmt.Sprintf("title: Test Policy %d", policyDocs.Add(1)), // each its own: a shared title is a warning
		"summary: A policy for tests.",
		"audience: [staff]",
		"owner: dsl",
		"adopted: 2026-09-01",
		"adopted_by: Local Governing Body",
		"review: 2027-09-01",
		`version: "1.0"`,
		"related: []",
	}
	for _, e := range edits {
		key, _, _ := strings.Cut(strings.TrimPrefix(e, "-"), ":")
		idx := -1
		for i, l := range lines {
			if strings.HasPrefix(l, key+":") {
				idx = i
			}
		}
		switch {
		case strings.HasPrefix(e, "-"):
			lines = append(lines[:idx], lines[idx+1:]...)
		case idx >= 0:
			lines[idx] = e
		default:
			lines = append(lines, e)
		}
	}
	return "---\n" + strings.Join(lines, "\n") + "\n---\n" + body
}

// validSite is a small valid school site: check finds nothing in it.
const validSite = "testdata/valid.txtar"

// site writes the fixture validSite into a temporary folder and applies
// changes: each path gets the given content, or is deleted when the content
// is "".
func site(t *testing.T, changes map[string]string) string {
	t.Helper()
	dir := sitetest.Write(t, validSite)
	for path, content := range changes {
		full := filepath.Join(dir, filepath.FromSlash(path))
		if content == "" {
			if err := os.RemoveAll(full); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestValidSiteHasNoFindings(t *testing.T) {
	findings, err := Check(sitetest.Write(t, validSite), Options{Now: today})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Errorf("unexpected finding on the valid site: %s", f)
	}
}

// want is one expected finding: its "file:line: severity" prefix and a
// phrase of the message that tells the user what to do.
type want struct{ at, phrase string }

func TestCheckFindings(t *testing.T) {
	const p = "content/policies/"
	tests := []struct {
		name    string
		changes map[string]string
		opt     Options
		want    []want
	}{
		// Front matter.
		{"missing field", map[string]string{p + "t.md": policyDoc("Text.\n", "-adopted")},
			Options{}, []want{{p + "t.md:10: error", `field "adopted" is missing: add adopted: 2026-09-14`}}},
		{"field present but empty", map[string]string{p + "t.md": policyDoc("Text.\n", "adopted_by:")},
			Options{}, []want{{p + "t.md:7: error", `adopted_by is empty: write who adopted it, e.g. adopted_by: Local Governing Body`}}},
		{"date written day first", map[string]string{p + "t.md": policyDoc("Text.\n", "adopted: 14/09/2026")},
			Options{}, []want{{p + "t.md:6: error", `if you meant 14 September 2026, write adopted: 2026-09-14`}}},
		{"date in words", map[string]string{p + "t.md": policyDoc("Text.\n", "adopted: 14th Sept 2026", "review: September 2027")},
			Options{}, []want{
				{p + "t.md:6: error", `adopted "14th Sept 2026" is not in the form YYYY-MM-DD: if you meant 14 September 2026, write adopted: 2026-09-14`},
				{p + "t.md:8: error", `review "September 2027" needs the day too, in the form YYYY-MM-DD: for 1 September 2027, write review: 2027-09-01`}}},
		{"date in words, month first", map[string]string{p + "t.md": policyDoc("Text.\n", "adopted: September 14, 2026")},
			Options{}, []want{{p + "t.md:6: error", `if you meant 14 September 2026, write adopted: 2026-09-14`}}},
		{"date that does not exist", map[string]string{p + "t.md": policyDoc("Text.\n", "review: 2027-02-30")},
			Options{}, []want{{p + "t.md:8: error", `"2027-02-30" is not a real date`}}},
		{"date that is not a date", map[string]string{p + "t.md": policyDoc("Text.\n", "review: next September")},
			Options{}, []want{{p + "t.md:8: error", `not a date in the form YYYY-MM-DD: write it like review: 2027-09-14`}}},
		{"review before adopted", map[string]string{p + "t.md": policyDoc("Text.\n", "review: 2026-01-01")},
			Options{}, []want{{p + "t.md:8: error", `review date 2026-01-01 is not after the adopted date 2026-09-01: set review to when the policy will next be reviewed, e.g. review: 2027-09-01`}}},
		{"owner not a role", map[string]string{p + "t.md": policyDoc("Text.\n", "owner: dls")},
			Options{}, []want{{p + "t.md:5: error", `owner "dls" is not a role in config.toml: did you mean dsl? use one of dsl, headteacher`}}},
		{"audience in capitals", map[string]string{p + "t.md": policyDoc("Text.\n", "audience: [Parents]")},
			Options{}, []want{{p + "t.md:4: error", `audience "Parents" is not one of parents, staff, pupils, governors (write it in lower case: parents)`}}},
		{"audience unknown", map[string]string{p + "t.md": policyDoc("Text.\n", "audience: [staff, teachers]")},
			Options{}, []want{{p + "t.md:4: error", `audience "teachers" is not one of parents, staff, pupils, governors: list only those, e.g. audience: [parents, staff]`}}},
		{"audience empty", map[string]string{p + "t.md": policyDoc("Text.\n", "audience: []")},
			Options{}, []want{{p + "t.md:4: error", `audience is empty: list who the policy is for`}}},
		{"audience not a list", map[string]string{p + "t.md": policyDoc("Text.\n", "audience: staff")},
			Options{}, []want{{p + "t.md:4: error", `audience must be a list in square brackets, even with one entry: write audience: [staff]`}}},
		{"related slug missing", map[string]string{p + "t.md": policyDoc("Text.\n", "related: [online-safty]")},
			Options{}, []want{{p + "t.md:10: error", `related lists "online-safty", but there is no policy with that slug (a slug is the file name without .md). Did you mean online-safety?`}}},
		{"version read as a number", map[string]string{p + "t.md": policyDoc("Text.\n", "version: 3.10")},
			Options{}, []want{{p + "t.md:9: error", `version 3.10 is read as the number 3.1, so the website would show 3.1: put it in quotes, e.g. version: "3.10"`}}},
		{"version not a number", map[string]string{p + "t.md": policyDoc("Text.\n", "version: v3")},
			Options{}, []want{{p + "t.md:9: error", `version "v3" is not a version number: use digits separated by dots`}}},
		{"field indented with a tab", map[string]string{p + "t.md": policyDoc("Text.\n", "audience: [staff]", "owner: dsl", "\taudience: [staff]")},
			Options{}, []want{{p + "t.md:11: error", `the line "audience: [staff]" starts with a tab: front matter may not use tabs; delete it so the line starts with the field name`}}},
		{"field without its colon", map[string]string{p + "t.md": policyDoc("Text.\n", "owner: dsl", "-owner", "owner dsl")},
			Options{}, []want{{p + "t.md:10: error", `the line "owner dsl" has no colon after the field name: write owner: dsl`}}},
		{"summary run on to a second line", map[string]string{p + "t.md": policyDoc("Text.\n", "summary: How we keep", "-summary", "summary: How we keep\npupils safe.")},
			Options{}, []want{{p + "t.md:11: error", `the line "pupils safe." is not a field: each field is its name, a colon and a space, then its value (e.g. owner: dsl); if the text belongs to the field above, join it to the end of that line`}}},
		{"title with a colon", map[string]string{p + "t.md": policyDoc("Text.\n", "title: Anti-bullying: our policy")},
			Options{}, []want{{p + "t.md:2: error", `the title contains a colon, which in front matter starts a new field: put the whole text in quotes, e.g. title: "Anti-bullying: our policy"`}}},
		{"quotes inside quotes", map[string]string{p + "t.md": policyDoc("Text.\n", `summary: "How we "prevent" bullying."`)},
			Options{}, []want{{p + "t.md:3: error", `the summary has quotation marks inside the quotes around it, so it ends early: put single quotes around the whole text instead, e.g. summary: 'How we "prevent" bullying.'`}}},
		{"list not closed", map[string]string{p + "t.md": policyDoc("Text.\n", "audience: [staff, parents")},
			Options{}, []want{{p + "t.md:4: error", `the list of audience is not closed: end it with ] on the same line, e.g. audience: [parents, staff]`}}},
		{"YAML that cannot be read", map[string]string{p + "t.md": policyDoc("Text.\n", "audience: [staff]]")},
			Options{}, []want{{p + "t.md:4: error", `the front matter cannot be read`}}},
		{"colons in a summary", map[string]string{p + "t.md": policyDoc("Text.\n", "summary: Rules: for staff: [all")},
			Options{}, []want{{p + "t.md:3: error", `the summary contains a colon, which in front matter starts a new field: put the whole text in quotes, e.g. summary: "Rules: for staff: [all"`}}},
		{"no front matter", map[string]string{p + "t.md": "Text.\n"},
			Options{}, []want{{p + "t.md:1: error", `the file has no front matter: a policy must start with a line containing only ---`}}},
		{"front matter not closed", map[string]string{p + "t.md": "---\ntitle: Test\n\nText.\n"},
			Options{}, []want{{p + "t.md:1: error", `never closed: add a line containing only ---`}}},
		{"TOML front matter missing field", map[string]string{p + "t.md": "+++\ntitle = \"T\"\nsummary = \"S\"\naudience = [\"staff\"]\nowner = \"dsl\"\nadopted = 2026-09-01\nadopted_by = \"LGB\"\nreview = 2027-09-01\nrelated = []\n+++\nText.\n"},
			Options{}, []want{{p + "t.md:10: error", `field "version" is missing: add version = "3.1"`}}},
		{"unknown front-matter key", map[string]string{p + "t.md": policyDoc("Text.\n", "reveiw: 2027-01-01")},
			Options{}, []want{{p + "t.md:11: warning", `unknown front-matter field "reveiw" (did you mean review?)`}}},
		{"shortcode in front matter", map[string]string{p + "t.md": policyDoc("Text.\n", `summary: How {{< school "name" >}} works.`)},
			Options{}, []want{{p + "t.md:3: error", `summary uses a shortcode, but shortcodes only work in the body`}}},

		// School variables.
		{"unknown school variable", map[string]string{p + "t.md": policyDoc("Text.\n\nCall {{< school \"dsl.phone_number\" >}}.\n")},
			Options{}, []want{{p + "t.md:14: error", `unknown school variable "dsl.phone_number" in {{< school "dsl.phone_number" >}}: did you mean dsl.phone? dsl has dsl.email, dsl.name, dsl.phone, dsl.role. To add it, put it under [params.school.dsl] in config.toml (line 13).`}}},
		{"unknown top-level school variable", map[string]string{p + "t.md": policyDoc("Text.\n\n{{% school \"adress\" %}}\n")},
			Options{}, []want{{p + "t.md:14: error", `unknown school variable "adress" in {{% school "adress" %}}: the variables are children_services.*, dsl.*, governing_body, headteacher.*, name, national.*`}}},
		{"school group instead of value", map[string]string{p + "t.md": policyDoc("Text.\n\n{{< school \"dsl\" >}}\n")},
			Options{}, []want{{p + "t.md:14: error", `names the group "dsl", not a single value: use one of dsl.email, dsl.name, dsl.phone, dsl.role`}}},
		{"school shortcode without key", map[string]string{p + "t.md": policyDoc("Text.\n\n{{< school >}}\n")},
			Options{}, []want{{p + "t.md:14: error", `{{< school >}} needs the name of a school variable, e.g. {{< school "dsl.name" >}}`}}},
		{"shortcode not closed", map[string]string{p + "t.md": policyDoc("Text.\n\nCall {{< school \"dsl.phone\" now.\n")},
			Options{}, []want{{p + "t.md:14: error", `is not closed: end it with >}}`}}},
		{"shortcode closed with the other delimiter", map[string]string{p + "t.md": policyDoc("Call {{< school \"dsl.phone\" %}} now.\n")},
			Options{}, []want{{p + "t.md:12: error", `opens with {{< but closes with %}}`}}},
		{"misspelt shortcode name", map[string]string{p + "t.md": policyDoc("Text.\n\nCall {{< schol \"dsl.name\" >}}.\n")},
			Options{}, []want{{p + "t.md:14: error", `{{< schol "dsl.name" >}} uses a shortcode called "schol", which does not exist: did you mean school? the shortcodes for policies are icon, school`}}},
		{"unknown shortcode on another page", map[string]string{"content/staff/_index.md": "---\ntitle: Staff\n---\n\nAsk {{% dsl %}}.\n"},
			Options{}, []want{{"content/staff/_index.md:5: error", `uses a shortcode called "dsl", which does not exist`}}},
		{"the site's own shortcode", map[string]string{p + "t.md": policyDoc("Text {{< badge >}}.\n"), "layouts/_shortcodes/badge.html": "B"},
			Options{}, nil},
		{"unknown variable on another page", map[string]string{"content/staff/_index.md": "---\ntitle: Staff\n---\n\nAsk {{< school \"dsl.nmae\" >}}.\n"},
			Options{}, []want{{"content/staff/_index.md:5: error", `unknown school variable "dsl.nmae"`}}},
		{"placeholder left in config", map[string]string{"config.toml": "[params.school]\nname = \"[School name]\"\n[params.school.dsl]\nrole = \"DSL\"\nname = \"TBC\"\n",
			p + "online-safety.md": "", p + "staff-acceptable-use": "", "quizzes": "", "content/_index.md": "", "content/staff": "", "content/policies/_index.md": "",
			p + "t.md": policyDoc("Text.\n")},
			Options{}, []want{
				{"config.toml:2: error", `the school variable name still holds template text "[School name]"`},
				{"config.toml:5: error", `the school variable dsl.name still holds template text "TBC"`},
				{"config.toml:3: error", `[params.school.dsl] has no phone, and the home page's "Worried about a child?" box needs the Designated Safeguarding Lead's name and phone number: add phone = "…" under it`}}},
		{"no DSL in the config", map[string]string{"config.toml": "[params.school]\nname = \"Testwood\"\n[params.school.headteacher]\nrole = \"Head\"\nname = \"Sam\"\n",
			p + "online-safety.md": "", p + "staff-acceptable-use": "", "quizzes": "", "content/_index.md": "", "content/staff": "", "content/policies/_index.md": "",
			p + "t.md": policyDoc("Text.\n", "owner: headteacher")},
			Options{}, []want{{"config.toml:1: error", `the config has no [params.school.dsl], so the home page's "Worried about a child?" box cannot say who the Designated Safeguarding Lead is`}}},
		{"no config", map[string]string{"config.toml": ""},
			Options{}, []want{{"config.toml: error", `the site has no config.toml (or hugo.toml)`}}},
		{"no policies folder", map[string]string{"content/policies": "", "content/_index.md": "", "quizzes": ""},
			Options{}, []want{{"content/policies: error", `there is no content/policies folder`}}},

		// Links.
		{"link to a missing policy file", map[string]string{p + "t.md": policyDoc("See [the policy](online-safty.md).\n")},
			Options{}, []want{{p + "t.md:12: error", `the link to "online-safty.md" goes nowhere: there is no file content/policies/online-safty.md. Did you mean online-safety.md?`}}},
		{"link to a missing anchor", map[string]string{p + "t.md": policyDoc("Text.\n\nSee [filtering](online-safety.md#filtering-and-monitoring).\n")},
			Options{}, []want{{p + "t.md:14: error", `points to a heading #filtering-and-monitoring that content/policies/online-safety.md does not have. Did you mean #filtering?`}}},
		{"link to a missing file of the site", map[string]string{p + "t.md": policyDoc("Fill in the [consent form](/files/consent-form.pdf).\n")},
			Options{}, []want{{p + "t.md:12: error", `the link to "/files/consent-form.pdf" goes nowhere: there is no file static/files/consent-form.pdf in the site (nor in the built-in theme): put the file at static/files/consent-form.pdf`}}},
		{"links to files of the site and of the theme", map[string]string{
			p + "t.md":                      policyDoc("Fill in the [consent form](/files/consent-form.pdf); see [the padlock](/icons/padlock.svg).\n"),
			"static/files/consent-form.pdf": "%PDF-1.4\n"},
			Options{}, nil},
		// Pictures.
		{"picture missing from static", map[string]string{p + "t.md": policyDoc("![The reporting flowchart](/images/flowchart.png)\n")},
			Options{}, []want{{p + "t.md:12: error", `the picture "/images/flowchart.png" is missing: there is no file static/images/flowchart.png in the site (nor in the built-in theme): put the file at static/images/flowchart.png`}}},
		{"picture from another website", map[string]string{p + "t.md": policyDoc("Text.\n\n![Logo](https://council.example.org/img/logo.png)\n")},
			Options{}, []want{{p + "t.md:14: error", `the picture "https://council.example.org/img/logo.png" is on another website, so every reader's browser would fetch it from there (telling that site who read the page) and show nothing if it moves: save the file in static/images/ and write /images/logo.png`}}},
		{"picture beside a single-file policy", map[string]string{p + "t.md": policyDoc("![Flowchart](flowchart.png)\n")},
			Options{}, []want{{p + "t.md:12: error", `the picture "flowchart.png" is missing: there is no file content/policies/flowchart.png: put pictures in static/images/ and write /images/flowchart.png`}}},
		{"picture with no description", map[string]string{p + "t.md": policyDoc("![](/images/flowchart.png)\n"), "static/images/flowchart.png": "png"},
			Options{}, []want{{p + "t.md:12: warning", `the picture "/images/flowchart.png" has no description, so people using screen readers do not know what it shows`}}},
		{"pictures that are there: static, theme, page bundle", map[string]string{
			p + "t.md":                    policyDoc("![Flowchart](/images/flowchart.png) ![Padlock](/icons/padlock.svg)\n"),
			"static/images/flowchart.png": "png",
			p + "b/index.md":              policyDoc("![Map of the site](map.png)\n"),
			p + "b/map.png":               "png"},
			Options{}, nil},
		{"relative address to a missing policy", map[string]string{p + "t.md": policyDoc("See [x](../social-media/).\n")},
			Options{}, []want{{p + "t.md:12: error", `it leads to /policies/social-media/, and there is no policy with the slug "social-media" there`}}},
		{"anchor missing on the same page", map[string]string{p + "t.md": policyDoc("## Scope\n\nSee [scope](#scop) and [scope](#scope).\n")},
			Options{}, []want{{p + "t.md:14: error", `points to a heading #scop that this page does not have. Did you mean #scope?`}}},
		{"absolute address with a missing anchor", map[string]string{p + "t.md": policyDoc("See [x](/policies/online-safety/#reporting).\n")},
			Options{}, []want{{p + "t.md:12: error", `the link to "/policies/online-safety/#reporting" points to a heading #reporting`}}},
		{"link from another page", map[string]string{"content/staff/_index.md": "---\ntitle: Staff\n---\n\nRead [the roles](/policies/online-safety/#roles).\n"},
			Options{}, []want{{"content/staff/_index.md:5: error", `points to a heading #roles that content/policies/online-safety.md does not have`}}},
		{"ref shortcode to a missing anchor", map[string]string{p + "t.md": policyDoc("See [x]({{< ref \"online-safety.md#rules\" >}}).\n")},
			Options{}, []want{{p + "t.md:12: error", `points to a heading #rules`}}},
		{"link and related to a draft", map[string]string{
			p + "t.md": policyDoc("See [the draft](d.md).\n", "related: [d]"),
			p + "d.md": policyDoc("Text.\n", "draft: true")},
			Options{}, []want{
				{p + "t.md:10: warning", `related lists "d", which is a draft (draft: true in content/policies/d.md), so it is not published`},
				{p + "t.md:12: warning", `leads to content/policies/d.md, which is a draft (draft: true), so it is not published`}}},
		{"vague link text", map[string]string{p + "t.md": policyDoc("For the rules [click here](online-safety.md).\n")},
			Options{}, []want{{p + "t.md:12: warning", `the link text "click here" does not say where the link goes`}}},

		// Headings and titles.
		{"heading with only emoji", map[string]string{p + "t.md": policyDoc("## 🛑🚸\n\nText.\n\n## ⚠️ {#warning}\n\nMore.\n\n## 🛑 Stop\n")},
			Options{}, []want{{p + "t.md:12: warning", `the heading "🛑🚸" has no words: screen readers read out the names of its symbols, and its web address (#heading) says nothing`}}},
		{"heading id with a space", map[string]string{p + "t.md": policyDoc("## Contact us {#contact us}\n")},
			Options{}, []want{{p + "t.md:12: warning", `the heading shows "{#contact us}" as text, because an id cannot contain spaces or other punctuation: write {#contact-us}`}}},
		{"two policies with one title", map[string]string{p + "t.md": policyDoc("Text.\n", "title: online safety  policy")},
			Options{}, []want{{p + "t.md:2: warning", `the title "online safety  policy" is also the title of content/policies/online-safety.md, so readers see two policies with one name`}}},
		{"policy with only its fields", map[string]string{p + "t.md": policyDoc("\n\n")},
			Options{}, []want{{p + "t.md:11: error", `the policy has no text, only its fields, so its page would be empty: write the policy below this closing --- line`}}},

		// Links that are not links.
		{"link address with spaces", map[string]string{p + "t.md": policyDoc("See [online safety](Online Safety.md#roles) and [the form](/files/consent form.pdf).\n\nA [real](online-safety.md \"title\") link and `[code](a b)`.\n")},
			Options{}, []want{
				{p + "t.md:12: error", "[online safety](Online Safety.md#roles) is shown as it is, not as a link, because a link's address cannot contain spaces: link to the policy by its file name without capitals or spaces, [online safety](online-safety.md#roles)"},
				{p + "t.md:12: error", "[the form](/files/consent form.pdf) is shown as it is, not as a link, because a link's address cannot contain spaces: write each space in it as %20, [the form](/files/consent%20form.pdf)"}}},

		// Tables.
		{"table whose separator lacks a column", map[string]string{p + "t.md": policyDoc("Text.\n\n| Role | Name | Phone |\n|------|------|\n| DSL | Jo | 0123 |\n\n| A | B |\n| --- | --- |\n| 1 | 2 |\n")},
			Options{}, []want{{p + "t.md:14: warning", "this looks like a table, but the website shows it as lines of text: a table's second line must have one --- per column, and this row has 3 columns: put | --- | --- | --- | under it"}}},
		{"table pasted with tabs", map[string]string{p + "t.md": policyDoc("Text.\n\nRole\tName\tPhone\nDSL\tJo\t0123\n")},
			Options{}, []want{{p + "t.md:14: warning", "this looks like a table pasted with tabs between the cells, which the website shows as one line of text: write it as a Markdown table, | Role | Name | Phone | then | --- | --- | --- |"}}},

		// HTML pasted from a web page or Word.
		{"pasted HTML", map[string]string{p + "t.md": policyDoc("<div class=MsoNormal><p>Pasted <b>text</b></p>\n<table><tr><td>cell</td></tr></table>\n</div>\n\nA <b>bold</b> word and <!-- a note --> here.\n\n<!-- a comment block -->\n")},
			Options{}, []want{
				{p + "t.md:12: warning", "this is HTML (as pasted from a web page or Word), which the website leaves out, with any text inside it: write it in Markdown instead"},
				{p + "t.md:16: warning", "this is HTML"}}},

		// Slugs.
		{"policy saved in content/ instead of content/policies/", map[string]string{"content/anti-bullying.md": policyDoc("Text.\n")},
			Options{}, []want{{"content/anti-bullying.md:1: warning", "this looks like a policy, but it is not in content/policies/, so the website shows it as a plain page: it is not listed with the policies or on the review schedule, and its fields are not checked; move it to content/policies/anti-bullying.md"}}},
		{"policy saved as .txt", map[string]string{p + "Anti Bullying.txt": policyDoc("Text.\n")},
			Options{}, []want{{p + "Anti Bullying.txt: error", "this .txt file is not read as a policy (only .md files are), and the website would publish it as it is, at /policies/Anti Bullying.txt: if it is a policy, save it as plain text named anti-bullying.md"}}},
		{"policy as a Word file", map[string]string{p + "anti-bullying.docx": "PK"},
			Options{}, []want{{p + "anti-bullying.docx: error", "save it as plain text named anti-bullying.md"}}},
		{"a PDF beside the policies", map[string]string{p + "form.pdf": "%PDF"},
			Options{}, []want{{p + "form.pdf: warning", "files to download go in static/files/ (linked as /files/form.pdf)"}}},
		{"policy named .MD is checked", map[string]string{p + "t.MD": policyDoc("Text.\n", "owner: nobody")},
			Options{}, []want{
				{p + "t.MD:1: warning", "the file name ends in .MD: rename the file to t.md"},
				{p + "t.MD:5: error", `owner "nobody" is not a role`}}},
		{"file name with capitals and a space", map[string]string{p + "Anti Bullying.md": policyDoc("See [online safety](online-safety.md).\n"),
			p + "t.md": policyDoc("See the [anti-bullying policy](/policies/anti-bullying/).\n", "related: [anti-bullying]")},
			Options{}, []want{{p + "Anti Bullying.md:1: warning", `the file name "Anti Bullying" has capitals or spaces: the website calls this policy anti-bullying (its address is /policies/anti-bullying/, and related:, links and quizzes name it anti-bullying); rename the file to anti-bullying.md`}}},
		{"two files that are one page to Hugo", map[string]string{p + "T.md": policyDoc("Text.\n"), p + "t.md": policyDoc("Text.\n")},
			Options{}, []want{
				{p + "t.md:1: error", `duplicate slug "t": content/policies/T.md already uses it`},
				{p + "T.md:1: warning", `rename the file to t.md`}}},
		{"file and bundle with one slug", map[string]string{p + "online-safety/index.md": policyDoc("Text.\n")},
			Options{}, []want{{p + "online-safety/index.md:1: error", `duplicate slug "online-safety": content/policies/online-safety.md already uses it`}}},
		{"slug field clash", map[string]string{p + "t.md": policyDoc("Text.\n", "slug: online-safety")},
			Options{}, []want{{p + "t.md:11: error", `duplicate slug "online-safety": content/policies/online-safety.md already uses it, so both would be published at /policies/online-safety/ and one would be lost; change the slug: field`}}},

		// Text left from a template.
		{"redaction block", map[string]string{p + "t.md": policyDoc("Call ▇▇▇▇ on 01632.\n")},
			Options{}, []want{{p + "t.md:12: error", `"▇▇▇▇" is a blacked-out gap left from a template`}}},
		{"full block redaction", map[string]string{p + "t.md": policyDoc("Text.\n\nThe DSL is ████ ■■.\n")},
			Options{}, []want{{p + "t.md:14: error", `"████"`}, {p + "t.md:14: error", `"■■"`}}},
		{"square-bracket placeholder", map[string]string{p + "t.md": policyDoc("Welcome to [School name].\n")},
			Options{}, []want{{p + "t.md:12: error", `"[School name]" looks like a template placeholder still to fill in`}}},
		{"XXX", map[string]string{p + "t.md": policyDoc("Phone 01632 XXXXXX.\n")},
			Options{}, []want{{p + "t.md:12: error", `"XXXXXX" marks text still to be written`}}},
		{"TBC and TODO", map[string]string{p + "t.md": policyDoc("Lead: TBC.\n\nTODO: add the new guidance.\n")},
			Options{}, []want{{p + "t.md:12: error", `"TBC" marks text`}, {p + "t.md:14: error", `"TODO" marks text`}}},
		{"TBA in a heading", map[string]string{p + "t.md": policyDoc("## Training dates (TBA)\n")},
			Options{}, []want{{p + "t.md:12: error", `"TBA" marks text`}}},
		{"angle-bracket placeholder", map[string]string{p + "t.md": policyDoc("Contact <DSL name> today.\n")},
			Options{}, []want{{p + "t.md:12: error", `"<DSL name>" looks like a template placeholder, and the website would show nothing there`}}},
		{"placeholder in front matter", map[string]string{p + "t.md": policyDoc("Text.\n", "summary: How [School name] keeps pupils safe.")},
			Options{}, []want{{p + "t.md:3: error", `"[School name]" in the summary field looks like a template placeholder`}}},
		{"TODO kept in a comment", map[string]string{p + "t.md": policyDoc("<!-- TODO: [check] this -->\nText.\n")},
			Options{}, []want{{p + "t.md:12: error", `"TODO" marks text`}}},

		// Review dates.
		{"review due soon", map[string]string{p + "t.md": policyDoc("Text.\n", "review: 2026-11-15")},
			Options{}, []want{{p + "t.md:8: warning", `the review is due on 15 November 2026, in 45 days`}}},
		{"review due today", map[string]string{p + "t.md": policyDoc("Text.\n", "adopted: 2025-10-01", "review: 2026-10-01")},
			Options{}, []want{{p + "t.md:8: warning", `the review is due on 1 October 2026, today`}}},
		{"warning window from options", map[string]string{p + "t.md": policyDoc("Text.\n", "review: 2026-11-15")},
			Options{WarnDays: 30}, nil},
		{"review passed", map[string]string{p + "t.md": policyDoc("Text.\n", "adopted: 2025-09-01", "review: 2026-09-01")},
			Options{}, []want{{p + "t.md:8: warning", `the review date 1 September 2026 has passed (30 days ago)`}}},
		{"review passed, strict", map[string]string{p + "t.md": policyDoc("Text.\n", "adopted: 2025-09-01", "review: 2026-09-01")},
			Options{Strict: true}, []want{{p + "t.md:8: error", `has passed (30 days ago): review the policy`}}},

		// Headings.
		{"heading level skipped", map[string]string{p + "t.md": policyDoc("## Scope\n\n#### Detail\n")},
			Options{}, []want{{p + "t.md:14: warning", `the heading "Detail" jumps from level 2 to level 4, which confuses people using screen readers: make it ###`}}},
		{"first heading too deep", map[string]string{p + "t.md": policyDoc("### Scope\n")},
			Options{}, []want{{p + "t.md:12: warning", `jumps from level 1 to level 3`}}},
		{"top-level heading in body", map[string]string{p + "t.md": policyDoc("# Scope\n")},
			Options{}, []want{{p + "t.md:12: warning", `the page title is already the top-level heading: use ## for sections`}}},
		{"two headings with one fixed id", map[string]string{p + "t.md": policyDoc("## A {#x}\n\n## B {#x}\n")},
			Options{}, []want{{p + "t.md:14: error", `the id {#x} is already used by the heading on line 12`}}},
		{"shortcode that makes an unstable id", map[string]string{p + "t.md": policyDoc("## Talk to {{< school \"dsl.name\" >}}\n")},
			Options{}, []want{{p + "t.md:12: warning", `give the heading a fixed id, e.g. ## Talk to {{< school "dsl.name" >}} {#talk-to}`}}},
		{"pasted bare heading", map[string]string{p + "t.md": policyDoc("Text.\n\nRoles and Responsibilities\n\nMore.\n")},
			Options{}, []want{{p + "t.md:14: warning", `"Roles and Responsibilities" stands alone like a heading`}}},

		// Quizzes.
		{"quiz cites a missing heading", map[string]string{"quizzes/online-safety.toml": strings.Replace(sitetest.File(t, validSite, "quizzes/online-safety.toml"), "online-safety#filtering", "online-safety#filtering-and-monitoring", 1)},
			Options{}, []want{{"quizzes/online-safety.toml:19: error", `points to a heading #filtering-and-monitoring that policy "online-safety" does not have`}}},
		{"quiz for a missing policy", map[string]string{"quizzes/mobiles.toml": "title = \"Phones\"\npolicy = \"mobile-phones\"\nvalid_for_days = 365\nacknowledge = true\n"},
			Options{}, []want{{"quizzes/mobiles.toml:2: error", `policy "mobile-phones" does not exist`}}},
		{"quiz citing an id only the pasted-text repair creates", map[string]string{
			p + "t.md":       policyDoc("Text.\n\nRoles and Responsibilities\n\nMore.\n"),
			"quizzes/t.toml": "title = \"T\"\npolicy = \"t\"\nvalid_for_days = 365\npass_mark = 1.0\n\n[[questions]]\ntext = \"Who?\"\nchoices = [\"A\", \"B\"]\nanswer = 0\nexplanation = \"A.\"\nref = \"t#roles-and-responsibilities\"\n",
		}, Options{}, []want{{p + "t.md:14: warning", `stands alone like a heading`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := site(t, tt.changes)
			opt := tt.opt
			if opt.Now.IsZero() {
				opt.Now = today
			}
			got, err := Check(dir, opt)
			if err != nil {
				t.Fatal(err)
			}
			matched := make([]bool, len(got))
			for _, w := range tt.want {
				found := false
				for i, f := range got {
					if !matched[i] && strings.HasPrefix(f.String(), w.at+": ") && strings.Contains(f.Message, w.phrase) {
						matched[i], found = true, true
						break
					}
				}
				if !found {
					t.Errorf("missing finding %s: …%s…", w.at, w.phrase)
				}
			}
			for i, f := range got {
				if !matched[i] {
					t.Errorf("unexpected finding: %s", f)
				}
			}
		})
	}
}

func TestCheckSortsFindingsByFileAndLine(t *testing.T) {
	dir := site(t, map[string]string{
		"content/policies/b.md": policyDoc("Lead: TBC.\n\nDeputy: TBC.\n", "owner: nobody"),
		"content/policies/a.md": policyDoc("Phone XXX.\n"),
	})
	got, err := Check(dir, Options{Now: today})
	if err != nil {
		t.Fatal(err)
	}
	var at []string
	for _, f := range got {
		at = append(at, strings.SplitN(f.String(), ": ", 2)[0])
	}
	want := []string{"content/policies/a.md:12", "content/policies/b.md:5", "content/policies/b.md:12", "content/policies/b.md:14"}
	if strings.Join(at, " ") != strings.Join(want, " ") {
		t.Errorf("findings at %v, want %v", at, want)
	}
}

func TestCheckUnreadableSite(t *testing.T) {
	file := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{filepath.Join(t.TempDir(), "missing"), file} {
		if _, err := Check(dir, Options{}); err == nil {
			t.Errorf("Check(%s) returned no error", dir)
		}
	}
}

// The site is also a quiz.PolicyIndex with the ids Hugo gives headings,
// including ids that contain a school variable's value.
func TestSiteIsPolicyIndex(t *testing.T) {
	s, _, err := Load(sitetest.Write(t, validSite), Options{Now: today})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		slug, anchor string
		policy, ok   bool
	}{
		{"online-safety", "roles-and-responsibilities", true, true},
		{"online-safety", "filtering", true, true},
		{"online-safety", "filtering-and-monitoring", true, false},
		{"online-safety", "contacting-testshire-children39s-services", true, true},
		{"staff-acceptable-use", "passwords-and-security", true, true},
		{"social-media", "scope", false, false},
	}
	for _, tt := range tests {
		if got := s.HasPolicy(tt.slug); got != tt.policy {
			t.Errorf("HasPolicy(%q) = %v", tt.slug, got)
		}
		if got := s.HasAnchor(tt.slug, tt.anchor); got != tt.ok {
			t.Errorf("HasAnchor(%q, %q) = %v", tt.slug, tt.anchor, got)
		}
	}
}

// `policysite check` run inside the site folder passes "."; paths must still
// read content/…, quizzes/…, not ./content or absolute paths.
func TestCheckFromInsideTheSite(t *testing.T) {
	dir := site(t, map[string]string{
		"content/policies/t.md":      policyDoc("Phone XXX.\n"),
		"quizzes/online-safety.toml": strings.Replace(sitetest.File(t, validSite, "quizzes/online-safety.toml"), "#filtering", "#nope", 1),
	})
	t.Chdir(dir)
	got, err := Check(".", Options{Now: today})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range got {
		files = append(files, f.File)
	}
	if want := []string{"content/policies/t.md", "quizzes/online-safety.toml"}; strings.Join(files, " ") != strings.Join(want, " ") {
		t.Errorf("files %q, want %q", files, want)
	}
}

// A school that asks Hugo for other heading ids (autoHeadingIDType in its
// config) has its links and quiz references checked against those ids, as
// Hugo makes them.
func TestCheckUsesTheSitesHeadingIDs(t *testing.T) {
	cfg := sitetest.File(t, validSite, "config.toml") + "\n[markup.goldmark.parser]\n  autoHeadingIDType = \"github-ascii\"\n"
	dir := site(t, map[string]string{
		"config.toml":           cfg,
		"content/policies/t.md": policyDoc("## Café rules\n\nSee [the rules](#cafe-rules), not [these](#café-rules).\n"),
	})
	findings, err := Check(dir, Options{Now: today})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range findings {
		got = append(got, f.String())
	}
	if len(got) != 1 || !strings.Contains(got[0], `points to a heading #café-rules that this page does not have. Did you mean #cafe-rules?`) {
		t.Errorf("findings %q, want one: the link to #café-rules (github-ascii gives #cafe-rules)", got)
	}
}
