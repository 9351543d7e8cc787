// BM25F (`--ranker bm25f`, docs/SCORING.md) against a brute-force reference: random two-field
// indexes over several segments with deletions, random OR/AND queries, random per-field weights
// and b. The reference re-counts each document's terms from the text it generated and applies
// the formula in double with the index's own statistics; top-k, scores and counts must agree,
// and --verify-pruning must find nothing. Plus: one field is BM25, explanations add up, errors.
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/execute.h"
#include "engine/searcher_internal.h"
#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/segment/norms.h"
#include "index/writer/open_writer.h"
#include "scour/analyzer.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"

namespace scour {
namespace {

const char* const kWords[] = {"alpha", "beta",  "gamma", "delta", "eps",   "zeta",
                              "eta",   "theta", "iota",  "kappa", "lamda", "mu"};
constexpr size_t kNumWords = std::size(kWords);

struct Doc {
  std::string id;
  std::map<std::string, std::vector<std::string>> fields;  // field -> tokens
  bool live = true;
};

std::string Join(const std::vector<std::string>& t) {
  std::string s;
  for (const auto& w : t) s += (s.empty() ? "" : " ") + w;
  return s;
}

// Skewed word choice so some words are frequent and some rare.
std::string Word(std::mt19937& rng) {
  const size_t i = std::min<size_t>(kNumWords - 1, static_cast<size_t>(std::sqrt(rng() % 144)));
  return kWords[i];
}

struct Fixture {
  std::unique_ptr<index::Directory> dir;
  std::shared_ptr<IndexReader> reader;
  std::unique_ptr<Searcher> searcher;
  std::vector<Doc> docs;
};

// `min_docs` to twice as many documents, a segment every `per_segment`, 10% deleted.
void Build(uint32_t seed, Fixture* fx, bool two_fields = true, int min_docs = 120,
           int per_segment = 50) {
  std::mt19937 rng(seed);
  fx->dir = index::NewMemDirectory();
  IndexWriterOptions o;
  o.analyzer.language = "none";
  o.threads = 1;
  auto w = index::OpenIndexWriter(fx->dir.get(), o);
  ASSERT_TRUE(w.ok()) << w.status();
  const int n = min_docs + static_cast<int>(rng() % min_docs);
  for (int i = 0; i < n; ++i) {
    Doc d;
    d.id = "d" + std::to_string(i);
    if (two_fields && rng() % 5 != 0) {
      const int len = 1 + static_cast<int>(rng() % 6);
      for (int j = 0; j < len; ++j) d.fields["title"].push_back(Word(rng));
    }
    const int len = static_cast<int>(rng() % 60);
    for (int j = 0; j < len; ++j) d.fields["text"].push_back(Word(rng));
    Document doc{d.id, {}};
    for (const auto& [f, toks] : d.fields) doc.fields.push_back({f, Join(toks)});
    if (doc.fields.empty()) doc.fields.push_back({"text", ""});
    ASSERT_TRUE((*w)->AddDocument(doc).ok());
    fx->docs.push_back(std::move(d));
    if (i % per_segment == per_segment - 1) {
      ASSERT_TRUE((*w)->Commit().ok());  // several segments
    }
  }
  for (int i = 0; i < n / 10; ++i) {
    Doc& d = fx->docs[rng() % fx->docs.size()];
    ASSERT_TRUE((*w)->DeleteDocument(d.id).ok());
    d.live = false;
  }
  ASSERT_TRUE((*w)->Commit().ok());
  auto r = index::OpenIndexReader(fx->dir.get(), {});
  ASSERT_TRUE(r.ok()) << r.status();
  fx->reader = *std::move(r);
  auto s = Searcher::Create(fx->reader);
  ASSERT_TRUE(s.ok());
  fx->searcher = *std::move(s);
}

struct RefHit {
  std::string id;
  double score;
};

// The formula of docs/SCORING.md, in double, from the generated tokens and the index's own
// statistics (which include deleted documents not yet merged away, as Lucene's do).
std::vector<RefHit> Reference(const Fixture& fx, const std::vector<std::string>& terms, bool all,
                              const RankingOptions& ro) {
  const std::vector<std::string> names = fx.reader->field_names();
  const std::vector<FieldStatistics> fstats = fx.reader->field_statistics();
  auto lookup = [](const std::vector<std::pair<std::string, float>>& v, const std::string& f,
                   double dflt) {
    for (const auto& [n, x] : v)
      if (n == f) return static_cast<double>(x);
    return dflt;
  };
  struct TermInfo {
    double idf;
  };
  std::map<std::string, TermInfo> info;
  for (const std::string& t : terms) {
    uint64_t df = 0, n = 0;
    for (size_t i = 0; i < names.size(); ++i) {
      if (fstats[i].sum_total_term_freq == 0) continue;  // not a searched field
      auto ts = fx.reader->term_statistics(names[i], t);
      EXPECT_TRUE(ts.ok());
      df = std::max(df, ts->doc_freq);
      n = std::max(n, fstats[i].docs_with_field);
    }
    info[t].idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
  }
  std::vector<RefHit> out;
  for (const Doc& d : fx.docs) {
    if (!d.live) continue;
    double score = 0;
    size_t matched = 0;
    for (const std::string& t : terms) {
      double tf = 0;
      bool any = false;
      for (size_t i = 0; i < names.size(); ++i) {
        auto it = d.fields.find(names[i]);
        if (it == d.fields.end() || fstats[i].docs_with_field == 0) continue;
        const auto f = static_cast<double>(std::count(it->second.begin(), it->second.end(), t));
        if (f == 0) continue;
        any = true;
        const double dl =
            index::NormToLength(index::LengthToNorm(static_cast<uint32_t>(it->second.size())));
        const double avgdl = static_cast<double>(fstats[i].sum_total_term_freq) /
                             static_cast<double>(fstats[i].docs_with_field);
        const double b = lookup(ro.field_b, names[i], ro.b);
        const double w = lookup(ro.field_weights, names[i], 1.0);
        tf += w * f / ((1 - b) + b * dl / avgdl);
      }
      if (!any) continue;
      ++matched;
      score += info[t].idf * tf / (tf + ro.k1);
    }
    if (all ? matched == terms.size() : matched > 0) out.push_back({d.id, score});
  }
  std::sort(out.begin(), out.end(),
            [](const RefHit& a, const RefHit& b) { return a.score > b.score; });
  return out;
}

bool Close(double a, double b) { return std::abs(a - b) <= 1e-4 * std::max(1.0, std::abs(b)); }

class Bm25fProperty : public ::testing::TestWithParam<uint32_t> {};

TEST_P(Bm25fProperty, TopKScoresAndCountsEqualBruteForce) {
  Fixture fx;
  ASSERT_NO_FATAL_FAILURE(Build(GetParam(), &fx));
  std::mt19937 rng(GetParam() * 7 + 1);
  const std::vector<std::vector<std::pair<std::string, float>>> weights = {
      {}, {{"title", 2.5f}}, {{"title", 3.0f}, {"text", 0.5f}}, {{"title", 0.0f}}};
  const std::vector<std::vector<std::pair<std::string, float>>> bs = {
      {}, {{"title", 0.2f}}, {{"title", 0.0f}, {"text", 1.0f}}, {{"text", 0.75f}}};
  int nonempty = 0;
  for (int i = 0; i < 40; ++i) {
    std::set<std::string> words;
    const int nw = 1 + static_cast<int>(rng() % 4);
    for (int j = 0; j < nw; ++j) words.insert(kWords[rng() % kNumWords]);
    if (i % 9 == 0) words.insert("absent");
    const std::vector<std::string> terms(words.begin(), words.end());
    const bool all = i % 3 == 0;
    SearchOptions opts;
    opts.ranking.ranker = "bm25f";
    opts.ranking.k1 = i % 4 == 0 ? 1.2f : 0.9f;
    opts.ranking.b = i % 5 == 0 ? 0.75f : 0.4f;
    opts.ranking.field_weights = weights[rng() % weights.size()];
    opts.ranking.field_b = bs[rng() % bs.size()];
    opts.default_and = all;
    opts.query_syntax = false;
    opts.load_stored = false;
    opts.verify_pruning = true;
    opts.count = true;
    const std::vector<RefHit> ref = Reference(fx, terms, all, opts.ranking);
    nonempty += !ref.empty();
    std::map<std::string, double> ref_score;
    for (const RefHit& h : ref) ref_score[h.id] = h.score;
    for (size_t k : {1, 7, 1000}) {
      opts.k = k;
      const std::string q = Join(terms);
      auto res = fx.searcher->Search(q, opts);
      ASSERT_TRUE(res.ok()) << q << ": " << res.status();
      const std::string ctx = q + (all ? " (and)" : "") + " k=" + std::to_string(k);
      EXPECT_EQ(res->pruning_differences, "") << ctx;
      EXPECT_EQ(res->total_hits, ref.size()) << ctx;
      ASSERT_EQ(res->hits.size(), std::min(k, ref.size())) << ctx;
      for (size_t j = 0; j < res->hits.size(); ++j) {
        const Hit& h = res->hits[j];
        ASSERT_TRUE(ref_score.count(h.id)) << ctx << ": " << h.id << " should not match";
        EXPECT_TRUE(Close(h.score, ref_score[h.id]))
            << ctx << ": " << h.id << " score " << h.score << " want " << ref_score[h.id];
        // Same rank, or a tie (to float rounding) with the reference's document there.
        EXPECT_TRUE(h.id == ref[j].id || Close(ref_score[h.id], ref[j].score))
            << ctx << ": rank " << j << " got " << h.id << " want " << ref[j].id;
      }
    }
  }
  EXPECT_GT(nonempty, 25);
}

// Execute (the pruned paths) against ExecuteExhaustive (the iterator tree, every match scored):
// the same count, ids and scores, bit for bit.
void ExpectPrunedEqualsTree(const engine::PlanNode& plan, const index::Snapshot& snap, size_t k,
                            bool count, const std::string& ctx) {
  auto got = engine::Execute(plan, snap, k, count);
  auto want = engine::ExecuteExhaustive(plan, snap, k, count);
  ASSERT_TRUE(got.ok() && want.ok()) << ctx;
  EXPECT_EQ(got->count, want->count) << ctx;
  ASSERT_EQ(got->top.size(), want->top.size()) << ctx;
  for (size_t j = 0; j < got->top.size(); ++j) {
    ASSERT_EQ(got->top[j].doc, want->top[j].doc) << ctx << " rank " << j;
    ASSERT_EQ(got->top[j].score, want->top[j].score) << ctx << " rank " << j;
  }
}

// bm25f queries of terms alone (one term, OR, AND, +a b -c, field-qualified, boosted) run through
// the pruned algorithms over CombinedPostings (MaxScore, block-max WAND, the block-max
// conjunction): their top k and counts equal the iterator tree's (every match scored), ids and
// scores bit for bit, on segments long enough for several blocks per list; and --verify-pruning
// finds nothing. Queries with a phrase or a nested group still take the tree.
TEST_P(Bm25fProperty, PrunedEqualsTheIteratorTreeBitForBit) {
  Fixture fx;
  ASSERT_NO_FATAL_FAILURE(Build(GetParam() + 100, &fx, true, /*min_docs=*/500,
                                /*per_segment=*/300));
  auto analyzer = Analyzer::Create(fx.reader->analyzer_options());
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  const index::Snapshot& snap = index::SnapshotOf(*fx.reader);
  std::mt19937 rng(GetParam() * 13 + 5);
  auto word = [&] { return std::string(kWords[rng() % kNumWords]); };
  const std::vector<std::vector<std::pair<std::string, float>>> weights = {
      {}, {{"title", 2.5f}}, {{"title", 4.0f}, {"text", 0.5f}}, {{"text", 0.0f}}};
  const std::vector<std::vector<std::pair<std::string, float>>> bs = {
      {}, {{"title", 0.0f}, {"text", 1.0f}}, {{"text", 0.75f}}};
  int flat = 0;
  for (int i = 0; i < 36; ++i) {
    std::string q;
    bool want_flat = true;
    switch (i % 9) {
      case 0:
        q = word();
        break;
      case 1:
        q = word() + " " + word() + " " + word();
        break;
      case 2:
        q = "+" + word() + " +" + word();
        break;
      case 3:
        q = "+" + word() + " " + word() + " " + word() + " -" + word();
        break;
      case 4:
        q = "title:" + word() + " " + word();
        break;
      case 5:
        q = word() + "^3 " + word() + " " + word() + "^0.5";
        break;
      case 6:  // a group the parser may keep nested: then the tree (its sum added as one float)
        q = "(" + word() + " " + word() + ")^2 +" + word();
        break;
      case 7:
        q = "+" + word() + " +" + word() + " +" + word() + " " + word();
        break;
      default:
        q = "\"" + word() + " " + word() + "\" " + word();
        want_flat = false;
    }
    SearchOptions opts;
    opts.ranking.ranker = "bm25f";
    opts.ranking.k1 = i % 2 ? 1.2f : 0.9f;
    opts.ranking.field_weights = weights[rng() % weights.size()];
    opts.ranking.field_b = bs[rng() % bs.size()];
    opts.load_stored = false;
    auto pq = engine::Prepare(*fx.reader, &*analyzer, q, opts);
    ASSERT_TRUE(pq.ok()) << q << ": " << pq.status();
    if (i % 9 != 6) {
      ASSERT_EQ(engine::RunsFlat(*pq->plan), want_flat) << q;
    }
    flat += engine::RunsFlat(*pq->plan);
    for (size_t k : {0, 1, 10, 1000}) {  // k = 0: the count alone (count.h's paths)
      const size_t kk = std::min<size_t>(k, fx.reader->max_doc());
      for (bool count : {false, true}) {
        if (k == 0 && !count) continue;
        ASSERT_NO_FATAL_FAILURE(ExpectPrunedEqualsTree(
            *pq->plan, snap, kk, count, q + " k=" + std::to_string(k) + (count ? " count" : "")));
      }
      if (k == 0) continue;
      opts.k = k;
      opts.count = true;
      opts.verify_pruning = true;
      auto res = fx.searcher->Search(q, opts);
      ASSERT_TRUE(res.ok()) << q << ": " << res.status();
      EXPECT_EQ(res->pruning_differences, "") << q << " k=" << k;
    }
  }
  EXPECT_GE(flat, 28);
}

// Single-field queries with a SHOULD group inside (`(a b) c`, boosted groups, groups beside
// required terms): AsFlat lists the group's terms flat for the pruned algorithms, so their
// float sums must still equal the iterator tree's, which adds the group's sum as one value.
TEST_P(Bm25fProperty, FlattenedGroupsEqualTheIteratorTreeBitForBit) {
  Fixture fx;
  ASSERT_NO_FATAL_FAILURE(Build(GetParam() + 200, &fx, /*two_fields=*/false, /*min_docs=*/500,
                                /*per_segment=*/300));
  auto analyzer = Analyzer::Create(fx.reader->analyzer_options());
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  const index::Snapshot& snap = index::SnapshotOf(*fx.reader);
  std::mt19937 rng(GetParam() * 17 + 3);
  auto word = [&] { return std::string(kWords[rng() % kNumWords]); };
  int flat = 0;
  for (int i = 0; i < 42; ++i) {
    std::string q;
    int want_flat = -1;  // -1: either (the parser may list a plain group flat itself)
    switch (i % 6) {
      case 0:
        q = word() + " (" + word() + " " + word() + ")";
        break;
      case 1:  // a group beside a scoring clause: the tree adds the group's sum as one value
        q = "(" + word() + " " + word() + ")^2 +" + word();
        want_flat = 0;
        break;
      case 2:
        q = "(" + word() + " " + word() + ") (" + word() + " " + word() + " " + word() + ")";
        break;
      case 3:
        q = "+" + word() + " (" + word() + "^3 " + word() + ") -" + word();
        break;
      case 4:
        q = "(" + word() + "^0.7 " + word() + ")^1.3 " + word() + "^2.1 " + word();
        break;
      default:  // the only scoring clause is the group: its terms listed flat sum the same
        q = "(" + word() + " " + word() + " " + word() + ")^2 -" + word();
        want_flat = 1;
    }
    SearchOptions opts;
    opts.ranking.k1 = i % 2 ? 1.2f : 0.9f;
    opts.load_stored = false;
    auto pq = engine::Prepare(*fx.reader, &*analyzer, q, opts);
    ASSERT_TRUE(pq.ok()) << q << ": " << pq.status();
    if (want_flat >= 0) {
      EXPECT_EQ(engine::RunsFlat(*pq->plan), want_flat == 1) << q;
    }
    flat += engine::RunsFlat(*pq->plan);
    for (size_t k : {1, 10, 1000}) {
      const size_t kk = std::min<size_t>(k, fx.reader->max_doc());
      ASSERT_NO_FATAL_FAILURE(ExpectPrunedEqualsTree(*pq->plan, snap, kk, /*count=*/true,
                                                     q + " k=" + std::to_string(k)));
    }
  }
  EXPECT_GE(flat, 14);  // the pruned algorithms are what is compared
}

INSTANTIATE_TEST_SUITE_P(Seeds, Bm25fProperty, ::testing::Values(1u, 2u, 3u));

// On an index with one field, w = 1 and that field's b, BM25F is the field's Lucene BM25.
TEST(Bm25f, OneFieldIsBm25) {
  Fixture fx;
  ASSERT_NO_FATAL_FAILURE(Build(11, &fx, /*two_fields=*/false));
  for (const char* q : {"alpha", "beta gamma", "eta theta iota kappa", "mu alpha"}) {
    SearchOptions opts;
    opts.k = 1000;
    opts.query_syntax = false;
    opts.load_stored = false;
    auto bm25 = fx.searcher->Search(q, opts);
    opts.ranking.ranker = "bm25f";
    auto f = fx.searcher->Search(q, opts);
    ASSERT_TRUE(bm25.ok() && f.ok());
    ASSERT_EQ(bm25->hits.size(), f->hits.size()) << q;
    ASSERT_FALSE(f->hits.empty()) << q;
    std::map<uint64_t, float> want;
    for (const Hit& h : bm25->hits) want[h.doc] = h.score;
    for (const Hit& h : f->hits) {
      ASSERT_TRUE(want.count(h.doc)) << q;
      EXPECT_NEAR(h.score, want[h.doc], 1e-5 * std::max(1.0f, want[h.doc])) << q;
    }
  }
}

// The explanation of a bm25f hit starts with its score and names each field's contribution.
TEST(Bm25f, ExplanationAddsUp) {
  Fixture fx;
  ASSERT_NO_FATAL_FAILURE(Build(5, &fx));
  SearchOptions opts;
  opts.ranking.ranker = "bm25f";
  opts.ranking.field_weights = {{"title", 2.0f}};
  opts.explain = true;
  opts.k = 3;
  auto res = fx.searcher->Search("alpha beta", opts);
  ASSERT_TRUE(res.ok()) << res.status();
  ASSERT_FALSE(res->hits.empty());
  for (const Hit& h : res->hits) {
    EXPECT_NEAR(std::stod(h.explanation), h.score, 1e-5) << h.explanation;
    EXPECT_NE(h.explanation.find("bm25f("), std::string::npos) << h.explanation;
    EXPECT_NE(h.explanation.find("tf~="), std::string::npos) << h.explanation;
  }
}

TEST(Bm25f, BadOptionsAreInvalidArgument) {
  Fixture fx;
  ASSERT_NO_FATAL_FAILURE(Build(7, &fx));
  auto fails = [&](RankingOptions ro, const std::string& want) {
    SearchOptions opts;
    opts.ranking = ro;
    auto res = fx.searcher->Search("alpha", opts);
    ASSERT_FALSE(res.ok());
    EXPECT_EQ(res.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(res.status().message().find(want), std::string::npos) << res.status();
  };
  RankingOptions ro;
  ro.field_b = {{"title", 0.3f}};
  fails(ro, "use --ranker bm25f");  // per-field b with another ranker
  ro.ranker = "bm25f";
  ro.field_b = {{"title", 1.5f}};
  fails(ro, "must be in [0, 1]");
  ro.field_b = {{"nosuch", 0.5f}};
  fails(ro, "--field-b: unknown field \"nosuch\"");
}

}  // namespace
}  // namespace scour
