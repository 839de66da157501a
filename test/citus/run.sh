#!/usr/bin/env bash
# run.sh — `make citus`: cvfw on a real distributed engine.  Builds Citus
# (the vendored commit) against PostgreSQL 18 (test/matrix/build.sh; or
# uses PG_CONFIG when its server has Citus), installs cvfw there, starts a
# coordinator and two workers (cluster.sh), distributes the events by
# customer and shows, one TAP line per check and "citus: N passed, N
# failed" at the end, that
#   * every aggregate gives the one-node answer (the same query over a plain
#     table on the coordinator): where the documentation promises
#     independence of the split (the flow summaries, whose amounts are
#     summed exactly; cvfw_rfm, the model fits) the same text, i.e. the same
#     float8 values to the last bit (float8 prints its shortest exact form)
#     and, for a summary with fractional amounts, the same bytes; float8
#     sums added in another order when rows are split (cvfw_clv_agg) to
#     1e-9 relative;
#   * EXPLAIN shows where each aggregate runs: entirely on the shards, or
#     partial states on the workers combined on the coordinator;
#   * a per-customer summary table colocated with the events merges on the
#     coordinator to the one-node result;
#   * the guard trigger on a distributed table refuses an invalid change
#     with 23514 and rolls a multi-shard update back whole.
# Adding an aggregate is one `aggregate` block below.
source "$(dirname "$0")/../harness/lib.sh"
source "$ROOT/test/citus/cluster.sh"
cd "$ROOT"

# a server with Citus: PG_CONFIG's if it has Citus, else the matrix's 18
if [[ -z ${PG_CONFIG:-} || ! -f $("$PG_CONFIG" --pkglibdir 2>/dev/null)/citus.so ]]; then
	PG_CONFIG=$(bash "$ROOT/test/matrix/build.sh" citus | tail -n 1)
fi
find_pg_config
ensure_build_deps
build_and_install
citus_start
source "$ROOT/test/harness/tap.sh"
set +e # every check counts its own failure

work=$CITUS_TMP/work
mkdir -p "$work"

