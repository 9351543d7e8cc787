// The rules of the analysis chain (docs/ANALYSIS.md), each on sentences of the home corpus.
#include "scour/analyzer.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libstemmer.h"
#include "tests/tokenizer/test_util.h"
#include "tokenizer/chain.h"
#include "tokenizer/stemmer.h"

namespace scour {
namespace {

using ::scour::testing::AnalyzeOrDie;
using ::scour::testing::HomeCorpusSentence;
using ::scour::testing::NoStem;
using ::scour::testing::Terms;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Every token's offsets select its own (un-normalised) word of the input, positions count up.
void ExpectWellFormed(std::string_view text, const std::vector<Token>& tokens,
                      uint32_t first_position = 0) {
  uint32_t prev_end = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    EXPECT_EQ(t.position, first_position + i);
    EXPECT_LT(t.start, t.end);
    EXPECT_LE(t.end, text.size());
    EXPECT_GE(t.start, prev_end);
    prev_end = t.end;
  }
}

TEST(Analyzer, EmptyInputGivesNoTokens) {
  auto a = Analyzer::Create();
  ASSERT_TRUE(a.ok());
  std::vector<Token> out;
  ASSERT_TRUE(a->Analyze("", &out).ok());
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(a->Analyze(" -- ,. ‘’ “” —", &out).ok());  // punctuation and spaces only
  EXPECT_TRUE(out.empty());
}

// Found by fuzz/analyzer_fuzzer: Porter stems "s" to the empty string.
TEST(Analyzer, AWordStemmedToNothingKeepsItsUnstemmedForm) {
  auto a = Analyzer::Create({.language = "porter"});
  ASSERT_TRUE(a.ok());
  std::vector<Token> out;
  ASSERT_TRUE(a->Analyze("s it's s's", &out).ok());
  EXPECT_EQ(Terms(out), (std::vector<std::string>{"s", "it", "s"}));
  for (const Token& t : out) EXPECT_FALSE(t.term.empty());
}

TEST(Analyzer, KeepsWordsDropsPunctuationWithOffsets) {
  const std::string s = HomeCorpusSentence("Megvii's Face++ is built into its 'SkyEye'");
  auto tokens = AnalyzeOrDie(s, NoStem());
  EXPECT_THAT(Terms(tokens), ElementsAre("megvii", "face", "is", "built", "into", "its", "skyeye"));
  ExpectWellFormed(s, tokens);
  // Offsets are in the original text and cover the word as written (possessive included).
  EXPECT_EQ(s.substr(tokens[0].start, tokens[0].end - tokens[0].start), "Megvii's");
  EXPECT_EQ(s.substr(tokens[1].start, tokens[1].end - tokens[1].start), "Face");
  EXPECT_EQ(s.substr(tokens[6].start, tokens[6].end - tokens[6].start), "SkyEye");
}

TEST(Analyzer, NfkcCasefold) {
  const std::string s = HomeCorpusSentence("The first ASPI ICPC report");
  EXPECT_THAT(Terms(AnalyzeOrDie(s, NoStem())),
              ElementsAre("the", "first", "aspi", "icpc", "report"));
  // Compatibility forms and full case folding (not just lower-casing).
  EXPECT_THAT(Terms(AnalyzeOrDie("ＡＳＰＩ Straße ﬁle ΣΊΣΥΦΟΣ", NoStem())),
              ElementsAre("aspi", "strasse", "file", "σίσυφοσ"));
}

TEST(Analyzer, PossessivesStraightAndCurly) {
  const std::string curly = HomeCorpusSentence("was part of Xi Jinping’s entourage");
  const std::string straight = HomeCorpusSentence("was part of Xi Jinping's entourage");
  for (const std::string& s : {curly, straight}) {
    auto tokens = AnalyzeOrDie(s, NoStem());
    EXPECT_THAT(Terms(tokens), ElementsAre("was", "part", "of", "xi", "jinping", "entourage")) << s;
    ExpectWellFormed(s, tokens);
    EXPECT_EQ(tokens[4].end, s.find(" entourage"));  // the offsets keep the 's
  }
  // Both spellings give the same stemmed terms too.
  EXPECT_EQ(Terms(AnalyzeOrDie(curly, {})), Terms(AnalyzeOrDie(straight, {})));
  EXPECT_THAT(Terms(AnalyzeOrDie(HomeCorpusSentence("participated in the Party-state's censorship"),
                                 NoStem())),
              ElementsAre("participated", "in", "the", "party", "state", "censorship"));
  // Upper case, and an apostrophe inside a word is folded but kept.
  EXPECT_THAT(Terms(AnalyzeOrDie("JINPING'S don’t", NoStem())), ElementsAre("jinping", "don't"));
  // Only after a letter: "1's" is two words by UAX #29, and a lone "'s" is not stripped to "".
  EXPECT_THAT(Terms(AnalyzeOrDie("1's 's", NoStem())), ElementsAre("1", "s", "s"));
}

TEST(Analyzer, HyphenatedWordsSplitAtConsecutivePositions) {
  const std::string s = HomeCorpusSentence("the party-state is refining its capacity");
  auto tokens = AnalyzeOrDie(s, NoStem());
  EXPECT_THAT(Terms(tokens),
              ElementsAre("the", "party", "state", "is", "refining", "its", "capacity"));
  ExpectWellFormed(s, tokens);
  EXPECT_EQ(tokens[1].end + 1, tokens[2].start);
}

TEST(Analyzer, NumbersWithSeparators) {
  EXPECT_THAT(Terms(AnalyzeOrDie(HomeCorpusSentence("more than 7,000 party members"), NoStem())),
              ElementsAre("more", "than", "7,000", "party", "members"));
  EXPECT_THAT(Terms(AnalyzeOrDie(HomeCorpusSentence("went on to raise US$1.8 billion"), NoStem())),
              ElementsAre("went", "on", "to", "raise", "us", "1.8", "billion"));
  EXPECT_THAT(
      Terms(AnalyzeOrDie(HomeCorpusSentence("a ¥1.36 billion (US$214.85 million) deal"), NoStem())),
      ElementsAre("a", "1.36", "billion", "us", "214.85", "million", "deal"));
  const std::string yen = "¥138,966,306";
  HomeCorpusSentence(yen);
  auto tokens = AnalyzeOrDie(yen, NoStem());
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].term, "138,966,306");
  EXPECT_EQ(tokens[0].start, 2u);  // after the two bytes of '¥'
  // A separator joins digits only when digits follow it.
  EXPECT_THAT(Terms(AnalyzeOrDie("7,000. 1.a 3.14.15 1'000", NoStem())),
              ElementsAre("7,000", "1", "a", "3.14.15", "1'000"));
  // Numbers are not stemmed.
  EXPECT_THAT(Terms(AnalyzeOrDie("7,000 1.8", {})), ElementsAre("7,000", "1.8"));
}

