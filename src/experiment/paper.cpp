#include "netinfer/experiment/paper.hpp"

#include <cmath>
#include <map>

namespace netinfer::experiment {

double paper_feature_set(const std::string& name) {
  static const std::map<std::string, double> table = {
      {"MNIST", 2.9},       {"trMNIST", 1.7},    {"GAUSSIAN", 1.5},   {"MIXED", 0.8},
      {"IMPULSE", 0.8},     {"CONCAT", 0.4},     {"IMPULSE*", 1.3},   {"CONSTANT", 4.3},
      {"offGAUSSIAN", 2.1}, {"tiGAUSSIAN", 3.7}, {"trMNIST-1", 2.6},  {"trMNIST-2", 2.2},
      {"trMNIST-4", 2.1},   {"trMNIST-8", 2.0},  {"trMNIST-16", 1.9}, {"PATCH-CONCAT", 0.08}};
  const auto it = table.find(name.rfind("MIXED(", 0) == 0 ? "MIXED" : name);
  return it == table.end() ? NAN : it->second;
}

double paper_table2(const std::string& axis, const std::string& value) {
  static const std::map<std::string, double> table = {
      {"balance=1", 1.54},      {"balance=0", 2.27},      {"method=rf", 1.54},
      {"method=nn", 1.61},      {"method=dt", 2.30},      {"method=lr", 2.12},
      {"moments=0", 1.96},      {"moments=1", 1.59},      {"moments=2", 1.54},
      {"moments=3", 1.53},      {"moments=4", 1.54},      {"transform=cm", 3.62},
      {"transform=abs", 1.54},  {"transform=cm^2", 1.48}, {"transform=abs(cm^3)", 1.49},
      {"transform=cm^4", 3.02}, {"images=1000", 1.88},    {"images=2500", 1.69},
      {"images=5000", 1.63},    {"images=7500", 1.54},    {"images=10000", 1.54}};
  const auto it = table.find(axis + "=" + value);
  return it == table.end() ? NAN : it->second;
}

int paper_silent(const std::string& name) {
  static const std::map<std::string, int> table = {
      {"GAUSSIAN", 2609}, {"trMNIST", 210}, {"IMPULSE", 0}, {"tiGAUSSIAN", 2599}};
  const auto it = table.find(name);
  return it == table.end() ? -1 : it->second;
}

}  // namespace netinfer::experiment
