// Thick-restart block Lanczos on the distributed matrix, written in its
// Rayleigh-Ritz form (an unpreconditioned block Davidson iteration spans the
// same block Krylov space): the basis V and its image AV are kept
// explicitly, replicated on every rank (n x max_basis each; small next to
// the n^2/P of the matrix), and each step
//   1. appends a block W, orthonormalised against V by block classical
//      Gram-Schmidt done twice, and its image A W from one distributed
//      symmetric product (dist::symmetric_product: GEMM speed);
//   2. forms H = V^T A V and its Ritz pairs (theta, x = V y, A x = AV y);
//   3. stops when the k leading Ritz pairs have true residuals
//      ||A x - theta x|| <= tolerance * |theta_1|;
//   4. otherwise takes as the next block the normalised residuals of the
//      first `block` unconverged Ritz pairs (the new directions of the block
//      Krylov space), and when V is full restarts thickly, keeping the
//      `keep` leading Ritz vectors (and their images, so no product is lost).
// The product's result is bit-identical on every rank and on every process
// grid (dist::symmetric_product adds its terms exactly), and everything else
// (orthogonalisation, dot products, the projected eigenproblem) is replicated
// work done by the same code on the same data on every rank, so ranks never
// disagree on control flow and the result has the same bits at any rank
// count. Start and fill vectors come from counter-based streams.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "netinfer/core/error.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/dist/symmetric_product.hpp"
#include "netinfer/spectral/eigensolver.hpp"

namespace netinfer::spectral {

namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// Fresh random directions: column c of the whole run's sequence is drawn
// from the stream (seed, "spectral.lanczos", c), entry by global row.
class RandomColumns {
 public:
  explicit RandomColumns(std::uint64_t seed) : seed_(seed) {}
  void fill(Eigen::Ref<VectorXd> column) {
    Stream stream(seed_, purpose_id("spectral.lanczos"), next_++);
    for (Eigen::Index i = 0; i < column.size(); ++i) column[i] = stream.normal();
    column.normalize();
  }

 private:
  std::uint64_t seed_, next_ = 0;
};

// Makes the columns of w orthonormal and orthogonal to the (orthonormal)
// first `used` columns of v: each of two rounds projects out v twice and
// orthonormalises by Householder QR; the second round removes what rounding
// in the first let back in. Columns that turn out (numerically) dependent
// are replaced by random directions.
void orthonormalise(MatrixXd& w, const MatrixXd& v, int used, RandomColumns& random) {
  const auto basis = v.leftCols(used);
  for (int round = 0; round < 2; ++round) {
    for (int attempt = 0;; ++attempt) {
      NI_REQUIRE(attempt < 10, "lanczos: cannot extend the basis (matrix too small?)");
      const VectorXd before = w.colwise().norm();
      for (int pass = 0; pass < 2 && used > 0; ++pass) w -= basis * (basis.transpose() * w);
      Eigen::HouseholderQR<MatrixXd> qr(w);
      bool dependent = false;
      for (Eigen::Index i = 0; i < w.cols(); ++i) {
        if (!(std::abs(qr.matrixQR()(i, i)) > 1e-8 * before[i])) {
          random.fill(w.col(i));
          dependent = true;
        }
      }
      if (dependent) continue;
      w = qr.householderQ() * MatrixXd::Identity(w.rows(), w.cols());
      break;
    }
  }
}

}  // namespace

LanczosShape lanczos_shape(int n, const EigenOptions& options) {
  LanczosShape s;
  s.block = std::min(n, options.block > 0 ? options.block : std::min(options.k, 8));
  s.keep = std::min(n, options.k + s.block);
  s.max_basis = std::min(n, options.max_basis > 0 ? options.max_basis : s.keep + 6 * s.block);
  NI_REQUIRE(s.max_basis >= std::min(n, s.keep + s.block), "lanczos: basis size ", s.max_basis,
             " must be at least k + 2 * block = ", options.k + 2 * s.block);
  return s;
}

