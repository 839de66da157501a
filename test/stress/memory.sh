#!/usr/bin/env bash
# memory.sh — does a backend's memory grow when it runs the reports again
# and again?  One session runs memory_round.sql MEMORY_ROUNDS times (default
# 4) over the events of MEMORY_CUSTOMERS customers (default 30000, ~100k
# events; make stress: 500000, ~1.75M), serially (the work in the one
# backend measured).  After each round it records the backend's memory
# contexts (pg_backend_memory_contexts, PG 14+) and, from
# /proc/<backend pid>/status, VmRSS, VmHWM and RssAnon (the private part of
# RSS; VmRSS also counts the shared buffers the backend has touched).
# Passes when, in no later round, the contexts exceed their size after the
# first round by more than MEMORY_CONTEXTS_TOLERANCE_KB (default 64; every
# allocation of cvfw's goes through palloc, so a leak shows here), nor
# RssAnon by more than MEMORY_TOLERANCE_PCT percent (default 5) or
# MEMORY_TOLERANCE_KB (default 1024), whichever is larger (malloc's free
# lists drift by a megabyte or so over millions of rows), and every round
# computed the same reports.  The server must run on this machine (its
# /proc is read), as the harness's throwaway cluster does.
source "$(dirname "$0")/lib.sh"
ROUNDS=${MEMORY_ROUNDS:-4}
CUSTOMERS=${MEMORY_CUSTOMERS:-30000}
TOLERANCE=${MEMORY_TOLERANCE_KB:-1024}
TOLERANCE_PCT=${MEMORY_TOLERANCE_PCT:-5}
CTX_TOLERANCE=${MEMORY_CONTEXTS_TOLERANCE_KB:-64}
DB=cvfw_memory
export PGDATABASE=$DB

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
psql -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
start=$(date +%s)
psql -v customers="$CUSTOMERS" -v seed=11 -f "$STRESS_DIR/setup.sql"
events=$(q "SELECT count(*) FROM events")
note "memory: $events events generated in $(($(date +%s) - start))s"
has_contexts=$(q "SELECT current_setting('server_version_num')::int >= 140000")

# the session's script: the backend's pid into the client's environment,
# then rounds, each followed by the measurements (psql's \! runs on this
# machine, so it can read the backend's /proc entry)
measure() { # round
	echo "\\! awk -v r=$1 '/^(VmRSS|VmHWM|RssAnon):/ {v[\$1] = \$2} END {print \"proc\", r, v[\"VmRSS:\"], v[\"VmHWM:\"], v[\"RssAnon:\"]}' /proc/\$CVFW_BACKEND_PID/status >> $work/proc.txt"
	if [[ $has_contexts == t ]]; then
		echo "SELECT 'contexts', $1, sum(total_bytes) FROM pg_backend_memory_contexts;"
	else
		echo "SELECT 'contexts', $1, 0;"
	fi
}
{
	echo "SET max_parallel_workers_per_gather = 0;"
	echo "SELECT pg_backend_pid() AS backend_pid \\gset"
	echo "\\setenv CVFW_BACKEND_PID :backend_pid"
	measure 0
	for r in $(seq 1 "$ROUNDS"); do
		echo "SELECT 'round', $r;"
		cat "$STRESS_DIR/memory_round.sql"
		measure "$r"
	done
} >"$work/session.sql"
crash_mark
start=$(date +%s)
rc=0
psql -At -F ' ' -f "$work/session.sql" >"$work/out.txt" 2>&1 || rc=$?
secs=$(($(date +%s) - start))
verdict "$ROUNDS rounds of reports ran in one session" "$rc" "$(tail -n 3 "$work/out.txt")"

# per round: the contexts in bytes, and VmRSS VmHWM RssAnon in kB
ctx() { awk -v r="$1" '$1 == "contexts" && $2 == r {print int($3 / 1024)}' "$work/out.txt"; }
proc() { awk -v r="$1" -v f="$2" '$1 == "proc" && $2 == r {print $(2 + f)}' "$work/proc.txt"; }
echo "memory: $events events, $ROUNDS rounds in ${secs}s; per round: contexts kB, VmRSS kB, VmHWM kB, RssAnon kB"
for r in $(seq 0 "$ROUNDS"); do
	echo "memory: round $r  contexts $(ctx "$r")  VmRSS $(proc "$r" 1)  VmHWM $(proc "$r" 2)  RssAnon $(proc "$r" 3)"
done
# the largest value of a figure over rounds 2..N; nothing if one is missing
peak() { # figure function
	local r v m=""
	for r in $(seq 2 "$ROUNDS"); do
		v=$("$1" "$r")
		[[ -n $v ]] || return 0
		[[ -z $m || $v -gt $m ]] && m=$v
	done
	echo "$m"
}
ctx_of() { ctx "$1"; }
anon_of() { proc "$1" 3; }
grow_ok() { # first, peak of the later rounds, tolerance
	[[ -n $1 && -n $2 && $2 -le $(($1 + $3)) ]] && echo 0 || echo 1
}
if [[ $ROUNDS -lt 2 ]]; then
	verdict "MEMORY_ROUNDS is at least 2" 1 "$ROUNDS"
elif [[ $has_contexts == t ]]; then
	verdict "memory contexts in rounds 2..$ROUNDS within ${CTX_TOLERANCE} kB of round 1" \
		"$(grow_ok "$(ctx 1)" "$(peak ctx_of)" "$CTX_TOLERANCE")" "$(ctx 1) kB -> up to $(peak ctx_of) kB"
else
	echo "memory: pg_backend_memory_contexts needs PostgreSQL 14+: contexts not checked"
fi
if [[ $ROUNDS -ge 2 ]]; then
	anon1=$(proc 1 3)
	allowed=$((anon1 * TOLERANCE_PCT / 100 > TOLERANCE ? anon1 * TOLERANCE_PCT / 100 : TOLERANCE))
	verdict "private resident memory (RssAnon) in rounds 2..$ROUNDS within $allowed kB of round 1" \
		"$(grow_ok "$anon1" "$(peak anon_of)" "$allowed")" "$anon1 kB -> up to $(peak anon_of) kB"
fi
# every report gives the same answer in every round (the trigger_update
# line counts rows, the same each round too)
differing=$(awk '$1 ~ /^[a-z_]+$/ && $1 != "contexts" && $1 != "round" && NF == 2 {
	if ($1 in seen && seen[$1] != $2) print $1; seen[$1] = $2 }' "$work/out.txt" | sort -u)
reports=$(awk '$1 ~ /^[a-z_]+$/ && $1 != "contexts" && $1 != "round" && NF == 2' "$work/out.txt" | wc -l)
verdict "every round gave the same reports ($reports results)" \
	"$([[ -z $differing && $reports -ge $ROUNDS ]] && echo 0 || echo 1)" "differing: $differing"
evidence=$(crash_evidence)
verdict "the server did not crash" "$([[ -z $evidence ]] && echo 0 || echo 1)" "$evidence"
psql -d postgres -c "DROP DATABASE $DB"
summary memory
