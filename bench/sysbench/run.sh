#!/usr/bin/env bash
# sysbench oltp_point_select through shardproxy, through haproxy (mode tcp) and
# direct to the g0 master, and through shardproxy on sharded tables; prints a
# markdown report with the median QPS of each target and the ratios
# proxy/direct, proxy/haproxy, haproxy/direct and sharded/proxy.
#
#   bench/sysbench/run.sh [--proxy BIN] [--config FILE] [--proxy-port P]
#                         [--time S] [--rounds N] [--threads "1 16"]
#                         [--targets "direct haproxy proxy sharded"]
#                         [--ps-mode disable|auto] [--out FILE] [--smoke]
#
# Targets (all 127.0.0.1, user app/app, --db-ps-mode=MODE, default disable):
#   direct   the g0 master, port 23306, database sbtest (scripts/sandbox.sh up
#            is run first unless all five sandbox instances answer)
#   haproxy  port 6034 -> 23306, haproxy started here from bench/haproxy/haproxy.cfg
#   proxy    BIN --config FILE started here (Release build expected), database
#            sbtest (unsharded: everything on g0); its port is listen.port of
#            FILE (6033 in conf/sandbox.yaml) unless --proxy-port is given
#   sharded  the same proxy process, bench/sysbench/sharded.lua running
#            oltp_point_select on database shardproxy_sbtest --auto_inc=off,
#            whose tables are (re)created THROUGH the proxy at every run
#            (DBPARTITION BY HASH(id), over g0 and g1); the schema itself is
#            created directly on g0 23306 and g1 23316 first
# Runs are interleaved: each round runs every (threads, target) pair once, the
# target order rotating between rounds; the median over rounds is reported.
# Before the measured rounds each target gets a short warm-up run.
# Raw sysbench output: var/bench/sysbench-<stamp>/ (git-ignored).
# Servers started here are stopped by pid on exit (also on Ctrl-C or failure).
# A target that cannot be started (e.g. no proxy binary) is reported as n/a.
#
# Environment (same as the flags): PROXY_BIN, PROXY_CONFIG, BENCH_PROXY_PORT,
# BENCH_TIME, BENCH_ROUNDS, BENCH_THREADS, BENCH_TARGETS, BENCH_PS_MODE,
# BENCH_WARMUP (s, default 5), BENCH_TABLES (4), BENCH_TABLE_SIZE (10000),
# BENCH_SHARDED_DB (shardproxy_sbtest: must be a sharded schema of FILE).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

PROXY_BIN=${PROXY_BIN:-$ROOT/build/release/proxy/shardproxy}
PROXY_CONFIG=${PROXY_CONFIG:-$ROOT/conf/sandbox.yaml}
TIME=${BENCH_TIME:-30}
ROUNDS=${BENCH_ROUNDS:-3}
THREADS=${BENCH_THREADS:-"1 16"}
TARGETS=${BENCH_TARGETS:-"direct haproxy proxy"}
WARMUP=${BENCH_WARMUP:-5}
TABLES=${BENCH_TABLES:-4}
TABLE_SIZE=${BENCH_TABLE_SIZE:-10000}
PS_MODE=${BENCH_PS_MODE:-disable}
PROXY_PORT=${BENCH_PROXY_PORT:-}
SHARDED_DB=${BENCH_SHARDED_DB:-shardproxy_sbtest}
OUT=""
SMOKE=0

while [[ $# -gt 0 ]]; do
  case $1 in
    --proxy) PROXY_BIN=$2; shift 2 ;;
    --config) PROXY_CONFIG=$2; shift 2 ;;
    --proxy-port) PROXY_PORT=$2; shift 2 ;;
    --ps-mode) PS_MODE=$2; shift 2 ;;
    --time) TIME=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --targets) TARGETS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --smoke) SMOKE=1; shift ;;
    -h|--help) sed -n '2,36p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [[ $SMOKE -eq 1 && $TIME -ge 30 ]]; then TIME=5; fi
case $PS_MODE in disable|auto) ;; *) echo "run.sh: --ps-mode must be disable or auto, got '$PS_MODE'" >&2; exit 2 ;; esac

