package trainlog

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
)

// checkDataDir makes the data folder when only its last part is missing and
// checks that this process can write in it, so a mistyped --data or a
// folder owned by another user is explained at start, before anything is
// written there, instead of as a bare "permission denied".
func checkDataDir(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case err == nil && !info.IsDir():
		return fmt.Errorf("the data folder %s is a file, not a folder: give --data a folder (it is made if it does not exist yet)", dir)
	case errors.Is(err, fs.ErrNotExist):
		parent := filepath.Dir(filepath.Clean(dir))
		if _, err := os.Stat(parent); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("the data folder %s cannot be made because %s does not exist: check --data for a typing mistake, or make the folder first (mkdir -p %s)", dir, parent, dir)
		}
		if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("cannot make the data folder %s: %w: make it as an administrator, then %s", dir, errors.Unwrap(err), ownerHint(dir))
		}
		return nil
	case err != nil:
		return fmt.Errorf("cannot use the data folder %s: %w: %s", dir, err, ownerHint(dir))
	}
	f, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return fmt.Errorf("cannot write in the data folder %s: %w: %s", dir, errors.Unwrap(err), ownerHint(dir))
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// ownerHint says which user needs the data folder.
func ownerHint(dir string) string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return fmt.Sprintf("give the data folder %s, with every file in it, to the user trainlog runs as, %s (for example: chown -R %s %s), or choose another --data folder", dir, u.Username, u.Username, dir)
	}
	return fmt.Sprintf("give the data folder %s, with every file in it, to the user trainlog runs as, or choose another --data folder", dir)
}
