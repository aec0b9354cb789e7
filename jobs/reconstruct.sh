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
source "$(dirname "$0")/reconstruct_lib.sh"
sessions="${NETINFER_SESSIONS:-50}"

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
  simulate_job "$sim"
done
echo "== simulations: $((SECONDS - start)) s"

# The tables `netinfer report` prints for job $1's results.
report() { report_file "$(output_of "$1" results)"; }

echo "== 001 §4.1: empty data, $sessions sessions per model (Fig. 4.2: loss 2/3 with outputs 1/3, or loss 1 with outputs 0)"
for kind in locality dense; do
  for ((seed = 1; seed <= sessions; seed++)); do
    reconstruct "reconstruct_empty_$kind" "$seed" > /dev/null
    file="$(output_of "reconstruct_empty_$kind" results "$seed")"
    # The mean output rounded to 2 decimals, rows separated by "/".
    outputs="$(mean_output "$file" | awk '{ v[NR] = sprintf("%.2f", $1); if (v[NR] == "-0.00") v[NR] = "0.00" }
      END { n = int(sqrt(NR) + 0.5); for (i = 1; i <= NR; i++) printf "%s%s", v[i], (i % n ? " " : (i < NR ? " / " : "")) }')"
    printf '%s: loss %.3f, mean output %s\n' "$kind" "$(attribute "$file" loss)" "$outputs"
  done | sort | uniq -c
done

echo "== 001 §4.2-4.3: the 3-neuron model at spike rate 0.25"
reconstruct reconstruct_3neuron
report reconstruct_3neuron
echo "== 001 §4.3: the same model at spike rate 0.05"
reconstruct reconstruct_3neuron_low
report reconstruct_3neuron_low
echo "== trained on n = 10, applied to n = 10 ... 300"
reconstruct reconstruct_small_large
report reconstruct_small_large
echo "reconstruction experiments: $((SECONDS - start)) s; files in $out"
