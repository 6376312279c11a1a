package poster

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/policysite/policysite/internal/hugo"
	"github.com/policysite/policysite/internal/markdown"
	"github.com/policysite/policysite/internal/policy"
	"github.com/policysite/policysite/internal/school"
	"github.com/policysite/policysite/internal/sitetest"
)

// The example school's posters: all readable, the English ones carry the
// pupil AUP's rules (so they cannot drift), the translations match them.
func TestExampleSchoolPosters(t *testing.T) {
	site, probs := newSite(t, "../..")
	posters, more := site.Load()
	probs = append(probs, more...)
	for _, p := range posters {
		probs = append(probs, site.Advice(p)...)
	}
	for _, pr := range probs {
		t.Errorf("example school: %s", pr)
	}
	byFile := map[string]*Poster{}
	for _, p := range posters {
		byFile[p.File] = p
	}
	ks1Icons := []string{"tablet", "ask-before-click", "padlock", "personal-info", "kind-words", "stop-hand", "tell-someone", "camera"}
	for _, tc := range []struct {
		file, stage, paper, orientation, lang string
		rtl                                   bool
		rules                                 int
		rulesIn                               string
	}{
		{"content/posters/ks1-a4-en.md", "EYFS/KS1", "A4", "portrait", "en", false, 8, "content/policies/pupil-acceptable-use.md"},
		{"content/posters/ks1-a4-pl.md", "EYFS/KS1", "A4", "portrait", "pl", false, 8, "content/posters/ks1-a4-pl.md"},
		{"content/posters/ks1-a4-ur.md", "EYFS/KS1", "A4", "portrait", "ur", true, 8, "content/posters/ks1-a4-ur.md"},
		{"content/posters/ks2-a4-en.md", "KS2", "A4", "portrait", "en", false, 10, "content/policies/pupil-acceptable-use.md"},
		{"content/posters/ks2-a3-en.md", "KS2", "A3", "landscape", "en", false, 10, "content/policies/pupil-acceptable-use.md"},
	} {
		p := byFile[tc.file]
		if p == nil {
			t.Errorf("%s: not loaded; posters: %v", tc.file, slices.Collect(func(yield func(string) bool) {
				for f := range byFile {
					yield(f)
				}
			}))
			continue
		}
		if p.KeyStage != tc.stage || p.Paper != tc.paper || p.Orientation != tc.orientation || p.Language != tc.lang || p.RTL() != tc.rtl {
			t.Errorf("%s: got %s %s %s %s rtl=%v, want %s %s %s %s rtl=%v", tc.file, p.KeyStage, p.Paper, p.Orientation, p.Language, p.RTL(),
				tc.stage, tc.paper, tc.orientation, tc.lang, tc.rtl)
		}
		if len(p.Rules) != tc.rules {
			t.Errorf("%s: %d rules, want %d", tc.file, len(p.Rules), tc.rules)
			continue
		}
		for i, r := range p.Rules {
			if r.File != tc.rulesIn {
				t.Errorf("%s: rule %d comes from %s, want %s", tc.file, i+1, r.File, tc.rulesIn)
			}
			if i > 0 && r.Line <= p.Rules[i-1].Line {
				t.Errorf("%s: rule %d is on line %d, not after rule %d on line %d", tc.file, i+1, r.Line, i, p.Rules[i-1].Line)
			}
		}
		if tc.stage == "EYFS/KS1" {
			var icons []string
			for _, r := range p.Rules {
				icons = append(icons, r.Icon)
			}
			if !slices.Equal(icons, ks1Icons) {
				t.Errorf("%s: icons %v, want the AUP's KS1 icons %v", tc.file, icons, ks1Icons)
			}
		}
	}
	// The KS1 English poster's first rule is the AUP's, word for word.
	if p := byFile["content/posters/ks1-a4-en.md"]; p != nil && len(p.Rules) > 0 {
		if got, want := p.Rules[0].Text, "I only use tablets and computers when an adult says yes."; got != want {
			t.Errorf("ks1-a4-en rule 1 = %q, want the AUP's %q", got, want)
		}
	}
}

// newSite prepares the posters of the site in dir, with its policies read
// as check reads them: Hugo's Markdown, after the build's repairs.
func newSite(t *testing.T, dir string) (*Site, []school.Finding) {
	t.Helper()
	ps := &policy.Parser{Root: dir, Markdown: hugo.DefaultMarkdown(), Normalize: func(b []byte) ([]byte, []policy.Repair) {
		out, _ := markdown.Normalize(b)
		return out, nil
	}}
	pols, _ := ps.LoadDir(filepath.Join(dir, "content", "policies"))
	return NewSite(dir, pols)
}

