// Corruption: every file of a small committed index (two segments, deletions) is damaged in
// many ways — one byte flipped (every byte of small files, ~200 sampled offsets of large ones),
// truncated, a range zeroed — and then (a) CheckIndex must report a problem, (b) opening with
// verify_checksums must fail, (c) opening without verification, searching and reading every
// stored document must not crash (errors are fine). scripts/sanitize.sh runs this under ASan.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "base/coding.h"
#include "gtest/gtest.h"
#include "index/commit/manifest.h"
#include "index/directory/directory.h"
#include "index/format/file_format.h"
#include "index/format/file_names.h"
#include "index/inspect/checker.h"
#include "index/segment/segment_reader.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"
#include "test_util.h"

namespace scour::reliability {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
// Overwrites in place, then cuts to size: opening with O_TRUNC would make ext4 write the file
// back on close (its "replace by truncate" heuristic), which was most of this test's time.
void WriteAll(const std::string& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0644);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::pwrite(fd, bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size()));
  ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(bytes.size())), 0);
  ::close(fd);
}

void BuildIndex(const std::string& path) {
  IndexWriterOptions opt;
  opt.analyzer.language = "english";
  opt.threads = 1;
  opt.auto_merge = false;
  opt.term_vectors = true;  // every segment file kind, .tvec included
  auto w = IndexWriter::Open(path, opt);
  ASSERT_TRUE(w.ok()) << w.status();
  std::mt19937 rng(3);
  const char* words[] = {"alpha", "beta",  "gamma", "delta", "river", "mountain", "running",
                         "ran",   "quick", "brown", "fox",   "lazy",  "dogs",     "stars"};
  for (int i = 0; i < 260; ++i) {
    Document d;
    d.id = "doc" + std::to_string(i);
    std::string title, text;
    for (int k = 0; k < 3; ++k) title += std::string(words[rng() % 14]) + " ";
    const int n = 4 + static_cast<int>(rng() % 40);
    for (int k = 0; k < n; ++k) text += std::string(words[rng() % 14]) + " ";
    d.fields.push_back({"title", title});
    d.fields.push_back({"text", text});
    ASSERT_TRUE((*w)->AddDocument(d).ok());
    if (i == 150) {
      ASSERT_TRUE((*w)->Commit().ok());  // first segment
    }
  }
  for (int i = 0; i < 260; i += 9) {
    ASSERT_TRUE((*w)->DeleteDocument("doc" + std::to_string(i)).ok());
  }
  ASSERT_TRUE((*w)->Commit().ok());
}

struct Totals {
  uint64_t cases = 0, flips = 0, truncations = 0, zeroed = 0;
  uint64_t check_detected = 0, verify_detected = 0, unverified_open_ok = 0;
  double secs[3] = {0, 0, 0};  // CheckIndex, verified open, unverified reading
};

// (c): whatever the damage, reading must not crash.
void ExerciseUnverified(const std::string& path, Totals* t) {
  auto r = IndexReader::Open(path, {.verify_checksums = false});
  if (!r.ok()) return;
  ++t->unverified_open_ok;
  auto s = Searcher::Create(*r);
  if (s.ok()) {
    SearchOptions o;
    o.k = 20;
    o.count = true;
    o.snippet_field = "text";
    for (const char* q : {"alpha", "river mountain", "\"quick brown\"", "title:fox", "run*",
                          "stars -dogs", "_id:doc7"}) {
      auto res = (*s)->Search(q, o);
      if (res.ok()) {
        EXPECT_LE(res->hits.size(), 20u);
      }
    }
  }
  for (uint64_t d = 0; d < (*r)->max_doc(); ++d) (void)(*r)->Document(d);
  (void)(*r)->Find("doc5");
}

