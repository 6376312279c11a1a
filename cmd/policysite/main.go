// Command policysite turns a school's Markdown policies into its policy
// website, classroom posters and staff training quizzes.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

const usage = `policysite: a school's policies as a website, posters and training quizzes.

Usage:
  policysite build [--source DIR] [--dest DIR]     build the site (default: this folder into ./public);
                   [--base-url URL]                the address it will be published at
  policysite serve [--source DIR] [--addr ADDR]    preview with live reload, training endpoint at /api
  policysite check [--source DIR] [--strict]       find mistakes before publishing
  policysite new policy SLUG [--source DIR]        start a new policy with every field filled in
  policysite init DIR                              make a new school site from the example school
  policysite version                               print the version

Run "policysite COMMAND --help" for the options of one command.
`

// errUsage marks mistakes in how the command was called: exit code 2.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmds := map[string]func([]string, io.Writer, io.Writer) error{
		"build":   cmdBuild,
		"serve":   cmdServe,
		"server":  cmdServe,
		"check":   cmdCheck,
		"new":     cmdNew,
		"init":    cmdInit,
		"version": func([]string, io.Writer, io.Writer) error { fmt.Fprintln(stdout, "policysite", version()); return nil },
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "policysite: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err := cmd(args[1:], stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if errors.Is(err, errFindings) {
			return 1
		}
		if errors.Is(err, errUsage) {
			fmt.Fprintln(stderr, "policysite "+args[0]+":", err)
			return 2
		}
		fmt.Fprintln(stderr, "policysite "+args[0]+":", err)
		return 1
	}
	return 0
}

func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// The flag package's own messages ("flag provided but not defined:
	// -colour") are for programmers: parseFlags says it in words instead.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: policysite %s\n\n", synopsis)
		fs.VisitAll(func(f *flag.Flag) {
			kind, usage := flag.UnquoteUsage(f)
			switch {
			case kind != "string":
			case strings.Contains(f.Name, "url"):
				kind = "URL"
			case f.Name == "addr":
				kind = "HOST:PORT"
			default:
				kind = "FOLDER"
			}
			opt := "--" + f.Name
			if kind != "" {
				opt += " " + kind
			}
			if f.DefValue != "" && f.DefValue != "false" {
				usage += fmt.Sprintf(" (default %s)", f.DefValue)
			}
			fmt.Fprintf(stderr, "  %-22s %s\n", opt, usage)
		})
		fmt.Fprintln(stderr)
	}
	return fs
}

var (
	unknownFlagRe = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	flagValueRe   = regexp.MustCompile(`^flag needs an argument: -+(.*)$`)
	badValueRe    = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-+([^:]*)`)
)

// flagError puts the flag package's errors into words.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	if m := unknownFlagRe.FindStringSubmatch(msg); m != nil {
		var opts []string
		fs.VisitAll(func(f *flag.Flag) { opts = append(opts, "--"+f.Name) })
		return fmt.Errorf("%w: there is no option --%s for %s; its options are %s (listed above)", errUsage, m[1], fs.Name(), strings.Join(opts, ", "))
	}
	if m := flagValueRe.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%w: --%s needs a value after it, e.g. --%s %s", errUsage, m[1], m[1], flagExample(m[1]))
	}
	if m := badValueRe.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%w: %q is not a value --%s takes (see above)", errUsage, m[1], m[2])
	}
	return fmt.Errorf("%w: %v", errUsage, err)
}

func flagExample(name string) string {
	switch name {
	case "source", "dest", "data":
		return "my-school"
	case "addr":
		return "127.0.0.1:1313"
	case "base-url":
		return "https://policies.your-school.example.org/"
	}
	return "VALUE"
}

// noArgs refuses words that are not options: "policysite build my-school"
// would otherwise build the current folder, not my-school.
func noArgs(fs *flag.FlagSet, pos []string) error {
	if len(pos) == 0 {
		return nil
	}
	if fs.Lookup("source") != nil {
		return fmt.Errorf("%w: %q is not an option: to use the site in that folder, write policysite %s --source %s", errUsage, pos[0], fs.Name(), pos[0])
	}
	return fmt.Errorf("%w: %q is not an option of %s", errUsage, pos[0], fs.Name())
}

// parseFlags allows flags after positional arguments too ("new policy x
// --source DIR"), which is how people type them.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, flagError(fs, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