// load reads and checks every poster of the site in dir.
func load(t *testing.T, dir string) ([]*Poster, []school.Finding) {
	t.Helper()
	s, probs := newSite(t, dir)
	posters, more := s.Load()
	return posters, append(probs, more...)
}

// site writes the small site testdata/aup.txtar (a pupil acceptable use
// policy with rules under its headings) and the given posters.
func site(t *testing.T, posters map[string]string) string {
	t.Helper()
	dir := sitetest.Write(t, "testdata/aup.txtar")
	for name, src := range posters {
		p := filepath.Join(dir, "content", "posters", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func fm(lines ...string) string {
	return "---\n" + strings.Join(lines, "\n") + "\n---\n"
}

var good = []string{`title: "Rules"`, "key_stage: KS1", "paper: A4"}

func with(extra ...string) []string { return append(append([]string{}, good...), extra...) }

// Each mistake a teacher could make is reported at its file and line, with
// what to write instead.
func TestPosterMistakes(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		file   string // "" = the poster
		line   int
		wants  []string
		warn   bool
		others bool // other problems may be reported too
	}{
		{name: "unknown icon", src: fm(good...) + "\n- :padlok: I keep my password secret.\n",
			line: 7, wants: []string{"unknown icon :padlok:", "did you mean :padlock:?", "ask-before-click, camera", "static/icons/padlok.svg"}},
		{name: "rule without icon", src: fm(good...) + "\n- I keep my password secret.\n",
			line: 7, wants: []string{"has no icon", "- :padlock: I keep my password secret."}},
		{name: "icon in capitals", src: fm(good...) + "- :Padlock: Secret.\n",
			line: 6, wants: []string{"small letters", ":Padlock:"}},
		{name: "icon without words", src: fm(good...) + "- :padlock:\n",
			line: 6, wants: []string{"has no words"}},
		{name: "paragraph in body", src: fm(good...) + "\nOur rules\n\n- :padlock: Secret.\n",
			line: 7, wants: []string{`"Our rules" is not a rule`, "front matter"}},
		{name: "heading in body", src: fm(good...) + "\n## Rules\n- :padlock: Secret.\n",
			line: 7, wants: []string{`"## Rules" is not a rule`}},
		{name: "nested list", src: fm(good...) + "- :padlock: Secret.\n  - :camera: Photos.\n",
			line: 7, wants: []string{"cannot have a list inside it"}},
		{name: "no rules", src: fm(good...),
			line: 5, wants: []string{"has no rules", "rules_from: pupil-acceptable-use#ks1-rules"}},
		{name: "no title", src: fm("key_stage: KS1", "paper: A4") + "- :padlock: Secret.\n",
			line: 1, wants: []string{"no title", `title: "Our rules for staying safe online"`}},
		{name: "bad key stage", src: fm(`title: "R"`, "key_stage: Year 2", "paper: A4") + "- :padlock: Secret.\n",
			line: 3, wants: []string{`key_stage "Year 2"`, "EYFS/KS1, EYFS, KS1, KS2, KS3"}},
		{name: "no key stage", src: fm(`title: "R"`, "paper: A4") + "- :padlock: Secret.\n",
			line: 1, wants: []string{"no key_stage", "key_stage: EYFS/KS1"}},
		{name: "bad paper", src: fm(`title: "R"`, "key_stage: KS2", "paper: Letter") + "- :padlock: Secret.\n",
			line: 4, wants: []string{`paper "Letter"`, "A4 or A3"}},
		{name: "bad orientation", src: fm(with("orientation: sideways")...) + "- :padlock: Secret.\n",
			line: 5, wants: []string{`orientation "sideways"`, "portrait", "landscape"}},
		{name: "bad language", src: fm(with("language: Polish!")...) + "- :padlock: Secret.\n",
			line: 5, wants: []string{`language "Polish!"`, "pl (Polish)"}},
		{name: "typo in a field", src: fm(with("rule_from: pupil-acceptable-use#ks1-rules")...) + "- :padlock: Secret.\n",
			line: 5, warn: true, wants: []string{"rule_from is not a poster field", "did you mean rules_from?"}},
		{name: "rules_from and rules", src: fm(with("rules_from: pupil-acceptable-use#ks1-rules")...) + "- :padlock: Secret.\n",
			line: 7, wants: []string{"takes its rules from pupil-acceptable-use#ks1-rules (line 5)", "delete them"}},
		{name: "rules_from malformed", src: fm(with("rules_from: pupil-acceptable-use")...),
			line: 5, wants: []string{"should name a policy and the id of a heading", "pupil-acceptable-use#ks1-rules"}, others: true},
		{name: "rules_from unknown policy", src: fm(with("rules_from: pupil-acceptable-usage#ks1-rules")...),
			line: 5, wants: []string{`no policy "pupil-acceptable-usage"`, "did you mean pupil-acceptable-use?"}},
		{name: "rules_from unknown heading", src: fm(with("rules_from: pupil-acceptable-use#ks1-rule")...),
			line: 5, wants: []string{`no heading with the id "ks1-rule"`, "did you mean #ks1-rules", "{#ks1-rules}"}},
		{name: "rules_from section without rules", src: fm(with("rules_from: pupil-acceptable-use#empty")...),
			line: 5, wants: []string{`section "Nothing here"`, "line 20", "has no rules"}},
		{name: "rules_from rule without icon", src: fm(with("rules_from: pupil-acceptable-use#ks2-rules")...),
			file: "content/policies/pupil-acceptable-use.md", line: 18,
			wants: []string{"has no icon", "the poster content/posters/p.md takes its rules from here"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := site(t, map[string]string{"p.md": tc.src})
			_, probs := load(t, dir)
			file := tc.file
			if file == "" {
				file = "content/posters/p.md"
			}
			var found bool
			for _, p := range probs {
				if p.File == file && p.Line == tc.line && (p.Severity == school.Warning) == tc.warn && containsAll(p.Message, tc.wants) {
					found = true
				} else if !tc.others {
					t.Errorf("unexpected problem: %s", p)
				}
			}
			if !found {
				t.Errorf("want a problem at %s:%d containing %q; got:\n%s", file, tc.line, tc.wants, list(probs))
			}
		})
	}
}

func TestRulesFromPolicy(t *testing.T) {
	dir := site(t, map[string]string{"p.md": fm(with("rules_from: pupil-acceptable-use#ks1-rules")...)})
	posters, probs := load(t, dir)
	if len(probs) > 0 || len(posters) != 1 {
		t.Fatalf("got %d posters and problems:\n%s", len(posters), list(probs))
	}
	got := posters[0].Rules
	want := []Rule{
		{Icon: "padlock", Text: "I keep my password secret.", File: "content/policies/pupil-acceptable-use.md", Line: 11},
		{Icon: "tell-someone", Text: "I tell a grown-up.", File: "content/policies/pupil-acceptable-use.md", Line: 12},
	}
	if !slices.Equal(got, want) {
		t.Errorf("rules = %+v\nwant %+v", got, want)
	}
}

// A rule can go on over the next line, indented, as Markdown allows.
func TestContinuationLine(t *testing.T) {
	dir := site(t, map[string]string{"p.md": fm(good...) + "- :padlock: I keep my password\n  secret.\n- :camera: Photos.\n"})
	posters, probs := load(t, dir)
	if len(probs) > 0 {
		t.Fatalf("problems:\n%s", list(probs))
	}
	if got := posters[0].Rules[0].Text; got != "I keep my password secret." {
		t.Errorf("rule 1 = %q", got)
	}
	if got := posters[0].Rules[1].Line; got != 8 {
		t.Errorf("rule 2 on line %d, want 8", got)
	}
}

// An icon the school drew itself, in its own static/icons, is known.
func TestSiteIcons(t *testing.T) {
	dir := site(t, map[string]string{"p.md": fm(good...) + "- :rocket: We have fun.\n"})
	if _, probs := load(t, dir); len(probs) != 1 || !strings.Contains(probs[0].Message, "unknown icon :rocket:") {
		t.Fatalf("without static/icons/rocket.svg: want one unknown-icon error, got:\n%s", list(probs))
	}
	os.MkdirAll(filepath.Join(dir, "static", "icons"), 0o755)
	os.WriteFile(filepath.Join(dir, "static", "icons", "rocket.svg"), []byte("<svg/>"), 0o644)
	if _, probs := load(t, dir); len(probs) > 0 {
		t.Fatalf("with static/icons/rocket.svg: problems:\n%s", list(probs))
	}
}

func TestReadingLevel(t *testing.T) {
	twelve := "One two three four five six seven eight nine ten eleven twelve."
	thirteen := "One two three four five six seven eight nine ten eleven twelve thirteen."
	twentyOne := thirteen + " a b c d e f g h."
	dir := site(t, map[string]string{
		"ks1.md": fm(good...) + "- :padlock: " + twelve + "\n- :camera: " + thirteen + "\n",
		"ks2.md": fm(`title: "R"`, "key_stage: KS2", "paper: A4") + "- :padlock: " + thirteen + "\n- :camera: " + twentyOne + "\n",
		"ks3.md": fm(`title: "R"`, "key_stage: KS3", "paper: A4") + "- :camera: " + twentyOne + " " + twentyOne + "\n",
	})
	s, _ := newSite(t, dir)
	posters, probs := s.Load()
	if len(probs) > 0 {
		t.Fatalf("problems:\n%s", list(probs))
	}
	var got []string
	for _, p := range posters {
		for _, w := range s.Advice(p) {
			got = append(got, w.String())
		}
	}
	want := []string{
		"content/posters/ks1.md:7: warning: this rule has 13 words; a rule on a KS1 poster should have at most 12",
		"content/posters/ks2.md:7: warning: this rule has 21 words; a rule on a KS2 poster should have at most 20",
	}
	if len(got) != len(want) {
		t.Fatalf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("warning %d:\n got %s\nwant %s…", i+1, got[i], want[i])
		}
	}
}

func TestTranslationDrift(t *testing.T) {
	tr := func(rules ...string) string {
		return fm(with("language: pl", "translates: pupil-acceptable-use#ks1-rules")...) + strings.Join(rules, "\n") + "\n"
	}
	tests := []struct {
		name  string
		src   string
		wants []string // nil: no warning
	}{
		{"same icons", tr("- :padlock: Moje hasło to tajemnica.", "- :tell-someone: Mówię dorosłemu."), nil},
		{"other order", tr("- :tell-someone: Mówię dorosłemu.", "- :padlock: Moje hasło to tajemnica."),
			[]string{"content/policies/pupil-acceptable-use.md#ks1-rules", "rule 1 there is :padlock: “I keep my password secret.” (line 11), here it is :tell-someone: (line 8)"}},
		{"a rule added to the policy", tr("- :padlock: Moje hasło to tajemnica."),
			[]string{"it has 2 rules and this poster 1", ":tell-someone: “I tell a grown-up.” (line 12)"}},
		{"a rule removed from the policy", tr("- :padlock: A.", "- :tell-someone: B.", "- :camera: C."),
			[]string{"it has 2 rules and this poster 3: the rule on line 10 is not there any more"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newSite(t, site(t, map[string]string{"p.md": tc.src}))
			posters, probs := s.Load()
			if len(probs) > 0 {
				t.Fatalf("problems:\n%s", list(probs))
			}
			warns := s.Advice(posters[0])
			if tc.wants == nil {
				if len(warns) > 0 {
					t.Errorf("want no warning, got:\n%s", list(warns))
				}
				return
			}
			if len(warns) != 1 || warns[0].Line != 6 || !containsAll(warns[0].Message, tc.wants) {
				t.Errorf("want one warning on line 6 containing %q, got:\n%s", tc.wants, list(warns))
			}
		})
	}
}

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int
	}{
		{"I keep my password secret.", 5},
		{"I ask before I click – always.", 6},
		{`I tell {{< school "dsl.name" >}} at once.`, 5},
		{"I read the [rules](/policies/x/) **every** day.", 6},
		{"ہم اپنا پاس ورڈ راز رکھتے ہیں۔", 7},
		{"Pytam, zanim kliknę w coś nowego.", 6},
	} {
		if got := Words(tc.text); got != tc.want {
			t.Errorf("Words(%q) = %d, want %d", tc.text, got, tc.want)
		}
	}
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func list(probs []school.Finding) string {
	var b strings.Builder
	for _, p := range probs {
		b.WriteString("    " + p.String() + "\n")
	}
	if b.Len() == 0 {
		return "    (none)\n"
	}
	return b.String()
}

