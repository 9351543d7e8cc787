#include "engine/snippet.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/utf8.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "scour/analyzer.h"

namespace scour::engine {
namespace {

using Spans = std::vector<std::pair<uint32_t, uint32_t>>;

// id -> "text" of every line of corpus/party_state.jsonl.
const std::map<std::string, std::string>& Corpus() {
  static const std::map<std::string, std::string> corpus = [] {
    std::map<std::string, std::string> m;
    std::ifstream in(std::string(SCOUR_SOURCE_DIR) + "/corpus/party_state.jsonl");
    EXPECT_TRUE(in.good());
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      auto j = nlohmann::json::parse(line);
      m[j["id"].get<std::string>()] = j["text"].get<std::string>();
    }
    return m;
  }();
  return corpus;
}

const std::string& Para(const std::string& id) {
  auto it = Corpus().find(id);
  EXPECT_NE(it, Corpus().end()) << id;
  static const std::string empty;
  return it == Corpus().end() ? empty : it->second;
}

Analyzer English() {
  auto a = Analyzer::Create();
  EXPECT_TRUE(a.ok()) << a.status();
  return std::move(a).value();
}

SnippetOptions Brackets(size_t max_bytes = 220) {
  SnippetOptions o;
  o.max_bytes = max_bytes;
  o.open = "[";
  o.close = "]";
  o.ellipsis = "...";
  return o;
}

Snippet Make(Analyzer* a, std::string_view text, const SnippetQuery& q, const SnippetOptions& o) {
  auto s = MakeSnippet(a, text, q, o);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? std::move(s).value() : Snippet{};
}

std::vector<Token> Tokens(Analyzer* a, std::string_view text) {
  std::vector<Token> t;
  EXPECT_TRUE(a->Analyze(text, &t).ok());
  return t;
}

std::vector<std::string> SpanTexts(std::string_view text, const Snippet& s) {
  std::vector<std::string> out;
  for (auto [a, b] : s.spans) out.emplace_back(text.substr(a, b - a));
  return out;
}

// Reference matches, computed naively from the full token list: (start, end, unit) with units
// numbered terms, prefixes, phrases in query order (the query in these tests has no duplicates).
std::vector<snippet_internal::Match> ReferenceMatches(const std::vector<Token>& toks,
                                                      const SnippetQuery& q) {
  std::vector<snippet_internal::Match> m;
  for (const Token& t : toks) {
    for (size_t i = 0; i < q.terms.size(); ++i) {
      if (t.term == q.terms[i]) m.push_back({t.start, t.end, static_cast<uint32_t>(i)});
    }
    for (size_t i = 0; i < q.prefixes.size(); ++i) {
      if (t.term.rfind(q.prefixes[i], 0) == 0) {
        m.push_back({t.start, t.end, static_cast<uint32_t>(q.terms.size() + i)});
      }
    }
  }
  for (size_t p = 0; p < q.phrases.size(); ++p) {
    const auto& ph = q.phrases[p];
    for (size_t k = 0; k + ph.size() <= toks.size(); ++k) {
      bool ok = true;
      for (size_t j = 0; j < ph.size(); ++j) {
        ok = ok && toks[k + j].term == ph[j] && toks[k + j].position == toks[k].position + j;
      }
      if (ok) {
        m.push_back({toks[k].start, toks[k + ph.size() - 1].end,
                     static_cast<uint32_t>(q.terms.size() + q.prefixes.size() + p)});
      }
    }
  }
  std::sort(m.begin(), m.end(), [](const auto& a, const auto& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  });
  return m;
}

// Distinct units with a match wholly inside [s, e).
size_t DistinctInside(const std::vector<snippet_internal::Match>& m, uint64_t s, uint64_t e) {
  std::set<uint32_t> units;
  for (const auto& x : m) {
    if (x.start >= s && x.end <= e) units.insert(x.unit);
  }
  return units.size();
}

// Checks everything a snippet promises, against the analysis of the whole text:
// window on token / code point boundaries, spans = merged matches clipped to the window, text =
// ellipsis + window with markers and control bytes as spaces + ellipsis.
void CheckInvariants(Analyzer* a, std::string_view text, const SnippetQuery& q,
                     const SnippetOptions& o, const Snippet& s) {
  SCOPED_TRACE(::testing::Message() << "window [" << s.window_start << "," << s.window_end
                                    << ") max_bytes " << o.max_bytes);
  ASSERT_LE(s.window_start, s.window_end);
  ASSERT_LE(s.window_end, text.size());
  const std::vector<Token> toks = Tokens(a, text);
  for (const Token& t : toks) {
    EXPECT_FALSE(t.start < s.window_start && s.window_start < t.end) << "cuts token " << t.term;
    EXPECT_FALSE(t.start < s.window_end && s.window_end < t.end) << "cuts token " << t.term;
  }
  if (s.window_start < text.size()) {
    EXPECT_FALSE(IsContinuationByte(text[s.window_start]));
  }
  if (s.window_end < text.size()) {
    EXPECT_FALSE(IsContinuationByte(text[s.window_end]));
  }

  // Spans: the union of the matches, clipped to the window.
  const auto matches = ReferenceMatches(toks, q);
  std::vector<bool> lit(text.size(), false);
  for (const auto& m : matches) {
    for (uint32_t i = std::max(m.start, s.window_start); i < std::min(m.end, s.window_end); ++i) {
      lit[i] = true;
    }
  }
  Spans want;
  for (uint32_t i = s.window_start; i < s.window_end;) {
    if (!lit[i]) {
      ++i;
      continue;
    }
    uint32_t j = i;
    while (j < s.window_end && lit[j]) ++j;
    want.emplace_back(i, j);  // touching matches form one run, hence one span
    i = j;
  }
  EXPECT_EQ(s.spans, want);

  std::string shown;
  const bool lead =
      text.substr(0, s.window_start).find_first_not_of(" \t\n\r\f\v") != std::string_view::npos;
  const bool trail =
      text.substr(s.window_end).find_first_not_of(" \t\n\r\f\v") != std::string_view::npos;
  auto clean = [](std::string_view piece) {
    std::string out(piece);
    for (char& c : out) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
    }
    return out;
  };
  if (lead) shown += o.ellipsis;
  uint32_t at = s.window_start;
  for (auto [b, e] : s.spans) {
    shown += clean(text.substr(at, b - at));
    shown += o.open;
    shown += clean(text.substr(b, e - b));
    shown += o.close;
    at = e;
  }
  shown += clean(text.substr(at, s.window_end - at));
  if (trail) shown += o.ellipsis;
  EXPECT_EQ(s.text, shown);
  EXPECT_TRUE(CheckUtf8(s.text).valid);
}

