# lib.sh — shared by check.sh, demo.sh and bench.sh (sourced, not run).
#
# Finds PostgreSQL, installs what is missing (as root, with apt-get) or says
# exactly what to install, builds and installs cvfw through the Makefile, and
# runs a throwaway cluster: a temp dir, a unix socket only, a high port, the
# server run as the `postgres` user when we are root (PostgreSQL refuses
# root).  The cluster and its temp dir go away on exit, also on failure.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MAKE=${MAKE:-make}
CVFW_TMP=""
CVFW_STARTED=0
RUNAS=()

say() { printf 'cvfw: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
is_root() { [[ $(id -u) -eq 0 ]]; }

# PG_CONFIG: as given, else the newest installed server's, else PATH's.
find_pg_config() {
	if [[ -n ${PG_CONFIG:-} ]]; then
		command -v "$PG_CONFIG" >/dev/null || die "PG_CONFIG=$PG_CONFIG: no such program"
	else
		local d
		for d in $(ls -dv /usr/lib/postgresql/*/ 2>/dev/null | sed "s:/$::" | tac); do
			if [[ -x $d/bin/postgres && -x $d/bin/pg_config ]]; then
				PG_CONFIG=$d/bin/pg_config
				break
			fi
		done
		[[ -n ${PG_CONFIG:-} ]] || PG_CONFIG=$(command -v pg_config || true)
	fi
	[[ -n ${PG_CONFIG:-} ]] || die "no PostgreSQL found. Install the server, e.g.: apt-get install postgresql-15"
	PG_MAJOR=$("$PG_CONFIG" --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/')
	PG_BINDIR=$("$PG_CONFIG" --bindir)
	export PG_CONFIG PG_MAJOR PG_BINDIR
}

apt_install() {
	local log=$1
	shift
	say "installing $* with apt-get"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$log" 2>&1; then
		# a fresh machine may have no package lists yet
		apt-get update -q >>"$log" 2>&1 || return 1
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$log" 2>&1
	fi
}

# The server itself, a C compiler, make, and the server headers (PGXS).
ensure_build_deps() {
	[[ -x $PG_BINDIR/postgres ]] ||
		die "no PostgreSQL server in $PG_BINDIR. Install it: apt-get install postgresql-$PG_MAJOR"
	command -v "${CC:-gcc}" >/dev/null || command -v cc >/dev/null ||
		die "no C compiler. Install one: apt-get install gcc"
	# Debian ships pgxs.mk with the client; the headers are what is missing
	local header
	header=$("$PG_CONFIG" --includedir-server)/postgres.h
	[[ -f $header ]] && return 0
	local pkg=postgresql-server-dev-$PG_MAJOR
	if is_root && command -v apt-get >/dev/null; then
		local log ver
		log=$(mktemp /tmp/cvfw-apt.XXXXXX.log)
		# the headers of exactly the installed server, so the server is not upgraded
		ver=$(dpkg-query -W -f='${Version}' "postgresql-$PG_MAJOR" 2>/dev/null || true)
		if ! { [[ -n $ver ]] && apt_install "$log" "$pkg=$ver"; } && ! apt_install "$log" "$pkg"; then
			tail -n 20 "$log" >&2
			die "could not install $pkg (log: $log). Install it by hand: apt-get install $pkg"
		fi
		rm -f "$log"
		[[ -f $header ]] || die "$pkg is installed but $header is still missing"
	else
		die "the PostgreSQL $PG_MAJOR server headers are missing ($header). Install them: sudo apt-get install $pkg (make check and make demo run as root install them themselves)"
	fi
}

# Several checkouts on one machine may share a server's extension
# directory: one at a time installs and tests into it (the lock, one per
# installation, is held until the script exits; test/harness/locked.sh takes
# it for a command of your own).  Checkouts testing against different
# servers (PG_CONFIG) do not wait for each other.
take_install_lock() {
	[[ -n ${CVFW_INSTALL_LOCKED:-} ]] && return 0
	command -v flock >/dev/null || return 0
	local lock
	lock=/tmp/cvfw-install-$("${PG_CONFIG:-pg_config}" --pkglibdir | cksum | cut -d' ' -f1).lock
	exec 9>>"$lock"
	chmod a+rw "$lock" 2>/dev/null || true
	flock 9 || die "could not lock $lock"
	export CVFW_INSTALL_LOCKED=1
}

# Build everything and install it into the server's directories.
build_and_install() {
	take_install_lock
	say "building (PostgreSQL $PG_MAJOR, $PG_CONFIG)"
	"$MAKE" -C "$ROOT" --no-print-directory -s PG_CONFIG="$PG_CONFIG" all
	local libdir
	libdir=$("$PG_CONFIG" --pkglibdir)
	if [[ -w $libdir ]]; then
		"$MAKE" -C "$ROOT" --no-print-directory -s PG_CONFIG="$PG_CONFIG" install >/dev/null
	elif [[ -f $libdir/cvfw.so ]] && cmp -s "$ROOT"/cvfw--*.sql "$("$PG_CONFIG" --sharedir)/extension/$(cd "$ROOT" && ls cvfw--*.sql)"; then
		say "cannot write $libdir: testing the cvfw installed there (its SQL script is this build's;"
		say "if you changed C code since it was installed, run 'sudo make install' first)"
	else
		die "installing needs write access to $libdir: run 'sudo make install', then this again (or run it as root)"
	fi
}

cleanup_cluster() {
	local rc=$?
	if [[ $CVFW_STARTED == 1 ]]; then
		"${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$CVFW_TMP/data" -m immediate -s stop >/dev/null 2>&1 || true
	fi
	[[ -n $CVFW_TMP ]] && rm -rf "$CVFW_TMP"
	return $rc
}

# The tail of the throwaway server's log, for when something went wrong
# beyond a test's own output (a crash, a refused connection).
show_server_log() {
	say "last lines of the server log:"
	tail -n 25 "$CVFW_TMP/server.log" >&2 || true
}

# ... shown when a backend crashed: a crash shows in the log, not in a diff
show_server_log_if_crashed() {
	grep -q -E 'terminated by signal|server process .* was terminated' "$CVFW_TMP/server.log" &&
		show_server_log
	return 0
}

# Start a throwaway cluster; exports PGHOST PGPORT PGUSER PGDATABASE CVFW_SERVER_LOG.
start_cluster() {
	CVFW_TMP=$(mktemp -d /tmp/cvfw.XXXXXX)
	trap cleanup_cluster EXIT
	trap 'exit 130' INT TERM
	if is_root; then
		id postgres >/dev/null 2>&1 ||
			die "PostgreSQL will not run as root and there is no 'postgres' user to run it as (useradd --system postgres)"
		chown postgres "$CVFW_TMP"
		RUNAS=(runuser -u postgres --)
	fi
	# only a unix socket in our own dir: the port just names the socket
	PGPORT=${CVFW_PGPORT:-$((50000 + RANDOM % 10000))}
	if ! "${RUNAS[@]}" "$PG_BINDIR/initdb" -D "$CVFW_TMP/data" -U postgres -A trust \
		-E UTF8 --no-locale --no-sync >"$CVFW_TMP/initdb.log" 2>&1; then
		cat "$CVFW_TMP/initdb.log" >&2
		die "initdb failed"
	fi
	if ! "${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$CVFW_TMP/data" -l "$CVFW_TMP/server.log" -w -t 60 -s \
		-o "-p $PGPORT -k $CVFW_TMP -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${CVFW_SERVER_OPTS:-}" \
		start; then
		cat "$CVFW_TMP/server.log" >&2
		die "the server did not start"
	fi
	CVFW_STARTED=1
	export PGHOST=$CVFW_TMP PGPORT PGUSER=postgres PGDATABASE=postgres
	# for the stress tests, which look for crashes in it
	export CVFW_SERVER_LOG=$CVFW_TMP/server.log
	say "throwaway cluster up: socket $PGHOST, port $PGPORT"
}

# A clang that links libFuzzer (FUZZ_CC if set), or nothing.
find_fuzz_cc() {
	local cc
	for cc in ${FUZZ_CC:-} clang clang-18 clang-17 clang-16 clang-15 clang-14; do
		command -v "$cc" >/dev/null || continue
		if echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void) d; (void) n; return 0; }' |
			"$cc" -x c -fsanitize=fuzzer -o /tmp/cvfw-fuzz-probe.$$ - >/dev/null 2>&1; then
			rm -f /tmp/cvfw-fuzz-probe.$$
			command -v "$cc"
			return 0
		fi
	done
	return 1
}