TEST(Analyzer, ChineseDictionarySegmentation) {
  // ICU's CJK dictionary: 天眼 (sky eye) 系统 (system); 翼 支付 (pay); 新 德 汇 (a name, not in
  // the dictionary, so one ideograph per token).
  struct Case {
    std::string text;
    std::vector<std::string> terms;
  } cases[] = {
      {HomeCorpusSentence("'SkyEye' (天眼系统) product"), {"skyeye", "天眼", "系统", "product"}},
      {HomeCorpusSentence("Best Pay (翼支付)"), {"best", "pay", "翼", "支付"}},
      {HomeCorpusSentence("Xindexi (新德汇)"), {"xindexi", "新", "德", "汇"}},
  };
  for (const Case& c : cases) {
    auto tokens = AnalyzeOrDie(c.text, NoStem());
    EXPECT_EQ(Terms(tokens), c.terms) << c.text;
    ExpectWellFormed(c.text, tokens);
    for (const Token& t : tokens) {  // CJK terms are the text itself
      if (static_cast<unsigned char>(t.term[0]) >= 0x80) {
        EXPECT_EQ(c.text.substr(t.start, t.end - t.start), t.term);
      }
    }
    // The stemmer leaves ideographs alone.
    EXPECT_EQ(Terms(AnalyzeOrDie(c.text, {})).back(), c.terms.back());
  }
}

