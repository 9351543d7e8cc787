// Pseudo-relevance feedback (docs/FEEDBACK.md): RM3 and Bo1 weights worked by hand, the options,
// and the expanded search end to end (its canonical query re-reads to the same ranking).
#include "engine/feedback.h"

#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/searcher_internal.h"
#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/writer/open_writer.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"

namespace scour::engine {
namespace {

using Weighted = std::vector<std::pair<std::string, double>>;

TermCountsFn Counts(std::map<std::string, TermCounts> m) {
  return [m](const std::string& t) -> absl::StatusOr<TermCounts> {
    auto it = m.find(t);
    return it == m.end() ? TermCounts{} : it->second;
  };
}

void ExpectWeights(const Weighted& got, const Weighted& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].first, want[i].first) << i;
    EXPECT_NEAR(got[i].second, want[i].second, 1e-12) << want[i].first;
  }
}

TEST(Rm3, WeightsByHand) {
  FeedbackParams p;
  p.kind = ExpansionKind::kRm3;
  p.fb_terms = 2;
  p.fb_weight = 0.5f;
  // d1 (score 2): apple 3, banana 1, the 5, "x" 4 (too short), "ab-c"... d2 (score 1): apple 1,
  // cherry 2. N = 100; "the" is in 50 documents (> 10%: dropped, Anserini's stopword stand-in).
  std::vector<FeedbackDoc> docs = {
      {{{"apple", 3}, {"banana", 1}, {"caf\xc3\xa9", 9}, {"the", 5}, {"x", 4}}, 2.0f},
      {{{"apple", 1}, {"cherry", 2}}, 1.0f}};
  auto counts = Counts({{"the", {50, 400}},
                        {"apple", {5, 9}},
                        {"banana", {2, 2}},
                        {"cherry", {3, 4}},
                        {"caf\xc3\xa9", {1, 9}}});
  auto w = ExpansionWeights(p, {{"apple", 1}, {"pie", 1}}, docs, 100, counts);
  ASSERT_TRUE(w.ok()) << w.status();
  // d1 keeps apple 3, banana 1 (café is not [a-z0-9]; x is one character): norm 4, so apple
  // 3/4 * 2 = 1.5 and banana 0.5. d2: cherry 2, apple 1, norm 3: cherry 2/3, apple 1/3.
  // Relevance model: apple 11/6, cherry 2/3, banana 1/2 -> two terms kept, L1: apple 11/15,
  // cherry 4/15. Query: apple 1/2, pie 1/2. Mixed 0.5/0.5: apple 1/4 + 11/30, pie 1/4,
  // cherry 2/15.
  ExpectWeights(*w, {{"apple", 0.25 + 11.0 / 30}, {"pie", 0.25}, {"cherry", 2.0 / 15}});
}

TEST(Rm3, OriginalWeightOneKeepsTheQuery) {
  FeedbackParams p;
  p.kind = ExpansionKind::kRm3;
  p.fb_weight = 1.0f;
  std::vector<FeedbackDoc> docs = {{{{"apple", 3}, {"banana", 1}}, 2.0f}};
  auto w = ExpansionWeights(p, {{"apple", 1}, {"pie", 3}}, docs, 100,
                            Counts({{"apple", {1, 3}}, {"banana", {1, 1}}}));
  ASSERT_TRUE(w.ok());
  ExpectWeights(*w, {{"pie", 0.75}, {"apple", 0.25}});
}

double Log2(double x) { return std::log(x) / std::log(2.0); }
double Bo1(double tfx, double f) { return tfx * Log2((1 + f) / f) + Log2(1 + f); }

