# Sourced by netinfer's launch scripts: runtime settings for this stack.
# OpenBLAS 0.3.21 does not recognise recent AMD CPUs with AVX-512 and falls back
# to slower kernels; SkylakeX kernels roughly double GEMM speed there. Only set
# where the CPU has AVX-512 (the kernels would fault elsewhere) and the user has
# not chosen.
if [[ -z "${OPENBLAS_CORETYPE:-}" ]] && grep -q avx512f /proc/cpuinfo 2>/dev/null; then
  export OPENBLAS_CORETYPE=SkylakeX
fi
# The cores this process may use, for build and test parallelism and for
# commands that run one process with a thread per core. (Plain `nproc` honours
# OMP_NUM_THREADS, which the next lines set to 1.)
NETINFER_CORES="$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)"
export NETINFER_CORES
# One BLAS/OpenMP thread per MPI rank unless told otherwise (mpirun pins ranks).
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# Running as root (containers, CI) needs Open MPI's explicit consent.
if [[ $(id -u) == 0 ]]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
# More ranks than cores is allowed (tests run 4 ranks on 2 cores).
export OMPI_MCA_rmaps_base_oversubscribe=1
