#include "eval/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "absl/strings/str_cat.h"

namespace scour::eval {
namespace {

std::string Esc(const std::string& s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string Num(double v, const char* fmt = "%.4f") {
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

// Bars of `delta` (sorted, biggest gain first): green above the axis, red below.
std::string DeltaChart(const Comparison& c, size_t s, size_t col) {
  const size_t n = c.qids.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  auto delta = [&](size_t q) { return c.values[s][q][col] - c.values[0][q][col]; };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return delta(x) > delta(y); });
  double maxabs = 1e-9;
  for (size_t q = 0; q < n; ++q) maxabs = std::max(maxabs, std::fabs(delta(q)));
  const double bw = n > 0 ? std::max(1.0, std::min(12.0, 900.0 / static_cast<double>(n))) : 1.0;
  const double w = 60 + bw * static_cast<double>(n) + 10, h = 260, mid = 130, half = 110;
  std::string svg =
      absl::StrCat("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", Num(w, "%.0f"),
                   "\" height=\"", Num(h, "%.0f"), "\" role=\"img\">\n");
  absl::StrAppend(&svg, "<line x1=\"55\" y1=\"", Num(mid, "%.0f"), "\" x2=\"", Num(w - 5, "%.0f"),
                  "\" y2=\"", Num(mid, "%.0f"), "\" stroke=\"#444\"/>\n");
  absl::StrAppend(&svg, "<text x=\"50\" y=\"", Num(mid - half + 4, "%.0f"),
                  "\" text-anchor=\"end\" font-size=\"11\">+", Num(maxabs, "%.3f"), "</text>\n");
  absl::StrAppend(&svg, "<text x=\"50\" y=\"", Num(mid + half + 4, "%.0f"),
                  "\" text-anchor=\"end\" font-size=\"11\">-", Num(maxabs, "%.3f"), "</text>\n");
  absl::StrAppend(&svg, "<text x=\"50\" y=\"", Num(mid + 4, "%.0f"),
                  "\" text-anchor=\"end\" font-size=\"11\">0</text>\n");
  for (size_t i = 0; i < n; ++i) {
    const size_t q = order[i];
    const double d = delta(q);
    const double len = std::fabs(d) / maxabs * half;
    const double x = 60 + bw * static_cast<double>(i);
    const double y = d >= 0 ? mid - len : mid;
    absl::StrAppend(&svg, "<rect x=\"", Num(x, "%.2f"), "\" y=\"", Num(y, "%.2f"), "\" width=\"",
                    Num(std::max(bw - 1, 0.5), "%.2f"), "\" height=\"",
                    Num(std::max(len, d == 0 ? 0.0 : 0.5), "%.2f"), "\" fill=\"",
                    d >= 0 ? "#2a8f3c" : "#c0392b", "\"><title>", Esc(c.qids[q]), ": ",
                    Num(c.values[0][q][col]), " -&gt; ", Num(c.values[s][q][col]), " (",
                    Num(d, "%+.4f"), ")</title></rect>\n");
  }
  absl::StrAppend(&svg, "</svg>\n");
  return svg;
}

std::string Heatmap(const Comparison& c, size_t col, const SweepGrid& g) {
  const bool two = !g.y_name.empty();
  const size_t nx = g.xs.size(), ny = two ? g.ys.size() : 1;
  if (nx * ny != c.systems.size() || nx == 0) return "<p>(grid does not match the systems)</p>\n";
  double lo = 1e300, hi = -1e300;
  for (size_t s = 0; s < c.systems.size(); ++s) {
    lo = std::min(lo, c.means[s][col]);
    hi = std::max(hi, c.means[s][col]);
  }
  const double cw = 56, ch = 24, left = 70, top = 30;
  const double w = left + cw * static_cast<double>(nx) + 10,
               h = top + ch * static_cast<double>(ny) + 30;
  std::string svg =
      absl::StrCat("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", Num(w, "%.0f"),
                   "\" height=\"", Num(h, "%.0f"), "\" role=\"img\">\n");
  absl::StrAppend(&svg, "<text x=\"", Num(left + cw * nx / 2, "%.0f"),
                  "\" y=\"12\" text-anchor=\"middle\" font-size=\"12\">", Esc(g.x_name),
                  "</text>\n");
  if (two)
    absl::StrAppend(&svg, "<text x=\"4\" y=\"", Num(top - 6, "%.0f"), "\" font-size=\"12\">",
                    Esc(g.y_name), "</text>\n");
  for (size_t xi = 0; xi < nx; ++xi)
    absl::StrAppend(&svg, "<text x=\"", Num(left + cw * (xi + 0.5), "%.1f"), "\" y=\"",
                    Num(top - 4, "%.0f"), "\" text-anchor=\"middle\" font-size=\"11\">",
                    Num(g.xs[xi], "%g"), "</text>\n");
  for (size_t yi = 0; yi < ny; ++yi) {
    if (two)
      absl::StrAppend(&svg, "<text x=\"", Num(left - 6, "%.0f"), "\" y=\"",
                      Num(top + ch * (yi + 0.5) + 4, "%.1f"),
                      "\" text-anchor=\"end\" font-size=\"11\">", Num(g.ys[yi], "%g"), "</text>\n");
    for (size_t xi = 0; xi < nx; ++xi) {
      const size_t s = yi * nx + xi;
      const double v = c.means[s][col];
      const double t = hi > lo ? (v - lo) / (hi - lo) : 1.0;
      // White (worst) to dark blue (best).
      const int r = static_cast<int>(255 - t * 215), gr = static_cast<int>(255 - t * 155),
                b = static_cast<int>(255 - t * 55);
      char fill[16];
      std::snprintf(fill, sizeof(fill), "#%02x%02x%02x", r, gr, b);
      absl::StrAppend(&svg, "<rect x=\"", Num(left + cw * xi, "%.1f"), "\" y=\"",
                      Num(top + ch * yi, "%.1f"), "\" width=\"", Num(cw - 1, "%.0f"),
                      "\" height=\"", Num(ch - 1, "%.0f"), "\" fill=\"", fill, "\"><title>",
                      Esc(c.systems[s]), ": ", Num(v), "</title></rect>\n");
      absl::StrAppend(&svg, "<text x=\"", Num(left + cw * (xi + 0.5), "%.1f"), "\" y=\"",
                      Num(top + ch * yi + 16, "%.1f"), "\" text-anchor=\"middle\" font-size=\"10\"",
                      t > 0.6 ? " fill=\"#fff\"" : "", ">", Num(v, "%.3f"), "</text>\n");
    }
  }
  absl::StrAppend(&svg, "</svg>\n");
  return svg;
}

}  // namespace

std::string ComparisonHtml(const CompareReport& r) {
  const Comparison& c = r.cmp;
  const size_t column = r.column;
  const std::string& title = r.title;
  const SweepGrid* grid = r.grid.has_value() ? &*r.grid : nullptr;
  std::string h = absl::StrCat(
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>", Esc(title),
      "</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}"
      "td:first-child,th:first-child{text-align:left}.sig{font-weight:bold}</style></head>"
      "<body>\n<h1>",
      Esc(title), "</h1>\n<p>", c.qids.size(), " queries; baseline: ", Esc(c.systems[0]),
      ". Bold: randomisation-test p &lt; 0.05 against the baseline.</p>\n");
  absl::StrAppend(&h, "<h2>Metrics</h2>\n<table><tr><th>system</th>");
  for (const Column& col : c.columns) absl::StrAppend(&h, "<th>", Esc(col.name), "</th>");
  absl::StrAppend(&h, "</tr>\n");
  for (size_t s = 0; s < c.systems.size(); ++s) {
    absl::StrAppend(&h, "<tr><td>", Esc(c.systems[s]), "</td>");
    for (size_t col = 0; col < c.columns.size(); ++col) {
      bool sig = false;
      for (const PairedStats& p : c.pairs)
        if (p.system == s && p.column == col && p.significant) sig = true;
      absl::StrAppend(&h, sig ? "<td class=\"sig\">" : "<td>", Num(c.means[s][col]), "</td>");
    }
    absl::StrAppend(&h, "</tr>\n");
  }
  absl::StrAppend(&h, "</table>\n");
  if (grid != nullptr) {
    absl::StrAppend(&h, "<h2>Sweep: ", Esc(c.columns[column].name), "</h2>\n",
                    Heatmap(c, column, *grid));
  }
  if (c.systems.size() > 1 && grid == nullptr) {
    absl::StrAppend(&h,
                    "<h2>Paired tests against the baseline</h2>\n<table><tr><th>system</th>"
                    "<th>measure</th><th>delta</th><th>wins</th><th>ties</th><th>losses</th>"
                    "<th>p (randomisation)</th><th>p (t-test)</th></tr>\n");
    for (const PairedStats& p : c.pairs) {
      absl::StrAppend(&h, "<tr><td>", Esc(c.systems[p.system]), "</td><td>",
                      Esc(c.columns[p.column].name), "</td><td>", Num(p.mean_diff, "%+.4f"),
                      "</td><td>", p.wtl.wins, "</td><td>", p.wtl.ties, "</td><td>", p.wtl.losses,
                      "</td><td>", Num(p.p[0]), "</td><td>", Num(p.p[1]), "</td></tr>\n");
    }
    absl::StrAppend(&h, "</table>\n");
    for (size_t s = 1; s < c.systems.size(); ++s) {
      absl::StrAppend(&h, "<h2>Per-query ", Esc(c.columns[column].name), ": ", Esc(c.systems[s]),
                      " &minus; ", Esc(c.systems[0]),
                      "</h2>\n<p>One bar per query, biggest gain first (hover for values).</p>\n",
                      DeltaChart(c, s, column));
    }
  }
  absl::StrAppend(&h, "</body></html>\n");
  return h;
}

}  // namespace scour::eval
