#!/usr/bin/env bash
# The local MariaDB sandbox: five mariadbd processes on 127.0.0.1.
#
#   name  initial role        port   server_id  gtid_domain_id
#   g0a   master of g0        23306  23306      0
#   g0b   replica of g0a      23307  23307      0
#   g1a   master of g1        23316  23316      1
#   g1b   replica of g1a      23317  23317      1
#   ref   stand-alone         23399  23399      -  (no group, no replication, no binlog)
#
# ref is the reference server of differential tests: they load the same rows
# into it as into the sharded tables and compare what the proxy answers with
# what one plain MariaDB answers. It has the same users and schemas as the
# others, read_only=OFF, and replicates to and from nobody.
#
# Usage: scripts/sandbox.sh up|down|status|reset [WHAT...] | sql NAME|PORT [mariadb args...]
#   WHAT is an instance name (g0a g0b g1a g1b ref), its port, or a group (g0 g1);
#   none means all five. `up` and `reset` work on whole groups (an instance of
#   a group brings its group: readiness is per group), `down` and `status` on
#   exactly the instances named.
#   up      initialise what is missing, start what is stopped (running ones are
#           left alone), return once every replica's IO and SQL threads run,
#           every master reports Rpl_semi_sync_master_status=ON and ref answers
#           as a writable stand-alone. Idempotent. `up ref` touches only ref.
#   down    stop the instances by their pid (SIGCONT, mariadb-admin shutdown over
#           the socket, SIGTERM, then SIGKILL after a deadline); nothing is left.
#   status  one line per instance: name, live role (from the server: SHOW SLAVE
#           STATUS / read_only, never from the port; "ref" for the stand-alone
#           while it is writable and replicates from nobody), port, pid, state
#           (running / stopped / frozen), plus replication details.
#   reset   down, delete the data, up: back to the initial topology (after a
#           failover drill). `reset ref` empties only ref.
#   sql     a root `mariadb` client on the instance's Unix socket.
#
# The contract (docs in /work/shared/DESIGN.md, "The sandbox contract"):
# each instance reads only its own generated defaults file (passed as the first
# option, nothing from /etc/mysql), runs as `mysql` when started by root, has its
# own socket, pid file and data directory under $SANDBOX_DIR/<name>/
# (default: var/sandbox/ in the checkout), GTID replication in strict mode with
# semi-sync AFTER_SYNC in the groups. Users: app/app (data privileges on
# APP_SCHEMAS only), monitor/monitor (health checks, replication control),
# repl/repl; root only over the Unix socket. The same users and schemas on ref.
#
# Environment: SANDBOX_DIR, SANDBOX_TIMEOUT (seconds `up` waits, default 60),
# SANDBOX_BUFFER_POOL (innodb_buffer_pool_size, default 128M),
# SANDBOX_PORT_OFFSET (default 0: added to every port and server_id above; only
# for testing this script beside a running sandbox, with its own SANDBOX_DIR:
# tests, benchmarks and conf/sandbox.yaml assume the ports above).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SANDBOX_DIR=${SANDBOX_DIR:-$ROOT/var/sandbox}
TIMEOUT=${SANDBOX_TIMEOUT:-60}
BUFFER_POOL=${SANDBOX_BUFFER_POOL:-128M}
PORT_OFFSET=${SANDBOX_PORT_OFFSET:-0}
if ! [[ $PORT_OFFSET =~ ^[0-9]+$ ]] || ((PORT_OFFSET + 23399 > 65535)); then
  echo "sandbox: ERROR: bad SANDBOX_PORT_OFFSET '$PORT_OFFSET'" >&2; exit 2
fi

# ---- topology: name port group role(initial) ---------------------------------
INSTANCES=(g0a g0b g1a g1b ref)
declare -A PORT=([g0a]=23306 [g0b]=23307 [g1a]=23316 [g1b]=23317 [ref]=23399)
for _n in "${INSTANCES[@]}"; do PORT[$_n]=$((PORT[$_n] + PORT_OFFSET)); done
# ref is in no group (no GROUP entry, no gtid_domain_id).
declare -A GROUP=([g0a]=g0 [g0b]=g0 [g1a]=g1 [g1b]=g1)
declare -A DOMAIN=([g0]=0 [g1]=1)
declare -A INITIAL_ROLE=([g0a]=master [g0b]=replica [g1a]=master [g1b]=replica [ref]=ref)
declare -A INITIAL_MASTER=([g0b]=g0a [g1b]=g1a)
GROUPS_LIST=(g0 g1)
declare -A GROUP_MEMBERS=([g0]="g0a g0b" [g1]="g1a g1b")

