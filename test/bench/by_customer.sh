#!/usr/bin/env bash
# by_customer.sh — `make bench BENCH=by_customer`: cvfw_flow_by_customer at
# scale (issue 14), side by side in one run on the flow benchmark's data
# (1,000,000 customers, ~3.5M events, test/data/gen_events.sql):
#   - the leakage report, one aggregate and two levels, default planner
#     settings and one process, at the bench cluster's work_mem (1 GB: in
#     memory) and at PostgreSQL's default 4 MB (spilling to disk);
#   - bigint, text and uuid customer ids;
#   - peak backend memory per event (VmHWM less the shared buffers touched,
#     in a fresh session per query);
#   - 100,000 ids crafted to collide under 0.1.0's fixed hash against
#     sequential ids; a customer with a million visits.
# With CVFW_BASELINE_LIB=<module in $libdir> (a build of an earlier cvfw
# linked with -Wl,-Bsymbolic, so its calls stay inside it), the same
# queries also run through that build's aggregates (schema base), in the
# same sessions: before and after measured side by side.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
psql() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
BASE=${CVFW_BASELINE_LIB:-}

psql <<SQL
\pset footer off
SET client_min_messages = warning;
DROP TABLE IF EXISTS events;
\set customers 1000000
\set seed 1
\ir $here/../data/gen_events.sql
ALTER TABLE events ADD COLUMN cust_text text, ADD COLUMN cust_uuid uuid;
UPDATE events SET cust_text = 'sf-' || lpad(customer_id::text, 12, '0'), cust_uuid = md5(customer_id::text)::uuid;
VACUUM ANALYZE events;
SELECT count(*) AS events, count(DISTINCT customer_id) AS customers,
       pg_size_pretty(pg_relation_size('events')) AS table_size FROM events;
SQL

if [[ -n $BASE ]]; then
	# the earlier build's aggregates, over this build's types (the same bytes)
	psql <<SQL
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS base CASCADE;
CREATE SCHEMA base;
CREATE FUNCTION base.bc_trans(internal, int8, cvfw_stage, timestamptz, float8, float8) RETURNS internal
  AS '\$libdir/$BASE', 'cvfw_flow_by_customer_trans' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION base.bc_combine(internal, internal) RETURNS internal
  AS '\$libdir/$BASE', 'cvfw_flow_by_customer_combine' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION base.bc_serialize(internal) RETURNS bytea
  AS '\$libdir/$BASE', 'cvfw_flow_by_customer_serialize' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION base.bc_deserialize(bytea, internal) RETURNS internal
  AS '\$libdir/$BASE', 'cvfw_flow_by_customer_deserialize' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION base.bc_final(internal) RETURNS cvfw_flow
  AS '\$libdir/$BASE', 'cvfw_flow_by_customer_final' LANGUAGE C PARALLEL SAFE;
CREATE AGGREGATE base.by_customer(int8, cvfw_stage, timestamptz, float8, float8) (
  SFUNC = base.bc_trans, STYPE = internal, SSPACE = 1000000, FINALFUNC = base.bc_final,
  COMBINEFUNC = base.bc_combine, SERIALFUNC = base.bc_serialize, DESERIALFUNC = base.bc_deserialize,
  PARALLEL = SAFE);
CREATE FUNCTION base.f_trans(internal, cvfw_stage, timestamptz, float8, float8) RETURNS internal
  AS '\$libdir/$BASE', 'cvfw_flow_trans' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION base.f_combine(internal, internal) RETURNS internal
  AS '\$libdir/$BASE', 'cvfw_flow_combine' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION base.f_serialize(internal) RETURNS bytea
  AS '\$libdir/$BASE', 'cvfw_flow_serialize' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION base.f_deserialize(bytea, internal) RETURNS internal
  AS '\$libdir/$BASE', 'cvfw_flow_deserialize' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION base.f_final(internal) RETURNS cvfw_flow
  AS '\$libdir/$BASE', 'cvfw_flow_final' LANGUAGE C PARALLEL SAFE;
