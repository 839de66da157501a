#!/usr/bin/env bash
# locked.sh CMD...: run CMD holding the install lock that make check, demo
# and bench take, so a hand-run `make install` and tests against the
# installed cvfw do not race another checkout's run on this machine.
set -euo pipefail
if [[ -z ${CVFW_INSTALL_LOCKED:-} ]] && command -v flock >/dev/null; then
	exec 9>>/tmp/cvfw-install.lock
	flock 9
	export CVFW_INSTALL_LOCKED=1
fi
exec "$@"