# ---- users and schemas (the one place to extend) -----------------------------
# Schemas created on every instance; app gets ALL on each, plus on the LIKE
# patterns below (so tests may create e.g. test_foo or shardproxy_corpus).
APP_SCHEMAS=(trade account app sbtest test)
APP_SCHEMA_PATTERNS=('test\_%' 'shardproxy\_%')
# Never ALL ON *.*: in 10.11 that includes READ_ONLY ADMIN, which bypasses read_only.
MONITOR_PRIVS="PROCESS, SUPER, RELOAD, REPLICATION SLAVE, REPLICATION SLAVE ADMIN, \
REPLICATION MASTER ADMIN, SLAVE MONITOR, BINLOG MONITOR, BINLOG ADMIN, \
READ_ONLY ADMIN, CONNECTION ADMIN"
REPL_PRIVS="REPLICATION SLAVE"

RUN_AS_ROOT=0
[[ $(id -u) -eq 0 ]] && RUN_AS_ROOT=1
# The OS account mariadbd runs as, and the unix_socket-authenticated DB account
# the script uses (root when run as root, else the invoking user).
if [[ $RUN_AS_ROOT -eq 1 ]]; then SERVER_USER=mysql; ADMIN_USER=root
else SERVER_USER=$(id -un); ADMIN_USER=$(id -un); fi

log() { echo "sandbox: $*" >&2; }
die() { echo "sandbox: ERROR: $*" >&2; exit 1; }

dir_of() { echo "$SANDBOX_DIR/$1"; }
cnf_of() { echo "$SANDBOX_DIR/$1/my.cnf"; }
sock_of() { echo "$SANDBOX_DIR/$1/mariadb.sock"; }
pidfile_of() { echo "$SANDBOX_DIR/$1/mariadb.pid"; }
errlog_of() { echo "$SANDBOX_DIR/$1/error.log"; }
data_of() { echo "$SANDBOX_DIR/$1/data"; }
marker_of() { echo "$SANDBOX_DIR/$1/data/.sandbox-ready"; }

resolve_name() {  # NAME or PORT -> NAME
  local x=$1 n
  for n in "${INSTANCES[@]}"; do
    if [[ $x == "$n" || $x == "${PORT[$n]}" ]]; then echo "$n"; return 0; fi
  done
  die "unknown instance '$x' (one of: ${INSTANCES[*]} or their ports)"
}

# The instances a command works on, in INSTANCES order, into SELECTED.
# select_instances exact|groups [WHAT...]: each WHAT is an instance, a port or a
# group; none means all. "groups" widens an instance of a group to its group.
SELECTED=()
select_instances() {
  local mode=$1 x n; shift
  declare -A want=()
  if [[ $# -eq 0 ]]; then for n in "${INSTANCES[@]}"; do want[$n]=1; done; fi
  for x in "$@"; do
    if [[ -n ${GROUP_MEMBERS[$x]:-} ]]; then
      for n in ${GROUP_MEMBERS[$x]}; do want[$n]=1; done
      continue
    fi
    n=$(resolve_name "$x") || exit 1
    if [[ $mode == groups && -n ${GROUP[$n]:-} ]]; then
      for n in ${GROUP_MEMBERS[${GROUP[$n]}]}; do want[$n]=1; done
    else
      want[$n]=1
    fi
  done
  SELECTED=()
  for n in "${INSTANCES[@]}"; do [[ -n ${want[$n]:-} ]] && SELECTED+=("$n"); done
  return 0
}

# ---- processes ---------------------------------------------------------------
pid_of() {  # prints the pid of a live mariadbd for NAME, or nothing
  local pf pid
  pf=$(pidfile_of "$1")
  [[ -s $pf ]] || return 0
  pid=$(<"$pf")
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  [[ -r /proc/$pid/comm ]] || return 0
  [[ $(</proc/"$pid"/comm) == mariadbd ]] || return 0
  # Must be this instance's server (pid files can be stale and pids reused).
  tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "--defaults-file=$(cnf_of "$1")" || return 0
  echo "$pid"
}

proc_state() {  # running | frozen | stopped
  local pid st
  pid=$(pid_of "$1")
  [[ -n $pid ]] || { echo stopped; return; }
  st=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo X)
  case $st in
    T|t) echo frozen ;;
    Z|X) echo stopped ;;
    *) echo running ;;
  esac
}

