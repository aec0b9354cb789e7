#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/spectral/eigensolver.hpp"

namespace netinfer::spectral {

namespace {

// Q diag(lambda) Q^T with Q a random orthogonal matrix (the same on every
// rank): a symmetric matrix with a known, chosen spectrum.
Eigen::MatrixXd with_spectrum(const std::vector<double>& lambda, std::uint64_t seed) {
  const int n = static_cast<int>(lambda.size());
  Eigen::MatrixXd g(n, n);
  Stream s(seed, purpose_id("eigensolver test"), 0);
  for (Eigen::Index i = 0; i < g.size(); ++i) g.data()[i] = s.normal();
  const Eigen::MatrixXd q = Eigen::HouseholderQR<Eigen::MatrixXd>(g).householderQ();
  Eigen::VectorXd l(n);
  for (int i = 0; i < n; ++i) l[i] = lambda[i];
  const Eigen::MatrixXd a = q * l.asDiagonal() * q.transpose();
  return 0.5 * (a + a.transpose());
}

// Clusters at the top (gaps of 1e-3 between 10, 9.999, 9.998 and between 8,
// 7.999) above a spread bulk.
std::vector<double> clustered(int n) {
  std::vector<double> l = {10, 9.999, 9.998, 8, 7.999, 6, 5, 4.99, 4, 3.5};
  for (int i = static_cast<int>(l.size()); i < n; ++i) l.push_back(-2.0 + 5.0 * i / n);
  return l;
}

// Upper triangle of `dense` into a block-cyclic matrix; the strictly lower
// triangle is NaN, so a solver that reads it fails the test.
template <typename T>
dist::BlockCyclic<T> upper(const dist::Grid& grid, const Eigen::MatrixXd& dense, int nb) {
  const int n = static_cast<int>(dense.rows());
  dist::BlockCyclic<T> a(grid, n, n, nb, nb);
  for (int j = 0; j < a.local_cols(); ++j) {
    for (int i = 0; i < a.local_rows(); ++i) {
      const int gi = a.row_axis().global(i), gj = a.col_axis().global(j);
      a.local(i, j) =
          gi <= gj ? static_cast<T>(dense(gi, gj)) : std::numeric_limits<T>::quiet_NaN();
    }
  }
  return a;
}

struct Reference {
  Eigen::VectorXd values;
  Eigen::MatrixXd vectors;
};

Reference reference(const Eigen::MatrixXd& dense, int k) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(dense);
  const int n = static_cast<int>(dense.rows());
  Reference r{Eigen::VectorXd(k), Eigen::MatrixXd(n, k)};
  for (int i = 0; i < k; ++i) {
    r.values[i] = eig.eigenvalues()[n - 1 - i];
    r.vectors.col(i) = eig.eigenvectors().col(n - 1 - i);
  }
  apply_sign_rule(r.vectors);
  return r;
}

double value_error(const Eigen::VectorXd& got, const Eigen::VectorXd& want) {
  return ((got - want).array().abs() / want.array().abs()).maxCoeff();
}
double vector_error(const Eigen::MatrixXd& got, const Eigen::MatrixXd& want) {
  return (got - want).cwiseAbs().maxCoeff();
}

const std::vector<Solver> kSolvers = {Solver::lanczos, Solver::elpa2, Solver::elpa1,
                                      Solver::scalapack};

}  // namespace

TEST(Eigensolvers, EverySolverMatchesEigenOnAClusteredSpectrum) {
  const dist::Grid grid(MPI_COMM_WORLD);
  for (int n : {150, 97}) {
    const Eigen::MatrixXd dense = with_spectrum(clustered(n), n);
    const int k = 8;
    const Reference want = reference(dense, k);
    for (int nb : {7, 16}) {
      for (Solver s : kSolvers) {
        dist::BlockCyclic<double> a = upper<double>(grid, dense, nb);
        EigenOptions o;
        o.solver = s;
        o.k = k;
        const Eigenpairs got = top_eigenpairs(a, o);
        ASSERT_EQ(got.values.size(), k);
        ASSERT_EQ(got.vectors.rows(), n);
        EXPECT_LT(value_error(got.values, want.values), 1e-10)
            << solver_name(s) << " n " << n << " nb " << nb;
        EXPECT_LT(vector_error(got.vectors, want.vectors), 1e-6)
            << solver_name(s) << " n " << n << " nb " << nb;
        if (s == Solver::lanczos) {
          EXPECT_LE(got.residual, 1e-10);
          EXPECT_GT(got.products, 0);
        }
      }
    }
  }
}

