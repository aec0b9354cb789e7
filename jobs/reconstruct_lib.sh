# Sourced by the reconstruction job scripts (jobs/reconstruct*.sh): the
# environment, the output directory ${NETINFER_OUT:-out}/reconstruct as the
# working directory, and the steps they share. Each step skips a file that
# exists, so a killed job resumes.
# NETINFER_RANKS (default 2) MPI ranks simulate, infer and evaluate; training
# uses one. NETINFER_BIN picks another netinfer binary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/jobs/env.sh"
netinfer="$(realpath -m "${NETINFER_BIN:-$root/build/netinfer}")"
[[ -x "$netinfer" ]] || { echo "no $netinfer: build first (bash jobs/main.sh or cmake --build build)" >&2; exit 1; }
jobs="$root/jobs"
ranks="${NETINFER_RANKS:-2}"
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

# The spike file of simulation job $1 (jobs/$1.ini), simulated unless it exists.
simulate_job() {
  local file
  file="$(sed -n 's/^output = //p' "$jobs/$1.ini")"
  make_file "$file" mpi simulate --config "$jobs/$1.ini"
}

# The file that job $1 names for key $2 (model, predictions or results); with
# a seed $3, the session's own file: _s$3 before .h5.
output_of() { sed -n "s/^$2 = //p" "$jobs/$1.ini" | sed "s/\.h5\$/${3:+_s$3}.h5/"; }

# Train (one rank), infer and evaluate job $1; with a seed $2, a training
# session of its own (--seed $2) with its own files.
reconstruct() {
  local job="$jobs/$1.ini" seed=() model predictions results
  [[ -n ${2:-} ]] && seed=(--seed "$2")
  model="$(output_of "$1" model "${2:-}")"
  predictions="$(output_of "$1" predictions "${2:-}")"
  results="$(output_of "$1" results "${2:-}")"
  if grep -q '^train-data' "$job"; then
    make_file "$model" "$netinfer" reconstruct train --config "$job" "${seed[@]}" --model "$model"
    grep -h -m1 '^trained' "$model.log"
  fi
  make_file "$predictions" mpi reconstruct infer --config "$job" "${seed[@]}" --model "$model" \
    --predictions "$predictions"
  make_file "$results" mpi reconstruct evaluate --config "$job" "${seed[@]}" \
    --predictions "$predictions" --results "$results"
}

# The model trained on n = 10 (jobs/reconstruct_small_large.ini), trained
# unless it exists.
small_model() {
  simulate_job simulate_small
  local model
  model="$(output_of reconstruct_small_large model)"
  make_file "$model" "$netinfer" reconstruct train --config "$jobs/reconstruct_small_large.ini"
}

# Applies the small model to spike file $1 (infer and evaluate with the
# settings of jobs/reconstruct_small_large.ini): $2_predictions.h5, $2_results.h5.
apply_small_model() {
  local job="$jobs/reconstruct_small_large.ini"
  make_file "$2_predictions.h5" mpi reconstruct infer --config "$job" --data "$1" \
    --predictions "$2_predictions.h5"
  make_file "$2_results.h5" mpi reconstruct evaluate --config "$job" --data "$1" \
    --predictions "$2_predictions.h5" --results "$2_results.h5"
}

# The tables `netinfer report` prints for results file $1.
report_file() { "$netinfer" report "$1" | sed -n '/^Reconstruction/,$p' | grep -v '^netinfer report'; }

# Results file $1 as a Markdown table: network, n, edges, activity, the
# model's mean loss (3.1) per sample, then AUROC / AUPRC of each method (the
# model first, then the baselines).
markdown_rows() {
  report_file "$1" | sed 's/|/ /g' | awk '
    $1 == "generator" { m = (NF - 9) / 2
      printf "| network | n | edges | activity | loss/sample |"; for (k = 0; k < m; k++) printf " %s |", $(10 + k)
      printf "\n|---|---|---|---|---|"; for (k = 0; k < m; k++) printf "---|"; printf "\n"; next }
    m && NF == 9 + 2 * m { printf "| %s | %s | %s | %s | %s |", $1, $2, $3, $5, $7
      for (k = 10; k < 10 + m; k++) printf " %s / %s |", $k, $(k + m); printf "\n" }'
}
