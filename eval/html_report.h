// Self-contained HTML report of a Comparison (inline CSS and SVG, no external assets): the
// metric table, paired statistics, a per-query delta bar chart per system against the baseline
// and, for parameter sweeps, a heatmap of one measure over the grid. Pure function.
#ifndef SCOUR_EVAL_HTML_REPORT_H_
#define SCOUR_EVAL_HTML_REPORT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "eval/compare.h"

namespace scour::eval {

// A parameter grid: system index of cell (x index xi, y index yi) is yi * xs.size() + xi.
// With an empty y_name the grid has one row (ys is ignored).
struct SweepGrid {
  std::string x_name, y_name;
  std::vector<double> xs, ys;
};

// `column` is the measure charted (per-query deltas, heatmap). HTML-escapes every name.
std::string ComparisonHtml(const Comparison& c, size_t column, const std::string& title,
                           const SweepGrid* grid = nullptr);

}  // namespace scour::eval

#endif  // SCOUR_EVAL_HTML_REPORT_H_
