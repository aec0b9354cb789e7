#!/usr/bin/env bash
# The scaling benchmark of the architecture ladder (issue: scale beyond LeNet):
# trains each rung once (skipped when its weights exist), then localises it at
# 1, 2 and 4 ranks (4 oversubscribed on 2 cores) and prints, per run, the
# memory plan, the time of every stage and the error.
# usage: bash jobs/ladder/run.sh [rung ...]   (default: lenet lenet_deep lenet2x lenet4x)
# Outputs go to ${NETINFER_OUT:-out}/ladder. The memory plan is checked from
# the architecture before training: a rank count it refuses is reported with
# the number of nodes that would hold it and skipped, and a rung no rank count
# can hold is not trained. NETINFER_RANK_COUNTS (default "1 2 4") picks the
# rank counts; NETINFER_LADDER_OPTIONS adds options to every localisation
# (e.g. "--feature-set GAUSSIAN" for a quicker ladder).
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/jobs/env.sh"
netinfer="$root/build/netinfer"
out="${NETINFER_OUT:-$root/out}/ladder"
mkdir -p "$out"
cd "$out"
rungs=("$@")
[[ ${#rungs[@]} -gt 0 ]] || rungs=(lenet lenet_deep lenet2x lenet4x)
for rung in "${rungs[@]}"; do
  job="$root/jobs/ladder/$rung.ini"
  [[ -f "$job" ]] || { echo "no job file $job" >&2; exit 1; }
  # The memory plan from the architecture alone, so that a rung no rank count
  # can hold is reported without training it.
  layers="$(sed -n 's/^architecture = //p' "$job")"
  counts=()
  for np in ${NETINFER_RANK_COUNTS:-1 2 4}; do
    # shellcheck disable=SC2086 # the options are meant to split into words
    if plan="$(mpirun -np "$np" "$netinfer" localize --config "$job" --plan --architecture "$layers" \
      ${NETINFER_LADDER_OPTIONS:-} 2>&1)"; then
      counts+=("$np")
    else
      echo "== $rung at $np rank(s): refused: $(grep -m1 -o 'memory plan: .*\]' <<<"$plan")"
    fi
  done
  [[ ${#counts[@]} -gt 0 ]] || continue
  if [[ ! -f "ladder-$rung.h5" ]]; then
    OMP_NUM_THREADS="$NETINFER_CORES" "$netinfer" train --config "$job" > "train-$rung.log" 2>&1 ||
      { echo "$rung: training failed (see $out/train-$rung.log)"; continue; }
  fi
  echo "== $rung: $(grep -m1 'final test accuracy' "train-$rung.log" 2>/dev/null)"
  for np in "${counts[@]}"; do
    log="localize-$rung-np$np.log"
    start=$SECONDS
    # shellcheck disable=SC2086 # the options are meant to split into words
    if mpirun -np "$np" "$netinfer" localize --config "$job" --out "results-$rung-np$np.h5" \
      --force ${NETINFER_LADDER_OPTIONS:-} > "$log" 2>&1; then
      echo "-- $np rank(s): $((SECONDS - start)) s wall"
    else
      echo "-- $np rank(s): failed after $((SECONDS - start)) s: $(grep -m1 'error' "$log")"
    fi
    grep -E "^memory per rank|forward: [0-9]+ images in|^  read|classifier bank:|  error |^measured peak" "$log"
  done
done
