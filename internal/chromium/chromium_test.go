package chromium

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestFindHonoursCHROMIUM(t *testing.T) {
	t.Setenv("CHROMIUM", "/nonexistent/chromium")
	if _, err := Find(); err == nil || !strings.Contains(err.Error(), "CHROMIUM is /nonexistent/chromium, which is not a program that can be run") {
		t.Errorf("Find() error = %v", err)
	}
}

// One browser prints two pages, in two tabs at once: each is measured by
// its own script in print media at its sheet's size, and printed to a PDF
// and a preview only when the caller says so.
func TestPrint(t *testing.T) {
	exe, err := Find()
	if err != nil {
		t.Fatalf("%v: the browser tests need Chromium (make setup)", err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html lang="en"><title>Sheet</title>
<style>@page { size: A5 portrait; margin: 0 } @media print { p { color: rgb(1, 2, 3) } }</style>
<p>` + r.URL.Path + `</p>`))
	}))
	defer srv.Close()
	b, err := Start(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	type measure struct {
		Width float64 `json:"width"`
		Color string  `json:"color"`
		Text  string  `json:"text"`
	}
	const script = `({width: innerWidth, color: getComputedStyle(document.querySelector("p")).color, text: document.querySelector("p").textContent})`
	results := make([]*Printed, 2)
	errs := make(chan error, 2)
	for i, path := range []string{"/print", "/skip"} {
		go func() {
			var err error
			results[i], err = b.Print(ctx, Job{
				URL: srv.URL + path, WidthMM: 148, HeightMM: 210, Measure: script,
				Print:        func(m json.RawMessage) bool { return !bytes.Contains(m, []byte("/skip")) },
				PreviewWidth: 300, FontOf: "p",
			})
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var m measure
	if err := json.Unmarshal(results[0].Measure, &m); err != nil {
		t.Fatal(err)
	}
	if m.Width != 560 || m.Color != "rgb(1, 2, 3)" || m.Text != "/print" {
		t.Errorf("measure %+v: want the 148 mm window (560 px) in print media", m)
	}
	if !bytes.HasPrefix(results[0].PDF, []byte("%PDF-")) {
		t.Error("the printed page has no PDF")
	}
	img, err := png.Decode(bytes.NewReader(results[0].Preview))
	if err != nil {
		t.Fatalf("preview: %v", err)
	}
	if w := img.Bounds().Dx(); w != 300 {
		t.Errorf("preview is %d px wide, want 300", w)
	}
	if skip := results[1]; skip.PDF != nil || skip.Preview != nil || skip.Font == "" {
		t.Errorf("the page not to print: PDF %d bytes, preview %d bytes, font %q; want none, none and the font its text was drawn in", len(skip.PDF), len(skip.Preview), skip.Font)
	}
}
