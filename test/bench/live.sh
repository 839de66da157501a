#!/usr/bin/env bash
# live.sh — live tracking and trends (issue #15), each candidate measured
# side by side in one run.  Run by `make bench BENCH=live`, which provides
# the cluster (PGHOST, PGPORT, PGDATABASE) and PG_BINDIR.
#   (a) reading the live wheel against the batch report, at N customers,
#       right after attaching and again with the changes the writers left
#       pending;
#   (b) event inserts into the tracked table against the same table
#       untracked: single-row INSERTs from pgbench clients, and a bulk load
#       in one INSERT ... SELECT;
#   (c) the trend over 24 months: one pass (and read live) against the
#       single batch report, the per-month cvfw report and the per-month
#       plain SQL of the definitions, on a smaller table;
#   (d) the exact sums in the batch report: `make bench BENCH=exact`
#       (test/bench/exact.sql, before and after in RESULTS.md).
# Every live summary read is also compared, byte for byte, with the batch
# one over the same table, so the speed is of the right answer.
set -euo pipefail
N=${LIVE_BENCH_CUSTOMERS:-1000000}
BULK_CUSTOMERS=${LIVE_BENCH_BULK_CUSTOMERS:-285000}	# about 1M events
TREND_N=${LIVE_BENCH_TREND_CUSTOMERS:-75000}			# about 260k events
CLIENTS=${LIVE_BENCH_CLIENTS:-8}
SECONDS_PER_RUN=${LIVE_BENCH_SECONDS:-15}
ROUNDS=${LIVE_BENCH_ROUNDS:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
psql() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
cd "$HERE"	# \ir in the scripts below reads from here
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
elapsed() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

echo "== Live tracking: $N customers ($CLIENTS pgbench clients, ${SECONDS_PER_RUN}s per run, $ROUNDS rounds)"
t=$(date +%s%N)
psql -v customers="$N" -v seed=1 <<'SQL'
SET client_min_messages = warning;
DROP TABLE IF EXISTS events, events_plain, bench.seg, bench.bulk CASCADE;
\ir ../data/gen_events.sql
-- both tables indexed by customer, as an events table is: tracking needs
-- the index (cvfw_track would create it) and the untracked table keeps it
CREATE INDEX ON events (customer_id);
CREATE TABLE events_plain (LIKE events INCLUDING ALL);
INSERT INTO events_plain SELECT * FROM events;
-- each customer's segment, for the writers
CREATE TABLE bench.seg AS SELECT DISTINCT ON (customer_id) customer_id, segment FROM events ORDER BY customer_id;
ALTER TABLE bench.seg ADD PRIMARY KEY (customer_id);
VACUUM ANALYZE events, events_plain, bench.seg;
SQL
echo "generated in $(elapsed "$t") ms: $(psql -At -c "SELECT count(*) || ' events, ' || count(DISTINCT customer_id) || ' customers' FROM events")"

t=$(date +%s%N)
psql -c "SELECT cvfw_track('events', customer => 'customer_id', stage => 'stage', at => 'at', value => 'value', cost => 'cost', group_by => '{segment}')" >/dev/null
echo "cvfw_track attached in $(elapsed "$t") ms; summaries: $(psql -At -c "SELECT pg_size_pretty(pg_total_relation_size('events_cvfw_customers')) || ' per customer, ' || pg_size_pretty(pg_total_relation_size('events_cvfw_groups')) || ' compacted sums; the events ' || pg_size_pretty(pg_total_relation_size('events'))")"

# (a) the queries: the batch report, the live one, the live read alone, a
# group's, the picture, and the live trend by month
cat >"$work/a.sql" <<'SQL'
\pset footer off
SELECT count(*) AS pending_changes FROM events_cvfw_changes;
SELECT (SELECT cvfw_live_flow('events')::text) = (SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text FROM events) AS live_is_batch_flow,
       (SELECT cvfw_live_trend('events')::text) = (SELECT cvfw_trend_by_customer(customer_id, stage, at, value)::text FROM events) AS live_is_batch_trend,
       (SELECT cvfw_live_flow('events', 'smb')::text) = (SELECT cvfw_merge(flow)::text FROM events_cvfw_customers WHERE segment = 'smb') AS live_group_is_sum;
\set q_batch 'SELECT string_agg(l::text, '','') FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events), ''2026-01-01'', ''30 days'') l'
\set q_live 'SELECT string_agg(l::text, '','') FROM cvfw_leakage(cvfw_live_flow(''events''), ''2026-01-01'', ''30 days'') l'
\set q_read 'SELECT length(cvfw_live_flow(''events'')::text)'
\set q_group 'SELECT string_agg(l::text, '','') FROM cvfw_leakage(cvfw_live_flow(''events'', ''smb''), ''2026-01-01'', ''30 days'') l'
\set q_svg 'SELECT length(cvfw_wheel_svg(cvfw_live_flow(''events''), ''2026-01-01'', ''30 days''))'
\set q_trend 'SELECT string_agg(t::text, '','') FROM cvfw_trend_leakage(cvfw_live_trend(''events''), ''month'', ''2026-01-01'', ''30 days'') t'
SELECT * FROM bench.compare(
  ARRAY['batch report: cvfw_leakage(cvfw_flow_by_customer(...) over the events)',
        'live report: cvfw_leakage(cvfw_live_flow(''events''))',
        'live read alone: cvfw_live_flow(''events'')',
        'live report of one segment',
        'live picture: cvfw_wheel_svg(cvfw_live_flow(''events''))',
        'live trend by month: cvfw_trend_leakage(cvfw_live_trend(''events''), ''month'')'],
  ARRAY[:'q_batch', :'q_live', :'q_read', :'q_group', :'q_svg', :'q_trend'], 5);
SQL
echo
echo "== (a) reading the live wheel against the batch report, right after attaching (wall time, ms, 5 rounds)"
psql -f "$work/a.sql"

# (b) single-row inserts: an event for a random existing customer, later
# than their history (events arrive in time order), in their own segment
for t in events_plain events; do
	cat >"$work/$t.sql" <<SQL
\set c random(1, $N)
\set s random(1, 6)
\set secs random(0, 2000000)
\set v random(0, 50000)
INSERT INTO $t (customer_id, segment, stage, at, value, cost)
SELECT :c, segment, cvfw_stage(:s), timestamptz '2026-01-01' + make_interval(secs => :secs), :v / 100.0, 1
FROM bench.seg WHERE customer_id = :c;
SQL
done
run() { # table -> tps
	"$PG_BINDIR/pgbench" -n -c "$CLIENTS" -j 2 -T "$SECONDS_PER_RUN" -f "$work/$1.sql" 2>&1 |
		sed -n -E 's/^tps = ([0-9.]+) .*/\1/p'
}
echo
echo "== (b) single-row INSERTs, $CLIENTS pgbench clients, ${SECONDS_PER_RUN}s per run, alternating"
results=$work/results.txt
: >"$results"
for r in $(seq 1 "$ROUNDS"); do
	order="events_plain events"
	((r % 2 == 0)) && order="events events_plain"
	for t in $order; do
		tps=$(run "$t")
		echo "round $r  $t  $tps tps"
		echo "$t $tps" >>"$results"
	done
	psql -c 'VACUUM events, events_plain, events_cvfw_customers, events_cvfw_changes, events_cvfw_groups'
done
awk '{n[$1]++; v[$1, n[$1]] = $2}
     END {
       for (t in n) { m = n[t]; for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[t, j] < v[t, i]) { x = v[t, i]; v[t, i] = v[t, j]; v[t, j] = x }
                      med[t] = (m % 2) ? v[t, (m + 1) / 2] : (v[t, m / 2] + v[t, m / 2 + 1]) / 2 }
       printf "median tps: untracked %.0f, tracked %.0f; tracked / untracked %.3f\n", med["events_plain"], med["events"], med["events"] / med["events_plain"]
     }' "$results"

