#!/usr/bin/env bash
# The low-data end of the data-budget curves, where a learnt prior could pay:
# the model of jobs/reconstruct_wide.ini (d = 16) beside the thesis's (d = 5,
# jobs/reconstruct_small_large.ini) and every baseline, at 31 and 93
# transitions (1 and 3 simulations of jobs/simulate_budget.ini), on the
# budget networks (seed 13) and on two other draws of networks and spikes
# (seeds 14 and 15). Writes wide.md: AUPRC of both models and the best
# baseline per network, and wide_*_results.h5 (netinfer report prints them).
# usage: bash jobs/reconstruct_wide.sh
source "$(dirname "$0")/reconstruct_lib.sh"
start=$SECONDS
small_model
make_file wide_model.h5 "$netinfer" reconstruct train --config "$jobs/reconstruct_wide.ini"
grep -h -m1 '^trained' wide_model.h5.log
table=wide.md.partial
printf '| seed | network | n | transitions | model d=5 | model d=16 | best baseline |\n|---|---|---|---|---|---|---|\n' > "$table"
for seed in 13 14 15; do
  for k in 1 3; do
    data="wide_s${seed}_$k.h5"
    make_file "$data" mpi simulate --config "$jobs/simulate_budget.ini" --seed "$seed" \
      --simulations "$k" --output "$data"
    apply_small_model "$data" "wide_s${seed}_${k}_d5"
    job="$jobs/reconstruct_small_large.ini"
    make_file "wide_s${seed}_${k}_d16_predictions.h5" mpi reconstruct infer --config "$job" \
      --data "$data" --model wide_model.h5 --predictions "wide_s${seed}_${k}_d16_predictions.h5"
    make_file "wide_s${seed}_${k}_d16_results.h5" mpi reconstruct evaluate --config "$job" \
      --data "$data" --predictions "wide_s${seed}_${k}_d16_predictions.h5" \
      --results "wide_s${seed}_${k}_d16_results.h5"
    # One line per network: its AUPRC columns (model, then the baselines) from each file.
    auprc() {
      report_file "$1" | sed 's/|/ /g' | awk '
        $1 == "generator" { m = (NF - 9) / 2; for (k = 1; k < m; k++) name[k] = $(10 + k); next }
        m && NF == 9 + 2 * m { best = 1; for (k = 2; k < m; k++) if ($(10 + m + k) > $(10 + m + best)) best = k
          split($1, f, ":"); printf "%s %s %s %s %s\n", f[1], $2, $(10 + m), $(10 + m + best), name[best] }'
    }
    paste -d' ' <(auprc "wide_s${seed}_${k}_d5_results.h5") <(auprc "wide_s${seed}_${k}_d16_results.h5") |
      awk -v s="$seed" -v t=$((k * 31)) '{ printf "| %s | %s | %s | %d | %s | %s | %s (%s) |\n", s, $1, $2, t, $3, $8, $4, $5 }' \
      >> "$table"
  done
done
mv "$table" wide.md
cat wide.md
echo "wide model: $((SECONDS - start)) s; $out/wide.md"
