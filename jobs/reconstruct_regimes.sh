#!/usr/bin/env bash
# Harder regimes for the model trained on n = 10 (jobs/reconstruct_small_large.ini)
# and the baselines, each from its simulation job jobs/simulate_<regime>.ini:
#   partial50, partial20  only 50% / 20% of the neurons recorded (n = 300)
#   noisy5, noisy10       5% / 10% of the spikes missed, ~5% / ~10% false (n = 100, 300)
#   saturated             in-degree ~2 at spike rate 0.1: activity > 0.5
#   n1000                 n = 1,000
# Prints each regime's table (also in <regime>.md) and the time it took.
# usage: bash jobs/reconstruct_regimes.sh [regime ...]   (default: all)
source "$(dirname "$0")/reconstruct_lib.sh"
regimes=("$@")
[[ ${#regimes[@]} -gt 0 ]] || regimes=(partial50 partial20 noisy5 noisy10 saturated n1000)
small_model
for regime in "${regimes[@]}"; do
  [[ -f "$jobs/simulate_$regime.ini" ]] || { echo "no regime '$regime' (no $jobs/simulate_$regime.ini)" >&2; exit 1; }
  start=$SECONDS
  simulate_job "simulate_$regime"
  apply_small_model "$regime.h5" "$regime"
  echo "== $regime: $((SECONDS - start)) s"
  markdown_rows "${regime}_results.h5" | tee "$regime.md"
done
