// Format 8's dense doc blocks (docs/format/block-codec.md, "Dense blocks"): conjunctions test
// their lead docs in the second clause's bit sets (engine/algorithm/count.h, conjunction.h)
// instead of decoding them. Counts are checked against the documents' words, top k against
// the exhaustive evaluation (which decodes every block), on lists that are bit sets, patched,
// and mixed, with and without deletions.
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "index/commit/manifest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/segment/segment_reader.h"
#include "index/writer/open_writer.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"

namespace scour {
namespace {

// Each word's documents: "all" in every one (spans of 128), "half" every other (256), "third"
// every third (384, the largest bit set), "quarter" every fourth (patched), "mixed" 35% at
// random (blocks of each kind), "some" 20%, "rare" 2%.
const char* const kWords[] = {"all", "half", "third", "quarter", "mixed", "some", "rare"};
constexpr int kDocs = 3000;

bool Has(const std::string& w, int i, std::mt19937& rng) {
  if (w == "all") return true;
  if (w == "half") return i % 2 == 0;
  if (w == "third") return i % 3 == 0;
  if (w == "quarter") return i % 4 == 0;
  if (w == "mixed") return rng() % 20 < 7;
  if (w == "some") return rng() % 10 < 2;
  return rng() % 50 == 0;
}

class DenseBlocks : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    dir_ = index::NewMemDirectory();
    IndexWriterOptions o;
    o.analyzer.language = "none";
    o.threads = 1;
    o.auto_merge = false;
    auto w = index::OpenIndexWriter(dir_.get(), o);
    ASSERT_TRUE(w.ok()) << w.status();
    std::mt19937 rng(19);
    for (int i = 0; i < kDocs; ++i) {
      Document d;
      d.id = "d" + std::to_string(i);
      std::string text = "filler" + std::to_string(i % 37);
      for (const char* word : kWords) {
        if (!Has(word, i, rng)) continue;
        docs_[word].insert(d.id);
        for (int t = 0; t <= (i * 7 + word[0]) % 4; ++t) text += std::string(" ") + word;
      }
      d.fields.push_back({"body", text});
      ASSERT_TRUE((*w)->AddDocument(d).ok());
    }
    ASSERT_TRUE((*w)->Commit().ok());
    if (GetParam()) {  // deletions: every 11th document
      for (int i = 0; i < kDocs; i += 11) {
        ASSERT_TRUE((*w)->DeleteDocument("d" + std::to_string(i)).ok());
        for (auto& [word, ids] : docs_) ids.erase("d" + std::to_string(i));
      }
    }
    ASSERT_TRUE((*w)->ForceMerge(1).ok());
    ASSERT_TRUE((*w)->Commit().ok());
    w->reset();
    auto r = index::OpenIndexReader(dir_.get(), {});
    ASSERT_TRUE(r.ok()) << r.status();
    reader_ = *r;
    auto s = Searcher::Create(reader_);
    ASSERT_TRUE(s.ok());
    searcher_ = std::move(*s);
  }

  // How many of the word's full blocks are bit sets, and how many it has.
  std::pair<int, int> BitSetBlocks(const std::string& word) {
    auto m = index::ReadManifest(dir_.get());
    EXPECT_TRUE(m.ok());
    EXPECT_EQ(m->segments.size(), 1u);
    auto seg = index::SegmentReader::Open(dir_.get(), m->segments[0], true);
    EXPECT_TRUE(seg.ok());
    for (uint32_t field = 1; field < 4; ++field) {
      auto info = (*seg)->Lookup(field, word);
      if (!info.ok() || !info->has_value()) continue;
      index::SegmentPostings p = (*seg)->Postings(field, **info);
      const int nb = static_cast<int>((*info)->df / index::kBlockSize);
      int bit_sets = 0;
      for (int b = 0; b < nb; ++b) {
        p.ShallowAdvance(p.BlockLastDoc() + (b == 0 ? 0 : 1));
        uint32_t start;
        bit_sets += p.ShallowBitSet(&start) != nullptr;
      }
      return {bit_sets, nb};
    }
    ADD_FAILURE() << word << " not found";
    return {0, 0};
  }

  std::unique_ptr<index::Directory> dir_;
  std::shared_ptr<IndexReader> reader_;
  std::unique_ptr<Searcher> searcher_;
  std::map<std::string, std::set<std::string>> docs_;
};

TEST_P(DenseBlocks, ListsHaveTheBlocksTheyAreMadeFor) {
  if (GetParam()) GTEST_SKIP() << "the merge renumbers the documents: spans shrink";
  for (const char* word : {"all", "half", "third"}) {
    auto [bit_sets, blocks] = BitSetBlocks(word);
    EXPECT_GT(blocks, 5) << word;
    EXPECT_EQ(bit_sets, blocks) << word;
  }
  EXPECT_EQ(BitSetBlocks("quarter").first, 0);
  auto [mixed, blocks] = BitSetBlocks("mixed");
  EXPECT_GT(mixed, 0);
  EXPECT_LT(mixed, blocks);
}

TEST_P(DenseBlocks, CountsAndTopKEqualTheReference) {
  std::vector<std::vector<std::string>> queries;
  for (const char* a : kWords)
    for (const char* b : kWords)
      if (std::string(a) != b) queries.push_back({a, b});
  queries.push_back({"rare", "half", "third"});
  queries.push_back({"some", "mixed", "all"});
  queries.push_back({"quarter", "half", "-third"});
  queries.push_back({"some", "all", "-mixed"});
  for (const auto& q : queries) {
    std::string text;
    std::set<std::string> want;
    bool first = true;
    for (const std::string& t : q) {
      const bool excluded = t[0] == '-';
      text += (text.empty() ? "" : " ") + (excluded ? t : "+" + t);
      const std::set<std::string>& ids = docs_[excluded ? t.substr(1) : t];
      std::set<std::string> next;
      if (excluded) {
        for (const std::string& id : want)
          if (!ids.count(id)) next.insert(id);
      } else if (first) {
        next = ids;
      } else {
        for (const std::string& id : want)
          if (ids.count(id)) next.insert(id);
      }
      want = std::move(next);
      first = false;
    }
    for (size_t k : {0, 10, 1000}) {
      SearchOptions o;
      o.k = k;
      o.count = true;
      o.verify_pruning = true;
      o.load_stored = false;
      auto res = searcher_->Search(text, o);
      ASSERT_TRUE(res.ok()) << text << ": " << res.status();
      EXPECT_EQ(res->total_hits, want.size()) << text << " k=" << k;
      EXPECT_EQ(res->pruning_differences, "") << text << " k=" << k;
      EXPECT_EQ(res->hits.size(), std::min(k, want.size())) << text << " k=" << k;
      for (const Hit& h : res->hits) EXPECT_TRUE(want.count(h.id)) << text << ": " << h.id;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Deletions, DenseBlocks, ::testing::Bool());

}  // namespace
}  // namespace scour
