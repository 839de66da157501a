#!/usr/bin/env bash
# bench.sh — `make citus-bench`: the leakage report on Citus (coordinator +
# 2 workers, all on this machine) against one node, side by side on the same
# cluster: the one-node queries read plain tables on the coordinator, the
# distributed ones the same rows distributed by customer.  Timed with
# test/bench/lib.sql's bench.compare (rounds of every query in turn, median
# and minimum, ratio to the first).  Also the bytes each distributed query
# brings to the coordinator (EXPLAIN ANALYZE: "Tuple data received from
# nodes").
#
# CVFW_CITUS_CUSTOMERS (default 200000; ~3.5 events each), ROUNDS (5).
# Builds PostgreSQL 18 without assertions and Citus into it
# (test/matrix/build.sh citus-release) unless PG_CONFIG's server has Citus.
source "$(dirname "$0")/../harness/lib.sh"
source "$ROOT/test/citus/cluster.sh"
cd "$ROOT"

if [[ -z ${PG_CONFIG:-} || ! -f $("$PG_CONFIG" --pkglibdir 2>/dev/null)/citus.so ]]; then
	PG_CONFIG=$(bash "$ROOT/test/matrix/build.sh" citus-release | tail -n 1)
fi
find_pg_config
ensure_build_deps
build_and_install
citus_start

customers=${CVFW_CITUS_CUSTOMERS:-200000}
rounds=${ROUNDS:-5}
say "loading $customers customers"
cq 0 -v customers="$customers" -v seed=12 -f test/citus/setup.sql >/dev/null
cq 0 -c "CREATE TABLE customer_flows_local AS SELECT customer_id, cvfw_flow(stage, at, value, cost) AS flow
         FROM events_local GROUP BY customer_id" \
	-c "CREATE TABLE customer_flows (customer_id int, flow cvfw_flow)" \
	-c "SELECT create_distributed_table('customer_flows', 'customer_id', colocate_with => 'events')" \
	-c "INSERT INTO customer_flows SELECT customer_id, cvfw_flow(stage, at, value, cost) FROM events GROUP BY customer_id" \
	-c "VACUUM ANALYZE" >/dev/null
cq 0 -f test/bench/lib.sql >/dev/null

echo "# $("$PG_CONFIG" --version) ($("$PG_CONFIG" --configure | grep -q enable-cassert && echo 'with assertions' || echo 'without assertions')), $(cq 0 -c "SELECT citus_version()" | sed 's/ on .*//'); $(nproc) cores shared by the 3 nodes"
echo "# $(cq 0 -c 'SELECT count(*) FROM events') events of $customers customers; $(cq 0 -c 'SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = '"'events'::regclass") shards of events on 2 workers"

leak="SELECT * FROM cvfw_leakage((%s), '2026-01-01', '30 days')"
two_level="SELECT cvfw_merge(f) FROM (SELECT cvfw_flow(stage, at, value, cost) AS f FROM %s GROUP BY customer_id) c"
by_customer="SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM %s"
by_shard="SELECT cvfw_merge(nullif(result, '')::cvfw_flow) FROM run_command_on_shards('events', \$q\$SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text FROM %s\$q\$)"
stored="SELECT cvfw_merge(flow) FROM %s"
floor="SELECT count(*) FROM (SELECT customer_id, count(*) FROM %s GROUP BY customer_id) c"

labels=() queries=()
add() { labels+=("$1"); queries+=("$2"); }
# shellcheck disable=SC2059
{
	add "one node: GROUP BY customer count(*) (floor)" "$(printf "$floor" events_local)"
	add "Citus: GROUP BY customer count(*) (floor)" "$(printf "$floor" events)"
	add "one node: two-level report" "$(printf "$leak" "$(printf "$two_level" events_local)")"
	add "Citus: two-level report" "$(printf "$leak" "$(printf "$two_level" events)")"
	add "one node: cvfw_flow_by_customer" "$(printf "$leak" "$(printf "$by_customer" events_local)")"
	add "Citus: cvfw_flow_by_customer (raw events to the coordinator)" "$(printf "$leak" "$(printf "$by_customer" events)")"
	add "Citus: cvfw_flow_by_customer per shard, merged" "$(printf "$leak" "$by_shard")"
	add "one node: stored per-customer summaries merged" "$(printf "$leak" "$(printf "$stored" customer_flows_local)")"
	add "Citus: stored per-customer summaries merged" "$(printf "$leak" "$(printf "$stored" customer_flows)")"
}
sql_array() { # items... -> ARRAY['...', ...] with quotes doubled
	local out="ARRAY[" sep="" x
	for x in "$@"; do
		out+="$sep'${x//\'/\'\'}'"
		sep=", "
	done
	echo "$out]"
}
echo
echo "| query | median ms | min ms | ratio to the first |"
echo "|---|---|---|---|"
cq 0 -F ' | ' -c "SELECT '| ' || label, median_ms, min_ms, ratio_to_first || ' |'
                  FROM bench.compare($(sql_array "${labels[@]}"), $(sql_array "${queries[@]}"), $rounds)"

echo
echo "Bytes the coordinator receives from the workers (EXPLAIN ANALYZE):"
for q in 1 3 5 8; do
	sent=$(cq 0 -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${queries[$q]}" 2>&1 |
		sed -n 's/.*Tuple data received from nodes: *//p' | paste -sd+ -)
	echo "* ${labels[$q]}: ${sent:-?}"
done
# the per-shard recipe ships each shard's summary as text
echo "* Citus: cvfw_flow_by_customer per shard, merged: $(cq 0 -c "SELECT pg_size_pretty(sum(length(result))) FROM run_command_on_shards('events',
  \$q\$SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text FROM %s\$q\$)") of summaries (text)"
