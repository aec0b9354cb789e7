// The reconstruction workflow's part of `netinfer report`: tables of whatever
// reconstruction groups a file holds (generators of a spike file, the training
// record of a model file, the results of an evaluation).
#pragma once

#include <string>

#include "netinfer/io/h5.hpp"

namespace netinfer::reconstruct {

bool has_report(const h5::File& file);
std::string format_report(const h5::File& file);

}  // namespace netinfer::reconstruct