# --- the cluster ---------------------------------------------------------------
cq 0 -v customers="${CVFW_CITUS_CUSTOMERS:-20000}" -v seed=12 -f test/citus/setup.sql >"$work/setup.log" 2>&1
verdict "citus: setup (events and CDNOW orders, plain and distributed by customer)" $? "$(tail -n 5 "$work/setup.log")"
[[ $failed == 0 ]] || { citus_logs; summary citus; exit 1; }
for n in 1 2; do
	v=$(cq "$n" -c "SELECT extversion FROM pg_extension WHERE extname = 'cvfw'" 2>&1)
	[[ $v == "$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" cvfw.control)" ]]
	verdict "citus: CREATE EXTENSION cvfw reached worker $n (version $v)" $?
done
echo "# $(cq 0 -c "SELECT citus_version()" | sed 's/ on .*//') on $("$PG_CONFIG" --version), $(cq 0 -c "SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'events'::regclass") shards of events on $(cq 0 -c 'SELECT count(*) FROM pg_dist_node WHERE noderole = '"'primary'"' AND groupid > 0') workers; $(cq 0 -c 'SELECT count(*) FROM events') events of $(cq 0 -c 'SELECT count(DISTINCT customer_id) FROM events') customers"

# --- the checks ----------------------------------------------------------------

# a query's tables, written {name}: name (distributed) or name_local (one node)
on() { # dist|one, query
	if [[ $1 == dist ]]; then sed 's/{\([a-z_]*\)}/\1/g' <<<"$2"; else sed 's/{\([a-z_]*\)}/\1_local/g' <<<"$2"; fi
}

# run QUERY against the one-node tables and the distributed ones, into
# $work/NAME.one and $work/NAME.dist
both() { # name, query
	local rc=0
	cq 0 -c "$(on one "$2")" >"$work/$1.one" 2>&1 || rc=1
	cq 0 -c "$(on dist "$2")" >"$work/$1.dist" 2>&1 || rc=1
	return $rc
}

# equal outputs: "exact" (the same text) or "close" (the same text but
# numbers, which may differ by 1e-9 relative)
compare() { # name, mode
	if [[ $2 == exact ]]; then
		cmp -s "$work/$1.one" "$work/$1.dist"
	else
		awk -v tol=1e-9 '
			function isnum(s) { return s ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ }
			NR == FNR { a[FNR] = $0; n = FNR; next }
			{ m = FNR
			  if (!(FNR in a)) { bad = 1; exit }
			  na = split(a[FNR], x, /[|,:{}\[\]" ]+/); nb = split($0, y, /[|,:{}\[\]" ]+/)
			  if (na != nb) { bad = 1; exit }
			  for (i = 1; i <= na; i++) {
				if (x[i] == y[i]) continue
				if (!isnum(x[i]) || !isnum(y[i])) { bad = 1; exit }
				d = x[i] - y[i]; if (d < 0) d = -d
				s = (x[i] < 0 ? -x[i] : x[i]); if (s < 1) s = 1
				if (d > tol * s) { bad = 1; exit } } }
			END { exit (bad || m != n) }' "$work/$1.one" "$work/$1.dist"
	fi
}

# EXPLAIN VERBOSE of the distributed query: where the aggregate runs
#   shards:  the whole aggregate in the query each shard runs
#   partial: partial states on the workers, combined on the coordinator
where_runs() { # query, aggregate name
	local plan
	plan=$(cq 0 -c "EXPLAIN (VERBOSE, COSTS OFF) $(on dist "$1")" 2>&1)
	printf '%s\n' "$plan" >"$work/plan.txt"
	if grep -q "worker_binary_partial_agg\|worker_partial_agg" <<<"$plan" &&
		grep -q "coord_binary_combine_agg\|coord_combine_agg" <<<"$plan" &&
		grep -q "partial_agg('[a-z_.]*$2(" <<<"$plan"; then
		echo partial
	elif grep -E '^\s+Query: |^ *->  Task|Task Count' <<<"$plan" >/dev/null &&
		grep -q "$2(" <<<"$(grep -A1000 'Task' <<<"$plan")" &&
		! grep -q "combine_agg('[a-z_.]*$2(" <<<"$plan"; then
		echo shards
	else
		echo coordinator
	fi
}

# One aggregate, one block: the one-node answer and the distributed one
# agree, and the aggregate runs where it should.
aggregate() { # name, mode (exact|close), where (shards|partial|coordinator), aggregate, query
	local name=$1 mode=$2 want=$3 agg=$4 query=$5 got rows
	both "$name" "$query"
	rows=$(wc -l <"$work/$name.one")
	if [[ $rows -gt 0 ]] && ! grep -q ERROR "$work/$name.one" "$work/$name.dist" && compare "$name" "$mode"; then
		verdict "citus: $name: distributed = one node ($rows rows, $([[ $mode == exact ]] && echo 'same text' || echo 'amounts to 1e-9'))" 0
	else
		verdict "citus: $name: distributed = one node" 1
		diff "$work/$name.one" "$work/$name.dist" | head -n 20 | sed 's/^/    /'
	fi
	got=$(where_runs "$query" "$agg")
	local rc=0 how
	[[ $got == "$want" ]] || rc=1
	case $got in
	shards) how='whole on the shards' ;;
	partial) how='as partial states on the workers, combined on the coordinator' ;;
	*) how='on the coordinator, over rows gathered from the workers' ;;
	esac
	verdict "citus: $name: EXPLAIN: $agg runs $how" $rc \
		"expected $want; plan in $work/plan.txt: $(grep -m3 -E 'agg|Query' "$work/plan.txt" | tr -s ' ')"
}

