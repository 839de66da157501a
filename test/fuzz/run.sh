#!/usr/bin/env bash
# run.sh SECONDS TARGET...: run each built libFuzzer target (test/fuzz/bin/)
# for SECONDS, seeded from test/fuzz/corpus/<target>; inputs it finds go to
# test/fuzz/corpus-run/<target> (not the repository).  Prints a TAP line per
# target with the number of inputs it survived, then "fuzz: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
seconds=$1
shift
passed=0
failed=0
for t in "$@"; do
	mkdir -p "corpus-run/$t"
	log=corpus-run/$t.log
	bin/"$t" -max_total_time="$seconds" -print_final_stats=1 "corpus-run/$t" "corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [[ $rc == 0 ]]; then
		passed=$((passed + 1))
		echo "ok - fuzz $t: ${runs:-?} inputs in ${seconds}s, no failure"
	else
		failed=$((failed + 1))
		echo "not ok - fuzz $t (exit $rc; log test/fuzz/$log):"
		grep -v '^#' "$log" | tail -n 40 | sed 's/^/    /'
	fi
done
echo "fuzz: $passed passed, $failed failed"
[[ $failed == 0 ]]
