#!/usr/bin/env bash
# bycustomer.sh — cvfw_flow_by_customer at scale within work_mem (issue 14).
# Generates BYCUSTOMER_EVENTS events (default 1,000,000; make stress:
# 100,000,000) of BYCUSTOMER_EVENTS / 4 customers in an unlogged table of
# one bigint column (the events are derived from it in the query: customer
# g % customers, each customer walking round the wheel an hour a step), then
# with work_mem = BYCUSTOMER_WORK_MEM (default 4MB; make stress: 64MB):
#   - serially, and under a forced parallel plan (2 workers), runs the
#     aggregate in a fresh session and reads the backend's peak resident
#     memory from /proc (so the server must run on this machine): VmHWM
#     less the shared buffers it touched (RssShmem, read after the query:
#     VmHWM counts them too; a scan of a table over a quarter of
#     shared_buffers uses a small ring of them, so for the long form the
#     two are nearly equal), and the same for the workers while the
#     parallel plan runs;
#   - passes when both peaks stay under BYCUSTOMER_BOUND_MB (default:
#     hash memory (work_mem x hash_mem_multiplier) + work_mem, the
#     documented peak, + 32 MB for the backend itself (~11 MB) and slack:
#     0.1.0's ~48 bytes per event would pass it at a million events), both
#     plans give the same bytes, the summary counts every customer and
#     every visit, and (short form, BYCUSTOMER_TWO_LEVEL=1) equals the
#     two-level pattern;
#   - runs the serial query again under a statement timeout of 60% of its
#     time, so the cancel lands deep in the work, and passes when the error
#     comes within 1 s of the timeout.
source "$(dirname "$0")/lib.sh"
EVENTS=${BYCUSTOMER_EVENTS:-1000000}
WORK_MEM=${BYCUSTOMER_WORK_MEM:-4MB}
TWO_LEVEL=${BYCUSTOMER_TWO_LEVEL:-1}
CUSTOMERS=$((EVENTS / 4))
DB=cvfw_bycustomer
export PGDATABASE=$DB
work=$(mktemp -d)
sampler=""
trap '[[ -n $sampler ]] && kill "$sampler" 2>/dev/null; rm -rf "$work"' EXIT

psql -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
psql -c "CREATE EXTENSION cvfw"
start=$(date +%s)
psql -c "CREATE UNLOGGED TABLE big (g bigint)" \
	-c "INSERT INTO big SELECT generate_series(0, $EVENTS - 1)" \
	-c "VACUUM ANALYZE big"
note "bycustomer: $EVENTS events of $CUSTOMERS customers generated in $(($(date +%s) - start))s ($(q "SELECT pg_size_pretty(pg_relation_size('big'))"))"
hash_mem_mb=$(q "SELECT ceil(pg_size_bytes('$WORK_MEM') * current_setting('hash_mem_multiplier')::float8 / 1048576)::int")
work_mem_mb=$(q "SELECT ceil(pg_size_bytes('$WORK_MEM') / 1048576.0)::int")
BOUND=${BYCUSTOMER_BOUND_MB:-$((hash_mem_mb + work_mem_mb + 32))}

# the events of customer g % customers: the k-th (k = g / customers) at
# stage 1 + k % 6, k hours after 2020-01-01 (plus a few minutes by
# customer), value k % 5
query="SELECT cvfw_flow_by_customer(g % $CUSTOMERS, cvfw_stage(1 + (g / $CUSTOMERS)::int % 6),
         timestamptz '2020-01-01 00:00+00' + (g / $CUSTOMERS) * interval '1 hour' + (g % 97) * interval '1 minute',
         ((g / $CUSTOMERS) % 5)::float8) AS f FROM big"
parallel="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;"

# the peak resident memory of parallel workers while they run
sample_workers() { # file
	local max=0 pid v
	while :; do
		for pid in $(q "SELECT pid FROM pg_stat_activity WHERE backend_type = 'parallel worker'" -d postgres 2>/dev/null); do
			v=$(awk '/^VmHWM:/ {h = $2} /^RssShmem:/ {s = $2} END {if (h) print h - s}' "/proc/$pid/status" 2>/dev/null || true)
			[[ -n $v && $v -gt $max ]] && max=$v && echo "$max" >"$1"
		done
		sleep 0.5
	done
}