# the per-customer summary and its two-level report
two_level="(SELECT cvfw_merge(flow) AS flow
  FROM (SELECT customer_id, cvfw_flow(stage, at, value, cost) AS flow FROM {events} GROUP BY customer_id) c)"
report="stage, customers, visits, advanced, regressed, skipped, ended, leaked, active, leak_rate, value, cost, value_at_risk, dwell_avg, dwell_p50, dwell_p90"

aggregate "per-customer cvfw_flow" exact shards cvfw_flow \
	"SELECT customer_id, l.stage, l.visits, l.leaked, l.value, l.cost
	 FROM (SELECT customer_id, cvfw_flow(stage, at, value, cost) AS flow FROM {events} GROUP BY customer_id) c,
	      LATERAL cvfw_leakage(flow, '2026-01-01', '30 days') l
	 WHERE l.visits > 0 AND customer_id % 50 = 0 ORDER BY 1, 2"

aggregate "two-level report (cvfw_flow per customer, cvfw_merge)" exact partial cvfw_merge \
	"SELECT $report FROM cvfw_leakage($two_level, '2026-01-01', '30 days') ORDER BY stage"

aggregate "two-level transitions" exact partial cvfw_merge \
	"SELECT t.* FROM cvfw_transitions($two_level) t ORDER BY 1, 2"

aggregate "cvfw_merge per segment" exact partial cvfw_merge \
	"SELECT segment, cvfw_customers(cvfw_merge(flow)), cvfw_leaked(cvfw_merge(flow), 'awareness', '2026-01-01', '30 days'),
	        cvfw_value_at_risk(cvfw_merge(flow), 'exploration', '2026-01-01', '30 days')
	 FROM (SELECT customer_id, min(segment) AS segment, cvfw_flow(stage, at, value, cost) AS flow
	       FROM {events} GROUP BY customer_id) c GROUP BY segment ORDER BY segment"

# no partial form since 0.2.0 (doc/flow.md): the rows go to the coordinator
aggregate "cvfw_flow_by_customer" exact coordinator cvfw_flow_by_customer \
	"SELECT $report FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM {events}),
	                                  '2026-01-01', '30 days') ORDER BY stage"

# the summary itself, with fractional amounts: its bytes depend only on the
# set of customers (exact sums), however the shards split and merge them
aggregate "two-level summary, fractional amounts: the same bytes" exact partial cvfw_merge \
	"SELECT md5(cvfw_merge(flow)::text), cvfw_customers(cvfw_merge(flow))
	 FROM (SELECT customer_id, cvfw_flow(stage, at, value * 1.01 + 0.333, cost / 7) AS flow
	       FROM {events} GROUP BY customer_id) c"

# funnels: the two-level pattern (per customer on the shards, merged from
# partial states) and the one aggregate (on the coordinator over gathered
# rows) give the one-node summary byte for byte
conv="'{awareness,exploration,experience,value_realization}', '30 days', 'any, strict, by month', '2026-01-01'"
aggregate "cvfw_conversion, two levels: the same bytes" exact partial cvfw_conversion_merge \
	"SELECT md5(cvfw_conversion_merge(c)::text)
	 FROM (SELECT customer_id, cvfw_conversion(stage, at, $conv) AS c FROM {events} GROUP BY customer_id) s"
aggregate "cvfw_conversion_by_customer" exact coordinator cvfw_conversion_by_customer \
	"SELECT r.* FROM cvfw_conversion_report((SELECT cvfw_conversion_by_customer(customer_id, stage, at, $conv)
	                                          FROM {events})) r ORDER BY 1, 2"
ret="'awareness', 'month', '2026-01-01'"
aggregate "cvfw_retention, two levels: the same bytes" exact partial cvfw_retention_merge \
	"SELECT md5(cvfw_retention_merge(r)::text)
	 FROM (SELECT customer_id, cvfw_retention(stage, at, $ret) AS r FROM {events} GROUP BY customer_id) s"
