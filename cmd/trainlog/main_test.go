package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/policysite/policysite/internal/cli"
)

// binary is trainlog built once for the whole test run (see TestMain):
// the crash and shutdown tests need a real process to kill.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "trainlog-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "trainlog")
	// The release build, so TestReleaseBinary can hold it to its size.
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building trainlog for the tests:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const (
	fixtures = "../../internal/trainlog/testdata"
	quizzes  = fixtures + "/site/quizzes"
	content  = fixtures + "/site/content"
	roster   = fixtures + "/staff.csv"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb, func(string) string { return "" })
	return code, out.String(), errb.String()
}

// trainlog must stay a small binary: no Hugo linked in, at most 20 MB when
// built with -trimpath -ldflags="-s -w".
func TestReleaseBinary(t *testing.T) {
	info, err := os.Stat(binary)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() > 20<<20 {
		t.Errorf("trainlog is %.1f MiB, over the 20 MiB budget", float64(info.Size())/(1<<20))
	}
	out, err := exec.Command("go", "version", "-m", binary).Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "gohugoio") {
		t.Errorf("trainlog links Hugo:\n%s", out)
	}
	t.Logf("trainlog release binary: %.1f MiB", float64(info.Size())/(1<<20))
}

func TestHelpDocumentsEveryFlagAndDefault(t *testing.T) {
	code, out, _ := runCmd(t, "help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	// Every flag of every command, from the FlagSets themselves.
	var want []string
	for _, define := range []func(*flag.FlagSet){
		func(fs *flag.FlagSet) { serveFlags(fs, func(string) string { return "" }) },
		func(fs *flag.FlagSet) { inviteFlags(fs) },
		func(fs *flag.FlagSet) { addFiles(fs) },
	} {
		fs := flag.NewFlagSet("", flag.ContinueOnError)
		define(fs)
		fs.VisitAll(func(f *flag.Flag) { want = append(want, cli.Option(f)) })
	}
	want = append(want, "default .trainlog", "DATA/staff.csv",
		"127.0.0.1:8090", "TRAINLOG_ADMIN_TOKEN", "admin-token", "id,name,email,role,start_date", "invite", "token")
	for _, want := range want {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	if code, out2, _ := runCmd(t, "serve", "-h"); code != 0 || out2 != out {
		t.Errorf("serve -h: exit %d", code)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serv"}, 2, `there is no command "serv"`},
		{[]string{"--adr", "x"}, 2, "flag provided but not defined: -adr"},
		{[]string{"token"}, 2, "give exactly one roster id"},
		{[]string{"token", "A", "B"}, 2, "give exactly one roster id"},
		{[]string{"invite", "extra"}, 2, `unexpected "extra"`},
		{[]string{"--addr", "8090", "--data", "DATA"}, 2, `--addr "8090" is not HOST:PORT: write it as 127.0.0.1:8090`},
		{[]string{"--addr", "localhost", "--data", "DATA"}, 2, `--addr "localhost" is not HOST:PORT`},
		{[]string{"--allow-origin", "policies.school.example", "--data", "DATA"}, 2, "write the site's address with https://"},
		{[]string{"--grace-days", "-5", "--data", "DATA"}, 2, "--grace-days -5 is negative"},
		{[]string{"invite", "--base-url", "policies.school.example", "--data", "DATA"}, 2, `--base-url "policies.school.example" is not a web address`},
		{[]string{"serve", "--roster", filepath.Join(os.TempDir(), "no-such-staff.csv"), "--quizzes", quizzes, "--content", content, "--data", "DATA"}, 1, "cannot read the staff roster"},
	}
	for _, tt := range tests {
		if tt.args[len(tt.args)-1] == "DATA" {
			tt.args[len(tt.args)-1] = t.TempDir()
		}
		code, _, errOut := runCmd(t, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d %q; want %d with %q", tt.args, code, errOut, tt.code, tt.want)
		}
		if code == 2 && len(tt.args) > 1 && tt.args[len(tt.args)-2] == "--data" {
			if entries, _ := os.ReadDir(tt.args[len(tt.args)-1]); len(entries) > 0 {
				t.Errorf("%v: files were made in the data folder before the flags were checked", tt.args)
			}
		}
	}
}

func TestPortInUseIsExplained(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, errOut := runCmd(t, "serve", "--addr", ln.Addr().String(), "--data", t.TempDir(), "--quizzes", quizzes,
		"--content", content, "--roster", roster)
	if code != 1 || !strings.Contains(errOut, "another program is using that port") || !strings.Contains(errOut, "choose another --addr") {
		t.Errorf("port in use: exit %d %q", code, errOut)
	}
}

func TestInviteAndToken(t *testing.T) {
	data := t.TempDir()
	code, out, errOut := runCmd(t, "invite", "--data", data, "--roster", roster, "--base-url", "https://www.oakfield.example/")
	if code != 0 {
		t.Fatalf("invite: exit %d %s", code, errOut)
	}
	if !strings.Contains(errOut, filepath.Join(data, "hmac.key")) || !strings.Contains(errOut, "only with a trainlog started with --data "+data) {
		t.Errorf("first invite does not say a key was made, and which trainlog its links work with: %q", errOut)
	}
	if _, _, errOut := runCmd(t, "invite", "--data", data, "--roster", roster); strings.Contains(errOut, "signing key") {
		t.Errorf("second invite talks of a new key: %q", errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 18 || strings.Join(rows[0], ",") != "id,name,email,link" {
		t.Fatalf("invite printed %d rows, header %v", len(rows), rows[0])
	}
	link := regexp.MustCompile(`^https://www\.oakfield\.example/staff/training/\?t=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`)
	for _, r := range rows[1:] {
		if !link.MatchString(r[3]) {
			t.Errorf("link %q is not BASE/staff/training/?t=TOKEN", r[3])
		}
	}
	code, tok, _ := runCmd(t, "token", "--data", data, "--roster", roster, "HMARSH")
	if code != 0 || !strings.HasSuffix(rows[1][3], "?t="+strings.TrimSpace(tok)) || rows[1][0] != "HMARSH" {
		t.Errorf("token HMARSH = %q (exit %d); invite gave %s", tok, code, rows[1][3])
	}
	// Flags after the id work too.
	if code, tok2, _ := runCmd(t, "token", "HMARSH", "--data", data, "--roster", roster); code != 0 || tok2 != tok {
		t.Errorf("token with flags after the id: %q", tok2)
	}
	code, _, errOut = runCmd(t, "token", "--data", data, "--roster", roster, "hmarsh")
	if code != 1 || !strings.Contains(errOut, `no one on the roster`) || !strings.Contains(errOut, "case-sensitive") {
		t.Errorf("unknown id: exit %d %q", code, errOut)
	}
}

// proc is a running trainlog binary.
type proc struct {
	cmd    *exec.Cmd
	url    string
	stderr *bytes.Buffer
	done   chan error
}

func start(t *testing.T, data string, extra ...string) *proc {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--quizzes", quizzes, "--content", content,
		"--roster", roster, "--rate-limit", "0", "--quiet"}, extra...)
	cmd := exec.Command(binary, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`listening on (http://\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
	})
	select {
	case p.url = <-found:
	case err := <-p.done:
		t.Fatalf("trainlog exited early: %v\n%s", err, p.stderr)
	case <-time.After(20 * time.Second):
		t.Fatalf("trainlog did not start:\n%s", p.stderr)
	}
	return p
}

func tokenFor(t *testing.T, data, id string) string {
	t.Helper()
	code, out, errOut := runCmd(t, "token", "--data", data, "--roster", roster, id)
	if code != 0 {
		t.Fatal(errOut)
	}
	return strings.TrimSpace(out)
}

var client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

func post(url, attempt, tok string) (int, []byte, error) {
	body := fmt.Sprintf(`{"attempt_id":%q,"quiz":"online-safety","answers":[[1],[0,2],[1],[1]],"token":%q}`, attempt, tok)
	res, err := client.Post(url+"/api/v1/completions", "application/json", strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// storedAttempts reads every attempt id through the admin CSV.
func storedAttempts(t *testing.T, url, data string) map[string]int {
	t.Helper()
	admin, err := os.ReadFile(filepath.Join(data, "admin-token"))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", url+"/api/v1/completions.csv", nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(admin)))
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	rows, err := csv.NewReader(res.Body).ReadAll()
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("CSV: %d %v", res.StatusCode, err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "attempt_id" {
			col = i
		}
	}
	seen := map[string]int{}
	for _, r := range rows[1:] {
		seen[r[col]]++
	}
	return seen
}

func TestGracefulShutdownAnswersAndExits(t *testing.T) {
	data := t.TempDir()
	p := start(t, data)
	tok := tokenFor(t, data, "OEVANS")
	if code, body, err := post(p.url, "graceful-0001", tok); err != nil || code != 201 {
		t.Fatalf("%d %s %v", code, body, err)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, p.stderr)
		}
		p.done <- err // for the cleanup
	case <-time.After(15 * time.Second):
		t.Fatal("trainlog did not stop after SIGTERM")
	}
}

// TestKillLosesNoAcknowledgedCompletion kills trainlog with SIGKILL while
// many clients are submitting, three times over, and checks that every
// attempt that got a 2xx is in the store exactly once afterwards.
func TestKillLosesNoAcknowledgedCompletion(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a real process under load")
	}
	data := t.TempDir()
	tok := tokenFor(t, data, "HMARSH")
	acked := map[string]bool{}
	var mu sync.Mutex
	var next atomic.Int64

	for round := 0; round < 3; round++ {
		p := start(t, data)
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var got atomic.Int64
		for w := 0; w < 32; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					id := fmt.Sprintf("crash-%06d", next.Add(1))
					code, _, err := post(p.url, id, tok)
					if err == nil && code/100 == 2 {
						mu.Lock()
						acked[id] = true
						mu.Unlock()
						got.Add(1)
					} else if err == nil && code != 0 {
						t.Errorf("%s: status %d", id, code)
					}
				}
			}()
		}
		// Kill mid-stream, once a good number of completions are through.
		deadline := time.Now().Add(20 * time.Second)
		for got.Load() < int64(300*(round+1)) && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		p.cmd.Process.Signal(syscall.SIGKILL)
		err := <-p.done
		p.done <- err
		stop()
		wg.Wait()
		if got.Load() == 0 {
			t.Fatalf("round %d: no completion was acknowledged before the kill:\n%s", round, p.stderr)
		}
	}

	p := start(t, data)
	stored := storedAttempts(t, p.url, data)
	missing := 0
	for id := range acked {
		if stored[id] == 0 {
			missing++
			if missing < 10 {
				t.Errorf("acknowledged attempt %s is not stored", id)
			}
		}
	}
	for id, n := range stored {
		if n != 1 {
			t.Errorf("attempt %s stored %d times", id, n)
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged attempts lost", missing, len(acked))
	}
	t.Logf("%d attempts acknowledged across 3 SIGKILLs, %d stored (some unacknowledged ones made it to disk too)", len(acked), len(stored))

	// A page resending after the crash gets its original answer, not a new record.
	var one string
	for id := range acked {
		one = id
		break
	}
	code, body, err := post(p.url, one, tok)
	if err != nil || code != 200 {
		t.Fatalf("resend of %s after restart: %d %s %v", one, code, body, err)
	}
	var reply map[string]any
	json.Unmarshal(body, &reply)
	if reply["certificate"] == nil {
		t.Errorf("resend answer lacks the certificate: %s", body)
	}
}

// A second trainlog on the same data folder stops at once with a message
// naming the folder, instead of answering 503 to every completion.
func TestSecondTrainlogOnSameDataIsRefused(t *testing.T) {
	data := t.TempDir()
	p := start(t, data)
	code, _, errOut := runCmd(t, "serve", "--addr", "127.0.0.1:0", "--data", data, "--quizzes", quizzes,
		"--content", content, "--roster", roster)
	if code != 1 || !strings.Contains(errOut, "already in use by another trainlog") ||
		!strings.Contains(errOut, fmt.Sprintf("process %d", p.cmd.Process.Pid)) {
		t.Errorf("second trainlog: exit %d %q", code, errOut)
	}
	if code, body, err := post(p.url, "first-still-works", tokenFor(t, data, "HMARSH")); err != nil || code != 201 {
		t.Errorf("the first trainlog after the refusal: %d %s %v", code, body, err)
	}
}

// Without --data, invite and token would sign links with a key made in
// ./.trainlog, which the real trainlog (started with --data DIR) refuses.
func TestInviteWithoutDataNeedsAKey(t *testing.T) {
	roster, err := filepath.Abs(roster)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	for _, args := range [][]string{{"invite", "--roster", roster}, {"token", "--roster", roster, "HMARSH"}} {
		code, out, errOut := runCmd(t, args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "there is no signing key in .trainlog") || !strings.Contains(errOut, "pass --data") {
			t.Errorf("%v: exit %d, out %q, err %q", args, code, out, errOut)
		}
	}
	if _, err := os.Stat(".trainlog"); err == nil {
		t.Error("a .trainlog folder was made")
	}
	// Once the default folder has a key (trainlog serve run here), it is used.
	os.Mkdir(".trainlog", 0o700)
	os.WriteFile(filepath.Join(".trainlog", "hmac.key"), []byte("0123456789abcdef0123456789abcdef"), 0o600)
	if code, out, errOut := runCmd(t, "token", "--roster", roster, "HMARSH"); code != 0 || out == "" {
		t.Errorf("token with the default folder's key: exit %d %q", code, errOut)
	}
}

// SIGHUP re-reads the roster: a good edit is taken (and the log says how
// many staff there now are, even with --quiet); a broken one is logged with
// its line and the last good roster stays in use.
func TestSIGHUPReloadsTheRosterAndKeepsTheLastGoodOne(t *testing.T) {
	data := t.TempDir()
	staff := filepath.Join(t.TempDir(), "staff.csv")
	orig, err := os.ReadFile(roster)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(staff, orig, 0o644)
	p := start(t, data, "--roster", staff)
	health := func() int {
		t.Helper()
		res, err := client.Get(p.url + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var h struct{ Staff int }
		json.NewDecoder(res.Body).Decode(&h)
		return h.Staff
	}
	waitLog := func(want string) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if strings.Contains(p.stderr.String(), want) {
				return
			}
		}
		t.Fatalf("log lacks %q:\n%s", want, p.stderr)
	}
	before := health()
	os.WriteFile(staff, append(orig, "ZNEW,Zed New,zed.new@oakfield.example,TA,2026-09-01\n"...), 0o644)
	p.cmd.Process.Signal(syscall.SIGHUP)
	waitLog(fmt.Sprintf("staff=%d", before+1))
	if n := health(); n != before+1 {
		t.Errorf("after a good edit: %d staff, want %d", n, before+1)
	}
	lines := strings.Count(string(orig), "\n")
	os.WriteFile(staff, append(orig, "ZBAD,Zed Bad,zed.bad@oakfield.example,TA,01/09/2026\n"...), 0o644)
	p.cmd.Process.Signal(syscall.SIGHUP)
	waitLog(fmt.Sprintf("staff.csv:%d: start_date", lines+1))
	if !strings.Contains(p.stderr.String(), "reload failed; still using the previous") {
		t.Errorf("log: %s", p.stderr)
	}
	if n := health(); n != before+1 {
		t.Errorf("after a broken edit: %d staff, want the last good %d", n, before+1)
	}
}