# Root client on the instance's socket. Extra args go to `mariadb`.
sql() {
  local n=$1; shift
  timeout 20 mariadb --defaults-file="$(cnf_of "$n")" --connect-timeout=5 -N -B "$@"
}

# ---- configuration -----------------------------------------------------------
write_cnf() {
  local n=$1 role=${INITIAL_ROLE[$1]} port=${PORT[$1]} g=${GROUP[$1]:-} ro=OFF sm=OFF ss=OFF
  [[ $role == replica ]] && { ro=ON; ss=ON; }
  [[ $role == master ]] && sm=ON
  local what="initial role: $role of $g"
  [[ $role == ref ]] && what="stand-alone reference server, in no group"
  {
  cat <<EOF
# Generated by scripts/sandbox.sh for instance $n ($what).
# mariadbd and the clients get this as their FIRST option (--defaults-file), so
# nothing from /etc/mysql is read.
[client]
socket = $(sock_of "$n")
user = $ADMIN_USER

[mariadbd]
datadir = $(data_of "$n")
socket = $(sock_of "$n")
pid-file = $(pidfile_of "$n")
log-error = $(errlog_of "$n")
tmpdir = $(dir_of "$n")/tmp
port = $port
bind-address = 127.0.0.1
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
max_connections = 500
max_allowed_packet = 64M
performance_schema = OFF
server_id = $port
EOF
  if [[ $role == ref ]]; then
  cat <<EOF

# No log_bin (nor GTIDs, semi-sync, relay log): ref replicates to and from
# nobody, so a binary log would only cost I/O on the bulk loads of differential
# tests. What a query returns does not depend on it. The one difference to keep
# in mind: without a binary log, CREATE FUNCTION/PROCEDURE/TRIGGER are not
# checked against log_bin_trust_function_creators, so ref accepts some routine
# DDL from app that a group master refuses.
read_only = OFF
EOF
  else
  cat <<EOF

gtid_domain_id = ${DOMAIN[$g]}
log_bin = $(data_of "$n")/binlog
log_bin_index = $(data_of "$n")/binlog.index
relay_log = $(data_of "$n")/relay
binlog_format = ROW
log_slave_updates = ON
gtid_strict_mode = ON
expire_logs_days = 2
slave_net_timeout = 4
read_only = $ro

# semi-sync is built into 10.11 (no plugin load)
rpl_semi_sync_master_enabled = $sm
rpl_semi_sync_master_wait_point = AFTER_SYNC
rpl_semi_sync_master_timeout = 3000
rpl_semi_sync_slave_enabled = $ss
EOF
  fi
  cat <<EOF

# light but reasonable: five instances share the machine
innodb_buffer_pool_size = $BUFFER_POOL
innodb_log_file_size = 48M
innodb_log_buffer_size = 8M
innodb_flush_method = O_DIRECT
thread_cache_size = 64
table_open_cache = 1000
EOF
  } >"$(cnf_of "$n")"
}

init_instance() {
  local n=$1 d
  d=$(dir_of "$n")
  rm -rf "$d"
  mkdir -p "$d/data" "$d/tmp"
  write_cnf "$n"
  if [[ $RUN_AS_ROOT -eq 1 ]]; then chown -R mysql:mysql "$d"; fi
  local args=(--defaults-file="$(cnf_of "$n")" --auth-root-authentication-method=socket
    --skip-test-db --skip-name-resolve)
  [[ $RUN_AS_ROOT -eq 1 ]] && args+=(--user=mysql) || args+=(--user="$SERVER_USER")
  if ! mariadb-install-db "${args[@]}" >"$d/install.log" 2>&1; then
    tail -n 30 "$d/install.log" >&2
    die "mariadb-install-db failed for $n (log: $d/install.log)"
  fi
}

start_instance() {
  local n=$1 args
  args=(--defaults-file="$(cnf_of "$n")")
  [[ $RUN_AS_ROOT -eq 1 ]] && args+=(--user=mysql)
  rm -f "$(sock_of "$n")"
  # Own session: a Ctrl-C in the caller's terminal must not reach the servers.
  setsid mariadbd "${args[@]}" </dev/null >>"$(dir_of "$n")/stdout.log" 2>&1 9>&- &
  LAUNCHED[$n]=$!
}
declare -A LAUNCHED=()

