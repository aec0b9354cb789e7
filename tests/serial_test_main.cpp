// GoogleTest main for serial test binaries. MPI is initialised because the
// library's error paths and HDF5 wrappers may ask for the communicator.
#include <gtest/gtest.h>
#include <mpi.h>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  const int rc = RUN_ALL_TESTS();
  MPI_Finalize();
  return rc;
}
