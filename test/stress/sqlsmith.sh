#!/usr/bin/env bash
# sqlsmith.sh — random queries against a populated database with cvfw:
# SQLSMITH_QUERIES queries (default 1000) from sqlsmith with seed
# SQLSMITH_SEED (default 1), as a non-superuser that may read and write the
# CRM tables (so it cannot reach the admin functions, as a CRM user could
# not).  sqlsmith's own query errors are expected — it generates junk on
# purpose; a crashed server, a sqlsmith that does not finish, or data the
# queries could not have changed coming out different, fail.  Prints
# "sqlsmith: N passed, N failed" and the figures.
source "$(dirname "$0")/lib.sh"
QUERIES=${SQLSMITH_QUERIES:-1000}
SEED=${SQLSMITH_SEED:-1}
CUSTOMERS=${SQLSMITH_CUSTOMERS:-2000}
# SQLSMITH_KEEP=dir keeps sqlsmith's log (its error summary) and the queries
KEEP=${SQLSMITH_KEEP:-}
# a bound on the whole run, so a hung sqlsmith fails instead of waiting
LIMIT=${SQLSMITH_TIMEOUT:-$((120 + QUERIES / 10))}
DB=cvfw_sqlsmith

if ! ensure_package sqlsmith sqlsmith; then
	echo "sqlsmith is not installed: skipping the random query test (apt-get install sqlsmith)"
	summary sqlsmith
	exit
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
psql -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
psql -d $DB -v customers="$CUSTOMERS" -v seed=42 -f "$STRESS_DIR/setup.sql"
# the role sqlsmith connects as: may read and write the CRM data, no more;
# a statement timeout keeps the occasional huge join from eating the run
psql -d $DB <<SQL
SET client_min_messages = warning;
DROP ROLE IF EXISTS cvfw_smith;
CREATE ROLE cvfw_smith LOGIN;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cvfw_smith;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO cvfw_smith;
ALTER ROLE cvfw_smith SET statement_timeout = '2s';
SQL
# a copy made after the grants, which sqlsmith may not touch: a report over
# it must come out the same after the run
psql -d $DB -c "CREATE TABLE private_events AS SELECT * FROM events"
report="SELECT md5(string_agg(l::text, '|')) FROM cvfw_leakage((SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost) FROM private_events)) l"
before=$(q "$report" -d $DB)

crash_mark
start=$(date +%s)
rc=0
timeout "$LIMIT" sqlsmith --target="host=$PGHOST port=$PGPORT dbname=$DB user=cvfw_smith" \
	--seed="$SEED" --max-queries="$QUERIES" --exclude-catalog --dump-all-queries --verbose \
	>"$work/queries.sql" 2>"$work/sqlsmith.log" || rc=$?
secs=$(($(date +%s) - start))

# figures: queries run (sqlsmith's count), how many name a cvfw function,
# type or aggregate (more reach cvfw through the columns of its types),
# how many the server ran without error (a "." in sqlsmith's progress lines)
ran=$(sed -n -E 's/^queries: ([0-9]+).*/\1/p' "$work/sqlsmith.log" | tail -n 1)
with_cvfw=$(awk 'BEGIN {RS = ";\n"} /cvfw_/ {n++} END {print n + 0}' "$work/queries.sql")
ok=$(grep -E '^[.A-Za-z]+$' "$work/sqlsmith.log" | tr -cd '.' | wc -c)
echo "sqlsmith: ${ran:-0} queries in ${secs}s (seed $SEED, $CUSTOMERS customers), ${with_cvfw} naming a cvfw object, $ok ran without error"

verdict "sqlsmith ran its $QUERIES queries" \
	"$([[ $rc == 0 && ${ran:-0} -ge $QUERIES ]] && echo 0 || echo 1)" "exit $rc, ${ran:-0} queries"
[[ $rc == 0 ]] || tail -n 20 "$work/sqlsmith.log"
evidence=$(crash_evidence)
verdict "the server did not crash" "$([[ -z $evidence ]] && echo 0 || echo 1)" "$evidence"
if [[ -n $evidence ]]; then
	# the statements the crashed backends were running
	log_since_mark 'Failed process was running' | head -n 20
	cp "$work/queries.sql" "${TMPDIR:-/tmp}/cvfw-sqlsmith-queries.sql"
	note "the queries sqlsmith sent are kept in ${TMPDIR:-/tmp}/cvfw-sqlsmith-queries.sql"
fi
after=$(q "$report" -d $DB 2>&1 || true)
verdict "a report over data sqlsmith could not reach is unchanged" \
	"$([[ $after == "$before" ]] && echo 0 || echo 1)" "$before -> $after"
if [[ -n $KEEP ]]; then
	mkdir -p "$KEEP"
	cp "$work/queries.sql" "$work/sqlsmith.log" "$KEEP/"
fi
psql -d postgres -c "DROP DATABASE $DB" -c "DROP ROLE cvfw_smith"
summary sqlsmith
