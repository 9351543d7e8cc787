// `merge --reorder` (IndexWriter::ForceMerge with ForceMergeOptions::reorder) end to end: an
// index of several segments with deletions, two fields, stored text and term vectors is copied;
// one copy is merged plainly, the other in BP order. Every query kind must give the same (id,
// score) set on both, counts included; the reordered segment passes CheckIndex; stored fields
// and term vectors follow their document; deletions are gone; and the documents really moved:
// the postings' log-gap cost falls against the plain merge (so a merge that ignored the
// permutation fails). The stored fields are also put in order through a buffer smaller than
// them (several passes), which must give the same segment as one pass.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/inspect/checker.h"
#include "index/postings/segment_postings.h"
#include "index/segment/term_vectors.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"

namespace scour {
namespace {

namespace fs = std::filesystem;

constexpr int kDocs = 600, kTopics = 6;

// Topic t's words are "t<t>w<i>"; every document also has common words. Documents of one topic
// are spread over the input order, so BP has structure to find.
std::string Word(int topic, int i) { return "t" + std::to_string(topic) + "w" + std::to_string(i); }

Document MakeDoc(int i) {
  const int topic = (i * 7 + i / 5) % kTopics;
  uint32_t x = uint32_t(i) * 2654435761u + 12345u;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  };
  std::string title = Word(topic, next() % 5) + " " + Word(topic, next() % 5);
  std::string body;
  const int len = 8 + int(next() % 40);
  for (int k = 0; k < len; ++k) {
    if (!body.empty()) body += ' ';
    const uint32_t r = next() % 10;
    if (r < 6)
      body += Word(topic, next() % 25);
    else if (r < 8)
      body += "common" + std::to_string(next() % 8);
    else
      body += Word(int(next() % kTopics), next() % 25);
  }
  // A stored, unindexed note of ~4 KB: 2.4 MB of stored text in all, for the buffer test.
  std::string note;
  while (note.size() < 4000) note += std::to_string(next()) + ' ';
  Document d;
  d.id = "doc" + std::to_string(i);
  d.fields = {
      {"title", title, true, true}, {"body", body, true, true}, {"note", note, false, true}};
  return d;
}

bool Deleted(int i) { return i % 13 == 5; }

class ReorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = ::testing::TempDir() + "/scour_reorder_" + info->name();
    fs::remove_all(root_);
    fs::create_directories(root_);
    // Several segments (a commit every 150 documents, no automatic merge), term vectors, then
    // deletions in every segment.
    const std::string base = root_ + "/base";
    IndexWriterOptions o;
    o.threads = 1;
    o.auto_merge = false;
    o.term_vectors = true;
    auto w = IndexWriter::Open(base, o);
    ASSERT_TRUE(w.ok()) << w.status();
    for (int i = 0; i < kDocs; ++i) {
      ASSERT_TRUE((*w)->AddDocument(MakeDoc(i)).ok());
      if (i % 150 == 149) {
        ASSERT_TRUE((*w)->Commit().ok());
      }
    }
    for (int i = 0; i < kDocs; ++i)
      if (Deleted(i)) {
        ASSERT_TRUE((*w)->DeleteDocument("doc" + std::to_string(i)).ok());
      }
    ASSERT_TRUE((*w)->Commit().ok());
    w->reset();
    auto r = IndexReader::Open(base);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_GE((*r)->num_segments(), 4u);
    ASSERT_LT((*r)->num_docs(), (*r)->max_doc());
  }
  void TearDown() override { fs::remove_all(root_); }

  // A copy of the base index merged with `options`.
  std::shared_ptr<IndexReader> Merged(const std::string& name, const ForceMergeOptions& options,
                                      size_t ram_mb = 256) {
    const std::string path = root_ + "/" + name;
    fs::copy(root_ + "/base", path, fs::copy_options::recursive);
    IndexWriterOptions o;
    o.create_if_missing = false;
    o.threads = 1;
    o.ram_budget_mb = ram_mb;
    auto w = IndexWriter::Open(path, o);
    EXPECT_TRUE(w.ok()) << w.status();
    if (!w.ok()) return nullptr;
    absl::Status s = (*w)->ForceMerge(options);
    EXPECT_TRUE(s.ok()) << s;
    w->reset();
    auto dir = index::OpenFsDirectory(path, false);
    EXPECT_TRUE(dir.ok());
    const index::CheckReport report = index::CheckIndex(dir->get());
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems[0]);
    auto r = IndexReader::Open(path);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : nullptr;
  }

  static ForceMergeOptions Reorder() {
    ForceMergeOptions m;
    m.reorder = true;
    m.reorder_options.iterations = 8;
    m.reorder_options.min_doc_freq = 2;
    m.reorder_options.min_partition = 4;
    return m;
  }

  std::string root_;
};

