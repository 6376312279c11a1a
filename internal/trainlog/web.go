package trainlog

import (
	"embed"
	"mime"
	"net/http"
	"path"
)

//go:embed web
var web embed.FS

func serveAsset(name string) http.HandlerFunc {
	body, err := web.ReadFile("web/" + name)
	if err != nil {
		panic("trainlog: missing embedded asset " + name) // a build mistake, caught by the tests
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		// The page holds no data of its own; the report itself is no-store.
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(body)
	}
}
