// Package cli writes the help of policysite's programs from their flags:
// a flag's help is written once, where the flag is defined, so the help
// cannot leave one out. A back-quoted word in a flag's usage names its
// value, as in the flag package: fs.String("source", ".", "the school's site `FOLDER`").
package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// Width is where help lines are wrapped.
const Width = 100

// Option is how a flag is written: "--source FOLDER", or "--strict".
func Option(f *flag.Flag) string {
	name, _ := flag.UnquoteUsage(f)
	if isBool(f) {
		return "--" + f.Name
	}
	switch name { // the flag package's type names, for a usage without a back-quoted name
	case "int", "uint", "float":
		name = "N"
	case "string", "value":
		name = "VALUE"
	case "duration":
		name = "DURATION"
	}
	return "--" + f.Name + " " + name
}

// Synopsis is every flag of fs in brackets: "[--source FOLDER] [--strict]".
func Synopsis(fs *flag.FlagSet) string {
	var parts []string
	fs.VisitAll(func(f *flag.Flag) { parts = append(parts, "["+Option(f)+"]") })
	return strings.Join(parts, " ")
}

// Flags writes a line per flag of fs (those skip says not to), the
// option, then its usage and default, wrapped and indented.
func Flags(w io.Writer, fs *flag.FlagSet, skip func(name string) bool) {
	var opts []string
	var usages []string
	col := 0
	fs.VisitAll(func(f *flag.Flag) {
		if skip != nil && skip(f.Name) {
			return
		}
		_, usage := flag.UnquoteUsage(f)
		if f.DefValue != "" && !(isBool(f) && f.DefValue == "false") && f.DefValue != "0" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		opts = append(opts, Option(f))
		usages = append(usages, usage)
		col = max(col, len(Option(f)))
	})
	col += 4 // two spaces before, two after
	for i, opt := range opts {
		lines := wrap(usages[i], Width-col)
		fmt.Fprintf(w, "  %-*s  %s\n", col-4, opt, lines[0])
		for _, l := range lines[1:] {
			fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", col), l)
		}
	}
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// wrap breaks text into lines of at most width characters, at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) > width:
			lines = append(lines, line)
			line = w
		default:
			line += " " + w
		}
	}
	return append(lines, line)
}
