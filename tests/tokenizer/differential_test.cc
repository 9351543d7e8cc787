// The ASCII fast path against ICU: identical word spans and identical tokens (ICU segmentation +
// ICU NFKC_Casefold as the reference) on the corpora and on random text with fixed seeds.
#include <random>
#include <string>
#include <vector>

#include "base/utf8.h"
#include "gtest/gtest.h"
#include "tests/tokenizer/test_util.h"
#include "tokenizer/ascii_segmenter.h"
#include "tokenizer/chain.h"
#include "tokenizer/segmenter.h"

namespace scour::tokenizer {
namespace {

bool IsAscii(const std::string& s) { return CheckUtf8(s).all_ascii; }

std::vector<WordSpan> Spans(WordSegmenter& seg, const std::string& text) {
  std::vector<WordSpan> out;
  absl::Status st = seg.Segment(
      text, IsAscii(text), [&](const WordSpan* s, size_t n) { out.insert(out.end(), s, s + n); });
  EXPECT_TRUE(st.ok()) << st;
  return out;
}

std::vector<Token> Tokens(AnalysisChain& chain, const std::string& text) {
  std::vector<Token> out;
  absl::Status st =
      chain.ForEach(text, [&](std::string_view term, uint32_t p, uint32_t s, uint32_t e) {
        out.push_back(Token{std::string(term), p, s, e});
      });
  EXPECT_TRUE(st.ok()) << st;
  return out;
}

std::string Show(const std::string& text, const std::vector<WordSpan>& spans) {
  std::string r;
  for (const WordSpan& s : spans) r += "[" + text.substr(s.start, s.end - s.start) + "]";
  return r;
}

class Differential : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fast = WordSegmenter::Create(SegmentMode::kAuto);
    auto icu = WordSegmenter::Create(SegmentMode::kIcuOnly);
    ASSERT_TRUE(fast.ok() && icu.ok());
    fast_.emplace(std::move(fast).value());
    icu_.emplace(std::move(icu).value());
    ChainOptions o;
    o.analyzer.language = "english";
    auto fc = AnalysisChain::Create(o);
    o.mode = SegmentMode::kIcuOnly;
    auto ic = AnalysisChain::Create(o);
    ASSERT_TRUE(fc.ok() && ic.ok());
    fast_chain_ = std::move(fc).value();
    icu_chain_ = std::move(ic).value();
  }

  // Returns false (after reporting) on the first difference.
  bool Compare(const std::string& text) {
    auto a = Spans(*fast_, text);
    auto b = Spans(*icu_, text);
    if (a != b) {
      size_t i = 0;
      while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
      const size_t from = i < b.size() ? b[i].start : i < a.size() ? a[i].start : 0;
      const size_t lo = from > 40 ? from - 40 : 0;
      ADD_FAILURE() << "text near byte " << from << ": " << text.substr(lo, 120) << "\nfast: "
                    << Show(text, std::vector<WordSpan>(a.begin() + i,
                                                        a.begin() + std::min(a.size(), i + 8)))
                    << "\nicu:  "
                    << Show(text, std::vector<WordSpan>(b.begin() + i,
                                                        b.begin() + std::min(b.size(), i + 8)));
      return false;
    }
    auto ta = Tokens(*fast_chain_, text);
    auto tb = Tokens(*icu_chain_, text);
    if (ta.size() != tb.size()) {
      ADD_FAILURE() << "token count differs on: " << text.substr(0, 300);
      return false;
    }
    for (size_t i = 0; i < ta.size(); ++i) {
      if (ta[i].term != tb[i].term || ta[i].position != tb[i].position) {
        ADD_FAILURE() << "term " << i << ": " << ta[i].term << " vs " << tb[i].term;
        return false;
      }
    }
    spans_ += a.size();
    return true;
  }

  void CompareCorpus(const std::string& path, bool ascii_only) {
    size_t docs = 0;
    for (const std::string& t : testing::LoadCorpusTexts(path)) {
      if (ascii_only && !IsAscii(t)) continue;
      ++docs;
      if (!Compare(t)) return;
    }
    EXPECT_GT(docs, 50u) << path;
  }

  std::optional<WordSegmenter> fast_, icu_;
  std::unique_ptr<AnalysisChain> fast_chain_, icu_chain_;
  size_t spans_ = 0;
};

const char* kCorpora[] = {"corpus/party_state.jsonl", "corpus/collections/cranfield/corpus.jsonl",
                          "corpus/collections/cisi/corpus.jsonl",
                          "corpus/collections/scifact/corpus.jsonl"};

