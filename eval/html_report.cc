#include "eval/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

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

// A number for text and attributes; "n/a" for NaN. Minus signs are ASCII so values stay
// machine-readable in the page text.
std::string F(double v, const char* fmt = "%.4f") {
  if (std::isnan(v)) return "n/a";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}
std::string P(double v) { return F(v, "%.1f"); }  // SVG coordinates

std::string HtmlP(double p) {
  if (std::isnan(p)) return "n/a";
  if (p < 0.0001) return "&lt;0.0001";
  return F(p);
}

constexpr const char* kGain = "#1a7f37";
constexpr const char* kLoss = "#cf222e";
constexpr const char* kTie = "#8c959f";
constexpr const char* kAccent = "#0969da";
constexpr const char* kGrid = "#e6eaef";
constexpr const char* kAxis = "#57606a";

// Viridis, sampled at 9 points and interpolated linearly (perceptually ordered, readable in
// grey and by the colour-blind).
std::string Viridis(double t) {
  static const int kStops[9][3] = {{68, 1, 84},    {71, 44, 122},  {59, 81, 139},
                                   {44, 113, 142}, {33, 144, 141}, {39, 173, 129},
                                   {92, 200, 99},  {170, 220, 50}, {253, 231, 37}};
  t = std::clamp(std::isnan(t) ? 0.0 : t, 0.0, 1.0) * 8;
  const int i = std::min(7, static_cast<int>(t));
  const double f = t - i;
  int rgb[3];
  for (int k = 0; k < 3; ++k)
    rgb[k] = static_cast<int>(std::lround(kStops[i][k] + f * (kStops[i + 1][k] - kStops[i][k])));
  return absl::StrFormat("#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

// Roughly `n` round tick values covering [lo, hi].
std::vector<double> Ticks(double lo, double hi, int n) {
  if (!(hi > lo)) return {lo};
  const double raw = (hi - lo) / n;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  // Ticks cover [lo, hi]: the first at or below lo, the last at or above hi.
  std::vector<double> t;
  const double first = std::floor(lo / step + 1e-9), last = std::ceil(hi / step - 1e-9);
  for (double k = first; k <= last; k += 1) t.push_back(std::fabs(k) < 1e-9 ? 0.0 : k * step);
  return t;
}

std::string TickLabel(double v, double span) {
  if (span >= 100) return F(v, "%.0f");
  if (span >= 5) return F(v, "%.1f");
  if (span >= 0.5) return F(v, "%.2f");
  return F(v, "%.3f");
}

std::string SvgOpen(const char* cls, double w, double h, const std::string& label) {
  return absl::StrCat("<svg class=\"chart ", cls,
                      "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"", P(w), "\" height=\"",
                      P(h), "\" viewBox=\"0 0 ", P(w), " ", P(h), "\" role=\"img\" aria-label=\"",
                      Esc(label), "\">\n<title>", Esc(label), "</title>\n");
}

std::string Text(double x, double y, const std::string& s, const char* anchor = "start",
                 const char* extra = "") {
  return absl::StrCat("<text x=\"", P(x), "\" y=\"", P(y), "\" text-anchor=\"", anchor, "\"", extra,
                      ">", s, "</text>\n");
}

std::string Line(double x1, double y1, double x2, double y2, const char* stroke,
                 const char* extra = "") {
  return absl::StrCat("<line x1=\"", P(x1), "\" y1=\"", P(y1), "\" x2=\"", P(x2), "\" y2=\"", P(y2),
                      "\" stroke=\"", stroke, "\"", extra, "/>\n");
}

// Per-query deltas of system s against base, biggest gain first.
std::string DeltaChart(const Comparison& c, size_t s, size_t base, size_t col) {
  const size_t n = c.qids.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  auto delta = [&](size_t q) { return c.values[s][q][col] - c.values[base][q][col]; };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return delta(x) > delta(y); });
  double maxabs = 0;
  for (size_t q = 0; q < n; ++q) maxabs = std::max(maxabs, std::fabs(delta(q)));
  std::vector<double> ticks = Ticks(-std::max(maxabs, 1e-3), std::max(maxabs, 1e-3), 6);
  const double ymax = std::max(std::fabs(ticks.front()), std::fabs(ticks.back()));
  const double left = 54, right = 12, top = 14, bottom = 34;
  const double pw = 470, ph = 210, w = left + pw + right, h = top + ph + bottom;
  auto Y = [&](double v) { return top + ph / 2 - v / ymax * (ph / 2); };
  std::string svg = SvgOpen("delta", w, h,
                            absl::StrCat("Per-query ", c.columns[col].name, " difference, ",
                                         c.systems[s], " minus ", c.systems[base]));
  for (double t : ticks) {
    if (std::fabs(t) > ymax + 1e-12) continue;
    svg += Line(left, Y(t), left + pw, Y(t), t == 0 ? kAxis : kGrid);
    svg += Text(left - 6, Y(t) + 4, (t > 0 ? "+" : "") + TickLabel(t, 2 * ymax), "end",
                " class=\"tick\"");
  }
  const double bw = n > 0 ? pw / static_cast<double>(n) : pw;
  const double gap = bw > 6 ? 1.5 : (bw > 3 ? 0.5 : 0);
  for (size_t i = 0; i < n; ++i) {
    const size_t q = order[i];
    const double d = delta(q);
    const double x = left + bw * static_cast<double>(i);
    std::string tip = absl::StrCat(Esc(c.qids[q]), ": ", F(c.values[base][q][col]), " \u2192 ",
                                   F(c.values[s][q][col]), " (", F(d, "%+.4f"), ")");
    if (std::fabs(d) <= c.options.tie_epsilon) {
      absl::StrAppend(&svg, "<rect x=\"", P(x + gap / 2), "\" y=\"", P(Y(0) - 1), "\" width=\"",
                      P(std::max(bw - gap, 0.6)), "\" height=\"2\" fill=\"", kTie, "\"><title>",
                      tip, "</title></rect>\n");
      continue;
    }
    const double y0 = Y(std::max(d, 0.0)), y1 = Y(std::min(d, 0.0));
    absl::StrAppend(&svg, "<rect x=\"", P(x + gap / 2), "\" y=\"", P(y0), "\" width=\"",
                    P(std::max(bw - gap, 0.6)), "\" height=\"", P(std::max(y1 - y0, 0.8)),
                    "\" rx=\"", bw > 8 ? "1.5" : "0", "\" fill=\"", d > 0 ? kGain : kLoss,
                    "\"><title>", tip, "</title></rect>\n");
  }
  svg += Text(left + pw / 2, h - 10,
              absl::StrCat(n, " queries, sorted by difference (hover a bar for its query)"),
              "middle", " class=\"axislabel\"");
  svg +=
      Text(14, top + ph / 2, absl::StrCat("\u0394 ", Esc(c.columns[col].name)), "middle",
           absl::StrCat(" class=\"axislabel\" transform=\"rotate(-90 14 ", P(top + ph / 2), ")\"")
               .c_str());
  svg += "</svg>\n";
  return svg;
}