aggregate "cvfw_retention_by_customer" exact coordinator cvfw_retention_by_customer \
	"SELECT m.* FROM cvfw_retention_matrix((SELECT cvfw_retention_by_customer(customer_id, stage, at, $ret)
	                                         FROM {events})) m ORDER BY 1, 2"

# trends: per customer on the shards, merged from partial states, and the
# one pass on the coordinator, byte for byte against one node
aggregate "cvfw_trend, two levels: the same bytes" exact partial cvfw_merge \
	"SELECT md5(cvfw_merge(t)::text)
	 FROM (SELECT customer_id, cvfw_trend(stage, at, value * 1.01 + 0.333) AS t FROM {events} GROUP BY customer_id) s"
aggregate "cvfw_trend_by_customer" exact coordinator cvfw_trend_by_customer \
	"SELECT l.* FROM cvfw_trend_leakage((SELECT cvfw_trend_by_customer(customer_id, stage, at, value) FROM {events}),
	                                    'month', '2026-01-01', '30 days') l ORDER BY 1, 2"

aggregate "cvfw_clv_agg" close partial cvfw_clv_agg \
	"SELECT (r).* FROM (SELECT cvfw_clv_agg(revenue, cost, tenure, churned) AS r
	  FROM (SELECT customer_id, coalesce(sum(value), 0) AS revenue, coalesce(sum(cost), 0) AS cost,
	               max(at) - min(at) AS tenure, max(at) < '2025-10-01' AS churned
	        FROM {events} WHERE at IS NOT NULL GROUP BY customer_id) c) s"

aggregate "cvfw_rfm (CDNOW)" exact shards cvfw_rfm \
	"SELECT customer_id, (cvfw_rfm(ordered_on, amount, '1997-09-30', '7 days')).*
	 FROM {orders} GROUP BY customer_id ORDER BY customer_id"

rfm="(SELECT customer_id, (cvfw_rfm(ordered_on, amount, '1997-09-30', '7 days')).* FROM {orders} GROUP BY customer_id) r"
aggregate "cvfw_bgnbd_fit (CDNOW)" exact partial cvfw_bgnbd_fit \
	"SELECT (m).* FROM (SELECT cvfw_bgnbd_fit(frequency, recency, t) AS m FROM $rfm) s"

aggregate "cvfw_gg_fit (CDNOW)" exact partial cvfw_gg_fit \
	"SELECT (m).* FROM (SELECT cvfw_gg_fit(frequency, monetary) AS m FROM $rfm) s"

# --- a stored per-customer summary, colocated with the events -------------------
out=$(cq 0 -c "CREATE TABLE customer_flows_local (customer_id int PRIMARY KEY, flow cvfw_flow)" \
	-c "INSERT INTO customer_flows_local SELECT customer_id, cvfw_flow(stage, at, value, cost) FROM events_local GROUP BY customer_id" \
	-c "CREATE TABLE customer_flows (LIKE customer_flows_local INCLUDING ALL)" \
	-c "SELECT create_distributed_table('customer_flows', 'customer_id', colocate_with => 'events')" \
	-c "INSERT INTO customer_flows SELECT customer_id, cvfw_flow(stage, at, value, cost) FROM events GROUP BY customer_id" \
	-c "SELECT count(*) FROM customer_flows" 2>&1)
rc=$?
verdict "citus: per-customer summaries stored in a table colocated with the events ($(tail -n 1 <<<"$out") rows)" $rc "$out"
plan=$(cq 0 -c "EXPLAIN (COSTS OFF) INSERT INTO customer_flows SELECT customer_id, cvfw_flow(stage, at, value, cost) FROM events GROUP BY customer_id" 2>&1)
grep -q 'Task Count' <<<"$plan" && ! grep -q 'INSERT/SELECT method: pull to coordinator' <<<"$plan"
verdict "citus: EXPLAIN: the INSERT ... SELECT runs shard by shard (nothing through the coordinator)" $? "$(head -n 5 <<<"$plan")"
aggregate "stored summaries merged on the coordinator" exact partial cvfw_merge \
	"SELECT $report FROM cvfw_leakage((SELECT cvfw_merge(flow) FROM {customer_flows}), '2026-01-01', '30 days') ORDER BY stage"

