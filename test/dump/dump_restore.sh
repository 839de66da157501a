#!/usr/bin/env bash
# dump_restore.sh — build a database using every cvfw type, stored policies
# and flow summaries, the trigger, guarded tables with what their guards
# remember and their history, stage maps, views and indexes (build.sql); dump it
# with pg_dump (custom and plain formats), restore each into a fresh
# database, and compare what queries.sql reads from each with the original.
# Runs against the server the PG* environment names (test/harness/run.sh,
# make check).  Prints "dump: N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${PG_BINDIR:+$PG_BINDIR/}
work=$(mktemp -d /tmp/cvfw-dump.XXXXXX)
trap 'rm -rf "$work"' EXIT
source "$here/../harness/tap.sh"
psql_q() { PGOPTIONS="-c client_min_messages=warning" "${bin}psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

for db in cvfw_dump_src cvfw_dump_custom cvfw_dump_plain; do
	psql_q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
done
psql_q -d cvfw_dump_src -f "$here/build.sql" >"$work/build.log" 2>&1
verdict "dump: build the source database" $? || true
[[ $failed == 0 ]] || sed 's/^/    /' "$work/build.log"
psql_q -d cvfw_dump_src -f "$here/queries.sql" >"$work/src.out" 2>&1

"${bin}pg_dump" -Fc -d cvfw_dump_src -f "$work/dump.custom" 2>"$work/dump.log" &&
	"${bin}pg_restore" --exit-on-error -d cvfw_dump_custom "$work/dump.custom" 2>>"$work/dump.log"
verdict "dump: pg_dump -Fc | pg_restore" $?
"${bin}pg_dump" -Fp -d cvfw_dump_src -f "$work/dump.sql" 2>>"$work/dump.log" &&
	psql_q -d cvfw_dump_plain -f "$work/dump.sql" >/dev/null 2>>"$work/dump.log"
verdict "dump: pg_dump plain | psql" $?
[[ -s $work/dump.log ]] && sed 's/^/    /' "$work/dump.log"

for db in cvfw_dump_custom cvfw_dump_plain; do
	psql_q -d "$db" -f "$here/queries.sql" >"$work/$db.out" 2>&1
	if diff -u "$work/src.out" "$work/$db.out" >"$work/$db.diff"; then
		verdict "dump: $db reads the same as the original ($(wc -l <"$work/src.out") lines)" 0
	else
		verdict "dump: $db reads the same as the original" 1
		head -n 40 "$work/$db.diff" | sed 's/^/    /'
	fi
done
# the comparison means something only if the original was read in full:
# every refused update refused with its own error, the rest as expected
grep -c 'ERROR' "$work/src.out" | grep -qx 7
verdict "dump: the original's triggers and guards refuse 7 changes" $?
grep -q 'crm.cvfw_flow\|segment 0' "$work/src.out"
verdict "dump: the original's flows and reports were read" $?
# live tracking goes on in each copy: an event written there is read live,
# equal to the batch summary (queries.sql, in a rolled-back transaction)
for db in cvfw_dump_src cvfw_dump_custom cvfw_dump_plain; do
	grep -A2 'live_flow_is_batch | live_trend_is_batch' "$work/$([[ $db == cvfw_dump_src ]] && echo src || echo "$db").out" |
		grep -qE '^ t +\| t *$'
	verdict "dump: $db tracks new events live, equal to the batch summaries" $?
	grep -A2 'history_customers | history_live_is_batch' "$work/$([[ $db == cvfw_dump_src ]] && echo src || echo "$db").out" |
		grep -qE '^ +[0-9]+ +\| t *$'
	verdict "dump: $db tracks the history the guard captures live" $?
done
# every summary at a bound restores (doc/flow.md): all 6 rows, in both copies
for db in cvfw_dump_src cvfw_dump_custom cvfw_dump_plain; do
	grep -qx ' flow_bounds: 6 rows' "$work/$([[ $db == cvfw_dump_src ]] && echo src || echo "$db").out"
	verdict "dump: $db holds every summary at a bound (6 rows)" $?
done

for db in cvfw_dump_src cvfw_dump_custom cvfw_dump_plain; do
	psql_q -d postgres -c "DROP DATABASE $db" >/dev/null
done
summary dump
