#!/usr/bin/env bash
# trigger.sh — UPDATE throughput on a contacts table with the guard trigger
# against the same table without it, side by side in one run (pgbench, a
# custom script, several clients).  Run by `make bench BENCH=trigger`, which
# provides the cluster (PGHOST, PGPORT, PGDATABASE) and PG_BINDIR.
set -euo pipefail
ROWS=${TRIGGER_BENCH_ROWS:-100000}
CLIENTS=${TRIGGER_BENCH_CLIENTS:-4}
SECONDS_PER_RUN=${TRIGGER_BENCH_SECONDS:-15}
ROUNDS=${TRIGGER_BENCH_ROUNDS:-3}
psql() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== UPDATE throughput: cvfw_enforce_transition vs no trigger"
echo "   $ROWS contacts per table, $CLIENTS clients, ${SECONDS_PER_RUN}s per run, $ROUNDS rounds, alternating"
psql <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench.t_plain, bench.t_guarded, bench.t_text_plain, bench.t_text_guarded;
CREATE TABLE bench.t_plain (id int PRIMARY KEY, name text, stage cvfw_stage NOT NULL,
                            updated_at timestamptz);
INSERT INTO bench.t_plain
SELECT i, 'contact ' || i, cvfw_stage(1 + i % 6), now() FROM generate_series(1, $ROWS) i;
CREATE TABLE bench.t_guarded (LIKE bench.t_plain INCLUDING ALL);
INSERT INTO bench.t_guarded SELECT * FROM bench.t_plain;
CREATE TRIGGER guard BEFORE UPDATE ON bench.t_guarded
  FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');
-- the same with a text stage column, the case where the trigger parses names
CREATE TABLE bench.t_text_plain (id int PRIMARY KEY, name text, stage text NOT NULL,
                                 updated_at timestamptz);
INSERT INTO bench.t_text_plain SELECT id, name, stage::text, updated_at FROM bench.t_plain;
CREATE TABLE bench.t_text_guarded (LIKE bench.t_text_plain INCLUDING ALL);
INSERT INTO bench.t_text_guarded SELECT * FROM bench.t_text_plain;
CREATE TRIGGER guard BEFORE UPDATE ON bench.t_text_guarded
  FOR EACH ROW EXECUTE FUNCTION cvfw_enforce_transition('stage');
VACUUM ANALYZE bench.t_plain, bench.t_guarded, bench.t_text_plain, bench.t_text_guarded;
SQL

# every update is allowed under the wheel policy: one step on, or one back
# (not from awareness: back from there is engagement, a skip forward)
for t in t_plain t_guarded; do
	cat >"$work/$t.sql" <<SQL
\set id random(1, $ROWS)
UPDATE bench.$t SET stage = CASE WHEN random() < 0.5 OR stage = 'awareness' THEN cvfw_next(stage)
                                 ELSE stage - 1 END,
                    updated_at = now() WHERE id = :id;
SQL
done
for t in t_text_plain t_text_guarded; do
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
	for t in t_plain t_guarded t_text_plain t_text_guarded; do
		tps=$(run "$t")
		echo "round $r  $t  $tps tps"
		echo "$t $tps" >>"$results"
	done
	psql -c 'VACUUM bench.t_plain, bench.t_guarded, bench.t_text_plain, bench.t_text_guarded'
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
tps_of() { grep "^$1 " "$results" | awk '{print $2}'; }
echo
echo "median tps, and the median of the per-round ratios guarded/plain"
echo "(each round runs plain and guarded back to back, so drift cancels)"
printf '%-16s %12s %14s\n' table "median tps" "guarded/plain"
for pair in "t_plain t_guarded" "t_text_plain t_text_guarded"; do
	set -- $pair
	ratio=$(paste <(tps_of "$2") <(tps_of "$1") | awk '{print $1 / $2}' | median)
	printf '%-16s %12.0f\n' "$1" "$(tps_of "$1" | median)"
	printf '%-16s %12.0f %14.3f  (overhead %.1f%%)\n' "$2" "$(tps_of "$2" | median)" "$ratio" \
		"$(awk -v r="$ratio" 'BEGIN {print (1 - r) * 100}')"
done
psql -c 'DROP TABLE bench.t_plain, bench.t_guarded, bench.t_text_plain, bench.t_text_guarded'
