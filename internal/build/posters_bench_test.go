package build

import (
	"context"
	"testing"
	"time"

	"github.com/policysite/policysite"
	"github.com/policysite/policysite/internal/chromium"
	"github.com/policysite/policysite/internal/hugo"
	"github.com/policysite/policysite/internal/lint"
	"github.com/policysite/policysite/internal/poster"
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
// Run: go test ./internal/build -run '^$' -bench PosterPDFs -benchtime 3x
func BenchmarkPosterPDFs(b *testing.B) {
	exe, err := chromium.Find()
	if err != nil {
		b.Fatalf("%v: the benchmark needs Chromium (make setup)", err)
	}
	dest := b.TempDir()
	site, _, err := lint.Run("../..", lint.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := hugo.Build(hugo.Options{Source: "../..", Dest: dest, Theme: policysite.Theme, Params: hugoParams(site, nil)}); err != nil {
		b.Fatalf("building the example school: %v", err)
	}
	entries, err := readManifest(dest)
	if err != nil || len(entries) == 0 {
		b.Fatalf("the example school's build listed no posters (%v)", err)
	}
	posters := map[string]*poster.Poster{}
	for _, p := range site.Posters {
		posters[p.File] = p
	}
	jobs := func(es []posterEntry) []*posterJob {
		out := make([]*posterJob, len(es))
		for i, e := range es {
			out[i] = &posterJob{entry: e, poster: posters[e.File]}
		}
		return out
	}
	ctx := context.Background()
	n := float64(len(entries))
	var shared, render, fresh time.Duration
	for b.Loop() {
		// One browser for all posters.
		t0 := time.Now()
		br, err := chromium.Start(exe)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		all := jobs(entries)
		err = printPosters(ctx, br, dest, all)
		br.Close()
		if err != nil {
			b.Fatal(err)
		}
		shared += time.Since(t0)
		render += time.Since(t1)
		checkPrinted(b, all)

		// A fresh browser for each poster.
		t2 := time.Now()
		for _, e := range entries {
			br, err := chromium.Start(exe)
			if err != nil {
				b.Fatal(err)
			}
			one := jobs([]posterEntry{e})
			err = printPosters(ctx, br, dest, one)
			br.Close()
			if err != nil {
				b.Fatal(err)
			}
			checkPrinted(b, one)
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

func checkPrinted(b *testing.B, jobs []*posterJob) {
	b.Helper()
	for _, j := range jobs {
		if len(j.out.pdf) == 0 || len(j.out.image) == 0 {
			b.Fatalf("%s: no PDF or preview (fit: first rule off the sheet %d)", j.entry.File, j.out.measure.FirstOverflow())
		}
	}
}
