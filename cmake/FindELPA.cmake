# FindELPA: ELPA ships no CMake config on Debian; use its pkg-config module.
# Defines the imported target ELPA::ELPA (header <elpa/elpa.h>).
find_package(PkgConfig REQUIRED)
pkg_check_modules(PC_ELPA QUIET elpa)
find_path(ELPA_INCLUDE_DIR NAMES elpa/elpa.h HINTS ${PC_ELPA_INCLUDE_DIRS} PATH_SUFFIXES elpa)
find_library(ELPA_LIBRARY NAMES elpa HINTS ${PC_ELPA_LIBRARY_DIRS})
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(ELPA REQUIRED_VARS ELPA_LIBRARY ELPA_INCLUDE_DIR)
if(ELPA_FOUND AND NOT TARGET ELPA::ELPA)
  add_library(ELPA::ELPA UNKNOWN IMPORTED)
  set_target_properties(ELPA::ELPA PROPERTIES
    IMPORTED_LOCATION "${ELPA_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${ELPA_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "ScaLAPACK::ScaLAPACK;MPI::MPI_C")
endif()