# --- shard-local summaries for cvfw_flow_by_customer (a recipe in SQL) ----------
# Each shard holds all of its customers' events, so cvfw_flow_by_customer
# over one shard is that shard's complete summary: run it on every shard
# (run_command_on_shards), ship only the summaries, merge them.
by_shard="SELECT cvfw_merge(nullif(result, '')::cvfw_flow) FROM run_command_on_shards('events',
  \$\$SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost)::text FROM %s\$\$)"
cq 0 -c "SELECT $report FROM cvfw_leakage(($by_shard), '2026-01-01', '30 days') ORDER BY stage" >"$work/byshard.dist" 2>&1 &&
	cq 0 -c "SELECT $report FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM events_local), '2026-01-01', '30 days') ORDER BY stage" >"$work/byshard.one" 2>&1 &&
	compare byshard exact
verdict "citus: cvfw_flow_by_customer per shard (run_command_on_shards), merged = one node" $? "$(diff "$work/byshard.one" "$work/byshard.dist" | head -n 10)"

# --- the guard trigger on a distributed table ----------------------------------
cq 0 -c "SET citus.enable_unsafe_triggers = on" \
	-c "CREATE TABLE contacts (id bigint PRIMARY KEY, stage cvfw_stage NOT NULL)" \
	-c "SELECT create_distributed_table('contacts', 'id')" \
	-c "INSERT INTO contacts SELECT i, cvfw_stage(1 + i % 6) FROM generate_series(1, 600) i" \
	-c "CREATE TRIGGER guard BEFORE UPDATE ON contacts FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage')" \
	>"$work/guard.log" 2>&1
verdict "citus: guard trigger created on a distributed table (citus.enable_unsafe_triggers = on)" $? "$(tail -n 3 "$work/guard.log")"
state() { cq 0 -c "SELECT md5(string_agg(id || ':' || stage, ',' ORDER BY id)) FROM contacts"; }
guard_error() { # update -> the SQLSTATE it fails with, or "ok"
	local out
	out=$(cq 0 -v VERBOSITY=sqlstate -c '\set VERBOSITY sqlstate' -c "$1" 2>&1) && { echo ok; return; }
	sed -n 's/.*ERROR: *\([0-9A-Z]\{5\}\).*/\1/p' <<<"$out" | head -n 1
}
before=$(state)
got=$(guard_error "UPDATE contacts SET stage = 'engagement' WHERE id = 6")
[[ $got == 23514 && $(state) == "$before" ]]
verdict "citus: guard: awareness -> engagement refused with 23514 (got $got), nothing changed" $?
shards=$(cq 0 -c "SELECT count(DISTINCT get_shard_id_for_distribution_column('contacts', i)) FROM generate_series(1, 600) i")
got=$(guard_error "UPDATE contacts SET stage = CASE WHEN id = 600 THEN stage + 2 ELSE cvfw_next(stage) END")
[[ $got == 23514 && $(state) == "$before" ]]
verdict "citus: guard: a $shards-shard update with one invalid row refused with 23514 (got $got) and rolled back on every shard" $?
got=$(guard_error "UPDATE contacts SET stage = cvfw_next(stage)")
after=$(state)
moved=$(cq 0 -c "SELECT count(*) FROM contacts WHERE stage = cvfw_stage((1 + (id + 1) % 6)::int)")
[[ $got == ok && $after != "$before" && $moved == 600 ]]
verdict "citus: guard: a valid $shards-shard update passes ($moved of 600 rows moved on)" $?

[[ $failed == 0 ]] || citus_logs
summary citus
