#!/usr/bin/env bash
# Measure trainlog over loopback: build both binaries, start trainlog on a
# fresh data folder with the example school's quizzes and test roster, run
# trainlog-load with the arguments given, then stop trainlog.
#
#   cmd/trainlog-load/bench.sh --workers 256 --duration 10s   # throughput
#   cmd/trainlog-load/bench.sh --rate 1000 --duration 20s     # latency at 1,000/s
#
# SERVER_ARGS adds trainlog flags (e.g. SERVER_ARGS=--quiet to leave request
# logging out). Run it from the repository root.
set -euo pipefail
bin=$(mktemp -d)
data=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$bin" "$data"' EXIT
go build -trimpath -ldflags="-s -w" -o "$bin/trainlog" ./cmd/trainlog
go build -o "$bin/trainlog-load" ./cmd/trainlog-load
addr=127.0.0.1:18090
"$bin/trainlog" serve --addr "$addr" --data "$data" --roster internal/trainlog/testdata/staff.csv \
  --rate-limit 0 ${SERVER_ARGS:-} >"$data/server.log" 2>&1 &
pid=$!
for _ in $(seq 50); do
  curl -fs "http://$addr/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
"$bin/trainlog-load" --url "http://$addr/api/v1/completions" --data "$data" --server-pid "$pid" "$@"
