// Block bounds from `.post` format 4's impact lists (Pareto (tf, norm) pairs) prune exactly: on
// an on-disk index with many full blocks of several pairs, single terms, conjunctions,
// disjunctions and phrases at several depths give what the exhaustive evaluation gives
// (SearchOptions::verify_pruning), and a bound from the pairs is never above the skip entry's
// and never below a doc's score. retrieval_test runs the same algorithms with pairs on
// in-memory cursors against brute force.
#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/algorithm/clauses.h"
#include "engine/ranker.h"
#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/postings/segment_postings.h"
#include "index/writer/open_writer.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"

namespace scour {
namespace {

std::string Word(std::mt19937& rng) {
  const double u = std::uniform_real_distribution<double>(0, 1)(rng);
  return "w" + std::to_string(static_cast<int>(std::pow(u, 2.0) * 30));
}

class ImpactBounds : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = index::NewMemDirectory().release();
    std::mt19937 rng(1919);
    IndexWriterOptions o;
    o.analyzer.language = "none";
    o.threads = 1;
    auto w = index::OpenIndexWriter(dir_, o);
    ASSERT_TRUE(w.ok()) << w.status();
    for (int i = 0; i < 3000; ++i) {
      // Lengths from 1 to ~300 words, so that blocks hold many norms and their frontiers pairs.
      const int len = 1 + static_cast<int>(rng() % (rng() % 4 == 0 ? 300 : 40));
      std::string text;
      for (int k = 0; k < len; ++k) text += Word(rng) + " ";
      ASSERT_TRUE((*w)->AddDocument({"d" + std::to_string(i), {{"body", text}}}).ok());
    }
    ASSERT_TRUE((*w)->Commit().ok());
    w->reset();
    auto r = index::OpenIndexReader(dir_, {});
    ASSERT_TRUE(r.ok()) << r.status();
    reader_ = new std::shared_ptr<IndexReader>(*r);
  }
  static void TearDownTestSuite() {
    delete reader_;
    delete dir_;
  }
  static index::Directory* dir_;
  static std::shared_ptr<IndexReader>* reader_;
};
index::Directory* ImpactBounds::dir_ = nullptr;
std::shared_ptr<IndexReader>* ImpactBounds::reader_ = nullptr;

TEST_F(ImpactBounds, PairBoundsLieBetweenTheBlocksScoresAndTheSkipBound) {
  const index::Snapshot& snap = index::SnapshotOf(**reader_);
  const auto& fields = snap.manifest.fields;
  const uint32_t field =
      static_cast<uint32_t>(std::find(fields.begin(), fields.end(), "body") - fields.begin());
  ASSERT_LT(field, fields.size());
  const FieldStatistics stats = snap.FieldStats(field);
  size_t blocks = 0, several = 0, tighter = 0;
  for (const auto& seg : snap.segments) {
    const uint8_t* norms = seg->norms(field);
    for (int t = 0; t < 30; ++t) {
      auto info = seg->Lookup(field, "w" + std::to_string(t));
      ASSERT_TRUE(info.ok());
      if (!info->has_value()) continue;
      const engine::TermScorer scorer =
          engine::TermScorer::ForTerm(engine::RankerParams{}, stats, (*info)->df);
      index::SegmentPostings p = seg->Postings(field, **info);
      const engine::ScoredCursor<index::SegmentPostings> c{&p, &scorer};
      while (p.doc() != index::kNoMoreDocs) {
        p.ShallowAdvance(p.doc());
        const float pairs = engine::BlockBound(c);
        const float skip = scorer.MaxScore(p.BlockMaxTf(), p.BlockMinNorm());
        index::ImpactPair got[index::kMaxImpactPairs];
        const uint32_t m = p.BlockImpacts(got);
        EXPECT_LE(pairs, skip);
        float best = 0;
        for (uint32_t i = p.BlockPos(); i < p.BlockEnd(); ++i) {
          best = std::max(best, scorer.ScoreTf(p.BlockFreqs()[i], norms[p.BlockDocs()[i]]));
        }
        EXPECT_GE(pairs, best);
        if (p.BlockEnd() == index::kBlockSize) {
          ++blocks;
          several += m >= 2;
          tighter += pairs < skip;
        }
        p.SeekInBlock(p.BlockEnd() - 1);
        p.Next();
      }
      EXPECT_TRUE(p.ok());
    }
  }
  EXPECT_GT(blocks, 100u);
  EXPECT_GT(several, blocks / 2) << "most full blocks should list several pairs";
  EXPECT_GT(tighter, blocks / 4) << "the pairs should tighten many bounds";
}

TEST_F(ImpactBounds, PrunedResultsEqualTheExhaustiveEvaluation) {
  auto searcher = Searcher::Create(*reader_);
  ASSERT_TRUE(searcher.ok());
  std::mt19937 rng(7);
  std::vector<std::pair<std::string, bool>> queries;  // text, default AND
  for (int t = 0; t < 30; ++t) queries.push_back({"w" + std::to_string(t), false});
  for (int i = 0; i < 40; ++i) {
    queries.push_back({"+" + Word(rng) + " +" + Word(rng), false});
    queries.push_back({Word(rng) + " " + Word(rng) + " " + Word(rng), false});
    queries.push_back({Word(rng) + " " + Word(rng), true});
    queries.push_back({"+" + Word(rng) + " " + Word(rng), false});
  }
  for (int i = 0; i < 15; ++i)
    queries.push_back({"\"" + Word(rng) + " " + Word(rng) + "\"", false});
  for (const auto& [text, default_and] : queries) {
    for (size_t k : {1, 10, 100}) {
      SearchOptions opts;
      opts.k = k;
      opts.default_and = default_and;
      opts.load_stored = false;
      opts.verify_pruning = true;
      auto r = (*searcher)->Search(text, opts);
      ASSERT_TRUE(r.ok()) << text << ": " << r.status();
      EXPECT_EQ(r->pruning_differences, "") << text << " k=" << k;
    }
  }
}

}  // namespace
}  // namespace scour