TEST(SnippetTest, HighlightsSingleTerm) {
  Analyzer a = English();
  const std::string& text = Para("megvii-1");
  SnippetQuery q;
  q.terms = {"megvii"};
  Snippet s = Make(&a, text, q, Brackets(1000));
  EXPECT_EQ(s.window_start, 0u);
  EXPECT_EQ(s.window_end, text.size());
  // Every occurrence of the word, whatever its case or possessive suffix, and nothing else.
  size_t occurrences = 0;
  for (size_t p = text.find("Megvii"); p != std::string::npos; p = text.find("Megvii", p + 1)) {
    ++occurrences;
  }
  ASSERT_GE(occurrences, 4u);
  ASSERT_EQ(s.spans.size(), occurrences);
  for (const std::string& w : SpanTexts(text, s)) EXPECT_EQ(w.substr(0, 6), "Megvii") << w;
  EXPECT_NE(s.text.find("[Megvii] Vice President"), std::string::npos) << s.text;
  EXPECT_EQ(s.text.find("..."), std::string::npos) << s.text;
  CheckInvariants(&a, text, q, Brackets(1000), s);
}

TEST(SnippetTest, StemmedTermHighlightsInflectedWord) {
  Analyzer a = English();
  for (const char* id : {"dahua-1", "meiya-pico-4"}) {
    const std::string& text = Para(id);
    SnippetQuery q;
    q.terms = {"subsidi"};
    Snippet s = Make(&a, text, q, Brackets());
    ASSERT_FALSE(s.spans.empty()) << id;
    EXPECT_EQ(SpanTexts(text, s)[0], "subsidies") << id;
    EXPECT_NE(s.text.find("[subsidies]"), std::string::npos) << s.text;
    CheckInvariants(&a, text, q, Brackets(), s);
  }
}

