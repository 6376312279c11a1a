package hugo

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/afero"
)

// Transform rewrites a content file's bytes as Hugo reads it. It must keep
// the number of lines so error positions stay true.
type Transform func(path string, src []byte) []byte

// transformFs is the source file system Hugo reads: the real disk, except
// that Markdown under content/ passes through a Transform first.
type transformFs struct {
	afero.OsFs
	contentDir string
	fn         Transform
}

func newTransformFs(siteDir string, fn Transform) afero.Fs {
	return &transformFs{contentDir: filepath.Join(siteDir, "content") + string(filepath.Separator), fn: fn}
}

func (t *transformFs) applies(name string) bool {
	return strings.HasPrefix(name, t.contentDir) && strings.HasSuffix(name, ".md")
}

func (t *transformFs) Open(name string) (afero.File, error) {
	return t.OpenFile(name, os.O_RDONLY, 0)
}

func (t *transformFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	f, err := t.OsFs.OpenFile(name, flag, perm)
	if err != nil || flag != os.O_RDONLY || !t.applies(name) {
		return f, err
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return f, err
	}
	b, err := afero.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	out := t.fn(name, b)
	return &memFile{File: f, r: bytes.NewReader(out), info: sizedInfo{st, int64(len(out))}}, nil
}

func (t *transformFs) Stat(name string) (os.FileInfo, error) {
	st, err := t.OsFs.Stat(name)
	return t.resize(name, st, err)
}

func (t *transformFs) LstatIfPossible(name string) (os.FileInfo, bool, error) {
	st, ok, err := t.OsFs.LstatIfPossible(name)
	st, err = t.resize(name, st, err)
	return st, ok, err
}

// resize reports the transformed size, since Hugo may size buffers by it.
func (t *transformFs) resize(name string, st os.FileInfo, err error) (os.FileInfo, error) {
	if err != nil || st.IsDir() || !t.applies(name) {
		return st, err
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return st, nil
	}
	return sizedInfo{st, int64(len(t.fn(name, b)))}, nil
}

func (t *transformFs) Name() string { return "policysite source" }

type sizedInfo struct {
	fs.FileInfo
	size int64
}

func (s sizedInfo) Size() int64        { return s.size }
func (s sizedInfo) ModTime() time.Time { return s.FileInfo.ModTime() }

// memFile is an open file whose contents were transformed; directory and
// name queries still go to the real file.
type memFile struct {
	afero.File
	r    *bytes.Reader
	info os.FileInfo
}

func (m *memFile) Read(p []byte) (int, error)              { return m.r.Read(p) }
func (m *memFile) ReadAt(p []byte, off int64) (int, error) { return m.r.ReadAt(p, off) }
func (m *memFile) Seek(off int64, whence int) (int64, error) {
	return m.r.Seek(off, whence)
}
func (m *memFile) Stat() (os.FileInfo, error) { return m.info, nil }
