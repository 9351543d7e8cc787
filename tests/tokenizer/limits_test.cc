// Inputs at the limits: a 10 MB single token, a 5 MB unbroken CJK run (both must be linear; the
// tests check counts, not time), and window seams of the ICU path.
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "scour/analyzer.h"
#include "tests/tokenizer/test_util.h"
#include "tokenizer/chain.h"
#include "unicode/brkiter.h"
#include "unicode/utext.h"

namespace scour {
namespace {

constexpr size_t kTenMB = 10 * 1024 * 1024;

struct Counted {
  size_t tokens = 0;
  uint32_t next_start = 0;  // pieces of one token must tile it
  bool contiguous = true;
  uint32_t last_position = 0;
  size_t max_len = 0;
};

Counted CountTokens(Analyzer& a, const std::string& text) {
  Counted c;
  absl::Status st =
      a.ForEachToken(text, [&](std::string_view, uint32_t pos, uint32_t s, uint32_t e) {
        c.contiguous &= s == c.next_start && pos == c.tokens;
        c.next_start = e;
        c.max_len = std::max<size_t>(c.max_len, e - s);
        c.last_position = pos;
        ++c.tokens;
      });
  EXPECT_TRUE(st.ok()) << st;
  return c;
}

TEST(Limits, TenMegabyteAsciiToken) {
  auto a = Analyzer::Create({.language = "none"});
  ASSERT_TRUE(a.ok());
  const std::string text(kTenMB, 'a');
  Counted c = CountTokens(*a, text);
  EXPECT_EQ(c.tokens, (kTenMB + 254) / 255);
  EXPECT_TRUE(c.contiguous);
  EXPECT_EQ(c.next_start, kTenMB);
  EXPECT_EQ(c.max_len, 255u);
}

TEST(Limits, TenMegabyteNonAsciiTokenCutAtCodePoints) {
  auto a = Analyzer::Create();
  ASSERT_TRUE(a.ok());
  std::string text;
  text.reserve(kTenMB);
  while (text.size() < kTenMB) text += "é";  // 2 bytes: pieces of 254 bytes, 127 letters
  Counted c = CountTokens(*a, text);
  EXPECT_EQ(c.tokens, (kTenMB + 253) / 254);
  EXPECT_TRUE(c.contiguous);
  EXPECT_EQ(c.next_start, kTenMB);
  EXPECT_EQ(c.max_len, 254u);
  std::vector<Token> head;
  ASSERT_TRUE(a->Analyze(text.substr(0, 600), &head).ok());
  ASSERT_EQ(head.size(), 3u);
  std::string e127;
  for (int i = 0; i < 127; ++i) e127 += "é";
  EXPECT_EQ(head[0].term, e127);
}

// Word segments of `text` by one ICU BreakIterator over all of it (no windows, no fast path).
size_t IcuWordCount(const std::string& text) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  UText ut = UTEXT_INITIALIZER;
  utext_openUTF8(&ut, text.data(), static_cast<int64_t>(text.size()), &status);
  bi->setText(&ut, status);
  EXPECT_TRUE(U_SUCCESS(status));
  size_t n = 0;
  for (int32_t b = bi->next(); b != icu::BreakIterator::DONE; b = bi->next()) {
    n += bi->getRuleStatus() >= UBRK_WORD_NONE_LIMIT;
  }
  utext_close(&ut);
  return n;
}

TEST(Limits, FiveMegabyteCjkRun) {
  // The corpus's three Chinese names, repeated without any break to 5 MB.
  const std::string unit = "天眼系统翼支付新德汇";
  std::string text;
  while (text.size() < 5 * 1024 * 1024) text += unit;
  auto a = Analyzer::Create();
  ASSERT_TRUE(a.ok());
  Counted c = CountTokens(*a, text);
  EXPECT_TRUE(c.contiguous);  // every ideograph is in exactly one token
  EXPECT_EQ(c.next_start, text.size());
  // Windows must not change the segmentation of a run this regular.
  EXPECT_EQ(c.tokens, IcuWordCount(text));
  EXPECT_EQ(c.tokens, IcuWordCount(unit) * (text.size() / unit.size()));
}

TEST(Limits, SmallWindowsGiveTheSameTokensOnMixedText) {
  tokenizer::ChainOptions whole;
  whole.mode = tokenizer::SegmentMode::kIcuOnly;
  whole.icu_window_bytes = size_t{1} << 40;  // effectively one window
  tokenizer::ChainOptions small = whole;
  small.icu_window_bytes = 64;
  auto ref = tokenizer::AnalysisChain::Create(whole);
  auto win = tokenizer::AnalysisChain::Create(small);
  ASSERT_TRUE(ref.ok() && win.ok());
  std::string text;
  for (const std::string& t : testing::LoadCorpusTexts("corpus/party_state.jsonl")) {
    text += t;
    text += '\n';
  }
  text += std::string(3000, 'x') + " " + std::string(2000, ' ') + "tail";
  auto collect = [&](tokenizer::AnalysisChain& chain) {
    std::vector<Token> out;
    EXPECT_TRUE(chain
                    .ForEach(text,
                             [&](std::string_view term, uint32_t p, uint32_t s, uint32_t e) {
                               out.push_back(Token{std::string(term), p, s, e});
                             })
                    .ok());
    return out;
  };
  auto a = collect(**ref);
  auto b = collect(**win);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].term, b[i].term) << i;
    ASSERT_EQ(a[i].start, b[i].start) << i;
    ASSERT_EQ(a[i].end, b[i].end) << i;
  }
}

}  // namespace
}  // namespace scour