wait_ping() {  # wait until the server answers on its socket
  local n=$1 deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    if [[ -S $(sock_of "$n") ]] && \
       timeout 5 mariadb-admin --defaults-file="$(cnf_of "$n")" --connect-timeout=2 ping >/dev/null 2>&1; then
      return 0
    fi
    if [[ -n ${LAUNCHED[$n]:-} ]] && ! kill -0 "${LAUNCHED[$n]}" 2>/dev/null; then
      show_errlog "$n"; die "$n (port ${PORT[$n]}) exited during start-up"
    fi
    sleep 0.2
  done
  show_errlog "$n"; die "$n (port ${PORT[$n]}) did not answer within ${TIMEOUT}s"
}

show_errlog() {
  echo "---- tail of $(errlog_of "$1") ----" >&2
  tail -n 25 "$(errlog_of "$1")" >&2 2>/dev/null || true
  echo "----" >&2
}

# Users and schemas, on every instance (ref too), outside the binlog
# (sql_log_bin=0) so no instance gets GTIDs of its own that would break
# strict-mode replication.
setup_accounts() {
  local n=$1 s p grants=""
  for s in "${APP_SCHEMAS[@]}"; do
    grants+="CREATE DATABASE IF NOT EXISTS \`$s\`; GRANT ALL PRIVILEGES ON \`$s\`.* TO 'app'@'%';"
  done
  for p in "${APP_SCHEMA_PATTERNS[@]}"; do
    grants+="GRANT ALL PRIVILEGES ON \`$p\`.* TO 'app'@'%';"
  done
  sql "$n" <<EOF
SET SESSION sql_log_bin = 0;
CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'app';
CREATE USER IF NOT EXISTS 'monitor'@'%' IDENTIFIED BY 'monitor';
CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'repl';
$grants
GRANT $MONITOR_PRIVS ON *.* TO 'monitor'@'%';
GRANT $REPL_PRIVS ON *.* TO 'repl'@'%';
FLUSH PRIVILEGES;
EOF
}

setup_replica() {
  local n=$1 m=$2
  sql "$n" <<EOF
STOP SLAVE;
RESET SLAVE ALL;
SET GLOBAL gtid_slave_pos = '';
CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${PORT[$m]},
  MASTER_USER='repl', MASTER_PASSWORD='repl', MASTER_USE_GTID=slave_pos,
  MASTER_HEARTBEAT_PERIOD=1, MASTER_CONNECT_RETRY=1;
START SLAVE;
EOF
}

