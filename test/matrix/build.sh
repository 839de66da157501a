#!/usr/bin/env bash
# build.sh WHAT... — build the servers of the version matrix from the
# vendored sources (../shared/vendor: see its README) and print, one a line,
# the pg_config of each.  WHAT is one of
#   13          PostgreSQL 13.16
#   18          PostgreSQL 18.6 with --enable-cassert
#   citus       Citus (the vendored commit) installed into the 18 build
#   18-release  PostgreSQL 18.6 without assertions (for benchmarks)
#   citus-release  Citus installed into 18-release
#
# What is built is cached outside the clone, in $CVFW_CACHE (default
# /var/cache/cvfw-ci as root, else ~/.cache/cvfw), one directory per build
# named after the tarball's checksum and the configure flags, and reused
# when present: a cold run builds (about 3 minutes a server and 2 for Citus
# on 2 cores), a warm one only checks the checksums.  A build that did not
# finish is not marked complete and is redone.  One build at a time per
# entry (flock), so concurrent runs on one machine wait rather than race.
#
# Installs what the builds need with apt-get when run as root, else says
# what is missing.  The build log of a failed build is shown.
set -euo pipefail
shopt -s inherit_errexit
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
vendor=${CVFW_VENDOR:-$root/../shared/vendor}
if [[ -n ${CVFW_CACHE:-} ]]; then
	cache=$CVFW_CACHE
elif [[ $(id -u) == 0 ]]; then
	cache=/var/cache/cvfw-ci
else
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/cvfw
fi
jobs=${CVFW_BUILD_JOBS:-2}

