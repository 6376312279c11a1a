package trainlog

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

const (
	keyFile        = "hmac.key"
	adminTokenFile = "admin-token"
	keySize        = 32
)

// Signer makes and checks personal staff tokens: base64url(id) + "." +
// base64url(HMAC-SHA256(key, id)). A token proves the link was issued by
// this trainlog; it does not expire, so a leaked link is revoked by
// removing the person from the roster (or by replacing hmac.key, which
// revokes every link).
type Signer struct{ key []byte }

// NewSigner returns a Signer for a key of any length (trainlog uses 32 bytes).
func NewSigner(key []byte) *Signer { return &Signer{key: append([]byte(nil), key...)} }

func (s *Signer) mac(id string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(id))
	return m.Sum(nil)
}

// Token returns the personal token of a staff id.
func (s *Signer) Token(id string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(id)) + "." + enc.EncodeToString(s.mac(id))
}

// Verify returns the staff id a token was issued for; ok is false for
// anything this key did not sign.
func (s *Signer) Verify(token string) (id string, ok bool) {
	idPart, macPart, found := strings.Cut(token, ".")
	if !found || len(token) > 512 {
		return "", false
	}
	enc := base64.RawURLEncoding
	rawID, err1 := enc.DecodeString(idPart)
	mac, err2 := enc.DecodeString(macPart)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, s.mac(string(rawID))) {
		return "", false
	}
	return string(rawID), true
}

// secretFile reads a secret kept in dataDir, making it on first use with
// gen. created reports that it was just made. The file is written beside
// its final name and linked into place, so a crash never leaves half a key
// and two processes starting at once end up with the same one.
func secretFile(dataDir, name string, gen func() []byte) (data []byte, created bool, err error) {
	path := filepath.Join(dataDir, name)
	data, err = os.ReadFile(path)
	if err == nil {
		return data, false, nil
	}
	if errors.Is(err, fs.ErrPermission) {
		return nil, false, fmt.Errorf("cannot read %s: permission denied: %s", path, ownerHint(dataDir))
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("read %s: %w", path, err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, false, fmt.Errorf("make the data folder %s: %w", dataDir, err)
	}
	tmp, err := os.CreateTemp(dataDir, "."+name+"-*")
	if err != nil {
		return nil, false, fmt.Errorf("make %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	data = gen()
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, false, fmt.Errorf("make %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return nil, false, fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, false, fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return nil, false, fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			data, err = os.ReadFile(path)
			return data, false, err
		}
		return nil, false, fmt.Errorf("make %s: %w", path, err)
	}
	syncDir(dataDir)
	return data, true, nil
}

// syncDir makes a new directory entry durable; failure only weakens that.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read does not fail on supported platforms
	return b
}

// loadKey returns the HMAC key in dataDir/hmac.key, making it on first run.
func loadKey(dataDir string) (key []byte, created bool, err error) {
	key, created, err = secretFile(dataDir, keyFile, func() []byte { return randomBytes(keySize) })
	if err != nil {
		return nil, false, err
	}
	if len(key) != keySize {
		return nil, false, fmt.Errorf("%s holds %d bytes but a key is %d: restore it from a backup, or delete it to make a new one (every invite link will then change, and certificates already issued will no longer verify)",
			filepath.Join(dataDir, keyFile), len(key), keySize)
	}
	return key, created, nil
}

// loadAdminToken returns the admin token in dataDir/admin-token, making it on first run.
func loadAdminToken(dataDir string) (token string, created bool, err error) {
	data, created, err := secretFile(dataDir, adminTokenFile, func() []byte {
		return []byte(base64.RawURLEncoding.EncodeToString(randomBytes(32)) + "\n")
	})
	if err != nil {
		return "", false, err
	}
	token = strings.TrimSpace(string(data))
	if token == "" {
		return "", false, fmt.Errorf("%s is empty: delete it and restart trainlog to make a new admin token", filepath.Join(dataDir, adminTokenFile))
	}
	return token, created, nil
}

// adminCheck compares bearer tokens in constant time; hashing first keeps
// the length of the real token from leaking through timing too.
type adminCheck [sha256.Size]byte

func newAdminCheck(token string) adminCheck { return sha256.Sum256([]byte(token)) }

func (a adminCheck) ok(given string) bool {
	h := sha256.Sum256([]byte(given))
	return subtle.ConstantTimeCompare(h[:], a[:]) == 1
}

// warnIfShared warns when a file of the data folder (restored from a backup,
// or made by an older trainlog, say) can be read by other users of the
// machine: with hmac.key anyone can make a personal link for any member of
// staff, admin-token opens the report, and trainlog.db holds every record.
// Windows has no such permission bits, so nothing is checked there.
func warnIfShared(log *slog.Logger, path string) {
	info, err := os.Stat(path)
	if err != nil || runtime.GOOS == "windows" || info.Mode().Perm()&0o077 == 0 {
		return
	}
	what := "who could then make personal links or open the report"
	fix := path
	if filepath.Base(path) == "trainlog.db" {
		what, fix = "and it holds staff names, e-mail addresses and scores", path+"*"
	}
	log.Warn(fmt.Sprintf("%s can be read by other users of this machine, %s: make it private with chmod 600 %s", path, what, fix),
		"permissions", fmt.Sprintf("%#o", info.Mode().Perm()))
}