# ---- live role ---------------------------------------------------------------
# Prints "role|detail" from the server itself: replica when SHOW SLAVE STATUS has
# a row, read-only when it has none and read_only=ON, otherwise master, or ref
# for the stand-alone instance (never in a group, so never a master of one).
live_role() {
  local n=$1 ro ss io sq semi lag
  ro=$(sql "$n" -e "SELECT @@read_only" 2>/dev/null) || { echo "unknown|no answer"; return; }
  ss=$(sql "$n" --column-names -E -e "SHOW SLAVE STATUS" 2>/dev/null || true)
  if [[ -n $ss ]]; then
    io=$(awk -F': ' '$1~/ Slave_IO_Running$/{print $2}' <<<"$ss")
    sq=$(awk -F': ' '$1~/ Slave_SQL_Running$/{print $2}' <<<"$ss")
    lag=$(awk -F': ' '$1~/ Seconds_Behind_Master$/{print $2}' <<<"$ss")
    local mp; mp=$(awk -F': ' '$1~/ Master_Port$/{print $2}' <<<"$ss")
    echo "replica|of=$mp io=$io sql=$sq lag=$lag read_only=$ro"
  else
    semi=$(sql "$n" -e "SHOW GLOBAL STATUS WHERE Variable_name IN
        ('Rpl_semi_sync_master_status', 'Rpl_semi_sync_master_clients')" 2>/dev/null |
      awk '$1=="Rpl_semi_sync_master_status"{s=$2} $1=="Rpl_semi_sync_master_clients"{c=$2}
           END{print "semisync=" s " semisync_clients=" c}')
    if [[ $ro == 1 ]]; then echo "read-only|no replication, read_only=1"
    elif [[ ${INITIAL_ROLE[$n]} == ref ]]; then
      local lb hosts
      lb=$(sql "$n" -e "SELECT @@log_bin" 2>/dev/null || echo '?')
      hosts=$(sql "$n" -e "SHOW SLAVE HOSTS" 2>/dev/null | wc -l || true)
      echo "ref|stand-alone read_only=0 log_bin=$lb replicas=$hosts"
    else echo "master|$semi"; fi
  fi
}

# ---- commands ----------------------------------------------------------------
cmd_status() {  # [NAME...]: default all
  local n st pid role detail
  [[ $# -gt 0 ]] || set -- "${INSTANCES[@]}"
  printf '%-5s %-9s %-6s %-8s %-8s %s\n' NAME ROLE PORT PID STATE DETAIL
  for n in "$@"; do
    st=$(proc_state "$n"); pid=$(pid_of "$n"); role=-; detail=""
    if [[ $st == running ]]; then IFS='|' read -r role detail <<<"$(live_role "$n")"; fi
    printf '%-5s %-9s %-6s %-8s %-8s %s\n' "$n" "$role" "${PORT[$n]}" "${pid:--}" "$st" "$detail"
  done
}

wait_ready() {  # NAME...: replication runs, semi-sync ON on every master, ref is ref
  local deadline=$((SECONDS + TIMEOUT)) n g ok why role detail masters groups=() want_ref=0
  for g in "${GROUPS_LIST[@]}"; do
    for n in "$@"; do [[ ${GROUP[$n]:-} == "$g" ]] && { groups+=("$g"); break; }; done
  done
  for n in "$@"; do [[ ${INITIAL_ROLE[$n]} == ref ]] && want_ref=1; done
  while :; do
    ok=1; why=""
    if [[ $want_ref -eq 1 ]]; then
      IFS='|' read -r role detail <<<"$(live_role ref)"
      [[ $role == ref ]] || { ok=0; why="ref: $role, not a writable stand-alone ($detail)"; }
    fi
    for g in "${groups[@]}"; do
      masters=0
      for n in ${GROUP_MEMBERS[$g]}; do
        IFS='|' read -r role detail <<<"$(live_role "$n")"
        case $role in
          master)
            masters=$((masters + 1))
            # ON, with at least one semi-sync replica connected.
            [[ $detail == "semisync=ON semisync_clients="[1-9]* ]] ||
              { ok=0; why="$n: semi-sync not active ($detail)"; }
            ;;
          replica)
            [[ $detail == *"io=Yes sql=Yes"* ]] || { ok=0; why="$n: replication not running ($detail)"; }
            ;;
          *) ok=0; why="$n: $role ($detail)" ;;
        esac
      done
      if [[ $masters -ne 1 ]]; then
        ok=0; why="group $g has $masters masters (after a failover drill? run: $0 reset)"
      fi
    done
    [[ $ok -eq 1 ]] && return 0
    if ((SECONDS >= deadline)); then
      local bad=${why%%:*}
      [[ -n ${PORT[$bad]:-} ]] && show_errlog "$bad"
      cmd_status >&2 || true
      die "not ready after ${TIMEOUT}s: $why"
    fi
    sleep 0.3
  done
}

