#!/usr/bin/env bash
# trigger.sh — UPDATE throughput on a contacts table guarded three ways,
# against the same table without a guard, side by side in one run (pgbench,
# a custom script, several clients):
#   before   the BEFORE UPDATE trigger cvfw_enforce_transition (0.1.0's form)
#   after    cvfw_guard: the AFTER INSERT OR UPDATE OR DELETE constraint trigger
#   capture  cvfw_guard with history capture: every update changes the stage,
#            so every update also inserts an event
# for a cvfw_stage column and for a text column of stage names (parsed).
# Run by `make bench BENCH=trigger`, which provides the cluster (PGHOST,
# PGPORT, PGDATABASE) and PG_BINDIR.
set -euo pipefail
ROWS=${TRIGGER_BENCH_ROWS:-100000}
CLIENTS=${TRIGGER_BENCH_CLIENTS:-4}
SECONDS_PER_RUN=${TRIGGER_BENCH_SECONDS:-15}
ROUNDS=${TRIGGER_BENCH_ROUNDS:-3}
psql() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

stage_tables="t_plain t_before t_after t_capture"
text_tables="t_text_plain t_text_before t_text_after t_text_capture"
echo "== UPDATE throughput: no guard, the BEFORE trigger, cvfw_guard, cvfw_guard with history capture"
echo "   $ROWS contacts per table, $CLIENTS clients, ${SECONDS_PER_RUN}s per run, $ROUNDS rounds, alternating"
psql <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench.t_plain, bench.t_before, bench.t_after, bench.t_capture,
  bench.t_text_plain, bench.t_text_before, bench.t_text_after, bench.t_text_capture,
  bench.events, bench.text_events;
CREATE TABLE bench.t_plain (id int PRIMARY KEY, name text, stage cvfw_stage NOT NULL,
                            updated_at timestamptz);
INSERT INTO bench.t_plain
SELECT i, 'contact ' || i, cvfw_stage(1 + i % 6), now() FROM generate_series(1, $ROWS) i;
CREATE TABLE bench.t_before (LIKE bench.t_plain INCLUDING ALL);
CREATE TABLE bench.t_after (LIKE bench.t_plain INCLUDING ALL);
CREATE TABLE bench.t_capture (LIKE bench.t_plain INCLUDING ALL);
INSERT INTO bench.t_before SELECT * FROM bench.t_plain;
INSERT INTO bench.t_after SELECT * FROM bench.t_plain;
INSERT INTO bench.t_capture SELECT * FROM bench.t_plain;
CREATE TRIGGER guard BEFORE UPDATE ON bench.t_before
  FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');
SELECT cvfw_guard('bench.t_after', 'stage');
CREATE TABLE bench.events (customer int, stage cvfw_stage, at timestamptz, value numeric, cost numeric);
SELECT cvfw_guard('bench.t_capture', 'stage', history => 'bench.events', at => 'updated_at');
-- the same with a text column of stage names, which every form parses
CREATE TABLE bench.t_text_plain (id int PRIMARY KEY, name text, stage text NOT NULL,
                                 updated_at timestamptz);
INSERT INTO bench.t_text_plain SELECT id, name, stage::text, updated_at FROM bench.t_plain;
CREATE TABLE bench.t_text_before (LIKE bench.t_text_plain INCLUDING ALL);
INSERT INTO bench.t_text_before SELECT * FROM bench.t_text_plain;
CREATE TRIGGER guard BEFORE UPDATE ON bench.t_text_before
  FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');
CREATE TABLE bench.t_text_after (LIKE bench.t_text_plain INCLUDING ALL);
CREATE TABLE bench.t_text_capture (LIKE bench.t_text_plain INCLUDING ALL);
INSERT INTO bench.t_text_after SELECT * FROM bench.t_text_plain;
INSERT INTO bench.t_text_capture SELECT * FROM bench.t_text_plain;
SELECT cvfw_guard('bench.t_text_after', 'stage');
CREATE TABLE bench.text_events (customer int, stage cvfw_stage, at timestamptz, value numeric, cost numeric);
SELECT cvfw_guard('bench.t_text_capture', 'stage',
                  history => 'bench.text_events', at => 'updated_at');
VACUUM ANALYZE bench.t_plain, bench.t_before, bench.t_after, bench.t_capture,
  bench.t_text_plain, bench.t_text_before, bench.t_text_after, bench.t_text_capture;
-- the time one statement takes, in ms
CREATE OR REPLACE FUNCTION bench.trigger_bulk_ms(stmt text) RETURNS bigint LANGUAGE plpgsql AS \$\$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
  EXECUTE stmt;
  RETURN round(extract(epoch FROM clock_timestamp() - t0) * 1000);
END \$\$;
SQL

# every update is allowed under the wheel policy: one step on, or one back
# (not from awareness: back from there is engagement, a skip forward), so
# the guards check every row and refuse none, and capture records every one
for t in $stage_tables; do
	cat >"$work/$t.sql" <<SQL
