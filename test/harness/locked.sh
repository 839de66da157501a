#!/usr/bin/env bash
# locked.sh CMD...: run CMD holding the install lock that make check, demo
# and bench take, so a hand-run `make install` and tests against the
# installed cvfw do not race another checkout's run on this machine.
source "$(dirname "$0")/lib.sh"
find_pg_config
take_install_lock
exec "$@"