# run the aggregate in a fresh session: prints its seconds, the backend's
# VmHWM before and after (kB), the summary's md5, customers, visits
run() { # label, settings
	cat >"$work/$1.sql" <<SQL
SET work_mem = '$WORK_MEM';
$2
SELECT pg_backend_pid() AS backend_pid \gset
\setenv CVFW_BACKEND_PID :backend_pid
\! awk '/^VmHWM:/ {h = \$2} /^RssShmem:/ {s = \$2} END {print "before", h - s}' /proc/\$CVFW_BACKEND_PID/status >> $work/$1.mem
\timing on
CREATE TEMP TABLE result AS $query;
\timing off
\! awk '/^VmHWM:/ {h = \$2} /^RssShmem:/ {s = \$2} END {print "after", h - s}' /proc/\$CVFW_BACKEND_PID/status >> $work/$1.mem
SELECT 'result', md5(f::text), cvfw_customers(f),
       (SELECT sum(visits) FROM cvfw_leakage(f)) FROM result;
SQL
	psql -At -F ' ' -f "$work/$1.sql" >"$work/$1.out" 2>&1 || { cat "$work/$1.out" >&2; return 1; }
	echo "$(awk '$1 == "Time:" {printf "%.3f", $2 / 1000}' "$work/$1.out") $(awk '$1 == "before" {print $2}' "$work/$1.mem") $(awk '$1 == "after" {print $2}' "$work/$1.mem") $(awk '$1 == "result" {print $2, $3, $4}' "$work/$1.out")"
}

crash_mark
read -r s_secs s_before s_after s_md5 s_customers s_visits <<<"$(run serial "SET max_parallel_workers_per_gather = 0;")"
echo "bycustomer: serial: $s_secs s, backend peak (VmHWM - RssShmem) $s_before kB at the start -> $s_after kB"
echo 0 >"$work/workers.max"
sample_workers "$work/workers.max" &
sampler=$!
read -r p_secs p_before p_after p_md5 p_customers p_visits <<<"$(run parallel "$parallel")"
kill "$sampler" 2>/dev/null
sampler=""
workers=$(cat "$work/workers.max")
echo "bycustomer: parallel: $p_secs s, leader peak $p_before -> $p_after kB, workers' peak $workers kB"
plan=$(q "SET work_mem = '$WORK_MEM'; $parallel EXPLAIN (COSTS OFF) $query" | tr '\n' ' ')
echo "bycustomer: parallel plan: $plan"

verdict "serial: the summary counts every customer ($CUSTOMERS) and visit ($EVENTS)" \
	"$([[ $s_customers == "$CUSTOMERS" && $s_visits == "$EVENTS" ]] && echo 0 || echo 1)" "$s_customers customers, $s_visits visits"
verdict "serial: peak backend memory under $BOUND MB (work_mem $WORK_MEM)" \
	"$([[ -n $s_after && $s_after -le $((BOUND * 1024)) ]] && echo 0 || echo 1)" "$s_after kB"
verdict "parallel: the same bytes as serial" "$([[ -n $p_md5 && $p_md5 == "$s_md5" ]] && echo 0 || echo 1)" "$p_md5 vs $s_md5"
verdict "parallel: the plan scans in parallel and aggregates once" \
	"$([[ $plan == *Gather* && $plan != *Partial* ]] && echo 0 || echo 1)" "$plan"
verdict "parallel: peak leader memory under $BOUND MB" \
	"$([[ -n $p_after && $p_after -le $((BOUND * 1024)) ]] && echo 0 || echo 1)" "$p_after kB"
verdict "parallel: peak worker memory under $BOUND MB" \
	"$([[ $workers -le $((BOUND * 1024)) ]] && echo 0 || echo 1)" "$workers kB"

if [[ $TWO_LEVEL == 1 ]]; then
	same=$(q "SET work_mem = '$WORK_MEM'; SELECT md5(cvfw_merge(f)::text) FROM (SELECT cvfw_flow(cvfw_stage(1 + (g / $CUSTOMERS)::int % 6),
	         timestamptz '2020-01-01 00:00+00' + (g / $CUSTOMERS) * interval '1 hour' + (g % 97) * interval '1 minute',
	         ((g / $CUSTOMERS) % 5)::float8) AS f FROM big GROUP BY g % $CUSTOMERS) s")
	verdict "the same bytes as the two-level pattern" "$([[ $same == "$s_md5" ]] && echo 0 || echo 1)" "$same vs $s_md5"
fi

# cancel deep in the work: a statement timeout at 60% of the serial time
timeout_ms=$(echo "$s_secs * 600 / 1" | bc)
t0=$(date +%s.%N)
out=$(psql -c "SET work_mem = '$WORK_MEM'" -c "SET max_parallel_workers_per_gather = 0" \
	-c "SET statement_timeout = $timeout_ms" -c "$query" 2>&1 || true)
t1=$(date +%s.%N)
latency_ms=$(echo "($t1 - $t0) * 1000 - $timeout_ms" | bc | cut -d. -f1)
echo "bycustomer: statement timeout at $timeout_ms ms: answered after $(echo "($t1 - $t0) * 1000 / 1" | bc) ms (latency $latency_ms ms, connection and setup included)"
verdict "a statement timeout deep in the work cancels within 1 s" \
	"$([[ $out == *"statement timeout"* && $latency_ms -lt 1000 ]] && echo 0 || echo 1)" "$out; latency $latency_ms ms"

evidence=$(crash_evidence)
verdict "the server did not crash" "$([[ -z $evidence ]] && echo 0 || echo 1)" "$evidence"
psql -d postgres -c "DROP DATABASE $DB"
summary bycustomer
