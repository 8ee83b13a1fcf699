#!/usr/bin/env bash
# sysbench oltp_point_select through shardproxy, through haproxy (mode tcp) and
# direct to the g0 master; prints a markdown report with the median QPS of each
# target and the ratios proxy/direct and proxy/haproxy.
#
#   bench/sysbench/run.sh [--proxy BIN] [--config FILE] [--time S] [--rounds N]
#                         [--threads "1 16"] [--targets "direct haproxy proxy"]
#                         [--out FILE] [--smoke]
#
# Targets (all 127.0.0.1, user app/app, database sbtest, --db-ps-mode=disable):
#   direct   the g0 master, port 23306 (scripts/sandbox.sh up is run first)
#   haproxy  port 6034, haproxy started here from bench/haproxy/haproxy.cfg
#   proxy    port 6033, BIN --config FILE started here (Release build expected)
# Runs are interleaved: each round runs every (threads, target) pair once, the
# target order rotating between rounds; the median over rounds is reported.
# Before the measured rounds each target gets a short warm-up run.
# Raw sysbench output: var/bench/sysbench-<stamp>/ (git-ignored).
# Servers started here are stopped by pid on exit (also on Ctrl-C or failure).
# A target that cannot be started (e.g. no proxy binary) is reported as n/a.
#
# Environment (same as the flags): PROXY_BIN, PROXY_CONFIG, BENCH_TIME,
# BENCH_ROUNDS, BENCH_THREADS, BENCH_TARGETS, BENCH_WARMUP (s, default 5),
# BENCH_TABLES (4), BENCH_TABLE_SIZE (10000).
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
OUT=""
SMOKE=0

while [[ $# -gt 0 ]]; do
  case $1 in
    --proxy) PROXY_BIN=$2; shift 2 ;;
    --config) PROXY_CONFIG=$2; shift 2 ;;
    --time) TIME=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --targets) TARGETS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --smoke) SMOKE=1; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [[ $SMOKE -eq 1 && $TIME -ge 30 ]]; then TIME=5; fi

HOST=127.0.0.1  # never localhost: that means the Unix socket to the client library
declare -A PORT=([direct]=23306 [haproxy]=6034 [proxy]=6033)
HAPROXY_CFG=$ROOT/bench/haproxy/haproxy.cfg
STAMP=$(date +%Y%m%d-%H%M%S)
LOGDIR=$ROOT/var/bench/sysbench-$STAMP
mkdir -p "$LOGDIR"

log() { echo "bench: $*" >&2; }
die() { echo "bench: ERROR: $*" >&2; exit 1; }

SB_COMMON=(--db-driver=mysql --mysql-host=$HOST --mysql-user=app --mysql-password=app
  --mysql-db=sbtest --tables="$TABLES" --table-size="$TABLE_SIZE")
SB_RUN=(--db-ps-mode=disable --report-interval=0)

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
  STARTED[proxy]=$!
  wait_sql "${PORT[proxy]}" "${STARTED[proxy]}" ||
    UNAVAILABLE[proxy]="proxy did not answer SELECT 1 (see $LOGDIR/proxy.log)"
}

# ---- one sysbench run --------------------------------------------------------
# Prints "qps errors p95_ms" for TARGET THREADS SECONDS LOGFILE (errors =
# ignored errors + reconnects; a run sysbench aborts on an error is FAILED).
sb_run() {
  local target=$1 threads=$2 secs=$3 logf=$4 qps errs p95
  local cmd=(sysbench oltp_point_select "${SB_COMMON[@]}" --mysql-port="${PORT[$target]}"
    "${SB_RUN[@]}" --threads="$threads" --time="$secs")
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
log "sandbox up"
scripts/sandbox.sh up >/dev/null
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
    direct) ;;
    haproxy) start_haproxy ;;
    proxy) start_proxy ;;
    *) die "unknown target $t (direct haproxy proxy)" ;;
  esac
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
cleanup

# ---- 4. report ---------------------------------------------------------------
git_rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
proxy_ver=$([[ -x $PROXY_BIN ]] && timeout 5 "$PROXY_BIN" --version 2>/dev/null </dev/null | head -1 || echo n/a)
{
  if [[ $SMOKE -eq 1 ]]; then echo "**SMOKE RUN (${TIME}s per run): not a measurement.**"; echo; fi
  echo "### sysbench oltp_point_select, --db-ps-mode=disable, ${TABLES} tables x ${TABLE_SIZE} rows"
  echo
  echo "Median QPS of $ROUNDS interleaved rounds, ${TIME}s per run (per-round values in brackets)."
  echo
  echo "| threads | direct (23306) | haproxy (6034) | proxy (6033) | proxy/direct | proxy/haproxy | haproxy/direct |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  for th in $THREADS; do
    declare -A med=()
    cells=()
    for t in direct haproxy proxy; do
      if [[ -n ${QPS[$t/$th]:-} ]]; then
        # shellcheck disable=SC2086
        med[$t]=$(median ${QPS[$t/$th]})
        cells+=("${med[$t]} [${QPS[$t/$th]% }]")
      else
        med[$t]=n/a
        cells+=("n/a")
      fi
    done
    echo "| $th | ${cells[0]} | ${cells[1]} | ${cells[2]} | $(ratio "${med[proxy]}" "${med[direct]}") |" \
      "$(ratio "${med[proxy]}" "${med[haproxy]}") | $(ratio "${med[haproxy]}" "${med[direct]}") |"
    unset med
  done
  echo
  echo "Median 95th-percentile latency (ms):"
  echo
  echo "| threads | direct | haproxy | proxy |"
  echo "|---:|---:|---:|---:|"
  for th in $THREADS; do
    row="| $th |"
    for t in direct haproxy proxy; do
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
  echo
  echo "Machine and software:"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "- nproc: $(nproc); CPU: $(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)"
  echo "- kernel: $(uname -srm); memory: $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "- load average at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: compare within one run)"
  echo "- $(mariadbd --version | sed 's/ *for .*//'); $(sysbench --version); $(haproxy -v | head -1 | cut -d' ' -f1-3)"
  echo "- shardproxy: $PROXY_BIN ($proxy_ver), config $PROXY_CONFIG; git $git_rev"
  echo "- everything (sysbench, relays, 4 mariadbd) on the same machine, 127.0.0.1"
  echo
  echo "Commands (per run; PORT = 23306 direct, 6034 haproxy, 6033 proxy):"
  echo
  echo '```'
  echo "bench/sysbench/run.sh --time $TIME --rounds $ROUNDS --threads \"$THREADS\" --targets \"$TARGETS\""
  echo "sysbench oltp_point_select ${SB_COMMON[*]} --mysql-port=23306 prepare"
  echo "haproxy -db -f bench/haproxy/haproxy.cfg"
  echo "$PROXY_BIN --config $PROXY_CONFIG"
  echo "sysbench oltp_point_select ${SB_COMMON[*]} --mysql-port=PORT ${SB_RUN[*]} --threads=N --time=$TIME run"
  echo '```'
  echo
  echo "Raw logs: ${LOGDIR#"$ROOT"/}/"
} | tee "$LOGDIR/report.md" | { if [[ -n $OUT ]]; then tee "$OUT"; else cat; fi; }
