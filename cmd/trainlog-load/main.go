// Command trainlog-load fires completions at a running trainlog over HTTP
// and reports durable completions per second and latency percentiles.
//
// Closed loop (throughput): N workers, each sending its next completion as
// soon as the last was acknowledged:
//
//	trainlog-load --workers 256 --duration 10s
//
// Open loop (latency at a given rate): completions are sent on a fixed
// schedule whatever the server does, and latency counts from the scheduled
// time, so a stall is not hidden by the sender waiting for it:
//
//	trainlog-load --rate 1000 --duration 10s
//
// Start trainlog with --rate-limit 0 (and --quiet to leave logging out of
// the figures). Tokens are minted from --data, so point it at the server's
// data folder.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/policysite/policysite/internal/quiz"
	"github.com/policysite/policysite/internal/trainlog"
)

type options struct {
	url      string
	data     string
	staff    string
	token    string
	quizDir  string
	quizID   string
	workers  int
	duration time.Duration
	count    int64
	rate     float64
	ids      string
	warmup   time.Duration
	pid      int
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "http://127.0.0.1:8090/api/v1/completions", "completion endpoint")
	flag.StringVar(&o.data, "data", ".trainlog", "the server's data folder, to mint a personal token")
	flag.StringVar(&o.staff, "staff", "HMARSH", "roster id to submit as")
	flag.StringVar(&o.token, "token", "", "personal token to use instead of minting one")
	flag.StringVar(&o.quizDir, "quizzes", "quizzes", "quiz folder, to send answers of the right shape")
	flag.StringVar(&o.quizID, "quiz", "", "quiz id (default: the first quiz with questions)")
	flag.IntVar(&o.workers, "workers", 0, "concurrent connections (default 256 closed loop, 512 open loop)")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long to send")
	flag.Int64Var(&o.count, "count", 0, "stop after this many completions (0: use --duration)")
	flag.Float64Var(&o.rate, "rate", 0, "open loop: completions per second (0: closed loop, as fast as acknowledged)")
	flag.StringVar(&o.ids, "ids", "random", "attempt ids: random (as crypto.randomUUID makes) or ordered (time-ordered)")
	flag.DurationVar(&o.warmup, "warmup", time.Second, "time at the start left out of the figures")
	flag.IntVar(&o.pid, "server-pid", 0, "trainlog's process id, to report its memory (peak RSS) afterwards")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "trainlog-load:", err)
		os.Exit(1)
	}
}

func run(o options, out io.Writer) error {
	if o.workers <= 0 {
		o.workers = 256
		if o.rate > 0 {
			o.workers = 512
		}
	}
	if o.ids != "random" && o.ids != "ordered" {
		return fmt.Errorf("--ids must be random or ordered, not %q", o.ids)
	}
	body, err := template(o)
	if err != nil {
		return err
	}
	target, err := parseTarget(o.url)
	if err != nil {
		return err
	}

	// Probe once so a wrong token or quiz fails loudly, not 100,000 times.
	probe := &conn{target: target}
	code, msg, err := probe.post(body.with(newID(o.ids, 0)))
	probe.close()
	if err != nil {
		return fmt.Errorf("cannot reach %s: %w (is trainlog running?)", o.url, err)
	} else if code/100 != 2 {
		return fmt.Errorf("the server refused a probe completion with %d: %s", code, msg)
	}

	serverCPU0, selfCPU0 := procCPU(o.pid), selfCPU()
	ctx, cancel := context.WithTimeout(context.Background(), o.duration)
	defer cancel()
	var seq atomic.Int64
	res := &results{statuses: map[int]int64{}}
	start := time.Now()
	measureFrom := start.Add(o.warmup)
	var wg sync.WaitGroup
	var jobs chan time.Time
	if o.rate > 0 {
		jobs = make(chan time.Time, 1<<20)
		go schedule(ctx, o, jobs, start)
	}
	for w := 0; w < o.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &conn{target: target}
			defer c.close()
			lat := make([]time.Duration, 0, 4096)
			for {
				var planned time.Time
				if jobs != nil {
					var ok bool
					if planned, ok = <-jobs; !ok {
						break
					}
				} else if ctx.Err() != nil {
					break
				}
				n := seq.Add(1)
				if o.count > 0 && n > o.count {
					cancel()
					break
				}
				sent := time.Now()
				if planned.IsZero() {
					planned = sent
				}
				code, _, err := c.post(body.with(newID(o.ids, n)))
				done := time.Now()
				res.record(code, err, planned, done, measureFrom, &lat)
			}
			res.merge(lat)
		}()
	}
	wg.Wait()
	res.end = time.Now()
	if o.count > 0 {
		measureFrom = start // a fixed count is measured whole
	}
	res.report(out, o, measureFrom)
	// CPU per completion does not depend on what else the machine is
	// running, unlike completions/s on a shared box.
	total := float64(res.all.Load())
	if total > 0 {
		self := (selfCPU() - selfCPU0).Seconds()
		fmt.Fprintf(out, "cpu per completion: load generator %.1fµs", self/total*1e6)
		if o.pid > 0 {
			server := (procCPU(o.pid) - serverCPU0).Seconds()
			fmt.Fprintf(out, ", server %.1fµs", server/total*1e6)
			if o.rate == 0 {
				// Only a saturated run says what the CPU can carry; at a
				// fixed low rate idle wake-ups dominate.
				fmt.Fprintf(out, "; two idle cores could carry about %.0f/s with both on the box", 2/((server+self)/total))
			}
		}
		fmt.Fprintln(out)
	}
	if o.pid > 0 {
		reportMemory(out, o.pid)
	}
	return nil
}