echo
echo "== (a) again, with the changes the writers left pending"
psql -f "$work/a.sql"

# the bulk load: about 1M events of $BULK_CUSTOMERS customers, half of them
# new, half existing ones (whose new events fall among their old ones)
psql -v customers="$BULK_CUSTOMERS" -v seed=2 <<SQL
SET client_min_messages = warning;
SET search_path = bench, public;
\ir ../data/gen_events.sql
CREATE TABLE bench.bulk AS
SELECT CASE WHEN customer_id % 2 = 0 THEN customer_id ELSE customer_id + $N END AS customer_id,
       segment, stage, at, value, cost FROM bench.events;
DROP TABLE bench.events;
VACUUM ANALYZE bench.bulk;
SQL
echo
echo "== (b) a bulk load in one statement: INSERT INTO ... SELECT of $(psql -At -c 'SELECT count(*) FROM bench.bulk') events ($(psql -At -c 'SELECT count(DISTINCT customer_id) FROM bench.bulk') customers, half new), 2 rounds, alternating"
for r in 1 2; do
	order="events_plain events"
	((r == 2)) && order="events events_plain"
	for t in $order; do
		psql -c CHECKPOINT
		s=$(date +%s%N)
		psql -c "INSERT INTO $t SELECT * FROM bench.bulk"
		echo "round $r  $t  $(elapsed "$s") ms"
	done
done
psql -c 'VACUUM ANALYZE events, events_plain, events_cvfw_customers, events_cvfw_changes, events_cvfw_groups'
psql <<'SQL'
\pset footer off
SELECT count(*) AS events,
       (SELECT cvfw_live_flow('events')::text) = (SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text FROM events) AS live_is_batch_after_bulk,
       (SELECT count(*) FROM events_cvfw_changes) AS pending_changes
