#!/usr/bin/env bash
# concurrency.sh — pgbench clients move contacts between stages under
# cvfw_guard (random targets, many of them invalid, NULLs in the text
# column) while other clients read the flow reports over the events the
# writers add.  Afterwards an audit, in plain SQL, of every stored stage
# change: each is valid under its column's policy (against the last stage
# across NULLs), each row's changes chain from its first stage to its
# current one, every accepted change was audited, and the guard's history
# capture recorded exactly the changes of stage.  Only 23514 may be raised;
# no client may abort; the server may not crash.
#   CONCURRENCY_CLIENTS  clients in all (default 8: a quarter read, the rest write)
#   CONCURRENCY_THREADS  pgbench threads in all (default 2)
#   CONCURRENCY_SECONDS  duration (default 5)
#   CONCURRENCY_CUSTOMERS  size of the data set (default 2000, ~7000 events)
source "$(dirname "$0")/lib.sh"
CLIENTS=${CONCURRENCY_CLIENTS:-8}
THREADS=${CONCURRENCY_THREADS:-2}
SECONDS_RUN=${CONCURRENCY_SECONDS:-5}
CUSTOMERS=${CONCURRENCY_CUSTOMERS:-2000}
READERS=$((CLIENTS / 4 > 0 ? CLIENTS / 4 : 1))
WRITERS=$((CLIENTS - READERS > 0 ? CLIENTS - READERS : 1))
RTHREADS=$((THREADS / 2 > 0 ? THREADS / 2 : 1))
WTHREADS=$((THREADS - RTHREADS > 0 ? THREADS - RTHREADS : 1))
DB=cvfw_concurrency
export PGDATABASE=$DB

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
psql -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
psql -v customers="$CUSTOMERS" -v seed=7 -f "$STRESS_DIR/setup.sql"
psql -f "$STRESS_DIR/concurrency.sql"
contacts=$(q "SELECT max(id) FROM contacts")
events_before=$(q "SELECT count(*) FROM events")

crash_mark
# writers and readers side by side, each a pgbench of its own
"$PG_BINDIR/pgbench" -n -c "$WRITERS" -j "$WTHREADS" -T "$SECONDS_RUN" -D contacts="$contacts" \
	-f "$STRESS_DIR/pgbench/writer.sql" >"$work/writers.log" 2>&1 &
wpid=$!
"$PG_BINDIR/pgbench" -n -c "$READERS" -j "$RTHREADS" -T "$SECONDS_RUN" \
	-f "$STRESS_DIR/pgbench/reader.sql" >"$work/readers.log" 2>&1 &
rpid=$!
wrc=0
rrc=0
wait $wpid || wrc=$?
wait $rpid || rrc=$?

