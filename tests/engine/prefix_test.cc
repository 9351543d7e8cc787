// Prefix queries over the words as written (docs/QUERY.md, `prefix*`) against a naive scan: on
// random corpora of English-looking words (stems + suffixes the stemmer rewrites), several
// segments, deletions, replacements and a merge, `p*` must match exactly the live documents
// holding, in some field f, a term of T_f(p) = the terms of f that start with p (what matched
// before surface forms existed) and the terms of every word written in f anywhere in the index
// that starts with p. Plus the home corpus: a whole word as a prefix finds what the word finds.
#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/document_reader.h"
#include "scour/analyzer.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"

namespace scour {
namespace {

std::set<std::string> Ids(Searcher& s, const std::string& q, uint64_t* total = nullptr) {
  SearchOptions o;
  o.k = 100000;
  o.count = true;
  o.load_stored = false;
  auto r = s.Search(q, o);
  EXPECT_TRUE(r.ok()) << q << ": " << r.status();
  std::set<std::string> out;
  if (!r.ok()) return out;
  for (const Hit& h : r->hits) out.insert(h.id);
  if (total != nullptr) *total = r->total_hits;
  return out;
}

struct PrefixConfig {
  int segments;
  bool force_merge;
  uint32_t seed;
};

class PrefixReference : public ::testing::TestWithParam<PrefixConfig> {};

TEST_P(PrefixReference, EqualsNaiveScanOfWordsAndTerms) {
  const PrefixConfig c = GetParam();
  std::mt19937 rng(c.seed);
  static const char* kSuffixes[] = {"",    "s", "es",   "ing", "ed",    "er",      "ers",
                                    "ies", "y", "ness", "ly",  "ation", "ational", "ize"};
  std::vector<std::string> vocab;
  for (int i = 0; i < 60; ++i) {
    std::string stem;
    const int len = 2 + static_cast<int>(rng() % 4);
    for (int k = 0; k < len; ++k) stem.push_back("abcdeilnorst"[rng() % 12]);
    for (int k = 0; k < 3; ++k) vocab.push_back(stem + kSuffixes[rng() % 14]);
  }
  Analyzer analyzer = *Analyzer::Create(AnalyzerOptions{});
  std::map<std::string, std::string> stem_of;  // word -> its term
  for (const std::string& w : vocab) {
    std::vector<Token> t;
    ASSERT_TRUE(analyzer.Analyze(w, &t).ok());
    ASSERT_EQ(t.size(), 1u) << w;
    stem_of[w] = t[0].term;
  }

  const std::string dir = ::testing::TempDir() + "/scour_prefix_test_" + std::to_string(c.seed);
  std::filesystem::remove_all(dir);
  // id -> field -> its words
  std::map<std::string, std::map<std::string, std::vector<std::string>>> live;
  // Every word ever added, by field: the surface forms of deleted documents stay until a merge,
  // which drops only those whose term is left with no live document (no effect on answers).
  std::map<std::string, std::set<std::string>> written;
  {
    IndexWriterOptions o;
    o.threads = 1;
    o.auto_merge = false;
    auto w = IndexWriter::Open(dir, o);
    ASSERT_TRUE(w.ok()) << w.status();
    int next_id = 0;
    for (int seg = 0; seg < c.segments; ++seg) {
      for (int d = 0; d < 40; ++d) {
        // One document in eight replaces an existing one.
        std::string id = "d" + std::to_string(next_id++);
        if (!live.empty() && rng() % 8 == 0)
          id = std::next(live.begin(), rng() % live.size())->first;
        std::map<std::string, std::vector<std::string>> words;
        Document doc;
        doc.id = id;
        for (const char* field : {"title", "text"}) {
          std::string text;
          const int n = 1 + static_cast<int>(rng() % (field[1] == 'i' ? 3 : 10));
          for (int k = 0; k < n; ++k) {
            const std::string& word = vocab[rng() % vocab.size()];
            text += (k ? " " : "") + word;
            words[field].push_back(word);
            written[field].insert(word);
          }
          doc.fields.push_back({field, text});
        }
        ASSERT_TRUE((*w)->AddDocument(doc).ok());
        live[id] = words;
      }
      for (int k = 0; k < 3 && !live.empty(); ++k) {
        const std::string id = std::next(live.begin(), rng() % live.size())->first;
        ASSERT_TRUE((*w)->DeleteDocument(id).ok());
        live.erase(id);
      }
      ASSERT_TRUE((*w)->Commit().ok());
    }
    if (c.force_merge) {
      ASSERT_TRUE((*w)->ForceMerge(1).ok());
    }
  }
  auto reader = IndexReader::Open(dir, {.verify_checksums = true});
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto searcher = Searcher::Create(*reader);
  ASSERT_TRUE(searcher.ok()) << searcher.status();

  std::vector<std::string> prefixes;
  for (const std::string& w : vocab)
    for (size_t len : {size_t{1}, size_t{2}, w.size() / 2 + 1, w.size()})
      if (len <= w.size()) prefixes.push_back(w.substr(0, len));
  for (int i = 0; i < 40; ++i) prefixes.push_back(stem_of[vocab[rng() % vocab.size()]]);
  std::sort(prefixes.begin(), prefixes.end());
  prefixes.erase(std::unique(prefixes.begin(), prefixes.end()), prefixes.end());
  size_t gained = 0;  // prefixes that match more than the terms alone would
  for (const std::string& p : prefixes) {
    std::map<std::string, std::set<std::string>> expansion;  // T_f(p), by a scan of every word
    for (const auto& [f, words] : written)
      for (const std::string& w : words)
        if (w.compare(0, p.size(), p) == 0 || stem_of[w].compare(0, p.size(), p) == 0)
          expansion[f].insert(stem_of[w]);
    std::set<std::string> want, by_terms;
    for (const auto& [id, fields] : live)
      for (const auto& [f, words] : fields)
        for (const std::string& w : words) {
          if (stem_of[w].compare(0, p.size(), p) == 0) by_terms.insert(id);
          if (expansion[f].count(stem_of[w])) want.insert(id);
        }
    gained += want != by_terms;
    uint64_t total = 0;
    EXPECT_EQ(Ids(**searcher, p + "*", &total), want) << p << "*";
    EXPECT_EQ(total, want.size()) << p << "*";
    EXPECT_EQ(Ids(**searcher, "text:" + p + "* title:" + p + "*"), want) << p << "*";
  }
  EXPECT_GT(gained, 10u) << "the corpus must have words whose term does not start with them";
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Corpora, PrefixReference,
                         ::testing::Values(PrefixConfig{1, false, 1}, PrefixConfig{3, false, 2},
                                           PrefixConfig{4, true, 3}, PrefixConfig{2, true, 4}),
                         [](const ::testing::TestParamInfo<PrefixConfig>& info) {
                           return "segments" + std::to_string(info.param.segments) +
                                  (info.param.force_merge ? "_merged" : "") + "_seed" +
                                  std::to_string(info.param.seed);
                         });

// The home corpus (corpus/party_state.jsonl): a whole word written as a prefix finds at least
// what the word finds. "committee" and "jinping" stem to "committe" and "jinp", so before
// surface forms "committee*" and "jinping*" found nothing.
TEST(PrefixHomeCorpus, WholeWordsAsPrefixesFindTheWord) {
  const std::string dir = ::testing::TempDir() + "/scour_prefix_test_home";
  std::filesystem::remove_all(dir);
  {
    IndexWriterOptions o;
    o.threads = 1;
    auto w = IndexWriter::Open(dir, o);
    ASSERT_TRUE(w.ok()) << w.status();
    auto in = ingest::OpenReader(std::string(SCOUR_SOURCE_DIR) + "/corpus/party_state.jsonl", {});
    ASSERT_TRUE(in.ok()) << in.status();
    Document d;
    for (;;) {
      auto more = (*in)->Next(&d);
      ASSERT_TRUE(more.ok()) << more.status();
      if (!*more) break;
      ASSERT_TRUE((*w)->AddDocument(d).ok());
    }
    ASSERT_TRUE((*w)->Commit().ok());
  }
  auto reader = IndexReader::Open(dir);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto searcher = Searcher::Create(*reader);
  ASSERT_TRUE(searcher.ok());
  const std::set<std::string> committee = Ids(**searcher, "committee");
  const std::set<std::string> jinping = Ids(**searcher, "jinping");
  EXPECT_EQ(committee.size(), 27u);
  EXPECT_EQ(jinping.size(), 11u);
  EXPECT_EQ(Ids(**searcher, "committee*"), committee);  // no word continues "committee..."
  EXPECT_EQ(Ids(**searcher, "Jinping*"), jinping);
  // A prefix matches through terms: "committees*" expands to the term "committe", which every
  // "committee" shares.
  EXPECT_EQ(Ids(**searcher, "committees*"), committee);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace scour
