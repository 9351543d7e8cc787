// Many queries on many threads over one snapshot (label `concurrency`, run under TSan in CI):
// ParallelFor itself, Searcher::SearchBatch, the topic runs of `eval --index` / `compare`
// (TopicSearcher) and the timed queries of `bench` (TimeWholeQueries, TimeQueries). Each is
// compared with the same work done one query at a time on one thread: the results must be
// identical (same docs, bit-identical scores, same order, same first error), whatever the
// number of threads.
#include <atomic>
#include <cmath>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "base/parallel.h"
#include "engine/execute.h"
#include "engine/plan.h"
#include "engine/proximity.h"
#include "engine/query_parser.h"
#include "engine/searcher_internal.h"
#include "eval/search_run.h"
#include "eval/timed_queries.h"
#include "gtest/gtest.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"
#include "test_util.h"

namespace scour::reliability {
namespace {

TEST(ParallelForTest, EveryItemOnceOnDenseWorkersNeverTwoAtOnce) {
  EXPECT_EQ(ResolveThreads(3), 3);
  EXPECT_GE(ResolveThreads(0), 1);
  EXPECT_EQ(ParallelWorkers(0, 4), 1);
  EXPECT_EQ(ParallelWorkers(2, 4), 2);
  EXPECT_EQ(ParallelWorkers(100, 4), 4);
  for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{5000}}) {
    for (int threads : {0, 1, 2, 3, 8}) {
      const int workers = ParallelWorkers(n, threads);
      std::vector<std::atomic<int>> calls(n);
      std::vector<std::atomic<int>> busy(workers);
      std::atomic<int> bad_worker{0}, overlap{0};
      ParallelFor(n, threads, [&](int w, size_t i) {
        if (w < 0 || w >= workers) {
          ++bad_worker;
          return;
        }
        if (busy[w].fetch_add(1) != 0) ++overlap;
        calls[i].fetch_add(1);
        busy[w].fetch_sub(1);
      });
      EXPECT_EQ(bad_worker.load(), 0) << n << " " << threads;
      EXPECT_EQ(overlap.load(), 0) << n << " " << threads;
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(calls[i].load(), 1) << i << " " << threads;
    }
  }
}

// An index of documents drawn from a Zipf-like vocabulary (so queries mix common and rare
// terms), in several segments, English analysis.
class ParallelSearch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    IndexWriterOptions opt;
    opt.threads = 2;
    opt.auto_merge = false;
    auto w = IndexWriter::Open(tmp_->Sub("idx"), opt);
    ASSERT_TRUE(w.ok()) << w.status();
    std::mt19937 rng(19);
    for (int d = 0; d < 1500; ++d) {
      Document doc;
      doc.id = "doc" + std::to_string(d);
      doc.fields.push_back({"title", Text(rng, 3)});
      doc.fields.push_back({"text", Text(rng, 10 + d % 40)});
      ASSERT_TRUE((*w)->AddDocument(std::move(doc)).ok());
      if (d % 500 == 499) {
        ASSERT_TRUE((*w)->Commit().ok());  // one segment per commit
      }
    }
    w->reset();  // every document is committed (1500 is a multiple of 500)
    auto r = IndexReader::Open(tmp_->Sub("idx"));
    ASSERT_TRUE(r.ok()) << r.status();
    reader_ = new std::shared_ptr<IndexReader>(*r);
  }
  static void TearDownTestSuite() {
    delete reader_;
    delete tmp_;
  }
  static std::string Word(std::mt19937& rng) {
    // Word w has probability ~ 1 / (w + 1): a few very common words, a long tail.
    std::uniform_real_distribution<double> u(0, std::log(400.0));
    const int w = static_cast<int>(std::exp(u(rng))) - 1;
    static const char* kStems[] = {"river", "stone", "light", "party", "market", "signal"};
    return std::string(kStems[w % 6]) + std::to_string(w);
  }
  static std::string Text(std::mt19937& rng, int words) {
    std::string t;
    for (int i = 0; i < words; ++i) t += (i ? " " : "") + Word(rng);
    return t;
  }
  // Queries of 1-4 words; every 23rd is broken in the query language (an unclosed group).
  static std::vector<std::string> Queries(size_t n, bool with_errors) {
    std::mt19937 rng(7);
    std::vector<std::string> q;
    for (size_t i = 0; i < n; ++i) {
      if (with_errors && i % 23 == 11) {
        q.push_back("(" + Word(rng));
        continue;
      }
      q.push_back(Text(rng, 1 + static_cast<int>(i % 4)));
    }
    return q;
  }
  static TempDir* tmp_;
  static std::shared_ptr<IndexReader>* reader_;
};
TempDir* ParallelSearch::tmp_ = nullptr;
std::shared_ptr<IndexReader>* ParallelSearch::reader_ = nullptr;

