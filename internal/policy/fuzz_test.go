package policy

import (
	"strings"
	"testing"
)

// FuzzParse: no input makes Parse panic, and every position it reports lies
// inside the file, so a user is never sent to a line that does not exist.
func FuzzParse(f *testing.F) {
	seeds := []string{
		validFM + "## A {#a}\n\n[x](y.md#z) {{< school \"k\" >}} {{% school `k` %}} [School name] ▇▇ TBC\n",
		"+++\ntitle = 1\n+++\n{{<",
		"---\n---\n{{< a \"b\n>}}\n{{</* x",
		"---\naudience: parents\nrelated:\nversion: 3.10\nadopted: 31/02/2026\n---\nSetext\n===\n# \n",
		"\ufeff---\r\ntitle: [\r\n---\r\n",
		"---\n---\n{{% x %}}\n## {{< y >}}\n<A b>\n<!-- TODO -->\n```\n[x]\n",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, probs := (&Parser{School: fakeSchool{"k": "v"}, Markdown: hugoMarkdown}).Parse("f.md", "f", []byte(src))
		lines := strings.Count(src, "\n") + 1
		for _, pr := range probs {
			if pr.Line < 0 || pr.Line > lines {
				t.Errorf("problem on line %d of %d: %s", pr.Line, lines, pr)
			}
		}
		for _, h := range p.Headings {
			if h.Line < 1 || h.Line > lines {
				t.Errorf("heading on line %d of %d", h.Line, lines)
			}
		}
		for _, l := range p.Links {
			if l.Line < 1 || l.Line > lines {
				t.Errorf("link on line %d of %d", l.Line, lines)
			}
		}
		for _, ph := range p.Placeholders {
			if ph.Line < 1 || ph.Line > lines {
				t.Errorf("placeholder on line %d of %d", ph.Line, lines)
			}
		}
	})
}
