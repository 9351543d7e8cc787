#include "ingest/paragraphs.h"

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace scour::ingest {
namespace {

std::vector<std::string> Split(std::string_view text, std::vector<uint64_t>* lines = nullptr) {
  std::vector<std::string> out;
  ParagraphCursor cur;
  std::string p;
  uint64_t line = 0;
  while (NextParagraph(text, &cur, &p, &line)) {
    out.push_back(p);
    if (lines != nullptr) lines->push_back(line);
  }
  return out;
}

using V = std::vector<std::string>;

TEST(Paragraphs, BlankLinesSeparate) {
  std::vector<uint64_t> lines;
  EXPECT_EQ(Split("one\ntwo  words\n\n \t\nthree\r\n\r\nfour", &lines),
            (V{"one two words", "three", "four"}));
  EXPECT_EQ(lines, (std::vector<uint64_t>{1, 5, 7}));
  EXPECT_EQ(Split(""), V{});
  EXPECT_EQ(Split("\n\n  \n"), V{});
}

TEST(Paragraphs, BlockTagsSeparateInlineTagsVanish) {
  EXPECT_EQ(Split("<p>a <i>b</i>c</p> <p>d<br>e<BR/>f</p><P class=\"x\">g</P>"),
            (V{"a bc", "d e f", "g"}));
  EXPECT_EQ(Split("x<div>y</div>z<li>w"), (V{"x", "y", "z", "w"}));
  EXPECT_EQ(Split("<h1>Title</h1>\n<ul style=\"a\">\n<li>one</li><li>two</li></ul>"),
            (V{"Title", "one", "two"}));
  EXPECT_EQ(Split("a<!-- <p> hidden -->b <script>var x = '<p>';</script>c"), (V{"ab c"}));
  EXPECT_EQ(Split("<!DOCTYPE html><p>only</p>"), (V{"only"}));
}

TEST(Paragraphs, LiteralAnglesAndAmpersandsStay) {
  EXPECT_EQ(Split("a < b & c <3 &unknown; &#;"), (V{"a < b & c <3 &unknown; &#;"}));
  EXPECT_EQ(Split("unterminated <tag"), (V{"unterminated <tag"}));
}

TEST(Paragraphs, EntitiesDecoded) {
  EXPECT_EQ(Split("&amp;&lt;&gt;&quot;&#39;&apos;x&nbsp;&nbsp;y&#233;&#xE9;&#X1F600;&#0;"),
            (V{"&<>\"''x y\xC3\xA9\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBD"}));
  EXPECT_EQ(Split("&lt;p&gt; stays text"), (V{"<p> stays text"}));
}

TEST(Paragraphs, UnterminatedMarkupIsLinear) {
  // Quadratic rescans would take minutes on these 2 MB inputs.
  for (const char* unit : {"<a", "<!--", "<script>", "x</"}) {
    std::string text;
    while (text.size() < (2u << 20)) text += unit;
    const V paras = Split(text);
    ASSERT_LE(paras.size(), 1u);
  }
  std::string t;
  for (int i = 0; i < 100000; ++i) t += "<!--";
  EXPECT_EQ(Split(t + "-->x"), (V{"x"}));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Independent count with regular expressions: blocks between blank lines, cut at block tags,
// tags removed, whitespace trimmed, empty pieces dropped.
size_t RegexParagraphCount(const std::string& text) {
  const std::regex blank("\n[ \t\r]*\n");
  const std::regex block("</?(p|ul|li|div)\\b[^>]*>", std::regex::icase);
  const std::regex tag("<[^>]*>");
  size_t count = 0;
  for (std::sregex_token_iterator b(text.begin(), text.end(), blank, -1), e; b != e; ++b) {
    const std::string chunk = *b;
    for (std::sregex_token_iterator p(chunk.begin(), chunk.end(), block, -1), pe; p != pe; ++p) {
      const std::string stripped = std::regex_replace(std::string(*p), tag, "");
      if (stripped.find_first_not_of(" \t\r\n") != std::string::npos) ++count;
    }
  }
  return count;
}

TEST(Paragraphs, ReportExtract) {
  const std::string text =
      ReadFile(std::string(SCOUR_SOURCE_DIR) + "/corpus/source/report-extract.txt");
  ASSERT_EQ(text.size(), 52486u);
  const V paras = Split(text);
  EXPECT_EQ(paras.size(), RegexParagraphCount(text));
  // The clean corpus also undid Markdown and list bullets (corpus/README.md, "Cleaning"); undo
  // them here too before looking for its sentences.
  V plain;
  for (const std::string& p : paras) {
    std::string q = std::regex_replace(p, std::regex("\\[([^\\]]*)\\]\\(#\\)"), "$1");
    q = std::regex_replace(q, std::regex("\\*([^*]+)\\*"), "$1");
    q = std::regex_replace(q, std::regex("\\\\+\\$"), "$$");
    q = std::regex_replace(q, std::regex("\\\\([()])"), "$1");
    q = std::regex_replace(q, std::regex("^(- |\xE2\x80\xA2 )"), "");  // list bullets
    plain.push_back(q);
  }
  EXPECT_GT(paras.size(), 100u);
  const std::regex tag("<[A-Za-z/!][^>]*>");
  for (const std::string& p : paras) {
    EXPECT_FALSE(std::regex_search(p, tag)) << p;
    EXPECT_EQ(p.find("  "), std::string::npos) << p;
    EXPECT_EQ(p.find_first_of("\t\n"), std::string::npos) << p;
    EXPECT_FALSE(p.empty());
  }
  // Sentences of the cleaned corpus occur in the split.
  std::ifstream in(std::string(SCOUR_SOURCE_DIR) + "/corpus/party_state.jsonl");
  std::string line;
  size_t checked = 0, found = 0;
  while (std::getline(in, line)) {
    const std::string body = nlohmann::json::parse(line).at("text").get<std::string>();
    size_t start = 0;
    while (start < body.size()) {
      size_t end = body.find(". ", start);
      end = end == std::string::npos ? body.size() : end + 1;
      const std::string sentence = body.substr(start, end - start);
      start = end + 1;
      if (sentence.size() < 40) continue;
      ++checked;
      bool hit = false;
      for (const std::string& p : plain) hit |= p.find(sentence) != std::string::npos;
      found += hit;
      if (!hit) {
        // Allowed only for a sentence a page break cut in two (the clean corpus rejoined those):
        // some paragraph must end with its head and another start with the rest.
        bool cut = false;
        for (size_t k = sentence.find(' '); k != std::string::npos && !cut;
             k = sentence.find(' ', k + 1)) {
          const std::string head = sentence.substr(0, k), tail = sentence.substr(k + 1);
          bool ends = false, starts = false;
          for (const std::string& p : plain) {
            ends |= p.size() >= head.size() &&
                    p.compare(p.size() - head.size(), head.size(), head) == 0;
            starts |= p.rfind(tail, 0) == 0;
          }
          cut = ends && starts;
        }
        EXPECT_TRUE(cut) << sentence;
      }
    }
  }
  EXPECT_GT(checked, 200u);
  EXPECT_GE(found * 100, checked * 95);
  const char* kKnown[] = {
      "Frank Wang, the founder of DJI, is a member of the Shenzhen Political Consultative "
      "Conference.",
      "As a state-backed AI start-up, CloudWalk is inextricably linked with the party-state.",
      "ByteDance has had an established party branch since 2014 and established a party "
      "committee in 2017.",
  };
  for (const char* k : kKnown) {
    EXPECT_TRUE(std::any_of(paras.begin(), paras.end(), [&](const std::string& p) {
      return p.find(k) != std::string::npos;
    })) << k;
  }
}

}  // namespace
}  // namespace scour::ingest
