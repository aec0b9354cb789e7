// The k eigenpairs of largest eigenvalue of a symmetric block-cyclic matrix
// (the transformed correlation matrix), by one of four solvers:
//  - lanczos (default): thick-restart block Lanczos on the distributed matrix
//    (lanczos.cpp); cost grows as n^2 per product, so it is the only one
//    fast enough for LeNet-sized n.
//  - elpa2, elpa1: ELPA's two-stage / one-stage dense solvers on -A (ELPA
//    returns the lowest eigenpairs); exact references, O(n^3).
//  - scalapack: PDSYEVX (PSSYEVX) with an index range; O(n^3). PDSYEVR is
//    avoided: with few vectors and nb >= 32 it returns garbage eigenvectors
//    here (see PLATFORM.md).
// Single precision (float matrices): lanczos multiplies in single (SGEMM,
// SSYMM) and keeps its basis, orthogonalisation and Rayleigh-Ritz in double,
// so it converges to the eigenpairs of the float-rounded matrix up to the
// accuracy of float products (default tolerance 1e-5); scalapack runs
// PSSYEVX; elpa promotes the matrix to double (Debian's ELPA has no single
// precision), releasing the float copy, so its memory is that of double.
// Eigenvalues come in descending order. Sign rule (every solver): each
// eigenvector is negated if needed so that its entry of largest absolute
// value is positive (the first such entry in neuron order on exact ties).
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <string>

#include "netinfer/dist/block_cyclic.hpp"

namespace netinfer::spectral {

enum class Solver { lanczos, elpa2, elpa1, scalapack };

Solver parse_solver(const std::string& name);  // "lanczos", "elpa2", "elpa1", "scalapack"
std::string solver_name(Solver s);

struct EigenOptions {
  Solver solver = Solver::lanczos;
  int k = 16;
  // lanczos: a Ritz pair is converged when ||A x - theta x|| <= tolerance *
  // |theta_1|; 0 picks 1e-10 in double and 1e-5 in single precision.
  double tolerance = 0;
  int block = 0;           // lanczos block size; 0 picks min(k, 8)
  int max_basis = 0;       // lanczos basis size before a restart; 0: k + 7 block
  std::uint64_t seed = 0;  // of the lanczos start block
};

struct Eigenpairs {
  Eigen::VectorXd values;   // k, descending
  Eigen::MatrixXd vectors;  // n x k, replicated on every rank, sign rule applied
  int products = 0;         // lanczos: matrix-vector products (columns multiplied)
  int restarts = 0;         // lanczos: thick restarts
  double residual = 0;      // lanczos: max ||A x - theta x|| / |theta_1| of the result
};

// `a` holds a symmetric matrix in its upper triangle, in square blocks. The
// dense solvers overwrite it. Collective over a's grid.
template <typename T>
Eigenpairs top_eigenpairs(dist::BlockCyclic<T>& a, const EigenOptions& options);

// The solvers behind top_eigenpairs (same contracts, no sign rule applied).
template <typename T>
Eigenpairs lanczos(const dist::BlockCyclic<T>& a, const EigenOptions& options);
template <typename T>
Eigenpairs elpa(dist::BlockCyclic<T>& a, int k, bool two_stage);
template <typename T>
Eigenpairs scalapack_syevx(dist::BlockCyclic<T>& a, int k);

// The sizes lanczos works with for an n x n matrix: vectors per product,
// Ritz vectors kept at a restart (k + block) and the basis size that triggers
// one. The defaults were tuned on LeNet's |corr| (GAUSSIAN, 2 ranks): block 8
// with a basis of k + 7 blocks needed the least CPU time for k = 16 and 40.
struct LanczosShape {
  int block = 0, keep = 0, max_basis = 0;
};
LanczosShape lanczos_shape(int n, const EigenOptions& options);

// The sign rule, applied to each column.
void apply_sign_rule(Eigen::MatrixXd& vectors);

}  // namespace netinfer::spectral