// schedule emits the planned send times of an open-loop run.
func schedule(ctx context.Context, o options, jobs chan<- time.Time, start time.Time) {
	defer close(jobs)
	interval := time.Duration(float64(time.Second) / o.rate)
	for i := int64(0); ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if o.count > 0 && i >= o.count {
			return
		}
		if d := time.Until(at); d > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(d):
			}
		} else if ctx.Err() != nil {
			return
		}
		jobs <- at
	}
}

type body struct{ head, tail []byte }

func (b body) with(id string) []byte {
	out := make([]byte, 0, len(b.head)+len(id)+len(b.tail))
	return append(append(append(out, b.head...), id...), b.tail...)
}

// template builds a submission with the right answers to the chosen quiz,
// leaving a hole for the attempt id.
func template(o options) (body, error) {
	quizzes, problems := quiz.LoadDir(o.quizDir)
	if len(problems) > 0 {
		return body{}, fmt.Errorf("reading quizzes: %v", problems[0])
	}
	var q *quiz.Quiz
	for _, c := range quizzes {
		if c.ID == o.quizID || (o.quizID == "" && len(c.Questions) > 0 && q == nil) {
			q = c
		}
	}
	if q == nil {
		return body{}, fmt.Errorf("no quiz %q with questions in %s", o.quizID, o.quizDir)
	}
	answers := make([][]int, len(q.Questions))
	for i, qu := range q.Questions {
		answers[i] = qu.Answer
	}
	tok := o.token
	if tok == "" {
		signer, _, err := trainlog.OpenSigner(o.data)
		if err != nil {
			return body{}, err
		}
		tok = signer.Token(o.staff)
	}
	a, _ := json.Marshal(answers)
	head := []byte(`{"attempt_id":"`)
	tail := fmt.Appendf(nil, `","quiz":%q,"answers":%s,"token":%q,"started_at":"2026-09-14T09:30:00Z","finished_at":"2026-09-14T09:41:00Z"}`, q.ID, a, tok)
	return body{head, tail}, nil
}

var runID = func() string { b := make([]byte, 4); rand.Read(b); return hex.EncodeToString(b) }()

func newID(kind string, n int64) string {
	if kind == "ordered" {
		return fmt.Sprintf("%012x-%s-%010d", time.Now().UnixMilli(), runID, n)
	}
	return rand.Text() // 26 random base32 characters, like a UUID's 122 bits
}

type results struct {
	mu       sync.Mutex
	lat      []time.Duration
	statuses map[int]int64
	errs     int64
	lastErr  error
	all      atomic.Int64 // every acknowledged completion, warm-up included
	end      time.Time
}

func (r *results) record(code int, err error, planned, done, from time.Time, lat *[]time.Duration) {
	if err != nil || code/100 != 2 {
		r.mu.Lock()
		if err != nil {
			r.errs++
			if !errors.Is(err, context.Canceled) {
				r.lastErr = err
			}
		} else {
			r.statuses[code]++
		}
		r.mu.Unlock()
		return
	}
	r.all.Add(1)
	if !planned.Before(from) {
		*lat = append(*lat, done.Sub(planned))
	}
}

func (r *results) merge(lat []time.Duration) {
	r.mu.Lock()
	r.lat = append(r.lat, lat...)
	r.mu.Unlock()
}

func (r *results) report(out io.Writer, o options, from time.Time) {
	sort.Slice(r.lat, func(i, j int) bool { return r.lat[i] < r.lat[j] })
	secs := r.end.Sub(from).Seconds()
	mode := fmt.Sprintf("closed loop, %d workers", o.workers)
	if o.rate > 0 {
		mode = fmt.Sprintf("open loop at %.0f/s, up to %d in flight", o.rate, o.workers)
	}
	fmt.Fprintf(out, "%s, %s attempt ids, %.1fs measured (after %v warm-up)\n", mode, o.ids, secs, o.warmup)
	fmt.Fprintf(out, "durable completions: %d (%.0f/s)\n", len(r.lat), float64(len(r.lat))/secs)
	if len(r.lat) > 0 {
		p := func(q float64) time.Duration { return r.lat[min(len(r.lat)-1, int(q*float64(len(r.lat))))] }
		fmt.Fprintf(out, "latency: p50 %v  p90 %v  p99 %v  p99.9 %v  max %v\n",
			p(0.50).Round(time.Microsecond), p(0.90).Round(time.Microsecond), p(0.99).Round(time.Microsecond),
			p(0.999).Round(time.Microsecond), r.lat[len(r.lat)-1].Round(time.Microsecond))
	}
	if len(r.statuses) > 0 || r.errs > 0 {
		fmt.Fprintf(out, "refused: %v, transport errors: %d (last: %v)\n", r.statuses, r.errs, r.lastErr)
	}
}

// reportMemory prints the server's resident memory from /proc (Linux).
func reportMemory(out io.Writer, pid int) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		fmt.Fprintf(out, "server memory: cannot read /proc/%d/status: %v\n", pid, err)
		return
	}
	var peak, now string
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			peak = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			now = strings.TrimSpace(v)
		}
	}
	fmt.Fprintf(out, "server memory: peak RSS %s, now %s\n", peak, now)
}

// procCPU is the user+system CPU time a process has used (Linux /proc).
func procCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	var utime, stime int64
	fmt.Sscan(f[11], &utime)
	fmt.Sscan(f[12], &stime)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ is 100 on Linux
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
