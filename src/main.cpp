// netinfer: the command-line entry point. Errors become one line on stderr and
// a non-zero exit on every rank (see the comment in fail()).
#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <thread>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/huge_pages.hpp"

namespace {

[[noreturn]] void fail(const char* what) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  // Errors in options and inputs are detected by every rank at once; rank 0
  // reports and aborts, and the delay keeps other ranks from repeating the same
  // line. A failure on one rank alone is still reported after the delay.
  if (rank != 0) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  if (size > 1) {
    std::fprintf(stderr, "netinfer: error (rank %d): %s\n", rank, what);
  } else {
    std::fprintf(stderr, "netinfer: error: %s\n", what);
  }
  std::fflush(stderr);
  if (size > 1) MPI_Abort(MPI_COMM_WORLD, 1);
  MPI_Finalize();
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  netinfer::keep_freed_memory();
  MPI_Init(&argc, &argv);
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
  MPI_Finalize();
  return rc;
}