// The SVG file is an icon's only drawing: its title and shapes are read
// from it for the pages, and a school's own icon keeps its viewBox.
func TestReadIcons(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "static", "icons"), 0o755)
	os.WriteFile(filepath.Join(dir, "static", "icons", "rocket.svg"), []byte(`<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><title>A rocket</title>
  <path d="M24 4l8 20H16z"/>
</svg>
`), 0o644)
	os.WriteFile(filepath.Join(dir, "static", "icons", "broken.svg"), []byte(`<svg><title>x</svg>`), 0o644)
	if _, err := ReadIcons(dir); err == nil || !strings.Contains(err.Error(), "static/icons/broken.svg of the site is not an SVG picture") {
		t.Errorf("a broken SVG: error %v", err)
	}
	os.Remove(filepath.Join(dir, "static", "icons", "broken.svg"))
	icons, err := ReadIcons(dir)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Icon{}
	for _, ic := range icons {
		byName[ic.Name] = ic
	}
	want := map[string]Icon{
		"padlock": {Name: "padlock", Title: "A padlock", ViewBox: "0 0 24 24", Shape: `<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7.5a4 4 0 0 1 8 0V11"/><path d="M12 15v2"/>`},
		"rocket":  {Name: "rocket", Title: "A rocket", ViewBox: "0 0 48 48", Shape: `<path d="M24 4l8 20H16z"/>`},
	}
	for name, w := range want {
		if got := byName[name]; got != w {
			t.Errorf("icon %s = %+v, want %+v", name, got, w)
		}
	}
	if len(icons) != 18 {
		t.Errorf("%d icons, want the 17 built in and the school's own", len(icons))
	}
}