\set id random(1, $ROWS)
UPDATE bench.$t SET stage = CASE WHEN random() < 0.5 OR stage = 'awareness' THEN cvfw_next(stage)
                                 ELSE stage - 1 END,
                    updated_at = now() WHERE id = :id;
SQL
done
for t in $text_tables; do
	cat >"$work/$t.sql" <<SQL
\set id random(1, $ROWS)
UPDATE bench.$t SET stage = (CASE WHEN random() < 0.5 OR stage = 'awareness' THEN cvfw_next(stage::cvfw_stage)
                                  ELSE stage::cvfw_stage - 1 END)::text,
                    updated_at = now() WHERE id = :id;
SQL
done

run() { # table -> tps
	"$PG_BINDIR/pgbench" -n -c "$CLIENTS" -j "$CLIENTS" -T "$SECONDS_PER_RUN" -f "$work/$1.sql" 2>&1 |
		sed -n -E 's/^tps = ([0-9.]+) .*/\1/p'
}
results=$work/results.txt
: >"$results"
for r in $(seq 1 "$ROUNDS"); do
	for t in $stage_tables $text_tables; do
		tps=$(run "$t")
		echo "round $r  $t  $tps tps"
		echo "$t $tps" >>"$results"
	done
	psql -c 'VACUUM bench.t_plain, bench.t_before, bench.t_after, bench.t_capture,
	  bench.t_text_plain, bench.t_text_before, bench.t_text_after, bench.t_text_capture'
done
psql -c "SELECT (SELECT count(*) FROM bench.events) AS events_captured,
                (SELECT count(*) FROM bench.text_events) AS text_events_captured"

# The same per row, without the clients' noise: one session updates every
# row of each table in one statement (each moving one stage on), rounds
# alternating; the median time per table and the median per-round ratio.
bulk=$work/bulk.txt
: >"$bulk"
for r in $(seq 1 "$ROUNDS"); do
	for t in $stage_tables $text_tables; do
		if [[ $t == t_text_* ]]; then
			set_stage="stage = cvfw_next(stage::cvfw_stage)::text"
		else
			set_stage="stage = cvfw_next(stage)"
		fi
		ms=$(psql -At -c "SELECT bench.trigger_bulk_ms('UPDATE bench.$t SET $set_stage, updated_at = updated_at + interval ''1 second''')")
		echo "bulk round $r  $t  $ms ms"
		echo "$t $ms" >>"$bulk"
	done
	psql -c 'VACUUM bench.t_plain, bench.t_before, bench.t_after, bench.t_capture,
	  bench.t_text_plain, bench.t_text_before, bench.t_text_after, bench.t_text_capture'
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
tps_of() { grep "^$1 " "$results" | awk '{print $2}'; }
echo
echo "median tps, and the median of the per-round ratios guarded/plain"
echo "(each round runs the tables back to back, so drift cancels)"
printf '%-16s %12s %14s\n' table "median tps" "guarded/plain"
for group in "t_plain t_before t_after t_capture" "t_text_plain t_text_before t_text_after t_text_capture"; do
	set -- $group
	plain=$1
	shift
	printf '%-16s %12.0f\n' "$plain" "$(tps_of "$plain" | median)"
	for t in "$@"; do
		ratio=$(paste <(tps_of "$t") <(tps_of "$plain") | awk '{print $1 / $2}' | median)
		printf '%-16s %12.0f %14.3f  (overhead %.1f%%)\n' "$t" "$(tps_of "$t" | median)" "$ratio" \
			"$(awk -v r="$ratio" 'BEGIN {print (1 - r) * 100}')"
	done
done
ms_of() { grep "^$1 " "$bulk" | awk '{print $2}'; }
echo
echo "one UPDATE of all $ROWS rows: median ms, and the median per-round ratio to no guard"
printf '%-16s %12s %14s %16s\n' table "median ms" "plain/guarded" "µs per row more"
for group in "t_plain t_before t_after t_capture" "t_text_plain t_text_before t_text_after t_text_capture"; do
	set -- $group
	plain=$1
	shift
	printf '%-16s %12.0f\n' "$plain" "$(ms_of "$plain" | median)"
	for t in "$@"; do
		ratio=$(paste <(ms_of "$plain") <(ms_of "$t") | awk '{print $1 / $2}' | median)
		extra=$(paste <(ms_of "$t") <(ms_of "$plain") | awk -v n="$ROWS" '{print ($1 - $2) * 1000 / n}' | median)
		printf '%-16s %12.0f %14.3f %16.2f\n' "$t" "$(ms_of "$t" | median)" "$ratio" "$extra"
	done
done
psql -c 'DROP TABLE bench.t_plain, bench.t_before, bench.t_after, bench.t_capture,
  bench.t_text_plain, bench.t_text_before, bench.t_text_after, bench.t_text_capture,
  bench.events, bench.text_events' -c 'DROP FUNCTION bench.trigger_bulk_ms(text)'
