#!/usr/bin/env bash
# Set up everything and run the proxy on the local sandbox, in the foreground:
# installs the Debian packages, builds Release (build/release), starts the
# MariaDB sandbox (scripts/sandbox.sh up) and runs shardproxy on 127.0.0.1:6033
# with conf/sandbox.yaml. Ctrl-C stops the proxy (it drains) and then the sandbox.
# Extra arguments go to shardproxy (e.g. --config FILE).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JOBS=${JOBS:-$(nproc)}
scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j"$JOBS" --target shardproxy
scripts/sandbox.sh up
cleanup() { trap - EXIT INT TERM; echo "run.sh: stopping the sandbox"; scripts/sandbox.sh down; }
trap cleanup EXIT
trap 'echo "run.sh: interrupted"' INT TERM
echo "run.sh: shardproxy on 127.0.0.1:6033 — try: mariadb -h127.0.0.1 -P6033 -uapp -papp"
set +e
build/release/proxy/shardproxy --config conf/sandbox.yaml "$@"
rc=$?
exit $rc