TEST(SnippetTest, PhraseIsOneSpan) {
  Analyzer a = English();
  const std::string& text = Para("megvii-1");
  SnippetQuery q;
  q.phrases = {{"parti", "committe"}};
  Snippet s = Make(&a, text, q, Brackets(1000));
  // "Party Secretary" is not the phrase; both "Party Committee"s are, each one span.
  const std::vector<std::string> want = {"Party Committee", "Party Committee"};
  EXPECT_EQ(SpanTexts(text, s), want);
  EXPECT_NE(s.text.find("[Party Committee] on 15"), std::string::npos) << s.text;
  EXPECT_EQ(s.text.find("[Party] Secretary"), std::string::npos) << s.text;
  CheckInvariants(&a, text, q, Brackets(1000), s);
}

TEST(SnippetTest, TermInsidePhraseMergesIntoOneSpan) {
  Analyzer a = English();
  const std::string& text = Para("megvii-1");
  SnippetQuery q;
  q.terms = {"parti"};
  q.phrases = {{"parti", "committe"}};
  Snippet s = Make(&a, text, q, Brackets(1000));
  const std::vector<std::string> want = {"Party", "Party Committee", "Party Committee"};
  EXPECT_EQ(SpanTexts(text, s), want);
  EXPECT_NE(s.text.find("[Party] Secretary"), std::string::npos) << s.text;
  EXPECT_NE(s.text.find("[Party Committee] was"), std::string::npos) << s.text;
  CheckInvariants(&a, text, q, Brackets(1000), s);
}

TEST(SnippetTest, AdjacentMatchesMerge) {
  Analyzer a = English();
  const std::string text = "the Chinese Communist Party at the highest levels";
  SnippetQuery q;
  q.terms = {"communist", "parti"};
  q.prefixes = {"chin"};
  Snippet s = Make(&a, text, q, Brackets());
  // Separated by one space: not merged; the spans stay per word.
  const std::vector<std::string> want = {"Chinese", "Communist", "Party"};
  EXPECT_EQ(SpanTexts(text, s), want);
  // Touching tokens (CJK words without spaces) are merged.
  const std::string cjk = Para("megvii-2");
  std::vector<Token> toks = Tokens(&a, cjk);
  size_t k = 0;
  while (k + 1 < toks.size() && toks[k].end != toks[k + 1].start) ++k;
  ASSERT_LT(k + 1, toks.size()) << "no touching tokens in megvii-2";
  SnippetQuery q2;
  q2.terms = {toks[k].term, toks[k + 1].term};
  Snippet s2 = Make(&a, cjk, q2, Brackets(1000));
  EXPECT_NE(
      std::find(s2.spans.begin(), s2.spans.end(), std::make_pair(toks[k].start, toks[k + 1].end)),
      s2.spans.end());
  CheckInvariants(&a, cjk, q2, Brackets(1000), s2);
}

