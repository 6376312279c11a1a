package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policysite/policysite/internal/cli"
)

func runCmd(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestInitMakesASiteThatBuildsAndPassesCheck(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my-school")
	if code, _, errOut := runCmd("init", dir); code != 0 {
		t.Fatalf("init: exit %d: %s", code, errOut)
	}
	for _, f := range []string{"config.toml", "content/_index.md", "content/policies/online-safety.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("init did not write %s", f)
		}
	}
	if code, out, errOut := runCmd("check", "--source", dir); code != 0 {
		t.Fatalf("check on a fresh site: exit %d\n%s%s", code, out, errOut)
	}
	dest := filepath.Join(t.TempDir(), "public")
	code, out, errOut := runCmd("build", "--source", dir, "--dest", dest)
	if code != 0 {
		t.Fatalf("build: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Built ") {
		t.Errorf("build output %q", out)
	}
	page, err := os.ReadFile(filepath.Join(dest, "policies/online-safety/index.html"))
	if err != nil || !bytes.Contains(page, []byte("Online Safety Policy")) {
		t.Errorf("online safety page missing or wrong: %v", err)
	}

	if code, _, errOut := runCmd("init", dir); code == 0 || !strings.Contains(errOut, "not empty") {
		t.Errorf("init over a non-empty folder: exit %d, %q", code, errOut)
	}
}

func TestNewPolicy(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if code, _, e := runCmd("init", dir); code != 0 {
		t.Fatal(e)
	}
	code, out, errOut := runCmd("new", "policy", "anti-bullying", "--source", dir)
	if code != 0 {
		t.Fatalf("new: exit %d: %s", code, errOut)
	}
	path := filepath.Join(dir, "content/policies/anti-bullying.md")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"title:", "summary:", "audience:", "owner:", "adopted:", "adopted_by:", "review:", "version:", "related:"} {
		if !bytes.Contains(src, []byte("\n"+field)) {
			t.Errorf("new policy lacks %s", field)
		}
	}
	if !strings.Contains(out, path) {
		t.Errorf("new did not say where the file is: %q", out)
	}
	// The parts only the school can write are marked, and check refuses to
	// let them be published.
	code, out, _ = runCmd("check", "--source", dir)
	if code != 1 || !strings.Contains(out, "content/policies/anti-bullying.md:3:") || !strings.Contains(out, "TBC") {
		t.Errorf("check on a fresh draft: exit %d\n%s", code, out)
	}

	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"new", "policy", "anti-bullying", "--source", dir}, 1, "already exists"},
		{[]string{"new", "policy", "Anti Bullying", "--source", dir}, 2, "lower-case letters, digits and hyphens, without .md: write policysite new policy anti-bullying"},
		{[]string{"new", "policy", "Online-Safety.md", "--source", dir}, 2, "write policysite new policy online-safety"},
		{[]string{"new", "policy", "x", "--source", t.TempDir()}, 1, "is not a school site (it has no config.toml), so the policy would be lost outside it"},
		{[]string{"build", dir}, 2, "is not an option: to use the site in that folder, write policysite build --source " + dir},
		{[]string{"check", "--source"}, 2, "--source needs a value after it, e.g. --source my-school"},
		{[]string{"check", "--strict=maybe"}, 2, `"maybe" is not a value --strict takes`},
		{[]string{"new", "poster", "x"}, 2, "new policy SLUG"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"build", "--source", filepath.Join(dir, "nope")}, 1, "no site folder"},
		{[]string{"build", "--colour"}, 2, "there is no option --colour for build; its options are --base-url, --dest, --source"},
	}
	for _, tc := range tests {
		code, _, errOut := runCmd(tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d (want %d), stderr %q (want %q)", tc.args, code, tc.code, errOut, tc.want)
		}
	}
}

func TestCheckExampleSchool(t *testing.T) {
	code, out, errOut := runCmd("check", "--source", "../..")
	if code != 0 {
		t.Fatalf("check on the example school: exit %d\n%s%s", code, out, errOut)
	}
}

// A mistyped --source says which folder is missing and what to give instead.
func TestCommandsOnAMissingFolderSayWhatToDo(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-school")
	for _, cmd := range []string{"check", "build"} {
		code, _, errOut := runCmd(cmd, "--source", missing)
		if code == 0 {
			t.Errorf("%s on a missing folder succeeded", cmd)
		}
		for _, want := range []string{missing, "config.toml", "policysite init"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("%s on a missing folder: the message does not mention %q:\n%s", cmd, want, errOut)
			}
		}
	}
}

// The help is made from the flags themselves: every flag of every command
// is in `policysite help` and in that command's --help, with its value.
func TestHelpListsEveryFlag(t *testing.T) {
	code, help, _ := runCmd("help")
	if code != 0 {
		t.Fatalf("help: exit %d", code)
	}
	for _, c := range commands {
		fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
		c.flags(fs)
		code, _, cmdHelp := runCmd(c.name, "--help")
		if code != 0 {
			t.Errorf("%s --help: exit %d", c.name, code)
		}
		if !strings.Contains(help, "policysite "+c.name) || !strings.Contains(cmdHelp, c.summary[1:]) {
			t.Errorf("help does not describe %s:\n%s\n%s", c.name, help, cmdHelp)
		}
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(help, "["+cli.Option(f)+"]") || !strings.Contains(cmdHelp, cli.Option(f)) {
				t.Errorf("the help of %s lacks %s", c.name, cli.Option(f))
			}
		})
	}
	for _, want := range []string{"[--data FOLDER]", "[--no-api]", "[--addr HOST:PORT]", "policysite new policy SLUG [--source FOLDER]", "policysite init DIR"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
}
