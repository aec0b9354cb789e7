#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/block_cyclic.hpp"
#include "netinfer/dist/memory.hpp"
#include "netinfer/dist/read_matrix.hpp"
#include "netinfer/dist/redistribute.hpp"
#include "netinfer/dist/replicate.hpp"

namespace netinfer::dist {

namespace {

// A matrix whose every entry tells where it belongs.
double value(int i, int j) {
  return 1000.0 * i + j + 0.5;
}

template <typename T>
void fill(BlockCyclic<T>& a) {
  for (int j = 0; j < a.local_cols(); ++j) {
    for (int i = 0; i < a.local_rows(); ++i) {
      a.local(i, j) = static_cast<T>(value(a.row_axis().global(i), a.col_axis().global(j)));
    }
  }
}

template <typename T>
int wrong_entries(const BlockCyclic<T>& a) {
  int wrong = 0;
  for (int j = 0; j < a.local_cols(); ++j) {
    for (int i = 0; i < a.local_rows(); ++i) {
      wrong +=
          a.local(i, j) != static_cast<T>(value(a.row_axis().global(i), a.col_axis().global(j)));
    }
  }
  int all = 0;
  MPI_Allreduce(&wrong, &all, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  return all;
}

}  // namespace

TEST(Grid, CoversEveryRankOnceInRowMajorOrder) {
  const Grid grid(MPI_COMM_WORLD);
  const GridShape shape = grid_shape(mpi_size());
  EXPECT_EQ(grid.rows(), shape.rows);
  EXPECT_EQ(grid.cols(), shape.cols);
  EXPECT_EQ(grid.row() * grid.cols() + grid.col(), mpi_rank());
  EXPECT_EQ(mpi_size(grid.column_comm()), grid.rows());
  EXPECT_EQ(mpi_rank(grid.column_comm()), grid.row());
}

TEST(BlockCyclic, LocalPiecesTileTheWholeMatrixExactlyOnce) {
  const Grid grid(MPI_COMM_WORLD);
  for (int nb : {1, 4, 7, 64}) {
    BlockCyclic<double> a(grid, 37, 23, nb, nb);
    EXPECT_EQ(a.lld(), std::max(1, a.local_rows()));
    fill(a);
    const Eigen::MatrixXd dense = replicate_columns(a, a.cols());
    for (int j = 0; j < a.cols(); ++j) {
      for (int i = 0; i < a.rows(); ++i) ASSERT_EQ(dense(i, j), value(i, j)) << nb;
    }
    long mine = static_cast<long>(a.local_rows()) * a.local_cols(), total = 0;
    MPI_Allreduce(&mine, &total, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
    EXPECT_EQ(total, 37 * 23);
  }
}

TEST(Redistribute, RoundTripThroughBlockCyclicLayouts) {
  const int p = mpi_size(), rows = 53, cols = 41;
  const Grid square(MPI_COMM_WORLD), column(MPI_COMM_WORLD, GridShape{p, 1}),
      line(MPI_COMM_WORLD, GridShape{1, p});
  // The row-block layout data arrive in: one block of ceil(rows / P) rows each.
  BlockCyclic<double> rowblock(column, rows, cols, (rows + p - 1) / p, cols);
  fill(rowblock);
  for (int nb : {1, 3, 8, 64}) {
    BlockCyclic<double> cyclic(square, rows, cols, nb, nb);
    redistribute(rowblock, cyclic);
    EXPECT_EQ(wrong_entries(cyclic), 0) << nb;
    BlockCyclic<double> other(line, rows, cols, 5, 2);
    redistribute(cyclic, other);
    EXPECT_EQ(wrong_entries(other), 0) << nb;
    BlockCyclic<double> back(column, rows, cols, (rows + p - 1) / p, cols);
    redistribute(other, back);
    EXPECT_EQ(wrong_entries(back), 0) << nb;
  }
  BlockCyclic<float> single(column, rows, cols, 4, 4), single_cyclic(square, rows, cols, 7, 7);
  fill(single);
  redistribute(single, single_cyclic);
  EXPECT_EQ(wrong_entries(single_cyclic), 0);
  // In column panels (as for matrices of 2 GiB and more): 2 columns, then 1.
  for (std::int64_t panel : {std::int64_t{2} * rows, std::int64_t{1}}) {
    BlockCyclic<double> panelled(square, rows, cols, 3, 3);
    redistribute(rowblock, panelled, panel);
    EXPECT_EQ(wrong_entries(panelled), 0) << panel;
  }
  BlockCyclic<double> wrong_shape(square, rows, cols + 1, 4, 4);
  EXPECT_THROW(redistribute(rowblock, wrong_shape), Error);
}

TEST(ReadColumnMajor, EachRankReadsItsHyperslabIntoTheBlockCyclicLayout) {
  // A row-major [a, b] dataset written by rank 0 alone, read by all ranks.
  const int a = 29, b = 17;
  char name[64];
  std::snprintf(name, sizeof name, "/tmp/netinfer_dist_read_%d.h5", static_cast<int>(getppid()));
  std::vector<double> data(a * b);
  for (int r = 0; r < a; ++r) {
    for (int c = 0; c < b; ++c) data[r * b + c] = value(c, r);  // [r][c] is matrix (c, r)
  }
  if (mpi_rank() == 0) {
    h5::File file(name, h5::File::Mode::Create);
    file.write("/responses/SET/matrix", data.data(), {a, b});
  }
  MPI_Barrier(MPI_COMM_WORLD);
  {
    const Grid grid(MPI_COMM_WORLD);
    const h5::File file(name, h5::File::Mode::Read, MPI_COMM_WORLD);
    for (int nb : {2, 5, 64}) {
      const BlockCyclic<double> m =
          read_column_major<double>(file, "/responses/SET/matrix", grid, nb, nb);
      EXPECT_EQ(m.rows(), b);
      EXPECT_EQ(m.cols(), a);
      EXPECT_EQ(wrong_entries(m), 0) << nb;
    }
    const BlockCyclic<float> f =
        read_column_major<float>(file, "/responses/SET/matrix", grid, 3, 3);
    EXPECT_EQ(wrong_entries(f), 0);
    // Many small reads (2 dataset rows each), fewer on ranks with less to read.
    const BlockCyclic<double> small = read_column_major<double>(file, "/responses/SET/matrix", grid,
                                                                4, 4, 2 * b * sizeof(double));
    EXPECT_EQ(wrong_entries(small), 0);
    EXPECT_THROW(read_column_major<double>(file, "/responses/NONE/matrix", grid, 4, 4), Error);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  if (mpi_rank() == 0) std::remove(name);
}

TEST(Memory, RefusesWhatCannotFitAndAcceptsWhatCan) {
  EXPECT_NO_THROW(require_memory(1 << 20, "small job", MPI_COMM_WORLD));
  try {
    require_memory(available_bytes() + (1ull << 40), "huge job", MPI_COMM_WORLD);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("huge job: needs"), std::string::npos) << e.what();
  }
  EXPECT_EQ(format_bytes(3ull << 30), "3.00 GiB");
}

// The measured peak grows by at least what a rank writes into new memory.
TEST(Memory, PeakResidentCountsTouchedMemory) {
  const std::uint64_t before = peak_resident_bytes();
  const std::size_t bytes = before + (64u << 20);  // beyond any earlier peak
  std::vector<char> block(bytes, 1);
  EXPECT_GE(peak_resident_bytes(), bytes);
  EXPECT_EQ(block[bytes / 2], 1);
  EXPECT_NO_THROW(report_peak_resident(MPI_COMM_WORLD));
}

}  // namespace netinfer::dist
