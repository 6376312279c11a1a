package trainlog

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestSignerTokens(t *testing.T) {
	s := NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	for _, id := range []string{"HMARSH", "1042", "élodie.dubois", "a.b.c"} {
		tok := s.Token(id)
		if got, ok := s.Verify(tok); !ok || got != id {
			t.Errorf("Verify(Token(%q)) = %q, %v", id, got, ok)
		}
		if strings.ContainsAny(tok, "+/= ") {
			t.Errorf("token %q is not URL-safe", tok)
		}
	}
	tok := s.Token("ann")
	idPart, mac, _ := strings.Cut(tok, ".")
	bad := []string{
		"", "ann", ".", tok + "x", tok[:len(tok)-1], idPart + ".", "." + mac,
		NewSigner([]byte("another key")).Token("ann"),
		s.Token("bob")[:strings.Index(s.Token("bob"), ".")] + "." + mac, // someone else's id with ann's mac
		idPart + "." + mac + "." + mac,
		strings.Repeat("A", 600) + "." + mac,
	}
	for _, b := range bad {
		if id, ok := s.Verify(b); ok {
			t.Errorf("Verify(%q) accepted it as %q", b, id)
		}
	}
}

func TestFirstRunMakesPrivateSecretsOnce(t *testing.T) {
	f := newFixture(t, nil)
	for _, name := range []string{"hmac.key", "admin-token"} {
		info, err := os.Stat(filepath.Join(f.cfg.DataDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, info.Mode().Perm())
		}
	}
	key1, _ := os.ReadFile(filepath.Join(f.cfg.DataDir, "hmac.key"))
	if len(key1) != 32 {
		t.Errorf("key is %d bytes", len(key1))
	}
	tok := f.token("ann")
	f.srv.Close()

	var notices []string
	cfg := f.cfg
	cfg.Notice = func(m string) { notices = append(notices, m) }
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if len(notices) > 0 {
		t.Errorf("second start repeated first-run notices: %v", notices)
	}
	key2, _ := os.ReadFile(filepath.Join(f.cfg.DataDir, "hmac.key"))
	if string(key1) != string(key2) {
		t.Error("key changed between runs: every invite link would break")
	}
	if id, ok := srv.signer.Verify(tok); !ok || id != "ann" {
		t.Error("a link from the first run does not work after a restart")
	}
}

func TestFirstRunSaysWhereTheAdminTokenIs(t *testing.T) {
	var notices []string
	dir := t.TempDir()
	roster := filepath.Join(dir, "staff.csv")
	os.WriteFile(roster, []byte(testRoster(today)), 0o644)
	srv, err := New(Config{DataDir: filepath.Join(dir, "data"), QuizDir: "testdata/site/quizzes", ContentDir: "testdata/site/content",
		RosterFile: roster, Notice: func(m string) { notices = append(notices, m) }})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	joined := strings.Join(notices, "\n")
	if !strings.Contains(joined, filepath.Join(dir, "data", "admin-token")) || !strings.Contains(joined, filepath.Join(dir, "data", "hmac.key")) {
		t.Errorf("first-run notices do not say where the secrets are: %v", notices)
	}
	if strings.Contains(joined, strings.TrimSpace(readFile(t, filepath.Join(dir, "data", "admin-token")))) {
		t.Error("the admin token itself was printed")
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDamagedKeyIsExplained(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "hmac.key"), []byte("short"), 0o600)
	_, _, err := OpenSigner(dir)
	if err == nil || !strings.Contains(err.Error(), "restore it from a backup") {
		t.Fatalf("err = %v", err)
	}
}