TEST_F(ParallelSearch, SearchBatchOnManyThreadsEqualsSearch) {
  auto searcher = Searcher::Create(*reader_);
  ASSERT_TRUE(searcher.ok());
  const std::vector<std::string> queries = Queries(200, /*with_errors=*/true);
  for (const char* ranker : {"bm25", "bm25tp"}) {
    SearchOptions opts;
    opts.k = 50;
    opts.count = true;
    opts.load_stored = false;
    opts.ranking.ranker = ranker;
    // The reference: one query at a time on this thread.
    std::vector<absl::StatusOr<SearchResults>> ref;
    for (const std::string& q : queries) ref.push_back((*searcher)->Search(q, opts));
    for (int threads : {1, 2, 4}) {
      BatchResults b = (*searcher)->SearchBatch(queries, opts, threads);
      ASSERT_EQ(b.offsets.size(), queries.size() + 1);
      for (size_t i = 0; i < queries.size(); ++i) {
        const absl::StatusOr<SearchResults>& one = ref[i];
        ASSERT_EQ(one.ok(), b.errors[i].ok()) << queries[i];
        if (!one.ok()) {
          EXPECT_EQ(one.status(), b.errors[i]);
          continue;
        }
        ASSERT_EQ(b.offsets[i + 1] - b.offsets[i], one->hits.size()) << queries[i];
        EXPECT_EQ(b.total_hits[i], one->total_hits);
        for (size_t j = 0; j < one->hits.size(); ++j) {
          ASSERT_EQ(b.docs[b.offsets[i] + j], one->hits[j].doc) << queries[i];
          ASSERT_EQ(b.scores[b.offsets[i] + j], one->hits[j].score) << queries[i];
        }
      }
    }
  }
}

TEST_F(ParallelSearch, TopicRunsDoNotDependOnThreads) {
  std::vector<eval::Topic> topics;
  const std::vector<std::string> queries = Queries(200, /*with_errors=*/false);
  for (size_t i = 0; i < queries.size(); ++i)
    topics.push_back({"q" + std::to_string(1000 + i), queries[i], "", "", uint32_t(i + 1)});
  topics.push_back({"empty", "!!!", "", "", 999});  // analyses to nothing: no run entry
  for (const char* ranker : {"bm25", "bm25tp"}) {
    eval::SearchRunOptions o;
    o.depth = 100;
    o.ranking.ranker = ranker;
    o.threads = 1;
    eval::TopicSearcher one(*reader_);
    auto base = one.Search(topics, o);
    ASSERT_TRUE(base.ok()) << base.status();
    EXPECT_EQ(one.empty_topics(), 1u);
    EXPECT_EQ(one.topic_latency_us().size(), topics.size());
    const std::string base_text = eval::FormatRun(*base);
    EXPECT_FALSE(base_text.empty());
    for (int threads : {2, 4}) {
      o.threads = threads;
      eval::TopicSearcher many(*reader_);
      auto run = many.Search(topics, o);
      ASSERT_TRUE(run.ok()) << run.status();
      EXPECT_EQ(eval::FormatRun(*run), base_text) << ranker << " threads " << threads;
      EXPECT_EQ(many.empty_topics(), 1u);
      EXPECT_EQ(many.topic_latency_us().size(), topics.size());
    }
  }
}

