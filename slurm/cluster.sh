#!/usr/bin/env bash
# A single-node Slurm from Debian's packages (munge, slurmctld, slurmd), for
# tests and trying the array scripts: no systemd, everything (configuration,
# state, logs, PIDs) in DIR, daemons stopped by PID. Needs root.
#   bash slurm/cluster.sh start DIR    start; wait until the node is idle
#   bash slurm/cluster.sh status DIR   show the node and the queue (exit 1 if down)
#   bash slurm/cluster.sh stop DIR     cancel jobs, stop the daemons
# Clients need the configuration: source DIR/env.sh (exports SLURM_CONF).
# munged wants DIR and every folder above it searchable by all (mode 755).
# NETINFER_SLURM_TIMEOUT: seconds to wait for the node (default 60).
# Settings: ../shared/PLATFORM.md, "A single-node Slurm without systemd".
set -euo pipefail

die() { echo "cluster.sh: $*" >&2; exit 1; }
(($# == 2)) || die "usage: cluster.sh start|stop|status DIR"
action=$1
mkdir -p "$2"
dir=$(realpath "$2")
conf=$dir/slurm.conf
export SLURM_CONF=$conf

running() { [[ -f $dir/$1.pid ]] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }

# A TCP port nobody listens on, from a start that depends on DIR (several
# clusters may run on one machine).
free_port() {
  local port=$1 hex
  while :; do
    printf -v hex ':%04X ' "$port"
    if ! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "0A" {print $2}' |
      grep -q "${hex% }$"; then
      echo "$port"
      return
    fi
    port=$((port + 1))
  done
}

write_conf() {
  local host node base
  host=$(hostname)
  node=$(slurmd -C | head -n 1)  # NodeName=<host> CPUs=... RealMemory=...
  [[ $node == "NodeName=$host "* ]] || die "slurmd -C printed '$node', not NodeName=$host"
  base=$((20000 + $(cksum <<<"$dir" | cut -d' ' -f1) % 20000))
  local ctld_port slurmd_port
  ctld_port=$(free_port "$base")
  slurmd_port=$(free_port $((ctld_port + 1)))
  cat >"$conf" <<CONF
ClusterName=netinfer
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket.2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid.slurm
SlurmdPidFile=$dir/slurmd.pid.slurm
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
$node State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
}

start() {
  (($(id -u) == 0)) || die "needs root (SlurmUser=root, munge key ownership)"
  for tool in mungekey munged slurmctld slurmd sinfo; do
    command -v "$tool" >/dev/null || die "$tool not found: install slurm-wlm and munge" \
      "(NETINFER_WITH_SLURM=1 bash cmake/install-deps.sh)"
  done
  running slurmctld && die "a cluster already runs in $dir (stop it first)"
  chmod 0755 "$dir"
  mkdir -p "$dir/state" "$dir/spool"
  [[ -f $dir/munge.key ]] || mungekey --create --keyfile="$dir/munge.key"
  munged -S "$dir/munge.socket.2" --key-file="$dir/munge.key" --log-file="$dir/munged.log" \
    --pid-file="$dir/munged.pid" --seed-file="$dir/munge.seed"
  write_conf
  echo "export SLURM_CONF=$conf" >"$dir/env.sh"
  slurmctld -D -c -f "$conf" >"$dir/slurmctld.out" 2>&1 &
  echo $! >"$dir/slurmctld.pid"
  slurmd -D -f "$conf" >"$dir/slurmd.out" 2>&1 &
  echo $! >"$dir/slurmd.pid"
  local timeout=${NETINFER_SLURM_TIMEOUT:-60} state=""
  for ((i = 0; i < timeout * 5; ++i)); do
    state=$(sinfo -h -o %t 2>/dev/null || true)
    [[ $state == idle ]] && { echo "cluster.sh: node $(hostname) idle (SLURM_CONF=$conf)"; return; }
    running slurmctld || break
    running slurmd || break
    sleep 0.2
  done
  tail -n 5 "$dir/slurmctld.log" "$dir/slurmd.log" "$dir/slurmctld.out" "$dir/slurmd.out" \
    >&2 2>/dev/null || true
  stop >/dev/null 2>&1 || true
  die "the node did not become idle within ${timeout} s (state '${state:-none}'; logs above, in $dir)"
}

stop() {
  if running slurmctld; then
    squeue -h -o %i 2>/dev/null | xargs -r scancel 2>/dev/null || true
    for ((i = 0; i < 50; ++i)); do
      [[ -z $(squeue -h -o %i 2>/dev/null) ]] && break
      sleep 0.1
    done
  fi
  local name pid
  for name in slurmd slurmctld munged; do
    running "$name" || { rm -f "$dir/$name.pid"; continue; }
    pid=$(cat "$dir/$name.pid")
    kill -TERM "$pid"
    for ((i = 0; i < 50; ++i)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    rm -f "$dir/$name.pid"
  done
  echo "cluster.sh: stopped the cluster in $dir"
}

status() {
  running slurmctld && running slurmd || { echo "cluster.sh: no cluster runs in $dir"; return 1; }
  sinfo
  squeue
}

case $action in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "unknown action '$action' (start, stop or status)" ;;
esac
