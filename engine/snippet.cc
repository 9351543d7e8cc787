#include "engine/snippet.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/status_macros.h"
#include "base/string_view.h"

namespace scour::engine {
namespace {

// Punctuation glued to a window's edge word ("(天眼", "Face++", "2019.") is kept, up to this many
// bytes, so a snippet does not start or end in the middle of what reads as one word.
constexpr uint32_t kMaxAttachedBytes = 16;

struct TextTok {
  uint32_t pos;
  uint32_t start;
  uint32_t end;
  int32_t slot;  // index into the query's term dictionary, or -1
};

using snippet_internal::Match;

inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline bool IsControl(char c) {
  const auto b = static_cast<unsigned char>(c);
  return b < 0x20 || b == 0x7F;
}
inline bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The query compiled to a term dictionary: each distinct term gets a slot; a slot is a term unit
// when the term is in q.terms. Prefixes and phrases get the units after the terms.
struct Compiled {
  absl::flat_hash_map<std::string, int32_t> slot_of;
  std::vector<int32_t> slot_unit;  // term unit of a slot, or -1 (phrase-only term)
  std::vector<std::string_view> prefixes;
  std::vector<uint32_t> prefix_unit;
  std::vector<std::vector<int32_t>> phrases;  // slots
  std::vector<uint32_t> phrase_unit;
  uint32_t units = 0;

  int32_t Slot(const std::string& term) {
    auto [it, inserted] = slot_of.try_emplace(term, static_cast<int32_t>(slot_unit.size()));
    if (inserted) slot_unit.push_back(-1);
    return it->second;
  }

