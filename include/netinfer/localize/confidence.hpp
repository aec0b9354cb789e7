// The log-confidence of every (test neuron, test location) pair, eq. (1) of
// 000: log P(l) + log P(f|l) + log P(x|l) + log P(y|l), from the outputs of
// the classifier bank. Degenerate cases (§5.1): INPUT has one family
// (probability 1); in linear layers the family is unknowable, probability
// 1/k with k the layer's number of test locations, and there is no x or y.
//
// Probability floor: every classifier's probabilities are mixed with a
// uniform prior, p' = (1 - w) p + w / K for K classes, so classes never seen in
// training (and classes no tree voted for) keep probability >= w / K and the
// logarithm stays finite. w is --prior-weight (default 1e-3).
#pragma once

#include <cstdint>
#include <vector>

#include "netinfer/localize/assignment.hpp"
#include "netinfer/net/architecture.hpp"

namespace netinfer::localize {

// Class probabilities of the bank for the test neurons (rows, in the order
// the bank was given them). Conditional classifiers are indexed by layer and
// empty where the layer has none (INPUT family, linear layers).
struct BankOutput {
  RowMatrix layer;                      // tests x layers
  std::vector<RowMatrix> family, x, y;  // per layer: tests x families / width / height
};

// cost(i, j) = -log confidence of test neuron i at location test_locations[j],
// computed in double and rounded to float (see CostMatrix). Each entry is a
// sum of four lookups in short per-row tables (layer, family, x, y), so the
// tables can serve any entry on demand (a RowCosts for the solver, when the
// dense matrix would not fit) or fill the dense matrix; both give the same
// floats.
class ConfidenceTables : public RowCosts {
 public:
  ConfidenceTables(const net::Architecture& arch, const BankOutput& bank,
                   const std::vector<std::int64_t>& test_locations, double prior_weight);
  std::int64_t size() const override { return n_; }
  void fill(std::int64_t i, std::int64_t begin, std::int64_t end, float* out) const override;
  // Bounds from the product form: a block's columns lie in a few (layer,
  // family) pieces, each bounded by its family term and the row's best x and
  // best y over the piece's rows: the fill expression with larger
  // log-probabilities, so rounding keeps it a bound.
  void block_bounds(std::int64_t i, float* low) const override;
  CostMatrix dense() const;  // every entry (OpenMP over rows)
  // Memory the tables hold for `tests` test neurons of `arch`.
  static std::uint64_t bytes(const net::Architecture& arch, std::int64_t tests);

 private:
  struct Run {  // columns [begin, end) all in one layer
    std::int64_t begin, end;
    int layer;
  };
  std::int64_t n_;
  RowMatrix log_layer_;
  std::vector<RowMatrix> log_family_, log_x_, log_y_;
  std::vector<double> linear_family_;
  std::vector<Run> runs_;
  std::vector<int> col_family_, col_x_, col_y_;
  struct Piece {  // the columns of a block in one (layer, family), rows y_low..y_high
    int layer, family, y_low, y_high;
  };
  std::vector<std::int64_t> piece_start_;  // per column block, into pieces_
  std::vector<Piece> pieces_;
};

// Whether the dense n x n cost matrix is stored (true) or computed on demand:
// stored when it takes at most a quarter of the memory available.
bool store_dense_costs(std::int64_t tests, std::uint64_t available_bytes);

}  // namespace netinfer::localize