TEST(SnippetTest, NoMatchShowsTheBeginning) {
  Analyzer a = English();
  const std::string& text = Para("overview-1");
  ASSERT_GT(text.size(), 400u);
  SnippetQuery q;
  q.terms = {"zzzzz"};
  q.prefixes = {"qqq"};
  Snippet s = Make(&a, text, q, Brackets(100));
  EXPECT_EQ(s.window_start, 0u);
  EXPECT_GE(s.window_end, 80u);   // cut at a word boundary near 100 bytes
  EXPECT_LE(s.window_end, 120u);  // ... not far past it
  EXPECT_TRUE(s.spans.empty());
  EXPECT_EQ(s.text.substr(0, 20), text.substr(0, 20));
  EXPECT_EQ(s.text.substr(s.text.size() - 3), "...");
  CheckInvariants(&a, text, q, Brackets(100), s);

  Snippet none = Make(&a, text, SnippetQuery{}, Brackets(100));
  EXPECT_EQ(none.window_end, s.window_end);
  EXPECT_EQ(none.text, s.text);
}

TEST(SnippetTest, EmptyTextAndInvalidUtf8) {
  Analyzer a = English();
  SnippetQuery q;
  q.terms = {"parti"};
  Snippet s = Make(&a, "", q, Brackets());
  EXPECT_EQ(s.text, "");
  EXPECT_TRUE(s.spans.empty());
  EXPECT_EQ(s.window_start, 0u);
  EXPECT_EQ(s.window_end, 0u);

  Snippet blank = Make(&a, " \n\t ", q, Brackets());
  EXPECT_EQ(blank.text, "");
  EXPECT_EQ(blank.window_start, blank.window_end);

  auto bad = MakeSnippet(&a, "party \xff\xfe party", q, Brackets());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SnippetTest, ControlBytesBecomeSpacesAndCutsGetEllipses) {
  Analyzer a = English();
  std::string text = Para("overview-2");
  const size_t p = text.find("political risk");
  ASSERT_NE(p, std::string::npos);
  text[p + 9] = '\n';  // "political\nrisk"
  text.insert(p, "\t\x1b[2J ");
  SnippetQuery q;
  q.terms = {"polit", "risk"};
  SnippetOptions o;  // the default markers and ellipsis
  o.max_bytes = 60;
  Snippet s = Make(&a, text, q, o);
  EXPECT_NE(s.text.find("  [2J \x1b[1;31mpolitical\x1b[0m \x1b[1;31mrisk\x1b[0m"),
            std::string::npos)
      << s.text;
  EXPECT_EQ(s.text.substr(0, 3), "…");
  EXPECT_EQ(s.text.substr(s.text.size() - 3), "…");
  EXPECT_EQ(std::count(s.text.begin(), s.text.end(), '\x1b'), 4);  // only our markers
  CheckInvariants(&a, text, q, o, s);
}

TEST(SnippetTest, Utf8BoundariesAtEveryWindowSize) {
  Analyzer a = English();
  for (const char* id : {"megvii-2", "megvii-6", "meiya-pico-6"}) {
    const std::string& text = Para(id);
    std::vector<Token> toks = Tokens(&a, text);
    // Query a CJK word so the window is placed around multi-byte text.
    SnippetQuery q;
    for (const Token& t : toks) {
      if (static_cast<unsigned char>(text[t.start]) >= 0xE0) {
        q.terms.push_back(t.term);
        break;
      }
    }
    ASSERT_FALSE(q.terms.empty()) << id;
    for (size_t w = 1; w <= 160; ++w) {
      SCOPED_TRACE(::testing::Message() << id << " max_bytes " << w);
      for (const SnippetQuery& query : {q, SnippetQuery{}}) {
        Snippet s = Make(&a, text, query, Brackets(w));
        CheckInvariants(&a, text, query, Brackets(w), s);
        if (!query.terms.empty()) {
          EXPECT_FALSE(s.spans.empty());
        }
      }
    }
  }
}

TEST(SnippetTest, GluedPunctuationIsCutAtCodePoints) {
  Analyzer a = English();
  std::string dashes;
  for (int i = 0; i < 10; ++i) dashes += "—";  // 30 bytes, no word characters
  const std::string text = "word " + dashes + "target" + dashes + " more words";
  SnippetQuery q;
  q.terms = {"target"};
  for (size_t w : {1, 6, 10, 20, 40}) {
    Snippet s = Make(&a, text, q, Brackets(w));
    ASSERT_EQ(SpanTexts(text, s), std::vector<std::string>{"target"});
    // Some of the dashes glued to the word are shown, cut between code points.
    EXPECT_LT(s.window_start, text.find("target"));
    EXPECT_GT(s.window_end, text.find("target") + 6);
    CheckInvariants(&a, text, q, Brackets(w), s);
  }
}

