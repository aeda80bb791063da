#!/usr/bin/env bash
# sitematch against its peers on one project, on this machine:
#
#   bench/peers/run.sh [SECONDS] [CONNECTIONS]      (defaults: 10 2)
#
# The project is api/loadtest's full-France one (aeronautics, 20 suppliers
# at 20 prefectures, 200 jobs, 10 ha, limit 20). Three ways answer it:
#
#   sitematch  `sitematch serve` on 127.0.0.1, POST /v1/match under wrk
#              (CONNECTIONS connections, 2 threads): the whole answer, JSON
#              in and out, explanations included.
#   PostGIS    a throwaway PostgreSQL 15 + PostGIS 3 cluster on 127.0.0.1
#              (Debian's postgresql-15-postgis-3), under pgbench with
#              CONNECTIONS clients: one SQL query per match.
#   DuckDB     embedded (the npm package @duckdb/node-api, in-process, no
#              network), 2 threads, queries back to back.
#
# Both databases get precomputed features (bench/peers/export): every
# eligible candidate with the sum of its other criteria's contributions
# and the supply chain's normalised weight, as sitematch's engine computes
# them for this project. Their query does the rest, which is what dominates
# a match: the supply-chain term over every candidate × partner
# (great-circle distance on the sphere, the project's decay band), the
# weighted total and the top k, ordered by score then id. The script checks
# that each peer ranks the same sites as sitematch before timing it. The
# peers return ids and scores only; sitematch returns the full answer.
#
# Needs: go, wrk, curl, node and npm (apt-get install wrk nodejs npm
# postgresql-15-postgis-3). Nothing listens beyond 127.0.0.1; the cluster
# and the temporary folder are removed at exit. Not part of go test or CI.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-10}
conns=${2:-2}
pgbin=${SITEMATCH_PG_BIN:-/usr/lib/postgresql/15/bin}

