#!/usr/bin/env bash
# Installs netinfer's dependencies from Debian's package archive. Idempotent:
# packages already present are not fetched again; `apt-get update` runs only
# when something is missing.
set -euo pipefail
packages=(
  g++ cmake make pkg-config git zlib1g-dev
  openmpi-bin libopenmpi-dev
  libscalapack-openmpi-dev libelpa-dev libopenblas-dev
  libeigen3-dev
  libhdf5-openmpi-dev hdf5-tools
  libboost-program-options-dev
  libgtest-dev libbenchmark-dev
  libxgboost-dev
  libonnx-dev libprotobuf-dev
  dataset-fashion-mnist
  gnuplot-nox
)
# Slurm and munge for the test cluster (slurm/cluster.sh); tests/run.sh asks for them.
if [[ "${NETINFER_WITH_SLURM:-0}" == 1 ]]; then packages+=(slurm-wlm munge); fi
# clang's libFuzzer for the fuzz targets (fuzz/, jobs/fuzz.sh); not for CI.
if [[ "${NETINFER_WITH_FUZZ:-0}" == 1 ]]; then packages+=(clang-14 libfuzzer-14-dev libomp-14-dev); fi
# PyTorch, to train and export the ONNX networks of jobs/onnx/; not for CI.
if [[ "${NETINFER_WITH_TORCH:-0}" == 1 ]]; then packages+=(python3-torch); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) != 0 ]]; then SUDO=sudo; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
