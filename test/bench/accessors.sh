#!/usr/bin/env bash
# accessors.sh — what reading a stored summary costs (issue #14): the
# scalar accessors per call, on one stored value called again and again, on
# a different value each call, and six accessors per row as a BI view calls
# them, side by side with the floor of reading the value at all
# (detoasting it); and the peak memory of a report on a summary of 2M day
# buckets.  Run by `make bench BENCH=accessors`, which provides the cluster
# (PGHOST, PGPORT, PGDATABASE) and PG_BINDIR.  Uses only SQL that 0.1.0 has
# too, so the same script measures the build before and after.
set -euo pipefail
psql() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "== Accessors on a stored summary"
psql <<'SQL'
SET client_min_messages = warning;
\pset footer off
DROP TABLE IF EXISTS bench.acc_one, bench.acc_many, bench.acc_2m;
-- about 12,000 (day, stage) buckets: a summary of about 185 KB, as the
-- issue measured (60,000 customers, one event each, on 2,000 days)
CREATE TABLE bench.acc_one AS
SELECT cvfw_flow_by_customer(c, cvfw_stage(1 + c % 6),
         '2020-01-01'::timestamptz + (c % 2000) * interval '1 day' + (c % 97) * interval '1 hour',
         c % 100, c % 7) AS flow
FROM generate_series(1, 60000) c;
-- 200 different summaries of that size: the same customers and one more
CREATE TABLE bench.acc_many AS
SELECT i, cvfw_merge(f) AS flow
FROM (SELECT i, flow AS f FROM bench.acc_one, generate_series(1, 200) i
      UNION ALL
      SELECT i, cvfw_flow('awareness', '2030-01-01'::timestamptz + i * interval '1 day')
      FROM generate_series(1, 200) i GROUP BY i) s
GROUP BY i;
VACUUM ANALYZE bench.acc_one, bench.acc_many;
SELECT pg_column_size(flow) AS stored_bytes, octet_length(cvfw_flow_send(flow)) AS summary_bytes,
       cvfw_customers(flow) AS customers
FROM bench.acc_one;

\echo
\echo '-- per call: 200 calls of cvfw_leaked on one stored value; 200 on 200 different'
\echo '-- values; 6 accessors on each of 200 rows (1,200 calls); the floor reads'
\echo '-- (detoasts) each of the 200 values once.  Median of 5 rounds, ms per query'
SELECT label, median_ms, min_ms, ratio_to_first,
       round(median_ms / CASE WHEN label LIKE '6 accessors%' THEN 1200 ELSE 200 END, 4) AS ms_per_call
FROM bench.compare(
  ARRAY['floor: detoast 200 values',
        'cvfw_leaked x 200, one value',
        'cvfw_leaked x 200, 200 values',
        '6 accessors per row x 200 values'],
  ARRAY['SELECT sum(octet_length(cvfw_flow_send(flow))) FROM bench.acc_many',
        $q$SELECT sum(cvfw_leaked(flow, 'awareness', '2026-01-01', '30 days')) FROM bench.acc_one, generate_series(1, 200)$q$,
        $q$SELECT sum(cvfw_leaked(flow, 'awareness', '2026-01-01', '30 days')) FROM bench.acc_many$q$,
        $q$SELECT sum(cvfw_customers(flow) + cvfw_visits(flow, 'awareness') + cvfw_leaked(flow, 'exploration')
                     + cvfw_leak_rate(flow, 'experience') + cvfw_value_at_risk(flow, 'advocacy')
                     + cvfw_transition_count(flow, 'awareness', 'exploration')) FROM bench.acc_many$q$],
  5);
SQL

echo
echo "== Memory of a report on a summary of 2M day buckets"
psql <<'SQL'
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
-- 2M customers, one event each, each on its own (day, stage): 2M buckets
CREATE TABLE bench.acc_2m AS
SELECT cvfw_flow_by_customer(c, cvfw_stage(1 + c % 6), '1000-01-01'::timestamptz + (c / 6) * interval '1 day')
         AS flow
FROM generate_series(0, 1999999) c;
SELECT octet_length(cvfw_flow_send(flow)) AS summary_bytes, cvfw_customers(flow) AS customers FROM bench.acc_2m;
SQL
# each in a fresh backend: the backend's peak resident set (VmHWM, kB) after
# the query, less after a trivial one (the backend's own baseline)
peak_kb() { # query
	local out
	out=$(psql -t -A <<SQL
SET max_parallel_workers_per_gather = 0;
SELECT pg_backend_pid() AS pid \gset
\setenv CVFW_BACKEND_PID :pid
\! awk '/^VmHWM:/ {print "before", \$2}' /proc/\$CVFW_BACKEND_PID/status
$1;
\! awk '/^VmHWM:/ {print "after", \$2}' /proc/\$CVFW_BACKEND_PID/status
SQL
)
	awk '/^before/ {b = $2} /^after/ {a = $2} END {print a - b}' <<<"$out"
}
printf '%-60s %10s\n' "query (fresh backend)" "peak kB"
printf '%-60s %10s\n' "read the summary (detoast, send)" \
	"$(peak_kb 'SELECT octet_length(cvfw_flow_send(flow)) FROM bench.acc_2m')"
printf '%-60s %10s\n' "cvfw_leakage(flow, as_of, horizon)" \
	"$(peak_kb "SELECT count(*) FROM bench.acc_2m, cvfw_leakage(flow, '2026-01-01', '30 days')")"
printf '%-60s %10s\n' "cvfw_flow_json(flow, as_of, horizon)" \
	"$(peak_kb "SELECT length(cvfw_flow_json(flow, '2026-01-01', '30 days')::text) FROM bench.acc_2m")"
psql -c 'DROP TABLE bench.acc_one, bench.acc_many, bench.acc_2m'
