#!/usr/bin/env bash
# bycustomer.sh — cvfw_flow_by_customer at scale within work_mem (issue 14).
# Generates BYCUSTOMER_EVENTS events (default 1,000,000; make stress:
# 100,000,000) of BYCUSTOMER_EVENTS / 4 customers in an unlogged table of
# one bigint column (the events are derived from it in the query: customer
# g % customers, each customer walking round the wheel an hour a step), then
# with work_mem = BYCUSTOMER_WORK_MEM (default 4MB; make stress: 64MB):
#   - serially, and under a forced parallel plan (2 workers), runs the
#     aggregate and samples, five times a second, the private resident
#     memory (RssAnon in /proc, so the server must run on this machine) of
#     the backend and of the workers;
#   - passes when both peaks stay under BYCUSTOMER_BOUND_MB (default:
#     hash memory (work_mem x hash_mem_multiplier) + work_mem, the
#     documented peak, + 32 MB for the backend itself (a few MB) and slack:
#     0.1.0's ~48 bytes per event would pass it at a million events), both
#     plans give the same bytes, the summary counts every customer and
#     every visit, and (short form, BYCUSTOMER_TWO_LEVEL=1) equals the
#     two-level pattern;
#   - runs the serial query again under a statement timeout of 60% of its
#     time, so the cancel lands deep in the work, and passes when the error
#     is raised within 1 s of the timeout (statement start and error times
#     from the server log, CVFW_SERVER_LOG; without it, from the client,
#     connection included); also prints how long the clean-up (the
#     temporary files) took before the session was ready again.
source "$(dirname "$0")/lib.sh"
EVENTS=${BYCUSTOMER_EVENTS:-1000000}
WORK_MEM=${BYCUSTOMER_WORK_MEM:-4MB}
TWO_LEVEL=${BYCUSTOMER_TWO_LEVEL:-1}
CUSTOMERS=$((EVENTS / 4))
DB=cvfw_bycustomer
export PGDATABASE=$DB
work=$(mktemp -d)
sampler=""
trap '[[ -n $sampler ]] && touch "$work/stop" && wait "$sampler"; rm -rf "$work"' EXIT

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

# the peak private resident memory (RssAnon, kB) of the backends running
# the query (the client backend marked by application_name, and parallel
# workers), sampled until the stop file appears: "leader workers"
sample() { # output file, stop file
	local lead=0 work=0 pid kind v
	while [[ ! -e $2 ]]; do
		while read -r pid kind; do
			v=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
			[[ -n $v ]] || continue
			if [[ $kind == leader ]]; then
				((v > lead)) && lead=$v
			else
				((v > work)) && work=$v
			fi
		done < <(q "SELECT pid, CASE WHEN backend_type = 'parallel worker' THEN 'worker' ELSE 'leader' END
		            FROM pg_stat_activity WHERE application_name = 'cvfw_bycustomer' OR backend_type = 'parallel worker'" \
			-F ' ' -d postgres 2>/dev/null || true)
		echo "$lead $work" >"$1"
		sleep 0.2
	done
}

# run the aggregate, sampling memory: prints its seconds, the peak RssAnon
# (kB) of the backend and of the workers, the summary's md5, customers,
# visits
run() { # label, settings
	cat >"$work/$1.sql" <<SQL
SET work_mem = '$WORK_MEM';
$2
\\timing on
CREATE TEMP TABLE result AS $query;
\\timing off
SELECT 'result', md5(f::text), cvfw_customers(f),
       (SELECT sum(visits) FROM cvfw_leakage(f)) FROM result;
SQL
	rm -f "$work/stop"
	echo "0 0" >"$work/$1.mem"
	sample "$work/$1.mem" "$work/stop" &
	sampler=$!
	PGAPPNAME=cvfw_bycustomer psql -At -F ' ' -f "$work/$1.sql" >"$work/$1.out" 2>&1 || { cat "$work/$1.out" >&2; }
	touch "$work/stop"
	wait "$sampler"
	sampler=""
	echo "$(awk '$1 == "Time:" {printf "%.3f", $2 / 1000}' "$work/$1.out") $(cat "$work/$1.mem") $(awk '$1 == "result" {print $2, $3, $4}' "$work/$1.out")"
}

crash_mark
read -r s_secs s_lead s_work s_md5 s_customers s_visits <<<"$(run serial "SET max_parallel_workers_per_gather = 0;")"
echo "bycustomer: serial: $s_secs s, peak RssAnon of the backend $s_lead kB"
read -r p_secs p_lead p_work p_md5 p_customers p_visits <<<"$(run parallel "$parallel")"
echo "bycustomer: parallel: $p_secs s, peak RssAnon of the leader $p_lead kB, of a worker $p_work kB"
plan=$(q "SET work_mem = '$WORK_MEM'; $parallel EXPLAIN (COSTS OFF) $query" | tr '\n' ' ')
echo "bycustomer: parallel plan: $plan"

verdict "serial: the summary counts every customer ($CUSTOMERS) and visit ($EVENTS)" \
	"$([[ $s_customers == "$CUSTOMERS" && $s_visits == "$EVENTS" ]] && echo 0 || echo 1)" "$s_customers customers, $s_visits visits"
verdict "serial: peak backend memory under $BOUND MB (work_mem $WORK_MEM)" \
	"$([[ $s_lead -gt 0 && $s_lead -le $((BOUND * 1024)) ]] && echo 0 || echo 1)" "$s_lead kB"
verdict "parallel: the same bytes as serial" "$([[ -n $p_md5 && $p_md5 == "$s_md5" ]] && echo 0 || echo 1)" "$p_md5 vs $s_md5"
verdict "parallel: the plan scans in parallel and aggregates once" \
	"$([[ $plan == *Gather* && $plan != *Partial* ]] && echo 0 || echo 1)" "$plan"
# no hungrier than serial: within 5% or 8 MB (a parallel plan's own
# bookkeeping in the leader, a few MB whatever the size)
extra=$((s_lead / 20 > 8192 ? s_lead / 20 : 8192))
verdict "parallel: peak leader memory under $BOUND MB, and at most serial's + $extra kB" \
	"$([[ $p_lead -gt 0 && $p_lead -le $((BOUND * 1024)) && $p_lead -le $((s_lead + extra)) ]] && echo 0 || echo 1)" "$p_lead kB"
verdict "parallel: peak worker memory under $BOUND MB" \
	"$([[ $p_work -le $((BOUND * 1024)) ]] && echo 0 || echo 1)" "$p_work kB"

if [[ $TWO_LEVEL == 1 ]]; then
	same=$(q "SET work_mem = '$WORK_MEM'; SELECT md5(cvfw_merge(f)::text) FROM (SELECT cvfw_flow(cvfw_stage(1 + (g / $CUSTOMERS)::int % 6),
	         timestamptz '2020-01-01 00:00+00' + (g / $CUSTOMERS) * interval '1 hour' + (g % 97) * interval '1 minute',
	         ((g / $CUSTOMERS) % 5)::float8) AS f FROM big GROUP BY g % $CUSTOMERS) s")
	verdict "the same bytes as the two-level pattern" "$([[ $same == "$s_md5" ]] && echo 0 || echo 1)" "$same vs $s_md5"