# listen.port of a shardproxy YAML config (block or flow style); 6033, the
# documented default, when the file has none.
config_port() {
  local p
  p=$(awk '/^listen:[ \t]*\{/ { if (match($0, /port:[ \t]*[0-9]+/)) { s = substr($0, RSTART, RLENGTH); sub(/port:[ \t]*/, "", s); print s; exit } }
           /^listen:[ \t]*(#.*)?$/ { l = 1; next }
           l && /^[^ \t#]/ { l = 0 }
           l && $1 == "port:" { print $2; exit }' "$1" 2>/dev/null)
  echo "${p:-6033}"
}
if [[ -z $PROXY_PORT ]]; then
  [[ -r $PROXY_CONFIG ]] || { echo "run.sh: cannot read config $PROXY_CONFIG" >&2; exit 2; }
  PROXY_PORT=$(config_port "$PROXY_CONFIG")
fi
[[ $PROXY_PORT =~ ^[0-9]+$ ]] || { echo "run.sh: bad proxy port '$PROXY_PORT'" >&2; exit 2; }

HOST=127.0.0.1  # never localhost: that means the Unix socket to the client library
declare -A PORT=([direct]=23306 [haproxy]=6034 [proxy]=$PROXY_PORT [sharded]=$PROXY_PORT)
ALL_TARGETS=(direct haproxy proxy sharded)
SANDBOX_PORTS=(23306 23307 23316 23317 23399)  # g0a g0b g1a g1b ref
SHARDED_LUA=$ROOT/bench/sysbench/sharded.lua
SB_SCRIPT_NAME=oltp_point_select
HAPROXY_CFG=$ROOT/bench/haproxy/haproxy.cfg
STAMP=$(date +%Y%m%d-%H%M%S)
LOGDIR=$ROOT/var/bench/sysbench-$STAMP
mkdir -p "$LOGDIR"

log() { echo "bench: $*" >&2; }
die() { echo "bench: ERROR: $*" >&2; exit 1; }

SB_COMMON=(--db-driver=mysql --mysql-host=$HOST --mysql-user=app --mysql-password=app
  --mysql-db=sbtest --tables="$TABLES" --table-size="$TABLE_SIZE")
# The sharded target: sharded.lua wraps the stock script (SB_SCRIPT in the env).
SB_SHARDED=(--db-driver=mysql --mysql-host=$HOST --mysql-user=app --mysql-password=app
  --mysql-db="$SHARDED_DB" --tables="$TABLES" --table-size="$TABLE_SIZE" --auto_inc=off)
SB_RUN=(--db-ps-mode="$PS_MODE" --report-interval=0)

# sysbench_cmd TARGET: the command line (before "run"/"prepare"/...) for TARGET.
sysbench_cmd() {
  local target=$1
  if [[ $target == sharded ]]; then
    CMD=(env "SB_SCRIPT=$SB_SCRIPT_NAME" sysbench "$SHARDED_LUA" "${SB_SHARDED[@]}" --mysql-port="${PORT[$target]}")
  else
    CMD=(sysbench "$SB_SCRIPT_NAME" "${SB_COMMON[@]}" --mysql-port="${PORT[$target]}")
  fi
}

# ---- servers started here, stopped by pid ------------------------------------
declare -A STARTED=()   # target -> pid
declare -A UNAVAILABLE=()  # target -> reason

stop_pid() {
  local name=$1 pid=$2 deadline
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 15))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) ignored SIGTERM: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  log "stopped $name (pid $pid)"
}
cleanup() {
  local t
  for t in "${!STARTED[@]}"; do stop_pid "$t" "${STARTED[$t]}"; done
  STARTED=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() { ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }

wait_sql() {  # wait until `SELECT 1` works as app on PORT; PID must stay alive
  local port=$1 pid=$2 deadline=$((SECONDS + 20))
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || return 1
    if timeout 5 mariadb -h$HOST -P"$port" -uapp -papp --connect-timeout=2 -N -B \
         -e "SELECT 1" sbtest >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  return 1
}

start_haproxy() {
  port_in_use "${PORT[haproxy]}" && { UNAVAILABLE[haproxy]="port ${PORT[haproxy]} already in use"; return; }
  haproxy -db -f "$HAPROXY_CFG" >"$LOGDIR/haproxy.log" 2>&1 &
  STARTED[haproxy]=$!
  wait_sql "${PORT[haproxy]}" "${STARTED[haproxy]}" ||
    UNAVAILABLE[haproxy]="haproxy did not relay (see $LOGDIR/haproxy.log)"
}

start_proxy() {
  [[ -x $PROXY_BIN ]] || { UNAVAILABLE[proxy]="no binary at $PROXY_BIN"; return; }
  port_in_use "${PORT[proxy]}" && { UNAVAILABLE[proxy]="port ${PORT[proxy]} already in use"; return; }
  "$PROXY_BIN" --config "$PROXY_CONFIG" >"$LOGDIR/proxy.log" 2>&1 &
  STARTED[proxy]=$!; STARTED_PROXY_LOG=1
  wait_sql "${PORT[proxy]}" "${STARTED[proxy]}" ||
    UNAVAILABLE[proxy]="proxy did not answer SELECT 1 (see $LOGDIR/proxy.log)"
}

# ---- one sysbench run --------------------------------------------------------
# Prints "qps errors p95_ms" for TARGET THREADS SECONDS LOGFILE (errors =
# ignored errors + reconnects; a run sysbench aborts on an error is FAILED).
sb_run() {
  local target=$1 threads=$2 secs=$3 logf=$4 qps errs p95 CMD
  sysbench_cmd "$target"
  local cmd=("${CMD[@]}" "${SB_RUN[@]}" --threads="$threads" --time="$secs")
  echo "${cmd[*]} run" >"$logf"
  if ! "${cmd[@]}" run >>"$logf" 2>&1; then
    echo "FAILED - -"; return 0
  fi
  qps=$(awk '/^ *queries:/ {gsub(/\(/, "", $3); print $3}' "$logf")
  errs=$(awk '/^ *ignored errors:/ {e+=$3} /^ *reconnects:/ {e+=$2} END{print e+0}' "$logf")
  p95=$(awk '/^ *95th percentile:/ {print $3}' "$logf")
  echo "${qps:-FAILED} ${errs:--} ${p95:--}"
}

median() {  # of the numbers given, "n/a" if none
  printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -g |
    awk '{a[NR]=$1} END{if(NR==0){print "n/a"} else if(NR%2){print a[(NR+1)/2]} else {printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.3f", a/b; else print "n/a" }'; }

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- 1. sandbox and data -----------------------------------------------------
# `sandbox.sh up` is idempotent, but it is not even run when every instance
# already answers (others' tests use the same sandbox).
sandbox_answers() {
  local p
  for p in "${SANDBOX_PORTS[@]}"; do
    timeout 5 mariadb -h$HOST -P"$p" -uapp -papp --connect-timeout=2 -N -B -e "SELECT 1" >/dev/null 2>&1 || return 1
  done
}
if sandbox_answers; then
  log "sandbox: all ${#SANDBOX_PORTS[@]} instances answer (sandbox.sh up not run)"
else
  log "sandbox up"
  scripts/sandbox.sh up >/dev/null
fi
have=$(mariadb -h$HOST -P23306 -uapp -papp -N -B -e \
  "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='sbtest' AND table_name LIKE 'sbtest%'" 2>/dev/null || echo 0)
rows=$(mariadb -h$HOST -P23306 -uapp -papp -N -B -e "SELECT COUNT(*) FROM sbtest.sbtest1" 2>/dev/null || echo 0)
if [[ $have != "$TABLES" || $rows != "$TABLE_SIZE" ]]; then
  log "preparing sbtest: $TABLES tables x $TABLE_SIZE rows (found $have tables, $rows rows)"
  sysbench oltp_point_select "${SB_COMMON[@]}" --mysql-port=23306 cleanup >"$LOGDIR/cleanup.log" 2>&1 || true
  sysbench oltp_point_select "${SB_COMMON[@]}" --mysql-port=23306 prepare >"$LOGDIR/prepare.log" 2>&1 ||
    { tail -n 20 "$LOGDIR/prepare.log" >&2; die "sysbench prepare failed"; }
else
  log "sbtest already prepared ($TABLES x $TABLE_SIZE)"
fi

# ---- 2. relays ---------------------------------------------------------------
for t in $TARGETS; do
  case $t in
    direct|haproxy|proxy|sharded) ;;
    *) die "unknown target $t (direct haproxy proxy sharded)" ;;
  esac