// Baseline (x) against system (y), one point per query, the diagonal y = x.
std::string Scatter(const Comparison& c, size_t s, size_t base, size_t col) {
  double hi = 0;
  for (size_t q = 0; q < c.qids.size(); ++q)
    hi = std::max({hi, c.values[s][q][col], c.values[base][q][col]});
  hi = hi <= 1 ? 1 : Ticks(0, hi, 4).back();
  const double left = 50, right = 14, top = 14, bottom = 40, side = 210;
  const double w = left + side + right, h = top + side + bottom;
  auto X = [&](double v) { return left + v / hi * side; };
  auto Y = [&](double v) { return top + side - v / hi * side; };
  std::string svg = SvgOpen("scatter", w, h,
                            absl::StrCat(c.columns[col].name, " per query: ", c.systems[base],
                                         " (x) against ", c.systems[s], " (y)"));
  for (double t : Ticks(0, hi, 4)) {
    svg += Line(X(t), top, X(t), top + side, kGrid);
    svg += Line(left, Y(t), left + side, Y(t), kGrid);
    svg += Text(X(t), top + side + 14, TickLabel(t, hi), "middle", " class=\"tick\"");
    svg += Text(left - 6, Y(t) + 4, TickLabel(t, hi), "end", " class=\"tick\"");
  }
  svg += absl::StrCat("<rect x=\"", P(left), "\" y=\"", P(top), "\" width=\"", P(side),
                      "\" height=\"", P(side), "\" fill=\"none\" stroke=\"", kAxis, "\"/>\n");
  svg += Line(X(0), Y(0), X(hi), Y(hi), kAxis, " stroke-dasharray=\"4 3\"");
  for (size_t q = 0; q < c.qids.size(); ++q) {
    const double bx = c.values[base][q][col], sy = c.values[s][q][col], d = sy - bx;
    const char* fill = std::fabs(d) <= c.options.tie_epsilon ? kTie : (d > 0 ? kGain : kLoss);
    absl::StrAppend(&svg, "<circle cx=\"", P(X(bx)), "\" cy=\"", P(Y(sy)), "\" r=\"4\" fill=\"",
                    fill, "\" fill-opacity=\"0.7\" stroke=\"#fff\" stroke-width=\"0.8\"><title>",
                    Esc(c.qids[q]), ": ", F(bx), " \u2192 ", F(sy), "</title></circle>\n");
  }
  svg += Text(left + side / 2, h - 8, Esc(c.systems[base]), "middle", " class=\"axislabel\"");
  svg +=
      Text(14, top + side / 2, Esc(c.systems[s]), "middle",
           absl::StrCat(" class=\"axislabel\" transform=\"rotate(-90 14 ", P(top + side / 2), ")\"")
               .c_str());
  svg += "</svg>\n";
  return svg;
}

// A small interval plot: the mean difference and its interval on [-scale, scale].
std::string IntervalPlot(const PairedStats& p, double scale) {
  const double w = 100, h = 20, mid = w / 2, half = w / 2 - 7;
  auto X = [&](double v) { return mid + std::clamp(v / scale, -1.0, 1.0) * half; };
  const char* color = p.ci.low > 0 ? kGain : (p.ci.high < 0 ? kLoss : kTie);
  std::string svg = absl::StrCat("<svg class=\"ci\" xmlns=\"http://www.w3.org/2000/svg\" width=\"",
                                 P(w), "\" height=\"", P(h), "\" viewBox=\"0 0 ", P(w), " ", P(h),
                                 "\" role=\"img\" aria-label=\"interval ", F(p.ci.low, "%+.4f"),
                                 " to ", F(p.ci.high, "%+.4f"), "\">");
  svg += Line(mid, 2, mid, h - 2, "#afb8c1");
  svg += Line(X(p.ci.low), h / 2, X(p.ci.high), h / 2, color, " stroke-width=\"2.5\"");
  svg += Line(X(p.ci.low), h / 2 - 4, X(p.ci.low), h / 2 + 4, color, " stroke-width=\"1.5\"");
  svg += Line(X(p.ci.high), h / 2 - 4, X(p.ci.high), h / 2 + 4, color, " stroke-width=\"1.5\"");
  absl::StrAppend(&svg, "<circle cx=\"", P(X(p.mean_diff)), "\" cy=\"", P(h / 2),
                  "\" r=\"3.5\" fill=\"", color, "\"/></svg>");
  return svg;
}

