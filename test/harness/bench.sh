#!/usr/bin/env bash
# bench.sh — `make bench [BENCH="stage ..."]`: build, install, run the
# benchmark scripts test/bench/<name>.sql (or .sh) on a throwaway cluster tuned for
# measuring, print their reports (also kept in test/bench/out/<name>.txt).
source "$(dirname "$0")/lib.sh"

find_pg_config
ensure_build_deps
build_and_install
CVFW_SERVER_OPTS="-c shared_buffers=2GB -c work_mem=1GB -c maintenance_work_mem=2GB -c max_wal_size=20GB -c checkpoint_timeout=1h -c autovacuum=off -c jit=off ${CVFW_SERVER_OPTS:-}"
start_cluster
mkdir -p "$ROOT/test/bench/out"
names=${BENCH:-$(cd "$ROOT/test/bench" && ls *.sql *.sh | sed -E 's/\.(sql|sh)$//' | grep -v '^lib$' | sort -u)}
"$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -c 'CREATE DATABASE cvfw_bench' >/dev/null
export PGDATABASE=cvfw_bench
"$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -f "$ROOT/test/bench/lib.sql"
for name in $names; do
	say "benchmark $name"
	if [[ -f $ROOT/test/bench/$name.sh ]]; then
		PG_BINDIR=$PG_BINDIR bash "$ROOT/test/bench/$name.sh"
	else
		"$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -f "$ROOT/test/bench/$name.sql"
	fi 2>&1 | tee "$ROOT/test/bench/out/$name.txt"
done
