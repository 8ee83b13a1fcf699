#!/usr/bin/env bash
# Installs every Debian package the build, the sandbox, the tests and the
# benchmarks need. Idempotent and non-interactive; run as root (or with sudo).
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake ninja-build make pkg-config git ca-certificates
  clang libclang-rt-14-dev
  # libraries (Boost: versioned 1.81 only, never unversioned libboost-*-dev)
  libboost1.81-dev
  antlr4 libantlr4-runtime-dev
  libxxhash-dev libyaml-cpp-dev libspdlog-dev libfmt-dev libssl-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev nlohmann-json3-dev
  default-libmysqlclient-dev
  # sandbox and real clients
  mariadb-server mariadb-client
  python3 python3-pymysql python3-pytest
  python3-xxhash            # tests compute a row's vpart (XXH3-64) independently
  golang-go golang-github-go-sql-driver-mysql-dev
  sysbench haproxy
  procps iproute2 psmisc
  # benchmarks: profiling and heap/cache analysis of the proxy
  valgrind linux-perf
)

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# The mariadb-server package would start a system-wide server on 3306; the
# sandbox runs its own instances, so stop (never enable) the packaged one.
printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
$SUDO chmod +x /usr/sbin/policy-rc.d
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
$SUDO rm -f /usr/sbin/policy-rc.d
echo "install-deps: done"