// A heatmap of `v` (per system) over the grid; `higher_better` decides which end is bright.
std::string Heatmap(const char* cls, const std::vector<double>& v, const SweepGrid& g,
                    const std::string& label, bool higher_better, const char* fmt) {
  const bool two = !g.y_name.empty();
  const size_t nx = g.xs.size(), ny = two ? g.ys.size() : 1;
  if (nx * ny != v.size() || nx == 0) return "<p>(the grid does not match the systems)</p>\n";
  double lo = v[0], hi = v[0];
  size_t best = 0;
  for (size_t s = 0; s < v.size(); ++s) {
    lo = std::min(lo, v[s]);
    hi = std::max(hi, v[s]);
    if (higher_better ? v[s] > v[best] : v[s] < v[best]) best = s;
  }
  const double cw = std::clamp(620.0 / static_cast<double>(nx), 40.0, 70.0), ch = 28;
  const double left = two ? 64 : 20, top = 34;
  const double w = left + cw * static_cast<double>(nx) + 16;
  const double h = top + ch * static_cast<double>(ny) + 58;
  std::string svg = SvgOpen(cls, w, h, label);
  svg += Text(left + cw * static_cast<double>(nx) / 2, 12, Esc(g.x_name), "middle",
              " class=\"axislabel\"");
  if (two) svg += Text(left - 10, top - 8, Esc(g.y_name), "end", " class=\"axislabel\"");
  for (size_t xi = 0; xi < nx; ++xi)
    svg += Text(left + cw * (static_cast<double>(xi) + 0.5), top - 8, F(g.xs[xi], "%g"), "middle",
                " class=\"tick\"");
  auto norm = [&](double x) {
    const double t = hi > lo ? (x - lo) / (hi - lo) : 1.0;
    return higher_better ? t : 1 - t;
  };
  for (size_t yi = 0; yi < ny; ++yi) {
    if (two)
      svg += Text(left - 8, top + ch * (static_cast<double>(yi) + 0.5) + 4, F(g.ys[yi], "%g"),
                  "end", " class=\"tick\"");
    for (size_t xi = 0; xi < nx; ++xi) {
      const size_t s = yi * nx + xi;
      const double t = norm(v[s]);
      const double x = left + cw * static_cast<double>(xi), y = top + ch * static_cast<double>(yi);
      absl::StrAppend(&svg, "<rect x=\"", P(x), "\" y=\"", P(y), "\" width=\"", P(cw - 2),
                      "\" height=\"", P(ch - 2), "\" rx=\"3\" fill=\"", Viridis(t), "\"",
                      s == best ? " stroke=\"#1f2328\" stroke-width=\"2.5\"" : "", "><title>",
                      Esc(g.x_name), "=", F(g.xs[xi], "%g"),
                      two ? absl::StrCat(", ", Esc(g.y_name), "=", F(g.ys[yi], "%g")) : "", ": ",
                      F(v[s], fmt), s == best ? " (best)" : "", "</title></rect>\n");
      svg += Text(x + (cw - 2) / 2, y + ch / 2 + 3, F(v[s], fmt), "middle",
                  t > 0.55 ? " class=\"cell dark\"" : " class=\"cell\"");
    }
  }
  // Colour legend: a gradient bar from worst to best.
  const double ly = top + ch * static_cast<double>(ny) + 16, lw = std::min(220.0, w - left - 16);
  absl::StrAppend(&svg, "<defs><linearGradient id=\"", cls, "-grad\">");
  for (int k = 0; k <= 8; ++k)
    absl::StrAppend(&svg, "<stop offset=\"", k * 12.5, "%\" stop-color=\"", Viridis(k / 8.0),
                    "\"/>");
  absl::StrAppend(&svg, "</linearGradient></defs>\n<rect x=\"", P(left), "\" y=\"", P(ly),
                  "\" width=\"", P(lw), "\" height=\"10\" rx=\"2\" fill=\"url(#", cls,
                  "-grad)\"/>\n");
  svg += Text(left, ly + 24, F(higher_better ? lo : hi, fmt), "start", " class=\"tick\"");
  svg += Text(left + lw, ly + 24, F(higher_better ? hi : lo, fmt), "end", " class=\"tick\"");
  svg +=
      Text(left + lw + 10, ly + 9, higher_better ? "higher is better" : "lower is better (faster)",
           "start", " class=\"tick\"");
  svg += "</svg>\n";
  return svg;
}

