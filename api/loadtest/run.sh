#!/usr/bin/env bash
# Load test of POST /v1/match against `sitematch serve` on 127.0.0.1 only.
#
#   api/loadtest/run.sh [DURATION] [CONNECTIONS] [THREADS]   (defaults: 10s 8 2)
#
# Builds the binary, starts it on a free local port, waits for /readyz,
# then runs wrk (Debian: apt-get install wrk) for DURATION with the
# full-France project of BenchmarkMatch (20 suppliers, no constraint,
# every candidate scored, limit 20), prints throughput and p50/p90/p99
# latency (and any non-200 answer), and stops the server with SIGTERM.
# Traffic never leaves 127.0.0.1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
duration=${1:-10s}
conns=${2:-8}
threads=${3:-2}

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

work=$(mktemp -d)
server_pid=
cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid"
		wait "$server_pid" || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/sitematch" ./cmd/sitematch

# The project: 20 prefectures across mainland France as suppliers.
communes=(75056 69123 13055 31555 06088 44109 67482 34172 33063 59350 35238 51454 76351 42218 83137 49007 21231 37261 63113 87085)
sup=""
for i in "${!communes[@]}"; do
	sup+="${sup:+, }{\"name\": \"Fournisseur $i\", \"commune\": \"${communes[$i]}\"}"
done
cat >"$work/body.json" <<JSON
{"project": {"name": "Usine de composants aéronautiques", "sector": "aeronautics", "jobs": 200, "land_ha": 10,
 "suppliers": [$sup]}, "limit": 20}
JSON

# Logs at the default level (an access-log line per request), as in production.
"$work/sitematch" serve --addr 127.0.0.1:0 2>"$work/server.log" &
server_pid=$!
addr=
for _ in $(seq 1 300); do
	addr=$(sed -n 's/.*"msg":"ready".*"addr":"\([^"]*\)".*/\1/p' "$work/server.log" | head -n1)
	[ -n "$addr" ] && curl -fsS "http://$addr/readyz" >/dev/null 2>&1 && break
	sleep 0.1
done
[ -n "$addr" ] || { echo "the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
case "$addr" in 127.0.0.1:*) ;; *) echo "refusing to load $addr: not 127.0.0.1" >&2; exit 1 ;; esac

status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$work/body.json" "http://$addr/v1/match")
[ "$status" = 200 ] || { echo "the project is refused: $status" >&2; exit 1; }

echo "== $(nproc) CPUs, $(go version | cut -d' ' -f3), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== wrk -t$threads -c$conns -d$duration --latency POST http://$addr/v1/match (full-France project, 20 suppliers, limit 20)"
BODY="$work/body.json" wrk -t"$threads" -c"$conns" -d"$duration" --latency -s api/loadtest/post.lua "http://$addr/v1/match"
