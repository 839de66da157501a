#!/usr/bin/env bash
# demo.sh — `make demo`: build, install, start a throwaway cluster, load a
# sample CRM data set, print the wheel report, stop the cluster.
source "$(dirname "$0")/lib.sh"

find_pg_config
ensure_build_deps
build_and_install
start_cluster
"$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -c 'CREATE DATABASE cvfw_demo' >/dev/null
PGDATABASE=cvfw_demo "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -f "$ROOT/test/demo/demo.sql"
say "demo done; the throwaway cluster is stopped and removed"
