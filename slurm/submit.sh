#!/usr/bin/env bash
# Submits an experiment job as a SLURM array of TASKS tasks (slurm/array.sbatch:
# task I runs slice I/TASKS of the job's runs) and a gather job
# (slurm/gather.sbatch) that runs when every task has succeeded
# (--dependency=afterok:<array job>) and merges the slices into OUT/<job>.h5.
# Prints the two job ids ("array <id>", "gather <id>").
# usage: bash slurm/submit.sh [options] JOB.ini TASKS [-- experiment options]
#   -t, --throttle N   run at most N tasks at once (--array=...%N)
#   -r, --ranks R      MPI ranks per task (default 1)
#   -o, --out DIR      slice files, logs (DIR/logs, %A_%a) and merged file
#                      (default out/<job>)
#   --only LIST        submit only these task ids (e.g. 1 or 0,2-3): re-run
#                      tasks; they skip the runs already in their files
#   --netinfer PATH    the binary (default <repository>/build/netinfer)
# Example: bash slurm/submit.sh -t 4 -r 2 jobs/fig14.ini 16 -- --weights out/lenet.h5
set -euo pipefail
die() { echo "submit.sh: $*" >&2; exit 2; }
source_dir=$(realpath "$(dirname "$0")/..")
throttle="" ranks=1 out="" only="" netinfer=$source_dir/build/netinfer
args=()
while (($#)); do
  case $1 in
    -t | --throttle) throttle=${2:?}; shift 2 ;;
    -r | --ranks) ranks=${2:?}; shift 2 ;;
    -o | --out) out=${2:?}; shift 2 ;;
    --only) only=${2:?}; shift 2 ;;
    --netinfer) netinfer=${2:?}; shift 2 ;;
    --) shift; break ;;
    -*) die "unknown option $1" ;;
    *) args+=("$1"); shift ;;
  esac
done
((${#args[@]} == 2)) || die "usage: submit.sh [options] JOB.ini TASKS [-- experiment options]"
job=$(realpath "${args[0]}") tasks=${args[1]}
[[ -f $job ]] || die "no job file ${args[0]}"
[[ $tasks =~ ^[1-9][0-9]*$ ]] || die "TASKS must be a positive integer, not '$tasks'"
[[ -z $throttle || $throttle =~ ^[1-9][0-9]*$ ]] || die "--throttle must be a positive integer"
[[ $ranks =~ ^[1-9][0-9]*$ ]] || die "--ranks must be a positive integer"
[[ -x $netinfer ]] || die "no netinfer binary at $netinfer (build first, or --netinfer PATH)"
stem=$(basename "$job" .ini)
out=$(realpath -m "${out:-out/$stem}")
mkdir -p "$out/logs"
indices=${only:-0-$((tasks - 1))}
export NETINFER=$(realpath "$netinfer") NETINFER_SOURCE=$source_dir

array=$(sbatch --parsable --job-name="netinfer-$stem" --array="$indices${throttle:+%$throttle}" \
  --ntasks="$ranks" --output="$out/logs/array-%A_%a.out" \
  "$source_dir/slurm/array.sbatch" "$job" "$tasks" "$out" "$@")
array=${array%%;*}
gather=$(sbatch --parsable --job-name="netinfer-$stem-gather" --dependency="afterok:$array" \
  --output="$out/logs/gather-%j.out" \
  "$source_dir/slurm/gather.sbatch" "$out" "$tasks" "$out/$stem.h5")
gather=${gather%%;*}
echo "array $array"
echo "gather $gather"
