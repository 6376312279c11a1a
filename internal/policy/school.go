package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/policysite/policysite/internal/school"
)

// Config is what policysite reads from a site's Hugo config file.
type Config struct {
	File string // as shown in messages (relative to the site when loaded through LoadConfig)
	// ReviewWarningDays is params.review_warning_days, or 0 when not set.
	ReviewWarningDays int
	School            *School
}

// School holds the variables under [params.school], by dotted lower-case key
// ("name", "dsl.name", "police.non_emergency").
type School struct {
	File   string
	Line   int // line of [params.school], for problems about the table itself
	vars   map[string]schoolVar
	groups map[string]int // table key (e.g. "dsl") -> line
	keys   []string       // sorted leaf keys
}

type schoolVar struct {
	value any
	line  int
}

// ConfigNames are the config files policysite reads, in Hugo's order of
// preference.
var ConfigNames = []string{"hugo.toml", "config.toml"}

// LoadConfig reads the site's hugo.toml or config.toml. A missing or broken
// config is reported as problems; err is only for a site that cannot be read.
func LoadConfig(siteDir string) (*Config, []school.Finding, error) {
	var path, name string
	for _, n := range ConfigNames {
		p := filepath.Join(siteDir, n)
		if _, err := os.Stat(p); err == nil {
			path, name = p, n
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("reading the site config: %w", err)
		}
	}
	if path == "" {
		if st, err := os.Stat(siteDir); err != nil {
			return nil, nil, fmt.Errorf("reading the site folder: %w", err)
		} else if !st.IsDir() {
			return nil, nil, fmt.Errorf("the site %s is not a folder", siteDir)
		}
		return &Config{File: "config.toml"}, []school.Finding{school.Errorf("config.toml", 0,
			"the site has no config.toml (or hugo.toml): create one with the school's details under [params.school], or start a new site with `policysite init DIR`")}, nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	cfg, probs := ParseConfig(name, src)
	return cfg, probs, nil
}

var (
	tomlHeaderRe = regexp.MustCompile(`^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$`)
	tomlAssignRe = regexp.MustCompile(`^\s*([A-Za-z0-9_.-]+|"[^"]*"|'[^']*')\s*=`)
)

// ParseConfig reads a Hugo TOML config; file is the name used in messages.
func ParseConfig(file string, src []byte) (*Config, []school.Finding) {
	cfg := &Config{File: file}
	var data map[string]any
	if err := toml.Unmarshal(src, &data); err != nil {
		line := 0
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, _ = de.Position()
		}
		if fix, ok := unquotedTOMLText(src, line); ok {
			return cfg, []school.Finding{school.Errorf(file, line, "text in the config must be in quotes: write %s", fix)}
		}
		return cfg, []school.Finding{school.Errorf(file, line, "the config cannot be read (%s): values are written key = value, with text in quotes, e.g. name = \"Oakfield Primary School\"",
			strings.TrimPrefix(err.Error(), "toml: "))}
	}
	lines := tomlKeyLines(src)
	var probs []school.Finding
	if u, ok := lookupFold(data, "baseurl").(string); ok {
		if msg := BaseURLProblem(u); msg != "" {
			probs = append(probs, school.Errorf(file, lines["baseurl"], "%s", msg))
		}
	}
	params, _ := lookupFold(data, "params").(map[string]any)
	if n, ok := lookupFold(params, "review_warning_days").(int64); ok {
		cfg.ReviewWarningDays = int(n)
	}
	table, ok := lookupFold(params, "school").(map[string]any)
	if !ok {
		return cfg, append(probs, school.Errorf(file, lines["params"],
			"the config has no [params.school] table: add one with the school's details, e.g. [params.school] then name = \"Oakfield Primary School\", and a table per role such as [params.school.dsl] with role and name"))
	}
	s := &School{File: file, Line: lines["params.school"], vars: map[string]schoolVar{}, groups: map[string]int{}}
	var flatten func(prefix string, m map[string]any)
	flatten = func(prefix string, m map[string]any) {
		for k, v := range m {
			key := prefix + strings.ToLower(k)
			if sub, ok := v.(map[string]any); ok {
				s.groups[key] = lines["params.school."+key]
				flatten(key+".", sub)
				continue
			}
			s.vars[key] = schoolVar{value: v, line: lines["params.school."+key]}
			s.keys = append(s.keys, key)
		}
	}
	flatten("", table)
	sort.Strings(s.keys)
	cfg.School = s

	for _, k := range s.keys {
		v := s.vars[k]
		str, ok := v.value.(string)
		if !ok {
			continue
		}
		for _, ph := range findPlaceholders(str) {
			probs = append(probs, school.Errorf(file, v.line,
				"the school variable %s still holds template text %q: replace it with the school's real value", k, ph.text))
		}
	}
	return cfg, probs
}

