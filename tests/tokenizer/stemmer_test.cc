// The stem cache returns exactly what libstemmer returns, and stays bounded.
#include "tokenizer/stemmer.h"

#include <random>
#include <string>

#include "gtest/gtest.h"
#include "tests/tokenizer/test_util.h"

namespace scour::tokenizer {
namespace {

TEST(Stemmer, CacheAgreesWithLibstemmerOnTheCorpus) {
  auto cached = Stemmer::Create("english");
  ASSERT_TRUE(cached.ok());
  auto a = Analyzer::Create({.language = "none"});
  ASSERT_TRUE(a.ok());
  size_t n = 0;
  for (const std::string& t : testing::LoadCorpusTexts("corpus/collections/cisi/corpus.jsonl")) {
    ASSERT_TRUE(a->ForEachToken(t, [&](std::string_view term, auto...) {
                   // Twice: once filling the cache, once from it.
                   const std::string want = (*cached)->StemUncached(term);
                   EXPECT_EQ((*cached)->Stem(term), want);
                   EXPECT_EQ((*cached)->Stem(term), want);
                   ++n;
                 }).ok());
  }
  EXPECT_GT(n, 100000u);
  EXPECT_GT((*cached)->cache_size(), 1000u);
}

TEST(Stemmer, CacheIsBounded) {
  auto s = Stemmer::Create("english");
  ASSERT_TRUE(s.ok());
  std::mt19937 rng(3);
  for (size_t i = 0; i < 2 * kStemCacheSlots + 10; ++i) {
    std::string w;
    for (int k = 0; k < 8; ++k) w += static_cast<char>('a' + rng() % 26);
    w += i % 7 == 0 ? std::string(30, 'x') + "ing" : "ing";  // some too long for the cache
    EXPECT_EQ((*s)->Stem(w), (*s)->StemUncached(w));
  }
  EXPECT_LE((*s)->cache_size(), kStemCacheSlots);
  EXPECT_GT((*s)->cache_size(), kStemCacheSlots / 2);
}

TEST(Stemmer, NumbersBypassTheStemmer) {
  auto s = Stemmer::Create("english");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->Stem("138,966,306"), "138,966,306");
  EXPECT_EQ((*s)->cache_size(), 0u);
  EXPECT_EQ((*s)->Stem("parties"), "parti");
}

TEST(Stemmer, StemOnceAgreesWithLibstemmerAndLeavesTheCacheUnallocated) {
  auto s = Stemmer::Create("english");
  ASSERT_TRUE(s.ok());
  for (const char* w :
       {"parties", "138,966,306", "running", "s", "a", "organisations",
        "internationalisations-and-more-than-thirty-bytes", "Straße", "разработки"}) {
    EXPECT_EQ((*s)->StemOnce(w), (*s)->StemUncached(w)) << w;
  }
  EXPECT_EQ((*s)->cache_size(), 0u);
}

TEST(Stemmer, UnknownAlgorithm) {
  auto s = Stemmer::Create("englsh");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace scour::tokenizer
