//go:build unix

package trainlog

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A key left owned by another user (trainlog first run as root, say) is
// explained with the chown that fixes it. Root reads any file, so as root
// (CI) the test runs itself again as the user nobody.
func TestUnreadableKeyIsExplained(t *testing.T) {
	if os.Getuid() == 0 {
		if os.Getenv("TRAINLOG_TEST_AS_NOBODY") != "" {
			t.Fatal("the re-run as nobody is still root")
		}
		rerunAsNobody(t, "TestUnreadableKeyIsExplained")
		return
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "hmac.key"), []byte("0123456789abcdef0123456789abcdef"), 0o000)
	_, _, err := OpenSigner(dir)
	if err == nil || !strings.Contains(err.Error(), "cannot read "+filepath.Join(dir, "hmac.key")+": permission denied") || !strings.Contains(err.Error(), "chown -R") {
		t.Errorf("err = %v", err)
	}
}

// rerunAsNobody runs the named test of this test binary as the user nobody
// (uid 65534) and fails unless it ran and passed. The binary is copied to a
// folder nobody can reach, since go test keeps it in root's private one.
func rerunAsNobody(t *testing.T, name string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "trainlog-as-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "trainlog.test")
	in, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.Copy(out, in)
	in.Close()
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^"+name+"$", "-test.count=1", "-test.v")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TRAINLOG_TEST_AS_NOBODY=1", "TMPDIR=/tmp", "HOME="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	got, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(got), "--- PASS: "+name) {
		t.Fatalf("%s as nobody: %v\n%s", name, err, got)
	}
}
