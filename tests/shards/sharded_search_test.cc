// Sharded search equals one index (docs/DISTRIBUTED.md): random corpora split skewedly into 1-5
// shards, one shard holding every document with a chosen term; every query kind, rankers, field
// weights, counts; after deletions and updates (deleted documents still counted, unmerged) and
// after a force merge. Scores must be equal bit for bit and every id must carry, in one index,
// exactly the score it has in the set (among equal scores the set orders by global id, one
// index by its own internal id). A negative control shows that each shard's own statistics
// would give other scores.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/writer/open_writer.h"
#include "scour/distributed.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"
#include "scour/synonyms.h"

namespace scour {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kWords = {
    "apple",  "apply", "april", "banana", "band", "bank",   "cherry", "chess",  "delta",
    "dance",  "eagle", "early", "fable",  "fact", "garden", "gate",   "harbor", "hat",
    "island", "iron",  "jolly", "joke",   "kite", "king",   "lemon",  "light",  "mango"};
constexpr char kSkewTerm[] = "zephyr";  // every document holding it goes to shard 0

std::string Text(std::mt19937& rng, int min_words, int max_words, bool skew) {
  std::uniform_int_distribution<int> len(min_words, max_words);
  // Zipf-ish: low word indexes far more frequent, so scores vary and some tie.
  std::uniform_real_distribution<double> u(0, 1);
  std::string t;
  const int n = len(rng);
  for (int i = 0; i < n; ++i) {
    size_t w = static_cast<size_t>(kWords.size() * u(rng) * u(rng));
    t += (i ? " " : "") + kWords[w];
  }
  if (skew) t += std::string(" ") + kSkewTerm;
  return t;
}

Document MakeDoc(const std::string& id, std::mt19937& rng, bool skew) {
  Document d;
  d.id = id;
  d.fields.push_back({"title", Text(rng, 1, 4, false)});
  d.fields.push_back({"body", Text(rng, 3, 30, skew)});
  return d;
}

bool HasSkew(const Document& d) {
  for (const Field& f : d.fields)
    if (f.value.find(kSkewTerm) != std::string::npos) return true;
  return false;
}

// Indexes in memory (no fsync: the test stays fast on a busy disk).
std::shared_ptr<const IndexReader> ReaderOf(index::Directory* dir) {
  auto r = index::OpenIndexReader(dir, {});
  EXPECT_TRUE(r.ok()) << r.status();
  return *std::move(r);
}

// Stored with the index and every shard alike (a set's synonyms are one index's): equivalences,
// a one-way rule and a multi-word side (a phrase).
std::shared_ptr<const SynonymSet> Synonyms() {
  auto s =
      SynonymSet::Parse("apple, lemon\nkite => king hat\niron gate, harbor\n", AnalyzerOptions());
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

IndexWriterOptions WriterOptions() {
  IndexWriterOptions o;
  o.auto_merge = false;  // deleted documents stay counted until the force merge
  o.threads = 1;
  return o;
}

std::vector<std::string> Queries() {
  return {"apple",
          "zephyr",
          "apple banana",
          "zephyr apple",
          "+apple +banana",
          "apple -banana",
          "+zephyr cherry",
          "\"apple banana\"",
          "\"apple apple\"",
          "\"banana apple\"~3",
          "app*",
          "ba* zephyr",
          "title:apple body:banana",
          "title:(apple cherry)",
          "apple^2.5 banana^0.5",
          "(apple (banana cherry)) -delta",
          "+(apple banana) +(cherry zephyr)",
          "body:\"zephyr\"",
          "kite lemon mango island",
          "nosuchword",
          "apple nosuchword",
          "kite \"iron gate\"",
          "lemon king"};
}

struct Variant {
  SearchOptions options;
  std::string name;
};

std::vector<Variant> Variants() {
  std::vector<Variant> v;
  // Every model: Lucene BM25 and its variants, bm25tp (a proximity re-ranking of the BM25 top
  // RerankDepth(k): the merge must pick one index's candidates), QLD and DFR.
  for (const char* ranker : {"bm25", "bm25-robertson", "bm25+", "bm25l", "bm25tp", "qld",
                             "dfr-inb2", "dfr-inexpb2", "dfr-inl2"}) {
    Variant x;
    x.options.ranking.ranker = ranker;
    x.options.k = 7;
    x.options.count = true;
    x.name = ranker;
    v.push_back(x);
  }
  Variant and_;
  and_.options.default_and = true;
  and_.options.k = 3;
  and_.name = "default_and";
  v.push_back(and_);
  Variant weights;
  weights.options.ranking.field_weights = {{"title", 2.0f}};
  weights.options.k = 1000;  // more than there are documents
  weights.name = "weights, all hits";
  v.push_back(weights);
  Variant plain;
  plain.options.query_syntax = false;
  plain.options.k = 5;
  plain.name = "plain text";
  v.push_back(plain);
  Variant body;
  body.options.default_fields = {"body"};
  body.options.k = 10;
  body.name = "default field body";
  v.push_back(body);
  Variant plain_tp;
  plain_tp.options.query_syntax = false;
  plain_tp.options.ranking.ranker = "bm25tp";
  plain_tp.options.k = 150;  // re-ranks deeper than kMinRerankDepth
  plain_tp.name = "plain text, bm25tp, deep";
  v.push_back(plain_tp);
  Variant no_syn;
  no_syn.options.use_synonyms = false;
  no_syn.options.k = 10;
  no_syn.name = "without the stored synonyms";
  v.push_back(no_syn);
  return v;
}

// The set's hits for every query and variant against one index's; *compared counts the hits.
void ExpectEqual(const Searcher& one, const ShardedSearcher& set, const std::string& state,
                 size_t* compared) {
  const std::vector<std::string> queries = Queries();
  for (const Variant& v : Variants()) {
    const BatchResults a = one.SearchBatch(queries, v.options, 1);
    const BatchResults b = set.SearchBatch(queries, v.options, 2);
    SearchOptions all = v.options;
    all.k = one.reader().max_doc() + 1;
    const BatchResults full = one.SearchBatch(queries, all, 1);
    for (size_t q = 0; q < queries.size(); ++q) {
      SCOPED_TRACE(state + " / " + v.name + " / " + queries[q]);
      ASSERT_TRUE(a.errors[q].ok()) << a.errors[q];
      ASSERT_TRUE(b.errors[q].ok()) << b.errors[q];
      EXPECT_EQ(a.total_hits[q], b.total_hits[q]);
      const size_t na = a.offsets[q + 1] - a.offsets[q], nb = b.offsets[q + 1] - b.offsets[q];
      ASSERT_EQ(na, nb);
      // One index's score of every id it matches.
      std::map<std::string, float> score_of;
      for (size_t i = full.offsets[q]; i < full.offsets[q + 1]; ++i)
        score_of[std::string(*one.reader().ExternalId(full.docs[i]))] = full.scores[i];
      for (size_t i = 0; i < na; ++i) {
        const float sa = a.scores[a.offsets[q] + i], sb = b.scores[b.offsets[q] + i];
        EXPECT_EQ(std::memcmp(&sa, &sb, sizeof sa), 0)
            << "rank " << i << ": " << sa << " vs " << sb;
        const std::string id(*set.ExternalId(b.docs[b.offsets[q] + i]));
        ASSERT_TRUE(score_of.count(id)) << id << " is not a hit of one index";
        const float so = score_of[id];
        EXPECT_EQ(std::memcmp(&so, &sb, sizeof so), 0) << id << ": " << so << " vs " << sb;
        ++*compared;
      }
    }
  }
  // Search (round 3): stored fields and snippets of the final k as one index gives them.
  SearchOptions s;
  s.k = 5;
  s.snippet_field = "body";
  for (const char* q : {"apple banana", "\"apple banana\" zephyr", "ba*"}) {
    auto a = one.Search(q, s);
    auto b = set.Search(q, s);
    SCOPED_TRACE(state + " / Search / " + q);
    EXPECT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->parsed_query, b->parsed_query);
    ASSERT_EQ(a->hits.size(), b->hits.size());
    for (size_t i = 0; i < b->hits.size(); ++i) {
      EXPECT_EQ(a->hits[i].score, b->hits[i].score);
      EXPECT_EQ(b->hits[i].document.id, b->hits[i].id);
      if (a->hits[i].id == b->hits[i].id) {
        EXPECT_EQ(a->hits[i].snippet, b->hits[i].snippet);
        EXPECT_EQ(a->hits[i].document.fields, b->hits[i].document.fields);
      }
    }
  }
}

// Scores a shard gives with its own statistics that differ from one index's for the same id.
size_t LocalScoresThatDiffer(const Searcher& one,
                             const std::vector<std::unique_ptr<index::Directory>>& shards) {
  size_t differ = 0;
  SearchOptions o;
  o.k = 1000;
  const std::vector<std::string> queries = Queries();
  const BatchResults full = one.SearchBatch(queries, o, 1);
  for (const auto& dir : shards) {
    auto searcher = Searcher::Create(ReaderOf(dir.get()));
    const BatchResults local = (*searcher)->SearchBatch(queries, o, 1);
    for (size_t q = 0; q < queries.size(); ++q) {
      std::map<std::string, float> score_of;
      for (size_t i = full.offsets[q]; i < full.offsets[q + 1]; ++i)
        score_of[std::string(*one.reader().ExternalId(full.docs[i]))] = full.scores[i];
      for (size_t i = local.offsets[q]; i < local.offsets[q + 1]; ++i) {
        auto id = (*searcher)->reader().ExternalId(local.docs[i]);
        if (score_of[std::string(*id)] != local.scores[i]) ++differ;
      }
    }
  }
  return differ;
}

class ShardedSearchTest : public ::testing::TestWithParam<int> {};

TEST_P(ShardedSearchTest, EqualsOneIndex) {
  const int seed = GetParam();
  std::mt19937 rng(seed);
  const size_t num_shards = 1 + seed % 5;
  const size_t num_docs = 60 + rng() % 140;
  // Skewed: shard i's weight grows geometrically, so the last shards hold most documents.
  std::vector<double> weights;
  for (size_t i = 0; i < num_shards; ++i) weights.push_back(std::pow(3.0, double(i)));
  std::discrete_distribution<size_t> pick(weights.begin(), weights.end());
  std::bernoulli_distribution skew(0.15);

  std::vector<Document> docs;
  std::vector<size_t> shard_of;
  for (size_t i = 0; i < num_docs; ++i) {
    docs.push_back(MakeDoc("d" + std::to_string(i), rng, skew(rng)));
    shard_of.push_back(HasSkew(docs.back()) ? 0 : pick(rng));
  }
  std::unique_ptr<index::Directory> single = index::NewMemDirectory();
  std::vector<std::unique_ptr<index::Directory>> shard_dirs;
  for (size_t s = 0; s < num_shards; ++s) shard_dirs.push_back(index::NewMemDirectory());

  // Session 1: every document, in two commits (two segments in each index).
  auto w1 = *index::OpenIndexWriter(single.get(), WriterOptions());
  std::vector<std::unique_ptr<IndexWriter>> ws;
  for (const auto& d : shard_dirs) ws.push_back(*index::OpenIndexWriter(d.get(), WriterOptions()));
  ASSERT_TRUE(w1->SetSynonyms(Synonyms()).ok());
  for (auto& w : ws) ASSERT_TRUE(w->SetSynonyms(Synonyms()).ok());
  for (size_t i = 0; i < num_docs; ++i) {
    ASSERT_TRUE(w1->AddDocument(docs[i]).ok());
    ASSERT_TRUE(ws[shard_of[i]]->AddDocument(docs[i]).ok());
    if (i == num_docs / 2) {
      ASSERT_TRUE(w1->Commit().ok());
      for (auto& w : ws) ASSERT_TRUE(w->Commit().ok());
    }
  }
  ASSERT_TRUE(w1->Commit().ok());
  for (auto& w : ws) ASSERT_TRUE(w->Commit().ok());

  auto check = [&](const std::string& state) {
    auto one = *Searcher::Create(ReaderOf(single.get()));
    std::vector<std::shared_ptr<const IndexReader>> readers;
    for (const auto& d : shard_dirs) readers.push_back(ReaderOf(d.get()));
    auto set = ShardedSearcher::Create(std::move(readers));
    ASSERT_TRUE(set.ok()) << set.status();
    EXPECT_EQ((*set)->collection().max_doc, one->reader().max_doc());
    EXPECT_EQ((*set)->collection().num_docs, one->reader().num_docs());
    size_t compared = 0;
    ExpectEqual(*one, **set, state, &compared);
    EXPECT_GT(compared, 100u);
    if (num_shards > 1) {
      EXPECT_GT(LocalScoresThatDiffer(*one, shard_dirs), 0u) << state;
    }
  };
  check("added");

  // Session 2: deletions and updates (an update keeps the id in its shard; the old version stays
  // counted in the statistics of both until a merge). A segment whose every document is deleted
  // is dropped at commit, which is a merge in effect (docs/DISTRIBUTED.md): the first document
  // of each shard's two segments is left alone so that no shard drops one.
  std::set<size_t> keep;
  for (size_t s = 0; s < num_shards; ++s) {
    for (auto [begin, end] : {std::pair<size_t, size_t>{0, num_docs / 2 + 1},
                              std::pair<size_t, size_t>{num_docs / 2 + 1, num_docs}}) {
      for (size_t i = begin; i < end; ++i)
        if (shard_of[i] == s) {
          keep.insert(i);
          break;
        }
    }
  }
  std::bernoulli_distribution change(0.2);
  for (size_t i = 0; i < num_docs; ++i) {
    if (keep.count(i) || !change(rng)) continue;
    const std::string id = docs[i].id;
    if (rng() % 2) {
      ASSERT_TRUE(w1->DeleteDocument(id).ok());
      ASSERT_TRUE(ws[shard_of[i]]->DeleteDocument(id).ok());
    } else {
      Document d = MakeDoc(id, rng, shard_of[i] == 0 && skew(rng));
      ASSERT_TRUE(w1->AddDocument(d).ok());
      ASSERT_TRUE(ws[shard_of[i]]->AddDocument(d).ok());
    }
  }
  ASSERT_TRUE(w1->Commit().ok());
  for (auto& w : ws) ASSERT_TRUE(w->Commit().ok());
  check("deleted and updated");

  ASSERT_TRUE(w1->ForceMerge(1).ok());
  for (auto& w : ws) ASSERT_TRUE(w->ForceMerge(1).ok());
  check("force merged");
}

#ifdef SCOUR_TEST_SANITIZED
constexpr int kShardSeeds = 5;  // instrumented, each seed costs ~5 s; the ci build runs all 10
#else
constexpr int kShardSeeds = 10;
#endif
INSTANTIATE_TEST_SUITE_P(Seeds, ShardedSearchTest, ::testing::Range(0, kShardSeeds));

TEST(ShardedSearchErrorsTest, ProtocolMisuse) {
  const fs::path root = fs::path(testing::TempDir()) / "sharded_errors";
  fs::remove_all(root);
  fs::create_directories(root);
  std::mt19937 rng(1);
  for (const char* name : {"a", "b"}) {
    IndexWriterOptions o = WriterOptions();
    if (std::string(name) == "b") o.analyzer.language = "none";
    auto w = *IndexWriter::Open((root / name).string(), o);
    ASSERT_TRUE(w->AddDocument(MakeDoc(std::string("x") + name, rng, false)).ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  // Shards analysed differently cannot be one collection.
  auto mixed =
      ShardedSearcher::Open(std::vector<std::string>{(root / "a").string(), (root / "b").string()});
  EXPECT_EQ(mixed.status().code(), absl::StatusCode::kInvalidArgument) << mixed.status();
  auto reader = *IndexReader::Open((root / "a").string());
  CollectionStatistics c = *MergeShardInfo({GetShardInfo(*reader)});
  // Round 2 without round 1's statistics: each query says what was missing.
  auto r = ShardSearch(*reader, 0, {"apple"}, SearchOptions(), c);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->hits.errors[0].code(), absl::StatusCode::kInvalidArgument);
  // Another snapshot than round 0's.
  c.generations[0] += 1;
  EXPECT_EQ(ShardSearch(*reader, 0, {"apple"}, SearchOptions(), c).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Answers that do not match the request.
  CollectionStatistics d;
  ASSERT_TRUE(AddTermStatistics({{"body", "a", 1, 1}}, &d).ok());
  EXPECT_FALSE(AddTermStatistics({{"body", "b", 1, 1}}, &d).ok());
  EXPECT_FALSE(MergeResults({}, 3).ok());
  SearchOptions explain;
  explain.explain = true;
  auto set = *ShardedSearcher::Open((root / "a").string());
  EXPECT_EQ(set->Search("apple", explain).status().code(), absl::StatusCode::kInvalidArgument);
  SearchOptions expand;
  expand.ranking.expand = "rm3";
  EXPECT_EQ(set->Search("apple", expand).status().code(), absl::StatusCode::kInvalidArgument);
  SearchOptions bm25f;
  bm25f.ranking.ranker = "bm25f";
  EXPECT_EQ(set->SearchBatch({"apple"}, bm25f).errors[0].code(),
            absl::StatusCode::kInvalidArgument);
  // Shards storing other synonyms than shard 0 are not one collection.
  {
    auto w = *IndexWriter::Open((root / "c").string(), WriterOptions());
    ASSERT_TRUE(w->AddDocument(MakeDoc("xc", rng, false)).ok());
    ASSERT_TRUE(w->SetSynonyms(Synonyms()).ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  auto differ =
      ShardedSearcher::Open(std::vector<std::string>{(root / "a").string(), (root / "c").string()});
  EXPECT_EQ(differ.status().code(), absl::StatusCode::kFailedPrecondition) << differ.status();
  EXPECT_FALSE(set->ExternalId(99).ok());
  fs::remove_all(root);
}

}  // namespace
}  // namespace scour
