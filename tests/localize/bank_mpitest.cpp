// The classifier bank (bank.hpp) against hand-worked cases: which classifiers
// it trains, on which neurons with which labels, and where each output lands.
//
// The cases use "twins": every test neuron is given the feature vector of one
// training neuron (its twin), and every training neuron a distinct code. A
// fully grown decision tree routes a test row exactly like its twin's
// training row into a pure leaf, so each classifier must output probability
// 1 for the twin's class (layer; family, x or y within the twin's layer) and
// 0 elsewhere. A bank that swapped x and y, used the wrong layer's neurons,
// sized a classifier by the wrong dimension or stored an output in the wrong
// slot gives other rows.
#include "netinfer/localize/bank.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/localize/split.hpp"

namespace netinfer::localize {

namespace {

// INPUT 1x4x6 (height 4, width 6), CONVRAMP1 2x2x4, POOLING1 2x1x2,
// LINEARSOFT 3: 24 + 16 + 4 + 3 = 47 neurons. No layer is square, so a
// classifier sized by the wrong dimension has the wrong number of columns.
const net::Architecture kArch =
    net::Architecture::parse("input 1x4x6; conv 2 3 ramp; maxpool 2; linear 3 softmax");

struct Twins {
  RowMatrix features;               // one column: training neuron n has code n
  std::vector<std::int64_t> tests;  // the order the bank sees them
  std::vector<std::int64_t> twin;   // twin[i]: the training neuron test i copies
};

Twins twins(const Split& split) {
  Twins t;
  t.features = RowMatrix::Zero(kArch.neuron_count(), 1);
  for (auto n : split.train) t.features(n, 0) = static_cast<double>(n);
  // Tests in reverse, so the bank's row order is not the neuron order.
  t.tests.assign(split.test.rbegin(), split.test.rend());
  for (std::size_t i = 0; i < t.tests.size(); ++i) {
    const std::int64_t p = split.train[(5 * i + 1) % split.train.size()];
    t.twin.push_back(p);
    t.features(t.tests[i], 0) = static_cast<double>(p);
  }
  return t;
}

BankOptions decision_tree() {
  BankOptions o;
  o.classifier.method = Method::DecisionTree;
  return o;
}

// Row i of p is the unit vector of class c.
void expect_unit_row(const RowMatrix& p, Eigen::Index i, int c, const std::string& what) {
  for (Eigen::Index j = 0; j < p.cols(); ++j)
    EXPECT_EQ(p(i, j), j == c ? 1.0 : 0.0) << what << " row " << i << " class " << j;
}

}  // namespace

TEST(BankTasks, LeNetHasTheFifteenClassifiersOfThePaper) {
  std::vector<std::string> names;
  for (const auto& t : bank_tasks(net::Architecture::lenet())) names.push_back(t.name());
  const std::vector<std::string> want = {"layer", "family|1", "family|2", "family|3", "family|4",
                                         "x|0",   "y|0",      "x|1",      "y|1",      "x|2",
                                         "y|2",   "x|3",      "y|3",      "x|4",      "y|4"};
  EXPECT_EQ(names, want);
}

TEST(BankTasks, OnlySpatialLayersGetPositionsAndOnlyConvPoolGetFamilies) {
  std::vector<std::string> names;
  for (const auto& t : bank_tasks(kArch)) names.push_back(t.name());
  EXPECT_EQ(names, (std::vector<std::string>{"layer", "family|1", "family|2", "x|0", "y|0", "x|1",
                                             "y|1", "x|2", "y|2"}));
  // A network without hidden spatial layers: the layer and INPUT's position.
  names.clear();
  for (const auto& t : bank_tasks(net::Architecture::parse("input 1x3x2; linear 4 softmax")))
    names.push_back(t.name());
  EXPECT_EQ(names, (std::vector<std::string>{"layer", "x|0", "y|0"}));
}

TEST(Bank, EachClassifierPredictsTheTwinsClass) {
  const Split split = perfect_split(kArch, net::Recording(kArch));
  const Twins t = twins(split);
  const BankOutput b = run_bank(kArch, net::Recording(kArch), t.features, split.train, t.tests,
                                decision_tree(), MPI_COMM_WORLD);
  const auto rows = static_cast<Eigen::Index>(t.tests.size());
  // Shapes: layer over 4 layers; family for CONVRAMP1 and POOLING1 (2 each);
  // x over the width, y over the height of each spatial layer; the rest empty.
  ASSERT_EQ(b.layer.rows(), rows);
  ASSERT_EQ(b.layer.cols(), 4);
  ASSERT_EQ(b.family.size(), 4u);
  EXPECT_EQ(b.family[0].size(), 0);
  EXPECT_EQ(b.family[3].size(), 0);
  EXPECT_EQ(b.x[3].size(), 0);
  EXPECT_EQ(b.y[3].size(), 0);
  const int width[] = {6, 4, 2}, height[] = {4, 2, 1};
  for (int l = 0; l < 3; ++l) {
    ASSERT_EQ(b.x[l].rows(), rows);
    ASSERT_EQ(b.x[l].cols(), width[l]) << l;
    ASSERT_EQ(b.y[l].cols(), height[l]) << l;
    if (l > 0) {
      ASSERT_EQ(b.family[l].cols(), 2) << l;
    }
  }
  int checked[3] = {0, 0, 0};
  for (Eigen::Index i = 0; i < rows; ++i) {
    const auto loc = kArch.location(t.twin[i]);
    expect_unit_row(b.layer, i, loc.layer, "layer");
    if (loc.layer > 2) continue;
    expect_unit_row(b.x[loc.layer], i, loc.x, "x|" + std::to_string(loc.layer));
    expect_unit_row(b.y[loc.layer], i, loc.y, "y|" + std::to_string(loc.layer));
    if (loc.layer > 0)
      expect_unit_row(b.family[loc.layer], i, loc.family, "family|" + std::to_string(loc.layer));
    ++checked[loc.layer];
  }
  // Every spatial layer had twins (so each classifier was checked).
  for (int l = 0; l < 3; ++l) EXPECT_GT(checked[l], 0) << l;
  // Worked by hand. Training neurons (x + y even; even LINEARSOFT families):
  // INPUT 0 2 4 7 9 11 12 14 16 19 21 23, CONVRAMP1 24 26 29 31 32 34 37 39,
  // POOLING1 40 42, LINEARSOFT 44 46. Test rows in reverse neuron order: 45,
  // 43, 41, 38, ...; row i's twin is training neuron number 5i + 1 (mod 24).
  ASSERT_EQ(t.tests[1], 43);
  ASSERT_EQ(t.twin[1], 12);  // INPUT y 2, x 0
  expect_unit_row(b.layer, 1, 0, "hand layer");
  expect_unit_row(b.x[0], 1, 0, "hand x");
  expect_unit_row(b.y[0], 1, 2, "hand y");
  ASSERT_EQ(t.tests[2], 41);
  ASSERT_EQ(t.twin[2], 23);  // INPUT y 3, x 5
  expect_unit_row(b.x[0], 2, 5, "hand x");
  expect_unit_row(b.y[0], 2, 3, "hand y");
  ASSERT_EQ(t.tests[3], 38);
  ASSERT_EQ(t.twin[3], 32);  // CONVRAMP1 family 1, y 0, x 0
  expect_unit_row(b.layer, 3, 1, "hand layer");
  expect_unit_row(b.family[1], 3, 1, "hand family");
}

// A layer without training neurons has nothing to learn: its classifiers
// output the uniform distribution over their classes.
TEST(Bank, LayerWithoutTrainingNeuronsGivesUniformRows) {
  Split split = perfect_split(kArch, net::Recording(kArch));
  const std::int64_t pool_begin = kArch.offset(2), pool_end = kArch.offset(3);
  split.train.erase(std::remove_if(split.train.begin(), split.train.end(),
                                   [&](std::int64_t n) { return n >= pool_begin && n < pool_end; }),
                    split.train.end());
  const Twins t = twins(split);
  const BankOutput b = run_bank(kArch, net::Recording(kArch), t.features, split.train, t.tests,
                                decision_tree(), MPI_COMM_WORLD);
  EXPECT_EQ(b.family[2], RowMatrix::Constant(t.tests.size(), 2, 0.5));
  EXPECT_EQ(b.x[2], RowMatrix::Constant(t.tests.size(), 2, 0.5));
  EXPECT_EQ(b.y[2], RowMatrix::Constant(t.tests.size(), 1, 1.0));
  // No twin lies in POOLING1, and the layer classifier never predicts it.
  EXPECT_EQ(b.layer.col(2).cwiseAbs().maxCoeff(), 0.0);
}

// The fan-out over ranks changes nothing: a random forest on noisy features
// gives, on every rank, bitwise the output of one process doing it all.
TEST(Bank, FanOutOverRanksGivesOneProcessesOutput) {
  const Split split = perfect_split(kArch, net::Recording(kArch));
  RowMatrix f(kArch.neuron_count(), 3);
  Stream s(11, purpose_id("bank-test-features"), 0);
  for (std::int64_t n = 0; n < kArch.neuron_count(); ++n) {
    const auto loc = kArch.location(n);
    f.row(n) << loc.layer + s.normal(), loc.x + s.normal(), loc.y + loc.family + s.normal();
  }
  BankOptions o;
  o.classifier.trees = 10;
  o.seed = 5;
  const BankOutput world =
      run_bank(kArch, net::Recording(kArch), f, split.train, split.test, o, MPI_COMM_WORLD);
  const BankOutput alone =
      run_bank(kArch, net::Recording(kArch), f, split.train, split.test, o, MPI_COMM_SELF);
  EXPECT_EQ(world.layer, alone.layer);
  for (int l = 0; l < kArch.layer_count(); ++l) {
    EXPECT_EQ(world.family[l], alone.family[l]) << l;
    EXPECT_EQ(world.x[l], alone.x[l]) << l;
    EXPECT_EQ(world.y[l], alone.y[l]) << l;
  }
  // The classifiers are not trivial here (the check above would hold for
  // constant outputs too): the forest is unsure of some x.
  EXPECT_LT(world.x[0].maxCoeff(), 1.0 + 1e-12);
  EXPECT_GT((world.x[0].array() > 0).count(), world.x[0].rows());
}

}  // namespace netinfer::localize
