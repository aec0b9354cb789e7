// Options that several commands share, with one wording.
#include "netinfer/cli/command.hpp"

namespace netinfer::cli {

void add_method_options(po::options_description& o) {
  o.add_options()("solver", po::value<std::string>()->default_value("lanczos"),
                  "eigensolver: lanczos | elpa2 | elpa1 | scalapack")(
      "precision", po::value<std::string>()->default_value("single"),
      "correlation and eigensolver precision: single | double (single keeps the error "
      "within the forest seeds' spread at half the memory; docs/precision.md)")(
      "trees", po::value<int>()->default_value(100), "random-forest size")(
      "prior-weight", po::value<double>()->default_value(1e-3),
      "weight of the uniform class prior mixed into every classifier's output");
}

void add_record_options(po::options_description& o) {
  o.add_options()("record", po::value<std::string>()->default_value("all"),
                  "the recorded neurons, whose responses are used: all; a fraction (0.25) or "
                  "count (2000) per layer, with per-layer overrides (0.1,INPUT=1.0); or a file "
                  "of neuron indices or 'layer family x y' lines")(
      "record-seed", po::value<long>()->default_value(1), "seed of the recorded neurons' choice");
}

}  // namespace netinfer::cli
