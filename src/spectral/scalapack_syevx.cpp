// ScaLAPACK's expert driver P?SYEVX for the eigenpairs il..iu = n-k+1..n
// (ascending there, reversed here). PDSYEVR would be faster but returns
// garbage eigenvectors here for few vectors (PLATFORM.md).
#include <algorithm>
#include <vector>

#include "netinfer/core/error.hpp"
#include "netinfer/dist/lapack.hpp"
#include "netinfer/dist/replicate.hpp"
#include "netinfer/spectral/eigensolver.hpp"

namespace netinfer::spectral {

template <typename T>
Eigenpairs scalapack_syevx(dist::BlockCyclic<T>& a, int k) {
  const int n = a.rows(), il = n - k + 1, iu = n;
  // P?SYEVX insists on an n x n eigenvector matrix, whatever k is.
  dist::BlockCyclic<T> z(a.grid(), n, n, a.nb(), a.nb());
  const T abstol = 2 * la::safe_minimum(a.grid().context(), T(0));  // most accurate
  const T orfac = T(1e-3);  // reorthogonalise eigenvectors closer than 1e-3 ||A||
  std::vector<T> w(n), gap(a.grid().size());
  std::vector<int> ifail(n), iclustr(2 * a.grid().size());
  int found = 0, vectors = 0, info = 0;
  T work_query = 0;
  int iwork_query = 0;
  la::psyevx("V", "I", "U", n, a.data(), a.desc(), T(0), T(0), il, iu, abstol, &found, &vectors,
             w.data(), orfac, z.data(), z.desc(), &work_query, -1, &iwork_query, -1, ifail.data(),
             iclustr.data(), gap.data(), &info);
  NI_REQUIRE(info == 0, "PDSYEVX workspace query failed (info ", info, ")");
  // The query does not cover reorthogonalising a cluster of all k vectors on
  // one process; add that ((k - 1) * n) so clustered spectra stay orthogonal.
  const int lwork = static_cast<int>(work_query) + (k - 1) * n + 1;
  std::vector<T> work(lwork);
  std::vector<int> iwork(std::max(1, iwork_query));
  la::psyevx("V", "I", "U", n, a.data(), a.desc(), T(0), T(0), il, iu, abstol, &found, &vectors,
             w.data(), orfac, z.data(), z.desc(), work.data(), lwork, iwork.data(),
             static_cast<int>(iwork.size()), ifail.data(), iclustr.data(), gap.data(), &info);
  NI_REQUIRE(info == 0, "PDSYEVX failed (info ", info,
             info > 0 ? ": eigenvectors did not converge or could not be reorthogonalised)"
                      : ": illegal argument)");
  NI_REQUIRE(found == k && vectors == k, "PDSYEVX found ", found, " eigenvalues and ", vectors,
             " eigenvectors, expected ", k);
  Eigenpairs out;
  out.values.resize(k);
  const Eigen::MatrixXd ascending = dist::replicate_columns(z, k);
  out.vectors.resize(n, k);
  for (int i = 0; i < k; ++i) {
    out.values[i] = w[k - 1 - i];
    out.vectors.col(i) = ascending.col(k - 1 - i);
  }
  return out;
}

template Eigenpairs scalapack_syevx(dist::BlockCyclic<double>&, int);
template Eigenpairs scalapack_syevx(dist::BlockCyclic<float>&, int);

}  // namespace netinfer::spectral