cmd_up() {  # the instances in SELECTED (whole groups)
  local t0=$SECONDS n g fresh=() st
  command -v mariadbd >/dev/null || die "mariadbd not found: run scripts/install-deps.sh"
  (( ${#SANDBOX_DIR} + 20 < 100 )) || die "SANDBOX_DIR too long for a Unix socket path: $SANDBOX_DIR"
  mkdir -p "$SANDBOX_DIR"
  if [[ $RUN_AS_ROOT -eq 1 ]]; then
    # mysql must be able to traverse to its data directory.
    local p=$SANDBOX_DIR
    while [[ $p != / ]]; do
      [[ $(stat -c %A "$p") == ?????????[xt] ]] || die "$p is not world-searchable; mysql cannot reach $SANDBOX_DIR"
      p=$(dirname "$p")
    done
  fi
  declare -A sel=()
  for n in "${SELECTED[@]}"; do sel[$n]=1; done
  # 1. Which instances need a fresh data directory. A group whose master is
  #    (re)initialised is rebuilt as a whole: an old replica would not match.
  #    ref stands alone: only its own marker counts.
  if [[ -n ${sel[ref]:-} && ! -f $(marker_of ref) ]]; then fresh+=(ref); fi
  for g in "${GROUPS_LIST[@]}"; do
    [[ -n ${sel[${GROUP_MEMBERS[$g]%% *}]:-} ]] || continue
    local need=0
    for n in ${GROUP_MEMBERS[$g]}; do
      if [[ ! -f $(marker_of "$n") ]]; then
        if [[ ${INITIAL_ROLE[$n]} == master ]]; then need=2; elif [[ $need -eq 0 ]]; then need=1; fi
      fi
    done
    for n in ${GROUP_MEMBERS[$g]}; do
      if [[ $need -eq 2 || ( $need -eq 1 && ! -f $(marker_of "$n") ) ]]; then fresh+=("$n"); fi
    done
  done
  for n in "${fresh[@]}"; do
    [[ -n $(pid_of "$n") ]] && stop_instance "$n"
  done
  # 2. Initialise (in parallel: it is mostly waiting on the disk).
  local pids=()
  for n in "${fresh[@]}"; do
    log "initialising $n (port ${PORT[$n]})"
    init_instance "$n" & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || die "initialisation failed"; done
  # 3. Start what is not running; a frozen one is thawed.
  for n in "${SELECTED[@]}"; do
    st=$(proc_state "$n")
    case $st in
      stopped)
        [[ -f $(cnf_of "$n") ]] || write_cnf "$n"
        log "starting $n (port ${PORT[$n]})"; start_instance "$n" ;;
      frozen) log "$n was stopped by a signal (SIGSTOP): SIGCONT"; kill -CONT "$(pid_of "$n")" ;;
    esac
  done
  for n in "${SELECTED[@]}"; do wait_ping "$n"; done
  # 4. Fresh instances: accounts and schemas, then replication.
  for n in "${fresh[@]}"; do setup_accounts "$n"; done
  for n in "${fresh[@]}"; do
    if [[ ${INITIAL_ROLE[$n]} == replica ]]; then setup_replica "$n" "${INITIAL_MASTER[$n]}"; fi
  done
  # 5. Ready when replication runs and semi-sync is on (and ref is ref).
  wait_ready "${SELECTED[@]}"
  for n in "${fresh[@]}"; do touch "$(marker_of "$n")"; done
  log "up in $((SECONDS - t0))s"
  cmd_status
}

stop_instance() {  # by pid: SIGCONT, shutdown over the socket, SIGTERM, SIGKILL
  local n=$1 pid deadline
  pid=$(pid_of "$n")
  [[ -n $pid ]] || return 0
  kill -CONT "$pid" 2>/dev/null || true
  timeout 15 mariadb-admin --defaults-file="$(cnf_of "$n")" --connect-timeout=3 shutdown >/dev/null 2>&1 || true
  deadline=$((SECONDS + 20))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$n (pid $pid) still alive after shutdown: SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 15))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  fi
  if kill -0 "$pid" 2>/dev/null; then
    log "$n (pid $pid) still alive after SIGTERM: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  log "stopped $n (pid $pid)"
}

cmd_down() {  # the instances in SELECTED
  local n pids=() p rc=0
  for n in "${SELECTED[@]}"; do
    if [[ -n $(pid_of "$n") ]]; then stop_instance "$n" & pids+=($!); fi
  done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  for n in "${SELECTED[@]}"; do
    [[ -z $(pid_of "$n") ]] || { log "$n is still running"; rc=1; }
  done
  return $rc
}

cmd_reset() {  # the instances in SELECTED (whole groups)
  cmd_down
  log "deleting $SANDBOX_DIR/{${SELECTED[*]}}"
  local n
  for n in "${SELECTED[@]}"; do rm -rf "$(dir_of "$n")"; done
  cmd_up
}

# up/down/reset from several callers at once (parallel tests) take turns.
lock() {
  mkdir -p "$SANDBOX_DIR"
  exec 9>"$SANDBOX_DIR/.lock"
  flock -w 180 9 || die "another sandbox.sh holds $SANDBOX_DIR/.lock for 180s"
}

USAGE="usage: $0 up|down|status|reset [g0 g1 g0a g0b g1a g1b ref PORT...] | sql NAME|PORT [mariadb args...]"
cmd=${1:-}; [[ $# -gt 0 ]] && shift
case $cmd in
  up) select_instances groups "$@"; lock; cmd_up ;;
  down) select_instances exact "$@"; lock; cmd_down ;;
  status) select_instances exact "$@"; cmd_status "${SELECTED[@]}" ;;
  reset) select_instances groups "$@"; lock; cmd_reset ;;
  sql)
    [[ $# -ge 1 ]] || die "usage: $0 sql NAME|PORT [mariadb args...]"
    name=$(resolve_name "$1"); shift
    exec mariadb --defaults-file="$(cnf_of "$name")" "$@" ;;
  *) echo "$USAGE" >&2; exit 2 ;;
esac
