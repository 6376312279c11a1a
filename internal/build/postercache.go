package build

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/policysite/policysite/internal/poster"
)

// renderVersion changes whenever the poster step prints a page differently,
// so that older cached files are not used.
const renderVersion = "poster-render-1"

// A cache of rendered posters, so that a build whose posters did not change
// (every save in `policysite serve`, say) needs no browser at all. A file is
// found by a hash of everything its rendering depends on: the poster page,
// every file of the site it loads (stylesheet, icons, logo), the browser,
// and the machine's fonts. Only posters that fit their sheet are cached.
type cache struct {
	dir string // "" when off
	env string // the browser and fonts, hashed
}

// openCache returns the cache in $POLICYSITE_CACHE (a folder, or "off"), or
// else in the user's cache folder; chromium is the browser that renders.
func openCache(chromium string) *cache {
	dir := os.Getenv("POLICYSITE_CACHE")
	switch dir {
	case "off":
		return &cache{}
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return &cache{}
		}
		dir = filepath.Join(base, "policysite")
	}
	dir = filepath.Join(dir, "posters")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return &cache{}
	}
	return &cache{dir: dir, env: environment(chromium)}
}

// environment fingerprints the browser and the fonts it can use: their
// paths, sizes and modification times.
func environment(chromium string) string {
	h := sha256.New()
	fmt.Fprintln(h, renderVersion)
	stat := func(p string) {
		if st, err := os.Stat(p); err == nil {
			fmt.Fprintln(h, p, st.Size(), st.ModTime().UnixNano())
		}
	}
	stat(chromium)
	if real, err := filepath.EvalSymlinks(chromium); err == nil {
		stat(real)
	}
	home, _ := os.UserHomeDir()
	for _, dir := range []string{"/etc/fonts", "/usr/share/fonts", "/usr/local/share/fonts",
		filepath.Join(home, ".fonts"), filepath.Join(home, ".local", "share", "fonts")} {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				stat(p)
			}
			return nil
		})
	}
	return hex.EncodeToString(h.Sum(nil))
}

var assetRe = regexp.MustCompile(`(?:src|href)=["']?([^"' >]+)`)

// key is the cache key of one poster page in the built site dest, or "" when
// it cannot be made.
func (c *cache) key(dest string, e posterEntry, p *poster.Poster) string {
	if c.dir == "" {
		return ""
	}
	page, err := outPagePath(dest, e)
	if err != nil {
		return ""
	}
	html, err := os.ReadFile(page)
	if err != nil {
		return ""
	}
	h := sha256.New()
	fmt.Fprintln(h, c.env, p.Paper, p.Orientation, len(html))
	h.Write(html)
	var assets []string
	for _, m := range assetRe.FindAllSubmatch(html, -1) {
		u := string(m[1])
		if strings.Contains(u, "://") || strings.HasPrefix(u, "#") || strings.HasPrefix(u, "data:") {
			continue
		}
		var p string
		if strings.HasPrefix(u, "/") {
			p = filepath.Join(dest, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(u, strings.TrimSuffix(e.Base, "/")), "/")))
		} else {
			p = filepath.Join(filepath.Dir(page), filepath.FromSlash(u))
		}
		assets = append(assets, p)
	}
	sort.Strings(assets)
	for _, p := range assets {
		rel := strings.TrimPrefix(p, dest)
		if strings.HasSuffix(rel, ".pdf") { // its own PDF, made after this
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			fmt.Fprintln(h, "missing", rel)
			continue
		}
		fmt.Fprintln(h, rel)
		io.Copy(h, f)
		f.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}

// lookUp sets each job's cache key and takes what is cached; it returns the
// jobs left to print.
func (c *cache) lookUp(dest string, jobs []*posterJob) []*posterJob {
	var todo []*posterJob
	for _, j := range jobs {
		j.key = c.key(dest, j.entry, j.poster)
		if pdf, png, ok := c.get(j.key); ok {
			j.out = &printedPoster{pdf: pdf, image: png, cached: true}
			continue
		}
		todo = append(todo, j)
	}
	return todo
}

// get returns the cached PDF and preview for key, if both are there.
func (c *cache) get(key string) (pdf, png []byte, ok bool) {
	if c.dir == "" || key == "" {
		return nil, nil, false
	}
	pdf, err1 := os.ReadFile(filepath.Join(c.dir, key+".pdf"))
	png, err2 := os.ReadFile(filepath.Join(c.dir, key+".png"))
	if err1 != nil || err2 != nil || len(pdf) == 0 || len(png) == 0 {
		return nil, nil, false
	}
	now := time.Now()
	os.Chtimes(filepath.Join(c.dir, key+".pdf"), now, now) // recently used: kept by prune
	return pdf, png, true
}

// put stores a poster's files; a failure only means no caching.
func (c *cache) put(key string, pdf, png []byte) {
	if c.dir == "" || key == "" {
		return
	}
	for ext, data := range map[string][]byte{".png": png, ".pdf": pdf} { // the PDF last: get needs both
		tmp, err := os.CreateTemp(c.dir, ".tmp-*")
		if err != nil {
			return
		}
		_, err = tmp.Write(data)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), filepath.Join(c.dir, key+ext))
		}
		if err != nil {
			os.Remove(tmp.Name())
			return
		}
	}
	c.prune(200)
}

// prune keeps the cache to the most recently used n posters.
func (c *cache) prune(n int) {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	type file struct {
		key  string
		used int64
	}
	var pdfs []file
	for _, e := range entries {
		if key, ok := strings.CutSuffix(e.Name(), ".pdf"); ok {
			if info, err := e.Info(); err == nil {
				pdfs = append(pdfs, file{key, info.ModTime().UnixNano()})
			}
		}
	}
	if len(pdfs) <= n {
		return
	}
	sort.Slice(pdfs, func(i, j int) bool { return pdfs[i].used > pdfs[j].used })
	for _, f := range pdfs[n:] {
		os.Remove(filepath.Join(c.dir, f.key+".pdf"))
		os.Remove(filepath.Join(c.dir, f.key+".png"))
	}
}
