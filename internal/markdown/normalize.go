// Package markdown repairs the Markdown that word processors produce when a
// policy is pasted in, so that what the author meant as headings and lists is
// shown as headings and lists. Every repair keeps the line count, so Hugo's
// and check's file:line positions still point at the author's own lines.
package markdown

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fix is one repair, reported by check as a hint to tidy the source.
type Fix struct {
	Line    int // 1-based, counted from the start of the text given
	Message string
}

var (
	hashNoSpace  = regexp.MustCompile(`^(#{1,6})([^#\s].*)$`)
	glyphBullet  = regexp.MustCompile(`^(\s*)[•◦▪▫●○■□‣⁃∙·]\s*(.*)$`)
	listMarker   = regexp.MustCompile(`^(\s*)([-*+]|\d{1,9}[.)])(\s+)`)
	fenceOpen    = regexp.MustCompile("^\\s{0,3}(```+|~~~+)")
	smallWordsRE = regexp.MustCompile(`^(a|an|and|as|at|but|by|for|from|in|into|of|on|or|the|to|with|our|your|its)$`)
)

// Normalize returns src with pasted-document habits turned into Markdown:
//   - "#Heading" (no space after the hashes) becomes a heading;
//   - "• item" and similar glyph bullets become list items;
//   - a bullet nested by a single space is indented under its parent;
//   - a short Title Case line standing alone between blank lines (a trailing
//     colon allowed) becomes a section heading (level 2).
//
// Front matter must already be removed; lines in fenced code are left alone.
func Normalize(src []byte) ([]byte, []Fix) {
	lines := strings.Split(string(src), "\n")
	var fixes []Fix
	inFence := ""
	// content column of the most recent list item at each indent, so a
	// one-space nested bullet can be moved under its parent's text.
	parentCol := -1
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		if m := fenceOpen.FindStringSubmatch(line); m != nil {
			if inFence == "" {
				inFence = m[1][:1]
			} else if strings.HasPrefix(strings.TrimSpace(line), strings.Repeat(inFence, 3)) {
				inFence = ""
			}
			continue
		}
		if inFence != "" {
			continue
		}
		prevBlank := i == 0 || strings.TrimSpace(lines[i-1]) == ""
		nextBlank := i == len(lines)-1 || strings.TrimSpace(lines[i+1]) == ""

		if strings.TrimSpace(line) == "" {
			continue
		}
		if m := hashNoSpace.FindStringSubmatch(line); m != nil && prevBlank && nextBlank && !strings.HasPrefix(m[2], "{") {
			lines[i] = m[1] + " " + strings.TrimSpace(m[2])
			fixes = append(fixes, Fix{i + 1, fmt.Sprintf("%q has no space after %s, so Markdown would show it as text; it is shown as a heading — write %q", line, m[1], m[1]+" "+strings.TrimSpace(m[2]))})
			parentCol = -1
			continue
		}
		if m := glyphBullet.FindStringSubmatch(line); m != nil {
			lines[i] = m[1] + "- " + m[2]
			line = lines[i]
			fixes = append(fixes, Fix{i + 1, "a pasted bullet character is shown as a list item — write \"- \" at the start of the line instead"})
		}
		if m := listMarker.FindStringSubmatch(line); m != nil {
			indent := len(m[1])
			if indent == 1 && parentCol > 1 {
				lines[i] = strings.Repeat(" ", parentCol) + line[1:]
				fixes = append(fixes, Fix{i + 1, fmt.Sprintf("this list item is indented by one space; it is shown nested under the item above — indent it by %d spaces", parentCol)})
				continue
			}
			if indent == 0 {
				parentCol = len(m[0])
			}
			continue
		}
		if !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
			parentCol = -1
		}
		if prevBlank && nextBlank && looksLikeHeading(line) {
			text := strings.TrimSuffix(strings.TrimSpace(line), ":")
			lines[i] = "## " + text
			fixes = append(fixes, Fix{i + 1, fmt.Sprintf("%q stands alone like a heading; it is shown as one — write %q", strings.TrimSpace(line), "## "+text)})
		}
	}
	return []byte(strings.Join(lines, "\n")), fixes
}

// looksLikeHeading: a short line with no sentence punctuation whose words are
// capitalised (Title Case). A lead-in such as "This policy aims to:" is not.
func looksLikeHeading(line string) bool {
	s := strings.TrimSpace(line)
	if s == "" || utf8.RuneCountInString(s) > 70 {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(first) && !unicode.IsDigit(first) {
		return false
	}
	colon := strings.IndexByte(s, ':')
	if strings.ContainsAny(s, "[]()<>{}|`*_#") || (colon >= 0 && colon != len(s)-1) {
		return false
	}
	words := strings.Fields(strings.TrimSuffix(s, ":"))
	if len(words) == 0 || len(words) > 9 {
		return false
	}
	if strings.ContainsAny(strings.TrimSuffix(s, ":"), ".!?;,") {
		return false
	}
	significant, capital := 0, 0
	for i, w := range words {
		w = strings.Trim(w, "“”‘’\"'–—-")
		if w == "" {
			continue
		}
		if i > 0 && smallWordsRE.MatchString(strings.ToLower(w)) {
			continue
		}
		significant++
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) || unicode.IsDigit(r) {
			capital++
		}
	}
	return significant > 0 && capital*4 >= significant*3
}
