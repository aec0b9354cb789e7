// `netinfer report` for experiment results files (issue 5, item 3): tables
// with the paper's numbers beside ours, and PNG figures drawn by gnuplot.
// Which tables appear follows from the runs in the file:
//  - settings: one row per setting (the runs' values of every axis that
//    varies, e.g. the feature set), perfect split error with its active and
//    silent parts, the mean +- sd over random splits, the paper's number
//    (Fig. 14, Table 2, Hypotheses 2 and 3, §6.4);
//  - per layer (Fig. 15): perfect split layer errors, the random-assignment
//    baseline per layer and each setting's silent-only floor;
//  - eigenvectors (Fig. 16) when that axis varies;
//  - train x test grid (Fig. 17) when several random split sizes are present;
//  - activation rate vs error per neuron (Fig. 18, Hypothesis 1);
//  - stage times.
#pragma once

#include <string>
#include <vector>

#include "netinfer/io/h5.hpp"

namespace netinfer::experiment {

bool has_report(const h5::File& file);  // the file holds /experiment
std::string format_report(const h5::File& file);

// Writes the figures' data (*.dat), gnuplot scripts (*.gp) and the PNGs they
// draw (fig14.png scatter of silent vs active error with overall-error
// contours, fig15.png per-layer bars, fig16.png eigenvector curve, fig17.png
// train x test heat map, fig18.png activation rate vs error) into `dir`, each
// figure only when the file has its runs. Returns the PNG paths written.
std::vector<std::string> write_plots(const h5::File& file, const std::string& dir);

}  // namespace netinfer::experiment
