// The `.syn` body (docs/format/README.md): round trips, the exact bytes of a small set, and
// every truncation and many corruptions rejected as DataLoss without a crash.
#include "synonyms/codec.h"

#include <random>
#include <string>

#include "gtest/gtest.h"

namespace scour::synonyms {
namespace {

using std::string_literals::operator""s;

std::shared_ptr<const SynonymSet> Parse(std::string_view text, bool stopwords = false) {
  AnalyzerOptions a;
  a.stopwords = stopwords;
  auto s = SynonymSet::Parse(text, a, "home.txt");
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

void ExpectSameSet(const SynonymSet& a, const SynonymSet& b) {
  EXPECT_EQ(a.source_name(), b.source_name());
  EXPECT_EQ(a.source_text(), b.source_text());
  EXPECT_EQ(a.analyzer_options().language, b.analyzer_options().language);
  EXPECT_EQ(a.analyzer_options().stopwords, b.analyzer_options().stopwords);
  EXPECT_EQ(a.expand(), b.expand());
  ASSERT_EQ(a.rules().size(), b.rules().size());
  for (size_t i = 0; i < a.rules().size(); ++i) {
    EXPECT_EQ(a.rules()[i].input, b.rules()[i].input);
    EXPECT_EQ(a.rules()[i].keep_original, b.rules()[i].keep_original);
    EXPECT_EQ(a.rules()[i].outputs, b.rules()[i].outputs);
  }
}

TEST(SynonymsCodec, RoundTrip) {
  for (bool stopwords : {false, true}) {
    auto set = Parse(
        "# home\nCCP, Chinese Communist Party\nMSS, Ministry of State Security\nAnt Financial "
        "=> Ant Group\nnaïve, 天眼系统\n",
        stopwords);
    const std::string body = EncodeSynonymSet(*set);
    auto back = DecodeSynonymSet(body, "synonyms_1.syn");
    ASSERT_TRUE(back.ok()) << back.status();
    ExpectSameSet(*set, **back);
    EXPECT_EQ(EncodeSynonymSet(**back), body);
  }
  auto empty = Parse("# nothing\n");
  auto back = DecodeSynonymSet(EncodeSynonymSet(*empty), "x");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE((*back)->rules().empty());
}

TEST(SynonymsCodec, BytesAsDocumented) {
  AnalyzerOptions none;
  none.language = "none";
  auto set = SynonymSet::Parse("a => b c\n", none, "f");
  ASSERT_TRUE(set.ok());
  const std::string expected =
      "\x01"
      "f"s  // source name
      "\x09"
      "a => b c\n"  // source text
      "\x04"
      "none"
      "\x02"  // language, flags: expand
      "\x01"  // one rule
      "\x00"
      "\x01"
      "\x00\x01"
      "a"     // flags, input: 1 term, gap 0, "a"
      "\x01"  // one output
      "\x02"
      "\x00\x01"
      "b"
      "\x00\x01"
      "c";
  EXPECT_EQ(EncodeSynonymSet(**set), expected);
  // A gap (stopwords on: "of" dropped) is stored before its term.
  AnalyzerOptions en;
  en.stopwords = true;
  set = SynonymSet::Parse("x => state of art\n", en, "f");
  ASSERT_TRUE(set.ok());
  const std::string body = EncodeSynonymSet(**set);
  EXPECT_NE(body.find("\x02\x00\x05state\x01\x03"
                      "art"s),
            std::string::npos);
}

TEST(SynonymsCodec, EveryTruncationIsDataLoss) {
  const std::string body = EncodeSynonymSet(*Parse("CCP, Chinese Communist Party\nx => y\n"));
  for (size_t n = 0; n < body.size(); ++n) {
    auto r = DecodeSynonymSet(std::string_view(body).substr(0, n), "s.syn");
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << n;
    EXPECT_EQ(r.status().message().substr(0, 7), "s.syn: ") << n;
  }
  auto r = DecodeSynonymSet(body + "x", "s.syn");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "s.syn: corrupt synonyms file: bytes after the last rule");
}

TEST(SynonymsCodec, CorruptionNeverCrashesAndDecodesOnlyValidSets) {
  const std::string body =
      EncodeSynonymSet(*Parse("CCP, Chinese Communist Party\nPLA, People's Liberation Army\n"));
  std::mt19937 rng(7);
  size_t rejected = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    std::string bad = body;
    const int flips = 1 + trial % 3;
    for (int f = 0; f < flips; ++f) bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    auto r = DecodeSynonymSet(bad, "s.syn");
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
      ++rejected;
      continue;
    }
    // What decodes is a valid set: it encodes back to the same bytes.
    EXPECT_EQ(EncodeSynonymSet(**r), bad);
  }
  EXPECT_GT(rejected, 1000u);
}

TEST(SynonymsCodec, SpecificCorruptions) {
  const std::string body = EncodeSynonymSet(*Parse("a1, b1\n"));
  // Rules: "a1 => + b1", "b1 => + a1". The first input made "c1": unsorted.
  const size_t first = body.find(
      "\x02"
      "a1");  // its length byte
  ASSERT_NE(first, std::string::npos);
  std::string unsorted = body;
  unsorted[first + 1] = 'c';
  auto r = DecodeSynonymSet(unsorted, "s.syn");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not sorted"), std::string::npos) << r.status();
  std::string flags = body;
  flags[first - 3] = '\x04';  // the first rule's flags byte (then term count, gap, length)
  r = DecodeSynonymSet(flags, "s.syn");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "s.syn: corrupt synonyms file: rule 0: bad flags");
}

}  // namespace
}  // namespace scour::synonyms
