# cluster.sh — a throwaway Citus cluster: a coordinator and two workers on
# this machine (sourced by test/citus/run.sh and bench.sh, after
# test/harness/lib.sh).  Each node is its own data directory in one temp
# dir, runs as `postgres` when we are root, listens on a unix socket in that
# dir only (no TCP), on a high port; all three are stopped and removed on
# exit, also on failure.  The workers are registered under the socket
# directory as host name, which libpq (and so Citus) reads as "connect
# through the socket in this directory"; citus.local_hostname, the name a
# node uses to reach itself (intermediate results of subplans), too.
#
# Needs PG_CONFIG/PG_BINDIR (find_pg_config) of a server with Citus installed.

CITUS_TMP=""
CITUS_PORTS=()
CITUS_STARTED=()

citus_cleanup() {
	local rc=$? i
	for i in "${!CITUS_STARTED[@]}"; do
		"${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$CITUS_TMP/node$i" -m immediate -s stop >/dev/null 2>&1 || true
	done
	[[ -n $CITUS_TMP ]] && rm -rf "$CITUS_TMP"
	return $rc
}

# psql on node N (0 = coordinator): unaligned, tuples only, stop on error
cq() { # node, psql args...
	local n=$1
	shift
	PGOPTIONS="-c client_min_messages=warning ${CITUS_PGOPTIONS:-}" "$PG_BINDIR/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
		-h "$CITUS_TMP" -p "${CITUS_PORTS[$n]}" -U postgres -d postgres "$@"
}

citus_start() {
	[[ -f $("$PG_CONFIG" --pkglibdir)/citus.so ]] ||
		die "no Citus in $("$PG_CONFIG" --pkglibdir) (build it: test/matrix/build.sh citus)"
	CITUS_TMP=$(mktemp -d /tmp/cvfw-citus.XXXXXX)
	trap citus_cleanup EXIT
	trap 'exit 130' INT TERM
	RUNAS=()
	if is_root; then
		id postgres >/dev/null 2>&1 || die "no 'postgres' user to run the servers as"
		chown postgres "$CITUS_TMP"
		RUNAS=(runuser -u postgres --)
	fi
	local base=${CVFW_CITUS_PORT:-$((40000 + RANDOM % 9000))} i
	for i in 0 1 2; do
		CITUS_PORTS[i]=$((base + i))
		if ! "${RUNAS[@]}" "$PG_BINDIR/initdb" -D "$CITUS_TMP/node$i" -U postgres -A trust -E UTF8 \
			--no-locale --no-sync >"$CITUS_TMP/initdb$i.log" 2>&1; then
			cat "$CITUS_TMP/initdb$i.log" >&2
			die "initdb of node $i failed"
		fi
		# max_prepared_transactions: Citus commits multi-node writes with 2PC
		if ! "${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$CITUS_TMP/node$i" -l "$CITUS_TMP/node$i.log" -w -t 120 -s \
			-o "-p ${CITUS_PORTS[i]} -k $CITUS_TMP -c listen_addresses= -c shared_preload_libraries=citus \
				-c max_prepared_transactions=50 -c max_connections=200 -c fsync=off -c synchronous_commit=off \
				-c full_page_writes=off -c shared_buffers=256MB -c work_mem=256MB -c max_worker_processes=32 \
				-c citus.max_cached_conns_per_worker=4 -c citus.local_hostname=$CITUS_TMP \
				${CVFW_CITUS_SERVER_OPTS:-}" start; then
			cat "$CITUS_TMP/node$i.log" >&2
			die "node $i did not start"
		fi
		CITUS_STARTED[i]=1
		cq "$i" -c 'CREATE EXTENSION citus' >/dev/null
	done
	cq 0 -c "SELECT citus_set_coordinator_host('$CITUS_TMP', ${CITUS_PORTS[0]})" \
		-c "SELECT citus_add_node('$CITUS_TMP', ${CITUS_PORTS[1]})" \
		-c "SELECT citus_add_node('$CITUS_TMP', ${CITUS_PORTS[2]})" >/dev/null
	say "Citus cluster up: coordinator and 2 workers, sockets in $CITUS_TMP, ports ${CITUS_PORTS[*]}"
}

# the tail of every node's log, after a failure
citus_logs() {
	local i
	for i in "${!CITUS_STARTED[@]}"; do
		say "last lines of node $i's log:"
		tail -n 15 "$CITUS_TMP/node$i.log" >&2 || true
	done
}
