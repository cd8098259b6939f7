#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on one machine, for scale-out tests of SurgiCase against a
# multi-primary MySQL-compatible database. No container engine is needed: the script runs three
# mariadbd processes from the installed MariaDB server and Galera provider.
#
#   docker/galera/cluster.sh start          start every node (idempotent), then wait for the cluster
#   docker/galera/cluster.sh stop           stop every node (3, 2, then 1); no process is left behind
#   docker/galera/cluster.sh status         each node: process, size, state; exit 1 unless all synced
#   docker/galera/cluster.sh wait           until wsrep_cluster_size = 3 and every node is Synced
#   docker/galera/cluster.sh stop-node N    stop node N (1-3); the others stay primary
#   docker/galera/cluster.sh start-node N   start node N; it rejoins and resyncs (IST, else SST)
#   docker/galera/cluster.sh destroy        stop, then delete the base directory
#
# Each node has its own directory under the base directory (data, socket, pid file, error log,
# my.cnf), its own SQL port, Galera replication port, IST port and SST (rsync) port, all on
# 127.0.0.1. Root connects over TCP with an empty password, like the MariaDB server the test
# suites use: mysql://root@127.0.0.1:3307 (node 1), :3308 (node 2), :3309 (node 3).
#
# Environment (defaults):
#   SURGICASE_GALERA_DIR=/tmp/surgicase-galera  base directory
#   SURGICASE_GALERA_SQL_PORT=3307              node N listens on SQL_PORT + N - 1
#   SURGICASE_GALERA_GCOMM_PORT=4567            node N replicates on GCOMM_PORT + 10 (N - 1),
#                                               receives IST on that + 1
#   SURGICASE_GALERA_SST_PORT=4444              node N receives SST on SST_PORT + 10 (N - 1)
#   SURGICASE_GALERA_WAIT_S=180                 how long start and wait wait
#   SURGICASE_GALERA_MARIADBD=mariadbd          the server binary
#   SURGICASE_GALERA_PROVIDER=/usr/lib/galera/libgalera_smm.so
#   SURGICASE_GALERA_USER                       the servers' user (as root: mysql; else yourself)
#
# Requires: mariadb-server 10.11 (mariadbd, mariadb-install-db, mariadb, mariadb-admin),
# galera-4, rsync (SST) and ss or lsof (used by the rsync SST script).
set -euo pipefail

BASE=${SURGICASE_GALERA_DIR:-/tmp/surgicase-galera}
SQL_PORT=${SURGICASE_GALERA_SQL_PORT:-3307}
GCOMM_PORT=${SURGICASE_GALERA_GCOMM_PORT:-4567}
SST_PORT=${SURGICASE_GALERA_SST_PORT:-4444}
WAIT_S=${SURGICASE_GALERA_WAIT_S:-180}
MARIADBD=${SURGICASE_GALERA_MARIADBD:-mariadbd}
# The servers run as this user. As root: mysql, because the rsync daemon of a state transfer,
# started as root, would drop to nobody and could not write the joiner's data directory.
if [ -n "${SURGICASE_GALERA_USER:-}" ]; then
  RUN_USER=$SURGICASE_GALERA_USER
elif [ "$(id -u)" = 0 ] && id mysql >/dev/null 2>&1; then
  RUN_USER=mysql
else
  RUN_USER=$(id -un)
fi
PROVIDER=${SURGICASE_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
NODES=(1 2 3)
CLUSTER_NAME=surgicase-galera

say() { printf 'galera: %s\n' "$*"; }
die() { printf 'galera: %s\n' "$*" >&2; exit 1; }

node_dir() { printf '%s/node%s' "$BASE" "$1"; }
sql_port() { echo $((SQL_PORT + $1 - 1)); }
gcomm_port() { echo $((GCOMM_PORT + 10 * ($1 - 1))); }
ist_port() { echo $(($(gcomm_port "$1") + 1)); }
sst_port() { echo $((SST_PORT + 10 * ($1 - 1))); }
pid_file() { printf '%s/mysqld.pid' "$(node_dir "$1")"; }
cluster_address() {
  local n list=""
  for n in "${NODES[@]}"; do list+="${list:+,}127.0.0.1:$(gcomm_port "$n")"; done
  printf 'gcomm://%s' "$list"
}

check_node_arg() {
  case "${1:-}" in
    1 | 2 | 3) ;;
    *) die "node must be 1, 2 or 3 (got '${1:-}')" ;;
  esac
}