TEST(Analyzer, StemsWithLibstemmerEnglishByDefault) {
  EXPECT_EQ(Analyzer::Create().value().options().language, "english");
  const auto texts = testing::LoadCorpusTexts("corpus/party_state.jsonl");
  auto stemmer = tokenizer::Stemmer::Create("english");
  ASSERT_TRUE(stemmer.ok());
  size_t n = 0;
  for (const std::string& t : texts) {
    auto plain = AnalyzeOrDie(t, NoStem());
    auto stemmed = AnalyzeOrDie(t, {});
    ASSERT_EQ(plain.size(), stemmed.size());
    for (size_t i = 0; i < plain.size(); ++i) {
      EXPECT_EQ(stemmed[i].term, (*stemmer)->StemUncached(plain[i].term));
      EXPECT_EQ(stemmed[i].start, plain[i].start);
      EXPECT_EQ(stemmed[i].position, plain[i].position);
      ++n;
    }
  }
  EXPECT_GT(n, 7000u);
  // The dev queries' stemming pairs.
  EXPECT_THAT(Terms(AnalyzeOrDie("subsidy subsidies censored censors", {})),
              ElementsAre("subsidi", "subsidi", "censor", "censor"));
}

TEST(Analyzer, OtherLanguagesByLibstemmerName) {
  for (const char* lang : {"german", "porter", "russian"}) {
    AnalyzerOptions o;
    o.language = lang;
    sb_stemmer* ref = sb_stemmer_new(lang, "UTF_8");
    ASSERT_NE(ref, nullptr);
    auto plain = AnalyzeOrDie("Die Häuser der Städte разработки organisations", NoStem());
    auto stemmed = AnalyzeOrDie("Die Häuser der Städte разработки organisations", o);
    ASSERT_EQ(plain.size(), stemmed.size());
    for (size_t i = 0; i < plain.size(); ++i) {
      const sb_symbol* s = sb_stemmer_stem(
          ref, reinterpret_cast<const sb_symbol*>(plain[i].term.data()), plain[i].term.size());
      EXPECT_EQ(stemmed[i].term,
                std::string(reinterpret_cast<const char*>(s), sb_stemmer_length(ref)));
    }
    sb_stemmer_delete(ref);
  }
  EXPECT_EQ(Terms(AnalyzeOrDie("Häuser", {.language = "german"}))[0], "haus");
}

// The index builder takes words unstemmed and stems each distinct one once: the result must be
// Analyze's, token for token, whatever the options (Porter stems "s" to nothing).
TEST(Analyzer, UnstemmedRunThenStemTermEqualsAnalyze) {
  std::vector<std::string> texts = testing::LoadCorpusTexts("corpus/party_state.jsonl");
  texts.push_back("The s’s Jinping’s PARTIES s 's ΣΊΣΥΦΟΣ Straße 7,000 " + std::string(300, 'x'));
  for (const AnalyzerOptions& options :
       {AnalyzerOptions{}, AnalyzerOptions{.language = "porter", .stopwords = true},
        AnalyzerOptions{.language = "none"}, AnalyzerOptions{.language = "german"}}) {
    auto a = Analyzer::Create(options);
    ASSERT_TRUE(a.ok());
    tokenizer::AnalysisChain* chain = tokenizer::ChainOf(*a);
    for (const std::string& t : texts) {
      std::vector<Token> want;
      ASSERT_TRUE(a->Analyze(t, &want, 5).ok());
      std::vector<Token> got;
      auto sink = [](void* ctx, std::string_view word, uint32_t pos, uint32_t start, uint32_t end) {
        auto* c = static_cast<std::pair<tokenizer::AnalysisChain*, std::vector<Token>*>*>(ctx);
        c->second->push_back(Token{std::string(c->first->StemTerm(word)), pos, start, end});
      };
      std::pair<tokenizer::AnalysisChain*, std::vector<Token>*> ctx{chain, &got};
      ASSERT_TRUE(chain->RunUnstemmed(t, sink, &ctx, 5).ok());
      ASSERT_EQ(got.size(), want.size()) << options.language;
      for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].term, want[i].term) << options.language;
        EXPECT_EQ(got[i].position, want[i].position);
        EXPECT_EQ(got[i].start, want[i].start);
        EXPECT_EQ(got[i].end, want[i].end);
      }
    }
  }
}