// Quality (y) against mean latency (x) with the Pareto front: the systems that no other system
// beats on both (faster and at least as good, or as fast and better).
std::string ParetoPlane(const Comparison& c, size_t col, const std::vector<bool>& front) {
  const size_t n = c.systems.size();
  auto lat = [&](size_t s) { return c.latency[s].p50_us; };
  double xlo = 1e300, xhi = 0, ylo = 1e300, yhi = -1e300;
  for (size_t s = 0; s < n; ++s) {
    if (!c.latency[s].measured) continue;
    xlo = std::min(xlo, lat(s));
    xhi = std::max(xhi, lat(s));
    ylo = std::min(ylo, c.means[s][col]);
    yhi = std::max(yhi, c.means[s][col]);
  }
  const bool logx = xlo > 0 && xhi / xlo > 20;
  auto tx = [&](double v) { return logx ? std::log10(v) : v; };
  double x0 = tx(xlo), x1 = tx(xhi), y0 = ylo, y1 = yhi;
  const double xpad = std::max((x1 - x0) * 0.08, logx ? 0.05 : std::max(x1 * 0.05, 0.5));
  const double ypad = std::max((y1 - y0) * 0.12, 0.002);
  x0 = logx ? x0 - xpad : std::max(0.0, x0 - xpad);
  x1 += xpad;
  const std::vector<double> yt = Ticks(y0 - ypad, y1 + ypad, 5);
  y0 = yt.front();
  y1 = yt.back();
  if (!logx) {
    const std::vector<double> xt0 = Ticks(x0, x1, 6);
    x0 = xt0.front();
    x1 = xt0.back();
  }
  const double left = 64, right = 24, top = 16, bottom = 44, pw = 760, ph = 320;
  const double w = left + pw + right, h = top + ph + bottom;
  auto X = [&](double v) { return left + (tx(v) - x0) / (x1 - x0) * pw; };
  auto Y = [&](double v) { return top + ph - (v - y0) / (y1 - y0) * ph; };
  std::string svg =
      SvgOpen("pareto", w, h, absl::StrCat(c.columns[col].name, " against median latency"));
  for (double t : yt) {
    svg += Line(left, Y(t), left + pw, Y(t), kGrid);
    svg += Text(left - 6, Y(t) + 4, TickLabel(t, y1 - y0), "end", " class=\"tick\"");
  }
  std::vector<double> xt;
  if (logx) {
    for (double e = std::floor(x0); e <= x1; e += 1)
      for (double m : {1.0, 2.0, 5.0})
        if (std::log10(m) + e >= x0 && std::log10(m) + e <= x1) xt.push_back(m * std::pow(10, e));
  } else {
    xt = Ticks(x0, x1, 6);
  }
  for (double t : xt) {
    svg += Line(X(t), top, X(t), top + ph, kGrid);
    svg +=
        Text(X(t), top + ph + 16, TickLabel(t, logx ? 1000 : x1 - x0), "middle", " class=\"tick\"");
  }
  svg += absl::StrCat("<rect x=\"", P(left), "\" y=\"", P(top), "\" width=\"", P(pw),
                      "\" height=\"", P(ph), "\" fill=\"none\" stroke=\"", kAxis, "\"/>\n");
  // The front as a staircase, fastest first.
  std::vector<size_t> fr;
  for (size_t s = 0; s < n; ++s)
    if (front[s]) fr.push_back(s);
  std::sort(fr.begin(), fr.end(), [&](size_t a, size_t b) { return lat(a) < lat(b); });
  if (!fr.empty()) {
    std::string path = absl::StrCat("M", P(X(lat(fr[0]))), " ", P(Y(c.means[fr[0]][col])));
    for (size_t i = 1; i < fr.size(); ++i)
      absl::StrAppend(&path, " H", P(X(lat(fr[i]))), " V", P(Y(c.means[fr[i]][col])));
    absl::StrAppend(&svg, "<path d=\"", path, "\" fill=\"none\" stroke=\"", kAccent,
                    "\" stroke-width=\"2\" stroke-opacity=\"0.6\"/>\n");
  }
  // Points: dominated first, the front on top. Labels: the front's first, then the others
  // while they fit; a label is placed at the first of eight spots around its point that
  // overlaps no placed label, no point and stays inside the plot, else left out (the point
  // keeps its hover title).
  struct Box {
    double x0, y0, x1, y1;
  };
  std::vector<Box> taken;
  for (size_t s = 0; s < n; ++s) {
    if (!c.latency[s].measured) continue;
    const double x = X(lat(s)), y = Y(c.means[s][col]);
    taken.push_back({x - 5, y - 5, x + 5, y + 5});
  }
  std::string labels;
  auto place = [&](size_t s) {
    const double x = X(lat(s)), y = Y(c.means[s][col]);
    const double tw = 6.4 * static_cast<double>(c.systems[s].size()) + 2, th = 13;
    const double spots[8][2] = {{8, -16},       {8, 3},       {-8 - tw, -16}, {-8 - tw, 3},
                                {-tw / 2, -22}, {-tw / 2, 9}, {12, -6},       {-12 - tw, -6}};
    for (const auto& o : spots) {
      const Box b{x + o[0], y + o[1], x + o[0] + tw, y + o[1] + th};
      if (b.x0 < left + 2 || b.x1 > left + pw - 2 || b.y0 < top + 2 || b.y1 > top + ph - 2)
        continue;
      bool clash = false;
      for (const Box& t : taken)
        if (b.x0 < t.x1 && t.x0 < b.x1 && b.y0 < t.y1 && t.y0 < b.y1) clash = true;
      if (clash) continue;
      taken.push_back(b);
      labels += Text(b.x0 + 1, b.y1 - 3, Esc(c.systems[s]), "start",
                     front[s] ? " class=\"plabel front\"" : " class=\"plabel\"");
      return;
    }
  };
  for (size_t s : fr) place(s);
  if (n <= 40)
    for (size_t s = 0; s < n; ++s)
      if (c.latency[s].measured && !front[s]) place(s);
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t s = 0; s < n; ++s) {
      if (!c.latency[s].measured || front[s] != (pass == 1)) continue;
      const double x = X(lat(s)), y = Y(c.means[s][col]);
      absl::StrAppend(&svg, "<circle cx=\"", P(x), "\" cy=\"", P(y), "\" r=\"",
                      front[s] ? "6" : "4.5", "\" fill=\"", front[s] ? kAccent : "#afb8c1",
                      "\" stroke=\"#fff\" stroke-width=\"1.5\"><title>", Esc(c.systems[s]), ": ",
                      F(c.means[s][col]), ", median ", F(lat(s), "%.1f"), " \u00b5s",
                      front[s] ? " (Pareto front)" : "", "</title></circle>\n");
    }
  }
  svg += labels;
  svg += Text(left + pw / 2, h - 8,
              absl::StrCat("median latency per query (\u00b5s", logx ? ", log scale" : "",
                           ") \u2192 slower"),
              "middle", " class=\"axislabel\"");
  svg +=
      Text(16, top + ph / 2, absl::StrCat(Esc(c.columns[col].name), " \u2192 better"), "middle",
           absl::StrCat(" class=\"axislabel\" transform=\"rotate(-90 16 ", P(top + ph / 2), ")\"")
               .c_str());
  svg += "</svg>\n";
  return svg;
}

