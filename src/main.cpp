// netinfer: the command-line entry point. An error becomes one line on stderr
// and a non-zero exit of the whole job, at any rank count (see fail()).
#include <dlfcn.h>
#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <thread>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/huge_pages.hpp"

namespace {

// A copy of MPI_COMM_WORLD used only by fail(), so that its barrier can never
// be matched against a collective that other ranks are in.
MPI_Comm failure_comm = MPI_COMM_NULL;

// How long a failing rank waits for the others to fail too. Errors in options
// and inputs are found by every rank at the same point, well within this.
constexpr auto agreement_wait = std::chrono::seconds(5);

// True when every rank has entered fail() within agreement_wait: the error is
// a collective one, and one rank reporting it is enough.
bool all_ranks_failed() {
  MPI_Request request;
  if (MPI_Ibarrier(failure_comm, &request) != MPI_SUCCESS) return false;
  const auto deadline = std::chrono::steady_clock::now() + agreement_wait;
  for (;;) {
    int done = 0;
    if (MPI_Test(&request, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS) return false;
    if (done) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// Ends every rank with exit code 1 after netinfer has printed its own line.
// MPI_Abort is the one call that also ends ranks waiting in a collective, but
// Open MPI 4 follows it with a 7-line MPI_ABORT banner (which mpirun -q or
// orte_execute_quiet=1 would hide, together with real failures such as a
// binary that does not exist). Setting Open MPI's orte_execute_quiet flag in
// this process only, just before the abort, silences that banner alone;
// mpirun and the other ranks still report crashes, signals and MPI errors.
// Elsewhere (another MPI) the symbol is absent and the abort is as usual.
[[noreturn]] void abort_quietly() {
  if (auto* quiet = static_cast<bool*>(dlsym(RTLD_DEFAULT, "orte_execute_quiet"))) *quiet = true;
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::_Exit(1);  // not reached
}

// Open MPI's mpirun starts each rank with the address of its runtime (HNP);
// srun and a singleton do not.
bool under_mpirun() {
  return std::getenv("OMPI_MCA_orte_hnp_uri") != nullptr;
}

// Errors found by every rank (options, inputs, collective checks) are printed
// once, by rank 0; an error found by one rank alone (the others busy or
// waiting in a collective) is printed by that rank with its number. Then the
// job ends with exit code 1:
//  - every rank failed, under srun or alone: MPI_Finalize and exit(1); srun
//    adds its one status line ("srun: error: ...: Exited with exit code 1").
//  - every rank failed, under mpirun: rank 0 aborts quietly, because mpirun
//    answers a normal non-zero exit with two banners of its own.
//  - one rank failed: it aborts (quietly under mpirun; srun reports the
//    cancelled step in a few lines of its own, which no flag of the process
//    can silence), the one way to end ranks waiting in a collective.
[[noreturn]] void fail(const char* what) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size > 1 && !all_ranks_failed()) {
    std::fprintf(stderr, "netinfer: error (rank %d): %s\n", rank, what);
    std::fflush(stderr);
    abort_quietly();
  }
  if (rank == 0) std::fprintf(stderr, "netinfer: error: %s\n", what);
  std::fflush(stderr);
  if (!under_mpirun()) {
    MPI_Finalize();
    std::exit(1);
  }
  // One abort, by rank 0, ends the others; several at once make Open MPI's
  // runtime log their clash ("ORTE_ERROR_LOG: Data unpack would read past
  // end of buffer").
  if (rank == 0) abort_quietly();
  for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
}

}  // namespace

int main(int argc, char** argv) {
  netinfer::keep_freed_memory();
  MPI_Init(&argc, &argv);
  MPI_Comm_dup(MPI_COMM_WORLD, &failure_comm);
  int rc = 0;
  try {
    rc = netinfer::cli::run_app(argc, argv);
  } catch (const netinfer::Error& e) {
    fail(e.what());
  } catch (const std::bad_alloc&) {
    fail("out of memory (try more ranks, fewer images, or --precision single)");
  } catch (const std::exception& e) {
    fail(e.what());
  }
  MPI_Comm_free(&failure_comm);
  MPI_Finalize();
  return rc;
}
