#!/usr/bin/env bash
# demo.sh — `make demo`: build, install, start a throwaway cluster, load a
# sample CRM data set, print the wheel report, write the wheel picture to
# ./cvfw-wheel.svg (or $CVFW_WHEEL_SVG), stop the cluster.
source "$(dirname "$0")/lib.sh"

# written by psql, the client, so it outlives the cluster's temp dir
WHEEL_SVG=${CVFW_WHEEL_SVG:-$PWD/cvfw-wheel.svg}
[[ $WHEEL_SVG == /* ]] || WHEEL_SVG=$PWD/$WHEEL_SVG

find_pg_config
ensure_build_deps
build_and_install
start_cluster
"$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -c 'CREATE DATABASE cvfw_demo' >/dev/null
PGDATABASE=cvfw_demo "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -v wheel_svg="$WHEEL_SVG" \
	-f "$ROOT/test/demo/demo.sql"
say "demo done; the throwaway cluster is stopped and removed"
say "the wheel picture: $WHEEL_SVG"