FROM events;
SQL
psql -c "SELECT cvfw_untrack('events')" >/dev/null
psql -c 'DROP TABLE events, events_plain, bench.seg, bench.bulk'

# (c) the trend over 24 months: the generator's year, and the same again a
# year later for the even customers
echo
echo "== (c) the trend over 24 months, $TREND_N customers (3 rounds side by side, wall time, ms)"
psql -v customers="$TREND_N" -v seed=3 <<'SQL'
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS trend CASCADE;
CREATE SCHEMA trend;
SET search_path = trend, public;
\ir ../data/gen_events.sql
UPDATE events SET at = at + interval '1 year' WHERE customer_id % 2 = 0;
CREATE INDEX ON events (customer_id);
VACUUM ANALYZE events;
\set schema trend
\ir ../data/plain_trend.sql
SELECT cvfw_track('trend.events', customer => 'customer_id', stage => 'stage', at => 'at', value => 'value', cost => 'cost') IS NOT NULL AS tracked;
SQL
psql <<'SQL'
\pset footer off
SET search_path = trend, public;
SELECT count(*) AS events, count(DISTINCT customer_id) AS customers,
       count(DISTINCT date_trunc('month', at AT TIME ZONE 'UTC')) AS months FROM events;
-- the one pass, the live read and the plain SQL agree, cell by cell
SELECT (SELECT count(*) FROM (
          (SELECT * FROM cvfw_trend_leakage((SELECT cvfw_trend_by_customer(customer_id, stage, at, value) FROM events), 'month', '2027-01-01', '30 days')
           EXCEPT ALL SELECT * FROM plain_trend('month', '2027-01-01', '30 days'))
          UNION ALL
          (SELECT * FROM plain_trend('month', '2027-01-01', '30 days')
           EXCEPT ALL SELECT * FROM cvfw_trend_leakage((SELECT cvfw_trend_by_customer(customer_id, stage, at, value) FROM events), 'month', '2027-01-01', '30 days'))) d)
         AS cells_differing_from_plain_sql,
       (SELECT cvfw_live_trend('trend.events')::text) = (SELECT cvfw_trend_by_customer(customer_id, stage, at, value)::text FROM events) AS live_is_batch;
\set q_report 'SELECT string_agg(l::text, '','') FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events), ''2027-01-01'', ''30 days'') l'
\set q_trend 'SELECT string_agg(t::text, '','') FROM cvfw_trend_leakage((SELECT cvfw_trend_by_customer(customer_id, stage, at, value) FROM events), ''month'', ''2027-01-01'', ''30 days'') t'
\set q_two 'SELECT string_agg(t::text, '','') FROM cvfw_trend_leakage((SELECT cvfw_merge(t) FROM (SELECT cvfw_trend(stage, at, value) AS t FROM events GROUP BY customer_id) s), ''month'', ''2027-01-01'', ''30 days'') t'
\set q_live 'SELECT string_agg(t::text, '','') FROM cvfw_trend_leakage(cvfw_live_trend(''trend.events''), ''month'', ''2027-01-01'', ''30 days'') t'
\set q_plain 'SELECT string_agg(t::text, '','') FROM plain_trend(''month'', ''2027-01-01'', ''30 days'') t'
\set q_cvfw_months 'SELECT string_agg(r, '';'') FROM generate_series(timestamptz ''2025-02-01'', ''2027-01-01'', ''1 month'') m, LATERAL (SELECT string_agg(l::text, '','') AS r FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events WHERE at < m), m, ''30 days'') l) x'
\set q_plain_months 'SELECT string_agg(t::text, '','') FROM generate_series(timestamptz ''2025-01-01'', ''2026-12-01'', ''1 month'') m, LATERAL (SELECT * FROM plain_trend(''month'', timestamptz ''2027-01-01'' + (m - m), ''30 days'') p WHERE p.period_start = (m AT TIME ZONE ''UTC'')::date) t'
SELECT * FROM bench.compare(
  ARRAY['the single batch report: cvfw_leakage(cvfw_flow_by_customer(...))',
        'trend, one pass: cvfw_trend_leakage(cvfw_trend_by_customer(...), ''month'')',
        'trend, two levels: cvfw_merge(cvfw_trend(...) GROUP BY customer)',
        'trend, live: cvfw_trend_leakage(cvfw_live_trend(...), ''month'')',
        'trend, plain SQL of the definitions, one pass',
        'per month: the cvfw report over the events up to each month end (24 passes, cumulative)',
        'per month: the plain SQL trend, one month per query (24 passes)'],
  ARRAY[:'q_report', :'q_trend', :'q_two', :'q_live', :'q_plain', :'q_cvfw_months', :'q_plain_months'], 3);
SQL
psql -c 'DROP SCHEMA trend CASCADE' >/dev/null