func TestNewListsEveryInputProblem(t *testing.T) {
	dir := t.TempDir()
	quizzes := filepath.Join(dir, "quizzes")
	os.MkdirAll(quizzes, 0o755)
	os.WriteFile(filepath.Join(quizzes, "broken.toml"), []byte("title = \"Broken\"\npolicy = \"no-such-policy\"\nvalid_for_days = 365\nacknowledge = true\nsurprise = 1\n"), 0o644)
	roster := filepath.Join(dir, "staff.csv")
	os.WriteFile(roster, []byte("id,name,email,role,start_date\nA,Ann,ann@s.example,T,2020-02-30\n"), 0o644)
	_, err := New(Config{DataDir: filepath.Join(dir, "data"), QuizDir: quizzes, ContentDir: "testdata/site/content", RosterFile: roster})
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want a *LoadError", err)
	}
	msg := err.Error()
	for _, want := range []string{
		filepath.Join(quizzes, "broken.toml") + `:5: unknown key "surprise"`,
		filepath.Join(quizzes, "broken.toml") + `:2: policy "no-such-policy" does not exist`,
		roster + `:2: start_date "2020-02-30"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "trainlog.db")); err == nil {
		t.Error("a database was made although the inputs are broken")
	}
}

func TestMissingInputsAreExplained(t *testing.T) {
	dir := t.TempDir()
	_, err := New(Config{DataDir: filepath.Join(dir, "data"), QuizDir: filepath.Join(dir, "nope"), ContentDir: filepath.Join(dir, "content"),
		RosterFile: filepath.Join(dir, "staff.csv")})
	if err == nil {
		t.Fatal("started with nothing")
	}
	for _, want := range []string{"cannot read the quizzes folder", "cannot read the staff roster", "--roster", "cannot read the policies folder"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestReloadKeepsTheOldStateOnProblems(t *testing.T) {
	dir := t.TempDir()
	quizzes := filepath.Join(dir, "quizzes")
	os.MkdirAll(quizzes, 0o755)
	aup := readFile(t, "testdata/site/quizzes/staff-aup.toml")
	os.WriteFile(filepath.Join(quizzes, "staff-aup.toml"), []byte(aup), 0o644)
	f := newFixture(t, func(c *Config) { c.QuizDir = quizzes })
	if res := f.submit("attempt-reload-1", "online-safety", allRight, f.token("ann")); res.status != 404 {
		t.Fatalf("quiz not loaded yet: %d", res.status)
	}
	os.WriteFile(filepath.Join(quizzes, "online-safety.toml"), []byte(readFile(t, "testdata/site/quizzes/online-safety.toml")), 0o644)
	if err := f.srv.Reload(); err != nil {
		t.Fatal(err)
	}
	if res := f.submit("attempt-reload-2", "online-safety", allRight, f.token("ann")); res.status != 201 {
		t.Fatalf("after reload: %d %s", res.status, res.body)
	}
	os.WriteFile(filepath.Join(quizzes, "online-safety.toml"), []byte("title = "), 0o644)
	if err := f.srv.Reload(); err == nil || !strings.Contains(err.Error(), "online-safety.toml:1") {
		t.Fatalf("reload of a broken quiz: %v", err)
	}
	if res := f.submit("attempt-reload-3", "online-safety", allRight, f.token("ann")); res.status != 201 {
		t.Errorf("the last good quiz was dropped: %d", res.status)
	}
}

func TestDataFolderProblemsAreExplained(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	os.WriteFile(file, []byte("x"), 0o600)
	tests := []struct {
		name, data string
		want       []string
	}{
		{"a file", file, []string{"the data folder " + file + " is a file, not a folder", "--data"}},
		{"a typo in the parent", filepath.Join(dir, "no-such", "data"), []string{
			"cannot be made because " + filepath.Join(dir, "no-such") + " does not exist", "typing mistake", "mkdir -p"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixtureConfig(t)
			f.DataDir = tt.data
			_, err := New(f)
			if err == nil {
				t.Fatal("started")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "no-such")); err == nil {
		t.Error("the mistyped parent folder was made")
	}
	// Only the last part missing: made, private.
	cfg := newFixtureConfig(t)
	cfg.DataDir = filepath.Join(dir, "data")
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if info, err := os.Stat(cfg.DataDir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("data folder: %v %v", info, err)
	}
}

func TestOwnerHintNamesTheUser(t *testing.T) {
	h := ownerHint("/var/lib/trainlog")
	if !strings.Contains(h, "chown -R") || !strings.Contains(h, "/var/lib/trainlog") || !strings.Contains(h, "--data") {
		t.Errorf("hint %q", h)
	}
}

// newFixtureConfig is a Config with good inputs and its own data folder.
func newFixtureConfig(t *testing.T) Config {
	dir := t.TempDir()
	roster := filepath.Join(dir, "staff.csv")
	os.WriteFile(roster, []byte(testRoster(today)), 0o644)
	return Config{DataDir: filepath.Join(dir, "data"), QuizDir: "testdata/site/quizzes", ContentDir: "testdata/site/content",
		RosterFile: roster, Notice: func(string) {}, Logger: slog.New(slog.DiscardHandler)}
}

func TestSharedSecretFilesAreWarnedAbout(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits")
	}
	cfg := newFixtureConfig(t)
	var logs strings.Builder
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if strings.Contains(logs.String(), "can be read by other users") {
		t.Fatalf("warned about files trainlog made itself: %s", logs.String())
	}
	key := filepath.Join(cfg.DataDir, "hmac.key")
	os.Chmod(key, 0o644) // restored from a backup without care
	logs.Reset()
	srv, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if !strings.Contains(logs.String(), key+" can be read by other users") || !strings.Contains(logs.String(), "chmod 600 "+key) {
		t.Errorf("no warning for a hmac.key others can read: %s", logs.String())
	}
	if strings.Contains(logs.String(), "admin-token can be read") {
		t.Errorf("warned about a private admin-token: %s", logs.String())
	}
	db := filepath.Join(cfg.DataDir, "trainlog.db")
	os.Chmod(db, 0o644) // made by a trainlog before the database was made private
	logs.Reset()
	srv, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if !strings.Contains(logs.String(), "holds staff names") || !strings.Contains(logs.String(), "chmod 600 "+db+"*") {
		t.Errorf("no warning for a trainlog.db others can read: %s", logs.String())
	}
}