# SQL as root over TCP (what the test suites use).
sql() {
  local n=$1
  shift
  mariadb --no-defaults -uroot -h127.0.0.1 -P"$(sql_port "$n")" --connect-timeout=2 -N -B "$@"
}

wsrep_var() {
  sql "$1" -e "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | awk '{print $2}'
}

# The server's pid: from its pid file, or (while a joiner receives its state transfer, before
# the server writes that file) from the one the script recorded when it launched it.
node_pid() {
  local dir file pid
  dir=$(node_dir "$1")
  for file in "$dir/mysqld.pid" "$dir/launched.pid"; do
    [ -s "$file" ] || continue
    pid=$(cat "$file")
    { [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; } || continue
    # The pid must still be this node's server (pids are reused).
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--defaults-file=$dir/my.cnf" || continue
    echo "$pid"
    return 0
  done
  return 1
}

node_running() { node_pid "$1" >/dev/null; }

# Any process started for node N: the server, and rsync daemons of a state transfer.
node_processes() {
  local dir
  dir=$(node_dir "$1")
  pgrep -f -- "--defaults-file=$dir/my.cnf" || true
  pgrep -f -- "--config[= ]$dir/data/rsync_sst.conf" || true
}

write_config() {
  local n=$1 dir
  dir=$(node_dir "$n")
  mkdir -p "$dir/data" "$dir/tmp"
  if [ "$RUN_USER" != "$(id -un)" ]; then
    chown "$RUN_USER:" "$BASE"
    chown -R "$RUN_USER:" "$dir"
    runuser -u "$RUN_USER" -- test -w "$dir/data" ||
      die "$RUN_USER cannot write $dir/data (choose a SURGICASE_GALERA_DIR it can reach)"
  fi
  cat >"$dir/my.cnf" <<EOF
# Generated by docker/galera/cluster.sh: node $n of the local SurgiCase Galera cluster.
[mysqld]
user = $RUN_USER
basedir = /usr
datadir = $dir/data
tmpdir = $dir/tmp
socket = $dir/mysqld.sock
pid-file = $dir/mysqld.pid
log-error = $dir/error.log
port = $(sql_port "$n")
bind-address = 127.0.0.1
skip-name-resolve
max_connections = 400

character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci

default_storage_engine = InnoDB
innodb_autoinc_lock_mode = 2
innodb_buffer_pool_size = 256M
innodb_flush_log_at_trx_commit = 2
binlog_format = ROW

wsrep_on = ON
wsrep_provider = $PROVIDER
wsrep_cluster_name = $CLUSTER_NAME
wsrep_cluster_address = $(cluster_address)
wsrep_node_name = node$n
wsrep_node_address = 127.0.0.1:$(gcomm_port "$n")
wsrep_provider_options = "gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "$n");ist.recv_addr=127.0.0.1:$(ist_port "$n");gcache.size=256M"
wsrep_sst_method = rsync
wsrep_sst_receive_address = 127.0.0.1:$(sst_port "$n")
wsrep_slave_threads = 2
# Refuse what Galera cannot replicate (tables without a primary key, non-InnoDB writes), so a
# migration that would break a cluster fails here first.
wsrep_mode = REQUIRED_PRIMARY_KEY,STRICT_REPLICATION

[client]
socket = $dir/mysqld.sock
EOF
}

# The node whose data may start a new primary component: Galera marks the last node to leave
# a cleanly stopped cluster with safe_to_bootstrap: 1. A node without data starts fresh.
bootstrap_candidate() {
  local n state
  for n in "${NODES[@]}"; do
    state="$(node_dir "$n")/data/grastate.dat"
    if [ -f "$state" ] && grep -q '^safe_to_bootstrap: *1' "$state"; then
      echo "$n"
      return
    fi
  done
  for n in "${NODES[@]}"; do
    [ -f "$(node_dir "$n")/data/grastate.dat" ] || [ -d "$(node_dir "$n")/data/mysql" ] || {
      echo "$n"
      return
    }
  done
  echo ""
}

any_running() {
  local n
  for n in "${NODES[@]}"; do node_running "$n" && return 0; done
  return 1
}

# Waits until node N answers SQL and reports Synced, or its process ends.
wait_node_synced() {
  local n=$1 deadline=$((SECONDS + WAIT_S)) state=""
  while [ "$SECONDS" -lt "$deadline" ]; do
    node_running "$n" || {
      tail -n 30 "$(node_dir "$n")/error.log" >&2 || true
      die "node $n exited while starting (log: $(node_dir "$n")/error.log)"
    }
    state=$(wsrep_var "$n" wsrep_local_state_comment || true)
    [ "$state" = "Synced" ] && return 0
    sleep 0.5
  done
  die "node $n is not Synced after ${WAIT_S}s (state '${state}'; log: $(node_dir "$n")/error.log)"
}

launch() {
  local n=$1
  shift
  local dir
  dir=$(node_dir "$n")
  # Detached from this shell's session, so that the cluster outlives the script.
  setsid "$MARIADBD" --defaults-file="$dir/my.cnf" "$@" </dev/null >>"$dir/console.log" 2>&1 &
  echo "$!" >"$dir/launched.pid"
  local deadline=$((SECONDS + 30))
  until node_running "$n"; do
    [ "$SECONDS" -lt "$deadline" ] || {
      tail -n 30 "$dir/error.log" >&2 || true
      die "node $n did not start (log: $dir/error.log)"
    }
    sleep 0.2
  done
}

# Starts node N: bootstraps a new primary component when no node runs, else joins.
start_node() {
  local n=$1 dir
  dir=$(node_dir "$n")
  if node_running "$n"; then
    say "node $n already running (pid $(node_pid "$n"), port $(sql_port "$n"))"
    return 0
  fi
  write_config "$n"
  rm -f "$dir/mysqld.sock" "$dir/mysqld.pid" "$dir/launched.pid"
  if any_running; then
    say "node $n joining on port $(sql_port "$n")"
    launch "$n"
    return 0
  fi
  local state="$dir/data/grastate.dat"
  if [ ! -d "$dir/data/mysql" ]; then
    say "node $n: creating a new database"
    rm -rf "${dir:?}/data" && mkdir -p "$dir/data"
    mariadb-install-db --no-defaults --user="$RUN_USER" --datadir="$dir/data" \
      --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 ||
      {
        cat "$dir/install.log" >&2
        die "mariadb-install-db failed for node $n"
      }
  elif [ -f "$state" ] && ! grep -q '^safe_to_bootstrap: *1' "$state"; then
    # The cluster did not stop cleanly: this node may miss the last transactions of another.
    say "node $n was not the last to leave its cluster; bootstrapping from it anyway"
    sed -i 's/^safe_to_bootstrap: *0/safe_to_bootstrap: 1/' "$state"
  fi
  say "node $n bootstrapping a new cluster on port $(sql_port "$n")"
  launch "$n" --wsrep-new-cluster
  wait_node_synced "$n"
  # Root over TCP from 127.0.0.1 with an empty password, as on the test server.
  mariadb --no-defaults -uroot --socket="$dir/mysqld.sock" -e \
    "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
     GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
}

stop_node() {
  local n=$1 dir pid
  dir=$(node_dir "$n")
  if pid=$(node_pid "$n"); then
    say "stopping node $n (pid $pid)"
    mariadb-admin --no-defaults -uroot --socket="$dir/mysqld.sock" shutdown >/dev/null 2>&1 ||
      kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        say "node $n did not stop within 60s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
      fi
      sleep 0.2
    done
  fi
  # Leftovers of an interrupted state transfer.
  local leftover
  for leftover in $(node_processes "$n"); do
    kill -TERM "$leftover" 2>/dev/null || true
  done
  sleep 0.2
  for leftover in $(node_processes "$n"); do
    kill -KILL "$leftover" 2>/dev/null || true
  done
  rm -f "$dir/mysqld.sock"
}

wait_cluster() {
  local deadline=$((SECONDS + WAIT_S)) n ok size state
  while :; do
    ok=1
    for n in "${NODES[@]}"; do
      size=$(wsrep_var "$n" wsrep_cluster_size || true)
      state=$(wsrep_var "$n" wsrep_local_state_comment || true)
      if [ "$size" != "${#NODES[@]}" ] || [ "$state" != "Synced" ]; then
        ok=0
        break
      fi
    done
    [ "$ok" = 1 ] && {
      say "cluster of ${#NODES[@]} nodes synced"
      return 0
    }
    if [ "$SECONDS" -ge "$deadline" ]; then
      status || true
      die "cluster not synced after ${WAIT_S}s"
    fi
    sleep 0.5
  done
}

status() {
  local n pid size state primary all=0
  printf '%-5s %-8s %-6s %-5s %-10s %s\n' node pid port size state component
  for n in "${NODES[@]}"; do
    pid=$(node_pid "$n" || echo -)
    size=$(wsrep_var "$n" wsrep_cluster_size || true)
    state=$(wsrep_var "$n" wsrep_local_state_comment || true)
    primary=$(wsrep_var "$n" wsrep_cluster_status || true)
    printf '%-5s %-8s %-6s %-5s %-10s %s\n' "$n" "$pid" "$(sql_port "$n")" "${size:--}" "${state:--}" \
      "${primary:--}"
    [ "$state" = "Synced" ] && [ "$size" = "${#NODES[@]}" ] || all=1
  done
  return "$all"
}

start_all() {
  command -v "$MARIADBD" >/dev/null || die "$MARIADBD not found (install mariadb-server)"
  [ -f "$PROVIDER" ] || die "Galera provider $PROVIDER not found (install galera-4)"
  command -v rsync >/dev/null || die "rsync not found (needed for state transfers)"
  local started=$SECONDS n first
  if ! any_running; then
    first=$(bootstrap_candidate)
    [ -n "$first" ] || first=1
    start_node "$first"
  fi
  # Joiners one after the other: a node that just synced can donate to the next one.
  for n in "${NODES[@]}"; do
    node_running "$n" && continue
    start_node "$n"
    wait_node_synced "$n"
  done
  wait_cluster
  say "started in $((SECONDS - started))s: mysql://root@127.0.0.1:$(sql_port 1)," \
    "mysql://root@127.0.0.1:$(sql_port 2), mysql://root@127.0.0.1:$(sql_port 3)"
}

stop_all() {
  local n
  # Node 1 leaves last, so it is the one marked safe to bootstrap the next start.
  for ((n = ${#NODES[@]}; n >= 1; n--)); do stop_node "$n"; done
  for n in "${NODES[@]}"; do
    [ -z "$(node_processes "$n")" ] || die "node $n still has processes: $(node_processes "$n" | xargs)"
  done
  say "stopped"
}

case "${1:-}" in
  start) start_all ;;
  stop) stop_all ;;
  status) status ;;
  wait) wait_cluster ;;
  start-node)
    check_node_arg "${2:-}"
    start_node "$2"
    wait_node_synced "$2"
    ;;
  stop-node)
    check_node_arg "${2:-}"
    stop_node "$2"
    ;;
  destroy)
    stop_all
    rm -rf "${BASE:?}"
    say "removed $BASE"
    ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
