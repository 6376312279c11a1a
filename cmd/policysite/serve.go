package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/policysite/policysite/internal/serve"
)

var serveCommand = command{
	name:    "serve",
	summary: "preview with live reload, training endpoint at /api",
	flags:   serveFlags,
}

func serveFlags(fs *flag.FlagSet) runFunc {
	source := fs.String("source", ".", "the `FOLDER` of the school's site")
	addr := fs.String("addr", "127.0.0.1:1313", "where to listen, as `HOST:PORT`")
	api := addAPIFlags(fs)
	return func(pos []string, stdout, stderr io.Writer) error {
		if err := noArgs(fs, pos); err != nil {
			return err
		}
		return runServe(*source, *addr, api, stdout, stderr)
	}
}

func runServe(source, addr string, api *apiFlags, stdout, stderr io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s (is another preview running? try --addr 127.0.0.1:1314): %w", addr, err)
	}
	tapi, err := api.start(source, stdout, stderr)
	if err != nil {
		ln.Close()
		return err
	}
	defer tapi.close()

	srv, err := serve.New(serve.Options{
		Source:     source,
		API:        tapi.handler(),
		Log:        stderr,
		AfterBuild: func() { tapi.reload(stderr) },
	})
	if err != nil {
		ln.Close()
		return err
	}
	defer srv.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go srv.Watch(ctx)

	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	hs.RegisterOnShutdown(srv.StopEvents)
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		hs.Shutdown(shut)
	}()
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "Previewing %s at %s/ — saving a file updates the open page. Press Ctrl+C to stop.\n", source, base)
	if tapi != nil {
		fmt.Fprintf(stdout, "Training endpoint: %s/api/ (records in %s). Report for the DSL: %s/api/report\n", base, tapi.dataDir, base)
		if link := tapi.tryLink(base); link != "" {
			fmt.Fprintf(stdout, "Try a quiz: %s\n", link)
		}
	}
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
