// The numbers of 000 §6 that our tables print beside their own (the paper's
// LeNet was trained on digit MNIST; ours on Fashion-MNIST unless digit MNIST
// is given, so these are points of comparison, not targets).
#pragma once

#include <string>

namespace netinfer::experiment {

// Overall error, perfect split, for a feature set name (Fig. 14, §6.1, §6.3,
// §6.4): MNIST 2.9, trMNIST 1.7, GAUSSIAN 1.5, ..., PATCH-CONCAT 0.08; NaN if
// the paper has none.
double paper_feature_set(const std::string& name);

// Table 2 (GAUSSIAN, perfect split): the error for one value of an axis
// ("balance", "method", "moments", "transform", "images"); NaN if none.
double paper_table2(const std::string& axis, const std::string& value);

// Silent neurons the paper reports for a set (§6.1, §6.3); -1 if none.
int paper_silent(const std::string& name);

}  // namespace netinfer::experiment
