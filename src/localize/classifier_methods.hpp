// The methods behind fit_predict (classifier.cpp). Inputs are validated and
// labels compacted: every class in [0, classes) has a training row and
// classes >= 2. Logistic regression and the MLP get standardised features.
#pragma once

#include <vector>

#include "netinfer/localize/classifier.hpp"

namespace netinfer::localize::detail {

// CART forest (options.trees bootstrap trees) or, when single_tree, one tree
// on all rows and all features.
RowMatrix forest_fit_predict(const RowMatrix& x_train, const std::vector<int>& y_train, int classes,
                             const RowMatrix& x_test, const ClassifierOptions& options,
                             bool single_tree);

RowMatrix logistic_fit_predict(const RowMatrix& x_train, const std::vector<int>& y_train,
                               int classes, const RowMatrix& x_test,
                               const ClassifierOptions& options);

RowMatrix mlp_fit_predict(const RowMatrix& x_train, const std::vector<int>& y_train, int classes,
                          const RowMatrix& x_test, const ClassifierOptions& options);

// Throws unless every label is in [0, classes), naming `who` and the row.
void check_labels(const std::vector<int>& y, int classes, const char* who);

// Row-wise softmax of the logits, in place (numerically stable).
void softmax_rows(RowMatrix& logits);

}  // namespace netinfer::localize::detail