TEST(Bo1, WeightsByHand) {
  FeedbackParams p;
  p.kind = ExpansionKind::kBo1;
  p.fb_terms = 2;
  // Three feedback documents; N = 100. apple: 4 occurrences in 2 documents, F = 10;
  // banana 3 in 2, F = 20; the 11 in 3, F = 1000; cherry 2 in one document only: Terrier's
  // two-document minimum drops it.
  std::vector<FeedbackDoc> docs = {{{{"apple", 3}, {"banana", 1}, {"the", 5}}, 3.0f},
                                   {{{"apple", 1}, {"cherry", 2}, {"the", 4}}, 2.0f},
                                   {{{"banana", 2}, {"the", 2}}, 1.0f}};
  auto counts =
      Counts({{"apple", {8, 10}}, {"banana", {15, 20}}, {"the", {90, 1000}}, {"cherry", {1, 2}}});
  auto w = ExpansionWeights(p, {{"apple", 1}}, docs, 100, counts);
  ASSERT_TRUE(w.ok()) << w.status();
  // Weights tfx * log2((1 + F/N) / (F/N)) + log2(1 + F/N): apple first; the normaliser is
  // apple's weight had all its 4 occurrences been in the feedback (F = 4).
  const double norm = Bo1(4, 0.04);
  ASSERT_GT(Bo1(3, 0.2), Bo1(11, 10));  // banana beats "the"
  ExpectWeights(*w, {{"apple", 1 + Bo1(4, 0.1) / norm}, {"banana", Bo1(3, 0.2) / norm}});
}

TEST(Feedback, ParseDefaultsAndErrors) {
  RankingOptions o;
  auto p = ParseFeedback(o);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->kind, ExpansionKind::kNone);
  o.expand = "rm3";
  p = ParseFeedback(o);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->fb_docs, 10);
  EXPECT_EQ(p->fb_terms, 10);
  EXPECT_EQ(p->fb_weight, 0.5f);
  o.expand = "bo1";
  p = ParseFeedback(o);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->fb_docs, 3);
  EXPECT_EQ(p->fb_terms, 10);
  o.fb_weight = 0.3f;
  EXPECT_FALSE(ParseFeedback(o).ok());  // bo1 has no interpolation weight
  o.expand = "rm3";
  o.fb_weight = 1.5f;
  EXPECT_FALSE(ParseFeedback(o).ok());
  o.fb_weight = -1;
  o.fb_docs = 0;
  EXPECT_FALSE(ParseFeedback(o).ok());
  o.fb_docs = -1;
  o.expand = "rocchio";
  EXPECT_FALSE(ParseFeedback(o).ok());
  o.expand = "";
  o.fb_terms = 5;
  EXPECT_FALSE(ParseFeedback(o).ok());  // a parameter without --expand
  // NaN is not "negative = the default": it is refused, with or without --expand.
  o.fb_terms = -1;
  o.fb_weight = std::numeric_limits<float>::quiet_NaN();
  EXPECT_FALSE(ParseFeedback(o).ok());
  o.expand = "rm3";
  EXPECT_FALSE(ParseFeedback(o).ok());
}

// Parameters that would make every score 0 or NaN are refused, not run.
TEST(Feedback, RankingRefusesNonFiniteParameters) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  RankingOptions ok;
  ASSERT_TRUE(ParseRanking(ok).ok());
  for (float v : {inf, nan}) {
    RankingOptions o;
    o.k1 = v;
    EXPECT_FALSE(ParseRanking(o).ok()) << "k1 " << v;
    o = RankingOptions();
    o.ranker = "bm25+";
    o.delta = v;
    EXPECT_FALSE(ParseRanking(o).ok()) << "delta " << v;
    o = RankingOptions();
    o.field_weights = {{"text", v}};
    EXPECT_FALSE(ParseRanking(o).ok()) << "weight " << v;
  }
  RankingOptions o;
  o.field_weights = {{"text", -1}};
  EXPECT_FALSE(ParseRanking(o).ok());
  o.field_weights = {{"text", 2}};
  EXPECT_TRUE(ParseRanking(o).ok());
  o.ranker = "bm25+";
  o.delta = -1;  // the default
  EXPECT_TRUE(ParseRanking(o).ok());
}

