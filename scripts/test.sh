#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine (run as root, or a user with sudo):
#   1. install every Debian package we need (scripts/install-deps.sh)
#   2. build the one main configuration: Debug + AddressSanitizer + UBSan (build/debug)
#   3. the MariaDB sandbox up; unit tests (ctest: codec, parser, digest, corpus, config,
#      backend — the backend's live tests use the sandbox)
#   4. the libFuzzer targets (clang, build/fuzz), 60 s each
#   5. integration tests with real clients through the proxy against the sandbox
#   6. the sandbox down (also on failure)
# Environment: JOBS (parallel build jobs, default nproc), FUZZ_SECONDS (default 60),
# SKIP_FUZZ=1 / SKIP_INTEGRATION=1 to shorten a local run, PYTEST_ARGS.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
START=$(date +%s)
stamp() { echo "== [$(( $(date +%s) - START ))s] $*"; }

stamp "install dependencies"
scripts/install-deps.sh

stamp "build Debug+ASan+UBSan in build/debug"
cmake -S . -B build/debug -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSHARDPROXY_SANITIZE=ON \
  -DSHARDPROXY_BENCH=OFF >/dev/null
cmake --build build/debug -j"$JOBS"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# The sandbox comes up before the unit tests: the backend's live tests and the
# parser corpus check talk to the real g0 master.
stamp "sandbox up"
trap 'stamp "sandbox down"; scripts/sandbox.sh down || true' EXIT
scripts/sandbox.sh up
scripts/sandbox.sh status

stamp "unit tests"
ctest --test-dir build/debug --output-on-failure -j2 --timeout 600

if [[ "${SKIP_FUZZ:-0}" != 1 ]]; then
  stamp "fuzz targets (clang, libFuzzer) in build/fuzz"
  CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSHARDPROXY_FUZZ=ON >/dev/null
  # Only the fuzzers: the other targets of this configuration are not linked
  # with the sanitizer runtime.
  fuzzers=()
  for src in tests/fuzz/*_fuzz.cc; do fuzzers+=("$(basename "$src" .cc)"); done
  cmake --build build/fuzz -j"$JOBS" --target "${fuzzers[@]}"
  for fuzzer in build/fuzz/tests/fuzz/*_fuzz; do
    name=$(basename "$fuzzer")
    work=build/fuzz/run/$name
    rm -rf "$work" && mkdir -p "$work/corpus"
    seeds=()
    [[ -d tests/fuzz/corpus/$name ]] && seeds+=("tests/fuzz/corpus/$name")
    [[ -x tests/fuzz/seed.sh ]] && tests/fuzz/seed.sh "$name" "$work/seeds" && seeds+=("$work/seeds")
    stamp "fuzz $name for ${FUZZ_SECONDS}s"
    "$fuzzer" -max_total_time="$FUZZ_SECONDS" -timeout=5 -rss_limit_mb=4096 \
      -artifact_prefix="$work/" "$work/corpus" "${seeds[@]}" 2>"$work/log" \
      || { tail -50 "$work/log"; echo "FUZZ FAILURE: $name (artifacts in $work)"; exit 1; }
    grep -E "^(Done|#[0-9]+ *DONE)" "$work/log" | tail -1 || true
  done
fi

if [[ "${SKIP_INTEGRATION:-0}" != 1 ]]; then
  scripts/sandbox.sh up   # idempotent: restarts anything a test left stopped
  stamp "integration tests (real MariaDB, real clients, through the proxy)"
  export SHARDPROXY_BIN=$ROOT/build/debug/proxy/shardproxy
  export SHARDPROXY_PARSE_BIN=$ROOT/build/debug/parser/shardproxy-parse
  export SHARDPROXY_BUILD_DIR=$ROOT/build/debug
  /usr/bin/python3 -m pytest tests/integration -v -rs ${PYTEST_ARGS:-}
fi

stamp "all tests passed"
