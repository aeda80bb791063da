#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS 3 cluster on loopback, for the tests
# and CI (Debian's postgresql-15-postgis-3; .ci/run installs it).
#
#   eval "$(.ci/postgis.sh start)"   # prints the exports below; the cluster runs in the background
#   .ci/postgis.sh restart           # stop and start it again (same data, same port)
#   .ci/postgis.sh down | up         # stop it, keeping its data; start it again
#   .ci/postgis.sh stop              # stop it and remove its folder
#
# start initdb's a cluster in a new temporary folder, owned by the user
# "postgres" when run as root (PostgreSQL refuses to run as root), listening
# on 127.0.0.1 only on a free port, with trust authentication on loopback
# (a test cluster: nothing else listens there, and it is deleted after),
# fsync on (the durability tests kill processes, not the machine, but the
# settings are production's), and a database "sitematch" with the postgis
# extension (and sitematch_test_template, a copy that package pgtest
# copies a fresh database from for each test). It prints:
#
#   export SITEMATCH_TEST_PG='postgres://postgres@127.0.0.1:PORT/sitematch?sslmode=disable'
#   export SITEMATCH_TEST_PG_CTL='/abs/path/.ci/postgis.sh'
#   export SITEMATCH_PG_DIR=/tmp/sitematch-pg.XXXX
#
# Tests that need PostGIS skip, saying so, without SITEMATCH_TEST_PG; the
# tests that restart or stop the database start a cluster of their own
# with "$SITEMATCH_TEST_PG_CTL start" (so that the other tests, running in
# parallel, keep theirs). restart, down, up and stop find the cluster
# through SITEMATCH_PG_DIR.
set -euo pipefail

bin=${SITEMATCH_PG_BIN:-/usr/lib/postgresql/15/bin}
self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")

# as_pg runs a command as the cluster's owner: "postgres" under root.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	local p
	for p in $(shuf -i 20000-60000 -n 50); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	echo "postgis.sh: no free port found" >&2
	return 1
}

need_dir() {
	if [ -z "${SITEMATCH_PG_DIR:-}" ] || [ ! -f "${SITEMATCH_PG_DIR}/data/PG_VERSION" ]; then
		echo "postgis.sh: SITEMATCH_PG_DIR does not name a cluster started by 'postgis.sh start'" >&2
		exit 2
	fi
}

pg_start() {
	local dir=$1
	as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
}

case "${1:-}" in
start)
	if [ ! -x "$bin/initdb" ]; then
		echo "postgis.sh: $bin/initdb not found: apt-get install postgresql-15-postgis-3" >&2
		exit 2
	fi
	dir=$(mktemp -d /tmp/sitematch-pg.XXXXXX)
	chmod 755 "$dir"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$dir"
	fi
	port=$(free_port)
	as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
	cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
	pg_start "$dir"
	as_pg "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
		-c "CREATE DATABASE sitematch" >/dev/null
	as_pg "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d sitematch -v ON_ERROR_STOP=1 \
		-c "CREATE EXTENSION postgis" >/dev/null
	# the template package pgtest copies a fresh database from, per test
	as_pg "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
		-c "CREATE DATABASE sitematch_test_template TEMPLATE sitematch" >/dev/null
	echo "$port" >"$dir/port"
	echo "export SITEMATCH_TEST_PG='postgres://postgres@127.0.0.1:$port/sitematch?sslmode=disable'"
	echo "export SITEMATCH_TEST_PG_CTL='$self'"
	echo "export SITEMATCH_PG_DIR=$dir"
	;;
restart)
	need_dir
	as_pg "$bin/pg_ctl" -D "$SITEMATCH_PG_DIR/data" -m fast -w -t 60 stop >/dev/null
	pg_start "$SITEMATCH_PG_DIR"
	;;
down)
	need_dir
	as_pg "$bin/pg_ctl" -D "$SITEMATCH_PG_DIR/data" -m fast -w -t 60 stop >/dev/null
	;;
up)
	need_dir
	pg_start "$SITEMATCH_PG_DIR"
	;;
stop)
	need_dir
	as_pg "$bin/pg_ctl" -D "$SITEMATCH_PG_DIR/data" -m fast -w -t 60 stop >/dev/null || true
	rm -rf "$SITEMATCH_PG_DIR"
	;;
*)
	echo "usage: postgis.sh start|restart|down|up|stop (all but start need SITEMATCH_PG_DIR)" >&2
	exit 2
	;;
esac
