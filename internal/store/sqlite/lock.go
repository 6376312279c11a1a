package sqlite

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// errLocked is returned by lockFile when another process holds the lock.
var errLocked = errors.New("locked")

// lock keeps a second trainlog off the same database: each process numbers
// new records from the highest id it saw when it opened the file, so two
// writers would collide on every insert after the first (each answering
// 503 for the other's ids). The operating system releases the lock when the
// process ends, however it ends, so a crash never leaves a stale lock.
func lock(dbPath string) (release func(), err error) {
	path := dbPath + ".lock"
	f, err := lockFile(path)
	if errors.Is(err, errLocked) {
		holder := ""
		if b, err := os.ReadFile(path); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
				holder = fmt.Sprintf(" (process %d)", pid)
			}
		}
		return nil, fmt.Errorf("%s is already in use by another trainlog%s: only one trainlog (or policysite serve) may use a data folder at a time; stop the other one first, or give this one its own --data folder", dbPath, holder)
	}
	if err != nil {
		return nil, fmt.Errorf("make the lock file %s: %w", path, err)
	}
	// The process id helps whoever meets the refusal find the other
	// trainlog; it is advice only, the lock is what counts.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() { f.Close() }, nil
}
