// ELPA's dense solvers. ELPA needs the full symmetric matrix (both triangles)
// and returns the lowest eigenpairs in ascending order, so we build -A in
// full (the strictly lower triangle from a PDTRAN into the eigenvector
// array, which ELPA needs at full local size anyway) and negate back.
// Debian's ELPA has no single precision, so float matrices are solved in double.
#include <mpi.h>

// elpa.h does not declare elpa_strerr with C linkage.
extern "C" const char* elpa_strerr(int elpa_error);
#include <elpa/elpa.h>

#include <type_traits>
#include <vector>

#include "netinfer/core/error.hpp"
#include "netinfer/dist/lapack.hpp"
#include "netinfer/dist/replicate.hpp"
#include "netinfer/spectral/eigensolver.hpp"

namespace netinfer::spectral {

namespace {

void check(int code, const char* what) {
  NI_REQUIRE(code == ELPA_OK, "ELPA: ", what, " failed: ", elpa_strerr(code));
}

// Owns an ELPA handle set up for one matrix layout.
class Handle {
 public:
  Handle(const dist::BlockCyclic<double>& a, int k, bool two_stage) {
    static const bool initialised = elpa_init(ELPA_API_VERSION) == ELPA_OK;
    NI_REQUIRE(initialised, "ELPA: this library does not support API version ", ELPA_API_VERSION);
    int error = 0;
    handle_ = elpa_allocate(&error);
    check(error, "allocate");
    const dist::Grid& grid = a.grid();
    set("na", a.rows());
    set("nev", k);
    set("local_nrows", a.local_rows());
    set("local_ncols", a.local_cols());
    set("nblk", a.nb());
    set("mpi_comm_parent", static_cast<int>(MPI_Comm_c2f(grid.comm())));
    set("process_row", grid.row());
    set("process_col", grid.col());
    set("blacs_context", grid.context());
    check(elpa_setup(handle_), "setup");
    set("solver", two_stage ? ELPA_SOLVER_2STAGE : ELPA_SOLVER_1STAGE);
  }
  ~Handle() {
    int error = 0;
    elpa_deallocate(handle_, &error);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  elpa_t get() const { return handle_; }

 private:
  void set(const char* key, int value) {
    int error = 0;
    elpa_set_integer(handle_, key, value, &error);
    NI_REQUIRE(error == ELPA_OK, "ELPA: cannot set ", key, " = ", value, ": ", elpa_strerr(error));
  }
  elpa_t handle_ = nullptr;
};

}  // namespace

template <typename T>
Eigenpairs elpa(dist::BlockCyclic<T>& a, int k, bool two_stage) {
  if constexpr (std::is_same_v<T, float>) {
    // Debian's ELPA is built without single precision: promote to double,
    // releasing the float matrix at once (the peak is that of a double run).
    dist::BlockCyclic<double> promoted(a.grid(), a.rows(), a.cols(), a.mb(), a.nb());
    for (int j = 0; j < a.local_cols(); ++j) {
      for (int i = 0; i < a.local_rows(); ++i) promoted.local(i, j) = a.local(i, j);
    }
    a = dist::BlockCyclic<float>(a.grid(), 0, 0, a.mb(), a.nb());
    return elpa(promoted, k, two_stage);
  } else {
    const int n = a.rows();
    dist::BlockCyclic<T> q(a.grid(), n, n, a.nb(), a.nb());
    la::ptran(n, n, T(1), a.data(), a.desc(), T(0), q.data(), q.desc());  // q = A^T
    for (int j = 0; j < a.local_cols(); ++j) {
      const int gj = a.col_axis().global(j);
      for (int i = 0; i < a.local_rows(); ++i) {
        const T v = a.row_axis().global(i) > gj ? q.local(i, j) : a.local(i, j);
        a.local(i, j) = -v;
      }
    }
    Handle handle(a, k, two_stage);
    std::vector<double> ev(n);
    int error = 0;
    elpa_eigenvectors_a_h_a_d(handle.get(), a.data(), ev.data(), q.data(), &error);
    check(error, two_stage ? "2-stage eigenvectors" : "1-stage eigenvectors");
    Eigenpairs out;
    out.values = -Eigen::Map<const Eigen::VectorXd>(ev.data(), k);
    out.vectors = dist::replicate_columns(q, k);
    return out;
  }
}

template Eigenpairs elpa(dist::BlockCyclic<double>&, int, bool);
template Eigenpairs elpa(dist::BlockCyclic<float>&, int, bool);

}  // namespace netinfer::spectral