fi

# cancel deep in the work: a statement timeout at 60% of the serial time
timeout_ms=$(echo "$s_secs * 600 / 1" | bc)
log_from=0
[[ -n ${CVFW_SERVER_LOG:-} && -r ${CVFW_SERVER_LOG:-} ]] && log_from=$(stat -c %s "$CVFW_SERVER_LOG")
t0=$(date +%s.%N)
out=$(psql -c "SET work_mem = '$WORK_MEM'" -c "SET max_parallel_workers_per_gather = 0" \
	-c "SET log_statement = 'all'" -c "SET statement_timeout = $timeout_ms" -c "$query" 2>&1 || true)
t1=$(date +%s.%N)
ready_ms=$(echo "($t1 - $t0) * 1000 - $timeout_ms" | bc | cut -d. -f1)
latency_ms=$ready_ms
if ((log_from > 0)); then
	# the statement's start and the error, as the server logged them
	# grep -m1 stops reading early: tail may die of SIGPIPE, which pipefail
	# would turn into the end of the script; a missing line is handled below
	started=$(tail -c +$((log_from + 1)) "$CVFW_SERVER_LOG" | grep -m1 "statement: SELECT cvfw_flow_by_customer" | awk '{print $1" "$2}' || true)
	errored=$(tail -c +$((log_from + 1)) "$CVFW_SERVER_LOG" | grep -m1 "canceling statement due to statement timeout" | awk '{print $1" "$2}' || true)
	if [[ -n $started && -n $errored ]]; then
		latency_ms=$(echo "($(date -d "$errored" +%s.%N) - $(date -d "$started" +%s.%N)) * 1000 - $timeout_ms" | bc | cut -d. -f1)
	fi
fi
echo "bycustomer: statement timeout at $timeout_ms ms: the error came $latency_ms ms after it; the session was ready again $ready_ms ms after it (clean-up of the temporary files and the client's connection included)"
verdict "a statement timeout deep in the work is answered within 1 s" \
	"$([[ $out == *"statement timeout"* && $latency_ms -lt 1000 ]] && echo 0 || echo 1)" "$out; latency $latency_ms ms"

evidence=$(crash_evidence)
verdict "the server did not crash" "$([[ -z $evidence ]] && echo 0 || echo 1)" "$evidence"
psql -d postgres -c "DROP DATABASE $DB"
summary bycustomer