// Sum of log2(gap + 1) over every postings list of the one segment (the BP objective).
double LogGapCost(const IndexReader& reader) {
  const index::Snapshot& snap = index::SnapshotOf(reader);
  EXPECT_EQ(snap.segments.size(), 1u);
  const index::SegmentReader& seg = *snap.segments[0];
  double cost = 0;
  for (auto it = seg.dict().Seek(std::string(1, '\x01')); it.Valid(); it.Next()) {
    const uint32_t field = static_cast<uint8_t>(it.key()[0]);
    index::SegmentPostings p = seg.Postings(field, it.info());
    uint32_t prev = 0;
    bool first = true;
    for (index::DocId d = p.doc(); d != index::kNoMoreDocs; d = p.Next()) {
      cost += std::log2(double(first ? d : d - prev) + 1);
      prev = d;
      first = false;
    }
    EXPECT_TRUE(p.ok());
  }
  return cost;
}

// Internal doc ids in segment order (to see that the order changed).
std::vector<std::string> IdsInOrder(const IndexReader& reader) {
  std::vector<std::string> ids;
  for (uint64_t d = 0; d < reader.max_doc(); ++d) {
    auto doc = reader.Document(d);
    EXPECT_TRUE(doc.ok()) << doc.status();
    ids.push_back(doc.ok() ? doc->id : "");
  }
  return ids;
}

using Ranked = std::vector<std::pair<float, std::string>>;

struct Answer {
  Ranked hits;                // sorted by (score descending, id): ties in any order compare equal
  std::vector<float> scores;  // in rank order
  uint64_t total = 0;
};

