// The Solr synonyms format (docs/SYNONYMS.md): rules, merging, escapes, analysis, and every
// error with its file:line; SynonymSet's matching and validation.
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "scour/synonyms.h"

namespace scour {
namespace {

AnalyzerOptions English(bool stopwords = false) {
  AnalyzerOptions o;
  o.stopwords = stopwords;
  return o;
}

std::shared_ptr<const SynonymSet> MustParse(std::string_view text, AnalyzerOptions a = English(),
                                            SynonymParseOptions o = {}) {
  auto s = SynonymSet::Parse(text, a, "syn.txt", o);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : nullptr;
}

// "input => out1 | out2" with "+" before the outputs when the original is kept.
std::vector<std::string> Show(const SynonymSet& set) {
  std::vector<std::string> out;
  for (const SynonymRule& r : set.rules()) {
    std::string line = SynonymEntryText(r.input) + " =>" + (r.keep_original ? " +" : "");
    for (size_t i = 0; i < r.outputs.size(); ++i)
      line += (i ? " | " : " ") + SynonymEntryText(r.outputs[i]);
    out.push_back(line);
  }
  return out;
}

std::string ParseError(std::string_view text, AnalyzerOptions a = English()) {
  auto s = SynonymSet::Parse(text, a, "syn.txt");
  EXPECT_FALSE(s.ok()) << text;
  if (s.ok()) return "";
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(s.status().message());
}

TEST(SolrSynonyms, EquivalenceMapsEveryEntryToEveryOtherAndKeepsTheOriginal) {
  auto set = MustParse("CCP, Chinese Communist Party, cpc\n");
  EXPECT_EQ(Show(*set), (std::vector<std::string>{
                            "ccp => + chines communist parti | cpc",
                            "chines communist parti => + ccp | cpc",
                            "cpc => + ccp | chines communist parti",
                        }));
  EXPECT_EQ(set->source_name(), "syn.txt");
  EXPECT_EQ(set->source_text(), "CCP, Chinese Communist Party, cpc\n");
  EXPECT_TRUE(set->expand());
  EXPECT_EQ(set->max_input_terms(), 3u);
}

TEST(SolrSynonyms, ExplicitMappingReplacesTheOriginal) {
  auto set = MustParse("Ant Financial, Alipay => Ant Group\nfoo => foo, bar\n");
  EXPECT_EQ(Show(*set), (std::vector<std::string>{
                            "alipay => ant group", "ant financi => ant group",
                            "foo => + bar",  // an output equal to the input keeps it
                        }));
}

TEST(SolrSynonyms, WithoutExpandEquivalencesMapToTheFirstEntry) {
  auto set = MustParse("a1, b2, c3\n", English(), SynonymParseOptions{.expand = false});
  EXPECT_EQ(Show(*set), (std::vector<std::string>{"b2 => a1", "c3 => a1"}));
  EXPECT_FALSE(set->expand());
}

TEST(SolrSynonyms, LinesForTheSameInputMerge) {
  auto set = MustParse("tv => television\ntv, telly\ntv => television, box\n");
  EXPECT_EQ(Show(*set), (std::vector<std::string>{
                            "telli => + tv",
                            "tv => + televis | telli | box",
                        }));
}

TEST(SolrSynonyms, CommentsBlankLinesLineEndsAndByteOrderMark) {
  auto set = MustParse(
      "\xEF\xBB\xBF# a comment, with => arrows\n\n   \t\n  # indented comment\r\nx1, y1\r\n"
      "x2, y2");  // no final newline
  EXPECT_EQ(Show(*set),
            (std::vector<std::string>{"x1 => + y1", "x2 => + y2", "y1 => + x1", "y2 => + x2"}));
}

TEST(SolrSynonyms, EscapesAndEmptyEntries) {
  // "\," keeps the comma inside the entry (the analyser then splits it), "\=>" is no mapping.
  auto set = MustParse("big\\, apple, nyc, ,\nq \\=> r, s\n");
  EXPECT_EQ(Show(*set), (std::vector<std::string>{
                            "big appl => + nyc",
                            "nyc => + big appl",
                            "q r => + s",
                            "s => + q r",
                        }));
  EXPECT_TRUE(MustParse("alone\n")->rules().empty());  // one entry, no mapping: nothing
  EXPECT_TRUE(MustParse("Party, party, PARTY\n")->rules().empty());  // one analysed entry
  EXPECT_TRUE(MustParse(", ,\n")->rules().empty());
}

TEST(SolrSynonyms, StopwordsLeaveGapsThatAreKept) {
  auto set = MustParse("MSS, Ministry of State Security\n", English(/*stopwords=*/true));
  ASSERT_EQ(set->rules().size(), 2u);
  const SynonymEntry& in = set->rules()[0].input;  // ministri ? state secur
  ASSERT_EQ(in.size(), 3u);
  EXPECT_EQ(in[1].term, "state");
  EXPECT_EQ(in[1].position, 2u);
  EXPECT_EQ(SynonymEntryText(in), "ministri ? state secur");
  // A leading stopword is no gap.
  auto the = MustParse("the party, cp\n", English(true));
  EXPECT_EQ(Show(*the), (std::vector<std::string>{"cp => + parti", "parti => + cp"}));
}

TEST(SolrSynonyms, ErrorsNameTheFileAndLine) {
  EXPECT_EQ(ParseError("a, b\nx => y => z\n"), "syn.txt:2: more than one \"=>\" on the line");
  EXPECT_EQ(ParseError("=> b\n"), "syn.txt:1: nothing before \"=>\"");
  EXPECT_EQ(ParseError("# c\na, b =>  , \n"), "syn.txt:2: nothing after \"=>\"");
  EXPECT_EQ(ParseError("a, b\\\n"), "syn.txt:1: a lone \"\\\" ends the line (write \"\\\\\")");
  EXPECT_TRUE(MustParse("a\\\\, b\n") != nullptr);  // an escaped backslash is fine
  EXPECT_EQ(ParseError("ok, fine\n\nx, ?!\n"), "syn.txt:3: entry \"?!\" analyses to no term");
  EXPECT_EQ(ParseError("cat, the\n", English(true)),
            "syn.txt:1: entry \"the\" analyses to no term (stopwords are on)");
  EXPECT_EQ(ParseError("a, b\nc, d\xff\n"),
            "syn.txt:2: invalid UTF-8 at byte offset 9 of the file");
  EXPECT_EQ(ParseError(std::string("a, b\0c\n", 7)), "syn.txt:1: NUL byte");
  std::string long_entry = "x, ";
  for (int i = 0; i < 65; ++i) long_entry += "w" + std::to_string(i) + " ";
  EXPECT_EQ(ParseError(long_entry + "\n").rfind("syn.txt:1: entry \"w0 w1 w2 ", 0), 0u);
  EXPECT_NE(ParseError(long_entry + "\n").find("has 65 terms (at most 64)"), std::string::npos);
  auto bad_language = SynonymSet::Parse("a, b", AnalyzerOptions{.language = "klingon"});
  EXPECT_FALSE(bad_language.ok());
}

TEST(SolrSynonyms, ReadFile) {
  const std::string path = ::testing::TempDir() + "/scour_syn_read.txt";
  {
    std::ofstream f(path, std::ios::binary);
    f << "ccp, cpc\nbad => \n";
  }
  auto s = SynonymSet::ReadFile(path, English());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), path + ":2: nothing after \"=>\"");
  {
    std::ofstream f(path, std::ios::binary);
    f << "ccp, cpc\n";
  }
  s = SynonymSet::ReadFile(path, English());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ((*s)->source_name(), path);
  EXPECT_EQ((*s)->rules().size(), 2u);
  EXPECT_EQ(SynonymSet::ReadFile(path + ".missing", English()).status().code(),
            absl::StatusCode::kNotFound);
}

