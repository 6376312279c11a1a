package poster

import (
	"context"
	"testing"
	"time"

	"github.com/policysite/policysite"
	"github.com/policysite/policysite/internal/hugo"
)

// BenchmarkPosterPDFs makes the example school's posters (PDF and preview
// each) the way the build does, with one browser for all of them, and, in
// the same run, with a fresh Chromium for every poster, to show what sharing
// the browser saves. Reported (ns/op counts both ways, so read these):
//
//	shared-ms/all     one browser: its start plus all the example posters
//	shared-ms/poster  the same divided by the posters (the goal: ≤ 300 ms)
//	render-ms/poster  the same without the browser's start
//	fresh-ms/all      a new browser for each poster, all the posters
//	fresh-ms/poster   the same divided by the posters
//	fresh/shared      how many times slower a fresh browser per poster is
//
// Run: go test ./internal/poster -run '^$' -bench PosterPDFs -benchtime 3x
func BenchmarkPosterPDFs(b *testing.B) {
	chromium, err := FindChromium()
	if err != nil {
		b.Fatalf("%v: the benchmark needs Chromium (make setup)", err)
	}
	dest := b.TempDir()
	if _, err := hugo.Build(hugo.Options{Source: "../..", Dest: dest, Theme: policysite.Theme}); err != nil {
		b.Fatalf("building the example school: %v", err)
	}
	entries, err := readManifest(dest)
	if err != nil || len(entries) == 0 {
		b.Fatalf("the example school's build listed no posters (%v)", err)
	}
	ctx := context.Background()
	n := float64(len(entries))
	var shared, render, fresh time.Duration
	for b.Loop() {
		// One browser for all posters.
		t0 := time.Now()
		br, err := StartBrowser(chromium)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		pages, err := RenderAll(ctx, br, dest, entries)
		br.Close()
		if err != nil {
			b.Fatal(err)
		}
		shared += time.Since(t0)
		render += time.Since(t1)
		checkPages(b, entries, pages)

		// A fresh browser for each poster.
		t2 := time.Now()
		for _, e := range entries {
			br, err := StartBrowser(chromium)
			if err != nil {
				b.Fatal(err)
			}
			pages, err := RenderAll(ctx, br, dest, []Entry{e})
			br.Close()
			if err != nil {
				b.Fatal(err)
			}
			checkPages(b, []Entry{e}, pages)
		}
		fresh += time.Since(t2)
	}
	runs := float64(b.N)
	all := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / runs }
	ms := func(d time.Duration) float64 { return all(d) / n }
	b.ReportMetric(n, "posters")
	b.ReportMetric(all(shared), "shared-ms/all")
	b.ReportMetric(ms(shared), "shared-ms/poster")
	b.ReportMetric(ms(render), "render-ms/poster")
	b.ReportMetric(all(fresh), "fresh-ms/all")
	b.ReportMetric(ms(fresh), "fresh-ms/poster")
	b.ReportMetric(float64(fresh)/float64(shared), "fresh/shared")
}

func checkPages(b *testing.B, entries []Entry, pages []*Page) {
	b.Helper()
	for i, p := range pages {
		if len(p.PDF) == 0 || len(p.Preview) == 0 {
			b.Fatalf("%s: no PDF or preview (fit: first rule off the sheet %d)", entries[i].File, p.Measure.FirstOverflow())
		}
	}
}