class FeedbackSearch : public ::testing::Test {
 protected:
  void Build(bool stored) {
    dir_ = index::NewMemDirectory();
    IndexWriterOptions o;
    o.analyzer.language = "none";
    o.threads = 1;
    auto w = index::OpenIndexWriter(dir_.get(), o);
    ASSERT_TRUE(w.ok());
    const char* texts[] = {
        "red fox jumps over the red fence",  "red apple pie with apple cream",
        "the fox hunts a red hen at night",  "apple orchards grow red apple trees",
        "a quiet night over the dark fence", "fox and hen and fence and night",
        "cream pie recipe without apple",    "the the the the red"};
    for (int i = 0; i < 8; ++i) {
      Document d{"d" + std::to_string(i), {{"text", texts[i], true, stored}}};
      ASSERT_TRUE((*w)->AddDocument(d).ok());
    }
    ASSERT_TRUE((*w)->Commit().ok());
    auto r = index::OpenIndexReader(dir_.get(), {});
    ASSERT_TRUE(r.ok());
    auto s = Searcher::Create(*r);
    ASSERT_TRUE(s.ok());
    searcher_ = *std::move(s);
  }
  std::unique_ptr<index::Directory> dir_;
  std::unique_ptr<Searcher> searcher_;
};

TEST_F(FeedbackSearch, ExpandedQueryReReadsToTheSameRanking) {
  Build(true);
  for (const char* method : {"rm3", "bo1"}) {
    SearchOptions o;
    o.k = 8;
    o.query_syntax = false;
    o.ranking.expand = method;
    o.ranking.fb_docs = 2;
    o.ranking.fb_terms = 3;
    auto r = searcher_->Search("red fox", o);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_FALSE(r->hits.empty());
    // The parsed query is the weighted expansion: more terms than the two typed, with boosts.
    EXPECT_NE(r->parsed_query.find('^'), std::string::npos) << r->parsed_query;
    EXPECT_NE(r->parsed_query, "(text:red text:fox)") << r->parsed_query;
    // Searching that canonical form directly gives the same hits and scores, bit for bit.
    SearchOptions plain;
    plain.k = 8;
    auto again = searcher_->Search(r->parsed_query, plain);
    ASSERT_TRUE(again.ok()) << again.status() << " " << r->parsed_query;
    ASSERT_EQ(again->hits.size(), r->hits.size()) << method;
    for (size_t i = 0; i < r->hits.size(); ++i) {
      EXPECT_EQ(again->hits[i].id, r->hits[i].id) << method << " " << i;
      EXPECT_EQ(again->hits[i].score, r->hits[i].score) << method << " " << i;
    }
  }
}

TEST_F(FeedbackSearch, UnstoredTextIsAnError) {
  Build(false);
  SearchOptions o;
  o.query_syntax = false;
  o.ranking.expand = "rm3";
  auto r = searcher_->Search("red fox", o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("stored text"), std::string_view::npos) << r.status();
  // A query with no hit has nothing to learn from: it simply finds nothing.
  auto none = searcher_->Search("zebra", o);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->hits.empty());
}

// The two indexes the FeedbackTermVectors tests compare, written with the same operations:
// [0] stores its text (feedback re-analyses it), [1] keeps term vectors instead.
void OpenTextAndVectorWriters(IndexWriterOptions o,
                              std::vector<std::unique_ptr<index::Directory>>* dirs,
                              std::vector<std::unique_ptr<IndexWriter>>* writers) {
  for (bool vectors : {false, true}) {
    dirs->push_back(index::NewMemDirectory());
    o.term_vectors = vectors;
    auto w = index::OpenIndexWriter(dirs->back().get(), o);
    ASSERT_TRUE(w.ok()) << w.status();
    writers->push_back(*std::move(w));
  }
}

