package policy

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const testConfig = `baseURL = "/"

[params]
  review_warning_days = 45

[params.school]
  name = "Oakfield Primary School"
  motto = "Learn + grow"
  [params.school.dsl]
    role = "Designated Safeguarding Lead"
    name = "Mrs Helen Marsh"
  [params.school.children_services]
    name = "Ashcombe Children's Services"
  [params.school.accessibility]
    statement_prepared = 2026-09-01
    response_days = 5
  [params.school.Headteacher]
    role = "Headteacher"
    name = "Mr Okafor"
`

func TestParseConfig(t *testing.T) {
	cfg, probs := ParseConfig("config.toml", []byte(testConfig))
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	s := cfg.School
	if cfg.ReviewWarningDays != 45 {
		t.Errorf("ReviewWarningDays = %d", cfg.ReviewWarningDays)
	}
	wantKeys := []string{"accessibility.response_days", "accessibility.statement_prepared", "children_services.name",
		"dsl.name", "dsl.role", "headteacher.name", "headteacher.role", "motto", "name"}
	if !reflect.DeepEqual(s.Keys(), wantKeys) {
		t.Errorf("Keys = %q", s.Keys())
	}
	// Only tables with both role and name are roles a policy can be owned by.
	if got := s.Roles(); !reflect.DeepEqual(got, []string{"dsl", "headteacher"}) {
		t.Errorf("Roles = %q", got)
	}
	tests := []struct {
		key, out string
		ok       bool
		line     int
	}{
		{"name", "Oakfield Primary School", true, 7},
		{"DSL.Name", "Mrs Helen Marsh", true, 11}, // the theme lower-cases keys
		// Output as the theme's shortcode writes it into the Markdown,
		// escaped the way html/template escapes text.
		{"children_services.name", "Ashcombe Children&#39;s Services", true, 13},
		{"motto", "Learn &#43; grow", true, 8},
		{"accessibility.statement_prepared", "2026-09-01", true, 15},
		{"accessibility.response_days", "5", true, 16},
		{"dsl", "", false, 9},
		{"dsl.phone", "", false, 0},
	}
	for _, tt := range tests {
		out, ok := s.ShortcodeOutput(tt.key)
		if out != tt.out || ok != tt.ok {
			t.Errorf("ShortcodeOutput(%q) = %q, %v; want %q, %v", tt.key, out, ok, tt.out, tt.ok)
		}
		if got := s.KeyLine(tt.key); got != tt.line {
			t.Errorf("KeyLine(%q) = %d, want %d", tt.key, got, tt.line)
		}
	}
	if !s.IsGroup("dsl") || s.IsGroup("dsl.name") || !s.Has("dsl.name") || s.Has("dsl") {
		t.Error("group/variable distinction wrong")
	}
}

func TestParseConfigProblems(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"text without quotes", "[params.school]\nname = Oakfield\n", `config.toml:2: error: text in the config must be in quotes: write name = "Oakfield"`},
		{"name without quotes", "[params.school]\n  [params.school.dsl]\n    name = Mrs Helen Marsh  # the DSL\n", `config.toml:3: error: text in the config must be in quotes: write name = "Mrs Helen Marsh"`},
		{"phone without quotes", "[params.school]\nphone = 01632 960 100\n", `config.toml:2: error: text in the config must be in quotes: write phone = "01632 960 100"`},
		{"syntax", "[params.school\nname = \"Oakfield\"\n", "config.toml:1: error: the config cannot be read"},
		{"baseURL without https", "baseURL = \"oakfield.example.org\"\n[params.school]\nname = \"O\"\n", `config.toml:1: error: the site address (baseURL) "oakfield.example.org" must start with https://`},
		{"no school table", "[params]\ntitle = \"x\"\n", "config.toml:1: error: the config has no [params.school] table"},
		{"template text", "[params.school]\n[params.school.dsl]\nrole = \"DSL\"\nname = \"[Name of DSL]\"\n",
			`config.toml:4: error: the school variable dsl.name still holds template text "[Name of DSL]"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs := ParseConfig("config.toml", []byte(tt.src))
			if len(probs) != 1 || !strings.HasPrefix(probs[0].String(), tt.want) {
				t.Errorf("problems %v, want one starting %q", probs, tt.want)
			}
		})
	}
}

func TestLoadConfigPrefersHugoToml(t *testing.T) {
	dir := t.TempDir()
	for name, school := range map[string]string{"hugo.toml": "From hugo.toml", "config.toml": "From config.toml"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("[params.school]\nname = \""+school+"\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, probs, err := LoadConfig(dir)
	if err != nil || len(probs) != 0 {
		t.Fatal(err, probs)
	}
	if v, _ := cfg.School.Value("name"); v != "From hugo.toml" || cfg.File != "hugo.toml" {
		t.Errorf("read %q from %s", v, cfg.File)
	}
	if _, _, err := LoadConfig(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing site folder must be an error")
	}
}

func TestBaseURLProblem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/", ""},
		{"", ""},
		{"/school/", ""},
		{"https://policies.oakfield.example.org/", ""},
		{"HTTP://policies.oakfield.example.org", ""},
		{"policies.oakfield.example.org", `write baseURL = "https://policies.oakfield.example.org/"`},
		{"www.oakfield.example.org/policies", `write baseURL = "https://www.oakfield.example.org/policies/"`},
		{"https//policies.oakfield.example.org/", `write baseURL = "https://policies.oakfield.example.org/"`},
		{"https:/policies.oakfield.example.org/", `write baseURL = "https://policies.oakfield.example.org/"`},
		{"https://", "has no website name after the //"},
	}
	for _, tt := range tests {
		got := BaseURLProblem(tt.in)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("BaseURLProblem(%q) = %q, want …%s…", tt.in, got, tt.want)
		}
	}
}
