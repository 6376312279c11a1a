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

	"github.com/policysite/policysite/internal/cli"
)

// A command is one of policysite's commands. Its flags are defined once,
// in flags, which returns what runs the command: the help (`policysite
// help`, `policysite COMMAND --help`) is made from the same FlagSet.
type command struct {
	name    string
	args    string // the words it takes besides flags, as in its synopsis
	summary string
	flags   func(fs *flag.FlagSet) runFunc
}

// runFunc runs a command once its flags are parsed; pos are the other words.
type runFunc func(pos []string, stdout, stderr io.Writer) error

var commands = []command{buildCommand, serveCommand, checkCommand, newCommand, initCommand, {
	name:    "version",
	summary: "print the version",
	flags: func(*flag.FlagSet) runFunc {
		return func(_ []string, stdout, _ io.Writer) error { fmt.Fprintln(stdout, "policysite", version()); return nil }
	},
}}

// aliases are other names people type for a command.
var aliases = map[string]string{"server": "serve"}

// errUsage marks mistakes in how the command was called: exit code 2.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usage is the program's help: each command with its flags.
func usage() string {
	var b strings.Builder
	b.WriteString("policysite: a school's policies as a website, posters and training quizzes.\n\nUsage:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %s\n      %s\n", synopsis(c), c.summary)
	}
	b.WriteString("\nRun \"policysite COMMAND --help\" for what each option does.\n")
	return b.String()
}

// synopsis is "policysite build [--source FOLDER] …", from the command's flags.
func synopsis(c command) string {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	c.flags(fs)
	return strings.Join(strings.Fields("policysite "+c.name+" "+c.args+" "+cli.Synopsis(fs)), " ")
}

func lookup(name string) (command, bool) {
	if a, ok := aliases[name]; ok {
		name = a
	}
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return 2
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage())
		return 0
	}
	cmd, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(stderr, "policysite: unknown command %q\n\n%s", args[0], usage())
		return 2
	}
	fs := newFlags(cmd, stderr)
	runCmd := cmd.flags(fs)
	pos, err := parseFlags(fs, args[1:])
	if err == nil {
		err = runCmd(pos, stdout, stderr)
	}
	if err != nil {
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

func newFlags(c command, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	// The flag package's own messages ("flag provided but not defined:
	// -colour") are for programmers: parseFlags says it in words instead.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s\n\n%s.\n\n", synopsis(c), strings.ToUpper(c.summary[:1])+c.summary[1:])
		cli.Flags(stderr, fs, nil)
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
