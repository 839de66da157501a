#!/usr/bin/env bash
# live.sh — the property test of live tracking: a random workload of
# inserts (single rows in and out of time order, bulk INSERT ... SELECT),
# updates of stage, time, value, customer and segment, deletes, rolled-back
# and multi-statement transactions and REPEATABLE READ ones, from several
# pgbench clients at once, must leave every live summary — per customer,
# per group, for everyone, flow and trend — byte for byte the batch summary
# of the final events table (live/check.sql); also after the server is
# stopped with `pg_ctl stop -m immediate` in the middle of the workload and
# restarted, and after pg_dump and pg_restore (where tracking must go on
# working: a second workload runs on the restored database).
#   LIVE_CLIENTS    pgbench clients (default 6)
#   LIVE_SECONDS    length of each of the three workload runs (default 4)
#   LIVE_CUSTOMERS  customers (default 400; 20 of them hot)
source "$(dirname "$0")/lib.sh"
CLIENTS=${LIVE_CLIENTS:-6}
SECONDS_RUN=${LIVE_SECONDS:-4}
CUSTOMERS=${LIVE_CUSTOMERS:-400}
DB=cvfw_live
DB2=cvfw_live_restored
HERE=$STRESS_DIR/live
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# pgbench: serialization failures and deadlocks (multi-statement
# transactions take customers in any order) are retried; any other error
# fails the run
workload() { # database, seconds, log
	"$PG_BINDIR/pgbench" -n -c "$CLIENTS" -j 2 -T "$2" --max-tries=50 -D customers="$CUSTOMERS" \
		-f "$HERE/workload.sql" -d "$1" >"$3" 2>&1
}
processed() { sed -n -E 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$1"; }
retried() { sed -n -E 's/^number of transactions retried: ([0-9]+).*/\1/p' "$1"; }
failures() { sed -n -E 's/^number of failed transactions: ([0-9]+).*/\1/p' "$1"; }
# check.sql on a database: every comparison has some rows and none differing
check() { # database, label
	local out=$work/check.$1.$RANDOM
	if ! psql -d "$1" -At -F '|' -f "$HERE/check.sql" >"$out" 2>&1; then
		verdict "$2: the check ran" 1 "$(tail -n 5 "$out")"
		return
	fi
	note "$2: $(awk -F'|' '$1 == "size" {print $2 " events, " $3 " customers, " $4 " pending changes"}' "$out")"
	local bad rows
	bad=$(awk -F'|' '$1 == "cmp" && ($4 != 0 || $3 == 0) {print $2 ": " $4 " of " $3 " differ"}' "$out")
	rows=$(awk -F'|' '$1 == "cmp"' "$out" | wc -l)
	verdict "$2: every live summary is the batch summary, before and after compaction ($rows comparisons)" \
		"$([[ -z $bad && $rows == 8 ]] && echo 0 || echo 1)" "${bad:-$(cat "$out")}"
}
# the server's data directory and how to run its programs (the harness runs it as postgres under root)
DATA=${CVFW_PGDATA:-$PGHOST/data}
RUNAS=()
[[ $(id -u) == 0 ]] && RUNAS=(runuser -u postgres --)

psql -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "DROP DATABASE IF EXISTS $DB2" -c "CREATE DATABASE $DB"
psql -d "$DB" -v customers="$CUSTOMERS" -v seed=42 -f "$HERE/setup.sql" >/dev/null
check "$DB" "attached to existing events"

# 1. the workload, then the check
workload "$DB" "$SECONDS_RUN" "$work/run1.log"
rc=$?
note "run 1: $(processed "$work/run1.log") transactions, $(retried "$work/run1.log") retried, $(failures "$work/run1.log") failed"
verdict "run 1: no client failed" "$([[ $rc == 0 && $(failures "$work/run1.log") == 0 ]] && echo 0 || echo 1)" \
	"$(grep -E 'ERROR|error|abort' "$work/run1.log" | head -n 3)"
check "$DB" "after run 1"

# 2. the server stopped with -m immediate in the middle of a workload, restarted
if [[ -f $DATA/postmaster.pid ]]; then
	workload "$DB" "$SECONDS_RUN" "$work/run2.log" &
	wpid=$!
	sleep $(((SECONDS_RUN + 1) / 2))
	"${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$DATA" -m immediate -w ${CVFW_SERVER_LOG:+-l "$CVFW_SERVER_LOG"} restart >/dev/null 2>&1
	rrc=$?
	wait $wpid || true
	for _ in $(seq 1 30); do psql -d postgres -Atc 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
	note "run 2: stopped with -m immediate after $(((SECONDS_RUN + 1) / 2)) s of $SECONDS_RUN; $(processed "$work/run2.log") transactions before"
	verdict "run 2: pg_ctl restart -m immediate mid-workload" "$rrc"
	check "$DB" "after the immediate stop and recovery"
else
	note "no data directory at $DATA (set CVFW_PGDATA): the immediate-stop run is skipped"
	verdict "run 2: immediate stop (data directory found)" 1 "no $DATA/postmaster.pid"
fi

# 3. pg_dump | pg_restore, then the check and a workload on the copy
"$PG_BINDIR/pg_dump" -Fc -d "$DB" -f "$work/dump" &&
	psql -d postgres -c "CREATE DATABASE $DB2" &&
	"$PG_BINDIR/pg_restore" --exit-on-error -d "$DB2" "$work/dump" 2>"$work/restore.log"
verdict "dump and restore" $? "$(head -n 5 "$work/restore.log")"
check "$DB2" "restored"
workload "$DB2" "$SECONDS_RUN" "$work/run3.log"
rc=$?
note "run 3 (restored): $(processed "$work/run3.log") transactions, $(retried "$work/run3.log") retried, $(failures "$work/run3.log") failed"
verdict "run 3 on the restored database: no client failed" \
	"$([[ $rc == 0 && $(failures "$work/run3.log") == 0 ]] && echo 0 || echo 1)" \
	"$(grep -E 'ERROR|error|abort' "$work/run3.log" | head -n 3)"
check "$DB2" "restored, after run 3"

psql -d postgres -c "DROP DATABASE $DB" -c "DROP DATABASE $DB2"
summary live
