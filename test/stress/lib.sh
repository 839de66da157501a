# lib.sh — shared by the stress scripts (sourced, not run).  They run
# against the cluster the PG* environment names (test/harness/run.sh, make
# check and make stress provide one); CVFW_SERVER_LOG, when set, is that
# server's log, searched for crashes.

set -euo pipefail
STRESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PG_BINDIR=${PG_BINDIR:-$(dirname "$(command -v psql)")}
# no "does not exist, skipping" notices in the output
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

# cdnow_csv: the CDNOW summary, for the model fits in setup.sql
psql() {
	"$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 \
		-v cdnow_csv="$STRESS_DIR/../data/cdnow/cdnow_customers_summary_with_transactions.csv" "$@"
}
# one value from a query
q() { psql -At -c "$1" "${@:2}"; }
note() { printf '%s\n' "$*" >&2; }

# verdict and summary
source "$STRESS_DIR/../harness/tap.sh"

# A Debian package a test needs: as root with apt-get, install it; else the
# caller skips its test with a message saying what to install.
ensure_package() { # command, package
	command -v "$1" >/dev/null && return 0
	if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
		note "installing $2 with apt-get"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1 ||
			{ apt-get update -q >/dev/null 2>&1 &&
				DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1; } || true
	fi
	command -v "$1" >/dev/null
}

# Crash detection.  A backend that dies of a signal makes the postmaster
# kill every other backend and restart all its children: the checkpointer
# gets a new pid (pg_stat_activity shows it on PG 10+), and the log says
# "terminated by signal".  Remember both before a test, compare after.
crash_mark() {
	CRASH_CHECKPOINTER=$(q "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'" -d postgres)
	CRASH_LOG_BYTES=0
	if [[ -n ${CVFW_SERVER_LOG:-} && -r ${CVFW_SERVER_LOG:-} ]]; then
		CRASH_LOG_BYTES=$(stat -c %s "$CVFW_SERVER_LOG")
	fi
}
# new server log lines since crash_mark matching an extended regex
log_since_mark() { # regex
	[[ -n ${CVFW_SERVER_LOG:-} && -r ${CVFW_SERVER_LOG:-} ]] || return 0
	tail -c +$((CRASH_LOG_BYTES + 1)) "$CVFW_SERVER_LOG" | grep -E "$1" || true
}
# prints what shows a crash since crash_mark; nothing when there was none
crash_evidence() {
	local now
	# the postmaster may still be restarting: give it a moment
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		now=$(q "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'" -d postgres 2>/dev/null) && break
		sleep 1
	done
	[[ $now == "$CRASH_CHECKPOINTER" ]] ||
		echo "the checkpointer was restarted (pid ${CRASH_CHECKPOINTER:-?} -> ${now:-none}): the server crashed"
	log_since_mark 'terminated by signal|server process .* was terminated|was terminated by exception|PANIC:'
}
# the resident memory figures of a process, in kB: VmRSS VmHWM RssAnon
proc_mem_kb() { # pid
	awk '/^(VmRSS|VmHWM|RssAnon):/ {v[$1] = $2} END {print v["VmRSS:"], v["VmHWM:"], v["RssAnon:"]}' \
		"/proc/$1/status"
}