TEST_F(Differential, AsciiDocumentsOfTheCorpora) {
  for (const char* path : kCorpora) CompareCorpus(path, /*ascii_only=*/true);
  EXPECT_GT(spans_, 1000000u);
}

// Mixed documents: the fast path runs on their ASCII stretches, ICU on the rest.
TEST_F(Differential, MixedDocumentsOfTheCorpora) {
  CompareCorpus("corpus/party_state.jsonl", /*ascii_only=*/false);
  CompareCorpus("corpus/collections/scifact/corpus.jsonl", /*ascii_only=*/false);
}

// Random strings over an alphabet weighted towards the characters UAX #29 treats specially,
// placed next to letters and digits.
std::string RandomText(std::mt19937& rng, size_t len, const std::vector<std::string>& alphabet,
                       const std::vector<int>& weights) {
  std::discrete_distribution<size_t> pick(weights.begin(), weights.end());
  std::string s;
  while (s.size() < len) s += alphabet[pick(rng)];
  return s;
}

TEST_F(Differential, RandomAscii) {
  std::mt19937 rng(20240601);
  std::vector<std::string> alphabet;
  std::vector<int> weights;
  auto add = [&](std::string chars, int w) {
    for (char c : chars) {
      alphabet.push_back(std::string(1, c));
      weights.push_back(w);
    }
  };
  add("abcXYZ", 12);
  add("0189", 10);
  add(".,;:'_", 9);
  add(" \n\r\t", 5);
  add("-$\"!?()/@#%&*+=<>[]\\^`{|}~", 1);
  alphabet.push_back(std::string(1, '\0'));
  weights.push_back(1);
  for (int c = 1; c < 32; ++c) add(std::string(1, static_cast<char>(c)), 0);
  weights.back() = 1;  // \x1f
  for (int i = 0; i < 20000; ++i) {
    if (!Compare(RandomText(rng, 1 + rng() % 40, alphabet, weights))) return;
  }
  for (int i = 0; i < 50; ++i) {
    if (!Compare(RandomText(rng, 5000 + rng() % 5000, alphabet, weights))) return;
  }
}

TEST_F(Differential, RandomMixedScripts) {
  std::mt19937 rng(7);
  std::vector<std::string> alphabet = {
      "a",  "Z",  "7",      "0",      ".",      ",",      ";",      ":",  "'",  "_",
      " ",  "\n", "-",      "$",      "é",      "’",      "‘",      "天", "眼", "系",
      "统", "カ", "タ",     "\u0301", "\u200D", "\u00A0", "\u2028", "😀",  "🇫",  "🇷",
      "א",  "\"", "\u00AD", "ß",      "ﬁ",      "٣",      "\u3000", "ー", "ก",  "ข"};
  std::vector<int> weights(alphabet.size(), 3);
  for (size_t i = 0; i < 12; ++i) weights[i] = 10;
  for (int i = 0; i < 20000; ++i) {
    if (!Compare(RandomText(rng, 1 + rng() % 60, alphabet, weights))) return;
  }
}

}  // namespace
}  // namespace scour::tokenizer

namespace scour::tokenizer {
namespace {

// The block-mask scanner against the byte-at-a-time reference, at every alignment and length.
TEST(AsciiSegmenter, BitScanMatchesScalar) {
  std::mt19937 rng(99);
  const std::string alphabet = "aZ@_09.,;:' \n-$\"\x7f\x01";
  for (int iter = 0; iter < 3000; ++iter) {
    std::string s(rng() % 300, ' ');
    const int bias = rng() % 3;  // 0: mostly letters, 1: mixed, 2: mostly separators
    for (char& c : s) {
      const size_t r = rng() % alphabet.size();
      c = bias == 0 && rng() % 4 ? 'a' : bias == 2 && rng() % 4 ? ' ' : alphabet[r];
    }
    const size_t from = s.empty() ? 0 : rng() % (s.size() + 1);
    const size_t to = from + (s.size() == from ? 0 : rng() % (s.size() - from + 1));
    std::vector<std::pair<size_t, size_t>> a, b;
    SegmentAscii(s, from, to, [&](size_t x, size_t y) { a.emplace_back(x, y); });
    SegmentAsciiScalar(s, from, to, [&](size_t x, size_t y) { b.emplace_back(x, y); });
    ASSERT_EQ(a, b) << s << " from " << from << " to " << to;
  }
}

}  // namespace
}  // namespace scour::tokenizer
