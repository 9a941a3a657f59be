#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the farm's integration test:
#   scripts/slurm-cluster.sh start DIR   writes DIR/slurm.conf and a munge key, starts munged,
#                                        slurmctld and slurmd (CPU only, ports of their own), and
#                                        waits until the node takes jobs
#   scripts/slurm-cluster.sh stop DIR    stops the daemons that start left running
# Clients find the cluster with SLURM_CONF=DIR/slurm.conf. Everything lives in DIR; nothing in
# /etc is read or changed. Needs slurmctld, slurmd and munged (scripts/install-deps.sh).
set -euo pipefail

command=${1:?usage: slurm-cluster.sh start|stop DIR}
dir=${2:?usage: slurm-cluster.sh start|stop DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

stop() {
    for daemon in slurmd slurmctld munged; do
        if [ -s "$dir/$daemon.pid" ]; then
            pid=$(cat "$dir/$daemon.pid")
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 50); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            kill -9 "$pid" 2>/dev/null || true
            rm -f "$dir/$daemon.pid"
        fi
    done
}

if [ "$command" = stop ]; then
    stop
    exit 0
fi
if [ "$command" != start ]; then
    echo "slurm-cluster: unknown command '$command' (start or stop)" >&2
    exit 2
fi
for tool in munged slurmctld slurmd sinfo; do
    if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
        echo "slurm-cluster: $tool is not installed (scripts/install-deps.sh installs it)" >&2
        exit 3
    fi
done
export PATH="$PATH:/usr/sbin"

host=$(hostname -s)
user=$(id -un)
cpus=$(nproc)
# Ports of their own, so that a cluster already on this machine is left alone.
base=$((20000 + ($$ % 20000)))
mkdir -p "$dir/munge" "$dir/state" "$dir/spool"
chmod 700 "$dir" "$dir/munge"
head -c 1024 /dev/urandom >"$dir/munge/munge.key"
chmod 400 "$dir/munge/munge.key"
cat >"$dir/slurm.conf" <<EOF
ClusterName=upscale-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=farm Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$dir/slurm.conf"

trap 'stop' ERR
munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/seed"
slurmctld -i -f "$SLURM_CONF"
slurmd -N "$host" -f "$SLURM_CONF"
for _ in $(seq 100); do
    if sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
        echo "slurm-cluster: node $host is up ($cpus CPUs); SLURM_CONF=$SLURM_CONF"
        exit 0
    fi
    sleep 0.2
done
echo "slurm-cluster: the node did not come up; see $dir/slurmctld.log and $dir/slurmd.log" >&2
stop
exit 1
