// Self-contained HTML report of a Comparison (inline CSS and SVG, no external assets): the
// metric table, paired statistics, a per-query delta bar chart per system against the baseline
// and, for parameter sweeps, a heatmap of one measure over the grid. Pure function.
#ifndef SCOUR_EVAL_HTML_REPORT_H_
#define SCOUR_EVAL_HTML_REPORT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "eval/compare_format.h"

namespace scour::eval {

// `r.column` is the measure charted (per-query deltas, heatmap). HTML-escapes every name.
std::string ComparisonHtml(const CompareReport& r);

}  // namespace scour::eval

#endif  // SCOUR_EVAL_HTML_REPORT_H_
