// Conversions between a Network's per-layer double parameters and a flat
// vector in ParameterLayout order (float for training, double for gradients).
#pragma once

#include <vector>

#include "engine.hpp"
#include "netinfer/net/network.hpp"

namespace netinfer::net::detail {

ParameterPointers<const double> pointers(const Network& network);

template <typename T>
std::vector<T> flatten(const Network& network, const ParameterLayout& layout);

template <typename T>
void unflatten(const std::vector<T>& flat, const ParameterLayout& layout, Network& network);

}  // namespace netinfer::net::detail
