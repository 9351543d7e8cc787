// Replace-by-id without a table of the session's ids (index/writer/id_deletes.h,
// session_filter.h): random sessions of adds, re-adds and deletes over many flushed segments
// against a model ("the last add of an id wins; a delete after it removes it", what the
// session id table did), repeated ids refused across flushed segments with forced hash
// collisions and filter false positives, and a commit failed at any I/O operation.
#include <map>
#include <random>
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/fault_directory.h"
#include "index/writer/open_writer.h"
#include "index/writer/session_filter.h"
#include "index/writer/session_ids.h"
#include "index/writer/worker_pool.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"

namespace scour {
namespace {

// External id -> the version tag of its live document.
using Versions = std::map<std::string, std::string>;

Document VersionedDoc(std::mt19937& rng, const std::string& id, const std::string& version) {
  Document d;
  d.id = id;
  std::string text;
  const int words = std::uniform_int_distribution<int>(20, 150)(rng);
  for (int i = 0; i < words; ++i) text += "w" + std::to_string(rng() % 2000) + " ";
  d.fields.push_back({"text", text});
  d.fields.push_back({"v", version});
  return d;
}

IndexWriterOptions Options(int threads, bool reject) {
  IndexWriterOptions o;
  o.analyzer.language = "none";
  o.threads = threads;
  o.ram_budget_mb = 1;  // segments of a few hundred documents: many per session
  o.auto_merge = false;
  o.reject_duplicate_ids = reject;
  return o;
}

void ExpectVersions(index::Directory* dir, const Versions& model,
                    const std::set<std::string>& absent) {
  auto reader = index::OpenIndexReader(dir, {});
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->num_docs(), model.size());
  for (const auto& [id, version] : model) {
    auto d = (*reader)->Find(id);
    ASSERT_TRUE(d.ok()) << id << ": " << d.status();
    auto stored = (*reader)->Document(*d);
    ASSERT_TRUE(stored.ok()) << stored.status();
    ASSERT_EQ(stored->fields.size(), 2u);
    EXPECT_EQ(stored->fields[1].second, version) << id;
  }
  for (const std::string& id : absent)
    if (!model.contains(id)) {
      EXPECT_FALSE((*reader)->Find(id).ok()) << id;
    }
}

TEST(IdBloom, NoFalseNegativesAndFewFalsePositives) {
  std::mt19937_64 rng(11);
  std::vector<uint64_t> keys(200000);
  for (uint64_t& k : keys) k = rng();
  const index::IdBloom bloom(keys);
  for (const uint64_t k : keys) ASSERT_TRUE(bloom.MayContain(k));
  EXPECT_LE(bloom.bytes(), keys.size() * index::IdBloom::kBitsPerKey / 8 + 32);
  constexpr int kProbes = 1000000;
  int hits = 0;
  for (int i = 0; i < kProbes; ++i) hits += bloom.MayContain(rng());
  std::fprintf(stderr, "16 bits per key: %.4f%% false positives\n", 100.0 * hits / kProbes);
  EXPECT_LT(hits, kProbes / 500);  // < 0.2%
  // A filter of 2 bits per key answers maybe far more often: the probe above can fail.
  const index::IdBloom small(keys, 2);
  int small_hits = 0;
  for (int i = 0; i < kProbes; ++i) small_hits += small.MayContain(rng());
  EXPECT_GT(small_hits, kProbes / 20);
  EXPECT_FALSE(index::IdBloom().MayContain(1));
}

TEST(SeqRuns, EqualsAVectorOfEveryNumber) {
  std::mt19937 rng(3);
  index::SeqRuns runs;
  std::vector<uint64_t> all;
  uint64_t next = 1;
  while (all.size() < 5000) {
    if (rng() % 100 == 0) next += 1 + rng() % 300;  // another batch's numbers
    all.push_back(next++);
    runs.Push(all.back());
  }
  ASSERT_EQ(runs.size(), all.size());
  for (uint32_t d = 0; d < all.size(); ++d) ASSERT_EQ(runs[d], all[d]) << d;
  EXPECT_LT(runs.bytes(), all.size() * sizeof(uint64_t) / 10);
}

class RandomSessions : public ::testing::TestWithParam<int> {};

// Sessions of random adds (new ids, re-adds of ids of this session or committed ones) and
// deletes (of ids added, committed, or never seen), committed or rolled back, over segments
// flushed every few hundred documents.
TEST_P(RandomSessions, LiveDocumentsEqualTheModel) {
  const int threads = GetParam();
  auto dir = index::NewFaultInjectingDirectory();
  std::mt19937 rng(100 + threads);
  Versions committed;
  std::set<std::string> ever;
  int version = 0;
  uint64_t flushed = 0;
  auto w = index::OpenIndexWriter(dir.get(), Options(threads, false));
  ASSERT_TRUE(w.ok()) << w.status();
  for (int session = 0; session < 6; ++session) {
    Versions model = committed;
    // The writer's table before session 15, as it was updated: what commit deleted.
    index::SessionIds old;
    std::map<uint64_t, std::string> version_of_seq;
    uint64_t seq = 0;
    const int pool = 300 + 200 * session;
    for (int op = 0; op < 900; ++op) {
      const std::string id = "id" + std::to_string(rng() % pool);
      ever.insert(id);
      index::SessionIds::State& st = old[id];
      if (rng() % 5 == 0) {
        ASSERT_TRUE((*w)->DeleteDocument(id).ok());
        model.erase(id);
        st.deleted = true;
      } else {
        const std::string v = "v" + std::to_string(++version);
        ASSERT_TRUE((*w)->AddDocument(VersionedDoc(rng, id, v)).ok());
        model[id] = v;
        st.last_add_seq = ++seq;
        st.deleted = false;
        version_of_seq[seq] = v;
      }
    }
    // The old table's semantics: an id of the session keeps its last add unless deleted after
    // it; its committed copy goes either way.
    Versions by_table = committed;
    old.ForEach([&](std::string_view id, const index::SessionIds::State& st) {
      by_table.erase(std::string(id));
      if (st.last_add_seq != 0 && !st.deleted)
        by_table[std::string(id)] = version_of_seq[st.last_add_seq];
    });
    ASSERT_EQ(by_table, model);
    if (session == 3) {
      ASSERT_TRUE((*w)->Rollback().ok());
    } else {
      ASSERT_TRUE((*w)->Commit().ok());
      committed = model;
    }
    flushed = (*w)->stats().segments_flushed;
    ASSERT_NO_FATAL_FAILURE(ExpectVersions(dir.get(), committed, ever));
  }
  EXPECT_GT(flushed, 10u) << "the 1 MB budget should flush many segments";
  ASSERT_TRUE((*w)->ForceMerge(1).ok());
  ExpectVersions(dir.get(), committed, ever);
}

INSTANTIATE_TEST_SUITE_P(Threads, RandomSessions, ::testing::Values(1, 2));

// A first build flushed once, with ids added more than once (commit settles them from the
// segment's doc map alone, without walking its ids).
TEST(SessionDeletes, OneSegmentFirstBuildKeepsTheLastCopies) {
  auto dir = index::NewFaultInjectingDirectory();
  std::mt19937 rng(9);
  IndexWriterOptions o = Options(1, false);
  o.ram_budget_mb = 64;
  auto w = index::OpenIndexWriter(dir.get(), o);
  ASSERT_TRUE(w.ok());
  Versions model;
  std::set<std::string> ever;
  for (int i = 0; i < 600; ++i) {
    const std::string id = "id" + std::to_string(rng() % 400);
    const std::string v = "v" + std::to_string(i);
    ASSERT_TRUE((*w)->AddDocument(VersionedDoc(rng, id, v)).ok());
    model[id] = v;
    ever.insert(id);
  }
  ASSERT_TRUE((*w)->Commit().ok());
  EXPECT_EQ((*w)->stats().segments_flushed, 1u);
  ExpectVersions(dir.get(), model, ever);
}

struct RejectCase {
  int threads;
  uint64_t mask;  // of the ids' hashes: 0xf forces collisions and filter false positives
};

class RejectRepeats : public ::testing::TestWithParam<RejectCase> {};

// With reject_duplicate_ids a repeated id is refused however far back in the session it was
// added (flushed segments, the builders, the batch being filled), and only then.
TEST_P(RejectRepeats, RefusedExactlyWhenAddedEarlierInTheSession) {
  const RejectCase c = GetParam();
  auto dir = index::NewFaultInjectingDirectory();
  std::mt19937 rng(7 + c.threads);
  auto w = index::OpenIndexWriter(dir.get(), Options(c.threads, true));
  ASSERT_TRUE(w.ok()) << w.status();
  index::SetIdHashMaskForTesting(w->get(), c.mask);
  Versions committed;
  std::set<std::string> ever;
  int version = 0;
  for (int session = 0; session < 3; ++session) {
    Versions model = committed;
    std::set<std::string> added;  // this session
    int refused = 0;
    const int pool = 1500;
    for (int op = 0; op < 1500; ++op) {
      const std::string id = "id" + std::to_string(rng() % pool);
      ever.insert(id);
      if (rng() % 10 == 0) {
        ASSERT_TRUE((*w)->DeleteDocument(id).ok());
        model.erase(id);
        continue;
      }
      const std::string v = "v" + std::to_string(++version);
      const absl::Status s = (*w)->AddDocument(VersionedDoc(rng, id, v));
      if (added.contains(id)) {
        ASSERT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << id << ": " << s;
        ++refused;
      } else {
        ASSERT_TRUE(s.ok()) << id << ": " << s;
        added.insert(id);
        model[id] = v;
      }
    }
    EXPECT_GT(refused, 100);
    const index::SessionFilterHits hits = index::SessionFilterHitsForTesting(**w);
    EXPECT_GT(hits.hits, 0u);
    if (c.mask == 0xf) {
      EXPECT_GT(hits.false_hits, 1000u);
    }
    ASSERT_TRUE((*w)->Commit().ok());
    committed = model;
    ASSERT_NO_FATAL_FAILURE(ExpectVersions(dir.get(), committed, ever));
  }
  EXPECT_GT((*w)->stats().segments_flushed, 10u);
}

INSTANTIATE_TEST_SUITE_P(Cases, RejectRepeats,
                         ::testing::Values(RejectCase{1, ~uint64_t{0}}, RejectCase{2, ~uint64_t{0}},
                                           RejectCase{1, 0xf}, RejectCase{2, 0xf}));

// A commit whose session re-adds and deletes ids across flushed segments, failed at any I/O
// operation (then a crash): the index is the previous commit, or the new one if the failure
// came after the commit point.
TEST(SessionDeletes, FailedCommitAtAnyOperationKeepsThePreviousCommit) {
  auto first = [](index::Directory* dir, Versions* model) {
    std::mt19937 rng(5);
    auto w = index::OpenIndexWriter(dir, Options(1, false));
    ASSERT_TRUE(w.ok());
    for (int i = 0; i < 300; ++i) {
      const std::string id = "f" + std::to_string(i);
      ASSERT_TRUE((*w)->AddDocument(VersionedDoc(rng, id, "a")).ok());
      (*model)[id] = "a";
    }
    ASSERT_TRUE((*w)->Commit().ok());
  };
  // Re-adds of committed ids, ids added twice in the session (segments apart), deletes.
  auto second = [](index::Directory* dir, Versions* model) -> absl::Status {
    std::mt19937 rng(6);
    auto w = index::OpenIndexWriter(dir, Options(1, false));
    if (!w.ok()) return w.status();
    for (int round = 0; round < 2; ++round) {
      for (int i = 0; i < 300; ++i) {
        const std::string id = "f" + std::to_string(i * 2);
        const std::string v = "b" + std::to_string(round);
        absl::Status s = (*w)->AddDocument(VersionedDoc(rng, id, v));
        if (!s.ok()) return s;
        (*model)[id] = v;
      }
      for (int i = 0; i < 20; ++i) {
        const std::string id = "f" + std::to_string(i * 7 + round);
        (void)(*w)->DeleteDocument(id);
        model->erase(id);
      }
    }
    return (*w)->Commit();
  };
  uint64_t total_ops;
  Versions after;
  {
    auto dir = index::NewFaultInjectingDirectory();
    first(dir.get(), &after);
    const uint64_t before = dir->op_count(index::FaultInjectingDirectory::Op::kAny);
    ASSERT_TRUE(second(dir.get(), &after).ok());
    total_ops = dir->op_count(index::FaultInjectingDirectory::Op::kAny) - before;
    auto r = index::OpenIndexReader(dir.get(), {});
    ASSERT_TRUE(r.ok());
    EXPECT_GT((*r)->num_segments(), 3u) << "the session should flush several segments";
    ExpectVersions(dir.get(), after, {});
  }
  ASSERT_GT(total_ops, 40u);
#ifdef SCOUR_TEST_SANITIZED
  constexpr uint64_t kSampled = 20;
#else
  constexpr uint64_t kSampled = 60;
#endif
  std::vector<uint64_t> points;
  const uint64_t step = std::max<uint64_t>(1, total_ops / kSampled);
  for (uint64_t k = 1; k + 40 <= total_ops; k += step) points.push_back(k);
  for (uint64_t k = total_ops - 39; k <= total_ops; ++k) points.push_back(k);
  int failed = 0;
  for (const uint64_t k : points) {
    auto dir = index::NewFaultInjectingDirectory();
    Versions before, model;
    first(dir.get(), &before);
    model = before;
    dir->FailNth(index::FaultInjectingDirectory::Op::kAny, k);
    const absl::Status s = second(dir.get(), &model);
    dir->SimulateCrash();
    dir->ClearFaults();
    if (s.ok()) {
      ASSERT_NO_FATAL_FAILURE(ExpectVersions(dir.get(), after, {})) << "fault " << k;
      continue;
    }
    ++failed;
    ASSERT_NO_FATAL_FAILURE(ExpectVersions(dir.get(), before, {})) << "fault " << k;
  }
  EXPECT_GT(failed, 0);
}

}  // namespace
}  // namespace scour