const SynonymRule* Match(const SynonymSet& set, std::vector<std::string_view> terms,
                         std::vector<uint32_t> positions = {}) {
  if (positions.empty())
    for (uint32_t i = 0; i < terms.size(); ++i) positions.push_back(i + 7);
  return set.LongestMatch(terms, positions);
}

TEST(SynonymSet, LongestMatchPrefersTheLongestInput) {
  auto set = MustParse("new york, ny\nnew york city, nyc\nnew, fresh\n", AnalyzerOptions{"none"});
  const SynonymRule* r = Match(*set, {"new", "york", "city", "hall"});
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(SynonymEntryText(r->input), "new york city");
  r = Match(*set, {"new", "york", "state"});
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(SynonymEntryText(r->input), "new york");
  r = Match(*set, {"new", "jersey"});
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(SynonymEntryText(r->input), "new");
  EXPECT_EQ(Match(*set, {"york", "new"}), nullptr);
  EXPECT_EQ(Match(*set, {}), nullptr);
  // The positions must be consecutive as the input's are.
  r = Match(*set, {"new", "york"}, {3, 5});
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(SynonymEntryText(r->input), "new");
}

TEST(SynonymSet, GapsMustMatchToo) {
  auto set = MustParse("MSS, Ministry of State Security\n", English(true));
  const SynonymRule* r = Match(*set, {"ministri", "state", "secur"}, {10, 12, 13});
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(SynonymEntryText(r->outputs[0]), "mss");
  EXPECT_EQ(Match(*set, {"ministri", "state", "secur"}, {10, 11, 12}), nullptr);
}

TEST(SynonymSet, FromRulesChecksWhatItIsGiven) {
  auto entry = [](std::vector<std::string> terms) {
    SynonymEntry e;
    for (uint32_t i = 0; i < terms.size(); ++i) e.push_back({terms[i], i});
    return e;
  };
  auto make = [&](std::vector<SynonymRule> rules) {
    return SynonymSet::FromRules(std::move(rules), "n", "t", English(), true).status();
  };
  EXPECT_TRUE(
      make({{entry({"a"}), false, {entry({"b"})}}, {entry({"b"}), true, {entry({"a"})}}}).ok());
  EXPECT_FALSE(make({{entry({"b"}), false, {entry({"a"})}}, {entry({"a"}), true, {entry({"b"})}}})
                   .ok());  // unsorted
  EXPECT_FALSE(make({{entry({"a"}), false, {entry({"b"})}}, {entry({"a"}), true, {entry({"c"})}}})
                   .ok());                                           // repeated input
  EXPECT_FALSE(make({{entry({"a"}), false, {}}}).ok());              // no output
  EXPECT_FALSE(make({{entry({"a"}), false, {entry({"a"})}}}).ok());  // output = input
  EXPECT_FALSE(make({{entry({"a"}), false, {entry({"b"}), entry({"b"})}}}).ok());
  EXPECT_FALSE(make({{entry({""}), false, {entry({"b"})}}}).ok());
  EXPECT_FALSE(make({{entry({"\xff"}), false, {entry({"b"})}}}).ok());
  SynonymEntry unordered = entry({"x", "y"});
  unordered[1].position = 0;
  EXPECT_FALSE(make({{unordered, false, {entry({"b"})}}}).ok());
  SynonymEntry offset = entry({"x"});
  offset[0].position = 1;
  EXPECT_FALSE(make({{offset, false, {entry({"b"})}}}).ok());
}

}  // namespace
}  // namespace scour