// tomlKeyLines maps dotted lower-case keys to their line in a TOML file. A
// line scan is enough for config files and keeps positions without a second
// parser.
func tomlKeyLines(src []byte) map[string]int {
	lines := map[string]int{}
	table := ""
	inMulti := false
	for i, l := range strings.Split(string(src), "\n") {
		if n := strings.Count(l, `"""`) + strings.Count(l, `'''`); n%2 == 1 {
			inMulti = !inMulti
			if !inMulti {
				continue
			}
		} else if inMulti {
			continue
		}
		if m := tomlHeaderRe.FindStringSubmatch(l); m != nil {
			table = strings.ToLower(strings.ReplaceAll(m[1], " ", ""))
			if _, ok := lines[table]; !ok {
				lines[table] = i + 1
			}
			continue
		}
		if m := tomlAssignRe.FindStringSubmatch(l); m != nil {
			k := strings.ToLower(strings.Trim(m[1], `"'`))
			if table != "" {
				k = table + "." + k
			}
			if _, ok := lines[k]; !ok {
				lines[k] = i + 1
			}
		}
	}
	return lines
}

func lookupFold(m map[string]any, key string) any {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

// Keys returns every variable key, sorted.
func (s *School) Keys() []string { return s.keys }

// Keys are matched ignoring case, as the theme's school shortcode does (it
// lower-cases each part, and Hugo lower-cases parameter names).

// Has reports whether key is a variable (not a group such as "dsl").
func (s *School) Has(key string) bool {
	_, ok := s.vars[strings.ToLower(key)]
	return ok
}

// IsGroup reports whether key names a table of variables, such as "dsl".
func (s *School) IsGroup(key string) bool {
	_, ok := s.groups[strings.ToLower(key)]
	return ok
}

// GroupKeys returns the variables of a group, e.g. dsl.name, dsl.email.
func (s *School) GroupKeys(group string) []string {
	group = strings.ToLower(group)
	var out []string
	for _, k := range s.keys {
		if strings.HasPrefix(k, group+".") {
			out = append(out, k)
		}
	}
	return out
}

// KeyLine returns the config line of a variable or group, or 0.
func (s *School) KeyLine(key string) int {
	key = strings.ToLower(key)
	if v, ok := s.vars[key]; ok {
		return v.line
	}
	return s.groups[key]
}

// Value returns a variable as text.
func (s *School) Value(key string) (string, bool) {
	v, ok := s.vars[strings.ToLower(key)]
	if !ok {
		return "", false
	}
	switch x := v.value.(type) {
	case string:
		return x, true
	case toml.LocalDate: // Hugo keeps these as they are written: 2026-09-01
		return x.String(), true
	case toml.LocalDateTime:
		return x.String(), true
	case time.Time:
		return x.Format(dateDisplay), true
	}
	return fmt.Sprint(v.value), true
}

// dateDisplay is how a school variable that is a TOML date-time with an
// offset is shown; plain TOML dates are shown as written.
const dateDisplay = "2 January 2006"

// ShortcodeOutput is what {{< school "key" >}} and {{% school "key" %}} put
// into a page: the value (a plain date as written, 2026-09-01; a date and
// time as 2 January 2006), HTML-escaped. It is computed here only: the build
// hands every value to Hugo (Outputs), and layouts/_shortcodes/school.html
// prints the one it is asked for, so a heading id check predicts from a
// school variable is the one Hugo makes.
func (s *School) ShortcodeOutput(key string) (string, bool) {
	v, ok := s.Value(key)
	if !ok {
		return "", false
	}
	return htmlTextEscaper.Replace(v), true
}

// Outputs is ShortcodeOutput of every variable, by lower-case dotted key.
func (s *School) Outputs() map[string]string {
	out := make(map[string]string, len(s.keys))
	for _, k := range s.keys {
		out[k], _ = s.ShortcodeOutput(k)
	}
	return out
}

// htmlTextEscaper escapes a value for HTML text as html/template escapes
// {{ $v }} (its htmlReplacementTable, which also escapes "+"), so the pages
// are as they were when the shortcode printed the value itself.
var htmlTextEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// Roles returns the keys of groups that describe a person in a role (they
// have both role and name), which policies may name as owner.
func (s *School) Roles() []string {
	var out []string
	for g := range s.groups {
		if s.Has(g+".role") && s.Has(g+".name") && !strings.Contains(g, ".") {
			out = append(out, g)
		}
	}
	sort.Strings(out)
	return out
}

// BaseURLProblem says what is wrong with a site address (baseURL in the
// config, or --base-url), or "" when it is usable: a full address with
// https:// or http://, or a path such as "/" for a site not yet published.
// Without the scheme, Hugo reads "policies.school.org" as a folder name and
// every link and the poster PDFs break.
func BaseURLProblem(u string) string {
	t := strings.TrimSpace(u)
	if t == "" || strings.HasPrefix(t, "/") {
		return ""
	}
	lower := strings.ToLower(t)
	if strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://") {
		if len(strings.TrimLeft(t[strings.Index(t, "//")+2:], "/")) == 0 {
			return fmt.Sprintf("the site address (baseURL) %q has no website name after the //: write the whole address, e.g. baseURL = \"https://policies.your-school.example.org/\"", u)
		}
		return ""
	}
	rest := t
	if i := strings.Index(rest, "//"); i >= 0 {
		rest = rest[i+2:] // "https//x", "https:/x", "htps://x"
	} else if i := strings.Index(rest, ":/"); i >= 0 {
		rest = rest[i+2:]
	}
	rest = strings.TrimLeft(rest, "/")
	if rest == "" {
		rest = "policies.your-school.example.org"
	}
	if !strings.HasSuffix(rest, "/") {
		rest += "/"
	}
	return fmt.Sprintf("the site address (baseURL) %q must start with https:// (or http://), or the links on the site break: write baseURL = \"https://%s\"", u, rest)
}

var tomlBareValueRe = regexp.MustCompile(`^(\s*[A-Za-z0-9_.-]+\s*=\s*)([^"'\[{\s].*?)\s*$`)

// unquotedTOMLText finds the commonest config mistake, text without quotes
// (name = Mrs Helen Marsh), on the line the decoder stopped at, and gives the
// line to write instead of "unexpected character U+004D 'M'".
func unquotedTOMLText(src []byte, line int) (string, bool) {
	lines := strings.Split(string(src), "\n")
	if line < 1 || line > len(lines) {
		return "", false
	}
	m := tomlBareValueRe.FindStringSubmatch(strings.TrimRight(lines[line-1], "\r"))
	if m == nil {
		return "", false
	}
	v := m[2]
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	switch v {
	case "true", "false", "inf", "nan":
		return "", false
	}
	if v[0] >= '0' && v[0] <= '9' || v[0] == '+' || v[0] == '-' {
		// numbers and dates are fine; a phone number is not a number
		if !strings.ContainsAny(v, " ") {
			return "", false
		}
	}
	return strings.TrimSpace(m[1]) + " " + strconv.Quote(v), true
}