TEST(CorruptionTest, EveryFileEveryWayIsDetectedAndNeverCrashes) {
  TempDir tmp;
  const std::string path = tmp.Sub("idx");
  ASSERT_NO_FATAL_FAILURE(BuildIndex(path));
  std::vector<std::string> files;
  {
    auto dir = index::OpenFsDirectory(path, false);
    ASSERT_TRUE(dir.ok());
    auto m = index::ReadManifest(dir->get());
    ASSERT_TRUE(m.ok()) << m.status();
    ASSERT_EQ(m->segments.size(), 2u);
    files = m->FileNames();
    index::CheckReport clean = index::CheckIndex(dir->get());
    ASSERT_TRUE(clean.ok()) << clean.problems[0];
  }
  bool has_del = false;
  for (const auto& f : files) has_del |= f.ends_with(".del");
  ASSERT_TRUE(has_del);
  ASSERT_TRUE(std::find(files.begin(), files.end(), "MANIFEST") != files.end());

  // The default sweep keeps the test at a few seconds (it runs in CI and under ASan);
  // SCOUR_CORRUPTION_FULL=1 runs the full one (every byte of files up to 256 bytes, 200 offsets
  // of larger ones), whose figures are in docs/RELIABILITY.md.
  const bool full = std::getenv("SCOUR_CORRUPTION_FULL") != nullptr;
  const size_t kSmallFile = full ? 256 : 160;
  const size_t kLargeFileOffsets = full ? 200 : 24;
  const int kRandomCuts = full ? 6 : 1;
  const int kZeroedRanges = full ? 12 : 4;
  constexpr size_t kFooterBytes = 16;
  Totals t;
  std::mt19937 rng(11);
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& name : files) {
    const std::string fpath = path + "/" + name;
    const std::string original = ReadAll(fpath);
    ASSERT_FALSE(original.empty()) << name;
    const size_t size = original.size();
    auto run = [&](const std::string& damaged, const std::string& what) {
      ASSERT_NE(damaged, original);
      WriteAll(fpath, damaged);
      ++t.cases;
      auto t0 = std::chrono::steady_clock::now();
      {
        auto dir = index::OpenFsDirectory(path, false);
        ASSERT_TRUE(dir.ok());
        index::CheckReport report = index::CheckIndex(dir->get());
        EXPECT_FALSE(report.ok()) << name << ": " << what << " not reported by CheckIndex";
        if (!report.ok()) ++t.check_detected;
      }
      auto t1 = std::chrono::steady_clock::now();
      auto verified = IndexReader::Open(path, {.verify_checksums = true});
      EXPECT_FALSE(verified.ok()) << name << ": " << what << " opened with verification";
      if (!verified.ok()) ++t.verify_detected;
      verified = absl::UnknownError("");  // unmap before the next rewrite
      auto t2 = std::chrono::steady_clock::now();
      ExerciseUnverified(path, &t);
      auto t3 = std::chrono::steady_clock::now();
      t.secs[0] += std::chrono::duration<double>(t1 - t0).count();
      t.secs[1] += std::chrono::duration<double>(t2 - t1).count();
      t.secs[2] += std::chrono::duration<double>(t3 - t2).count();
      WriteAll(fpath, original);
    };
    // Offsets: every byte of small files, else the header, the footer and a random sample.
    std::vector<size_t> offsets;
    if (size <= kSmallFile) {
      for (size_t i = 0; i < size; ++i) offsets.push_back(i);
    } else {
      for (size_t i = 0; i < 4; ++i) offsets.push_back(i);
      for (size_t i = size - 4; i < size; ++i) offsets.push_back(i);
      offsets.push_back(12);                   // first body byte
      offsets.push_back(size - kFooterBytes);  // first footer byte
      while (offsets.size() < kLargeFileOffsets) offsets.push_back(12 + rng() % (size - 28));
    }
    for (size_t off : offsets) {
      std::string d = original;
      d[off] = static_cast<char>(d[off] ^ (1 << (rng() % 8)));
      ++t.flips;
      ASSERT_NO_FATAL_FAILURE(run(d, "flip at " + std::to_string(off)));
    }
    // Truncations: to 0, a few bytes, mid-file and one byte short.
    std::vector<size_t> lengths = {0, 12, size / 2, size - 1};
    if (full) lengths.insert(lengths.end(), {1, 11, size - 16});
    for (int i = 0; i < kRandomCuts; ++i) lengths.push_back(rng() % size);
    for (size_t len : lengths) {
      if (len >= size) continue;
      ++t.truncations;
      ASSERT_NO_FATAL_FAILURE(run(original.substr(0, len), "truncation to " + std::to_string(len)));
    }
    // Zeroed ranges (skipped when the range is zero already: that is no damage).
    for (int i = 0; i < kZeroedRanges; ++i) {
      const size_t off = rng() % size;
      const size_t len = std::min<size_t>(size - off, 1 + rng() % 64);
      std::string d = original;
      std::fill(d.begin() + static_cast<std::ptrdiff_t>(off),
                d.begin() + static_cast<std::ptrdiff_t>(off + len), '\0');
      if (d == original) continue;
      ++t.zeroed;
      ASSERT_NO_FATAL_FAILURE(
          run(d, "zeroed " + std::to_string(len) + " bytes at " + std::to_string(off)));
    }
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "corruption: %zu files, %llu cases (%llu byte flips, %llu truncations, %llu zeroed "
      "ranges); CheckIndex detected %llu, verified open refused %llu; unverified open "
      "succeeded %llu times and reading never crashed; %.1f s\n",
      files.size(), static_cast<unsigned long long>(t.cases),
      static_cast<unsigned long long>(t.flips), static_cast<unsigned long long>(t.truncations),
      static_cast<unsigned long long>(t.zeroed), static_cast<unsigned long long>(t.check_detected),
      static_cast<unsigned long long>(t.verify_detected),
      static_cast<unsigned long long>(t.unverified_open_ok), secs);
  std::printf("time: CheckIndex %.1f s, verified open %.1f s, unverified reading %.1f s\n",
              t.secs[0], t.secs[1], t.secs[2]);
  EXPECT_EQ(t.check_detected, t.cases);
  EXPECT_EQ(t.verify_detected, t.cases);
}

