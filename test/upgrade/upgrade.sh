#!/usr/bin/env bash
# upgrade.sh — for every released version (its frozen install script is in
# src/sql/released/), install it, update step by step along the upgrade
# scripts (frozen in src/sql/released/, or built from src/sql/upgrade/A--B/;
# read from where they are installed) to the current version, and compare every
# object and property (catalog.sql) with a fresh install of the current
# version.  Also checks that the comparison sees a difference when there is
# one.  Runs against the server the PG* environment names, with this build
# installed.  Prints "upgrade: N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${PG_BINDIR:+$PG_BINDIR/}
work=$(mktemp -d /tmp/cvfw-upgrade.XXXXXX)
trap 'rm -rf "$work"' EXIT
source "$here/../harness/tap.sh"
psql_q() { PGOPTIONS="-c client_min_messages=warning" "${bin}psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
fresh_db() { psql_q -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null; }
cd "$root" # values.sql reads test/data
extdir=$("${PG_CONFIG:-pg_config}" --sharedir)/extension
current=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$root/cvfw.control")

fresh_db cvfw_upgrade_fresh
psql_q -d cvfw_upgrade_fresh -c 'CREATE EXTENSION cvfw' &&
	psql_q -d cvfw_upgrade_fresh -f "$here/catalog.sql" >"$work/fresh.txt"
verdict "upgrade: fresh install of $current described ($(wc -l <"$work/fresh.txt") lines)" $?

# the comparison notices a changed property
fresh_db cvfw_upgrade_changed
psql_q -d cvfw_upgrade_changed -c 'CREATE EXTENSION cvfw' \
	-c 'ALTER FUNCTION cvfw_next(cvfw_stage) VOLATILE' &&
	psql_q -d cvfw_upgrade_changed -f "$here/catalog.sql" >"$work/changed.txt"
! cmp -s "$work/fresh.txt" "$work/changed.txt"
verdict "upgrade: the comparison sees a function made VOLATILE" $?
psql_q -d postgres -c 'DROP DATABASE cvfw_upgrade_changed' >/dev/null

# the next version after $1 along the installed upgrade scripts, if any
next_version() {
	local f
	for f in "$extdir"/cvfw--"$1"--*.sql; do
		[[ -f $f ]] || continue
		f=${f##*/cvfw--"$1"--}
		echo "${f%.sql}"
		return 0
	done
	return 1
}

released=0
for script in "$root"/src/sql/released/cvfw--*.sql; do
	[[ -f $script ]] || continue
	old=${script##*/cvfw--}
	old=${old%.sql}
	[[ $old == *--* ]] && continue # a frozen upgrade script, not a version
	[[ $old == "$current" ]] && continue
	released=$((released + 1))
	fresh_db cvfw_upgrade_old
	steps=()
	v=$old
	ok=0
	psql_q -d cvfw_upgrade_old -c "CREATE EXTENSION cvfw VERSION '$old'" || ok=1
	# what a user of $old keeps, and its answers before the update
	psql_q -d cvfw_upgrade_old -f "$here/values.sql" >"$work/values.log" 2>&1
	verdict "upgrade: values stored with $old (values.sql)" $? "$(head -n 5 "$work/values.log")"
	read_answers() { "${bin}psql" -X -d cvfw_upgrade_old -f "$here/answers.sql" >"$work/$1.txt" 2>&1; }
	read_answers before
	# the reading is worth comparing only if it read everything: no error
	# but the guard's four refusals, the 0.1.0 bytes equal to a fresh summary
	errors=$(grep -c 'ERROR' "$work/before.txt")
	refusals=$(grep -c 'ERROR:  23514$' "$work/before.txt")
	[[ $errors == 4 && $refusals == 4 ]]
	verdict "upgrade: $old answers read in full, the guard refusing 4 changes with 23514" $? \
		"$(grep ERROR "$work/before.txt" | grep -v 23514 | head -n 5)"
	[[ $(grep -c 'fixture equals live: true' "$work/before.txt") == 2 ]]
	verdict "upgrade: flows as the 0.1.0 library wrote them read like flows built now" $? \
		"$(grep 'fixture equals' "$work/before.txt")"
	# stored models and a user's view over them, as 0.1.0 wrote them: they
	# must read, score alike (to 10 digits) and dump after the update
	psql_q -d cvfw_upgrade_old -f "$here/stored_models.sql" >/dev/null || ok=1
	psql_q -d cvfw_upgrade_old -c 'SELECT * FROM stored_scores' >"$work/stored_before.txt" || ok=1
	# a user's view over an aggregate that an update replaces in place
	# (cvfw_flow_by_customer in 0.2.0) must survive it and read the same
	psql_q -d cvfw_upgrade_old -c "CREATE SCHEMA user_side" \
		-c "CREATE VIEW user_side.report AS SELECT cvfw_flow_by_customer(c::int8 % 700, cvfw_stage(1 + c % 6),
		      '2026-01-01'::timestamptz + c * interval '1 hour', c::float8)::text AS f FROM generate_series(1, 5000) c" || ok=1
	view_before=$(psql_q -d cvfw_upgrade_old -At -c "SELECT md5(f) FROM user_side.report")
	while [[ $ok == 0 && $v != "$current" ]]; do
		if ! v=$(next_version "$v"); then
			echo "    no upgrade script from ${steps[-1]:-$old} towards $current"
			ok=1
			break
		fi
		steps+=("$v")
		psql_q -d cvfw_upgrade_old -c "ALTER EXTENSION cvfw UPDATE TO '$v'" || ok=1
	done
	view_after=$(psql_q -d cvfw_upgrade_old -At -c "SELECT md5(f) FROM user_side.report" 2>&1)
	verdict "upgrade: a view over cvfw_flow_by_customer made under $old reads the same after the update" \
		"$([[ -n $view_before && $view_after == "$view_before" ]] && echo 0 || echo 1)" "$view_before -> $view_after"
	psql_q -d cvfw_upgrade_old -c "DROP SCHEMA user_side CASCADE" >/dev/null || ok=1
	if [[ $ok == 0 ]]; then
		read_answers after
		diff -u "$work/before.txt" "$work/after.txt" >"$work/answers.diff"
		verdict "upgrade: $old stored values give the same answers after the update ($(wc -l <"$work/after.txt") lines)" $? \
			"$(head -n 40 "$work/answers.diff")"
		psql_q -d cvfw_upgrade_old -f "$here/catalog.sql" >"$work/old.txt"
		diff -u "$work/fresh.txt" "$work/old.txt" >"$work/diff.txt" || ok=1
		[[ $ok == 0 ]] || head -n 40 "$work/diff.txt" | sed 's/^/    /'
	fi
	verdict "upgrade: $old updated via ${steps[*]:-nothing} equals a fresh $current" $ok
	stored=1
	if [[ $ok == 0 ]] &&
		psql_q -d cvfw_upgrade_old -c 'SELECT * FROM stored_scores' >"$work/stored_after.txt" &&
		cmp -s "$work/stored_before.txt" "$work/stored_after.txt" &&
		psql_q -d cvfw_upgrade_old -c 'SELECT cvfw_bgnbd_probability(bg, 0, 39) > 0 FROM stored_models' >/dev/null; then
		fresh_db cvfw_upgrade_restored
		"${bin}pg_dump" -Fc -d cvfw_upgrade_old -f "$work/stored.dump" &&
			"${bin}pg_restore" --exit-on-error -d cvfw_upgrade_restored "$work/stored.dump" &&
			psql_q -d cvfw_upgrade_restored -c 'SELECT * FROM stored_scores' >"$work/stored_restored.txt" &&
			cmp -s "$work/stored_before.txt" "$work/stored_restored.txt" && stored=0
		psql_q -d postgres -c 'DROP DATABASE cvfw_upgrade_restored' >/dev/null
	fi
	[[ $stored == 0 ]] || diff "$work/stored_before.txt" "$work/stored_after.txt" 2>/dev/null | sed 's/^/    /'
	verdict "upgrade: $old's stored models and a view over them read, score and dump alike after the update" $stored
	psql_q -d postgres -c 'DROP DATABASE cvfw_upgrade_old' >/dev/null
done
[[ $released == 0 ]] && echo "# upgrade: no released version before $current yet: nothing to update from"
psql_q -d postgres -c 'DROP DATABASE cvfw_upgrade_fresh' >/dev/null
summary upgrade
