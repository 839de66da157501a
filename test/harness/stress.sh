#!/usr/bin/env bash
# stress.sh — `make stress [STRESS="sqlsmith concurrency memory valgrind bycustomer live"]`:
# build, install, run the long forms of the stress tests test/stress/<name>.sh
# on a throwaway cluster, print their figures (also kept in
# test/stress/out/<name>.txt), end with "N passed, N failed".  Sizes and
# durations come from the scripts' environment variables; the defaults
# here are the long forms (make check runs the scripts' own short defaults).
source "$(dirname "$0")/lib.sh"

export SQLSMITH_QUERIES=${SQLSMITH_QUERIES:-40000}
export SQLSMITH_SEED=${SQLSMITH_SEED:-2}
export CONCURRENCY_SECONDS=${CONCURRENCY_SECONDS:-180}
export CONCURRENCY_CUSTOMERS=${CONCURRENCY_CUSTOMERS:-20000}
export MEMORY_CUSTOMERS=${MEMORY_CUSTOMERS:-500000}
export MEMORY_ROUNDS=${MEMORY_ROUNDS:-10}
export BYCUSTOMER_EVENTS=${BYCUSTOMER_EVENTS:-100000000}
export BYCUSTOMER_WORK_MEM=${BYCUSTOMER_WORK_MEM:-64MB}
export BYCUSTOMER_TWO_LEVEL=${BYCUSTOMER_TWO_LEVEL:-0}
export LIVE_CLIENTS=${LIVE_CLIENTS:-8}
export LIVE_SECONDS=${LIVE_SECONDS:-60}
export LIVE_CUSTOMERS=${LIVE_CUSTOMERS:-4000}

find_pg_config
ensure_build_deps
build_and_install
start_cluster
mkdir -p "$ROOT/test/stress/out"
passed=0
failed=0
for name in ${STRESS:-valgrind sqlsmith concurrency memory bycustomer live}; do
	[[ -f $ROOT/test/stress/$name.sh ]] || die "no stress test $name (test/stress/$name.sh)"
	say "stress test $name"
	out=$ROOT/test/stress/out/$name.txt
	bash "$ROOT/test/stress/$name.sh" 2>&1 | tee "$out" || true
	if line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed\$" "$out"); then
		passed=$((passed + $(sed -E 's/^[a-z]+: ([0-9]+) passed.*/\1/' <<<"$line")))
		failed=$((failed + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")))
	else
		say "the $name stress test did not finish"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
