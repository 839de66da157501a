#!/usr/bin/env bash
# lint.sh — static checks of rules the compiler and pg_regress cannot see.
# Prints TAP-ish lines and "lint: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
passed=0
failed=0
check() { # name, then a command that prints offending lines (none = pass)
	local name=$1 out
	shift
	out=$("$@" 2>&1)
	if [[ -z $out ]]; then
		passed=$((passed + 1))
		echo "ok - $name"
	else
		failed=$((failed + 1))
		echo "not ok - $name"
		sed 's/^/    /' <<<"$out"
	fi
}

# CREATE OR REPLACE would let a pre-created object hijack the install.  An
# upgrade part may replace an aggregate the extension already owns (the one
# way to change its support functions without breaking the views over it;
# PostgreSQL refuses to replace an object that is not a member)
check "install script: no CREATE OR REPLACE" \
	bash -c "grep -n -i 'or[[:space:]]\+replace' src/sql/*.sql src/sql/upgrade/*/*.sql | grep -v -E '^[^:]+:[0-9]+:[[:space:]]*--' |
		grep -v -i -E '^src/sql/upgrade/[^:]+:[0-9]+:CREATE[[:space:]]+OR[[:space:]]+REPLACE[[:space:]]+AGGREGATE[[:space:]]+@extschema@\.'"
# every object created lands in @extschema@, never wherever search_path says
check "install script: every CREATE names @extschema@" \
	bash -c "grep -n -i -E '^[[:space:]]*CREATE[[:space:]]+(FUNCTION|TYPE|OPERATOR|AGGREGATE|DOMAIN|TABLE|VIEW)' src/sql/*.sql src/sql/upgrade/*/*.sql |
		grep -v -i -E 'CREATE[[:space:]]+(OPERATOR[[:space:]]+(CLASS|FAMILY)[[:space:]]+)?[A-Z]*[[:space:]]*@extschema@\.'"
# the core must build and be tested without a server
check "src/core includes no PostgreSQL header" \
	grep -n -E '#include[[:space:]]+"(postgres|fmgr|utils/|access/|catalog/|nodes/)' src/core/*.c src/core/*.h
# version differences live in pg_compat.[ch] only, and every file of the
# PostgreSQL layer includes pg_compat.h right after postgres.h, so a header
# that moved between versions (varatt.h in 16) reaches every file
check "PG_VERSION_NUM only in src/pg/pg_compat.[ch]" \
	bash -c "grep -n PG_VERSION_NUM src/pg/*.[ch] | grep -v '^src/pg/pg_compat\.[ch]:'"
compat_first() {
	local f
	for f in src/pg/*.c; do
		awk -v f="$f" '/^#include/ { n++
			if ((n == 1 && $2 != "\"postgres.h\"") || (n == 2 && $2 != "\"pg_compat.h\"")) { print f ": " $0; exit } }' "$f"
	done
}
check "every src/pg/*.c includes pg_compat.h right after postgres.h" compat_first
# PGXN's META.json: valid JSON, naming the version the control file installs
meta_version() {
	local v
	v=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" cvfw.control)
	python3 -c 'import json, sys
m = json.load(open("META.json"))
bad = [k for k, got in (("version", m["version"]), ("provides.cvfw.version", m["provides"]["cvfw"]["version"])) if got != sys.argv[1]]
print("\n".join("META.json %s is not %s" % (k, sys.argv[1]) for k in bad))' "$v" 2>&1
}
check "META.json names the control file's version" meta_version
# a released version's script is frozen: while the control file names a
# released version, src/sql must still build exactly its script
released_unchanged() {
	local v f
	v=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" cvfw.control)
	f=src/sql/released/cvfw--$v.sql
	[[ -f $f && -f cvfw--$v.sql ]] || return 0
	cmp -s "cvfw--$v.sql" "$f" ||
		echo "$f is released, but src/sql builds something else: bump default_version and add an upgrade script"
}
check "released install scripts unchanged" released_unchanged
# documentation: links resolve, and the example events shown on several
# pages are the ones the tests load (test/data/readme_events.sql)
check "documentation links resolve" python3 test/harness/doc_links.py
same_example_events() {
	local want page got
	want=$(grep -v '^--' test/data/readme_events.sql)
	for page in README.md doc/*.md; do
		got=$(awk '/^CREATE TABLE crm_events /{p=1} p{print} p&&/;$/&&!/VALUES$/&&!/^CREATE/{if(++n==2)exit}' "$page")
		[[ -z $got || $got == "$want" ]] || echo "$page: its crm_events differ from test/data/readme_events.sql"
	done
}
check "example events the same on every page" same_example_events
echo "lint: $passed passed, $failed failed"
[[ $failed == 0 ]]