// One expanded search on both indexes: the same expanded query, hits and scores, bit for bit.
void ExpectSameExpandedRun(const std::vector<std::unique_ptr<Searcher>>& searchers,
                           const std::string& query, const char* method, int fb_docs,
                           const std::string& ctx) {
  SearchOptions o;
  o.k = 20;
  o.load_stored = false;
  o.query_syntax = false;
  o.ranking.expand = method;
  o.ranking.fb_docs = fb_docs;
  auto a = searchers[0]->Search(query, o);
  auto b = searchers[1]->Search(query, o);
  ASSERT_TRUE(a.ok()) << ctx << a.status();
  ASSERT_TRUE(b.ok()) << ctx << b.status();
  EXPECT_EQ(a->parsed_query, b->parsed_query) << ctx;
  EXPECT_EQ(a->total_hits, b->total_hits) << ctx;
  ASSERT_EQ(a->hits.size(), b->hits.size()) << ctx;
  for (size_t i = 0; i < a->hits.size(); ++i) {
    EXPECT_EQ(a->hits[i].doc, b->hits[i].doc) << ctx << " " << i;
    EXPECT_EQ(a->hits[i].score, b->hits[i].score) << ctx << " " << i;
  }
}

// Term vectors give RM3 and Bo1 the terms re-analysis gives: random multi-segment indexes with
// deletions, written twice with the same operations, once storing the text (feedback re-analyses
// it) and once storing no text but term vectors (feedback can only read the vectors): every
// expanded query, hit and score is the same, bit for bit.
TEST(FeedbackTermVectors, SameRunsAsReanalysis) {
  const char* words[] = {"running", "runs",   "ran",    "fox",  "foxes", "the",   "quick", "brown",
                         "jumps",   "jumped", "lazily", "dogs", "dog",   "night", "hen",   "fence",
                         "apple",   "pie",    "cream",  "red",  "trees", "grow",  "dark",  "quiet"};
  for (uint32_t seed : {1u, 2u, 3u}) {
    std::mt19937 rng(seed);
    std::vector<std::unique_ptr<index::Directory>> dirs;
    std::vector<std::unique_ptr<IndexWriter>> writers;
    IndexWriterOptions o;
    o.analyzer.language = "english";
    o.threads = 1;
    o.auto_merge = seed == 3;
    o.merge_factor = 3;
    ASSERT_NO_FATAL_FAILURE(OpenTextAndVectorWriters(o, &dirs, &writers));
    int id = 0;
    for (int seg = 0; seg < 5; ++seg) {
      for (int i = 0; i < 40; ++i) {
        auto text = [&](int n) {
          std::string t;
          for (int k = 0; k < n; ++k) t += std::string(words[rng() % std::size(words)]) + " ";
          return t;
        };
        const std::string title = text(rng() % 4), body = text(1 + rng() % 25);
        const std::string doc_id = "d" + std::to_string(id++);
        const bool del = rng() % 6 == 0;
        const std::string victim = "d" + std::to_string(rng() % id);
        for (size_t x = 0; x < 2; ++x) {
          const bool store = x == 0;
          ASSERT_TRUE(
              writers[x]
                  ->AddDocument(
                      {doc_id, {{"title", title, true, store}, {"text", body, true, store}}})
                  .ok());
          if (del) {
            ASSERT_TRUE(writers[x]->DeleteDocument(victim).ok());
          }
        }
      }
      for (auto& w : writers) ASSERT_TRUE(w->Commit().ok());
    }
    if (seed == 2) {
      for (auto& w : writers) ASSERT_TRUE(w->ForceMerge(2).ok());
    }
    std::vector<std::unique_ptr<Searcher>> searchers;
    for (auto& d : dirs) {
      auto r = index::OpenIndexReader(d.get(), {});
      ASSERT_TRUE(r.ok());
      if (&d == &dirs.back()) {
        for (const auto& s : index::SnapshotOf(**r).segments) {
          ASSERT_NE(s->term_vectors(), nullptr);
        }
      }
      auto s = Searcher::Create(*r);
      ASSERT_TRUE(s.ok());
      searchers.push_back(*std::move(s));
    }
    for (int q = 0; q < 20; ++q) {
      std::string query;
      for (int k = 1 + rng() % 3; k > 0; --k)
        query += std::string(words[rng() % std::size(words)]) + " ";
      for (const char* method : {"rm3", "bo1"}) {
        const int fb_docs = 1 + static_cast<int>(rng() % 10);
        ASSERT_NO_FATAL_FAILURE(ExpectSameExpandedRun(searchers, query, method, fb_docs,
                                                      absl::StrCat(seed, " ", method, " ", query)));
      }
    }
  }
}

