# Sourced by slurm/array.sbatch and slurm/search.sbatch (as
# $NETINFER_SOURCE/slurm/launch.bash: sbatch runs a copy of the script): the
# project's environment, and in `launch` the command that starts a task's MPI
# ranks: srun --mpi=pmix (NETINFER_LAUNCHER=srun, the default) or mpirun with
# the allocation's task count (NETINFER_LAUNCHER=mpirun).
source "$NETINFER_SOURCE/jobs/env.sh"
case ${NETINFER_LAUNCHER:-srun} in
  srun) launch=(srun --mpi=pmix) ;;
  mpirun) launch=(mpirun -np "${SLURM_NTASKS:-1}") ;;
  *)
    echo "netinfer task: NETINFER_LAUNCHER is srun or mpirun, not '$NETINFER_LAUNCHER'" >&2
    exit 2
    ;;
esac
