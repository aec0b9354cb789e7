// Data-parallel training over MPI ranks ends with the same weights on every
// rank, equal to one process's training up to rounding.
#include <gtest/gtest.h>
#include <mpi.h>

#include "net/synthetic.hpp"
#include "netinfer/net/train.hpp"

namespace netinfer::net {
namespace {

TEST(TrainMpi, RanksAgreeWithOneProcess) {
  const auto train_set = test::synthetic_set(600, 4, 1), test_set = test::synthetic_set(200, 4, 2);
  TrainOptions o;
  o.epochs = 2;
  o.batch = 128;  // four micro-batches per step, so up to four ranks share each step
  o.learning_rate = 0.01;
  o.threads = 1;
  Network alone(test::synthetic_architecture()), shared(test::synthetic_architecture());
  const auto single = train(alone, train_set, test_set, o, {}, MPI_COMM_SELF);
  const auto parallel = train(shared, train_set, test_set, o, {}, MPI_COMM_WORLD);
  EXPECT_NEAR(parallel.back().loss, single.back().loss, 1e-5);
  EXPECT_NEAR(parallel.back().test_accuracy, single.back().test_accuracy,
              1.0 / 200);  // one image may flip
  for (int l = 0; l < alone.architecture().layer_count(); ++l) {
    const Matrix& w = shared.parameters(l).weight;
    if (w.size() == 0) continue;  // INPUT and pooling
    EXPECT_LE((w - alone.parameters(l).weight).cwiseAbs().maxCoeff(), 1e-4) << l;
    // Every rank holds rank 0's weights exactly.
    Matrix root = w;
    MPI_Bcast(root.data(), static_cast<int>(root.size()), MPI_DOUBLE, 0, MPI_COMM_WORLD);
    EXPECT_EQ(root, w) << l;
  }
}

}  // namespace
}  // namespace netinfer::net
