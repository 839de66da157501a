#!/usr/bin/env bash
# run.sh CMD...: build and install cvfw, start a throwaway cluster, run CMD
# with PGHOST/PGPORT/PGUSER/PGDATABASE pointing at it (and PG_BINDIR, PATH
# holding the server's programs), then stop and remove the cluster.  For
# development and the long test targets, e.g.
#   test/harness/run.sh psql -X -f mytest.sql
source "$(dirname "$0")/lib.sh"

[[ $# -gt 0 ]] || die "usage: test/harness/run.sh COMMAND [ARG...]"
find_pg_config
ensure_build_deps
build_and_install
start_cluster
export PG_BINDIR PATH="$PG_BINDIR:$PATH"
rc=0
"$@" || rc=$?
[[ $rc == 0 ]] || show_server_log_if_crashed
exit $rc
