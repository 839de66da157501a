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
		psql_q -d cvfw_upgrade_old -f "$here/catalog.sql" >"$work/old.txt"
		diff -u "$work/fresh.txt" "$work/old.txt" >"$work/diff.txt" || ok=1
		[[ $ok == 0 ]] || head -n 40 "$work/diff.txt" | sed 's/^/    /'
	fi
	verdict "upgrade: $old updated via ${steps[*]:-nothing} equals a fresh $current" $ok
	psql_q -d postgres -c 'DROP DATABASE cvfw_upgrade_old' >/dev/null
done
[[ $released == 0 ]] && echo "# upgrade: no released version before $current yet: nothing to update from"
psql_q -d postgres -c 'DROP DATABASE cvfw_upgrade_fresh' >/dev/null
summary upgrade
