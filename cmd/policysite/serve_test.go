package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// `policysite serve` is the one command that shows the whole training flow:
// the site and, in the same process, trainlog at /api. Run the real command
// on a fresh site, then use the personal link it prints to record an
// acknowledgement through /api.
func TestServeMountsTrainlogAtAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the policysite binary")
	}
	tmp := t.TempDir()
	site := filepath.Join(tmp, "site")
	if code, _, errOut := runCmd("init", site); code != 0 {
		t.Fatalf("init: exit %d: %s", code, errOut)
	}
	binary := filepath.Join(tmp, "policysite")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(binary, "serve", "--source", site, "--addr", "127.0.0.1:0", "--data", filepath.Join(tmp, "data"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Signal(syscall.SIGINT)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("serve did not stop cleanly on Ctrl+C: %v\n%s", err, stderr.String())
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Error("serve did not stop within 10 s of Ctrl+C")
		}
	}()

	// Read what serve prints until the personal link.
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, stdout)
	}()
	endpoint := regexp.MustCompile(`Training endpoint: (http://127\.0\.0\.1:\d+)/api/`)
	link := regexp.MustCompile(`Try a quiz: \S+\?t=(\S+)`)
	var base, token string
	timeout := time.After(60 * time.Second)
	for token == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("serve stopped before printing a personal link (base %q):\n%s", base, stderr.String())
			}
			if m := endpoint.FindStringSubmatch(line); m != nil {
				base = m[1]
			}
			if m := link.FindStringSubmatch(line); m != nil {
				token = m[1]
			}
		case <-timeout:
			t.Fatalf("serve printed no training endpoint and personal link within 60 s:\n%s", stderr.String())
		}
	}
	go func() {
		for range lines {
		}
	}()
	if base == "" {
		t.Fatal("serve printed a personal link but not the training endpoint's address")
	}

	get := func(path string) (int, string) {
		t.Helper()
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := get("/api/healthz"); code != 200 || !strings.Contains(body, `"quizzes":3`) {
		t.Errorf("GET /api/healthz: %d %s; want 200 with the example school's 3 quizzes", code, body)
	}
	if code, body := get("/staff/training/staff-aup-acknowledgement/"); code != 200 || !strings.Contains(body, `"api":"/api"`) {
		t.Errorf("the acknowledgement page: HTTP %d, or its quiz data does not send to /api: %.300s", code, body)
	}
	body := `{"attempt_id":"serve-test-0001","quiz":"staff-aup-acknowledgement","answers":[],"token":"` + token + `"}`
	res, err := http.Post(base+"/api/v1/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got map[string]any
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil || res.StatusCode != 201 || got["passed"] != true {
		t.Fatalf("POST /api/v1/completions through serve: HTTP %d %v (%v)", res.StatusCode, got, err)
	}
	policy, err := os.ReadFile(filepath.Join(site, "content/policies/staff-acceptable-use.md"))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := got["policy_version"].(string); v == "" || !strings.Contains(string(policy), `version: "`+v+`"`) {
		t.Errorf("the completion records policy version %v, not the site's staff-acceptable-use version", got["policy_version"])
	}
}
