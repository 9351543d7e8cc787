// Term vectors (.tvec): what the writer is given comes back per document (against a map built
// beside it), damaged vectors and files give DataLoss (never a crash), and an index written with
// term vectors holds, for every live document, exactly the terms re-analysing its text gives,
// through flushes, deletions and merges; `check` accepts it and finds a vector that disagrees.
#include "index/segment/term_vectors.h"

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "base/coding.h"
#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/format/file_names.h"
#include "index/inspect/checker.h"
#include "index/inverter/segment_builder.h"
#include "index/writer/open_writer.h"
#include "scour/analyzer.h"
#include "scour/index_writer.h"

namespace scour::index {
namespace {

using Vec = std::vector<std::pair<std::string, uint32_t>>;

// Builds a .tvec of `docs` random documents; `want[doc][field]` is the reference.
std::string BuildFile(std::mt19937* rng, uint32_t docs,
                      std::vector<std::map<uint32_t, Vec>>* want) {
  want->assign(docs, {});
  for (uint32_t field : {1u, 2u, 200u}) {
    std::vector<std::string> terms;
    for (int i = 0; i < 40; ++i) {
      std::string t;
      for (size_t k = 1 + (*rng)() % 9; k > 0; --k) t.push_back("abcz\xc3\xa9"[(*rng)() % 5]);
      terms.push_back(t);
    }
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    for (const std::string& t : terms)
      for (uint32_t d = 0; d < docs; ++d)
        if ((*rng)() % 4 == 0)
          (*want)[d][field].emplace_back(t, (*rng)() % 20 == 0 ? 100000 : 1 + (*rng)() % 5);
  }
  TermVectorsWriter b;
  for (uint32_t d = 0; d < docs; ++d) {
    std::vector<FieldTermVector> doc;
    for (const auto& [field, vec] : (*want)[d]) doc.push_back({field, vec});
    b.AddDocument(doc);
  }
  auto dir = NewMemDirectory();
  auto w = FramedWriter::Create(dir.get(), "t.tvec", FileKind::kTermVectors);
  EXPECT_TRUE(w.ok());
  EXPECT_TRUE(b.WriteTo(&*w).ok());
  EXPECT_TRUE(w->Finish().ok());
  auto f = dir->Open("t.tvec");
  EXPECT_TRUE(f.ok());
  return std::string((*f)->data());
}

TEST(TermVectors, WhatIsAddedComesBackPerDocument) {
  std::mt19937 rng(5);
  for (uint32_t docs : {0u, 1u, 7u, 300u}) {
    std::vector<std::map<uint32_t, Vec>> want;
    const std::string file = BuildFile(&rng, docs, &want);
    auto r = TermVectorsReader::Open(file, "t.tvec");
    ASSERT_TRUE(r.ok()) << r.status();
    std::vector<FieldTermVector> got;
    for (uint32_t d = 0; d < docs; ++d) {
      ASSERT_TRUE(r->Get(d, &got).ok()) << d;
      ASSERT_EQ(got.size(), want[d].size()) << d;
      size_t i = 0;
      for (const auto& [field, vec] : want[d]) {
        EXPECT_EQ(got[i].field, field);
        EXPECT_EQ(got[i].terms, vec) << d << " " << field;
        ++i;
      }
    }
    uint32_t seen = 0;
    ASSERT_TRUE(r->ForEachDocument(docs, [&](uint32_t d, const std::vector<FieldTermVector>& fs) {
                   EXPECT_EQ(d, seen++);
                   EXPECT_EQ(fs.size(), want[d].size());
                   return absl::OkStatus();
                 }).ok());
    EXPECT_EQ(seen, docs);
    EXPECT_FALSE(
        r->ForEachDocument(docs + 1, [](uint32_t, const auto&) { return absl::OkStatus(); }).ok());
  }
}

TEST(TermVectors, BadVectorsAreDataLoss) {
  Vec v = {{"apple", 2}, {"apply", 1}, {"b", 7}};
  std::string ok;
  EncodeTermVector(v, &ok);
  Vec got;
  ASSERT_TRUE(DecodeTermVector(ok, "x", &got).ok());
  EXPECT_EQ(got, v);
  auto bad = [](std::initializer_list<uint64_t> varints, std::string_view tail = "") {
    std::string s;
    for (uint64_t x : varints) PutVarint64(&s, x);
    s.append(tail);
    return s;
  };
  const std::pair<std::string, const char*> cases[] = {
      {"", "empty"},
      {bad({0}), "no term"},
      {bad({1000000}), "count beyond the bytes"},
      {bad({1, 1, 1}, "a\x01"), "shared beyond the previous term"},
      {bad({1, 0, 1}, "a") + bad({0}), "tf 0"},
      {bad({2, 0, 1}, "b") + bad({1, 0, 1}, "a") + bad({1}), "out of order"},
      {bad({2, 0, 1}, "a") + bad({1, 1, 0}) + bad({1}), "a repeated term"},
      {ok + "x", "trailing bytes"},
      {ok.substr(0, ok.size() - 1), "cut short"},
  };
  for (const auto& [bytes, what] : cases) {
    absl::Status s = DecodeTermVector(bytes, "x", &got);
    EXPECT_TRUE(absl::IsDataLoss(s)) << what << ": " << s;
  }
}

TEST(TermVectors, DamagedFilesAreDataLossNeverACrash) {
  std::mt19937 rng(9);
  std::vector<std::map<uint32_t, Vec>> want;
  const std::string file = BuildFile(&rng, 300, &want);
  int failures = 0;
  for (size_t at = 0; at < file.size(); at += 1 + file.size() / 150) {
    for (uint8_t x : {0x01, 0x80, 0xff}) {
      std::string damaged = file;
      damaged[at] = static_cast<char>(damaged[at] ^ x);
      auto r = TermVectorsReader::Open(damaged, "t.tvec");
      if (!r.ok()) {
        ++failures;
        continue;
      }
      std::vector<FieldTermVector> got;
      for (uint32_t d = 0; d < 300; d += 17) (void)r->Get(d, &got);
      absl::Status s =
          r->ForEachDocument(300, [](uint32_t, const auto&) { return absl::OkStatus(); });
      failures += !s.ok();
    }
  }
  EXPECT_GT(failures, 0);
}

// Every live document's vectors against re-analysing its stored text with the index's analyser.
void ExpectVectorsMatchText(const Snapshot& snap, Analyzer* analyzer) {
  std::vector<FieldTermVector> got;
  for (size_t s = 0; s < snap.segments.size(); ++s) {
    const SegmentReader& seg = *snap.segments[s];
    ASSERT_NE(seg.term_vectors(), nullptr) << s;
    for (uint32_t d = 0; d < seg.max_doc(); ++d) {
      if (seg.IsDeleted(d)) continue;
      ASSERT_TRUE(seg.term_vectors()->Get(d, &got).ok());
      std::vector<StoredField> stored;
      ASSERT_TRUE(seg.Stored(d, &stored).ok());
      std::map<uint32_t, std::map<std::string, uint32_t>> want;
      for (const StoredField& f : stored) {
        if (f.field == kIdField) continue;
        uint32_t pos = 0;
        ASSERT_TRUE(analyzer
                        ->ForEachToken(
                            f.value,
                            [&](std::string_view t, uint32_t p, uint32_t, uint32_t) {
                              pos = p;
                              ++want[f.field][std::string(t)];
                            },
                            pos)
                        .ok());
      }
      ASSERT_EQ(got.size(), want.size()) << "segment " << s << " doc " << d;
      for (const FieldTermVector& v : got)
        EXPECT_EQ(v.terms, Vec(want[v.field].begin(), want[v.field].end()))
            << "segment " << s << " doc " << d << " field " << v.field;
    }
  }
}

TEST(TermVectors, IndexKeepsThemThroughFlushesDeletesAndMerges) {
  std::mt19937 rng(21);
  const char* words[] = {"running", "runs",  "ran",    "fox",    "foxes", "the",   "quick",
                         "brown",   "jumps", "jumped", "lazily", "dogs",  "dog's", "Café"};
  auto dir = NewMemDirectory();
  IndexWriterOptions o;
  o.analyzer.language = "english";
  o.threads = 1;
  o.auto_merge = false;
  o.term_vectors = true;
  auto w = OpenIndexWriter(dir.get(), o);
  ASSERT_TRUE(w.ok());
  int id = 0;
  for (int seg = 0; seg < 4; ++seg) {
    for (int i = 0; i < 60; ++i) {
      auto text = [&](int n) {
        std::string t;
        for (int k = 0; k < n; ++k) t += std::string(words[rng() % std::size(words)]) + " ";
        return t;
      };
      Document d{"d" + std::to_string(id++),
                 {{"title", text(rng() % 4)}, {"text", text(rng() % 30)}}};
      if (rng() % 9 == 0) d.fields.pop_back();
      if (rng() % 5 == 0) d.fields.push_back({"text", text(rng() % 6)});  // multi-valued
      ASSERT_TRUE((*w)->AddDocument(d).ok());
      if (rng() % 7 == 0) {
        ASSERT_TRUE((*w)->DeleteDocument("d" + std::to_string(rng() % id)).ok());
      }
    }
    ASSERT_TRUE((*w)->Commit().ok());
  }
  auto a = Analyzer::Create(o.analyzer);
  ASSERT_TRUE(a.ok());
  {
    auto r = OpenIndexReader(dir.get(), {});
    ASSERT_TRUE(r.ok());
    ASSERT_GE(SnapshotOf(**r).segments.size(), 4u);
    ExpectVectorsMatchText(SnapshotOf(**r), &*a);
  }
  CheckReport rep = CheckIndex(dir.get());
  ASSERT_TRUE(rep.ok()) << rep.problems[0];
  ASSERT_TRUE((*w)->ForceMerge(2).ok());
  ASSERT_TRUE((*w)->ForceMerge(1).ok());
  w->reset();
  {
    auto r = OpenIndexReader(dir.get(), {});
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(SnapshotOf(**r).segments.size(), 1u);
    ExpectVectorsMatchText(SnapshotOf(**r), &*a);
  }
  rep = CheckIndex(dir.get());
  ASSERT_TRUE(rep.ok()) << rep.problems[0];

  // A writer without the option adds a segment without vectors; merging it with the rest drops
  // them (they are copied, so kept only when every source has them), even for a writer that
  // asks for them; a segment it flushes has them.
  o.term_vectors = false;
  w = OpenIndexWriter(dir.get(), o);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->AddDocument({"plain", {{"text", "fox runs"}}}).ok());
  ASSERT_TRUE((*w)->Commit().ok());
  w->reset();
  o.term_vectors = true;
  w = OpenIndexWriter(dir.get(), o);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->AddDocument({"vec", {{"text", "dogs ran"}}}).ok());
  ASSERT_TRUE((*w)->Commit().ok());
  {
    auto r = OpenIndexReader(dir.get(), {});
    ASSERT_TRUE(r.ok());
    const Snapshot& snap = SnapshotOf(**r);
    ASSERT_EQ(snap.segments.size(), 3u);
    EXPECT_NE(snap.segments[0]->term_vectors(), nullptr);
    EXPECT_EQ(snap.segments[1]->term_vectors(), nullptr);
    EXPECT_NE(snap.segments[2]->term_vectors(), nullptr);
  }
  ASSERT_TRUE((*w)->ForceMerge(1).ok());
  w->reset();
  auto r = OpenIndexReader(dir.get(), {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(SnapshotOf(**r).segments.size(), 1u);
  EXPECT_EQ(SnapshotOf(**r).segments[0]->term_vectors(), nullptr);
  rep = CheckIndex(dir.get());
  EXPECT_TRUE(rep.ok()) << rep.problems[0];
}

// The builder makes the vectors as documents come and keeps them compressed in the memory it
// reports (so the writer's RAM budget covers them), the file's size at most; a flush gives it
// back.
TEST(TermVectors, BuilderCountsThemInItsMemory) {
  std::mt19937 rng(3);
  std::vector<std::string> texts;
  for (int d = 0; d < 5000; ++d) {
    std::string t;
    for (int w = 0; w < 40; ++w) t += "w" + std::to_string(rng() % 20000) + " ";
    texts.push_back(std::move(t));
  }
  size_t ram[2], tvec_size = 0;
  for (bool vectors : {false, true}) {
    auto analyzer = Analyzer::Create({.language = "none"});
    ASSERT_TRUE(analyzer.ok());
    SegmentBuilder b(*std::move(analyzer));
    b.set_term_vectors(vectors);
    const size_t empty = b.ram_bytes();
    for (size_t d = 0; d < texts.size(); ++d)
      ASSERT_TRUE(b.AddDocument("id" + std::to_string(d), {{1, texts[d], true, false}}).ok());
    ram[vectors] = b.ram_bytes();
    auto dir = NewMemDirectory();
    SegmentInfo info;
    ASSERT_TRUE(b.Flush(dir.get(), 1, &info).ok());
    EXPECT_LE(b.ram_bytes(), empty + 4096);
    auto f = dir->Open(SegmentFileName(1, FileKind::kTermVectors));
    ASSERT_EQ(f.ok(), vectors);
    if (vectors) tvec_size = (*f)->data().size();
  }
  ASSERT_GT(tvec_size, 100000u);
  EXPECT_GE(ram[1], ram[0] + tvec_size * 9 / 10) << ram[0] << " " << ram[1] << " " << tvec_size;
  EXPECT_LE(ram[1], ram[0] + tvec_size * 3) << ram[0] << " " << ram[1] << " " << tvec_size;
}

// `check` compares the vectors' totals with the postings: a well-formed file from another
// segment of the same size is found.
TEST(TermVectors, CheckFindsVectorsThatDisagreeWithThePostings) {
  auto dir = NewMemDirectory();
  IndexWriterOptions o;
  o.analyzer.language = "none";
  o.threads = 1;
  o.auto_merge = false;
  o.term_vectors = true;
  auto w = OpenIndexWriter(dir.get(), o);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->AddDocument({"a", {{"text", "x y y"}}}).ok());
  ASSERT_TRUE((*w)->Commit().ok());
  ASSERT_TRUE((*w)->AddDocument({"b", {{"text", "x y y z"}}}).ok());
  ASSERT_TRUE((*w)->Commit().ok());
  w->reset();
  auto m = ReadManifest(dir.get());
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->segments.size(), 2u);
  const std::string first = SegmentFileName(m->segments[0].number, FileKind::kTermVectors);
  const std::string second = SegmentFileName(m->segments[1].number, FileKind::kTermVectors);
  ASSERT_TRUE(CheckIndex(dir.get()).ok());
  auto f = dir->Open(second);
  ASSERT_TRUE(f.ok());
  const std::string bytes((*f)->data());
  f->reset();
  ASSERT_TRUE(dir->Delete(first).ok());
  auto out = dir->Create(first);
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE((*out)->Append(bytes).ok());
  ASSERT_TRUE((*out)->Close().ok());
  CheckReport rep = CheckIndex(dir.get());
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(rep.problems[0].find("term vectors of field text disagree"), std::string::npos)
      << rep.problems[0];
}

}  // namespace
}  // namespace scour::index
