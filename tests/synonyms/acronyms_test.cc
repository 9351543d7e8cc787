// Schwartz & Hearst acronym definitions, the miner's counts, and the synonyms file it writes
// (which must parse back to the pairs it found).
#include "synonyms/acronyms.h"

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace scour::synonyms {
namespace {

std::vector<std::string> Pairs(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& d : FindAcronymDefinitions(text))
    out.push_back(d.short_form + "|" + d.long_form);
  return out;
}

using V = std::vector<std::string>;

TEST(Acronyms, LongFormThenAbbreviation) {
  EXPECT_EQ(Pairs("He worked for the Ministry of State Security (MSS) until 2010."),
            V{"MSS|Ministry of State Security"});
  // The long form is the shortest tail of the candidate that matches.
  EXPECT_EQ(Pairs("the Central Committee of the Chinese Communist Party (CCP) said"),
            V{"CCP|Chinese Communist Party"});
  EXPECT_EQ(Pairs("Zhang referred to Inspur as a state-owned enterprise (SOE) twice"),
            V{"SOE|state-owned enterprise"});
  EXPECT_EQ(Pairs("CETC works with the People's Liberation Army's (PLA) units"),
            V{"PLA|People's Liberation Army's"});
  // The first letter of the short form must start a word: "Ministry of Industry and
  // Information Technology" matches M-I-I-T.
  EXPECT_EQ(Pairs("the Ministry of Industry and Information Technology (MIIT) approved"),
            V{"MIIT|Ministry of Industry and Information Technology"});
  // Several in one paragraph; the candidate stops at ", " and ". ".
  EXPECT_EQ(Pairs("In 2019, the Heat Shock Factor (HSF) and the National University of Defense "
                  "Technology (NUDT) met. Then x (y)."),
            (V{"HSF|Heat Shock Factor", "NUDT|National University of Defense Technology"}));
  EXPECT_EQ(Pairs("state-owned enterprises (SOEs) grew"), V{"SOEs|state-owned enterprises"});
  EXPECT_EQ(Pairs("Global Tone Communication Technology (GTCOM) is"),
            V{"GTCOM|Global Tone Communication Technology"});
}

TEST(Acronyms, AbbreviationThenLongForm) {
  EXPECT_EQ(Pairs("we saw an SOE (state-owned enterprise) buy it"),
            V{"SOE|state-owned enterprise"});
  EXPECT_EQ(Pairs("the WHO (World Health Organization, based in Geneva) said"),
            V{"WHO|World Health Organization"});
}

TEST(Acronyms, WhatIsNotADefinition) {
  EXPECT_TRUE(Pairs("the county town (Tengxian) is small").empty());  // one capital
  EXPECT_TRUE(Pairs("the committee (XYZ) met").empty());              // letters do not match
  EXPECT_TRUE(Pairs("Xuexi Qiangguo (‘Study to make China strong’) app").empty());
  EXPECT_TRUE(Pairs("Shenzhen (where Ping An Group is headquartered) grew").empty());
  EXPECT_TRUE(Pairs("spent (US$407 million) on").empty());
  EXPECT_TRUE(Pairs("open (ABC without close").empty());
  EXPECT_TRUE(Pairs("()").empty());
  EXPECT_TRUE(Pairs("").empty());
  EXPECT_TRUE(Pairs("A (B)").empty());  // one-character short form
  // The long form may not contain the short form as a word.
  EXPECT_TRUE(Pairs("the ABC Broadcasting Corp (ABC) said").empty());
  // Paragraphs are separate: no definition across a blank line.
  EXPECT_TRUE(Pairs("National Defense\n\n(ND) x").empty());
  EXPECT_EQ(Pairs("National\nDefense (ND) x"), V{"ND|National Defense"});
  // Invalid UTF-8 is not a letter and crashes nothing.
  EXPECT_TRUE(Pairs("\xff\xfe (\xff\xff)").empty());
}

TEST(AcronymMiner, CountsDefinitionsAndOccurrencesAndWritesAReviewableFile) {
  const std::vector<std::string> texts = {
      "The Chinese Communist Party (CCP) leads. The CCP and the CCP's cadres.",
      "A CCP committee. The Ministry of State Security (MSS) and the MSS.",
      "Chinese Communist Party members; state-owned enterprises (SOEs) and an SOE.",
      "The Chinese Communist Party of China (CCP) is a variant. The county (Tengxian).",
  };
  auto miner = AcronymMiner::Create(AnalyzerOptions{});
  ASSERT_TRUE(miner.ok());
  for (const auto& t : texts) ASSERT_TRUE((*miner)->AddDefinitions(t).ok());
  for (const auto& t : texts) ASSERT_TRUE((*miner)->CountOccurrences(t).ok());
  const std::vector<MinedAcronym> r = (*miner)->Results();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].short_form.text, "CCP");
  EXPECT_EQ(r[0].definitions, 2u);
  EXPECT_EQ(r[0].short_form.occurrences, 5u);  // ccp x5 (CCP's included)
  EXPECT_EQ(r[0].short_form.texts, 3u);
  ASSERT_EQ(r[0].long_forms.size(), 2u);
  EXPECT_EQ(r[0].long_forms[0].text, "Chinese Communist Party");
  EXPECT_EQ(r[0].long_forms[0].occurrences, 3u);  // inside the variant too
  EXPECT_EQ(r[0].long_forms[1].text, "Chinese Communist Party of China");
  EXPECT_EQ(r[1].short_form.text, "MSS");  // 1 definition, 3 occurrences of both forms
  EXPECT_EQ(r[2].short_form.text, "SOE");  // the plural counted as the singular
  EXPECT_EQ(r[2].short_form.occurrences, 2u);

  const std::string file = AcronymMiner::FormatSynonymsFile(r, "t.jsonl", texts.size());
  EXPECT_NE(file.find("# CCP: 2 definitions; \"CCP\" 5 times in 3 texts, \"Chinese Communist "
                      "Party\" 3 times in 3 texts\nCCP, Chinese Communist Party\n"),
            std::string::npos)
      << file;
  EXPECT_NE(file.find("#   also \"Chinese Communist Party of China\": 1 definition; 1 time in 1 "
                      "text\n#CCP, Chinese Communist Party of China\n"),
            std::string::npos)
      << file;
  EXPECT_NE(file.find("\nSOE, state-owned enterprises\n"), std::string::npos) << file;
  auto set = SynonymSet::Parse(file, AnalyzerOptions{}, "mined");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->get()->rules().size(), 6u);  // three pairs, both directions
}