TEST(SnippetTest, PhraseNeedsConsecutivePositions) {
  // With stopwords dropped, "bank of china" leaves a position gap between "bank" and "china":
  // not an occurrence of the phrase [bank, china], which "bank china" is.
  AnalyzerOptions opts;
  opts.stopwords = true;
  auto a = Analyzer::Create(opts);
  ASSERT_TRUE(a.ok()) << a.status();
  const std::string text = "the Bank of China and the bank China";
  SnippetQuery q;
  q.phrases = {{"bank", "china"}};
  Snippet s = Make(&*a, text, q, Brackets());
  EXPECT_EQ(SpanTexts(text, s), std::vector<std::string>{"bank China"});
  CheckInvariants(&*a, text, q, Brackets(), s);
}

TEST(SnippetTest, PrefersWindowWithMoreDistinctTerms) {
  Analyzer a = English();
  // "party" many times early; "party", "committee" and "secretary" only near the end.
  const std::string text = Para("overview-1") + " " + Para("overview-2") + " " + Para("megvii-1");
  SnippetQuery q;
  q.terms = {"parti", "secretari", "vice"};
  Snippet s = Make(&a, text, q, Brackets(200));
  std::set<std::string> words;
  for (const std::string& w : SpanTexts(text, s)) words.insert(w);
  EXPECT_TRUE(words.count("Vice")) << s.text;
  EXPECT_TRUE(words.count("Secretary")) << s.text;
  EXPECT_TRUE(words.count("Party")) << s.text;
  EXPECT_GT(s.window_end, Para("overview-1").size() + Para("overview-2").size() + 100);
  CheckInvariants(&a, text, q, Brackets(200), s);

  // A phrase counts as its own unit: the window with the phrase wins over the one with the
  // term alone, although the term occurs earlier.
  SnippetQuery q2;
  q2.terms = {"parti"};
  q2.phrases = {{"inaugur", "meet"}};
  Snippet s2 = Make(&a, text, q2, Brackets(120));
  std::vector<std::string> w2 = SpanTexts(text, s2);
  EXPECT_NE(std::find(w2.begin(), w2.end(), "inaugural meeting"), w2.end()) << s2.text;
}

// BestWindow against brute force on random matches.
TEST(SnippetTest, BestWindowMatchesBruteForce) {
  std::mt19937 rng(20240611);
  for (int iter = 0; iter < 2000; ++iter) {
    const uint32_t units = 1 + rng() % 5;
    const size_t m = rng() % 40;
    const uint64_t width = 1 + rng() % 60;
    std::vector<snippet_internal::Match> ms;
    for (size_t i = 0; i < m; ++i) {
      const uint32_t s = rng() % 300;
      ms.push_back(
          {s, s + 1 + static_cast<uint32_t>(rng() % 30), static_cast<uint32_t>(rng() % units)});
    }
    std::sort(ms.begin(), ms.end(), [](const auto& a, const auto& b) {
      return a.start != b.start ? a.start < b.start : a.end < b.end;
    });
    size_t want = m;
    size_t want_d = 0, want_t = 0;
    for (size_t i = 0; i < m; ++i) {
      std::set<uint32_t> d;
      size_t t = 0;
      for (const auto& x : ms) {
        if (x.start >= ms[i].start && x.end <= ms[i].start + width) {
          d.insert(x.unit);
          ++t;
        }
      }
      if (d.size() > want_d || (d.size() == want_d && t > want_t)) {
        want = i;
        want_d = d.size();
        want_t = t;
      }
    }
    ASSERT_EQ(snippet_internal::BestWindow(ms, units, width), want) << "iter " << iter;
  }
}

