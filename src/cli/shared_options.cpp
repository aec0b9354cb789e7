// Options that localize, experiment and search share, with one wording.
#include "netinfer/cli/command.hpp"

namespace netinfer::cli {

void add_method_options(po::options_description& o) {
  o.add_options()("solver", po::value<std::string>()->default_value("lanczos"),
                  "eigensolver: lanczos | elpa2 | elpa1 | scalapack")(
      "precision", po::value<std::string>()->default_value("double"),
      "correlation and eigensolver precision: double | single")(
      "trees", po::value<int>()->default_value(100), "random-forest size")(
      "prior-weight", po::value<double>()->default_value(1e-3),
      "weight of the uniform class prior mixed into every classifier's output");
}

}  // namespace netinfer::cli