CREATE AGGREGATE base.flow(cvfw_stage, timestamptz, float8, float8) (
  SFUNC = base.f_trans, STYPE = internal, SSPACE = 128, FINALFUNC = base.f_final,
  COMBINEFUNC = base.f_combine, SERIALFUNC = base.f_serialize, DESERIALFUNC = base.f_deserialize,
  PARALLEL = SAFE);
SQL
fi

# every session loads this build first, so the baseline's copies of the
# core's symbols never stand in for this build's
pre="LOAD 'cvfw'; SET client_min_messages = warning;"
report() { # the aggregate expression over events, as a whole leakage report
	echo "SELECT string_agg(l::text, ',') FROM cvfw_leakage((SELECT $1 FROM events), '2026-01-01', '30 days') l"
}
two() { # the per-customer aggregate, merged, as a whole report
	echo "SELECT string_agg(l::text, ',') FROM cvfw_leakage((SELECT cvfw_merge(f) FROM (SELECT $1(stage, at, value, cost) AS f FROM events GROUP BY customer_id) s), '2026-01-01', '30 days') l"
}
sq() { sed "s/'/''/g" <<<"$1"; }

labels=("floor: GROUP BY customer_id, count(*)" "one aggregate, bigint ids" "one aggregate, text ids"
	"one aggregate, uuid ids" "two levels")
queries=("SELECT sum(n) FROM (SELECT customer_id, count(*) AS n FROM events GROUP BY customer_id) s"
	"$(report "cvfw_flow_by_customer(customer_id, stage, at, value, cost)")"
	"$(report "cvfw_flow_by_customer(cust_text, stage, at, value, cost)")"
	"$(report "cvfw_flow_by_customer(cust_uuid, stage, at, value, cost)")"
	"$(two cvfw_flow)")
if [[ -n $BASE ]]; then
	labels+=("baseline: one aggregate, bigint ids" "baseline: two levels")
	queries+=("$(report "base.by_customer(customer_id, stage, at, value, cost)")" "$(two base.flow)")
fi
arr() { # a SQL text[] of the arguments
	local out="ARRAY[" sep="" x
	for x in "$@"; do
		out+="$sep'$(sq "$x")'"
		sep=", "
	done
	echo "$out]"
}
for setting in "work_mem = '1GB'|default planner settings, work_mem 1 GB (in memory)" \
	"work_mem = '1GB'; SET max_parallel_workers_per_gather = 0|one process, work_mem 1 GB" \
	"work_mem = '4MB'|default planner settings, work_mem 4 MB (PostgreSQL's default: cvfw_flow_by_customer spills)" \
	"work_mem = '4MB'; SET max_parallel_workers_per_gather = 0|one process, work_mem 4 MB"; do
	echo
	echo "-- ${setting#*|}: median of 3 rounds, ms"
	psql -c "$pre SET ${setting%%|*};" -c "\pset footer off" \
		-c "SELECT * FROM bench.compare($(arr "${labels[@]}"), $(arr "${queries[@]}"), 3)"
done

echo
echo "-- the same summary: one aggregate (bigint, text, uuid ids; in memory and spilled) and two levels"
psql -At -c "$pre" -c "SELECT 'identical: ' || bool_and(x = y)
FROM (SELECT (SELECT cvfw_merge(f)::text FROM (SELECT cvfw_flow(stage, at, value, cost) f FROM events GROUP BY customer_id) s) AS y) t,
     LATERAL (SELECT (SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text FROM events)
              UNION ALL SELECT (SELECT cvfw_flow_by_customer(cust_text, stage, at, value, cost)::text FROM events)
              UNION ALL SELECT (SELECT cvfw_flow_by_customer(cust_uuid, stage, at, value, cost)::text FROM events)) v(x)" \
	-c "SET work_mem = '4MB'" -c "SELECT 'identical spilled: ' || ((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text FROM events)
      = (SELECT cvfw_merge(f)::text FROM (SELECT cvfw_flow(stage, at, value, cost) f FROM events GROUP BY customer_id) s))"