TEST(Analyzer, LanguagesAndUnknownLanguage) {
  std::vector<std::string> langs = Analyzer::Languages();
  EXPECT_EQ(langs[0], "none");
  size_t listed = 0;
  for (const char** p = sb_stemmer_list(); *p; ++p, ++listed) {
    EXPECT_NE(std::find(langs.begin(), langs.end(), *p), langs.end()) << *p;
  }
  EXPECT_EQ(langs.size(), listed + 1);
  for (const char* bad : {"klingon", "English", "en", ""}) {
    auto a = Analyzer::Create({.language = bad});
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(a.status().message()), HasSubstr("english"));
    EXPECT_THAT(std::string(a.status().message()), HasSubstr("none"));
  }
}

TEST(Analyzer, StopwordsOptionalAndKeepPositions) {
  const std::string s = HomeCorpusSentence("the party-state is refining its capacity");
  EXPECT_EQ(AnalyzeOrDie(s, NoStem()).size(), 7u);  // off by default
  auto tokens = AnalyzeOrDie(s, {.language = "none", .stopwords = true});
  EXPECT_THAT(Terms(tokens), ElementsAre("party", "state", "refining", "its", "capacity"));
  std::vector<uint32_t> positions;
  for (const Token& t : tokens) positions.push_back(t.position);
  EXPECT_THAT(positions, ElementsAre(1, 2, 4, 5, 6));
  // Matched after normalisation and possessive stripping, before stemming.
  EXPECT_TRUE(AnalyzeOrDie("THE That’s", {.stopwords = true}).empty());
  auto german = Analyzer::Create({.language = "german", .stopwords = true});
  EXPECT_EQ(german.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Analyzer, InvalidUtf8NamesOffsetAndLeavesOutputAlone) {
  struct Case {
    std::string text;
    size_t offset;
  } cases[] = {
      {"abc\xff", 3},
      {"Xi Jinping’s \xc3", 15},                // truncated sequence at the end
      {"ok \xc0\xaf", 3},                       // overlong '/'
      {"\xed\xa0\x80 surrogate", 0},            // UTF-16 surrogate
      {"big \xf4\x90\x80\x80", 4},              // above U+10FFFF
      {"天眼\xe7\xb3 系统", 6},                 // cut inside a 3-byte sequence
      {std::string(1000, 'a') + "\x80", 1000},  // continuation byte after a long ASCII run
  };
  auto a = Analyzer::Create();
  ASSERT_TRUE(a.ok());
  for (const Case& c : cases) {
    std::vector<Token> out = {Token{"keep", 7, 1, 2}};
    absl::Status st = a->Analyze(c.text, &out);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(st.message()), HasSubstr("byte offset " + std::to_string(c.offset)));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].term, "keep");
    int calls = 0;
    EXPECT_FALSE(a->ForEachToken(c.text, [&](auto&&...) { ++calls; }).ok());
    EXPECT_EQ(calls, 0);
  }
}

TEST(Analyzer, FirstPositionAndAppend) {
  auto a = Analyzer::Create({.language = "none"});
  ASSERT_TRUE(a.ok());
  std::vector<Token> out;
  ASSERT_TRUE(a->Analyze("Ant Group", &out).ok());
  ASSERT_TRUE(a->Analyze("Alibaba’s", &out, 2).ok());
  EXPECT_THAT(Terms(out), ElementsAre("ant", "group", "alibaba"));
  EXPECT_EQ(out[2].position, 2u);
  EXPECT_EQ(out[2].start, 0u);
  EXPECT_EQ(out[2].end, 11u);
}

TEST(Analyzer, ForEachTokenMatchesAnalyze) {
  auto a = Analyzer::Create();
  ASSERT_TRUE(a.ok());
  for (const std::string& t : testing::LoadCorpusTexts("corpus/party_state.jsonl")) {
    std::vector<Token> viaAnalyze, viaSink;
    ASSERT_TRUE(a->Analyze(t, &viaAnalyze).ok());
    ASSERT_TRUE(a->ForEachToken(t, [&](std::string_view term, uint32_t p, uint32_t s, uint32_t e) {
                   viaSink.push_back(Token{std::string(term), p, s, e});
                 }).ok());
    ASSERT_EQ(viaAnalyze.size(), viaSink.size());
    for (size_t i = 0; i < viaSink.size(); ++i) {
      EXPECT_EQ(viaAnalyze[i].term, viaSink[i].term);
      EXPECT_EQ(viaAnalyze[i].start, viaSink[i].start);
    }
    ExpectWellFormed(t, viaAnalyze);
  }
}

}  // namespace
}  // namespace scour