constexpr const char* kCss = R"css(
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#eef1f4;--bg:#f6f8fa;--card:#fff;
--gain:#1a7f37;--loss:#cf222e;--accent:#0969da}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);
font:15px/1.5 system-ui,-apple-system,"Segoe UI","DejaVu Sans",Helvetica,Arial,sans-serif}
main{max-width:1240px;margin:0 auto;padding:28px 28px 56px}
header{margin:4px 0 20px}
h1{font-size:28px;line-height:1.2;margin:0 0 6px;letter-spacing:-.01em}
h2{font-size:18px;margin:0 0 4px}
h3{font-size:15px;margin:18px 0 6px}
.sub,.note{color:var(--muted)}
.note{font-size:13px;margin:8px 0 0}
section{background:var(--card);border:1px solid var(--line);border-radius:12px;
padding:20px 24px;margin:18px 0;box-shadow:0 1px 3px rgba(31,35,40,.06)}
section>.lead{color:var(--muted);margin:0 0 14px;font-size:14px}
.chips{display:flex;flex-wrap:wrap;gap:8px;margin-top:10px}
.chip{background:var(--card);border:1px solid var(--line);border-radius:999px;padding:2px 12px;
font-size:13px;color:var(--muted)}
.chip b{color:var(--fg);font-weight:600}
.warn{background:#fff8c5;border:1px solid #d4a72c;border-radius:10px;padding:10px 16px;
margin:14px 0;color:#4d2d00}
.warn p{margin:4px 0}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
th,td{padding:7px 12px;text-align:right;white-space:nowrap;border-bottom:1px solid var(--soft)}
th{font-size:12.5px;font-weight:600;color:var(--muted);border-bottom:2px solid var(--line);
vertical-align:bottom}
td:first-child,th:first-child{text-align:left}
tbody tr:hover td{background:#f6f8fa}
td.sys{font-weight:600}
td.best{font-weight:700}
td.base{color:var(--muted)}
td.lowjudged{color:#9a6700;font-weight:600}
sup.sig{color:var(--accent);font-weight:700;margin-left:1px}
td.sigcell{font-weight:700;color:var(--accent)}
.pos{color:var(--gain);font-weight:600}.neg{color:var(--loss);font-weight:600}
.ival{color:var(--muted);font-size:13px}
table.pairs{font-size:14px}
table.pairs th,table.pairs td{padding:5px 7px}
table.pairs thead tr+tr th:first-child{text-align:right}
table.pairs td.p{color:var(--muted)}
th.group{text-align:center;border-bottom:1px solid var(--line)}
.pair{border-top:1px solid var(--soft);padding-top:14px;margin-top:14px}
.pair:first-of-type{border-top:0;margin-top:0;padding-top:0}
.stats{font-size:14px;color:var(--muted);margin:2px 0 10px}
.stats b{color:var(--fg)}
.charts{display:flex;flex-wrap:wrap;gap:18px 28px;align-items:flex-start}
figure{margin:0}
figcaption{font-size:12.5px;color:var(--muted);margin-top:2px;max-width:540px}
svg.chart{display:block;max-width:100%;height:auto}
svg text{font-family:inherit;fill:#3d444d}
svg text.tick{font-size:11px;fill:#656d76}
svg text.axislabel{font-size:12px;fill:#3d444d}
svg text.cell{font-size:11px;fill:#fff;font-variant-numeric:tabular-nums}
svg text.cell.dark{fill:#1f2328}
svg text.plabel{font-size:11.5px;fill:#57606a}
svg text.plabel.front{fill:#0550ae;font-weight:600}
svg.ci{vertical-align:middle}
.legend{display:flex;gap:16px;font-size:12.5px;color:var(--muted);margin:4px 0 0}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;
vertical-align:-1px}
table.kv td{text-align:left;white-space:normal;vertical-align:top;padding:4px 12px;font-size:14px}
table.kv td:first-child{color:var(--muted);white-space:nowrap;padding-right:24px}
details summary{cursor:pointer;color:var(--accent);margin:6px 0}
footer{color:var(--muted);font-size:12.5px;text-align:center;margin-top:24px}
@media print{body{background:#fff}section{box-shadow:none;break-inside:avoid}}
)css";

// Pareto front over (median latency lower, quality higher) among systems with latency. The
// median, not the mean: on a shared machine one descheduled query moves a mean of a few dozen
// samples far more than the systems differ.
std::vector<bool> ParetoFront(const Comparison& c, size_t col) {
  const size_t n = c.systems.size();
  std::vector<bool> front(n, false);
  for (size_t s = 0; s < n; ++s) {
    if (!c.latency[s].measured) continue;
    bool dominated = false;
    for (size_t o = 0; o < n && !dominated; ++o) {
      if (o == s || !c.latency[o].measured) continue;
      const double lo = c.latency[o].p50_us, ls = c.latency[s].p50_us;
      const double qo = c.means[o][col], qs = c.means[s][col];
      dominated = (lo <= ls && qo >= qs) && (lo < ls || qo > qs);
    }
    front[s] = !dominated;
  }
  return front;
}

std::string SummaryTable(const CompareReport& r) {
  const Comparison& c = r.cmp;
  const bool lat = c.HasLatency();
  std::string h = "<div class=\"scroll\"><table class=\"summary\"><thead><tr><th>system</th>";
  for (const Column& col : c.columns) absl::StrAppend(&h, "<th>", Esc(col.name), "</th>");
  if (!c.judged_mean.empty()) absl::StrAppend(&h, "<th>judged@", c.options.judged_k, "</th>");
  if (lat)
    absl::StrAppend(&h,
                    "<th>mean \u00b5s</th><th>p50 \u00b5s</th><th>p99 \u00b5s</th><th>qps</th>");
  absl::StrAppend(&h, "</tr></thead><tbody>\n");
  std::vector<double> best(c.columns.size(), -1e300);
  for (size_t s = 0; s < c.systems.size(); ++s)
    for (size_t col = 0; col < c.columns.size(); ++col)
      best[col] = std::max(best[col], c.means[s][col]);
  for (size_t s = 0; s < c.systems.size(); ++s) {
    std::string name = Esc(c.systems[s]);
    if (c.options.all_pairs && !c.pairs.empty())
      name = absl::StrCat("(", SystemLetter(s), ") ", name);
    if (!c.options.all_pairs && s == 0 && c.systems.size() > 1 && !c.pairs.empty())
      absl::StrAppend(&name, " <span class=\"note\">baseline</span>");
    absl::StrAppend(&h, "<tr><td class=\"sys\">", name, "</td>");
    for (size_t col = 0; col < c.columns.size(); ++col) {
      const std::string mark = SignificanceMarker(c, s, col, false);
      absl::StrAppend(
          &h, c.systems.size() > 1 && c.means[s][col] == best[col] ? "<td class=\"best\">" : "<td>",
          F(c.means[s][col]),
          mark.empty() ? "" : absl::StrCat("<sup class=\"sig\">", mark, "</sup>"), "</td>");
    }
    if (!c.judged_mean.empty()) {
      const bool low = s > 0 && c.judged_mean[s] < c.judged_mean[0] - c.options.judged_warn_drop;
      absl::StrAppend(&h, low ? "<td class=\"lowjudged\">" : "<td>", F(c.judged_mean[s], "%.3f"),
                      "</td>");
    }
    if (lat) {
      const LatencySummary& l = c.latency[s];
      if (l.measured) {
        absl::StrAppend(&h, "<td>", F(l.mean_us, "%.1f"), "</td><td>", F(l.p50_us, "%.1f"),
                        "</td><td>", F(l.p99_us, "%.1f"), "</td><td>", F(l.qps, "%.0f"), "</td>");
      } else {
        absl::StrAppend(&h, "<td></td><td></td><td></td><td></td>");
      }
    }
    absl::StrAppend(&h, "</tr>\n");
  }
  absl::StrAppend(&h, "</tbody></table></div>\n");
  return h;
}

std::string PairsTable(const Comparison& c) {
  const auto& tests = c.options.tests;
  const std::string corr = CorrectionName(c.options.correction);
  const bool all = c.options.all_pairs;
  std::string h = "<div class=\"scroll\"><table class=\"pairs\"><thead><tr>";
  absl::StrAppend(&h, "<th rowspan=\"2\">system</th>", all ? "<th rowspan=\"2\">baseline</th>" : "",
                  "<th rowspan=\"2\">measure</th><th rowspan=\"2\">\u0394 mean [",
                  F(c.options.ci_level * 100, "%g"), "% interval]</th>",
                  "<th rowspan=\"2\"></th><th rowspan=\"2\">d<sub>z</sub></th>",
                  "<th rowspan=\"2\">W / T / L</th>");
  for (PairedTest t : tests)
    absl::StrAppend(&h, "<th class=\"group\" colspan=\"2\">", PairedTestName(t), "</th>");
  absl::StrAppend(&h, "</tr><tr>");
  for (size_t i = 0; i < tests.size(); ++i) absl::StrAppend(&h, "<th>p</th><th>", corr, "</th>");
  absl::StrAppend(&h, "</tr></thead><tbody>\n");
  // One interval scale per measure.
  std::vector<double> scale(c.columns.size(), 1e-9);
  for (const PairedStats& p : c.pairs)
    scale[p.column] = std::max(
        {scale[p.column], std::fabs(p.ci.low), std::fabs(p.ci.high), std::fabs(p.mean_diff)});
  for (const PairedStats& p : c.pairs) {
    absl::StrAppend(&h, "<tr><td class=\"sys\">", Esc(c.systems[p.system]), "</td>",
                    all ? absl::StrCat("<td>", Esc(c.systems[p.baseline]), "</td>") : "", "<td>",
                    Esc(c.columns[p.column].name), "</td><td><span class=\"",
                    p.mean_diff > 0 ? "pos" : (p.mean_diff < 0 ? "neg" : ""), "\">",
                    F(p.mean_diff, "%+.4f"), "</span> <span class=\"ival\">[", F(p.ci.low, "%+.4f"),
                    ", ", F(p.ci.high, "%+.4f"), "]</span></td><td>",
                    IntervalPlot(p, scale[p.column] * 1.1), "</td><td>", F(p.d_z, "%+.2f"),
                    "</td><td>", p.wtl.wins, " / ", p.wtl.ties, " / ", p.wtl.losses, "</td>");
    for (PairedTest t : tests) {
      const size_t ti = static_cast<size_t>(t);
      const bool sig = t == tests[0] && p.significant;
      absl::StrAppend(&h, "<td class=\"p\">", HtmlP(p.p[ti]), "</td><td",
                      sig ? " class=\"sigcell\"" : "", ">", HtmlP(p.p_adjusted[ti]), "</td>");
    }
    absl::StrAppend(&h, "</tr>\n");
  }
  absl::StrAppend(&h, "</tbody></table></div>\n");
  return h;
}

}  // namespace

std::string ComparisonHtml(const CompareReport& r) {
  const Comparison& c = r.cmp;
  const size_t col = std::min(r.column, c.columns.size() - 1);
  const std::string mname = Esc(c.columns[col].name);
  const bool sweep = r.grid.has_value();
  const bool lat = c.HasLatency();
  std::string h = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<link rel=\"icon\" href=\"data:,\">\n<title>",
      Esc(r.title), "</title>\n<style>", kCss, "</style></head>\n<body><main>\n<header><h1>",
      Esc(r.title), "</h1>\n<div class=\"sub\">", sweep ? "Parameter sweep" : "Comparison", " of ",
      c.systems.size(), " systems over ", c.qids.size(), " queries", sweep ? "" : "",
      "</div>\n<div class=\"chips\">");
  if (!sweep && c.systems.size() > 1 && !c.options.all_pairs)
    absl::StrAppend(&h, "<span class=\"chip\">baseline <b>", Esc(c.systems[0]), "</b></span>");
  if (c.options.all_pairs && !c.pairs.empty())
    absl::StrAppend(&h, "<span class=\"chip\"><b>all pairs</b></span>");
  absl::StrAppend(&h, "<span class=\"chip\">measures <b>");
  for (size_t k = 0; k < c.columns.size(); ++k)
    absl::StrAppend(&h, k ? ", " : "", Esc(c.columns[k].name));
  absl::StrAppend(&h, "</b></span>");
  if (!c.pairs.empty())
    absl::StrAppend(&h, "<span class=\"chip\">test <b>", PairedTestName(c.options.tests[0]),
                    "</b>, <b>", CorrectionName(c.options.correction),
                    "</b> correction, &alpha; = <b>", F(c.options.alpha, "%g"), "</b></span>");
  absl::StrAppend(&h, "</div></header>\n");

  const std::vector<std::string> notes = r.Notes();
  if (!notes.empty()) {
    absl::StrAppend(&h, "<div class=\"warn\" role=\"note\">");
    for (const std::string& n : notes) absl::StrAppend(&h, "<p><b>Warning:</b> ", Esc(n), "</p>");
    absl::StrAppend(&h, "</div>\n");
  }

  // Summary (a sweep's long table goes last, folded).
  std::string legend;
  if (!c.pairs.empty()) {
    legend = c.options.all_pairs
                 ? absl::StrCat(
                       "Superscript letters: significantly better than the system of "
                       "that letter")
                 : absl::StrCat("<sup class=\"sig\">\u2020</sup> significantly different from ",
                                Esc(c.systems[0]));
    absl::StrAppend(&legend, " (", PairedTestName(c.options.tests[0]), " test, ",
                    CorrectionName(c.options.correction), "-adjusted p &lt; ",
                    F(c.options.alpha, "%g"), "). ");
  }
  absl::StrAppend(&legend, "Bold: best per measure.");
  if (!c.judged_mean.empty())
    absl::StrAppend(&legend, " judged@", c.options.judged_k, ": the fraction of the top ",
                    c.options.judged_k, " that is judged.");
  if (lat)
    absl::StrAppend(&legend,
                    " Latency: \u00b5s per query from topic text to ranked ids, after warm-up, ",
                    LatencyThreadsText(c.latency), ".");
  if (!sweep) {
    absl::StrAppend(&h, "<section id=\"summary\"><h2>Summary</h2>\n", SummaryTable(r),
                    "<p class=\"note\">", legend, "</p></section>\n");
  }

  if (sweep) {
    const SweepGrid& g = *r.grid;
    std::vector<double> q(c.systems.size());
    for (size_t s = 0; s < c.systems.size(); ++s) q[s] = c.means[s][col];
    const size_t best = r.BestInSample();
    absl::StrAppend(&h, "<section id=\"sweep\"><h2>Sweep</h2>\n<p class=\"lead\">Best ", mname,
                    " in-sample: <b>", Esc(c.systems[best]), "</b> (", F(c.means[best][col]),
                    "), outlined.</p>\n<div class=\"charts\"><figure>",
                    Heatmap("heatmap-quality", q, g,
                            absl::StrCat(c.columns[col].name, " over the grid"), true, "%.3f"),
                    "<figcaption>", mname, " (mean over ", c.qids.size(),
                    " queries) at every grid point.</figcaption></figure>");
    if (lat) {
      std::vector<double> l(c.systems.size());
      double lmax = 0;
      for (size_t s = 0; s < c.systems.size(); ++s) {
        l[s] = c.latency[s].p50_us;
        lmax = std::max(lmax, l[s]);
      }
      absl::StrAppend(&h, "<figure>",
                      Heatmap("heatmap-latency", l, g, "median latency over the grid", false,
                              lmax >= 100 ? "%.0f" : "%.1f"),
                      "<figcaption>Median latency per query (\u00b5s) at every grid point; the "
                      "fastest is outlined.</figcaption></figure>");
    }
    absl::StrAppend(&h, "</div></section>\n");
  }

  if (r.tuning.has_value()) {
    const TuningResult& t = *r.tuning;
    absl::StrAppend(&h, "<section id=\"tuning\"><h2>Tuning: ", Esc(t.method),
                    "</h2>\n<p class=\"lead\">Each split chooses the grid point with the best ",
                    Esc(c.columns[t.column].name),
                    " on its training topics and scores it on its held-out topics. ",
                    t.method == "cross-validation" ? "Cross-validated" : "Held-out", " ",
                    Esc(c.columns[t.column].name), ": <b>", F(t.score), "</b>.</p>\n",
                    "<div class=\"scroll\"><table><thead><tr><th>split</th><th>chosen</th>"
                    "<th>train</th><th>test</th><th>train topics</th><th>test topics</th></tr>"
                    "</thead><tbody>\n");
    for (const FoldChoice& f : t.folds)
      absl::StrAppend(&h, "<tr><td>", Esc(f.name), "</td><td class=\"sys\">",
                      Esc(c.systems[f.chosen]), "</td><td>", F(f.train_score), "</td><td>",
                      F(f.test_score), "</td><td>", f.n_train, "</td><td>", f.n_test,
                      "</td></tr>\n");
    absl::StrAppend(&h, "</tbody></table></div>\n");
    if (t.against_default.has_value() && !t.against_default->pairs.empty())
      absl::StrAppend(&h, "<h3>Held-out choices against the default parameters</h3>\n",
                      "<p class=\"lead\">On the ", t.against_default->qids.size(),
                      " held-out topics: each topic's value from the point its split chose, "
                      "paired with that of <b>",
                      Esc(t.against_default->systems[0]), "</b>.</p>\n",
                      PairsTable(*t.against_default));
    absl::StrAppend(&h, "</section>\n");
  }

  if (lat && c.systems.size() > 1) {
    const std::vector<bool> front = ParetoFront(c, col);
    size_t nf = 0;
    for (bool f : front) nf += f;
    absl::StrAppend(&h, "<section id=\"pareto\"><h2>Quality against latency</h2>\n",
                    "<p class=\"lead\">Each point is a system at its median latency; the blue ones "
                    "form the Pareto front: no other system is both at least as fast and at "
                    "least as good (",
                    nf, " of ", c.systems.size(), ").</p>\n<figure>", ParetoPlane(c, col, front),
                    "</figure></section>\n");
  }

  if (!c.pairs.empty()) {
    absl::StrAppend(&h, "<section id=\"pairs\"><h2>Paired comparisons</h2>\n",
                    "<p class=\"lead\">\u0394 = system \u2212 baseline, per measure. The interval "
                    "plot shows the mean difference and its bootstrap interval around zero "
                    "(green: above zero, red: below). Adjusted p-values are ",
                    CorrectionName(c.options.correction), "-corrected over ", c.pairs.size(),
                    " comparisons per test.</p>\n", PairsTable(c), "</section>\n");
    absl::StrAppend(&h, "<section id=\"perquery\"><h2>Per query: ", mname, "</h2>\n");
    for (size_t s = 1; s < c.systems.size(); ++s) {
      const PairedStats* p = c.Pair(s, 0, col);
      absl::StrAppend(&h, "<div class=\"pair\"><h3>", Esc(c.systems[s]), " vs ", Esc(c.systems[0]),
                      "</h3>\n");
      if (p != nullptr) {
        const size_t t0 = static_cast<size_t>(c.options.tests[0]);
        absl::StrAppend(&h, "<p class=\"stats\">\u0394 <b>", F(p->mean_diff, "%+.4f"), "</b> [",
                        F(p->ci.low, "%+.4f"), ", ", F(p->ci.high, "%+.4f"),
                        "] \u00b7 d<sub>z</sub> ", F(p->d_z, "%+.2f"), " \u00b7 <b>", p->wtl.wins,
                        "</b> better, ", p->wtl.ties, " tied, <b>", p->wtl.losses,
                        "</b> worse \u00b7 ", PairedTestName(c.options.tests[0]), " p ",
                        HtmlP(p->p[t0]), " (", CorrectionName(c.options.correction), " ",
                        HtmlP(p->p_adjusted[t0]), ")</p>\n");
      }
      absl::StrAppend(&h, "<div class=\"charts\"><figure>", DeltaChart(c, s, 0, col),
                      "<figcaption>", mname,
                      " difference per query, biggest gain first.</figcaption></figure><figure>",
                      Scatter(c, s, 0, col), "<figcaption>Above the diagonal: ", Esc(c.systems[s]),
                      " is better.</figcaption></figure></div>\n",
                      "<div class=\"legend\"><span><i class=\"sw\" style=\"background:", kGain,
                      "\"></i>better</span><span><i class=\"sw\" style=\"background:", kLoss,
                      "\"></i>worse</span><span><i class=\"sw\" style=\"background:", kTie,
                      "\"></i>tied</span></div></div>\n");
    }
    absl::StrAppend(&h, "</section>\n");
  }

  if (sweep) {
    absl::StrAppend(&h, "<section id=\"summary\"><h2>Every grid point</h2>\n<details", " open",
                    "><summary>", c.systems.size(), " grid points</summary>", SummaryTable(r),
                    "</details><p class=\"note\">", legend, "</p></section>\n");
  }

  absl::StrAppend(&h, "<section id=\"parameters\"><h2>Parameters and tests</h2>\n",
                  "<p class=\"lead\">Everything that decides a number on this page.</p>",
                  "<table class=\"kv\"><tbody>\n");
  for (const auto& [k, v] : c.parameters)
    absl::StrAppend(&h, "<tr><td>", Esc(k), "</td><td>", Esc(v), "</td></tr>\n");
  absl::StrAppend(&h, "</tbody></table></section>\n",
                  "<footer>Generated by <code>scour compare</code>. Definitions of every test, "
                  "interval and correction: docs/EVAL.md.</footer>\n</main></body></html>\n");
  return h;
}

}  // namespace scour::eval
