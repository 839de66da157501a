#!/usr/bin/env bash
# check.sh — `make check`: build, install, run the C unit tests and the
# pg_regress suite on a throwaway cluster, end with "N passed, N failed".
#
# CVFW_CHECK_SCOPE=server (`make check-server`) runs only what depends on
# the server version — the build, the load test, pg_regress, dump/restore
# and the upgrades — as CI does on each server of its matrix; the static
# checks, unit, fuzz, stress and JDBC tests do not change with the server.
source "$(dirname "$0")/lib.sh"

scope=${CVFW_CHECK_SCOPE:-full}
[[ $scope == full || $scope == server ]] || die "CVFW_CHECK_SCOPE=$scope: full or server"

find_pg_config
ensure_build_deps
build_and_install

passed=0
failed=0

# add a runner's "<what>: N passed, N failed" line to the totals
count_summary() { # what, output
	local line
	printf '%s\n' "$2" | grep -v '^ok ' || true
	if line=$(printf '%s\n' "$2" | grep -E "^$1: [0-9]+ passed, [0-9]+ failed\$"); then
		passed=$((passed + $(sed -E 's/^[a-z]+: ([0-9]+) passed.*/\1/' <<<"$line")))
		failed=$((failed + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")))
	else
		say "the $1 runner did not finish"
		failed=$((failed + 1))
	fi
}

if [[ $scope == full ]]; then
say "static checks"
count_summary lint "$(bash "$ROOT/test/harness/lint.sh" 2>&1)"

say "C unit tests"
"$MAKE" -C "$ROOT" --no-print-directory -s unit
count_summary unit "$("$ROOT/test/unit/run_unit" 2>&1)"

# every parser and deserialiser of the core, a few seconds each (CI and
# `make fuzz-run FUZZ_SECONDS=...` run longer)
if fuzz_cc=$(find_fuzz_cc); then
	say "fuzz smoke (${CVFW_FUZZ_SMOKE_SECONDS:-3}s per target)"
	count_summary fuzz "$("$MAKE" -C "$ROOT" --no-print-directory -s fuzz-run FUZZ_CC="$fuzz_cc" \
		FUZZ_SECONDS="${CVFW_FUZZ_SMOKE_SECONDS:-3}" 2>&1)"
else
	say "skipping the fuzz smoke: no clang with libFuzzer (apt-get install clang)"
fi
fi # scope full

start_cluster

# the built library loads (no undefined symbol) before anything uses it
say "load test ($("$PG_CONFIG" --version))"
count_summary load "$(bash "$ROOT/test/harness/load.sh" 2>&1)"

# pg_regress through PGXS's installcheck, against our own cluster
say "pg_regress"
rm -f "$ROOT/regression.diffs"
rc=0
regress_out=$("$MAKE" -C "$ROOT" --no-print-directory PG_CONFIG="$PG_CONFIG" installcheck 2>&1) || rc=$?
printf '%s\n' "$regress_out"
# PG <= 15 prints "test name ... ok", PG 16+ prints TAP "ok 1 - name"
ok=$(grep -cE '^(test .*\.\.\. ok|ok [0-9]+ )' <<<"$regress_out" || true)
bad=$(grep -cE '(\.\.\. FAILED|^not ok [0-9]+ |\.\.\. failed)' <<<"$regress_out" || true)
if [[ $rc != 0 && $bad == 0 ]]; then
	say "pg_regress did not run its tests (exit $rc)"
	show_server_log
	bad=1
fi
passed=$((passed + ok))
failed=$((failed + bad))
if [[ -s $ROOT/regression.diffs ]]; then
	say "regression.diffs (first 300 lines):"
	head -n 300 "$ROOT/regression.diffs"
	show_server_log_if_crashed
fi

# dump and restore of a database using every cvfw object, on the same cluster
say "dump and restore"
count_summary dump "$(bash "$ROOT/test/dump/dump_restore.sh" 2>&1)"

# every released version updated to this one equals a fresh install
say "upgrades"
count_summary upgrade "$(bash "$ROOT/test/upgrade/upgrade.sh" 2>&1)"

if [[ $scope == full ]]; then
# the short forms of the stress tests (test/stress; make stress runs the
# long ones): the unit tests under valgrind, random queries from sqlsmith,
# writers under the guard trigger against readers, backend memory over
# repeated reports, cvfw_flow_by_customer within work_mem (serial and
# parallel), live tracking's summaries against the batch ones after a random
# concurrent workload, an immediate stop and a dump and restore
for stress in valgrind sqlsmith concurrency memory bycustomer live; do
	say "stress: $stress"
	count_summary "$stress" "$(bash "$ROOT/test/stress/$stress.sh" 2>&1)"
done

# the BI reports through a real JDBC driver (test/jdbc; its own cluster,
# on TCP); skipped, counting nothing, when Java cannot be had
say "JDBC"
count_summary jdbc "$(bash "$ROOT/test/jdbc/run.sh" 2>&1)"
fi # scope full

echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