  explicit Compiled(const SnippetQuery& q) {
    for (const std::string& t : q.terms) {
      if (t.empty()) continue;
      const int32_t s = Slot(t);
      if (slot_unit[s] < 0) slot_unit[s] = static_cast<int32_t>(units++);
    }
    for (const std::string& p : q.prefixes) {
      // An empty prefix would highlight every word.
      if (p.empty() || std::find(prefixes.begin(), prefixes.end(), p) != prefixes.end()) continue;
      prefixes.push_back(p);
      prefix_unit.push_back(units++);
    }
    for (const auto& phrase : q.phrases) {
      if (phrase.empty() ||
          std::any_of(phrase.begin(), phrase.end(), [](const std::string& t) { return t.empty(); }))
        continue;
      std::vector<int32_t> slots;
      slots.reserve(phrase.size());
      for (const std::string& t : phrase) slots.push_back(Slot(t));
      if (std::find(phrases.begin(), phrases.end(), slots) != phrases.end()) continue;
      phrases.push_back(std::move(slots));
      phrase_unit.push_back(units++);
    }
  }
};

// Start of the text shown when the window would start at `s` (window end `e`): never inside a
// token; in a gap between tokens it moves to the next token, keeping punctuation glued to it.
uint32_t AdjustStart(std::string_view text, const std::vector<TextTok>& toks, uint32_t s,
                     uint32_t e) {
  const auto it =
      std::partition_point(toks.begin(), toks.end(), [s](const TextTok& t) { return t.end <= s; });
  if (it != toks.end() && it->start < s) return it->start;
  if (it != toks.end() && it->start < e) {
    const uint32_t p = it->start;
    const uint32_t floor = it == toks.begin() ? 0 : std::prev(it)->end;
    uint32_t q = p;
    while (q > floor && p - q < kMaxAttachedBytes && !IsSpace(text[q - 1])) --q;
    while (q < p && IsContinuation(text[q])) ++q;
    return q;
  }
  while (s > 0 && s < text.size() && IsContinuation(text[s])) --s;
  return s;
}

// End of the text shown (mirror of AdjustStart).
uint32_t AdjustEnd(std::string_view text, const std::vector<TextTok>& toks, uint32_t s,
                   uint32_t e) {
  const uint32_t n = static_cast<uint32_t>(text.size());
  auto it =
      std::partition_point(toks.begin(), toks.end(), [e](const TextTok& t) { return t.start < e; });
  if (it != toks.begin()) {
    const TextTok& last = *std::prev(it);
    if (last.end > e) return last.end;
    if (last.end > s) {
      const uint32_t p = last.end;
      const uint32_t ceil = it == toks.end() ? n : it->start;
      uint32_t q = p;
      while (q < ceil && q - p < kMaxAttachedBytes && !IsSpace(text[q])) ++q;
      while (q > p && q < n && IsContinuation(text[q])) --q;
      return q;
    }
  }
  while (e < n && IsContinuation(text[e])) ++e;
  return e;
}

// Appends text[from, to) with control bytes (newlines, tabs, ESC, ...) shown as spaces: a
// snippet is one line, and a document must not be able to inject terminal escapes.
void AppendClean(std::string_view text, uint32_t from, uint32_t to, std::string* out) {
  const size_t at = out->size();
  out->append(text.data() + from, to - from);
  for (size_t i = at; i < out->size(); ++i) {
    if (IsControl((*out)[i])) (*out)[i] = ' ';
  }
}

}  // namespace

namespace snippet_internal {

size_t BestWindow(const std::vector<Match>& matches, uint32_t units, uint64_t width) {
  // Sliding window over the matches: windows [L, L + width) with L at a match start; a match
  // counts when it lies wholly inside. Matches enter in end order, leave in start order.
  const size_t m = matches.size();
  std::vector<uint32_t> by_end(m);
  for (uint32_t i = 0; i < m; ++i) by_end[i] = i;
  std::stable_sort(by_end.begin(), by_end.end(),
                   [&](uint32_t a, uint32_t b) { return matches[a].end < matches[b].end; });
  std::vector<uint8_t> in(m, 0);
  std::vector<uint32_t> unit_count(units, 0);
  uint32_t distinct = 0;
  uint32_t total = 0;
  uint32_t best_distinct = 0;
  uint32_t best_total = 0;
  size_t best = m;
  size_t left = 0;
  size_t next_end = 0;
  for (size_t i = 0; i < m; ++i) {
    if (i > 0 && matches[i].start == matches[i - 1].start) continue;
    for (; left < i; ++left) {
      if (in[left]) {
        in[left] = 0;
        --total;
        if (--unit_count[matches[left].unit] == 0) --distinct;
      }
    }
    const uint64_t limit = matches[i].start + width;
    for (; next_end < m && matches[by_end[next_end]].end <= limit; ++next_end) {
      const uint32_t j = by_end[next_end];
      if (j < i) continue;  // starts before this window and every later one
      in[j] = 1;
      ++total;
      if (unit_count[matches[j].unit]++ == 0) ++distinct;
    }
    if (distinct > best_distinct || (distinct == best_distinct && total > best_total)) {
      best = i;
      best_distinct = distinct;
      best_total = total;
    }
  }
  return best;
}

}  // namespace snippet_internal

absl::StatusOr<Snippet> MakeSnippet(scour::Analyzer* analyzer, std::string_view text,
                                    const SnippetQuery& q, const SnippetOptions& opts) {
  if (text.size() > std::numeric_limits<uint32_t>::max()) {
    return absl::InvalidArgumentError(
        absl::StrCat("snippet text too long: ", text.size(), " bytes (max 4 GiB)"));
  }
  Snippet out;
  if (text.empty()) return out;
  const uint32_t n = static_cast<uint32_t>(text.size());

  Compiled c(q);
  std::vector<TextTok> toks;
  toks.reserve(std::min<size_t>(text.size() / 4 + 16, size_t{1} << 20));
  std::vector<Match> matches;
  SCOUR_RETURN_IF_ERROR(analyzer->ForEachToken(
      text, [&](std::string_view term, uint32_t pos, uint32_t start, uint32_t end) {
        int32_t slot = -1;
        if (!c.slot_of.empty()) {
          auto it = c.slot_of.find(Av(term));
          if (it != c.slot_of.end()) slot = it->second;
        }
        toks.push_back({pos, start, end, slot});
        if (slot >= 0 && c.slot_unit[slot] >= 0) {
          matches.push_back({start, end, static_cast<uint32_t>(c.slot_unit[slot])});
        }
        for (size_t i = 0; i < c.prefixes.size(); ++i) {
          const std::string_view p = c.prefixes[i];
          if (term.size() >= p.size() && std::memcmp(term.data(), p.data(), p.size()) == 0) {
            matches.push_back({start, end, c.prefix_unit[i]});
          }
        }
      }));

  // Phrase occurrences: tokens k .. k+len-1 at consecutive positions with the phrase's terms.
  if (!c.phrases.empty()) {
    for (size_t k = 0; k < toks.size(); ++k) {
      const int32_t slot = toks[k].slot;
      if (slot < 0) continue;
      for (size_t p = 0; p < c.phrases.size(); ++p) {
        const std::vector<int32_t>& ph = c.phrases[p];
        if (ph[0] != slot || k + ph.size() > toks.size()) continue;
        bool ok = true;
        for (size_t j = 1; j < ph.size() && ok; ++j) {
          ok = toks[k + j].slot == ph[j] && toks[k + j].pos == toks[k].pos + j;
        }
        if (ok) matches.push_back({toks[k].start, toks[k + ph.size() - 1].end, c.phrase_unit[p]});
      }
    }
  }
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  });

  const uint64_t width = std::max<size_t>(opts.max_bytes, 1);
  uint32_t s = 0;
  uint32_t e = static_cast<uint32_t>(std::min<uint64_t>(n, width));
  if (!matches.empty()) {
    const size_t m = matches.size();
    const size_t best = snippet_internal::BestWindow(matches, c.units, width);
    uint32_t cover_start;
    uint32_t cover_end;
    if (best == m) {
      // Every match is longer than the window (a long phrase): show the first one whole.
      cover_start = matches[0].start;
      cover_end = matches[0].end;
    } else {
      cover_start = matches[best].start;
      cover_end = cover_start;
      const uint64_t limit = cover_start + width;
      for (size_t j = best; j < m && matches[j].start < limit; ++j) {
        if (matches[j].end <= limit) cover_end = std::max(cover_end, matches[j].end);
      }
    }
    const uint64_t cover = cover_end - cover_start;
    if (cover >= width) {
      s = cover_start;
      e = cover_end;
    } else {
      // A third of the spare room before the matches, the rest after: reading runs forward.
      const uint64_t before = std::min<uint64_t>(cover_start, (width - cover) / 3);
      s = static_cast<uint32_t>(cover_start - before);
      if (s + width > n) s = static_cast<uint32_t>(n > width ? n - width : 0);
      e = static_cast<uint32_t>(std::min<uint64_t>(n, s + width));
    }
  }
  const uint32_t adj_s = AdjustStart(text, toks, s, e);
  e = AdjustEnd(text, toks, s, e);
  s = adj_s;
  while (s < e && (IsSpace(text[s]) || IsControl(text[s]))) ++s;
  while (e > s && (IsSpace(text[e - 1]) || IsControl(text[e - 1]))) --e;
  out.window_start = s;
  out.window_end = e;

  for (const Match& mt : matches) {
    const uint32_t a = std::max(mt.start, s);
    const uint32_t b = std::min(mt.end, e);
    if (a >= b) continue;
    if (!out.spans.empty() && a <= out.spans.back().second) {
      out.spans.back().second = std::max(out.spans.back().second, b);
    } else {
      out.spans.emplace_back(a, b);
    }
  }

  auto cut = [&](uint32_t from, uint32_t to) {  // text[from, to) holds something to show
    for (uint32_t i = from; i < to; ++i) {
      if (!IsSpace(text[i]) && !IsControl(text[i])) return true;
    }
    return false;
  };
  std::string& t = out.text;
  t.reserve(e - s + out.spans.size() * (opts.open.size() + opts.close.size()) +
            2 * opts.ellipsis.size());
  const bool lead = cut(0, s);
  if (lead) t += opts.ellipsis;
  uint32_t at = s;
  for (const auto& [a, b] : out.spans) {
    AppendClean(text, at, a, &t);
    t += opts.open;
    AppendClean(text, a, b, &t);
    t += opts.close;
    at = b;
  }
  AppendClean(text, at, e, &t);
  if (cut(e, n)) t += opts.ellipsis;
  return out;
}

}  // namespace scour::engine
