// The outputs of `scour compare`: a CompareReport (the Comparison plus its sweep and tuning)
// as aligned text, JSON, Markdown, LaTeX (booktabs) and a TREC-style per-query TSV. Every format
// prints the parameters that decide a number (Comparison::parameters), the significance
// markers' test, correction and alpha, and the warnings. Pure functions.
#ifndef SCOUR_EVAL_COMPARE_FORMAT_H_
#define SCOUR_EVAL_COMPARE_FORMAT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "eval/compare.h"
#include "eval/tuning.h"

namespace scour::eval {

struct CompareReport {
  std::string title = "scour compare";
  Comparison cmp;
  size_t column = 0;  // the measure charted, listed per query, and tuned on
  std::optional<SweepGrid> grid;
  std::optional<TuningResult> tuning;
  bool per_query = true;  // text: per-query deltas of `column` against the baseline

  // The grid point with the best mean of `column` over every compared topic (ties: the first).
  size_t BestInSample() const;
  // Comparison::warnings, then (a sweep without tuning) the note that the best point is chosen
  // and scored on the same topics.
  std::vector<std::string> Notes() const;
};

std::string FormatText(const CompareReport& r);
std::string FormatJson(const CompareReport& r);
std::string FormatMarkdown(const CompareReport& r);
std::string FormatLatex(const CompareReport& r);
// "system<TAB>measure<TAB>qid<TAB>value" lines (trec_eval -q's order of fields after the run
// name), systems in order, then measures, then queries sorted; judged@k as "judged_k" lines.
std::string FormatPerQueryTsv(const Comparison& c);

// The significance marker of a mean in the summary tables. Against a baseline: "*" (`ascii`) or
// "†" when significantly different from the baseline. All pairs (ranx style): the letters of the
// systems (a = first) this one is significantly better than.
std::string SignificanceMarker(const Comparison& c, size_t system, size_t column, bool ascii);
// "a", "b", ... "z", "aa", ...: the letter of a system in all-pairs tables.
std::string SystemLetter(size_t system);

}  // namespace scour::eval

#endif  // SCOUR_EVAL_COMPARE_FORMAT_H_