// Found by segment_reader_fuzzer: a `.info` whose checksum is right but whose field id is 2^28
// made SegmentReader::Open allocate a table indexed by it (2 GB). Field ids and the field count
// are the file's, so they are bounded before use: by the body's size, by their order, and (in
// IndexReader and `check`) by the manifest's field table. The sweep above cannot reach this:
// its damage breaks the checksum first.
TEST(CorruptionTest, SegmentInfoFieldIdsAreBoundedNotTrusted) {
  TempDir tmp;
  const std::string path = tmp.Sub("idx");
  {
    IndexWriterOptions opt;
    opt.threads = 1;
    auto w = IndexWriter::Open(path, opt);
    ASSERT_TRUE(w.ok()) << w.status();
    for (int i = 0; i < 3; ++i) {
      Document d;
      d.id = "d" + std::to_string(i);
      d.fields = {{"title", "river " + std::to_string(i)}, {"text", "mountain stars"}};
      ASSERT_TRUE((*w)->AddDocument(d).ok());
    }
    ASSERT_TRUE((*w)->Commit().ok());
  }
  auto dir = index::OpenFsDirectory(path, false);
  ASSERT_TRUE(dir.ok());
  auto m = index::ReadManifest(dir->get());
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->segments.size(), 1u);
  const index::SegmentRef ref = m->segments[0];
  const std::string name = index::SegmentFileName(ref.number, index::FileKind::kSegmentInfo);
  const std::string original = ReadAll(path + "/" + name);
  auto body = index::CheckFrame(original, index::FileKind::kSegmentInfo, name);
  ASSERT_TRUE(body.ok()) << body.status();
  // Parse the body (docs/format/README.md, .info) to re-encode it with one change.
  struct Entry {
    uint32_t field;
    std::string rest;  // the 36 bytes after the id
  };
  ByteReader r(*body);
  const uint32_t doc_count = r.U32();
  const uint64_t n = r.Varint64();
  std::vector<Entry> entries;
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    Entry e;
    e.field = r.Varint32();
    e.rest = std::string(r.Bytes(36));
    entries.push_back(e);
  }
  ASSERT_TRUE(r.ok() && r.remaining() == 0);
  ASSERT_EQ(entries.size(), 3u);  // _id, title, text
  auto write = [&](const std::vector<Entry>& es, uint64_t count) {
    std::string b;
    PutFixed32(&b, doc_count);
    PutVarint64(&b, count);
    for (const Entry& e : es) {
      PutVarint32(&b, e.field);
      b += e.rest;
    }
    auto out = index::FramedWriter::Create(dir->get(), name, index::FileKind::kSegmentInfo);
    ASSERT_TRUE(out.ok()) << out.status();
    ASSERT_TRUE(out->Append(b).ok());
    ASSERT_TRUE(out->Finish().ok());
  };
  auto open_segment = [&] { return index::SegmentReader::Open(dir->get(), ref, true).status(); };
  auto open_index = [&] { return IndexReader::Open(path, {.verify_checksums = true}).status(); };

  // Re-encoded unchanged: opens (the test's encoding is the writer's).
  ASSERT_NO_FATAL_FAILURE(write(entries, entries.size()));
  ASSERT_EQ(ReadAll(path + "/" + name), original);

  // The fuzzer's case: the last field's id 2^28, still in order.
  std::vector<Entry> huge = entries;
  huge.back().field = 1u << 28;
  ASSERT_NO_FATAL_FAILURE(write(huge, huge.size()));
  EXPECT_TRUE(open_segment().ok());  // the segment alone cannot know the manifest
  EXPECT_EQ(open_index().code(), absl::StatusCode::kDataLoss) << open_index();
  EXPECT_FALSE(index::CheckIndex(dir->get()).ok());

  // Ids out of order, and one id twice.
  std::vector<Entry> swapped = entries;
  std::swap(swapped[1].field, swapped[2].field);
  ASSERT_NO_FATAL_FAILURE(write(swapped, swapped.size()));
  EXPECT_EQ(open_segment().code(), absl::StatusCode::kDataLoss);
  std::vector<Entry> twice = entries;
  twice[2].field = twice[1].field;
  ASSERT_NO_FATAL_FAILURE(write(twice, twice.size()));
  EXPECT_EQ(open_segment().code(), absl::StatusCode::kDataLoss);

  // A field count beyond what the body can hold.
  ASSERT_NO_FATAL_FAILURE(write(entries, 1u << 19));
  EXPECT_EQ(open_segment().code(), absl::StatusCode::kDataLoss);

  ASSERT_NO_FATAL_FAILURE(write(entries, entries.size()));
  EXPECT_TRUE(open_index().ok()) << open_index();
}

}  // namespace
}  // namespace scour::reliability
