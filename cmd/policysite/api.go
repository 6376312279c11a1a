package main

import (
	"flag"
	"io"
	"net/http"
)

// apiFlags are the training endpoint's options when it runs inside serve.
type apiFlags struct {
	data *string
	off  *bool
}

func addAPIFlags(fs *flag.FlagSet) *apiFlags {
	return &apiFlags{
		data: fs.String("data", ".trainlog", "folder for training records (SQLite), relative to --source"),
		off:  fs.Bool("no-api", false, "serve the site without the training endpoint at /api"),
	}
}

// start returns the endpoint to mount at /api, or nil when switched off.
func (a *apiFlags) start(source string, stdout io.Writer) (http.Handler, func(), error) {
	return nil, func() {}, nil
}
