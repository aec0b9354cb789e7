// Typed C++ front ends for the Fortran BLAS, BLACS and ScaLAPACK routines that
// netinfer calls (Debian ships no C headers for ScaLAPACK). One overload per
// precision, so templates over T = float | double pick the right routine.
#pragma once

#include <mpi.h>

extern "C" {
// BLACS (C interface)
int Csys2blacs_handle(MPI_Comm comm);
void Cfree_blacs_system_handle(int handle);
void Cblacs_gridinit(int* context, const char* order, int rows, int cols);
void Cblacs_gridinfo(int context, int* rows, int* cols, int* row, int* col);
void Cblacs_gridexit(int context);

// ScaLAPACK tools
int numroc_(const int* n, const int* nb, const int* iproc, const int* isrcproc, const int* nprocs);
void descinit_(int* desc, const int* m, const int* n, const int* mb, const int* nb,
               const int* irsrc, const int* icsrc, const int* ictxt, const int* lld, int* info);
double pdlamch_(const int* ictxt, const char* cmach);
float pslamch_(const int* ictxt, const char* cmach);

// BLAS (OpenBLAS, which also has the thread-count controls)
int openblas_get_num_threads(void);
void openblas_set_num_threads(int threads);
void dgemm_(const char*, const char*, const int*, const int*, const int*, const double*,
            const double*, const int*, const double*, const int*, const double*, double*,
            const int*);
void sgemm_(const char*, const char*, const int*, const int*, const int*, const float*,
            const float*, const int*, const float*, const int*, const float*, float*, const int*);
void dsymm_(const char*, const char*, const int*, const int*, const double*, const double*,
            const int*, const double*, const int*, const double*, double*, const int*);
void ssymm_(const char*, const char*, const int*, const int*, const float*, const float*,
            const int*, const float*, const int*, const float*, float*, const int*);

// PBLAS / ScaLAPACK
void pdgemr2d_(const int* m, const int* n, const double* a, const int* ia, const int* ja,
               const int* desca, double* b, const int* ib, const int* jb, const int* descb,
               const int* ictxt);
void psgemr2d_(const int* m, const int* n, const float* a, const int* ia, const int* ja,
               const int* desca, float* b, const int* ib, const int* jb, const int* descb,
               const int* ictxt);
void pdsyrk_(const char* uplo, const char* trans, const int* n, const int* k, const double* alpha,
             const double* a, const int* ia, const int* ja, const int* desca, const double* beta,
             double* c, const int* ic, const int* jc, const int* descc);
void pssyrk_(const char* uplo, const char* trans, const int* n, const int* k, const float* alpha,
             const float* a, const int* ia, const int* ja, const int* desca, const float* beta,
             float* c, const int* ic, const int* jc, const int* descc);
void pdtran_(const int* m, const int* n, const double* alpha, const double* a, const int* ia,
             const int* ja, const int* desca, const double* beta, double* c, const int* ic,
             const int* jc, const int* descc);
void pstran_(const int* m, const int* n, const float* alpha, const float* a, const int* ia,
             const int* ja, const int* desca, const float* beta, float* c, const int* ic,
             const int* jc, const int* descc);
void pdsyevx_(const char* jobz, const char* range, const char* uplo, const int* n, double* a,
              const int* ia, const int* ja, const int* desca, const double* vl, const double* vu,
              const int* il, const int* iu, const double* abstol, int* m, int* nz, double* w,
              const double* orfac, double* z, const int* iz, const int* jz, const int* descz,
              double* work, const int* lwork, int* iwork, const int* liwork, int* ifail,
              int* iclustr, double* gap, int* info);
void pssyevx_(const char* jobz, const char* range, const char* uplo, const int* n, float* a,
              const int* ia, const int* ja, const int* desca, const float* vl, const float* vu,
              const int* il, const int* iu, const float* abstol, int* m, int* nz, float* w,
              const float* orfac, float* z, const int* iz, const int* jz, const int* descz,
              float* work, const int* lwork, int* iwork, const int* liwork, int* ifail,
              int* iclustr, float* gap, int* info);
}

