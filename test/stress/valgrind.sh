#!/usr/bin/env bash
# valgrind.sh — the C unit tests of the core under valgrind's memcheck: no
# invalid read or write, no use of uninitialised memory, no leak.  Needs no
# server.  Prints "valgrind: N passed, N failed".
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$STRESS_DIR/../.." && pwd)
if ! ensure_package valgrind valgrind; then
	echo "valgrind is not installed: skipping the memory check of the unit tests (apt-get install valgrind)"
	summary valgrind
	exit
fi
"${MAKE:-make}" -C "$ROOT" --no-print-directory -s unit
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0
CVFW_UNIT_SLOW=1 valgrind -q --error-exitcode=99 --leak-check=full --log-file="$log" "$ROOT/test/unit/run_unit" >/dev/null || rc=$?
# 99: valgrind found errors; anything else non-zero: a unit test failed
verdict "the unit tests pass under valgrind" "$([[ $rc == 0 || $rc == 99 ]] && echo 0 || echo 1)" "exit $rc"
verdict "valgrind reports no memory error or leak" "$([[ $rc != 99 && ! -s $log ]] && echo 0 || echo 1)" \
	"$(head -n 20 "$log")"
summary valgrind