say() { printf 'matrix: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[[ -d $vendor ]] || die "no vendored sources in $vendor (the shared/ folder beside the clone)"
mkdir -p "$cache"
# the servers run as postgres: it must be able to read what is built here
chmod 755 "$cache"

# the tarball's checksum, checked against the vendor's SHA256SUMS
checksum() { # file name
	local want got
	want=$(awk -v f="$1" '$2 == f { print $1 }' "$vendor/SHA256SUMS")
	[[ -n $want ]] || die "$1 is not listed in $vendor/SHA256SUMS"
	got=$(sha256sum "$vendor/$1" | cut -d' ' -f1)
	[[ $got == "$want" ]] || die "$vendor/$1: checksum $got, SHA256SUMS says $want"
	echo "$got"
}

# Debian packages the builds need (headers for libxml, which the wheel
# tests use through xmlparse; lz4/zstd/krb5/curl for Citus)
# bison and flex: 18's tarball carries no generated parsers
BUILD_PKGS=(gcc make bzip2 perl pkg-config bison flex zlib1g-dev libxml2-dev liblz4-dev libzstd-dev libkrb5-dev libcurl4-openssl-dev)
ensure_packages() {
	local missing=() p
	for p in "${BUILD_PKGS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[[ ${#missing[@]} == 0 ]] && return 0
	if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
		say "installing ${missing[*]} with apt-get"
		local log
		log=$(mktemp /tmp/cvfw-matrix-apt.XXXXXX.log)
		if ! DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" >"$log" 2>&1; then
			apt-get update -q >>"$log" 2>&1 || true
			DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" >>"$log" 2>&1 ||
				{ tail -n 20 "$log" >&2; die "could not install ${missing[*]}"; }
		fi
		rm -f "$log"
	else
		die "missing build packages: apt-get install ${missing[*]}"
	fi
}

# run a build step with its output in a log, shown when it fails
logged() { # log command...
	local log=$1
	shift
	if ! "$@" >>"$log" 2>&1; then
		tail -n 60 "$log" >&2
		die "failed: $* (log: $log)"
	fi
}

# build_pg VERSION FLAVOUR CONFIGURE-FLAGS... -> prints the prefix
build_pg() {
	local ver=$1 flavour=$2
	shift 2
	local tarball=postgresql-$ver.tar.bz2 sum prefix
	sum=$(checksum "$tarball")
	prefix=$cache/pg-$ver-$flavour-${sum:0:12}
	exec 8>"$prefix.lock"
	flock 8
	# complete: built, and with the isolation tester (13 does not install
	# it with the server; the live tracking's isolation spec needs it)
	if [[ ! -f $prefix/.complete || ! -x $prefix/lib/postgresql/pgxs/src/test/isolation/pg_isolation_regress ]]; then
		ensure_packages
		say "building PostgreSQL $ver ($flavour) into $prefix (about 3 minutes)"
		local t0=$SECONDS src log
		rm -rf "$prefix"
		src=$(mktemp -d "${TMPDIR:-/tmp}/cvfw-pg$ver.XXXXXX")
		log=$src.log
		tar -xjf "$vendor/$tarball" -C "$src"
		(
			# cvfw's flags (CI exports PG_CFLAGS="-Wall -Wextra -Werror") are
			# not PostgreSQL's: its Makefiles would add them to its own build
			unset PG_CFLAGS PG_CPPFLAGS PG_LDFLAGS
			cd "$src/postgresql-$ver"
			logged "$log" ./configure --prefix="$prefix" --with-libxml --without-icu --without-readline "$@"
			logged "$log" make -j"$jobs" -s
			logged "$log" make -s install
			# 13 builds the isolation tester but does not install it (14+ do):
			# put it where PGXS's installcheck looks, beside isolationtester
			logged "$log" make -s -C src/test/isolation all
			iso=$("$prefix/bin/pg_config" --pkglibdir)/pgxs/src/test/isolation
			logged "$log" mkdir -p "$iso"
			logged "$log" install -m 755 src/test/isolation/pg_isolation_regress src/test/isolation/isolationtester "$iso/"
		) || exit 1
		rm -rf "$src" "$log"
		echo "$tarball $sum $*" >"$prefix/.complete"
		say "PostgreSQL $ver ($flavour) built in $((SECONDS - t0)) s"
	fi
	exec 8>&-
	echo "$prefix"
}

# build_citus PG-PREFIX: Citus installed into that server's directories
build_citus() {
	local prefix=$1 tarball sum mark
	tarball=$(cd "$vendor" && ls citus-*.tar.gz | head -n 1)
	[[ -n $tarball ]] || die "no citus-*.tar.gz in $vendor"
	sum=$(checksum "$tarball")
	mark=$prefix/.citus-${sum:0:12}
	exec 8>"$prefix.lock"
	flock 8
	if [[ ! -f $mark ]]; then
		ensure_packages
		say "building Citus ($tarball) against $prefix (about 2 minutes)"
		local t0=$SECONDS src log dir
		src=$(mktemp -d "${TMPDIR:-/tmp}/cvfw-citus.XXXXXX")
		log=$src.log
		tar -xzf "$vendor/$tarball" -C "$src"
		dir=$(find "$src" -maxdepth 2 -name configure -printf '%h\n' | head -n 1)
		[[ -n $dir ]] || dir=$src
		(
			unset PG_CFLAGS PG_CPPFLAGS PG_LDFLAGS	# cvfw's flags, not Citus's
			cd "$dir"
			logged "$log" ./configure PG_CONFIG="$prefix/bin/pg_config"
			logged "$log" make -j"$jobs" -s
			logged "$log" make -s install
		) || exit 1
		rm -rf "$src" "$log"
		echo "$tarball $sum" >"$mark"
		say "Citus built in $((SECONDS - t0)) s"
	fi
	exec 8>&-
}

[[ $# -gt 0 ]] || die "usage: test/matrix/build.sh 13|18|citus|18-release|citus-release..."
for what in "$@"; do
	case $what in
	13) p=$(build_pg 13.16 release) ;;
	18) p=$(build_pg 18.6 cassert --enable-cassert) ;;
	18-release) p=$(build_pg 18.6 release) ;;
	citus)
		p=$(build_pg 18.6 cassert --enable-cassert)
		build_citus "$p"
		;;
	citus-release)
		p=$(build_pg 18.6 release)
		build_citus "$p"
		;;
	*) die "unknown build: $what" ;;
	esac
	echo "$p/bin/pg_config"
done
