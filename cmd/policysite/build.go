package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/policysite/policysite/internal/build"
)

func cmdBuild(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("build", "build [--source DIR] [--dest DIR] [--base-url URL]", stderr)
	source := fs.String("source", ".", "the school's site folder")
	dest := fs.String("dest", "", "where to write the site (default SOURCE/public)")
	baseURL := fs.String("base-url", "", "the address the site will be published at (overrides config.toml)")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if err := noArgs(fs, pos); err != nil {
		return err
	}
	if *dest == "" {
		*dest = filepath.Join(*source, "public")
	}
	_, statErr := os.Stat(*dest)
	res, err := build.Site(build.Options{Source: *source, Dest: *dest, BaseURL: *baseURL, Log: stderr})
	if err != nil && statErr == nil {
		return fmt.Errorf("%w\nThe previous site in %s was left as it was.", err, *dest)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Built %d pages into %s in %s.\n", res.Pages, *dest, res.Duration.Round(1e6))
	for _, n := range res.Notes {
		fmt.Fprintln(stdout, n)
	}
	return nil
}
