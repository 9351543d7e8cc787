// Concurrency: one writer thread replaces whole groups of documents per commit (and deletes,
// merges, force-merges) while three reader threads keep opening snapshots and searching. Every
// snapshot must show each group at exactly one version with all of that version's members —
// never two versions of a group, never a partial group. Also: a second writer is locked out.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"
#include "test_util.h"

namespace scour::reliability {
namespace {

constexpr int kGroups = 6;
constexpr int kMaxMembers = 6;
// Version v of a group has 2 + v % 5 members; members beyond that are deleted.
int Members(int v) { return 2 + v % 5; }
std::string MemberId(int g, int m) { return "g" + std::to_string(g) + "m" + std::to_string(m); }
std::string MemberText(int g, int v, int m) {
  return "grp" + std::to_string(g) + " ver" + std::to_string(v) + " member" + std::to_string(m) +
         " filler words to index";
}

// Parses "grpG verV memberM ...".
bool Parse(const std::string& text, int* g, int* v) {
  return std::sscanf(text.c_str(), "grp%d ver%d", g, v) == 2;
}

// Empty when the snapshot is consistent; else what is wrong.
std::string CheckSnapshot(const std::shared_ptr<IndexReader>& r, const Searcher& s) {
  std::map<int, std::map<int, int>> seen;  // group -> version -> live members
  const auto& impl = index::SnapshotOf(*r);
  for (size_t i = 0; i < impl.segments.size(); ++i) {
    for (uint32_t d = 0; d < impl.segments[i]->max_doc(); ++d) {
      if (impl.segments[i]->IsDeleted(d)) continue;
      auto doc = r->Document(impl.bases[i] + d);
      if (!doc.ok()) return std::string(doc.status().message());
      const std::string* t = doc->Get("text");
      int g, v;
      if (t == nullptr || !Parse(*t, &g, &v)) return "bad document " + doc->id;
      seen[g][v]++;
    }
  }
  if (seen.size() != kGroups) return "groups: " + std::to_string(seen.size());
  for (const auto& [g, versions] : seen) {
    if (versions.size() != 1)
      return "group " + std::to_string(g) + " has " + std::to_string(versions.size()) + " versions";
    const auto [v, n] = *versions.begin();
    if (n != Members(v))
      return "group " + std::to_string(g) + " version " + std::to_string(v) + ": " +
             std::to_string(n) + " of " + std::to_string(Members(v)) + " members";
    // The searcher sees the same thing.
    SearchOptions o;
    o.k = 100;
    o.count = true;
    auto res = s.Search("grp" + std::to_string(g), o);
    if (!res.ok()) return std::string(res.status().message());
    if (res->total_hits != static_cast<uint64_t>(n))
      return "search for group " + std::to_string(g) + ": " + std::to_string(res->total_hits);
    for (const Hit& h : res->hits) {
      int hg, hv;
      const std::string* t = h.document.Get("text");
      if (t == nullptr || !Parse(*t, &hg, &hv) || hg != g || hv != v) return "search hit " + h.id;
    }
  }
  return "";
}

TEST(ConcurrencyTest, SnapshotsAreConsistentWhileWriterCommitsAndMerges) {
  TempDir tmp;
  const std::string path = tmp.Sub("idx");
  IndexWriterOptions opt;
  opt.analyzer.language = "none";
  opt.threads = 2;
  opt.ram_budget_mb = 1;
  opt.merge_factor = 3;
  auto w = IndexWriter::Open(path, opt);
  ASSERT_TRUE(w.ok()) << w.status();
  std::vector<int> version(kGroups, 0);
  auto write_group = [&](int g, int v) {
    for (int m = 0; m < kMaxMembers; ++m) {
      if (m < Members(v)) {
        Document d;
        d.id = MemberId(g, m);
        d.fields.push_back({"text", MemberText(g, v, m)});
        ASSERT_TRUE((*w)->AddDocument(std::move(d)).ok());
      } else {
        ASSERT_TRUE((*w)->DeleteDocument(MemberId(g, m)).ok());
      }
    }
  };
  for (int g = 0; g < kGroups; ++g) write_group(g, 0);
  ASSERT_TRUE((*w)->Commit().ok());

  // A second writer on the same path is refused while the first is open.
  auto second = IndexWriter::Open(path, opt);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("locked"), std::string_view::npos) << second.status();

  std::atomic<bool> stop{false};
  std::atomic<int> snapshots{0};
  std::atomic<int> commits{0};
  std::vector<std::string> errors(3);
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      while (!stop.load()) {
        auto r = IndexReader::Open(path);
        if (!r.ok()) {
          errors[t] = std::string(r.status().message());
          return;
        }
        auto s = Searcher::Create(*r);
        if (!s.ok()) {
          errors[t] = std::string(s.status().message());
          return;
        }
        std::string e = CheckSnapshot(*r, **s);
        if (!e.empty()) {
          errors[t] = "generation " + std::to_string((*r)->generation()) + ": " + e;
          return;
        }
        snapshots.fetch_add(1);
      }
    });
  }
  std::thread writer([&] {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    for (int c = 1; c <= 300 && std::chrono::steady_clock::now() < end; ++c) {
      // Replace 1-3 groups per commit; uncommitted work is never visible.
      for (int k = 0; k < 1 + c % 3; ++k) {
        const int g = (c * 5 + k) % kGroups;
        write_group(g, ++version[g]);
      }
      absl::Status s = c % 25 == 0 ? (*w)->ForceMerge(1) : (*w)->Commit();
      ASSERT_TRUE(s.ok()) << s;
      commits.fetch_add(1);
    }
  });
  writer.join();
  // Let the readers see the final state a few times.
  const int after = snapshots.load();
  while (snapshots.load() < after + 6 && errors[0].empty() && errors[1].empty() &&
         errors[2].empty())
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop = true;
  for (auto& r : readers) r.join();
  for (int t = 0; t < 3; ++t) EXPECT_EQ(errors[t], "") << "reader " << t;
  std::printf("concurrency: %d commits, %d snapshots checked\n", commits.load(), snapshots.load());
  EXPECT_GT(commits.load(), 5);
  EXPECT_GT(snapshots.load(), 3);

  w->reset();
  auto third = IndexWriter::Open(path, opt);  // the lock is released with the writer
  EXPECT_TRUE(third.ok()) << third.status();
}

}  // namespace
}  // namespace scour::reliability
