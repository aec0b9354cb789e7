#include "netinfer/pipeline/set_key.hpp"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/core/random.hpp"

namespace netinfer::pipeline {

std::string ResponseKey::text() const {
  std::ostringstream out;
  out << "set=" << set << "; images=" << images << "; seed=" << seed << "; data-dir=" << data_dir;
  if (record != "all") out << "; record=" << record;
  return out.str();
}

std::string SpectrumKey::text() const {
  std::ostringstream out;
  out << responses.text() << "; transform=" << transform << "; solver=" << solver
      << "; precision=" << precision << "; k=" << k;
  return out.str();
}

spectral::SpectralOptions spectral_options(const SpectrumKey& key) {
  spectral::SpectralOptions so;
  so.k = key.k;
  so.transform = spectral::parse_transform(key.transform);
  so.solver = spectral::parse_solver(key.solver);
  so.precision = spectral::parse_precision(key.precision);
  so.seed = key.responses.seed;
  return so;
}

std::string file_stem(const std::string& key) {
  std::string readable;
  for (char c : key.substr(0, key.find(';'))) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    readable += ok ? c : '_';
  }
  char hash[20];
  std::snprintf(hash, sizeof hash, "%016llx",
                static_cast<unsigned long long>(Stream::mix(purpose_id(key))));
  return readable.substr(0, 40) + "-" + hash;
}

std::string weights_digest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  NI_REQUIRE(in, "cannot read ", path);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  char hex[20];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(purpose_id(bytes)));
  return hex;
}

}  // namespace netinfer::pipeline
