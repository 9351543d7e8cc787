#include "eval/compare_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"

namespace scour::eval {
namespace {

using Json = nlohmann::ordered_json;

// "0.1234" or "n/a" for NaN.
std::string Fmt(double v, const char* fmt = "%.4f") {
  if (std::isnan(v)) return "n/a";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

std::string FmtP(double p) {
  if (std::isnan(p)) return "n/a";
  if (p < 0.0001) return "<0.0001";
  return Fmt(p);
}

Json JNum(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

const std::vector<PairedTest>& Tests(const Comparison& c) { return c.options.tests; }

std::string SignificanceLegend(const Comparison& c, bool ascii) {
  if (c.pairs.empty()) return "";
  const CompareOptions& o = c.options;
  const std::string test = PairedTestName(o.tests[0]);
  const std::string corr = CorrectionName(o.correction);
  if (o.all_pairs)
    return absl::StrCat("letters: significantly better than that system (", test, ", ", corr,
                        "-adjusted p < ", absl::StrFormat("%g", o.alpha), ")");
  return absl::StrCat(ascii ? "*" : "†", " = significantly different from ", c.systems[0], " (",
                      test, ", ", corr, "-adjusted p < ", absl::StrFormat("%g", o.alpha), ")");
}

// Pads or truncates nothing: right-aligns `s` in `w` columns counting UTF-8 code points.
std::string PadLeft(const std::string& s, size_t w) {
  size_t cps = 0;
  for (unsigned char ch : s) cps += (ch & 0xC0) != 0x80;
  return cps >= w ? s : std::string(w - cps, ' ') + s;
}
std::string PadRight(const std::string& s, size_t w) {
  size_t cps = 0;
  for (unsigned char ch : s) cps += (ch & 0xC0) != 0x80;
  return cps >= w ? s : s + std::string(w - cps, ' ');
}

// A plain table: rows of cells, first column left-aligned, others right-aligned.
std::string TextTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> w;
  for (const auto& r : rows) {
    if (w.size() < r.size()) w.resize(r.size(), 0);
    for (size_t i = 0; i < r.size(); ++i) {
      size_t cps = 0;
      for (unsigned char ch : r[i]) cps += (ch & 0xC0) != 0x80;
      w[i] = std::max(w[i], cps);
    }
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i)
      absl::StrAppend(&line, i == 0 ? "" : "  ",
                      i == 0 ? PadRight(r[i], w[i]) : PadLeft(r[i], w[i]));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

std::string MarkdownTable(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    absl::StrAppend(&out, "|");
    for (const std::string& cell : rows[r]) {
      std::string c = cell;
      for (size_t p = 0; (p = c.find('|', p)) != std::string::npos; p += 2) c.replace(p, 1, "\\|");
      absl::StrAppend(&out, " ", c, " |");
    }
    absl::StrAppend(&out, "\n");
    if (r == 0) {
      absl::StrAppend(&out, "|");
      for (size_t i = 0; i < rows[r].size(); ++i)
        absl::StrAppend(&out, i == 0 ? " --- |" : " ---: |");
      absl::StrAppend(&out, "\n");
    }
  }
  return out;
}

std::string TexEscape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&':
      case '%':
      case '$':
      case '#':
      case '_':
      case '{':
      case '}':
        out += '\\';
        out += ch;
        break;
      case '~':
        out += "\\textasciitilde{}";
        break;
      case '^':
        out += "\\textasciicircum{}";
        break;
      case '\\':
        out += "\\textbackslash{}";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

// Summary rows: header, then one row per system: means with markers, judged@k, latency.
std::vector<std::vector<std::string>> SummaryRows(const CompareReport& r, bool ascii,
                                                  bool bold_best_latex = false) {
  const Comparison& c = r.cmp;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head = {"system"};
  for (const Column& col : c.columns) head.push_back(col.name);
  if (!c.judged_mean.empty()) head.push_back(absl::StrCat("judged@", c.options.judged_k));
  const bool lat = c.HasLatency();
  if (lat) {
    for (const char* h : {"mean_us", "p50_us", "p99_us", "qps"}) head.push_back(h);
  }
  rows.push_back(head);
  for (size_t s = 0; s < c.systems.size(); ++s) {
    std::vector<std::string> row;
    row.push_back(c.options.all_pairs && !c.pairs.empty()
                      ? absl::StrCat("(", SystemLetter(s), ") ", c.systems[s])
                      : c.systems[s]);
    for (size_t col = 0; col < c.columns.size(); ++col) {
      std::string m = SignificanceMarker(c, s, col, ascii);
      std::string v = Fmt(c.means[s][col]);
      if (bold_best_latex) {
        double best = c.means[0][col];
        for (size_t t = 1; t < c.systems.size(); ++t) best = std::max(best, c.means[t][col]);
        if (c.means[s][col] == best) v = absl::StrCat("\\textbf{", v, "}");
        if (!m.empty()) m = absl::StrCat("$^{", m == "†" ? "\\dagger" : m, "}$");
      }
      row.push_back(v + m);
    }
    if (!c.judged_mean.empty()) row.push_back(Fmt(c.judged_mean[s], "%.3f"));
    if (lat) {
      const LatencySummary& l = c.latency[s];
      if (l.measured) {
        row.push_back(Fmt(l.mean_us, "%.1f"));
        row.push_back(Fmt(l.p50_us, "%.1f"));
        row.push_back(Fmt(l.p99_us, "%.1f"));
        row.push_back(Fmt(l.qps, "%.0f"));
      } else {
        for (int i = 0; i < 4; ++i) row.push_back("");
      }
    }
    rows.push_back(row);
  }
  return rows;
}

std::vector<std::vector<std::string>> PairRows(const Comparison& c) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head = {
      "system",
      "baseline",
      "measure",
      "delta",
      absl::StrCat(absl::StrFormat("%g", c.options.ci_level * 100), "% CI"),
      "d_z",
      "W/T/L"};
  const std::string corr = CorrectionName(c.options.correction);
  for (PairedTest t : Tests(c)) {
    head.push_back(absl::StrCat("p_", PairedTestShortName(t)));
    head.push_back(absl::StrCat("p_", PairedTestShortName(t), "(", corr, ")"));
  }
  rows.push_back(head);
  for (const PairedStats& p : c.pairs) {
    std::vector<std::string> row = {
        c.systems[p.system],
        c.systems[p.baseline],
        c.columns[p.column].name,
        Fmt(p.mean_diff, "%+.4f"),
        absl::StrCat("[", Fmt(p.ci.low, "%+.4f"), ", ", Fmt(p.ci.high, "%+.4f"), "]"),
        Fmt(p.d_z, "%+.2f"),
        absl::StrCat(p.wtl.wins, "/", p.wtl.ties, "/", p.wtl.losses)};
    for (PairedTest t : Tests(c)) {
      row.push_back(FmtP(p.p[static_cast<size_t>(t)]));
      std::string adj = FmtP(p.p_adjusted[static_cast<size_t>(t)]);
      if (t == Tests(c)[0] && p.significant) adj += "*";
      row.push_back(adj);
    }
    rows.push_back(row);
  }
  return rows;
}

Json PairsJson(const Comparison& c) {
  Json out = Json::array();
  for (const PairedStats& p : c.pairs) {
    Json jp;
    jp["system"] = c.systems[p.system];
    jp["baseline"] = c.systems[p.baseline];
    jp["measure"] = c.columns[p.column].name;
    jp["delta"] = p.mean_diff;
    jp["ci"] = {JNum(p.ci.low), JNum(p.ci.high)};
    jp["d_z"] = JNum(p.d_z);
    jp["wins"] = p.wtl.wins;
    jp["ties"] = p.wtl.ties;
    jp["losses"] = p.wtl.losses;
    Json raw = Json::object(), adj = Json::object();
    for (PairedTest t : Tests(c)) {
      raw[PairedTestName(t)] = JNum(p.p[static_cast<size_t>(t)]);
      adj[PairedTestName(t)] = JNum(p.p_adjusted[static_cast<size_t>(t)]);
    }
    jp["p"] = raw;
    jp["p_adjusted"] = adj;
    jp["significant"] = p.significant;
    out.push_back(jp);
  }
  return out;
}

}  // namespace

std::string SystemLetter(size_t system) {
  std::string out;
  size_t n = system + 1;
  while (n > 0) {
    --n;
    out.insert(out.begin(), static_cast<char>('a' + n % 26));
    n /= 26;
  }
  return out;
}

std::string SignificanceMarker(const Comparison& c, size_t system, size_t column, bool ascii) {
  if (c.pairs.empty()) return "";
  if (!c.options.all_pairs) {
    const PairedStats* p = c.Pair(system, 0, column);
    return p != nullptr && p->significant ? (ascii ? "*" : "†") : "";
  }
  std::string letters;
  for (size_t o = 0; o < c.systems.size(); ++o) {
    if (o == system) continue;
    const PairedStats* p = o < system ? c.Pair(system, o, column) : c.Pair(o, system, column);
    if (p == nullptr || !p->significant) continue;
    // p->mean_diff is p->system - p->baseline; `system` is better when its side is larger.
    const double better = p->system == system ? p->mean_diff : -p->mean_diff;
    if (better > 0) letters += SystemLetter(o);
  }
  return letters;
}

size_t CompareReport::BestInSample() const {
  size_t best = 0;
  for (size_t s = 1; s < cmp.systems.size(); ++s)
    if (cmp.means[s][column] > cmp.means[best][column]) best = s;
  return best;
}

std::vector<std::string> CompareReport::Notes() const {
  std::vector<std::string> notes = cmp.warnings;
  if (grid.has_value() && !tuning.has_value()) {
    notes.push_back(absl::StrCat(
        "the best grid point is chosen and scored on the same ", cmp.qids.size(),
        " topics, so its score is optimistic; use --folds N or --train-topics/--test-topics "
        "for a held-out estimate"));
  }
  return notes;
}

std::string FormatText(const CompareReport& r) {
  const Comparison& c = r.cmp;
  std::string out = TextTable(SummaryRows(r, /*ascii=*/true));
  absl::StrAppend(&out, c.qids.size(), " queries");
  if (!c.pairs.empty()) absl::StrAppend(&out, "; ", SignificanceLegend(c, true));
  absl::StrAppend(&out, "\n");
  if (c.HasLatency())
    absl::StrAppend(
        &out, "latency: microseconds per query from topic text to ranked ids, after warm-up, ",
        LatencyThreadsText(c.latency), "; qps = queries / timed wall time\n");
  if (r.grid.has_value()) {
    const size_t best = r.BestInSample();
    absl::StrAppend(&out, "best ", c.columns[r.column].name, " (in-sample): ", c.systems[best],
                    " (", Fmt(c.means[best][r.column]), ")\n");
  }
  if (r.tuning.has_value()) {
    const TuningResult& t = *r.tuning;
    absl::StrAppend(&out, "\n", t.method, " on ", c.columns[t.column].name, ":\n");
    std::vector<std::vector<std::string>> rows = {
        {"split", "chosen", "train", "test", "n_train", "n_test"}};
    for (const FoldChoice& f : t.folds)
      rows.push_back({f.name, c.systems[f.chosen], Fmt(f.train_score), Fmt(f.test_score),
                      absl::StrCat(f.n_train), absl::StrCat(f.n_test)});
    absl::StrAppend(&out, TextTable(rows));
    absl::StrAppend(&out, t.method == "cross-validation" ? "cross-validated " : "held-out ",
                    c.columns[t.column].name, ": ", Fmt(t.score), "\n");
    if (t.against_default.has_value() && !t.against_default->pairs.empty()) {
      absl::StrAppend(&out, "held-out choices against the default parameters, on the ",
                      t.against_default->qids.size(), " held-out topics:\n",
                      TextTable(PairRows(*t.against_default)));
    }
  }
  if (!c.pairs.empty()) {
    absl::StrAppend(&out, "\npaired comparisons (delta = system - baseline; * = significant)\n");
    absl::StrAppend(&out, TextTable(PairRows(c)));
  }
  if (r.per_query && !c.pairs.empty() && !c.options.all_pairs) {
    const size_t col = r.column;
    for (size_t s = 1; s < c.systems.size(); ++s) {
      absl::StrAppend(&out, "\nper-query ", c.columns[col].name, ": ", c.systems[s], " - ",
                      c.systems[0], " (biggest gain first)\n");
      std::vector<size_t> order(c.qids.size());
      std::iota(order.begin(), order.end(), size_t{0});
      auto delta = [&](size_t q) { return c.values[s][q][col] - c.values[0][q][col]; };
      std::stable_sort(order.begin(), order.end(),
                       [&](size_t x, size_t y) { return delta(x) > delta(y); });
      std::vector<std::vector<std::string>> rows;
      for (size_t q : order)
        rows.push_back({"  " + c.qids[q], Fmt(c.values[0][q][col]), Fmt(c.values[s][q][col]),
                        Fmt(delta(q), "%+.4f")});
      absl::StrAppend(&out, TextTable(rows));
    }
  }
  absl::StrAppend(&out, "\nparameters\n");
  for (const auto& [k, v] : c.parameters) absl::StrAppend(&out, "  ", k, ": ", v, "\n");
  for (const std::string& n : r.Notes()) absl::StrAppend(&out, "warning: ", n, "\n");
  return out;
}

std::string FormatJson(const CompareReport& r) {
  const Comparison& c = r.cmp;
  Json j;
  j["title"] = r.title;
  Json params = Json::object();
  for (const auto& [k, v] : c.parameters) params[k] = v;
  j["parameters"] = params;
  j["measures"] = Json::array();
  for (const Column& col : c.columns) j["measures"].push_back(col.name);
  j["queries"] = c.qids;
  j["systems"] = Json::array();
  for (size_t s = 0; s < c.systems.size(); ++s) {
    Json sys;
    sys["name"] = c.systems[s];
    Json means = Json::object();
    for (size_t col = 0; col < c.columns.size(); ++col)
      means[c.columns[col].name] = c.means[s][col];
    sys["means"] = means;
    if (!c.judged_mean.empty()) sys[absl::StrCat("judged@", c.options.judged_k)] = c.judged_mean[s];
    const LatencySummary& l = c.latency[s];
    if (l.measured) {
      sys["latency"] = {{"mean_us", l.mean_us},
                        {"p50_us", l.p50_us},
                        {"p99_us", l.p99_us},
                        {"qps", l.qps},
                        {"samples", l.samples},
                        {"passes", l.passes},
                        {"warmup_passes", l.warmup_passes},
                        {"threads", l.threads}};
    } else {
      sys["latency"] = nullptr;
    }
    Json pq = Json::object();
    for (size_t col = 0; col < c.columns.size(); ++col) {
      Json v = Json::array();
      for (size_t q = 0; q < c.qids.size(); ++q) v.push_back(c.values[s][q][col]);
      pq[c.columns[col].name] = v;
    }
    sys["per_query"] = pq;
    j["systems"].push_back(sys);
  }
  j["pairs"] = PairsJson(c);
  if (r.grid.has_value()) {
    const SweepGrid& g = *r.grid;
    Json jg = {{"x", g.x_name}, {"xs", g.xs}};
    if (!g.y_name.empty()) {
      jg["y"] = g.y_name;
      jg["ys"] = g.ys;
    }
    const size_t best = r.BestInSample();
    jg["best_in_sample"] = {{"system", c.systems[best]},
                            {"measure", c.columns[r.column].name},
                            {"value", c.means[best][r.column]}};
    j["sweep"] = jg;
  }
  if (r.tuning.has_value()) {
    const TuningResult& t = *r.tuning;
    Json jt = {{"method", t.method}, {"measure", c.columns[t.column].name}, {"score", t.score}};
    if (t.method == "cross-validation") jt["seed"] = t.seed;
    jt["splits"] = Json::array();
    for (const FoldChoice& f : t.folds)
      jt["splits"].push_back({{"name", f.name},
                              {"chosen", c.systems[f.chosen]},
                              {"train", f.train_score},
                              {"test", f.test_score},
                              {"n_train", f.n_train},
                              {"n_test", f.n_test}});
    if (t.against_default.has_value()) {
      jt["against_default"] = {{"queries", t.against_default->qids.size()},
                               {"pairs", PairsJson(*t.against_default)}};
    }
    j["tuning"] = jt;
  }
  j["significance"] = SignificanceLegend(c, false);
  j["warnings"] = r.Notes();
  return j.dump(2) + "\n";
}

std::string FormatMarkdown(const CompareReport& r) {
  const Comparison& c = r.cmp;
  std::string out = absl::StrCat("## ", r.title, "\n\n");
  absl::StrAppend(&out, MarkdownTable(SummaryRows(r, false)), "\n");
  absl::StrAppend(&out, c.qids.size(), " queries.");
  if (!c.pairs.empty()) absl::StrAppend(&out, " ", SignificanceLegend(c, false), ".");
  if (c.HasLatency())
    absl::StrAppend(&out, " Latency in microseconds per query after warm-up, ",
                    LatencyThreadsText(c.latency), ".");
  absl::StrAppend(&out, "\n");
  if (r.grid.has_value()) {
    const size_t best = r.BestInSample();
    absl::StrAppend(&out, "\nBest ", c.columns[r.column].name, " (in-sample): ", c.systems[best],
                    " (", Fmt(c.means[best][r.column]), ").\n");
  }
  if (r.tuning.has_value()) {
    const TuningResult& t = *r.tuning;
    absl::StrAppend(&out, "\n### Tuning: ", t.method, " on ", c.columns[t.column].name, "\n\n");
    std::vector<std::vector<std::string>> rows = {
        {"split", "chosen", "train", "test", "n_train", "n_test"}};
    for (const FoldChoice& f : t.folds)
      rows.push_back({f.name, c.systems[f.chosen], Fmt(f.train_score), Fmt(f.test_score),
                      absl::StrCat(f.n_train), absl::StrCat(f.n_test)});
    absl::StrAppend(&out, MarkdownTable(rows), "\nHeld-out score: **", Fmt(t.score), "**\n");
    if (t.against_default.has_value() && !t.against_default->pairs.empty())
      absl::StrAppend(&out, "\nHeld-out choices against the default parameters (",
                      t.against_default->qids.size(), " held-out topics):\n\n",
                      MarkdownTable(PairRows(*t.against_default)));
  }
  if (!c.pairs.empty())
    absl::StrAppend(&out, "\n### Paired comparisons\n\n", MarkdownTable(PairRows(c)));
  absl::StrAppend(&out, "\n### Parameters\n\n");
  for (const auto& [k, v] : c.parameters) absl::StrAppend(&out, "- ", k, ": ", v, "\n");
  for (const std::string& n : r.Notes()) absl::StrAppend(&out, "\n> **Warning:** ", n, "\n");
  return out;
}

std::string FormatLatex(const CompareReport& r) {
  const Comparison& c = r.cmp;
  std::string out = "% scour compare: needs \\usepackage{booktabs}\n";
  for (const auto& [k, v] : c.parameters) absl::StrAppend(&out, "% ", k, ": ", v, "\n");
  for (const std::string& n : r.Notes()) absl::StrAppend(&out, "% warning: ", n, "\n");
  auto rows = SummaryRows(r, false, /*bold_best_latex=*/true);
  absl::StrAppend(&out, "\\begin{table}[t]\n\\centering\n\\begin{tabular}{l",
                  std::string(rows[0].size() - 1, 'r'), "}\n\\toprule\n");
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string line;
    for (size_t k = 0; k < rows[i].size(); ++k) {
      // Cells hold LaTeX already (bold, markers); only names need escaping.
      const bool raw = i > 0 && k > 0;
      absl::StrAppend(&line, k == 0 ? "" : " & ", raw ? rows[i][k] : TexEscape(rows[i][k]));
    }
    absl::StrAppend(&out, line, " \\\\\n", i == 0 ? "\\midrule\n" : "");
  }
  std::string caption = absl::StrCat(c.qids.size(), " queries, relevance level ",
                                     c.options.eval.relevance_level, ". ");
  if (!c.pairs.empty()) {
    const CompareOptions& o = c.options;
    std::string test = PairedTestName(o.tests[0]);
    if (o.tests[0] == PairedTest::kRandomization) {
      test += c.pairs[0].randomization_exact
                  ? absl::StrCat(" (exact, all $2^{", c.qids.size(), "}$ sign assignments)")
                  : absl::StrCat(" (", o.permutations, " permutations, seed ", o.seed, ")");
    }
    absl::StrAppend(
        &caption,
        o.all_pairs
            ? "Superscripts: significantly better than the system of that "
              "letter"
            : absl::StrCat("$\\dagger$: significantly different from ", TexEscape(c.systems[0])),
        " (two-sided ", TexEscape(test), ", ", CorrectionName(o.correction), " correction over ",
        c.pairs.size(), " comparisons, $\\alpha = ", absl::StrFormat("%g", o.alpha), "$). ");
  }
  if (c.HasLatency())
    absl::StrAppend(&caption, "Latency in $\\mu$s per query after warm-up, ",
                    LatencyThreadsText(c.latency), ". ");
  absl::StrAppend(&out, "\\bottomrule\n\\end{tabular}\n\\caption{", caption,
                  "Best value per measure in bold.}\n\\end{table}\n");
  if (!c.pairs.empty()) {
    auto pr = PairRows(c);
    absl::StrAppend(&out, "\n\\begin{table}[t]\n\\centering\n\\small\n\\begin{tabular}{lll",
                    std::string(pr[0].size() - 3, 'r'), "}\n\\toprule\n");
    for (size_t i = 0; i < pr.size(); ++i) {
      std::string line;
      for (size_t k = 0; k < pr[i].size(); ++k) {
        std::string cell = pr[i][k];
        if (!cell.empty() && cell.back() == '*')
          cell = TexEscape(cell.substr(0, cell.size() - 1)) + "$^{*}$";
        else
          cell = TexEscape(cell);
        absl::StrAppend(&line, k == 0 ? "" : " & ", cell);
      }
      absl::StrAppend(&out, line, " \\\\\n", i == 0 ? "\\midrule\n" : "");
    }
    absl::StrAppend(&out,
                    "\\bottomrule\n\\end{tabular}\n\\caption{Paired comparisons: mean "
                    "difference with its ",
                    absl::StrFormat("%g", c.options.ci_level * 100),
                    "\\% paired bootstrap interval (", c.options.bootstrap_samples,
                    " resamples, seed ", c.options.seed,
                    "), Cohen's $d_z$, wins/ties/losses, raw and ",
                    CorrectionName(c.options.correction), "-adjusted p-values.}\n\\end{table}\n");
  }
  return out;
}

std::string FormatPerQueryTsv(const Comparison& c) {
  std::string out = "# system\tmeasure\tqid\tvalue\n";
  for (size_t s = 0; s < c.systems.size(); ++s) {
    for (size_t col = 0; col < c.columns.size(); ++col)
      for (size_t q = 0; q < c.qids.size(); ++q)
        absl::StrAppend(&out, c.systems[s], "\t", c.columns[col].name, "\t", c.qids[q], "\t",
                        Fmt(c.values[s][q][col], "%.6f"), "\n");
    if (!c.judged.empty())
      for (size_t q = 0; q < c.qids.size(); ++q)
        absl::StrAppend(&out, c.systems[s], "\tjudged_", c.options.judged_k, "\t", c.qids[q], "\t",
                        Fmt(c.judged[s][q], "%.6f"), "\n");
  }
  return out;
}

}  // namespace scour::eval
