#include "netinfer/spectral/eigensolver.hpp"

namespace netinfer::spectral {

void apply_sign_rule(Eigen::MatrixXd& vectors) {
  for (Eigen::Index j = 0; j < vectors.cols(); ++j) {
    Eigen::Index largest = 0;
    for (Eigen::Index i = 1; i < vectors.rows(); ++i) {
      if (std::abs(vectors(i, j)) > std::abs(vectors(largest, j))) largest = i;
    }
    if (vectors.rows() > 0 && vectors(largest, j) < 0) vectors.col(j) *= -1.0;
  }
}

}  // namespace netinfer::spectral
