#!/usr/bin/env bash
# The README's first command: installs what is missing, builds netinfer, trains
# LeNet on the default data (Fashion-MNIST) and runs the headline localisation
# experiment (jobs/main.ini) with 2 MPI ranks. Stages whose output exists are
# skipped, so a killed run resumes. Outputs go to out/ (or $NETINFER_OUT); the
# build to build/ (or $NETINFER_BUILD).
# Usage: bash jobs/main.sh [extra localize options...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash cmake/install-deps.sh
source jobs/env.sh
build="${NETINFER_BUILD:-build}"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$build" -j"$NETINFER_CORES" --target netinfer
out="${NETINFER_OUT:-out}"
ranks="${NETINFER_RANKS:-2}"
mkdir -p "$out"
start=$SECONDS
if [[ ! -f "$out/lenet.h5" ]]; then
  # One process, one OpenMP thread per core.
  OMP_NUM_THREADS="$NETINFER_CORES" "$build/netinfer" train --config jobs/train_lenet.ini --out "$out/lenet.h5"
fi
if [[ ! -f "$out/results.h5" ]]; then
  mpirun -np "$ranks" "$build/netinfer" localize --config jobs/main.ini \
    --weights "$out/lenet.h5" --out "$out/results.h5" --force "$@"
fi
echo "main job: $((SECONDS - start)) s; results in $out/results.h5"
