// Command policysite turns a school's Markdown policies into its policy
// website, classroom posters and staff training quizzes.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
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
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: policysite %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
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
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
