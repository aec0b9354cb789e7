# FindScaLAPACK: Debian's scalapack CMake config names a library file that does
# not exist, so we use its pkg-config module (which also provides BLACS).
# Defines the imported target ScaLAPACK::ScaLAPACK.
find_package(PkgConfig REQUIRED)
pkg_check_modules(PC_SCALAPACK QUIET scalapack-openmpi)
find_library(ScaLAPACK_LIBRARY NAMES scalapack-openmpi scalapack
             HINTS ${PC_SCALAPACK_LIBRARY_DIRS})
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(ScaLAPACK REQUIRED_VARS ScaLAPACK_LIBRARY)
if(ScaLAPACK_FOUND AND NOT TARGET ScaLAPACK::ScaLAPACK)
  find_package(BLAS REQUIRED)
  find_package(LAPACK REQUIRED)
  add_library(ScaLAPACK::ScaLAPACK UNKNOWN IMPORTED)
  set_target_properties(ScaLAPACK::ScaLAPACK PROPERTIES
    IMPORTED_LOCATION "${ScaLAPACK_LIBRARY}"
    INTERFACE_LINK_LIBRARIES "MPI::MPI_C;${LAPACK_LIBRARIES};${BLAS_LIBRARIES}")
endif()
