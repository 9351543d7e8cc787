// IndexWriter/IndexReader against a naive in-memory model: every term, posting, frequency,
// position and stored field equal, across flushes, threads, merges, updates and deletes; and
// a failed commit at any I/O operation leaves the previous commit intact.
#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <span>

#include "gtest/gtest.h"
#include "index/commit/manifest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/fault_directory.h"
#include "index/format/file_format.h"
#include "index/inspect/postings_bytes.h"
#include "index/segment/segment_format.h"
#include "index/writer/open_writer.h"
#include "scour/analyzer.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"

namespace scour {
namespace {

using index::DocId;
using index::kNoMoreDocs;

// The model: external id -> document.
using Model = std::map<std::string, Document>;

std::string RandomText(std::mt19937& rng, int words) {
  // Zipf-ish vocabulary so some terms get long postings (several 128-doc blocks).
  static const std::vector<std::string> vocab = [] {
    std::vector<std::string> v;
    for (int i = 0; i < 300; ++i) v.push_back("w" + std::to_string(i));
    return v;
  }();
  std::string s;
  for (int i = 0; i < words; ++i) {
    double u = std::uniform_real_distribution<double>(0, 1)(rng);
    size_t k = static_cast<size_t>(std::pow(u, 3) * vocab.size());
    if (!s.empty()) s += ' ';
    s += vocab[std::min(k, vocab.size() - 1)];
  }
  return s;
}

Document RandomDoc(std::mt19937& rng, const std::string& id) {
  Document d;
  d.id = id;
  int tw = std::uniform_int_distribution<int>(0, 6)(rng);
  int bw = std::uniform_int_distribution<int>(0, 200)(rng);
  if (tw > 0) d.fields.push_back({"title", RandomText(rng, tw)});
  d.fields.push_back({"text", RandomText(rng, bw)});
  if (rng() % 3 == 0) d.fields.push_back({"text", RandomText(rng, 5)});  // multi-valued
  return d;
}

struct Posting {
  uint32_t freq;
  std::vector<uint32_t> positions;
  bool operator==(const Posting&) const = default;
};
// (field, term) -> external id -> posting
using Inverted = std::map<std::pair<std::string, std::string>, std::map<std::string, Posting>>;

Inverted InvertModel(const Model& model) {
  Inverted inv;
  Analyzer a = *Analyzer::Create({.language = "none"});
  for (const auto& [id, doc] : model) {
    std::map<std::string, uint32_t> next_pos;
    for (const Field& f : doc.fields) {
      std::vector<Token> toks;
      EXPECT_TRUE(a.Analyze(f.value, &toks, next_pos[f.name]).ok());
      for (const Token& t : toks) {
        Posting& p = inv[{f.name, t.term}][id];
        p.freq++;
        p.positions.push_back(t.position);
      }
      next_pos[f.name] += static_cast<uint32_t>(toks.size());
    }
  }
  return inv;
}

// Reads the whole index back into the same shape, live documents only.
Inverted InvertIndex(const IndexReader& reader) {
  Inverted inv;
  const auto& impl = index::SnapshotOf(reader);
  for (size_t s = 0; s < impl.segments.size(); ++s) {
    const auto& seg = *impl.segments[s];
    std::vector<std::string> ids(seg.max_doc());
    for (uint32_t d = 0; d < seg.max_doc(); ++d) {
      auto doc = reader.Document(impl.bases[s] + d);
      EXPECT_TRUE(doc.ok()) << doc.status();
      if (doc.ok()) ids[d] = doc->id;
    }
    auto it = seg.dict().Seek("");
    std::vector<uint32_t> pos;
    for (; it.Valid(); it.Next()) {
      std::string_view key = it.key();
      uint32_t field = static_cast<uint8_t>(key[0]);  // < 128 fields in these tests
      if (field == index::kIdField) continue;
      std::string term(key.substr(1));
      auto p = seg.Postings(field, it.info());
      std::map<DocId, std::vector<uint32_t>> all_positions;
      for (DocId d = p.doc(); d != kNoMoreDocs; d = p.Next()) {
        EXPECT_TRUE(p.Positions(&pos));
        all_positions[d] = pos;
        if (seg.IsDeleted(d)) continue;
        Posting& out = inv[{impl.manifest.fields[field], term}][ids[d]];
        EXPECT_EQ(out.freq, 0u) << "doc listed twice";
        out.freq = p.freq();
        out.positions = pos;
      }
      EXPECT_TRUE(p.ok()) << p.status();
      // Positions of a sparse subset of docs (reached by Advance, so runs of the positions
      // before them are skipped, not decoded) equal those read doc by doc.
      auto sparse = seg.Postings(field, it.info());
      for (DocId d = sparse.doc(); d != kNoMoreDocs;
           d = sparse.Advance(d + 1 + (d * 2654435761u >> 7) % 97)) {
        EXPECT_TRUE(sparse.Positions(&pos));
        EXPECT_EQ(pos, all_positions[d]) << term << " doc " << d;
        // Asked again on the same doc (its deltas are summed to positions in place, once).
        const std::span<const uint32_t> again = sparse.PositionSpan();
        EXPECT_EQ(std::vector<uint32_t>(again.begin(), again.end()), pos) << term << " doc " << d;
      }
    }
    EXPECT_TRUE(it.status().ok()) << it.status();
  }
  return inv;
}

void ExpectIndexEquals(index::Directory* dir, const Model& model, bool verify = true) {
  auto reader = index::OpenIndexReader(dir, {.verify_checksums = verify});
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->num_docs(), model.size());
  Inverted expected = InvertModel(model);
  Inverted actual = InvertIndex(**reader);
  ASSERT_EQ(actual.size(), expected.size());
  for (const auto& [key, postings] : expected) {
    auto it = actual.find(key);
    ASSERT_TRUE(it != actual.end()) << key.first << ":" << key.second;
    EXPECT_EQ(it->second, postings) << key.first << ":" << key.second;
  }
  // Stored fields and id lookup.
  for (const auto& [id, doc] : model) {
    auto d = (*reader)->Find(id);
    ASSERT_TRUE(d.ok()) << id << ": " << d.status();
    auto stored = (*reader)->Document(*d);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->id, id);
    ASSERT_EQ(stored->fields.size(), doc.fields.size());
    for (size_t i = 0; i < doc.fields.size(); ++i) {
      EXPECT_EQ(stored->fields[i].first, doc.fields[i].name);
      EXPECT_EQ(stored->fields[i].second, doc.fields[i].value);
    }
  }
  // Field and term statistics agree with the model (which has no deleted documents; the
  // statistics count them until a merge).
  if ((*reader)->num_deleted() != 0) return;
  std::map<std::string, uint64_t> tokens, postings_of;
  std::map<std::string, std::set<std::string>> docs_of;
  for (const auto& [key, postings] : expected) {
    uint64_t cf = 0;
    for (const auto& [id, p] : postings) {
      cf += p.freq;
      docs_of[key.first].insert(id);
    }
    tokens[key.first] += cf;
    postings_of[key.first] += postings.size();
    auto ts = (*reader)->term_statistics(key.first, key.second);
    ASSERT_TRUE(ts.ok()) << ts.status();
    EXPECT_EQ(ts->doc_freq, postings.size()) << key.first << ":" << key.second;
    EXPECT_EQ(ts->total_term_freq, cf) << key.first << ":" << key.second;
  }
  for (const auto& fs : (*reader)->field_statistics()) {
    EXPECT_EQ(fs.sum_total_term_freq, tokens[fs.name]) << fs.name;
    EXPECT_EQ(fs.sum_doc_freq, postings_of[fs.name]) << fs.name;
    EXPECT_EQ(fs.docs_with_field, docs_of[fs.name].size()) << fs.name;
    auto absent = (*reader)->term_statistics(fs.name, "absent-term");
    ASSERT_TRUE(absent.ok());
    EXPECT_EQ(absent->doc_freq, 0u);
    EXPECT_EQ(absent->total_term_freq, 0u);
  }
  EXPECT_EQ((*reader)->term_statistics("no-such-field", "a").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Adds n random documents, ids prefix0 .. prefix<n-1>, and records them in the model.
void AddRandomDocs(IndexWriter* w, std::mt19937& rng, const std::string& prefix, int n,
                   Model* model) {
  for (int i = 0; i < n; ++i) {
    Document d = RandomDoc(rng, prefix + std::to_string(i));
    (*model)[d.id] = d;
    ASSERT_TRUE(w->AddDocument(d).ok()) << d.id;
  }
}

IndexWriterOptions SmallOptions(int threads, size_t ram_mb = 1) {
  IndexWriterOptions o;
  o.analyzer.language = "none";
  o.threads = threads;
  o.ram_budget_mb = ram_mb;
  o.auto_merge = false;
  return o;
}

class IndexRoundTrip : public ::testing::TestWithParam<int> {};

// Sanitizer builds (instrumented: ~6x slower) index half the documents; the ci build all.
#ifdef SCOUR_TEST_SANITIZED
constexpr int kRoundTripDocs = 1500;
#else
constexpr int kRoundTripDocs = 3000;
#endif

TEST_P(IndexRoundTrip, EveryPostingEqualsTheModel) {
  const int threads = GetParam();
  auto dir = index::NewFaultInjectingDirectory();
  std::mt19937 rng(1234 + threads);
  Model model;
  auto w = index::OpenIndexWriter(dir.get(), SmallOptions(threads));
  ASSERT_TRUE(w.ok()) << w.status();
  ASSERT_NO_FATAL_FAILURE(AddRandomDocs(w->get(), rng, "doc", kRoundTripDocs, &model));
  ASSERT_TRUE((*w)->Commit().ok());
  EXPECT_GT((*w)->stats().segments_flushed, 1u) << "the 1 MB budget should force several flushes";
  ExpectIndexEquals(dir.get(), model);

  // Updates and deletes, within and across sessions.
  for (int i = 0; i < 300; ++i) {
    std::string id = "doc" + std::to_string(rng() % (kRoundTripDocs + kRoundTripDocs / 6));
    if (rng() % 3 == 0) {
      ASSERT_TRUE((*w)->DeleteDocument(id).ok());
      model.erase(id);
    } else {
      Document d = RandomDoc(rng, id);
      model[id] = d;
      ASSERT_TRUE((*w)->AddDocument(d).ok());
    }
  }
  ASSERT_TRUE((*w)->Commit().ok());
  ExpectIndexEquals(dir.get(), model);

  ASSERT_TRUE((*w)->ForceMerge(1).ok());
  {
    auto r = index::OpenIndexReader(dir.get(), {});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ((*r)->num_segments(), 1u);
    EXPECT_EQ((*r)->num_deleted(), 0u);
  }
  ExpectIndexEquals(dir.get(), model);
}

INSTANTIATE_TEST_SUITE_P(Threads, IndexRoundTrip, ::testing::Values(1, 2));

TEST(IndexWriter, RollbackAndUncommittedWorkAreInvisible) {
  auto dir = index::NewFaultInjectingDirectory();
  std::mt19937 rng(7);
  Model model;
  {
    auto w = index::OpenIndexWriter(dir.get(), SmallOptions(1));
    ASSERT_TRUE(w.ok());
    for (int i = 0; i < 50; ++i) {
      Document d = RandomDoc(rng, "a" + std::to_string(i));
      model[d.id] = d;
      ASSERT_TRUE((*w)->AddDocument(d).ok());
    }
    ASSERT_TRUE((*w)->Commit().ok());
    for (int i = 0; i < 50; ++i)
      ASSERT_TRUE((*w)->AddDocument(RandomDoc(rng, "b" + std::to_string(i))).ok());
    ASSERT_TRUE((*w)->DeleteDocument("a1").ok());
    ASSERT_TRUE((*w)->Rollback().ok());
    ASSERT_TRUE((*w)->Commit().ok());  // commits nothing new
  }
  ExpectIndexEquals(dir.get(), model);
  {
    auto w = index::OpenIndexWriter(dir.get(), SmallOptions(1));
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->AddDocument(RandomDoc(rng, "c")).ok());
    // destroyed without commit
  }
  ExpectIndexEquals(dir.get(), model);
  auto names = dir->List();
  ASSERT_TRUE(names.ok());
  for (const auto& n : *names) EXPECT_NE(n, "MANIFEST.tmp");
}

// Cleanup deletes the files of its own kinds that no commit refers to (an abandoned session's
// segment, a stray MANIFEST.tmp), and nothing else: it recognised its files by their first
// letter once, and took "sfoo.txt" for a segment file.
TEST(IndexWriter, CleanupDeletesOnlyItsOwnUnreferencedFiles) {
  auto dir = index::NewMemDirectory();
  auto put = [&](const std::string& name) {
    auto f = dir->Create(name);
    ASSERT_TRUE(f.ok()) << name;
    ASSERT_TRUE((*f)->Append("x").ok());
    ASSERT_TRUE((*f)->Close().ok());
  };
  const std::vector<std::string> foreign = {"notes.txt",          "sfoo.txt",      "s-user.txt",
                                            "s00000001.post.bak", "s0000001.post", "MANIFEST~"};
  const std::vector<std::string> orphans = {"s000000ff.post", "s000000ff.tdict", "s00000001_7.del",
                                            "MANIFEST.tmp"};
  for (const auto& n : foreign) put(n);
  for (const auto& n : orphans) put(n);
  {
    auto w = index::OpenIndexWriter(dir.get(), SmallOptions(1));
    ASSERT_TRUE(w.ok()) << w.status();
    std::mt19937 rng(3);
    for (int i = 0; i < 20; ++i)
      ASSERT_TRUE((*w)->AddDocument(RandomDoc(rng, "d" + std::to_string(i))).ok());
    ASSERT_TRUE((*w)->Commit().ok());
  }
  auto names = dir->List();
  ASSERT_TRUE(names.ok());
  std::set<std::string> left(names->begin(), names->end());
  for (const auto& n : foreign) EXPECT_TRUE(left.contains(n)) << n << " was deleted";
  for (const auto& n : orphans) EXPECT_FALSE(left.contains(n)) << n << " was kept";
  EXPECT_TRUE(left.contains("MANIFEST"));
}

// threads = N inverts on the caller's thread and N - 1 workers (the single-threaded build is
// one thread). Counted in /proc/self/task, so Linux only.
size_t ThreadCount() {
  size_t n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/task", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++n;
  return n;
}

TEST(IndexWriter, InvertsOnTheCallersThreadBesideThreadsMinusOneWorkers) {
  if (ThreadCount() == 0) GTEST_SKIP() << "no /proc/self/task";
  for (int threads : {1, 2, 3}) {
    auto dir = index::NewMemDirectory();
    const size_t before = ThreadCount();
    auto w = index::OpenIndexWriter(dir.get(), SmallOptions(threads));
    ASSERT_TRUE(w.ok()) << w.status();
    EXPECT_EQ(ThreadCount() - before, size_t(threads - 1)) << threads;
    std::mt19937 rng(5);
    Model model;
    for (int i = 0; i < 500; ++i) {
      Document d = RandomDoc(rng, "doc" + std::to_string(i));
      model[d.id] = d;
      ASSERT_TRUE((*w)->AddDocument(d).ok());
    }
    ASSERT_TRUE((*w)->Commit().ok());
    ExpectIndexEquals(dir.get(), model);
  }
}

// A document that fails while it is inverted (invalid UTF-8 is found by the analyzer, on a
// worker or on the calling thread) fails the session: Commit reports it, nothing of the session
// becomes visible, and after Rollback the writer works again.
TEST(IndexWriter, InversionErrorFailsTheSessionOnAnyThread) {
  for (int threads : {1, 2, 3}) {
    auto dir = index::NewFaultInjectingDirectory();
    std::mt19937 rng(11);
    Model model;
    auto w = index::OpenIndexWriter(dir.get(), SmallOptions(threads));
    ASSERT_TRUE(w.ok()) << w.status();
    ASSERT_NO_FATAL_FAILURE(AddRandomDocs(w->get(), rng, "kept", 200, &model));
    ASSERT_TRUE((*w)->Commit().ok());
    absl::Status first_error;
    for (int i = 0; i < 2000 && first_error.ok(); ++i) {
      Document d = RandomDoc(rng, "lost" + std::to_string(i));
      if (i == 700) d.fields[0].value += "\xc3\x28";  // a lead byte without its continuation
      first_error = (*w)->AddDocument(d);
    }
    absl::Status commit = (*w)->Commit();
    EXPECT_FALSE(commit.ok()) << threads;
    EXPECT_TRUE(absl::IsInvalidArgument(commit)) << threads << ": " << commit;
    EXPECT_NE(commit.message().find("lost700"), std::string::npos) << commit;
    if (!first_error.ok()) {
      EXPECT_EQ(first_error, commit) << threads;
    }
    ExpectIndexEquals(dir.get(), model);

    ASSERT_TRUE((*w)->Rollback().ok());
    ASSERT_NO_FATAL_FAILURE(AddRandomDocs(w->get(), rng, "after", 300, &model)) << threads;
    ASSERT_TRUE((*w)->Commit().ok()) << threads;
    ExpectIndexEquals(dir.get(), model);
  }
}

TEST(IndexWriter, SecondWriterIsLockedOut) {
  auto dir = index::NewFaultInjectingDirectory();
  auto w1 = index::OpenIndexWriter(dir.get(), SmallOptions(1));
  ASSERT_TRUE(w1.ok());
  auto w2 = index::OpenIndexWriter(dir.get(), SmallOptions(1));
  ASSERT_FALSE(w2.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(w2.status())) << w2.status();
  EXPECT_NE(w2.status().message().find("locked"), std::string::npos);
}

TEST(IndexWriter, RejectsBadDocuments) {
  auto dir = index::NewFaultInjectingDirectory();
  auto w = index::OpenIndexWriter(dir.get(), SmallOptions(1));
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(absl::IsInvalidArgument((*w)->AddDocument(Document{"", {{"text", "x"}}})));
  EXPECT_TRUE(absl::IsInvalidArgument((*w)->AddDocument(Document{"x", {{"_id", "x"}}})));
}

TEST(IndexWriter, ReaderKeepsItsSnapshotWhileWriterCommitsAndMerges) {
  auto dir = index::NewFaultInjectingDirectory();
  std::mt19937 rng(99);
  Model model;
  auto w = index::OpenIndexWriter(dir.get(), SmallOptions(1));
  ASSERT_TRUE(w.ok());
  for (int i = 0; i < 200; ++i) {
    Document d = RandomDoc(rng, "d" + std::to_string(i));
    model[d.id] = d;
    ASSERT_TRUE((*w)->AddDocument(d).ok());
  }
  ASSERT_TRUE((*w)->Commit().ok());
  auto before = index::OpenIndexReader(dir.get(), {});
  ASSERT_TRUE(before.ok());
  Inverted snapshot = InvertIndex(**before);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE((*w)->DeleteDocument("d" + std::to_string(i)).ok());
  for (int i = 0; i < 200; ++i)
    ASSERT_TRUE((*w)->AddDocument(RandomDoc(rng, "e" + std::to_string(i))).ok());
  ASSERT_TRUE((*w)->Commit().ok());
  ASSERT_TRUE((*w)->ForceMerge(1).ok());
  EXPECT_EQ((*before)->num_docs(), 200u);
  EXPECT_EQ(InvertIndex(**before), snapshot);
}

// Runs a two-commit workload; the second commit fails at I/O operation k. After a crash the
// index must open and hold exactly the first commit.
TEST(IndexWriter, FailedCommitAtAnyOperationKeepsThePreviousCommit) {
  auto workload_first = [](index::Directory* dir, Model* model) {
    std::mt19937 rng(5);
    auto w = index::OpenIndexWriter(dir, SmallOptions(1));
    ASSERT_TRUE(w.ok());
    for (int i = 0; i < 60; ++i) {
      Document d = RandomDoc(rng, "f" + std::to_string(i));
      (*model)[d.id] = d;
      ASSERT_TRUE((*w)->AddDocument(d).ok());
    }
    ASSERT_TRUE((*w)->Commit().ok());
  };
  auto workload_second = [](index::Directory* dir) -> absl::Status {
    std::mt19937 rng(6);
    auto w = index::OpenIndexWriter(dir, SmallOptions(1));
    if (!w.ok()) return w.status();
    for (int i = 0; i < 60; ++i) {
      absl::Status s = (*w)->AddDocument(RandomDoc(rng, "f" + std::to_string(i * 2)));
      if (!s.ok()) return s;
    }
    for (int i = 0; i < 10; ++i) (void)(*w)->DeleteDocument("f" + std::to_string(i * 3));
    return (*w)->Commit();
  };
  uint64_t total_ops;
  {
    auto dir = index::NewFaultInjectingDirectory();
    Model m;
    workload_first(dir.get(), &m);
    uint64_t before = dir->op_count(index::FaultInjectingDirectory::Op::kAny);
    ASSERT_TRUE(workload_second(dir.get()).ok());
    total_ops = dir->op_count(index::FaultInjectingDirectory::Op::kAny) - before;
  }
  ASSERT_GT(total_ops, 10u);
  std::fprintf(stderr, "second commit: %llu I/O operations\n",
               static_cast<unsigned long long>(total_ops));
  // Every one of the last 40 operations (the commit protocol: deletions, manifest, rename,
  // directory sync) and an even sample of the earlier ones (segment writing): 100 of them, 40
  // in sanitizer builds (instrumented, this test took 30 s there).
#ifdef SCOUR_TEST_SANITIZED
  constexpr uint64_t kSampled = 40;
#else
  constexpr uint64_t kSampled = 100;
#endif
  std::vector<uint64_t> points;
  const uint64_t step = std::max<uint64_t>(1, total_ops / kSampled);
  for (uint64_t k = 1; k + 40 <= total_ops; k += step) points.push_back(k);
  for (uint64_t k = total_ops > 40 ? total_ops - 39 : 1; k <= total_ops; ++k) points.push_back(k);
  int failed_commits = 0;
  for (uint64_t k : points) {
    auto dir = index::NewFaultInjectingDirectory();
    Model model;
    workload_first(dir.get(), &model);
    dir->FailNth(index::FaultInjectingDirectory::Op::kAny, k);
    absl::Status s = workload_second(dir.get());
    dir->SimulateCrash();
    dir->ClearFaults();
    if (s.ok()) continue;  // e.g. the fault hit a best-effort delete after the commit point
    ++failed_commits;
    ExpectIndexEquals(dir.get(), model);
  }
  EXPECT_GT(failed_commits, 0);
}

// An automatic merge that fails after its commit leaves a trace (leveldb's bg_error_): Commit
// returns OK (the commit stands), background_error() says what failed, the next call reports
// it once and does nothing else, and the next commit retries the merge. Each I/O operation of
// the second commit and its merge fails in turn.
TEST(IndexWriter, FailedAutomaticMergeIsKeptAndReported) {
  IndexWriterOptions opts = SmallOptions(1, 64);  // one segment per commit
  opts.auto_merge = true;
  opts.merge_factor = 2;  // two segments of 20 documents: one merge after the second commit
  auto add = [](IndexWriter* w, const std::string& prefix, int n) {
    for (int i = 0; i < n; ++i) {
      const std::string id = prefix + std::to_string(i);
      ASSERT_TRUE(w->AddDocument(Document{id, {{"text", "merge after commit " + id}}}).ok());
    }
  };
  auto first_commit = [&](index::Directory* dir) {
    auto w = index::OpenIndexWriter(dir, opts);
    ASSERT_TRUE(w.ok());
    add(w->get(), "a", 20);
    ASSERT_TRUE((*w)->Commit().ok());
  };
  uint64_t total_ops;
  {
    auto dir = index::NewFaultInjectingDirectory();
    first_commit(dir.get());
    auto w = index::OpenIndexWriter(dir.get(), opts);
    ASSERT_TRUE(w.ok());
    add(w->get(), "b", 20);
    const uint64_t before = dir->op_count(index::FaultInjectingDirectory::Op::kAny);
    ASSERT_TRUE((*w)->Commit().ok());
    total_ops = dir->op_count(index::FaultInjectingDirectory::Op::kAny) - before;
    EXPECT_TRUE((*w)->background_error().ok());
    auto m = index::ReadManifest(dir.get());
    ASSERT_TRUE(m.ok());
    ASSERT_EQ(m->segments.size(), 1u) << "the workload must merge";
  }
  int merges_failed = 0;
  for (uint64_t k = 1; k <= total_ops; ++k) {
    auto dir = index::NewFaultInjectingDirectory();
    first_commit(dir.get());
    auto w = index::OpenIndexWriter(dir.get(), opts);
    ASSERT_TRUE(w.ok());
    add(w->get(), "b", 20);
    dir->FailNth(index::FaultInjectingDirectory::Op::kAny, k);
    const absl::Status commit = (*w)->Commit();
    dir->ClearFaults();
    if (!commit.ok()) {  // the commit itself failed, and said so
      EXPECT_TRUE((*w)->background_error().ok()) << k;
      continue;
    }
    auto m = index::ReadManifest(dir.get());
    ASSERT_TRUE(m.ok()) << k;
    if (m->segments.size() == 1) continue;  // merged
    // The commit stands (both segments live) and the merge failed: a trace is left.
    ++merges_failed;
    ASSERT_EQ(m->segments.size(), 2u) << k;
    const absl::Status bg = (*w)->background_error();
    ASSERT_FALSE(bg.ok()) << "op " << k << ": a failed merge left no trace";
    EXPECT_NE(bg.message().find("automatic merge"), std::string_view::npos) << bg;
    // Reported once by the next call, which does nothing else.
    const absl::Status once = (*w)->AddDocument(Document{"c0", {{"text", "reported"}}});
    EXPECT_EQ(once.code(), bg.code()) << once;
    EXPECT_NE(once.message().find("reported once"), std::string_view::npos) << once;
    EXPECT_TRUE((*w)->AddDocument(Document{"c1", {{"text", "added"}}}).ok());
    EXPECT_FALSE((*w)->background_error().ok()) << "kept until a merge succeeds";
    // The next commit retries the merge.
    ASSERT_TRUE((*w)->Commit().ok());
    EXPECT_TRUE((*w)->background_error().ok()) << k << ": " << (*w)->background_error();
    auto r = index::OpenIndexReader(dir.get(), {});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ((*r)->num_docs(), 41u);
    EXPECT_TRUE(absl::IsNotFound((*r)->Find("c0").status()));
    EXPECT_TRUE((*r)->Find("c1").ok());
    EXPECT_TRUE((*r)->Find("b19").ok());
  }
  EXPECT_GT(merges_failed, 0) << "no fault fell in the merge";
}

// `scour stats` splits .post into doc ids, frequencies, skip data and impact lists by walking
// every list: the parts must add up to the file's body exactly, and every posting must be
// counted once.
TEST(PostingsBytes, PartsAddUpToThePostingsFile) {
  auto dir = index::NewMemDirectory();
  std::mt19937 rng(77);
  {
    auto w = index::OpenIndexWriter(dir.get(), SmallOptions(1, 64));
    ASSERT_TRUE(w.ok()) << w.status();
    for (int i = 0; i < 2000; ++i)
      ASSERT_TRUE((*w)->AddDocument(RandomDoc(rng, "doc" + std::to_string(i))).ok());
    ASSERT_TRUE((*w)->Commit().ok());
  }
  auto manifest = index::ReadManifest(dir.get());
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  ASSERT_EQ(manifest->segments.size(), 1u);
  auto seg = index::SegmentReader::Open(dir.get(), manifest->segments[0], true);
  ASSERT_TRUE(seg.ok()) << seg.status();
  auto parts = index::MeasurePostings(**seg);
  ASSERT_TRUE(parts.ok()) << parts.status();
  const std::string_view post = (*seg)->post_file();
  EXPECT_EQ(parts->doc_ids + parts->freqs + parts->skip + parts->impacts,
            post.size() - index::kHeaderSize - index::kFooterSize);
  // Format 5's skip entries: a widths byte per list with full blocks, then per block the four
  // columns at its widths and the min norm byte. The last-doc and max-tf widths are the fewest
  // bytes that hold the list's values, found here by walking its postings.
  uint64_t df_sum = 0, lists = 0, blocks = 0, skip = 0;
  for (auto it = (*seg)->dict().Seek(""); it.Valid(); it.Next()) {
    const index::TermInfo& info = it.info();
    df_sum += info.df;
    lists += info.df >= 2;
    const uint32_t nb = info.df / index::kBlockSize;
    blocks += nb;
    // The list impact is the dictionary entry's (format 5): the list's max tf and min norm.
    if (info.df >= 2) {
      const std::string_view key = it.key();
      const uint32_t field = static_cast<uint8_t>(key[0]);
      const uint8_t* norms = (*seg)->norms(field);
      index::SegmentPostings all = (*seg)->Postings(field, info);
      uint32_t list_max_tf = 0;
      uint8_t list_min_norm = norms ? 255 : 0;
      for (index::DocId d = all.doc(); d != index::kNoMoreDocs; d = all.Next()) {
        list_max_tf = std::max(list_max_tf, all.freq());
        if (norms) list_min_norm = std::min(list_min_norm, norms[d]);
      }
      EXPECT_EQ(info.impact, index::PackImpact(list_max_tf, list_min_norm)) << key;
      EXPECT_EQ(all.MaxTf(), list_max_tf) << key;
      EXPECT_EQ(all.MinNorm(), list_min_norm) << key;
    }
    if (nb == 0) continue;
    const uint8_t widths = static_cast<uint8_t>(post[info.postings]);
    uint32_t entry = 1;
    for (int c = 0; c < 4; ++c) entry += 1 + ((widths >> (2 * c)) & 3);
    skip += 1 + uint64_t{nb} * entry;
    const std::string_view key = it.key();
    index::SegmentPostings p = (*seg)->Postings(static_cast<uint8_t>(key[0]), info);
    uint32_t last_doc = 0, max_tf = 0;
    for (uint32_t i = 0; i < nb * index::kBlockSize; ++i, p.Next()) {
      last_doc = p.doc();
      max_tf = std::max(max_tf, p.freq());
    }
    auto bytes_for = [](uint32_t v) {
      return v < 256 ? 1 : v < 65536 ? 2 : v < (1u << 24) ? 3 : 4;
    };
    EXPECT_EQ(1 + (widths & 3), bytes_for(last_doc)) << key;
    EXPECT_EQ(1 + (widths >> 6), bytes_for(max_tf)) << key;
  }
  EXPECT_GT(blocks, 10u) << "the test wants lists with full blocks and tails";
  EXPECT_EQ(parts->lists, lists);
  EXPECT_EQ(parts->list_postings + parts->inline_postings, df_sum);
  EXPECT_EQ(parts->skip, skip);
  EXPECT_LT(parts->skip, blocks * index::kSkipEntrySize);  // narrower than format 4's
  EXPECT_GT(parts->impacts, blocks);  // a length byte per full block, and some pairs (format 4)
  EXPECT_GT(parts->doc_ids, parts->freqs);

  // A list that claims more blocks than the file holds is DataLoss, not a read past the end.
  for (auto it = (*seg)->dict().Seek(""); it.Valid(); it.Next()) {
    if (it.info().df < index::kBlockSize) continue;
    index::TermInfo bad = it.info();
    auto ok = index::MeasureList(post, bad);
    ASSERT_TRUE(ok.ok()) << ok.status();
    bad.df *= 1000;
    EXPECT_EQ(index::MeasureList(post, bad).status().code(), absl::StatusCode::kDataLoss);
    bad = it.info();
    bad.postings = post.size() - 2;
    EXPECT_EQ(index::MeasureList(post, bad).status().code(), absl::StatusCode::kDataLoss);
    // A skip entry whose block end lies past the file (widths byte 0xff: every column 4 bytes).
    std::string copy(post);
    copy[it.info().postings] = '\xff';
    const size_t rel_end_at = it.info().postings + 1 + 4;
    for (int k = 0; k < 4; ++k) copy[rel_end_at + k] = '\xf0';
    auto past = index::MeasureList(copy, it.info());
    EXPECT_EQ(past.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_NE(past.status().message().find("offset " + std::to_string(it.info().postings)),
              std::string_view::npos)
        << past.status();
    // Every other widths byte (the CRC would catch it; this is what an unverified open reads):
    // the cursor and the walk of `scour stats` stay inside the file, and most are reported.
    const uint8_t widths = static_cast<uint8_t>(post[it.info().postings]);
    int reported = 0;
    for (int w = 0; w < 256; ++w) {
      if (w == widths) continue;
      copy.assign(post);
      copy[it.info().postings] = static_cast<char>(w);
      index::SegmentPostings p(copy, (*seg)->pos_file(), it.info(), (*seg)->max_doc(), 0);
      uint64_t sink = 0;
      for (index::DocId d = p.doc(); d != index::kNoMoreDocs; d = p.Next()) {
        p.ShallowAdvance(d);
        sink += p.freq() + p.BlockMaxTf() + p.BlockMinNorm();
      }
      reported += !p.ok() || !p.skip_widths_minimal() || !index::MeasureList(copy, it.info()).ok();
      EXPECT_GE(sink, 0u);
    }
    EXPECT_GT(reported, 200) << "of 255 wrong widths bytes";
    break;
  }
}

}  // namespace
}  // namespace scour