echo
echo "-- peak backend memory (VmHWM less shared buffers touched), one process, a fresh session per query"
events=$(psql -At -c "SELECT count(*) FROM events WHERE stage IS NOT NULL AND at IS NOT NULL")
peak() { # label, work_mem, aggregate expression
	local out
	out=$(psql -At -c "$pre SET work_mem = '$2'; SET max_parallel_workers_per_gather = 0;" \
		-c "SELECT md5($3::text) FROM events" \
		-c "SELECT 'mem', (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmHWM:\s+(\d+)'))[1]::bigint
		              - (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'RssShmem:\s+(\d+)'))[1]::bigint" 2>&1 |
		awk '$0 ~ /^mem/ {split($0, a, "|"); print a[2]}')
	printf '%-58s %8s kB  %6.1f bytes per event\n' "$1 (work_mem $2)" "$out" "$(echo "($out - 11000) * 1024 / $events" | bc -l)"
}
echo "(an idle backend: about 11,000 kB, subtracted for the bytes per event)"
peak "cvfw_flow_by_customer, bigint ids" 1GB "cvfw_flow_by_customer(customer_id, stage, at, value, cost)"
peak "cvfw_flow_by_customer, text ids" 1GB "cvfw_flow_by_customer(cust_text, stage, at, value, cost)"
peak "cvfw_flow_by_customer, uuid ids" 1GB "cvfw_flow_by_customer(cust_uuid, stage, at, value, cost)"
peak "cvfw_flow_by_customer, bigint ids" 64MB "cvfw_flow_by_customer(customer_id, stage, at, value, cost)"
peak "cvfw_flow_by_customer, bigint ids" 4MB "cvfw_flow_by_customer(customer_id, stage, at, value, cost)"
if [[ -n $BASE ]]; then
	peak "baseline cvfw_flow_by_customer, bigint ids" 1GB "base.by_customer(customer_id, stage, at, value, cost)"
	peak "baseline cvfw_flow_by_customer, bigint ids" 4MB "base.by_customer(customer_id, stage, at, value, cost)"
fi

echo
echo "-- temporary files written when the events spill (work_mem 4 MB, one process)"
temp_before=$(psql -At -c "SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()")
psql -At -c "$pre SET work_mem = '4MB'; SET max_parallel_workers_per_gather = 0;" \
	-c "SELECT md5(cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text) FROM events" >/dev/null
sleep 2
psql -At -c "SELECT 'temp: ' || pg_size_pretty(temp_bytes - $temp_before) || ', '
                    || round((temp_bytes - $temp_before)::numeric / $events, 1) || ' bytes per event'
             FROM pg_stat_database WHERE datname = current_database()"

echo
echo "-- 100,000 ids crafted to collide under 0.1.0's hash (test/data/flood_ids.sql) against sequential ids"
psql -c "$pre" -f "$here/../data/flood_ids.sql" -c "CREATE TEMP TABLE flood AS SELECT g AS sequential, pg_temp.flood_id(g) AS crafted FROM generate_series(1, 100000) g" \
	-c "\pset footer off" \
	-c "SELECT * FROM bench.compare(ARRAY['sequential ids', 'crafted ids'$([[ -n $BASE ]] && echo ", 'baseline: sequential ids', 'baseline: crafted ids'")],
	    ARRAY['SELECT cvfw_flow_by_customer(sequential, ''awareness'', ''2026-01-01'') FROM flood',
	          'SELECT cvfw_flow_by_customer(crafted, ''awareness'', ''2026-01-01'') FROM flood'
	          $([[ -n $BASE ]] && echo ", 'SELECT base.by_customer(sequential, ''awareness'', ''2026-01-01'', 0, 0) FROM flood',
	          'SELECT base.by_customer(crafted, ''awareness'', ''2026-01-01'', 0, 0) FROM flood'")], 3)"

echo
echo "-- one customer, a million visits (the issue's query), without a timeout"
psql -c "$pre" -c "\pset footer off" -c "SELECT * FROM bench.compare(ARRAY['cvfw_flow, 1M visits', 'cvfw_flow_by_customer, one id, 1M visits'],
  ARRAY['SELECT length(cvfw_flow(cvfw_stage(1 + g % 2), ''2024-01-01''::timestamptz + g * interval ''1 second'')::text) FROM generate_series(1, 1000000) g',
        'SELECT length(cvfw_flow_by_customer(0, cvfw_stage(1 + g % 2), ''2024-01-01''::timestamptz + g * interval ''1 second'')::text) FROM generate_series(1, 1000000) g'], 3)"
