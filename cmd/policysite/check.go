package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/policysite/policysite/internal/lint"
	"github.com/policysite/policysite/internal/school"
)

// errFindings is returned when check found errors: they are already
// printed, so main only sets the exit code.
var errFindings = errors.New("")

var checkCommand = command{
	name:    "check",
	summary: "find mistakes before publishing",
	flags:   checkFlags,
}

func checkFlags(fs *flag.FlagSet) runFunc {
	source := fs.String("source", ".", "the `FOLDER` of the school's site")
	strict := fs.Bool("strict", false, "treat a passed review date as an error")
	return func(pos []string, stdout, stderr io.Writer) error {
		if err := noArgs(fs, pos); err != nil {
			return err
		}
		return runCheck(*source, *strict, stdout)
	}
}

func runCheck(source string, strict bool, stdout io.Writer) error {
	findings, err := lint.Check(source, lint.Options{Strict: strict})
	if err != nil {
		return err
	}
	for _, f := range findings {
		fmt.Fprintln(stdout, f.String())
	}
	errs := school.Errors(findings)
	warns := len(findings) - errs
	switch {
	case errs > 0:
		fmt.Fprintf(stdout, "\n%s, %s: fix the errors before publishing.\n", plural(errs, "error"), plural(warns, "warning"))
		return errFindings
	case warns > 0:
		fmt.Fprintf(stdout, "\nNo errors, %s.\n", plural(warns, "warning"))
	default:
		fmt.Fprintln(stdout, "No problems found.")
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