// Random documents of corpus words, punctuation, newlines and CJK; random queries: all the
// invariants, and the window covers as many distinct units as the best window of max_bytes.
TEST(SnippetTest, RandomDocumentsKeepInvariants) {
  Analyzer a = English();
  std::vector<Token> vocab_toks;
  std::vector<std::string> words;
  for (const char* id : {"overview-1", "megvii-1", "megvii-2", "megvii-6", "dahua-1"}) {
    const std::string& t = Para(id);
    for (const Token& tok : Tokens(&a, t))
      words.push_back(t.substr(tok.start, tok.end - tok.start));
  }
  const std::vector<std::string> seps = {" ",  " ",  " ", ", ", ". ", "\n", "\t",
                                         " (", ") ", "",  "——", " “", "” ", "++ "};
  std::mt19937 rng(7);
  for (int iter = 0; iter < 300; ++iter) {
    std::string text;
    const size_t n = rng() % 120;
    for (size_t i = 0; i < n; ++i) {
      text += words[rng() % words.size()];
      text += seps[rng() % seps.size()];
    }
    std::vector<Token> toks = Tokens(&a, text);
    SnippetQuery q;
    std::set<std::string> seen;
    auto pick = [&]() -> std::string {
      return toks.empty() ? std::string("nothing") : toks[rng() % toks.size()].term;
    };
    for (int i = rng() % 4; i > 0; --i) {
      std::string t = pick();
      if (seen.insert(t).second) q.terms.push_back(t);
    }
    if (rng() % 2 && !toks.empty()) {
      std::string p = pick().substr(0, 2);
      if (!p.empty() && seen.insert("prefix:" + p).second) q.prefixes.push_back(p);
    }
    if (rng() % 2 && toks.size() >= 3) {
      const size_t k = rng() % (toks.size() - 2);
      const size_t len = 2 + rng() % 2;
      std::vector<std::string> ph;
      for (size_t j = 0; j < len && k + j < toks.size(); ++j) ph.push_back(toks[k + j].term);
      q.phrases.push_back(ph);
    }
    SnippetOptions o = Brackets(20 + rng() % 200);
    SCOPED_TRACE(::testing::Message() << "iter " << iter << " text: " << text);
    Snippet s = Make(&a, text, q, o);
    CheckInvariants(&a, text, q, o, s);
    const auto ms = ReferenceMatches(toks, q);
    size_t best = 0;
    for (const auto& m : ms)
      best = std::max(best, DistinctInside(ms, m.start, m.start + o.max_bytes));
    EXPECT_GE(DistinctInside(ms, s.window_start, s.window_end), best);
  }
}

TEST(SnippetTest, MegabyteTextCompletes) {
  Analyzer a = English();
  std::string text;
  while (text.size() < (1u << 20)) {
    for (const auto& [id, t] : Corpus()) {
      text += t;
      text += '\n';
    }
  }
  // The only window with all six units, near the end.
  const std::string needle =
      " Zyxwv quokka marsupial wombat of the Party Committee in China company.";
  text.insert(text.size() - 5000, needle);
  SnippetQuery q;
  q.terms = {"parti", "china", "quokka", "wombat"};
  q.phrases = {{"parti", "committe"}, {"zyxwv", "quokka"}};
  q.prefixes = {"compan"};
  Snippet s = Make(&a, text, q, Brackets());
  ASSERT_LT(s.window_start, s.window_end);
  const std::string shown = text.substr(s.window_start, s.window_end - s.window_start);
  EXPECT_NE(shown.find("quokka marsupial wombat"), std::string::npos) << s.text;
  EXPECT_NE(s.text.find("[Zyxwv quokka] marsupial [wombat]"), std::string::npos) << s.text;
  EXPECT_LE(s.window_end - s.window_start, 220u + 2 * (255u + 16u));
}

}  // namespace
}  // namespace scour::engine