for c in go wrk curl node npm "$pgbin/initdb" "$pgbin/pgbench"; do
	command -v "$c" >/dev/null || { echo "run.sh: $c not found (apt-get install wrk nodejs npm postgresql-15-postgis-3)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/sitematch-peers.XXXXXX)
chmod 755 "$work"
server_pid=
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid"
		wait "$server_pid" || true
	fi
	if [ -f "$work/pg/data/postmaster.pid" ]; then
		as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

free_port() {
	local p
	for p in $(shuf -i 20000-60000 -n 50); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
	done
	echo "run.sh: no free port" >&2
	return 1
}

# The request: api/loadtest's project.
communes=(75056 69123 13055 31555 06088 44109 67482 34172 33063 59350 35238 51454 76351 42218 83137 49007 21231 37261 63113 87085)
sup=""
for i in "${!communes[@]}"; do
	sup+="${sup:+, }{\"name\": \"Fournisseur $i\", \"commune\": \"${communes[$i]}\"}"
done
cat >"$work/body.json" <<JSON
{"project": {"name": "Usine de composants aéronautiques", "sector": "aeronautics", "jobs": 200, "land_ha": 10,
 "suppliers": [$sup]}, "limit": 20}
JSON

cd "$root"
go build -o "$work/sitematch" ./cmd/sitematch
go run ./bench/peers/export "$work/body.json" "$work"
chmod 644 "$work"/*.csv
read -r near far limit < <(tail -n1 "$work/params.csv" | tr ',' ' ')
expected=$(tail -n +2 "$work/expected.csv" | cut -d, -f2 | paste -sd,)

same() { # same NAME IDS: the peer's top k against sitematch's
	if [ "$2" = "$expected" ]; then
		echo "== $1 ranks the same $limit sites as sitematch"
	else
		echo "== $1's top $limit differs from sitematch's:" >&2
		echo "   $1:      $2" >&2
		echo "   sitematch: $expected" >&2
	fi
}

# --- PostGIS ---------------------------------------------------------------
mkdir "$work/pg"
[ "$(id -u)" -eq 0 ] && chown postgres: "$work/pg"
port=$(free_port)
as_pg "$pgbin/initdb" -D "$work/pg/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$work/pg/initdb.log"
cat >>"$work/pg/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$work/pg'
max_connections = 20
shared_buffers = 128MB
CONF
as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -t 60 start >/dev/null
psql=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
"${psql[@]}" -c "CREATE DATABASE peers" postgres
"${psql[@]}" peers <<SQL
CREATE EXTENSION postgis;
CREATE TABLE cand_csv (id text, lon float8, lat float8, fixed float8, ws float8);
CREATE TABLE partner_csv (lon float8, lat float8, w float8);
\copy cand_csv FROM '$work/candidates.csv' CSV HEADER
\copy partner_csv FROM '$work/partners.csv' CSV HEADER
CREATE TABLE cand AS SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog, fixed, ws FROM cand_csv;
CREATE TABLE partner AS SELECT ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog, w FROM partner_csv;
ANALYZE cand; ANALYZE partner;
SQL
cat >"$work/query.sql" <<SQL
SELECT c.id, c.fixed + 100 * c.ws * s.sc AS score
FROM cand c CROSS JOIN LATERAL (
  SELECT sum(p.w * least(1, greatest(0, ($far - ST_Distance(c.geog, p.geog, false) / 1000) / ($far - $near)))) / sum(p.w) AS sc
  FROM partner p) s
ORDER BY score DESC, c.id
LIMIT $limit;
SQL
same PostGIS "$("${psql[@]}" -At -F, peers -f "$work/query.sql" | cut -d, -f1 | paste -sd,)"
pg_out=$(as_pg "$pgbin/pgbench" -n -h 127.0.0.1 -p "$port" -U postgres -c "$conns" -j "$conns" -T "$seconds" -f "$work/query.sql" peers 2>&1)
pg_qps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$pg_out" | head -n1)
pg_qps=$(printf "%.1f" "$pg_qps")
pg_lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$pg_out")
echo "   pgbench: $pg_qps queries/s, mean latency $pg_lat ms"

# --- DuckDB ----------------------------------------------------------------
(cd "$here" && { [ -d node_modules/@duckdb/node-api ] || npm ci --no-audit --no-fund >/dev/null; })
duck_out=$(node "$here/duckdb.mjs" "$work" "$seconds" 2)
same DuckDB "$(sed -n 's/^top: //p' <<<"$duck_out")"
duck_qps=$(sed -n 's/^qps: \([0-9.]*\).*/\1/p' <<<"$duck_out")
echo "   DuckDB: $duck_qps queries/s"

# --- sitematch -------------------------------------------------------------
"$work/sitematch" serve --db "$work/registry.gpkg" --addr 127.0.0.1:0 2>"$work/server.log" &
server_pid=$!
addr=
for _ in $(seq 1 600); do
	addr=$(sed -n 's/.*"msg":"ready".*"addr":"\([^"]*\)".*/\1/p' "$work/server.log" | head -n1)
	[ -n "$addr" ] && curl -fsS "http://$addr/readyz" >/dev/null 2>&1 && break
	sleep 0.1
done
[ -n "$addr" ] || { echo "run.sh: the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
case "$addr" in 127.0.0.1:*) ;; *) echo "run.sh: refusing to load $addr: not 127.0.0.1" >&2; exit 1 ;; esac
sm_out=$(BODY="$work/body.json" wrk -t2 -c"$conns" -d"${seconds}s" --latency -s "$root/api/loadtest/post.lua" "http://$addr/v1/match")
sm_qps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' <<<"$sm_out")
bad=$(sed -n 's/^non-200 answers: \([0-9]*\)/\1/p' <<<"$sm_out")
[ "${bad:-1}" = 0 ] || { echo "run.sh: sitematch answered non-200:" >&2; echo "$sm_out" >&2; exit 1; }
status=$(curl -s -o "$work/answer.json" -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$work/body.json" "http://$addr/v1/match")
[ "$status" = 200 ] || { echo "run.sh: the project is refused: $status" >&2; exit 1; }
sm_top=$(node -e 'const a = JSON.parse(require("fs").readFileSync(process.argv[1])); console.log(a.results.map((r) => r.site.id).join(","))' "$work/answer.json")
echo "== sitematch's answer (max 2 per commune) shares $(comm -12 <(tr , '\n' <<<"$sm_top" | sort) <(tr , '\n' <<<"$expected" | sort) | wc -l) of its $limit sites with the plain top $limit"

cands=$(($(wc -l <"$work/candidates.csv") - 1))
echo
echo "== $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "== full-France project: 20 suppliers, $cands eligible candidates, limit $limit, ${seconds}s each, $conns connections"
printf '%-44s %12s %10s\n' "peer" "queries/s" "× PostGIS"
printf '%-44s %12s %10s\n' "sitematch serve, POST /v1/match over HTTP" "$sm_qps" "$(awk -v a="$sm_qps" -v b="$pg_qps" 'BEGIN{printf "%.0f", a/b}')"
printf '%-44s %12s %10s\n' "PostGIS 3, SQL, pgbench on loopback" "$pg_qps" "1"
printf '%-44s %12s %10s\n' "DuckDB embedded (Node API), 2 threads" "$duck_qps" "$(awk -v a="$duck_qps" -v b="$pg_qps" 'BEGIN{printf "%.1f", a/b}')"
