// A document's score does not depend on how the index is cut into segments: the same documents
// in one segment, or split so that each segment sees other document frequencies, give every hit
// the same score bits (scores add up in clause order, whatever clause leads the iteration).
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/writer/open_writer.h"
#include "scour/searcher.h"

namespace scour {
namespace {

std::map<std::string, float> Scores(index::Directory* dir, const std::string& query) {
  auto searcher = *Searcher::Create(*index::OpenIndexReader(dir, {}));
  SearchOptions o;
  o.k = 1000;
  o.load_stored = false;
  auto r = searcher->Search(query, o);
  EXPECT_TRUE(r.ok()) << r.status();
  std::map<std::string, float> out;
  for (const Hit& h : r->hits) out[h.id] = h.score;
  return out;
}

TEST(ScoreBitsTest, IndependentOfSegmentation) {
  const std::vector<std::string> words = {"a1", "b2", "c3", "d4", "e5", "f6"};
  std::mt19937 rng(7);
  std::vector<Document> docs;
  for (int i = 0; i < 300; ++i) {
    Document d;
    d.id = "d" + std::to_string(i);
    std::string text;
    for (int w = 0; w < 12; ++w) {
      // The first half of the documents favour a1/c3, the second half b2/d4: per segment, the
      // cheapest required clause differs.
      const size_t pick = rng() % 3 == 0 ? rng() % words.size() : (i < 150 ? 0 : 1) + 2 * (w % 2);
      text += words[pick] + " ";
    }
    d.fields.push_back({"body", text});
    docs.push_back(std::move(d));
  }
  auto one = index::NewMemDirectory(), split = index::NewMemDirectory();
  IndexWriterOptions o;
  o.auto_merge = false;
  o.threads = 1;
  auto w1 = *index::OpenIndexWriter(one.get(), o);
  auto w2 = *index::OpenIndexWriter(split.get(), o);
  for (size_t i = 0; i < docs.size(); ++i) {
    ASSERT_TRUE(w1->AddDocument(docs[i]).ok());
    ASSERT_TRUE(w2->AddDocument(docs[i]).ok());
    if (i == 149) {
      ASSERT_TRUE(w2->Commit().ok());
    }
  }
  ASSERT_TRUE(w1->Commit().ok());
  ASSERT_TRUE(w2->Commit().ok());
  for (const char* q : {"+(a1 b2) +(c3 d4)", "+(a1 e5) +(b2 f6) +(c3 d4)", "+a1 +b2 +c3 d4"}) {
    const auto a = Scores(one.get(), q), b = Scores(split.get(), q);
    ASSERT_EQ(a.size(), b.size()) << q;
    ASSERT_FALSE(a.empty()) << q;
    for (const auto& [id, score] : a) {
      const float other = b.at(id);
      EXPECT_EQ(std::memcmp(&score, &other, sizeof score), 0)
          << q << " " << id << ": " << score << " vs " << other;
    }
  }
}

}  // namespace
}  // namespace scour
