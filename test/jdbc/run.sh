#!/usr/bin/env bash
# run.sh — `make jdbc`, and a step of `make check`: cvfw's BI reports read
# through the PostgreSQL JDBC driver as BI tools read them
# (test/jdbc/BiReports.java), on a throwaway cluster that listens on
# 127.0.0.1 (JDBC has no unix sockets without a native library).
# Ends with "jdbc: N passed, N failed"; without Java or the driver, and
# no way to install them, says why and counts nothing.
source "$(dirname "$0")/../harness/lib.sh"

JAR=${CVFW_JDBC_JAR:-/usr/share/java/postgresql.jar}
skip() {
	say "JDBC test skipped: $*"
	echo "jdbc: 0 passed, 0 failed"
	exit 0
}

find_pg_config
missing=()
command -v java >/dev/null || missing+=(default-jre-headless)
[[ -f $JAR ]] || missing+=(libpostgresql-jdbc-java)
if [[ ${#missing[@]} -gt 0 ]] && is_root && command -v apt-get >/dev/null; then
	log=$(mktemp /tmp/cvfw-apt.XXXXXX.log)
	apt_install "$log" "${missing[@]}" || skip "could not install ${missing[*]} (log: $log)"
	rm -f "$log"
fi
command -v java >/dev/null || skip "no java; install it: apt-get install default-jre-headless"
[[ -f $JAR ]] || skip "no JDBC driver at $JAR; install it: apt-get install libpostgresql-jdbc-java"

# under make check cvfw is built and installed already (and the lock held)
if [[ -z ${CVFW_INSTALL_LOCKED:-} ]]; then
	ensure_build_deps
	build_and_install
fi
# a TCP port nobody listens on (other throwaway clusters use sockets only)
for _ in 1 2 3 4 5 6 7 8 9 10; do
	CVFW_PGPORT=$((50000 + RANDOM % 10000))
	(exec 3<>"/dev/tcp/127.0.0.1/$CVFW_PGPORT") 2>/dev/null || break
done
export CVFW_PGPORT
CVFW_SERVER_OPTS="${CVFW_SERVER_OPTS:-} -c listen_addresses=127.0.0.1"
start_cluster
"$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -c 'CREATE DATABASE cvfw_jdbc' >/dev/null
PGDATABASE=cvfw_jdbc "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -f "$ROOT/test/jdbc/views.sql" >/dev/null
java -cp "$JAR" "$ROOT/test/jdbc/BiReports.java" "jdbc:postgresql://127.0.0.1:$PGPORT/cvfw_jdbc" postgres
