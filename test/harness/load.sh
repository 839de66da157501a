#!/usr/bin/env bash
# load.sh — the installed cvfw library loads into the server the PG*
# environment names (make check / check-server run it before the suite).
# PostgreSQL opens a library with RTLD_NOW: every symbol must resolve at
# load, so a build against the wrong headers (say a varlena macro missing
# on 16+, compiled as a call to an undeclared function) fails here with
# "undefined symbol" instead of at a user's CREATE EXTENSION.  To show the
# check can fail, a canary library with an undefined symbol must be refused.
# Prints "load: N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tap.sh"
bin=${PG_BINDIR:+$PG_BINDIR/}
work=$(mktemp -d /tmp/cvfw-load.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
psql_q() { PGOPTIONS="-c client_min_messages=warning" "${bin}psql" -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }

# the library itself, in a fresh backend
out=$(psql_q -c "LOAD '\$libdir/cvfw'" 2>&1)
verdict "load: \$libdir/cvfw loads ($("${PG_CONFIG:-pg_config}" --version))" $? "$out"

# and the extension installs and answers in a scratch database
out=$({ psql_q -c 'DROP DATABASE IF EXISTS cvfw_load' -c 'CREATE DATABASE cvfw_load' &&
	PGOPTIONS="-c client_min_messages=warning" "${bin}psql" -X -q -A -t -v ON_ERROR_STOP=1 -d cvfw_load \
		-c 'CREATE EXTENSION cvfw' -c "SELECT cvfw_next('engagement')" &&
	psql_q -c 'DROP DATABASE cvfw_load'; } 2>&1)
[[ $out == awareness ]]
verdict "load: CREATE EXTENSION cvfw and a first call" $? "$out"

# the canary: same headers, one call to a function nobody defines
cat >"$work/canary.c" <<'EOF'
#include "postgres.h"
#include "fmgr.h"
PG_MODULE_MAGIC;
extern void cvfw_canary_undefined(void);
extern PGDLLEXPORT void _PG_init(void);
void _PG_init(void) { cvfw_canary_undefined(); }
EOF
if ${CC:-cc} -fPIC -shared -I"$("${PG_CONFIG:-pg_config}" --includedir-server)" \
	-o "$work/canary.so" "$work/canary.c" >"$work/cc.log" 2>&1; then
	chmod 644 "$work/canary.so"
	out=$(psql_q -c "LOAD '$work/canary.so'" 2>&1)
	grep -q 'undefined symbol: cvfw_canary_undefined' <<<"$out"
	verdict "load: a library with an undefined symbol is refused" $? "$out"
else
	verdict "load: the canary library compiles" 1 "$(cat "$work/cc.log")"
fi
summary load