TEST_F(ParallelSearch, TopicRunReportsTheFirstFailingTopicInTopicOrder) {
  std::vector<eval::Topic> topics;
  const std::vector<std::string> queries = Queries(120, /*with_errors=*/false);
  for (size_t i = 0; i < queries.size(); ++i)
    topics.push_back({"q" + std::to_string(i), queries[i], "", "", uint32_t(i + 1)});
  // Two broken topics; the later one is cheaper, so a second thread often fails it first.
  topics[80].title = "(" + topics[80].title;
  topics[100].title = "(";
  eval::SearchRunOptions o;
  o.query_syntax = true;
  eval::TopicSearcher ts(*reader_);
  for (int threads : {1, 2, 4}) {
    for (int rep = 0; rep < 2; ++rep) {
      o.threads = threads;
      auto run = ts.Search(topics, o);
      ASSERT_FALSE(run.ok());
      EXPECT_TRUE(absl::IsInvalidArgument(run.status()));
      EXPECT_EQ(run.status().message().rfind("topic q80 (line 81): ", 0), 0u) << run.status();
    }
  }
}

TEST_F(ParallelSearch, TimedExecutionsOnManyThreadsGiveTheSerialResults) {
  const index::Snapshot& index = index::SnapshotOf(**reader_);
  auto analyzer = Analyzer::Create((*reader_)->analyzer_options());
  ASSERT_TRUE(analyzer.ok());
  for (const char* ranker_name : {"bm25", "bm25tp"}) {
    RankingOptions ro;
    ro.ranker = ranker_name;
    auto ranker = engine::ParseRanking(ro);
    ASSERT_TRUE(ranker.ok());
    engine::PlanOptions popts;
    ASSERT_TRUE(engine::SetModel(ro, *ranker, &popts).ok());
    for (uint32_t f = 1; f < index.manifest.fields.size(); ++f) popts.default_fields.push_back(f);
    std::vector<std::unique_ptr<engine::PlanNode>> plans;
    std::vector<const engine::PlanNode*> ptrs;
    std::vector<engine::QueryPtr> trees;
    std::vector<const engine::QueryNode*> tree_ptrs;
    for (bool and_mode : {false, true}) {
      for (const std::string& q : Queries(100, false)) {
        engine::ParseResult p =
            engine::PlainTextQuery(q, engine::AnalyzeWith(&*analyzer), and_mode);
        ASSERT_TRUE(p.ok());
        auto plan = engine::BuildPlan(*p.query, index, popts);
        ASSERT_TRUE(plan.ok()) << plan.status();
        ptrs.push_back(plan->get());
        plans.push_back(*std::move(plan));
        tree_ptrs.push_back(p.query.get());
        trees.push_back(std::move(p.query));
      }
    }
    eval::TimingOptions to;
    to.k = 20;
    to.reps = 2;
    to.warmup_secs = 0;
    for (int run = 0; run < 4; ++run) {
      // Plans bound beforehand (--execute-only), then whole queries bound in each call.
      const int threads = run % 2 == 0 ? 1 : 3;
      to.threads = threads;
      auto t = run < 2 ? eval::TimeQueries(index, ptrs, *ranker, to)
                       : eval::TimeWholeQueries(index, tree_ptrs, popts, *ranker, to);
      ASSERT_TRUE(t.ok()) << t.status();
      EXPECT_EQ(t->threads, threads);
      EXPECT_EQ(t->warmup_passes, 1);
      ASSERT_EQ(t->us.size(), 2 * ptrs.size());
      ASSERT_EQ(t->last.size(), ptrs.size());
      EXPECT_GT(t->wall_secs, 0);
      for (size_t i = 0; i < ptrs.size(); ++i) {
        // The reference: the same plan executed alone, on this thread.
        const size_t depth = ranker->proximity ? engine::RerankDepth(to.k) : to.k;
        auto ref = engine::Execute(*ptrs[i], index, depth, false);
        ASSERT_TRUE(ref.ok());
        if (ranker->proximity) {
          ASSERT_TRUE(
              engine::ProximityRerank(*ptrs[i], index, *ranker, to.k, depth, &ref->top).ok());
        }
        ASSERT_EQ(t->last[i].top.size(), ref->top.size()) << i;
        for (size_t j = 0; j < ref->top.size(); ++j) {
          ASSERT_EQ(t->last[i].top[j].doc, ref->top[j].doc) << i;
          ASSERT_EQ(t->last[i].top[j].score, ref->top[j].score) << i;
        }
      }
    }
  }
}

}  // namespace
}  // namespace scour::reliability
