#!/usr/bin/env bash
# SLURM integration test on a real single-node cluster (slurm/cluster.sh):
# a 6-run experiment job submitted with slurm/submit.sh as an array of 3 tasks
# (throttle %2) and a chained gather. Round 1 stops every task after one run
# (--max-runs 1): the tasks succeed, the gather lists the 3 missing runs and
# fails, leaving only the .partial merged file. Round 2 re-submits the array
# with 2 MPI ranks per task (srun --mpi=pmix): each task skips the run it
# finished, and the merged file's runs are bit-identical to an unsliced run
# of the job. Round 3 re-submits task 1 alone (--only 1): it has nothing
# left to do. Round 4 runs `netinfer search` as an array of 2 streams
# (slurm/search.sbatch); round 5 one whose first task meets its --target and
# cancels the tasks still pending. Before the rounds, a bad input under srun
# is one line. The cluster is always stopped.
# usage: bash slurm_array.sh <path-to-netinfer>
source "$(dirname "$0")/lib/common.bash" "$1"
source "$source_dir/tests/cli/lib/experiment_runs.bash"
command -v slurmctld > /dev/null ||
  fail "Slurm is not installed (bash cmake/install-deps.sh installs slurm-wlm and munge)"
[[ $(id -u) == 0 ]] || fail "the test cluster needs root"
work=$(mktemp -d)
chmod 0755 "$work"  # munged wants every folder above its socket open to all
cluster=$work/cluster
cleanup() {
  bash "$source_dir/slurm/cluster.sh" stop "$cluster" > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

# Waits until job $1 (all its array tasks) has ended; prints its states.
wait_job() {
  local id=$1 states=""
  for _ in $(seq 600); do
    states=$(scontrol show job "$id" 2> /dev/null | grep -o "JobState=[A-Z_]*" | sort -u |
      tr '\n' ' ')
    if [[ -n $states ]] && ! grep -qE "PENDING|RUNNING|CONFIGURING|COMPLETING" <<< "$states"; then
      echo "$states"
      return
    fi
    sleep 0.2
  done
  cat out/logs/* >&2 2> /dev/null || true
  fail "job $id did not end within 120 s (states: ${states:-none})"
}
submit() {
  bash "$source_dir/slurm/submit.sh" --netinfer "$netinfer" -o "$work/out" "$@" > ids.txt
  array=$(awk '$1 == "array" {print $2}' ids.txt)
  gather=$(awk '$1 == "gather" {print $2}' ids.txt)
  [[ $array =~ ^[0-9]+$ && $gather =~ ^[0-9]+$ ]] || { cat ids.txt; fail "submit.sh printed no job ids"; }
}

make_mini_job
"$netinfer" experiment --config mini.ini --weights small.h5 --out full.h5 > full.txt
run_results full.h5 > full.res
[[ $(wc -l < full.res) == 6 ]] || fail "the unsliced job holds $(wc -l < full.res) runs, expected 6"

bash "$source_dir/slurm/cluster.sh" start "$cluster"
source "$cluster/env.sh"

# Bad input under srun at 2 ranks: netinfer's one line, printed once, then
# only Slurm's own status line; exit code 1.
rc=0
timeout 60 srun --mpi=pmix -n 2 --overcommit "$netinfer" respond --weights missing.h5 \
  --out x.h5 > /dev/null 2> srun-err.txt || rc=$?
[[ $rc == 1 ]] || { cat srun-err.txt; fail "srun: a bad input exited with $rc, not 1"; }
[[ $(grep -c '^netinfer: error: file not found: missing.h5' srun-err.txt) == 1 &&
  $(grep -vc '^srun: error: .*: Exited with exit code 1$' srun-err.txt) == 1 ]] ||
  { cat srun-err.txt; fail "srun: a bad input is not one netinfer line and srun's status"; }

# Round 1: 3 tasks, at most 2 at once, one run each.
submit -t 2 mini.ini 3 -- --weights "$work/small.h5" --max-runs 1
scontrol show job "$array" | grep -q "ArrayTaskThrottle=2" || fail "the array is not throttled to 2"
[[ $(wait_job "$array") == "JobState=COMPLETED " ]] || fail "round 1: array tasks did not all complete"
[[ $(wait_job "$gather") == "JobState=FAILED " ]] || fail "round 1: gather of an incomplete job did not fail"
for t in 0 1 2; do
  log=out/logs/array-${array}_$t.out
  [[ -f $log ]] || fail "no log $log (%A_%a)"
  grep -q "slice $t/3 incomplete: 1 of 2 runs" "$log" || { cat "$log"; fail "task $t did not stop after 1 run"; }
  [[ $(runs_in "out/slice-$t-of-3.h5.partial") == 1 ]] || fail "slice $t holds not 1 run"
done
# The throttle held: no task started while two others were running. The logs'
# lines are "task T of N: start|end SECONDS ..."; $6 is the time.
throttle_held() {
  awk '$5 == "start" {s[$2] = $6 + 0} $5 == "end" {e[$2] = $6 + 0} END {
    for (i in s) if (!(i in e)) exit 2
    for (i in s) { n = 0; for (j in s) if (s[j] <= s[i] && s[i] < e[j]) ++n; if (n > 2) exit 1 }
    exit length(s) == 3 ? 0 : 2 }' "$@"
}
throttle_held out/logs/array-"${array}"_*.out || fail "more than 2 tasks ran at once (or a log lacks its start or end)"
grep -q "3 of 6 runs are in no input" out/logs/gather-"$gather".out ||
  { cat out/logs/gather-"$gather".out; fail "round 1: gather did not report the missing runs"; }
[[ -f out/mini.h5.partial && ! -e out/mini.h5 ]] || fail "round 1: an incomplete gather must leave only mini.h5.partial"

# Round 2: the tasks again, 2 ranks each: they skip what they finished.
submit -t 2 -r 2 mini.ini 3 -- --weights "$work/small.h5"
[[ $(wait_job "$array") == "JobState=COMPLETED " ]] || fail "round 2: array tasks did not all complete"
[[ $(wait_job "$gather") == "JobState=COMPLETED " ]] || { cat out/logs/gather-"$gather".out; fail "round 2: gather failed"; }
for t in 0 1 2; do
  log=out/logs/array-${array}_$t.out
  grep -q "MPI ranks: 2" "$log" || { cat "$log"; fail "task $t did not run at 2 ranks"; }
  grep -q "slice $t/3 of 2, 1 already in .*, 1 to do now" "$log" || { cat "$log"; fail "task $t did not skip its finished run"; }
done
[[ -f out/mini.h5 && ! -e out/mini.h5.partial ]] || fail "round 2: no finished merged file"
run_results out/mini.h5 | cmp -s - full.res || fail "merged results differ from the unsliced job's"

# Round 3: task 1 alone has nothing left to do.
submit --only 1 mini.ini 3 -- --weights "$work/small.h5"
[[ $(wait_job "$gather") == "JobState=COMPLETED " ]] || fail "round 3: gather failed"
log=out/logs/array-${array}_1.out
grep -q "2 already in .*, 0 to do now" "$log" || { cat "$log"; fail "round 3: task 1 did not skip its runs"; }
grep -q "responses of\|spectrum of" "$log" && fail "round 3: task 1 recomputed inputs"
[[ $(ls out/logs/array-"${array}"_*.out) == "out/logs/array-${array}_1.out" ]] || fail "--only 1 ran other tasks"
run_results out/mini.h5 | cmp -s - full.res || fail "round 3: merged results changed"

# Round 4: the random search as an array of 2 streams with 2 candidates each
# (slurm/search.sbatch) evaluates the candidates of one unsliced search of 4.
cat > search.ini <<'INI'
[search]
pool = 2
max-width = 6
width-probability = 0.3
max-eigenvectors = 6
trees = 10
INI
# A search's table rows without its timing and cache columns, sorted.
candidates() { grep -hE '^ +[0-9]+ +[0-9.]+ +[0-9.]+ ' "$@" | awk '{$7 = $8 = ""; print}' | sort -n; }
"$netinfer" search --config search.ini --networks "$work/small.h5" --budget 4 \
  --out search-full.h5 > search-full.txt
[[ $(candidates search-full.txt | wc -l) == 4 ]] || { cat search-full.txt; fail "the unsliced search did not evaluate 4 candidates"; }
search=$(NETINFER=$netinfer NETINFER_SOURCE=$source_dir sbatch --parsable --array=0-1 --ntasks=1 \
  --output="$work/out/logs/search-%A_%a.out" "$source_dir/slurm/search.sbatch" \
  "$work/search.ini" 2 "$work/search" --networks "$work/small.h5" --budget 2)
search=${search%%;*}
[[ $(wait_job "$search") == "JobState=COMPLETED " ]] || { cat out/logs/search-*; fail "round 4: search tasks did not all complete"; }
for t in 0 1; do
  [[ -f search/search-$t-of-2.h5 ]] || { cat out/logs/search-"${search}"_$t.out; fail "no finished search-$t-of-2.h5"; }
  grep -q "search: stream $t of 2" out/logs/search-"${search}"_$t.out || fail "task $t did not take stream $t"
done
[[ "$(candidates search/search-*-of-2.log)" == "$(candidates search-full.txt)" ]] ||
  fail "the streams' candidates differ from the unsliced search's"

# Round 5: an array of 3 streams, one task at a time, whose target every
# candidate meets: the first task to run stops at its first candidate and
# cancels the array, so the other two never start.
found=$(NETINFER=$netinfer NETINFER_SOURCE=$source_dir sbatch --parsable --array=0-2%1 --ntasks=1 \
  --output="$work/out/logs/found-%A_%a.out" "$source_dir/slurm/search.sbatch" \
  "$work/search.ini" 3 "$work/found" --networks "$work/small.h5" --target 100)
found=${found%%;*}
states=$(wait_job "$found")
[[ $states == *CANCELLED* ]] || fail "round 5: the array was not cancelled (states: $states)"
ran=(found/search-*-of-3.h5)
[[ ${#ran[@]} == 1 && -f ${ran[0]} ]] || fail "round 5: ${#ran[@]} tasks finished a search, expected 1"
[[ $(ls out/logs/found-"${found}"_*.out | wc -l) == 1 ]] || fail "round 5: more than one task started"
grep -q "found its candidate: cancelling the other tasks of $found" out/logs/found-"${found}"_*.out ||
  { cat out/logs/found-"${found}"_*.out; fail "round 5: the task did not cancel the array"; }

bash "$source_dir/slurm/cluster.sh" stop "$cluster" > stop.txt
if bash "$source_dir/slurm/cluster.sh" status "$cluster" > status.txt; then fail "the cluster still runs after stop"; fi
echo "slurm array: ok"