txns() { sed -n -E 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$1"; }
aborted() { grep -E 'aborted|fatal|ERROR' "$1" || true; }
wtx=$(txns "$work/writers.log")
rtx=$(txns "$work/readers.log")
accepted=$(q "SELECT last_value * is_called::int FROM moves_accepted")
changed=$(q "SELECT last_value * is_called::int FROM moves_changed")
rejected=$(q "SELECT last_value * is_called::int FROM moves_rejected")
audited=$(q "SELECT count(*) FROM stage_audit")
events_after=$(q "SELECT count(*) FROM events")
echo "concurrency: $WRITERS writers + $READERS readers ($THREADS threads) for ${SECONDS_RUN}s on $contacts contacts:" \
	"${wtx:-0} moves ($accepted accepted, $changed changing the stage, $rejected rejected with 23514)," \
	"${rtx:-0} report transactions"

verdict "no writer aborted (only 23514 was raised)" \
	"$([[ $wrc == 0 && -n $wtx && -z $(aborted "$work/writers.log") ]] && echo 0 || echo 1)" \
	"exit $wrc: $(aborted "$work/writers.log" | head -n 3)"
verdict "no reader aborted (the reports agreed with each other throughout)" \
	"$([[ $rrc == 0 && -n $rtx && -z $(aborted "$work/readers.log") ]] && echo 0 || echo 1)" \
	"exit $rrc: $(aborted "$work/readers.log" | head -n 3)"
other_errors=$(log_since_mark 'ERROR:' | head -n 5 || true)
verdict "the server logged no error" "$([[ -z $other_errors ]] && echo 0 || echo 1)" "$other_errors"
verdict "both paths ran: moves accepted and moves rejected" \
	"$([[ $changed -gt 0 && $rejected -gt 0 ]] && echo 0 || echo 1)" "$changed changed, $rejected rejected"
verdict "every accepted move stored its event ($accepted)" \
	"$([[ $((events_after - events_before)) == "$accepted" ]] && echo 0 || echo 1)" \
	"$((events_after - events_before)) events added"
verdict "every change was audited ($changed)" "$([[ $audited == "$changed" ]] && echo 0 || echo 1)" \
	"$audited audit rows"

invalid=$(q "SELECT count(*) FROM stage_audit
	WHERE old_stage <> new_stage AND NOT wheel_allows(cvfw_position(old_stage), cvfw_position(new_stage))")
# the text column's changes, NULLs in between: each new stage against the
# row's last stage before it (the guard's NULL rule), from its first one on
invalid_text=$(q "WITH chain AS (
	  SELECT id AS contact_id, 0::bigint AS n, stage_text AS t FROM contacts_initial
	  UNION ALL
	  SELECT contact_id, audit_id, new_text FROM stage_audit WHERE old_text IS DISTINCT FROM new_text),
	g AS (SELECT *, count(t) OVER (PARTITION BY contact_id ORDER BY n) AS grp FROM chain),
	e AS (SELECT *, first_value(t) OVER (PARTITION BY contact_id, grp ORDER BY n) AS last_stage FROM g),
	d AS (SELECT *, lag(last_stage) OVER (PARTITION BY contact_id ORDER BY n) AS before FROM e)
	SELECT count(*) FROM d
	WHERE t IS NOT NULL AND before IS NOT NULL AND position_of(before) <> position_of(t)
	  AND NOT strict_or_restart_allows(position_of(before), position_of(t))")
nulls=$(q "SELECT count(*) FROM stage_audit WHERE new_text IS NULL AND old_text IS NOT NULL")
verdict "no invalid transition stored" "$([[ $invalid == 0 && $invalid_text == 0 ]] && echo 0 || echo 1)" \
	"$invalid invalid in stage, $invalid_text in stage_text"
verdict "the text column went through NULLs ($nulls), no skip opened by them" "$([[ $nulls -gt 0 ]] && echo 0 || echo 1)" \
	"no change to NULL was made"
# each row's audit trail, in audit order, starts at the row's first stage,
# links each change's old value to the previous change's new one, and ends
# at the row's stored value: no change lost, none stored unaudited
broken=$(q "WITH a AS (
	  SELECT contact_id, old_stage, new_stage, old_text, new_text,
	         lag(new_stage) OVER w AS prev_stage, lag(new_text) OVER w AS prev_text,
	         row_number() OVER w AS n, count(*) OVER (PARTITION BY contact_id) AS changes
	  FROM stage_audit WINDOW w AS (PARTITION BY contact_id ORDER BY audit_id))
	SELECT count(*) FROM a JOIN contacts_initial i ON i.id = a.contact_id JOIN contacts c ON c.id = a.contact_id
	WHERE (n = 1 AND (old_stage <> i.stage OR old_text IS DISTINCT FROM i.stage_text))
	   OR (n > 1 AND (old_stage <> prev_stage OR old_text IS DISTINCT FROM prev_text))
	   OR (n = changes AND (new_stage <> c.stage OR new_text IS DISTINCT FROM c.stage_text))")
unaudited=$(q "SELECT count(*) FROM contacts c JOIN contacts_initial i USING (id)
	WHERE (c.stage <> i.stage OR c.stage_text IS DISTINCT FROM i.stage_text)
	  AND NOT EXISTS (SELECT FROM stage_audit a WHERE a.contact_id = c.id)")
verdict "each contact's audit trail chains from its first stage to its stored one" \
	"$([[ $broken == 0 && $unaudited == 0 ]] && echo 0 || echo 1)" "$broken broken links, $unaudited changed contacts without a trail"
# the guard's history capture recorded exactly the audited changes of stage
captured=$(q "SELECT count(*) FROM stage_history")
stage_changes=$(q "SELECT count(*) FROM stage_audit WHERE old_stage <> new_stage")
capture_diff=$(q "SELECT count(*) FROM (
	  (SELECT customer, stage FROM stage_history
	   EXCEPT ALL SELECT contact_id, new_stage FROM stage_audit WHERE old_stage <> new_stage)
	  UNION ALL
	  (SELECT contact_id, new_stage FROM stage_audit WHERE old_stage <> new_stage
	   EXCEPT ALL SELECT customer, stage FROM stage_history)) d")
verdict "history capture recorded every change of stage ($captured), and nothing else" \
	"$([[ $captured == "$stage_changes" && $capture_diff == 0 ]] && echo 0 || echo 1)" \
	"$captured captured, $stage_changes changes audited, $capture_diff differ"
evidence=$(crash_evidence)
verdict "the server did not crash" "$([[ -z $evidence ]] && echo 0 || echo 1)" "$evidence"
if [[ $failed != 0 ]]; then
	note "pgbench output (writers, then readers):"
	tail -n 15 "$work/writers.log" "$work/readers.log" >&2
fi
psql -d postgres -c "DROP DATABASE $DB"
summary concurrency
