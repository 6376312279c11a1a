package sqlite

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/policysite/policysite/internal/store"
)

// BenchmarkAdd compares group commit with one transaction per completion,
// each with 64 concurrent callers as under load. Compare the ns/op of the
// two sub-benchmarks for the speed-up (go test -bench Add -benchtime 3s).
func BenchmarkAdd(b *testing.B) {
	for _, bc := range []struct {
		name string
		opt  Options
	}{
		{"GroupCommit", Options{}},
		{"OneRowPerTransaction", Options{MaxBatch: 1}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s, err := Open(filepath.Join(b.TempDir(), "trainlog.db"), withCerts(bc.opt))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			now := time.Now()
			b.SetParallelism(128) // × GOMAXPROCS callers, like 256 open connections
			cpu0 := cpuTime()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					// Random ids, as the quiz page makes them: each lands on
					// a random page of the attempt_id index.
					_, _, err := s.Add(context.Background(), store.Completion{
						AttemptID: rand.Text(), StaffID: "s1", Name: "Ann", Email: "ann@school.example",
						Quiz: "online-safety", PolicyVersion: "4.0", Score: 1, Correct: 12, Total: 12, Passed: true,
						Answers: "[[1],[0],[2],[1],[0],[3],[1],[0],[2],[1],[0],[3]]", ReceivedAt: now,
					})
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "completions/s")
			// CPU per completion holds steady on a shared, busy machine,
			// where completions/s does not.
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
