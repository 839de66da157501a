# tap.sh — sourced by the test scripts that make check counts: a pass/fail
# line per check in the TAP-ish style of lint.sh, and the summary line
# "<name>: N passed, N failed" that check.sh's count_summary reads.
passed=0
failed=0
verdict() { # name, condition (0 = pass) [, detail]
	if [[ $2 == 0 ]]; then
		passed=$((passed + 1))
		echo "ok - $1"
	else
		failed=$((failed + 1))
		echo "not ok - $1${3:+: $3}"
	fi
}
summary() { # name
	echo "$1: $passed passed, $failed failed"
	[[ $failed == 0 ]]
}
