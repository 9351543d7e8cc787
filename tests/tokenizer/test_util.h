// Helpers shared by the tokenizer tests: corpus loading and short analysis calls.
#ifndef SCOUR_TESTS_TOKENIZER_TEST_UTIL_H_
#define SCOUR_TESTS_TOKENIZER_TEST_UTIL_H_

#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "scour/analyzer.h"

namespace scour::testing {

// The "title" and "text" fields of every line of a corpus .jsonl file (relative to the repo).
inline std::vector<std::string> LoadCorpusTexts(const std::string& rel_path) {
  std::ifstream in(std::string(SCOUR_SOURCE_DIR) + "/" + rel_path);
  EXPECT_TRUE(in.good()) << rel_path;
  std::vector<std::string> texts;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    for (const char* field : {"title", "text"}) {
      if (j.contains(field) && j[field].is_string()) texts.push_back(j[field].get<std::string>());
    }
  }
  return texts;
}

// `needle` as it occurs in corpus/party_state.jsonl; fails the test if it does not occur, so
// rule tests really run on the corpus's own sentences.
inline std::string HomeCorpusSentence(const std::string& needle) {
  static const std::vector<std::string> texts = LoadCorpusTexts("corpus/party_state.jsonl");
  for (const std::string& t : texts) {
    if (t.find(needle) != std::string::npos) return needle;
  }
  ADD_FAILURE() << "not in corpus/party_state.jsonl: " << needle;
  return needle;
}

inline std::vector<std::string> Terms(const std::vector<Token>& tokens) {
  std::vector<std::string> terms;
  for (const Token& t : tokens) terms.push_back(t.term);
  return terms;
}

inline std::vector<Token> AnalyzeOrDie(std::string_view text, const AnalyzerOptions& options) {
  auto a = Analyzer::Create(options);
  EXPECT_TRUE(a.ok()) << a.status();
  std::vector<Token> out;
  if (!a.ok()) return out;
  absl::Status st = a->Analyze(text, &out);
  EXPECT_TRUE(st.ok()) << st;
  return out;
}

inline AnalyzerOptions NoStem() {
  AnalyzerOptions o;
  o.language = "none";
  return o;
}

}  // namespace scour::testing

#endif  // SCOUR_TESTS_TOKENIZER_TEST_UTIL_H_
