package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/policysite/policysite/internal/trainlog"
)

const fixtures = "../../internal/trainlog/testdata"

// A fixed number of completions against a real trainlog handler must all
// be counted as durable, with latency figures.
func TestRunCountsEveryAcknowledgedCompletion(t *testing.T) {
	data := t.TempDir()
	srv, err := trainlog.New(trainlog.Config{
		DataDir: data, QuizDir: fixtures + "/site/quizzes", ContentDir: fixtures + "/site/content",
		RosterFile: fixtures + "/staff.csv", RateLimit: -1,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Notice: func(string) {},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", srv.Handler()))
	ts := httptest.NewServer(mux)
	defer ts.Close()

	for _, ids := range []string{"random", "ordered"} {
		var out bytes.Buffer
		err := run(options{url: ts.URL + "/api/v1/completions", data: data, staff: "HMARSH", quizDir: fixtures + "/site/quizzes",
			workers: 8, count: 200, duration: time.Minute, ids: ids}, &out)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "durable completions: 200 ") || !strings.Contains(out.String(), "p99 ") {
			t.Errorf("%s ids: report is\n%s", ids, out.String())
		}
		if strings.Contains(out.String(), "refused") {
			t.Errorf("%s ids: some completions were refused:\n%s", ids, out.String())
		}
	}
}

func TestRunStopsOnARefusedProbe(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(401)
		io.WriteString(w, `{"error":"this personal link is not valid"}`)
	}))
	defer ts.Close()
	err := run(options{url: ts.URL + "/x", token: "t", quizDir: fixtures + "/site/quizzes", count: 10, ids: "random"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "personal link is not valid") {
		t.Fatalf("err = %v", err)
	}
}

// The minimal client must survive servers that close connections, whether
// they say so or just drop idle ones.
func TestConnReconnects(t *testing.T) {
	n := 0
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		if n%3 == 0 {
			w.Header().Set("Connection", "close")
		}
		body, _ := io.ReadAll(r.Body)
		w.WriteHeader(201)
		w.Write(body)
	}))
	defer ts.Close()
	target, err := parseTarget(ts.URL + "/api/v1/completions")
	if err != nil {
		t.Fatal(err)
	}
	c := &conn{target: target}
	defer c.close()
	for i := 0; i < 10; i++ {
		if i == 5 {
			ts.CloseClientConnections() // an idle connection dropped under the client
		}
		code, body, err := c.post([]byte(`{"n":1}`))
		if err != nil || code != 201 || body != `{"n":1}` {
			t.Fatalf("request %d: %d %q %v", i, code, body, err)
		}
	}
	if _, err := parseTarget("https://example.org/x"); err == nil {
		t.Error("https accepted; the client speaks plain HTTP only")
	}
}

func TestTemplateAnswersTheQuizRight(t *testing.T) {
	b, err := template(options{quizDir: fixtures + "/site/quizzes", quizID: "online-safety", token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	got := string(b.with("attempt-1"))
	want := `{"attempt_id":"attempt-1","quiz":"online-safety","answers":[[1],[0,2],[1],[1]],"token":"tok"`
	if !strings.HasPrefix(got, want) {
		t.Errorf("body %s\nwant prefix %s", got, want)
	}
	if _, err := template(options{quizDir: filepath.Join(t.TempDir()), quizID: "x"}); err == nil {
		t.Error("no error for a folder without quizzes")
	}
}