// Re-analysis must see what the indexer indexed, also for a field made as `index --combine`
// makes it (`body`: the unindexed, stored `title` and `text` as two indexed, unstored values)
// beside another searched field (`extra`, stored, sometimes multi-valued): RM3 and Bo1 runs
// equal those of an index storing no text but term vectors. Re-analysis took `extra` alone
// (body's sources were read only when no searched field was stored) and only the first value
// of a multi-valued field.
TEST(FeedbackTermVectors, CombinedFieldSameRunsAsReanalysis) {
  const char* words[] = {"running", "runs",  "ran",   "fox",  "foxes", "the",   "quick", "brown",
                         "jumps",   "dogs",  "night", "hen",  "fence", "apple", "pie",   "cream",
                         "red",     "trees", "grow",  "dark", "quiet", "stone", "river", "gold"};
  std::mt19937 rng(7);
  std::vector<std::unique_ptr<index::Directory>> dirs;
  std::vector<std::unique_ptr<IndexWriter>> writers;
  IndexWriterOptions o;
  o.analyzer.language = "english";
  o.threads = 1;
  o.auto_merge = false;
  ASSERT_NO_FATAL_FAILURE(OpenTextAndVectorWriters(o, &dirs, &writers));
  auto text = [&](int n) {
    std::string t;
    for (int k = 0; k < n; ++k) t += std::string(words[rng() % std::size(words)]) + " ";
    return t;
  };
  for (int seg = 0; seg < 3; ++seg) {
    for (int i = 0; i < 50; ++i) {
      const std::string title = text(rng() % 4), body = text(1 + rng() % 20);
      std::vector<std::string> extra;
      for (int k = rng() % 3; k > 0; --k) extra.push_back(text(1 + rng() % 6));
      for (size_t x = 0; x < 2; ++x) {
        const bool store = x == 0;
        Document d{"d" + std::to_string(seg * 100 + i),
                   {{"title", title, false, store}, {"text", body, false, store}}};
        for (const std::string& e : extra) d.fields.push_back({"extra", e, true, store});
        d.fields.push_back({"body", title, true, false});
        d.fields.push_back({"body", body, true, false});
        ASSERT_TRUE(writers[x]->AddDocument(d).ok());
      }
    }
    for (auto& w : writers) ASSERT_TRUE(w->Commit().ok());
  }
  std::vector<std::unique_ptr<Searcher>> searchers;
  for (auto& d : dirs) {
    auto r = index::OpenIndexReader(d.get(), {});
    ASSERT_TRUE(r.ok());
    auto s = Searcher::Create(*r);
    ASSERT_TRUE(s.ok());
    searchers.push_back(*std::move(s));
  }
  for (int q = 0; q < 30; ++q) {
    const std::string query = text(1 + rng() % 3);
    for (const char* method : {"rm3", "bo1"}) {
      const int fb_docs = 1 + static_cast<int>(rng() % 10);
      ASSERT_NO_FATAL_FAILURE(ExpectSameExpandedRun(searchers, query, method, fb_docs,
                                                    absl::StrCat(method, " ", query)));
    }
  }
}

}  // namespace
}  // namespace scour::engine
