#include "netinfer/dist/redistribute.hpp"

#include "netinfer/core/error.hpp"
#include "netinfer/dist/lapack.hpp"

namespace netinfer::dist {

template <typename T>
void redistribute(const BlockCyclic<T>& from, BlockCyclic<T>& to) {
  NI_REQUIRE(from.rows() == to.rows() && from.cols() == to.cols(), "redistribute: shape ",
             from.rows(), " x ", from.cols(), " does not match ", to.rows(), " x ", to.cols());
  NI_REQUIRE(from.grid().size() == to.grid().size(),
             "redistribute: the two grids must span the same ranks");
  if (from.rows() == 0 || from.cols() == 0) return;
  // Both grids span every rank of the communicator, so either context serves
  // as the union context p?gemr2d asks for.
  la::pgemr2d(from.rows(), from.cols(), from.data(), from.desc(), to.data(), to.desc(),
              to.grid().context());
}

template void redistribute(const BlockCyclic<double>&, BlockCyclic<double>&);
template void redistribute(const BlockCyclic<float>&, BlockCyclic<float>&);

}  // namespace netinfer::dist
