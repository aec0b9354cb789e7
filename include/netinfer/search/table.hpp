// What `netinfer search` prints on rank 0: a table row per candidate as it
// finishes, and the summary at the end (why it stopped, how many candidates
// at what rate, the best candidate with its per-layer errors).
#pragma once

#include <string>
#include <vector>

#include "netinfer/search/search.hpp"

namespace netinfer::search {

std::string table_header(int networks);
std::string table_row(const Record& record);
std::string summary_text(const SearchSummary& summary, const std::string& out);

}  // namespace netinfer::search
