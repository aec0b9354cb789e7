#!/usr/bin/env bash
# The experiments of the connectivity-reconstruction thesis (001 §4), end to
# end: simulates the training and test data, trains the graph-locality model
# (and the dense benchmark model on empty data), infers, evaluates and prints
# every table. Steps whose output exists are skipped, so a killed run resumes.
#   §4.1  empty data: NETINFER_SESSIONS (default 50) training sessions of each
#         model, tallied by the loss and the outputs they settle on
#   §4.2  the 3-neuron generator at spike rate 0.25
#   §4.3  the inverted and the cyclic network at spike rates 0.25 and 0.05
#   train on n = 10, apply to n = 10 ... 300 beside the baselines
# usage: bash jobs/reconstruct.sh     (after a build; outputs in ${NETINFER_OUT:-out}/reconstruct)
# Simulation, inference and evaluation use NETINFER_RANKS (default 2) MPI
# ranks; training uses one (it is data-parallel, but 20,000 steps of a
# 195-parameter model take seconds). NETINFER_BIN picks another netinfer binary.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/jobs/env.sh"
netinfer="${NETINFER_BIN:-$root/build/netinfer}"
[[ -x "$netinfer" ]] || { echo "no $netinfer: build first (bash jobs/main.sh or cmake --build build)" >&2; exit 1; }
jobs="$root/jobs"
ranks="${NETINFER_RANKS:-2}"
sessions="${NETINFER_SESSIONS:-50}"
out="${NETINFER_OUT:-$root/out}/reconstruct"
mkdir -p "$out"
cd "$out"
mpi() { mpirun -np "$ranks" "$netinfer" "$@"; }

# Runs `netinfer $*` unless the file $1 exists; the output goes to $1.log.
make_file() {
  local file="$1"
  shift
  [[ -f "$file" ]] && return 0
  "$@" > "$file.log" 2>&1 || { echo "failed: $* (see $out/$file.log)" >&2; exit 1; }
}

# One attribute of a results file's first generator, as h5dump prints it.
attribute() { h5dump -a "/reconstruct/results/g0000/$2" "$1" | sed -n 's/^ *(0): //p'; }
# The first generator's mean model output, one entry per line.
mean_output() {
  h5dump -y -d /reconstruct/results/g0000/mean_output "$1" | sed -n '/DATA {/,/}/p' | sed '1d;$d' |
    tr ',' '\n' | tr -d ' ' | grep -v '^$'
}

start=$SECONDS
for sim in simulate_3neuron simulate_3neuron_test simulate_3neuron_test_low simulate_empty \
  simulate_small simulate_large; do
  file="$(sed -n 's/^output = //p' "$jobs/$sim.ini")"
  make_file "$file" mpi simulate --config "$jobs/$sim.ini"
done
echo "== simulations: $((SECONDS - start)) s"

# train (one rank), infer, evaluate for a job file; extra options follow.
reconstruct() {
  local job="$jobs/$1.ini" model predictions results
  shift
  model="$(sed -n 's/^model = //p' "$job")"
  predictions="$(sed -n 's/^predictions = //p' "$job")"
  results="$(sed -n 's/^results = //p' "$job")"
  while [[ $# -gt 0 ]]; do # --model/--predictions/--results overrides
    case "$1" in
      --model) model="$2" ;;
      --predictions) predictions="$2" ;;
      --results) results="$2" ;;
    esac
    shift 2
  done
  if grep -q '^train-data' "$job"; then
    make_file "$model" "$netinfer" reconstruct train --config "$job" "${extra[@]}" --model "$model"
    grep -h -m1 '^trained' "$model.log"
  fi
  make_file "$predictions" mpi reconstruct infer --config "$job" "${extra[@]}" --model "$model" \
    --predictions "$predictions"
  make_file "$results" mpi reconstruct evaluate --config "$job" "${extra[@]}" \
    --predictions "$predictions" --results "$results"
}

echo "== 001 §4.1: empty data, $sessions sessions per model (Fig. 4.2: loss 2/3 with outputs 1/3, or loss 1 with outputs 0)"
for kind in locality dense; do
  for ((seed = 1; seed <= sessions; seed++)); do
    extra=(--seed "$seed")
    reconstruct "reconstruct_empty_$kind" --model "empty_${kind}_model_s$seed.h5" \
      --predictions "empty_${kind}_predictions_s$seed.h5" --results "empty_${kind}_results_s$seed.h5" > /dev/null
    file="empty_${kind}_results_s$seed.h5"
    # The mean output rounded to 2 decimals, rows separated by "/".
    outputs="$(mean_output "$file" | awk '{ v[NR] = sprintf("%.2f", $1); if (v[NR] == "-0.00") v[NR] = "0.00" }
      END { n = int(sqrt(NR) + 0.5); for (i = 1; i <= NR; i++) printf "%s%s", v[i], (i % n ? " " : (i < NR ? " / " : "")) }')"
    printf '%s: loss %.3f, mean output %s\n' "$kind" "$(attribute "$file" loss)" "$outputs"
  done | sort | uniq -c
done
unset extra

extra=()
echo "== 001 §4.2-4.3: the 3-neuron model at spike rate 0.25"
reconstruct reconstruct_3neuron
"$netinfer" report three_rate025_results.h5 | sed -n '/^Reconstruction/,$p' | grep -v '^netinfer report'
echo "== 001 §4.3: the same model at spike rate 0.05"
reconstruct reconstruct_3neuron_low
"$netinfer" report three_rate005_results.h5 | sed -n '/^Reconstruction/,$p' | grep -v '^netinfer report'
echo "== trained on n = 10, applied to n = 10 ... 300"
reconstruct reconstruct_small_large
"$netinfer" report small_large_results.h5 | sed -n '/^Reconstruction/,$p' | grep -v '^netinfer report'
echo "reconstruction experiments: $((SECONDS - start)) s; files in $out"
