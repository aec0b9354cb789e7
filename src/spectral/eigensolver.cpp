#include "netinfer/spectral/eigensolver.hpp"

#include "netinfer/core/error.hpp"

namespace netinfer::spectral {

Solver parse_solver(const std::string& name) {
  for (Solver s : {Solver::lanczos, Solver::elpa2, Solver::elpa1, Solver::scalapack}) {
    if (solver_name(s) == name) return s;
  }
  NI_FAIL("--solver: unknown solver '", name, "' (choose lanczos, elpa2, elpa1 or scalapack)");
}

std::string solver_name(Solver s) {
  switch (s) {
    case Solver::lanczos:
      return "lanczos";
    case Solver::elpa2:
      return "elpa2";
    case Solver::elpa1:
      return "elpa1";
    case Solver::scalapack:
      return "scalapack";
  }
  return "?";
}

template <typename T>
Eigenpairs top_eigenpairs(dist::BlockCyclic<T>& a, const EigenOptions& options) {
  NI_REQUIRE(a.rows() == a.cols() && a.mb() == a.nb(),
             "eigensolver: needs a square matrix in square blocks");
  NI_REQUIRE(options.k >= 1 && options.k <= a.rows(), "--k: ", options.k,
             " eigenpairs requested of a ", a.rows(), " x ", a.rows(), " matrix (need 1..",
             a.rows(), ")");
  Eigenpairs out;
  switch (options.solver) {
    case Solver::lanczos:
      out = lanczos(a, options);
      break;
    case Solver::elpa2:
      out = elpa(a, options.k, true);
      break;
    case Solver::elpa1:
      out = elpa(a, options.k, false);
      break;
    case Solver::scalapack:
      out = scalapack_syevx(a, options.k);
      break;
  }
  apply_sign_rule(out.vectors);
  return out;
}

template Eigenpairs top_eigenpairs(dist::BlockCyclic<double>&, const EigenOptions&);
template Eigenpairs top_eigenpairs(dist::BlockCyclic<float>&, const EigenOptions&);

}  // namespace netinfer::spectral
