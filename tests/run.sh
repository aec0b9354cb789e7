#!/usr/bin/env bash
# The README's test command: installs missing dependencies, builds netinfer
# and runs every test (serial GoogleTest binaries, MPI tests at 1, 2 and 4
# ranks, end-to-end command scripts). Usage: bash tests/run.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
# With Slurm and munge: tests/cli/slurm_array.sh runs a single-node cluster.
NETINFER_WITH_SLURM=1 bash cmake/install-deps.sh
source jobs/env.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" -j"$NETINFER_CORES"
ctest --test-dir "$build" --output-on-failure -j"$NETINFER_CORES" --timeout 900