TEST(Eigensolvers, SinglePrecisionSolversAreAccurateToSinglePrecision) {
  const dist::Grid grid(MPI_COMM_WORLD);
  std::vector<double> l = {10, 9, 8, 7.5, 7, 6.5};
  for (int i = 6; i < 120; ++i) l.push_back(-2.0 + 6.0 * i / 120);
  const Eigen::MatrixXd dense = with_spectrum(l, 3);
  const int k = 5;
  const Reference want = reference(dense, k);
  for (Solver s : kSolvers) {
    dist::BlockCyclic<float> a = upper<float>(grid, dense, 8);
    EigenOptions o;
    o.solver = s;
    o.k = k;
    const Eigenpairs got = top_eigenpairs(a, o);
    EXPECT_LT(value_error(got.values, want.values), 1e-5) << solver_name(s);
    EXPECT_LT(vector_error(got.vectors, want.vectors), 1e-4) << solver_name(s);
  }
}

// The same problem on 1, 2 and 4 ranks (sub-communicators of this run) gives
// the same eigenpairs up to rounding: the random start block and the sign
// rule do not depend on the rank count.
TEST(Eigensolvers, ResultsAgreeAcrossRankCounts) {
  const int world = mpi_size();
  const Eigen::MatrixXd dense = with_spectrum(clustered(130), 5);
  for (Solver s : {Solver::lanczos, Solver::elpa2}) {
    std::vector<Eigenpairs> results;
    for (int ranks : {1, 2, 4}) {
      if (ranks > world) break;
      MPI_Comm sub;
      MPI_Comm_split(MPI_COMM_WORLD, mpi_rank() < ranks ? 0 : MPI_UNDEFINED, mpi_rank(), &sub);
      Eigenpairs got;
      if (sub != MPI_COMM_NULL) {
        const dist::Grid grid(sub);
        dist::BlockCyclic<double> a = upper<double>(grid, dense, 16);
        EigenOptions o;
        o.solver = s;
        o.k = 8;
        got = top_eigenpairs(a, o);
        MPI_Comm_free(&sub);
      }
      results.push_back(got);  // meaningful on rank 0, which is in every sub-communicator
    }
    if (mpi_rank() == 0) {
      for (std::size_t r = 1; r < results.size(); ++r) {
        EXPECT_LT(value_error(results[r].values, results[0].values), 1e-12) << solver_name(s);
        EXPECT_LT(vector_error(results[r].vectors, results[0].vectors), 1e-7) << solver_name(s);
      }
    }
  }
}

TEST(Eigensolvers, EdgeCases) {
  const dist::Grid grid(MPI_COMM_WORLD);
  // k = n: the basis reaches the whole space.
  const Eigen::MatrixXd small = with_spectrum({3, 2, 1, 0.5, -1}, 9);
  dist::BlockCyclic<double> a = upper<double>(grid, small, 2);
  EigenOptions o;
  o.k = 5;
  const Eigenpairs all = top_eigenpairs(a, o);
  EXPECT_LT(value_error(all.values, reference(small, 5).values), 1e-12);
  // A zero matrix (every neuron silent) has eigenvalues 0 and no error.
  dist::BlockCyclic<double> zero(grid, 40, 40, 8, 8);
  o.k = 3;
  const Eigenpairs z = top_eigenpairs(zero, o);
  EXPECT_EQ(z.values.cwiseAbs().maxCoeff(), 0.0);
  EXPECT_NEAR(z.vectors.col(0).norm(), 1.0, 1e-12);
  // k outside 1..n is refused.
  o.k = 41;
  EXPECT_THROW(top_eigenpairs(zero, o), Error);
  o.k = 0;
  EXPECT_THROW(top_eigenpairs(zero, o), Error);
}

}  // namespace netinfer::spectral
