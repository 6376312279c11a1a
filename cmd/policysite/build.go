package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/policysite/policysite/internal/build"
)

var buildCommand = command{
	name:    "build",
	summary: "build the site (default: this folder into ./public)",
	flags:   buildFlags,
}

func buildFlags(fs *flag.FlagSet) runFunc {
	source := fs.String("source", ".", "the `FOLDER` of the school's site")
	dest := fs.String("dest", "", "the `FOLDER` to write the site to (default SOURCE/public)")
	baseURL := fs.String("base-url", "", "the address (`URL`) the site will be published at (overrides config.toml)")
	return func(pos []string, stdout, stderr io.Writer) error {
		if err := noArgs(fs, pos); err != nil {
			return err
		}
		return runBuild(*source, *dest, *baseURL, stdout, stderr)
	}
}

func runBuild(source, dest, baseURL string, stdout, stderr io.Writer) error {
	if dest == "" {
		dest = filepath.Join(source, "public")
	}
	_, statErr := os.Stat(dest)
	res, err := build.Site(build.Options{Source: source, Dest: dest, BaseURL: baseURL, Log: stderr})
	if err != nil && statErr == nil {
		return fmt.Errorf("%w\nThe previous site in %s was left as it was.", err, dest)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Built %d pages into %s in %s.\n", res.Pages, dest, res.Duration.Round(1e6))
	for _, n := range res.Notes {
		fmt.Fprintln(stdout, n)
	}
	return nil
}
