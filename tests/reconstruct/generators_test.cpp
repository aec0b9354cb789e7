#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "netinfer/core/error.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/reconstruct/generators.hpp"

namespace netinfer::reconstruct {

namespace {
std::string temp_path(const std::string& name) {
  return "/tmp/netinfer_reconstruct_" + std::to_string(::getpid()) + "_" + name;
}
void expect_error(const std::vector<std::string>& specs, const std::string& fragment) {
  try {
    make_generators(specs, 1);
    ADD_FAILURE() << "no error for " << specs[0];
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}
}  // namespace

TEST(Generators, ThreeNeuronNetworksOfTheThesis) {
  Adjacency chain(3, 3), inverted(3, 3), cyclic(3, 3);
  chain << 0, 0, 0, 1, 0, 0, 1, 1, 0;     // 0->1, 0->2, 1->2 (M(i,j) = edge j->i)
  inverted << 0, 1, 1, 0, 0, 1, 0, 0, 0;  // 1->0, 2->0, 2->1
  cyclic << 0, 0, 1, 1, 0, 0, 0, 1, 0;    // 0->1, 1->2, 2->0
  EXPECT_EQ(three_neuron_network("chain3"), chain);
  EXPECT_EQ(three_neuron_network("inverted3"), inverted);
  EXPECT_EQ(three_neuron_network("cyclic3"), cyclic);
  const auto g = make_generators({"chain3:count=2", "cyclic3"}, 5);
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[1].adjacency, chain);
  EXPECT_EQ(g[2].adjacency, cyclic);
  EXPECT_EQ(g[2].spec, "cyclic3");
}

TEST(Generators, ErdosRenyiHasTheAskedDensityAndNoSelfLoops) {
  const auto g = make_generators({"er:n=200:p=0.1:count=2"}, 3);
  ASSERT_EQ(g.size(), 2u);
  for (const auto& x : g) {
    EXPECT_EQ(x.adjacency.diagonal().sum(), 0);
    EXPECT_NEAR(x.adjacency.sum() / (200.0 * 199.0), 0.1, 0.005);
  }
  EXPECT_NE(g[0].adjacency, g[1].adjacency);                                       // copies differ
  EXPECT_EQ(make_generators({"er:n=200:p=0.1"}, 3)[0].adjacency, g[0].adjacency);  // seeded
  EXPECT_NE(make_generators({"er:n=200:p=0.1"}, 4)[0].adjacency, g[0].adjacency);
}

TEST(Generators, RandomDagIsAcyclic) {
  const Adjacency m = make_generators({"dag:n=40:p=0.3"}, 9)[0].adjacency;
  EXPECT_GT(m.sum(), 100);
  // Kahn's algorithm removes every node exactly when there is no cycle.
  Eigen::VectorXi indegree = m.rowwise().sum();
  std::vector<int> ready;
  for (int i = 0; i < 40; ++i)
    if (indegree(i) == 0) ready.push_back(i);
  int removed = 0;
  while (!ready.empty()) {
    const int j = ready.back();
    ready.pop_back();
    ++removed;
    for (int i = 0; i < 40; ++i)
      if (m(i, j) && --indegree(i) == 0) ready.push_back(i);
  }
  EXPECT_EQ(removed, 40);
}

TEST(Generators, SmallWorldIsARingLatticeRewiredKeepingOutDegrees) {
  const Adjacency ring = make_generators({"smallworld:n=10:k=2:beta=0"}, 1)[0].adjacency;
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10; ++j)
      EXPECT_EQ(ring(i, j), (i - j + 10) % 10 == 1 || (i - j + 10) % 10 == 2) << i << "," << j;
  const Adjacency rewired = make_generators({"smallworld:n=50:k=3:beta=0.5"}, 1)[0].adjacency;
  EXPECT_EQ(rewired.diagonal().sum(), 0);
  for (int j = 0; j < 50; ++j) EXPECT_EQ(rewired.col(j).sum(), 3);
  int lattice = 0;
  for (int j = 0; j < 50; ++j)
    for (int s = 1; s <= 3; ++s) lattice += rewired((j + s) % 50, j);
  EXPECT_GT(lattice, 30);  // about half kept
  EXPECT_LT(lattice, 120);
}

TEST(Generators, ReadsTextAndHdf5Files) {
  const std::string text = temp_path("adj.txt"), h5path = temp_path("adj.h5");
  std::ofstream(text) << "# a comment\n0 1 0\n0 0 1\n1 0 0\n";
  Adjacency expected(3, 3);
  expected << 0, 1, 0, 0, 0, 1, 1, 0, 0;
  EXPECT_EQ(make_generators({"file:path=" + text}, 1)[0].adjacency, expected);
  {
    h5::File f(h5path, h5::File::Mode::Create);
    const std::vector<std::int32_t> values{0, 1, 0, 0, 0, 1, 1, 0, 0};
    f.write("/net/m", values.data(), {3, 3});
  }
  EXPECT_EQ(make_generators({"file:path=" + h5path + ":dataset=/net/m"}, 1)[0].adjacency, expected);
  std::ofstream(text) << "0 1\n0 2\n";
  expect_error({"file:path=" + text}, "is not 0 or 1");
  std::ofstream(text) << "0 1 0\n0 0 1\n";
  expect_error({"file:path=" + text}, "not square");
  std::ofstream(text) << "0 1 0\n0 0\n";
  expect_error({"file:path=" + text}, ":2: row has 2 entries");
  expect_error({"file:path=/nonexistent/adj.txt"},
               "cannot open adjacency file /nonexistent/adj.txt");
  std::remove(text.c_str());
  std::remove(h5path.c_str());
}

TEST(Generators, BadSpecsNameTheProblem) {
  expect_error({"ring:n=3"}, "unknown family");
  expect_error({"er:n=10"}, "missing parameter 'p'");
  expect_error({"er:n=10:p=2"}, "p=2 is not a number in [0, 1]");
  expect_error({"er:n=10:q=0.1:p=0.1"}, "unknown parameter 'q'");
  expect_error({"dag:n=ten:p=0.1"}, "n=ten");
  expect_error({"chain3:n=3"}, "unknown parameter 'n'");
  expect_error({"er:n"}, "expected key=value");
  expect_error({}, "no generator");
}

TEST(Generators, AllNetworksTogetherStayWithinTheBudget) {
  // 2 x 20,000^2 entries: refused before any network is made (it would need
  // 3.2 GB; found by fuzz_generator as count=34449 networks of 91 neurons).
  expect_error({"er:n=20000:p=0:count=2"}, "exceed the 400000000 adjacency entries");
  EXPECT_EQ(make_generators({"er:n=10:p=0.5:count=4"}, 1, 400).size(), 4u);  // exactly 400
  EXPECT_THROW(make_generators({"er:n=10:p=0.5:count=4", "chain3"}, 1, 400), Error);
  EXPECT_THROW(make_generators({"er:n=10:p=0.5:count=5"}, 1, 400), Error);
}

}  // namespace netinfer::reconstruct
