#!/usr/bin/env bash
# Issue 14, item 5: jobs/precision.ini in double and in single precision at 2
# ranks (NETINFER_RANKS), with one scratch folder for both, then both reports.
# A killed run resumes. Usage: bash jobs/precision.sh [extra experiment options...]
# Needs build/netinfer and $out/lenet.h5 (bash jobs/main.sh makes both).
set -euo pipefail
cd "$(dirname "$0")/.."
source jobs/env.sh
out="${NETINFER_OUT:-out}"
ranks="${NETINFER_RANKS:-2}"
for precision in double single; do
  start=$SECONDS
  mpirun -np "$ranks" ./build/netinfer experiment --config jobs/precision.ini \
    --weights "$out/lenet.h5" --precision "$precision" --out "$out/precision_$precision.h5" \
    --scratch "$out/precision.scratch" "$@"
  echo "precision $precision: $((SECONDS - start)) s"
done