Answer Ask(const Searcher& searcher, const std::string& query, const SearchOptions& o) {
  auto res = searcher.Search(query, o);
  EXPECT_TRUE(res.ok()) << query << ": " << res.status();
  Answer a;
  if (!res.ok()) return a;
  for (const Hit& h : res->hits) {
    a.hits.emplace_back(h.score, h.id);
    a.scores.push_back(h.score);
  }
  std::sort(a.hits.begin(), a.hits.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  a.total = res->total_hits;
  return a;
}

TEST_F(ReorderTest, SameAnswersForEveryQueryKind) {
  auto plain = Merged("plain", ForceMergeOptions{});
  auto bp = Merged("bp", Reorder());
  ASSERT_TRUE(plain && bp);
  EXPECT_EQ(plain->num_segments(), 1u);
  EXPECT_EQ(bp->num_segments(), 1u);
  EXPECT_EQ(bp->num_docs(), plain->num_docs());
  EXPECT_EQ(bp->max_doc(), bp->num_docs());  // the deletions are gone
  ASSERT_NE(IdsInOrder(*bp), IdsInOrder(*plain));

  const std::vector<std::string> queries = {"t0w1",
                                            "common3",
                                            "t1w2 t1w3",
                                            "t2w0 common1 t3w4",
                                            "\"t0w1 t0w2\"",
                                            "\"common1 t4w3\"",
                                            "title:t5w2",
                                            "title:t1w0 body:t1w4",
                                            "+t2w1 -common2",
                                            "+t0w3 +common5",
                                            "t3w1 OR t4w1",
                                            "t5w2 AND common0",
                                            "t0w1^2 t1w1",
                                            "t0w*",
                                            "\"t2w1 t2w2\"~3",
                                            "nosuchword",
                                            "t4w7 t4w8 t4w9 common4 common6"};
  auto sp = Searcher::Create(plain), sb = Searcher::Create(bp);
  ASSERT_TRUE(sp.ok() && sb.ok());
  for (const std::string ranker : {"bm25", "bm25f"}) {
    for (bool and_mode : {false, true}) {
      SearchOptions o;
      o.default_and = and_mode;
      o.load_stored = false;
      o.ranking.ranker = ranker;
      for (const std::string& q : queries) {
        const std::string what = ranker + (and_mode ? " and " : " or ") + q;
        // Every match, counted.
        o.k = kDocs;
        o.count = true;
        const Answer all_p = Ask(**sp, q, o), all_b = Ask(**sb, q, o);
        EXPECT_EQ(all_b.hits, all_p.hits) << what;
        EXPECT_EQ(all_b.total, all_p.total) << what;
        // Pruned top k, with and without counting.
        o.k = 7;
        for (bool count : {false, true}) {
          o.count = count;
          const Answer top_p = Ask(**sp, q, o), top_b = Ask(**sb, q, o);
          EXPECT_EQ(top_b.scores, top_p.scores) << what;  // ties may swap ids, not scores
          EXPECT_EQ(top_b.total, top_p.total) << what;
        }
      }
    }
  }
}

TEST_F(ReorderTest, StoredFieldsAndTermVectorsFollowTheirDocument) {
  auto plain = Merged("plain", ForceMergeOptions{});
  auto bp = Merged("bp", Reorder());
  ASSERT_TRUE(plain && bp);
  std::map<std::string, Document> want;
  for (int i = 0; i < kDocs; ++i)
    if (!Deleted(i)) want.emplace("doc" + std::to_string(i), MakeDoc(i));
  ASSERT_EQ(bp->num_docs(), want.size());
  // Term vectors by id from the plain merge (copied as they were: the reference).
  auto vectors_by_id = [](const IndexReader& r) {
    std::map<std::string, std::vector<index::FieldTermVector>> out;
    const index::Snapshot& snap = index::SnapshotOf(r);
    const index::TermVectorsReader* tv = snap.segments[0]->term_vectors();
    EXPECT_NE(tv, nullptr);
    if (tv == nullptr) return out;
    for (uint32_t d = 0; d < r.max_doc(); ++d) {
      auto id = snap.segments[0]->ExternalId(d);
      EXPECT_TRUE(id.ok());
      std::vector<index::FieldTermVector> v;
      EXPECT_TRUE(tv->Get(d, &v).ok());
      out.emplace(std::string(*id), std::move(v));
    }
    return out;
  };
  const auto tv_plain = vectors_by_id(*plain), tv_bp = vectors_by_id(*bp);
  ASSERT_EQ(tv_bp.size(), want.size());
  for (uint64_t d = 0; d < bp->max_doc(); ++d) {
    auto doc = bp->Document(d);
    ASSERT_TRUE(doc.ok()) << doc.status();
    auto w = want.find(doc->id);
    ASSERT_NE(w, want.end()) << doc->id;
    ASSERT_NE(doc->Get("title"), nullptr);
    EXPECT_EQ(*doc->Get("title"), w->second.fields[0].value) << doc->id;
    EXPECT_EQ(*doc->Get("body"), w->second.fields[1].value) << doc->id;
  }
  for (const auto& [id, v] : tv_bp) {
    auto p = tv_plain.find(id);
    ASSERT_NE(p, tv_plain.end()) << id;
    ASSERT_EQ(v.size(), p->second.size()) << id;
    for (size_t f = 0; f < v.size(); ++f) {
      EXPECT_EQ(v[f].field, p->second[f].field) << id;
      EXPECT_EQ(v[f].terms, p->second[f].terms) << id;
    }
  }
}

TEST_F(ReorderTest, TheOrderLowersTheLogGapCost) {
  auto plain = Merged("plain", ForceMergeOptions{});
  auto bp = Merged("bp", Reorder());
  ASSERT_TRUE(plain && bp);
  const double before = LogGapCost(*plain), after = LogGapCost(*bp);
  // Six interleaved topics: documents of a topic grouped make the topic words' gaps ~1.
  EXPECT_LT(after, 0.85 * before) << before << " -> " << after;
}

TEST_F(ReorderTest, SmallBufferGivesTheSameSegmentAndSameRunGivesSameOrder) {
  auto one_pass = Merged("one", Reorder());
  auto again = Merged("again", Reorder());
  // A 1 MB buffer against ~2.4 MB of stored notes: the sources are read in several passes.
  size_t stored = 0;
  for (int i = 0; i < kDocs; ++i) stored += Deleted(i) ? 0 : MakeDoc(i).fields[2].value.size();
  ASSERT_GT(stored, size_t{2} << 20);
  auto small = Merged("small", Reorder(), /*ram_mb=*/1);
  ASSERT_TRUE(one_pass && again && small);
  EXPECT_EQ(IdsInOrder(*again), IdsInOrder(*one_pass));  // deterministic
  // Byte for byte the same files (same base, same segment number).
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(root_ + "/one")) {
    const fs::path other = fs::path(root_ + "/small") / e.path().filename();
    ASSERT_TRUE(fs::exists(other)) << other;
    std::ifstream a(e.path(), std::ios::binary), b(other, std::ios::binary);
    const std::string x((std::istreambuf_iterator<char>(a)), std::istreambuf_iterator<char>());
    const std::string y((std::istreambuf_iterator<char>(b)), std::istreambuf_iterator<char>());
    EXPECT_TRUE(x == y) << e.path().filename();
    ++files;
  }
  EXPECT_GE(files, 5u);
}

TEST_F(ReorderTest, OptionsOutOfRangeAreRejected) {
  for (auto change : std::vector<void (*)(ForceMergeOptions*)>{
           [](ForceMergeOptions* m) { m->reorder_options.iterations = 0; },
           [](ForceMergeOptions* m) { m->reorder_options.iterations = 101; },
           [](ForceMergeOptions* m) { m->reorder_options.min_doc_freq = 1; },
           [](ForceMergeOptions* m) { m->reorder_options.min_partition = 0; },
           [](ForceMergeOptions* m) { m->max_segments = 2; }}) {
    ForceMergeOptions m = Reorder();
    change(&m);
    IndexWriterOptions o;
    o.create_if_missing = false;
    auto w = IndexWriter::Open(root_ + "/base", o);
    ASSERT_TRUE(w.ok());
    EXPECT_EQ((*w)->ForceMerge(m).code(), absl::StatusCode::kInvalidArgument);
  }
  auto r = IndexReader::Open(root_ + "/base");
  ASSERT_TRUE(r.ok());
  EXPECT_GE((*r)->num_segments(), 4u);  // nothing merged
}

}  // namespace
}  // namespace scour
