#include "netinfer/dist/redistribute.hpp"

#include <algorithm>

#include "netinfer/core/error.hpp"
#include "netinfer/dist/lapack.hpp"

namespace netinfer::dist {

template <typename T>
void redistribute(const BlockCyclic<T>& from, BlockCyclic<T>& to, std::int64_t panel_elements) {
  NI_REQUIRE(from.rows() == to.rows() && from.cols() == to.cols(), "redistribute: shape ",
             from.rows(), " x ", from.cols(), " does not match ", to.rows(), " x ", to.cols());
  NI_REQUIRE(from.grid().size() == to.grid().size(),
             "redistribute: the two grids must span the same ranks");
  if (from.rows() == 0 || from.cols() == 0) return;
  // Both grids span every rank of the communicator, so either context serves
  // as the union context p?gemr2d asks for.
  const int panel = static_cast<int>(std::max<std::int64_t>(1, panel_elements / from.rows()));
  for (int j = 0; j < from.cols(); j += panel) {
    la::pgemr2d(from.rows(), std::min(panel, from.cols() - j), j + 1, from.data(), from.desc(),
                to.data(), to.desc(), to.grid().context());
  }
}

template void redistribute(const BlockCyclic<double>&, BlockCyclic<double>&, std::int64_t);
template void redistribute(const BlockCyclic<float>&, BlockCyclic<float>&, std::int64_t);

}  // namespace netinfer::dist