namespace netinfer::la {

// The threads OpenBLAS gives one call, and setting them (for the whole process).
inline int blas_threads() {
  return openblas_get_num_threads();
}
inline void set_blas_threads(int threads) {
  openblas_set_num_threads(threads);
}

// Runs f with OpenBLAS single-threaded and gives it the thread count OpenBLAS
// had: a BLAS call's rounding may depend on how OpenBLAS splits it over
// threads, so callers that need results independent of the thread count call
// BLAS single-threaded and spread whole calls over their own threads.
template <typename F>
void with_serial_blas(F&& f) {
  const int threads = blas_threads();
  set_blas_threads(1);
  try {
    f(threads);
  } catch (...) {
    set_blas_threads(threads);
    throw;
  }
  set_blas_threads(threads);
}

// Column-major local GEMM: C = alpha op(A) op(B) + beta C.
inline void gemm(char ta, char tb, int m, int n, int k, double alpha, const double* a, int lda,
                 const double* b, int ldb, double beta, double* c, int ldc) {
  dgemm_(&ta, &tb, &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc);
}
inline void gemm(char ta, char tb, int m, int n, int k, float alpha, const float* a, int lda,
                 const float* b, int ldb, float beta, float* c, int ldc) {
  sgemm_(&ta, &tb, &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc);
}
// C = alpha A B + beta C with A symmetric (its `uplo` triangle referenced).
inline void symm(char uplo, int m, int n, double alpha, const double* a, int lda, const double* b,
                 int ldb, double beta, double* c, int ldc) {
  const char side = 'L';
  dsymm_(&side, &uplo, &m, &n, &alpha, a, &lda, b, &ldb, &beta, c, &ldc);
}
inline void symm(char uplo, int m, int n, float alpha, const float* a, int lda, const float* b,
                 int ldb, float beta, float* c, int ldc) {
  const char side = 'L';
  ssymm_(&side, &uplo, &m, &n, &alpha, a, &lda, b, &ldb, &beta, c, &ldc);
}

// Copies the m x n block at (1, ja) (1-based) of a into the same place of b.
inline void pgemr2d(int m, int n, int ja, const double* a, const int* desca, double* b,
                    const int* descb, int context) {
  const int one = 1;
  pdgemr2d_(&m, &n, a, &one, &ja, desca, b, &one, &ja, descb, &context);
}
inline void pgemr2d(int m, int n, int ja, const float* a, const int* desca, float* b,
                    const int* descb, int context) {
  const int one = 1;
  psgemr2d_(&m, &n, a, &one, &ja, desca, b, &one, &ja, descb, &context);
}

// C = alpha op(A) op(A)^T + beta C with op(A) = sub(A) starting at A's
// global row ia (1-based), column 1.
inline void psyrk(char uplo, char trans, int n, int k, double alpha, const double* a, int ia,
                  const int* desca, double beta, double* c, const int* descc) {
  const int one = 1;
  pdsyrk_(&uplo, &trans, &n, &k, &alpha, a, &ia, &one, desca, &beta, c, &one, &one, descc);
}
inline void psyrk(char uplo, char trans, int n, int k, float alpha, const float* a, int ia,
                  const int* desca, float beta, float* c, const int* descc) {
  const int one = 1;
  pssyrk_(&uplo, &trans, &n, &k, &alpha, a, &ia, &one, desca, &beta, c, &one, &one, descc);
}

// C = beta C + alpha A^T (A is m x n, C is n x m).
inline void ptran(int m, int n, double alpha, const double* a, const int* desca, double beta,
                  double* c, const int* descc) {
  const int one = 1;
  pdtran_(&m, &n, &alpha, a, &one, &one, desca, &beta, c, &one, &one, descc);
}
inline void ptran(int m, int n, float alpha, const float* a, const int* desca, float beta, float* c,
                  const int* descc) {
  const int one = 1;
  pstran_(&m, &n, &alpha, a, &one, &one, desca, &beta, c, &one, &one, descc);
}

// Safe minimum of the arithmetic (for pdsyevx's most accurate abstol).
inline double safe_minimum(int context, double) {
  const char s = 'S';
  return pdlamch_(&context, &s);
}
inline float safe_minimum(int context, float) {
  const char s = 'S';
  return pslamch_(&context, &s);
}

inline void psyevx(const char* jobz, const char* range, const char* uplo, int n, double* a,
                   const int* desca, double vl, double vu, int il, int iu, double abstol, int* m,
                   int* nz, double* w, double orfac, double* z, const int* descz, double* work,
                   int lwork, int* iwork, int liwork, int* ifail, int* iclustr, double* gap,
                   int* info) {
  const int one = 1;
  pdsyevx_(jobz, range, uplo, &n, a, &one, &one, desca, &vl, &vu, &il, &iu, &abstol, m, nz, w,
           &orfac, z, &one, &one, descz, work, &lwork, iwork, &liwork, ifail, iclustr, gap, info);
}
inline void psyevx(const char* jobz, const char* range, const char* uplo, int n, float* a,
                   const int* desca, float vl, float vu, int il, int iu, float abstol, int* m,
                   int* nz, float* w, float orfac, float* z, const int* descz, float* work,
                   int lwork, int* iwork, int liwork, int* ifail, int* iclustr, float* gap,
                   int* info) {
  const int one = 1;
  pssyevx_(jobz, range, uplo, &n, a, &one, &one, desca, &vl, &vu, &il, &iu, &abstol, m, nz, w,
           &orfac, z, &one, &one, descz, work, &lwork, iwork, &liwork, ifail, iclustr, gap, info);
}

}  // namespace netinfer::la