// The home corpus: the acronyms the issue lists are all found, in the top 20.
TEST(AcronymMiner, HomeCorpus) {
  std::ifstream in(std::string(SCOUR_SOURCE_DIR) + "/corpus/party_state.jsonl");
  ASSERT_TRUE(in.good());
  std::vector<std::string> texts;
  for (std::string line; std::getline(in, line);)
    texts.push_back(nlohmann::json::parse(line)["text"].get<std::string>());
  auto miner = AcronymMiner::Create(AnalyzerOptions{});
  ASSERT_TRUE(miner.ok());
  for (const auto& t : texts) ASSERT_TRUE((*miner)->AddDefinitions(t).ok());
  for (const auto& t : texts) ASSERT_TRUE((*miner)->CountOccurrences(t).ok());
  const auto r = (*miner)->Results();
  std::vector<std::string> top;
  for (size_t i = 0; i < r.size() && i < 20; ++i)
    top.push_back(r[i].short_form.text + "=" + r[i].long_forms[0].text);
  for (const char* want :
       {"CCP=Chinese Communist Party", "PLA=People's Liberation Army",
        "MSS=Ministry of State Security", "MIIT=Ministry of Industry and Information Technology",
        "SOE=state-owned enterprise", "NUDT=National University of Defense Technology"}) {
    EXPECT_NE(std::find(top.begin(), top.end(), want), top.end()) << want;
  }
  bool gtcom = false;
  for (const auto& t : top) gtcom |= t.rfind("GTCOM=Global Tone Communication", 0) == 0;
  EXPECT_TRUE(gtcom);
  EXPECT_EQ(r[0].short_form.text, "CCP");
}

}  // namespace
}  // namespace scour::synonyms
