#!/usr/bin/env bash
# Builds and runs go-sql-driver/mysql's own test suite (Debian package
# golang-github-go-sql-driver-mysql-dev, GOPATH mode, offline) against one
# MySQL-protocol server. Used by tests/integration/test_go_sql_driver_suite.py;
# also handy by hand to replay one test through the proxy:
#
#   run_suite.sh build /tmp/mysql.test
#   run_suite.sh run /tmp/mysql.test 127.0.0.1:6033 test_gosql -test.run '^TestStaleConnectionChecks$'
#
# build BIN                       go test -c the package into BIN
# run   BIN HOST:PORT DB [ARGS]   run BIN -test.v [ARGS] with the MYSQL_TEST_* env set
#                                 (user/password: $MYSQL_TEST_USER/$MYSQL_TEST_PASS, default app/app)
#
# Environment: GOSQL_GOPATH (default /usr/share/gocode), GOCACHE (default
# <repo>/var/go-cache), GO (default: go on PATH, else /usr/lib/go/bin/go).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
PKG=github.com/go-sql-driver/mysql

usage() { sed -n '2,17p' "$0" >&2; exit 2; }

cmd="${1:-}"; shift || true
case "$cmd" in
  build)
    [[ $# -eq 1 ]] || usage
    out="$1"
    go="${GO:-$(command -v go || echo /usr/lib/go/bin/go)}"
    gopath="${GOSQL_GOPATH:-/usr/share/gocode}"
    [[ -d "$gopath/src/$PKG" ]] || {
      echo "$gopath/src/$PKG missing (apt-get install golang-github-go-sql-driver-mysql-dev)" >&2
      exit 1
    }
    # go test -c writes only the binary (-o) and the build cache: the source
    # tree may stay read-only.
    mkdir -p "$(dirname "$out")"
    exec env GOPATH="$gopath" GO111MODULE=off GOFLAGS= GOPROXY=off \
      GOCACHE="${GOCACHE:-$ROOT/var/go-cache}" CGO_ENABLED=0 \
      "$go" test -c -o "$out" "$PKG"
    ;;
  run)
    [[ $# -ge 3 ]] || usage
    bin="$1"; addr="$2"; db="$3"; shift 3
    # Run from a scratch directory: some tests create files in the cwd / TMPDIR.
    work="$(mktemp -d "${TMPDIR:-/tmp}/gosql-suite.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    cd "$work"
    env MYSQL_TEST_USER="${MYSQL_TEST_USER:-app}" MYSQL_TEST_PASS="${MYSQL_TEST_PASS:-app}" \
      MYSQL_TEST_PROT=tcp MYSQL_TEST_ADDR="$addr" MYSQL_TEST_DBNAME="$db" \
      TMPDIR="$work" "$bin" -test.v "$@"
    ;;
  *) usage ;;
esac