done
for t in $TARGETS; do
  case $t in
    direct) ;;
    haproxy) start_haproxy ;;
    proxy|sharded)
      if [[ -z ${STARTED[proxy]:-} && -z ${UNAVAILABLE[proxy]:-} ]]; then start_proxy; fi
      [[ -n ${UNAVAILABLE[proxy]:-} ]] && UNAVAILABLE[$t]=${UNAVAILABLE[proxy]} ;;
  esac
done

# ---- 2b. sharded tables, created through the proxy ---------------------------
# The schema exists on every group of the sharded schema (created directly);
# the tables are dropped and re-created through the proxy at every run, so the
# proxy's own metadata (data_dir of FILE) holds their sharding rules:
#   1. sysbench cleanup through the proxy: drops the tables the proxy has rules
#      for (and the rules);
#   2. DROP TABLE IF EXISTS directly on g0 and g1: tables left by a proxy with
#      another data_dir (this proxy has no rule for them and sends their DROP
#      to g0 only, so a g1 copy would make the CREATE fail with 1050);
#   3. sysbench prepare through the proxy.
# Then: rows per group (both groups must hold some), EXPLAIN SHARDING of a
# point select (must go to one group).
SHARD_ROWS=""; SHARD_PLAN=""; SHARD_FP=""; SHARD_CHANGED=""
# Creation time and row count of every sharded sbtest table on g0 and g1: the
# schema may be shared (tests/integration/test_sysbench.py uses
# shardproxy_sbtest too), so the run checks that nobody re-created the tables
# while it measured.
sharded_fingerprint() {
  local p n out=""
  for p in 23306 23316; do
    for ((n = 1; n <= TABLES; n++)); do
      out+="$p.sbtest$n=$(mariadb -h$HOST -P$p -uapp -papp -N -B -e "SELECT CONCAT(
        (SELECT COUNT(*) FROM \`$SHARDED_DB\`.sbtest$n), '@',
        (SELECT create_time FROM information_schema.tables WHERE table_schema='$SHARDED_DB' AND table_name='sbtest$n'))" 2>/dev/null || echo gone) "
    done
  done
  echo "${out% }"
}
prepare_sharded() {
  local p g0 g1 n
  for p in 23306 23316; do
    mariadb -h$HOST -P$p -uapp -papp -N -B -e "CREATE DATABASE IF NOT EXISTS \`$SHARDED_DB\`" \
      >>"$LOGDIR/prepare-sharded.log" 2>&1 || { UNAVAILABLE[sharded]="CREATE DATABASE $SHARDED_DB on $p failed (see $LOGDIR/prepare-sharded.log)"; return; }
  done
  local CMD; sysbench_cmd sharded
  log "preparing $SHARDED_DB through the proxy (port ${PORT[sharded]}): $TABLES tables x $TABLE_SIZE rows, DBPARTITION BY HASH(id)"
  { echo "${CMD[*]} cleanup"; "${CMD[@]}" cleanup; } >>"$LOGDIR/prepare-sharded.log" 2>&1 ||
    { UNAVAILABLE[sharded]="sysbench cleanup through the proxy failed (see $LOGDIR/prepare-sharded.log)"; return; }
  local drops=""
  for ((n = 1; n <= TABLES; n++)); do drops+="DROP TABLE IF EXISTS \`$SHARDED_DB\`.sbtest$n; "; done
  for p in 23306 23316; do
    { echo "direct $p: $drops"; mariadb -h$HOST -P$p -uapp -papp -N -B -e "$drops"; } >>"$LOGDIR/prepare-sharded.log" 2>&1 ||
      { UNAVAILABLE[sharded]="DROP TABLE on $p failed (see $LOGDIR/prepare-sharded.log)"; return; }
  done
  { echo "${CMD[*]} prepare"; "${CMD[@]}" prepare; } >>"$LOGDIR/prepare-sharded.log" 2>&1 ||
    { tail -n 20 "$LOGDIR/prepare-sharded.log" >&2; UNAVAILABLE[sharded]="sysbench prepare through the proxy failed (see $LOGDIR/prepare-sharded.log)"; return; }
  for ((n = 1; n <= TABLES; n++)); do
    g0=$(mariadb -h$HOST -P23306 -uapp -papp -N -B -e "SELECT COUNT(*) FROM \`$SHARDED_DB\`.sbtest$n" 2>/dev/null || echo "?")
    g1=$(mariadb -h$HOST -P23316 -uapp -papp -N -B -e "SELECT COUNT(*) FROM \`$SHARDED_DB\`.sbtest$n" 2>/dev/null || echo "?")
    SHARD_ROWS+="sbtest$n: g0 $g0 + g1 $g1; "
    if ! [[ $g0 =~ ^[0-9]+$ && $g1 =~ ^[0-9]+$ ]] || ((g0 + g1 != TABLE_SIZE || g0 == 0 || g1 == 0)); then
      UNAVAILABLE[sharded]="sbtest$n not split over g0 and g1 as expected (g0 $g0 rows, g1 $g1 rows, want $TABLE_SIZE in all)"
    fi
  done
  SHARD_ROWS=${SHARD_ROWS%; }
  SHARD_PLAN=$(timeout 10 mariadb -h$HOST -P"${PORT[sharded]}" -uapp -papp -B -e \
    "EXPLAIN SHARDING SELECT c FROM sbtest1 WHERE id=1" "$SHARDED_DB" 2>&1 | tr '\t\n' '  ' | sed 's/ *$//')
  SHARD_FP=$(sharded_fingerprint)
  log "sharded rows: $SHARD_ROWS"
  log "EXPLAIN SHARDING SELECT c FROM sbtest1 WHERE id=1: $SHARD_PLAN"
}
if [[ " $TARGETS " == *" sharded "* && -z ${UNAVAILABLE[sharded]:-} ]]; then prepare_sharded; fi

for t in $TARGETS; do
  [[ -n ${UNAVAILABLE[$t]:-} ]] && log "$t unavailable: ${UNAVAILABLE[$t]}"
done
ACTIVE=()
for t in $TARGETS; do [[ -z ${UNAVAILABLE[$t]:-} ]] && ACTIVE+=("$t"); done
[[ ${#ACTIVE[@]} -gt 0 ]] || die "no target available"

# ---- 3. warm-up, then interleaved rounds -------------------------------------
if [[ $WARMUP -gt 0 ]]; then
  for t in "${ACTIVE[@]}"; do
    log "warm-up $t (${WARMUP}s, 16 threads)"
    sb_run "$t" 16 "$WARMUP" "$LOGDIR/warmup-$t.log" >/dev/null
  done
fi
declare -A QPS=() ERRS=() P95=()  # key "target/threads" -> space-separated values per round
total=$((ROUNDS * $(wc -w <<<"$THREADS") * ${#ACTIVE[@]})); i=0
for ((r = 1; r <= ROUNDS; r++)); do
  # Rotate the target order each round so no target always runs first.
  order=()
  for ((k = 0; k < ${#ACTIVE[@]}; k++)); do order+=("${ACTIVE[$(((k + r - 1) % ${#ACTIVE[@]}))]}"); done
  for th in $THREADS; do
    for t in "${order[@]}"; do
      i=$((i + 1))
      read -r q e l < <(sb_run "$t" "$th" "$TIME" "$LOGDIR/run-r$r-$t-t$th.log")
      log "[$i/$total] round $r  $t  threads=$th  qps=$q  errors=$e  p95=${l}ms"
      QPS[$t/$th]+="$q "; ERRS[$t/$th]+="$e "; P95[$t/$th]+="$l "
    done
  done
done
if [[ -n $SHARD_FP ]]; then
  fp=$(sharded_fingerprint)
  if [[ $fp != "$SHARD_FP" ]]; then
    SHARD_CHANGED="after prepare: $SHARD_FP; after the rounds: $fp"
    log "WARNING: the sharded tables changed during the run (someone else uses $SHARDED_DB?): $SHARD_CHANGED"
  fi
fi
cleanup

# ---- 4. report ---------------------------------------------------------------
git_rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
git_dirty=""
if git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | grep -q .; then git_dirty=" + uncommitted changes"; fi
proxy_ver=$([[ -x $PROXY_BIN ]] && timeout 5 "$PROXY_BIN" --version 2>/dev/null </dev/null | head -1 || echo n/a)
proxy_mtime=$([[ -e $PROXY_BIN ]] && date -u -r "$PROXY_BIN" '+%Y-%m-%d %H:%M UTC' || echo n/a)
haproxy_ver="haproxy not installed"
if command -v haproxy >/dev/null; then haproxy_ver=$(haproxy -v 2>/dev/null | head -1 | cut -d' ' -f1-3 || true); fi
# Runs that failed or reported errors, for the report (sysbench's own lines and
# the proxy's warnings/errors).
bad_runs=()
PROXY_WARN_RE='^[0-9-]+ [0-9:.]+ [WEC] \['  # spdlog "%Y-%m-%d %H:%M:%S.%e %L [%t] %v": W, E, C
proxy_warns=n/a
if [[ -f $LOGDIR/proxy.log ]]; then proxy_warns=$(grep -cE "$PROXY_WARN_RE" "$LOGDIR/proxy.log" || true); fi
for key in "${!QPS[@]}"; do
  # shellcheck disable=SC2086
  for v in ${QPS[$key]} ${ERRS[$key]}; do
    if [[ $v == FAILED || ( $v =~ ^[0-9]+$ && $v != 0 ) ]]; then bad_runs+=("$key"); break; fi
  done
done
{
  if [[ $SMOKE -eq 1 ]]; then echo "**SMOKE RUN (${TIME}s per run): not a measurement.**"; echo; fi
  echo "### sysbench oltp_point_select, --db-ps-mode=$PS_MODE, ${TABLES} tables x ${TABLE_SIZE} rows"
  echo
  echo "Median QPS of $ROUNDS interleaved rounds, ${TIME}s per run (per-round values in brackets)."
  echo "a = direct to the g0 master, b = haproxy mode tcp, c = shardproxy on unsharded sbtest (all on g0),"
  echo "d = the same shardproxy on $SHARDED_DB (tables DBPARTITION BY HASH(id) over g0 and g1)."
  echo
  echo "| threads | a: direct (23306) | b: haproxy (6034) | c: proxy (${PORT[proxy]}) | d: sharded (${PORT[sharded]}) | proxy/direct (c/a) | proxy/haproxy (c/b) | haproxy/direct (b/a) | sharded/proxy (d/c) |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for th in $THREADS; do
    declare -A med=()
    cells=()
    for t in "${ALL_TARGETS[@]}"; do
      if [[ -n ${QPS[$t/$th]:-} ]]; then
        # shellcheck disable=SC2086
        med[$t]=$(median ${QPS[$t/$th]})
        cells+=("${med[$t]} [${QPS[$t/$th]% }]")
      else
        med[$t]=n/a
        cells+=("n/a")
      fi
    done
    echo "| $th | ${cells[0]} | ${cells[1]} | ${cells[2]} | ${cells[3]} | $(ratio "${med[proxy]}" "${med[direct]}") |" \
      "$(ratio "${med[proxy]}" "${med[haproxy]}") | $(ratio "${med[haproxy]}" "${med[direct]}") |" \
      "$(ratio "${med[sharded]}" "${med[proxy]}") |"
    unset med
  done
  echo
  echo "Median 95th-percentile latency (ms):"
  echo
  echo "| threads | direct | haproxy | proxy | sharded |"
  echo "|---:|---:|---:|---:|---:|"
  for th in $THREADS; do
    row="| $th |"
    for t in "${ALL_TARGETS[@]}"; do
      # shellcheck disable=SC2086
      if [[ -n ${P95[$t/$th]:-} ]]; then row+=" $(median ${P95[$t/$th]}) |"; else row+=" n/a |"; fi
    done
    echo "$row"
  done
  echo
  echo "sysbench errors (ignored errors + reconnects) per run:"
  for th in $THREADS; do
    for t in "${ACTIVE[@]}"; do echo "- $t, threads=$th: ${ERRS[$t/$th]% }"; done
  done
  for t in $TARGETS; do
    [[ -n ${UNAVAILABLE[$t]:-} ]] && echo "- $t: n/a — ${UNAVAILABLE[$t]}"
  done
  if [[ -n ${STARTED_PROXY_LOG:-} ]]; then
    echo "- proxy log: $proxy_warns warning/error lines (${LOGDIR#"$ROOT"/}/proxy.log)"
  fi
  if [[ " ${ACTIVE[*]} " == *" sharded "* ]]; then
    echo
    echo "Sharded data (counted directly on the masters): $SHARD_ROWS."
    echo "\`EXPLAIN SHARDING SELECT c FROM sbtest1 WHERE id=1\` through the proxy: \`$SHARD_PLAN\`"
    if [[ -n $SHARD_CHANGED ]]; then
      echo
      echo "**WARNING: the sharded tables were changed during the run (by someone else using $SHARDED_DB?): the sharded numbers are not valid.** Row count@create_time per table, $SHARD_CHANGED. Use a schema of your own (\`BENCH_SHARDED_DB\`, declared sharded in the config)."
    else
      echo "The sharded tables were unchanged at the end of the run (row counts and creation times on both masters)."
    fi
  fi
  if [[ ${#bad_runs[@]} -gt 0 ]]; then
    echo
    echo "Runs with errors or failures (last lines of sysbench's output, then the proxy's warnings and errors):"
    echo
    echo '```'
    for key in "${bad_runs[@]}"; do
      t=${key%/*}; th=${key#*/}
      for f in "$LOGDIR"/run-r*-"$t"-t"$th".log; do
        echo "== ${f#"$ROOT"/}"
        grep -Ei 'fatal|error|warning' "$f" | tail -n 8 || true
      done
    done
    if [[ -f $LOGDIR/proxy.log ]]; then
      echo "== ${LOGDIR#"$ROOT"/}/proxy.log (warnings and errors, last 30)"
      grep -E "$PROXY_WARN_RE" "$LOGDIR/proxy.log" | tail -n 30 || true
    fi
    echo '```'
  fi
  echo
  echo "Machine and software:"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "- nproc: $(nproc); CPU: $(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)"
  echo "- kernel: $(uname -srm); memory: $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "- load average at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: compare within one run)"
  echo "- $(mariadbd --version | sed 's/ *for .*//'); $(sysbench --version); $haproxy_ver"
  echo "- shardproxy: $PROXY_BIN ($proxy_ver, built $proxy_mtime), config $PROXY_CONFIG (port ${PORT[proxy]}); git $git_rev$git_dirty"
  echo "- everything (sysbench, relays, the ${#SANDBOX_PORTS[@]} sandbox mariadbd) on the same machine, 127.0.0.1"
  echo
  echo "Commands (per run; PORT = 23306 direct, 6034 haproxy, ${PORT[proxy]} proxy):"
  echo
  echo '```'
  cmdline=""
  [[ $SHARDED_DB != shardproxy_sbtest ]] && cmdline+="BENCH_SHARDED_DB=$SHARDED_DB "
  cmdline+="bench/sysbench/run.sh --config $PROXY_CONFIG --time $TIME --rounds $ROUNDS --threads \"$THREADS\" --targets \"$TARGETS\" --ps-mode $PS_MODE"
  [[ $WARMUP != 5 ]] && cmdline+=" --warmup $WARMUP"
  echo "$cmdline"
  echo "sysbench oltp_point_select ${SB_COMMON[*]} --mysql-port=23306 prepare"
  echo "haproxy -db -f bench/haproxy/haproxy.cfg"
  echo "$PROXY_BIN --config $PROXY_CONFIG"
  echo "sysbench oltp_point_select ${SB_COMMON[*]} --mysql-port=PORT ${SB_RUN[*]} --threads=N --time=$TIME run"
  if [[ " $TARGETS " == *" sharded "* ]]; then
    local_cmd="SB_SCRIPT=$SB_SCRIPT_NAME sysbench bench/sysbench/sharded.lua ${SB_SHARDED[*]} --mysql-port=${PORT[sharded]}"
    echo "# sharded (d):"
    echo "mariadb -h$HOST -P23306 -uapp -papp -e 'CREATE DATABASE IF NOT EXISTS $SHARDED_DB'   # and -P23316"
    echo "$local_cmd cleanup"
    echo "mariadb -h$HOST -P23306 -uapp -papp -e 'DROP TABLE IF EXISTS $SHARDED_DB.sbtest1; ...'   # and -P23316: orphans"
    echo "$local_cmd prepare"
    echo "$local_cmd ${SB_RUN[*]} --threads=N --time=$TIME run"
  fi
  echo '```'
  echo
  echo "Raw logs: ${LOGDIR#"$ROOT"/}/"
} | tee "$LOGDIR/report.md" | { if [[ -n $OUT ]]; then tee "$OUT"; else cat; fi; }
