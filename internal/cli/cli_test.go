package cli

import (
	"bytes"
	"flag"
	"strings"
	"testing"
)

func TestFlags(t *testing.T) {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.String("source", ".", "the school's site `FOLDER`")
	fs.Bool("strict", false, "treat a passed review date as an error")
	fs.Int("grace-days", 28, "days a new starter has from their start_date before a quiz they have not passed shows as \"never\"; a long text wraps onto the next line")
	fs.String("addr", "", "where to listen, `HOST:PORT`")
	if got, want := Synopsis(fs), "[--addr HOST:PORT] [--grace-days N] [--source FOLDER] [--strict]"; got != want {
		t.Errorf("Synopsis = %q, want %q", got, want)
	}
	var b bytes.Buffer
	Flags(&b, fs, func(name string) bool { return name == "addr" })
	want := `  --grace-days N   days a new starter has from their start_date before a quiz they have not passed
                   shows as "never"; a long text wraps onto the next line (default 28)
  --source FOLDER  the school's site FOLDER (default .)
  --strict         treat a passed review date as an error
`
	if b.String() != want {
		t.Errorf("Flags:\n%s\nwant:\n%s", b.String(), want)
	}
	for _, l := range strings.Split(b.String(), "\n") {
		if len(l) > Width {
			t.Errorf("line longer than %d: %q", Width, l)
		}
	}
}