template <typename T>
Eigenpairs lanczos(const dist::BlockCyclic<T>& a, const EigenOptions& options) {
  const int n = a.rows(), k = options.k;
  const double tolerance =
      options.tolerance > 0 ? options.tolerance : (sizeof(T) == sizeof(double) ? 1e-10 : 1e-5);
  const auto [block, keep, max_basis] = lanczos_shape(n, options);
  // Generous: a matrix that needs this many products is better served by ELPA.
  const long max_products = 100L * n + 1000L * block;

  const double bound = dist::upper_max_abs(a);  // for the product's exact sums
  NI_REQUIRE(std::isfinite(bound), "lanczos: the matrix holds a NaN or an infinity");
  RandomColumns random(options.seed);
  MatrixXd v(n, max_basis), av(n, max_basis), h = MatrixXd::Zero(max_basis, max_basis);
  MatrixXd w(n, block);
  for (int c = 0; c < block; ++c) random.fill(w.col(c));
  Eigenpairs out;
  int used = 0;
  for (;;) {
    // 1. extend the basis by w and its image
    const int width = std::min<int>(static_cast<int>(w.cols()), n - used);
    w.conservativeResize(Eigen::NoChange, width);
    orthonormalise(w, v, used, random);
    v.middleCols(used, width) = w;
    av.middleCols(used, width) = dist::symmetric_product(a, w, bound);
    out.products += width;
    h.block(0, used, used + width, width) =
        v.leftCols(used + width).transpose() * av.middleCols(used, width);
    h.block(used, 0, width, used) = h.block(0, used, used, width).transpose();
    const MatrixXd diagonal = h.block(used, used, width, width);
    h.block(used, used, width, width) = 0.5 * (diagonal + diagonal.transpose());
    used += width;

    // 2. Ritz pairs, descending
    Eigen::SelfAdjointEigenSolver<MatrixXd> eig(h.topLeftCorner(used, used));
    NI_REQUIRE(eig.info() == Eigen::Success, "lanczos: the projected eigenproblem failed");
    const int ritz = std::min(used, keep);
    VectorXd theta(ritz);
    MatrixXd y(used, ritz);
    for (int i = 0; i < ritz; ++i) {
      theta[i] = eig.eigenvalues()[used - 1 - i];
      y.col(i) = eig.eigenvectors().col(used - 1 - i);
    }
    const MatrixXd x = v.leftCols(used) * y, ax = av.leftCols(used) * y;
    const MatrixXd residuals = ax - x * theta.asDiagonal();
    const VectorXd norms = residuals.colwise().norm();

    // 3. convergence of the k leading pairs
    const double scale = std::max(std::abs(theta[0]), std::numeric_limits<double>::min());
    std::vector<int> open;
    for (int i = 0; i < ritz; ++i) {
      if (norms[i] > tolerance * scale) open.push_back(i);
    }
    const bool converged = open.empty() || open.front() >= k || used == n;
    if (converged) {
      out.values = theta.head(k);
      out.vectors = x.leftCols(k);
      out.residual = norms.head(k).maxCoeff() / scale;
      return out;
    }
    NI_REQUIRE(out.products < max_products, "lanczos: no convergence to tolerance ", tolerance,
               " after ", out.products, " products (", k,
               " eigenpairs); use --solver elpa2 or a larger --tolerance");

    // 4. next block: residuals of the first unconverged pairs, random if too few
    w.resize(n, block);
    for (int c = 0; c < block; ++c) {
      if (c < static_cast<int>(open.size())) {
        w.col(c) = residuals.col(open[c]) / norms[open[c]];
      } else {
        random.fill(w.col(c));
      }
    }
    if (used + block > max_basis && used < n) {  // thick restart
      v.leftCols(ritz) = x;
      av.leftCols(ritz) = ax;
      h.setZero();
      h.topLeftCorner(ritz, ritz) = theta.asDiagonal();
      used = ritz;
      ++out.restarts;
    }
  }
}

template Eigenpairs lanczos(const dist::BlockCyclic<double>&, const EigenOptions&);
template Eigenpairs lanczos(const dist::BlockCyclic<float>&, const EigenOptions&);

}  // namespace netinfer::spectral
