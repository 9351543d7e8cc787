// Format 7's doc map (docs/format/README.md, ".tdict", "Format version 7"): document -> `_id`
// entry ordinal, and the two readers built on it: SegmentReader::ExternalId (pages of 128 ids)
// and IdDocs / FindId (the map's inverse), each against a plain reference.
#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/coding.h"
#include "gtest/gtest.h"
#include "index/directory/directory.h"
#include "index/format/file_format.h"
#include "index/format/file_names.h"
#include "index/segment/segment_format.h"
#include "index/segment/segment_reader.h"
#include "index/segment/segment_writer.h"
#include "index/segment/term_dict.h"

namespace scour::index {
namespace {

struct Segment {
  std::unique_ptr<Directory> dir;
  std::vector<std::string> id_of;  // by document
  std::vector<uint32_t> ordinal;   // by document: its id's rank among the distinct ids
};

// A segment of `docs` documents whose ids are `id_of` (some repeated: an id replaced within
// the segment), one term "w" in field 1 on every document.
Segment Write(std::vector<std::string> id_of) {
  Segment s;
  s.dir = NewMemDirectory();
  const uint32_t docs = static_cast<uint32_t>(id_of.size());
  std::map<std::string, std::vector<uint32_t>> by_id;
  for (uint32_t d = 0; d < docs; ++d) by_id[id_of[d]].push_back(d);
  auto w = SegmentWriter::Create(s.dir.get(), 1, docs);
  EXPECT_TRUE(w.ok());
  (*w)->SetNorms(1, std::vector<uint8_t>(docs, 60));
  s.ordinal.assign(docs, 0);
  uint32_t rank = 0;
  for (const auto& [id, list] : by_id) {
    std::string key;
    AppendTermKey(kIdField, id, &key);
    std::vector<uint32_t> ones(list.size(), 1);
    EXPECT_TRUE((*w)->AddTerm(key, kIdField, list.data(), ones.data(), list.size(), nullptr).ok());
    for (uint32_t d : list) s.ordinal[d] = rank;
    ++rank;
  }
  std::vector<uint32_t> all(docs), ones(docs, 1), positions(docs, 0);
  for (uint32_t d = 0; d < docs; ++d) all[d] = d;
  std::string key;
  AppendTermKey(1, "w", &key);
  if (docs > 0) {
    EXPECT_TRUE((*w)->AddTerm(key, 1, all.data(), ones.data(), docs, positions.data()).ok());
  }
  for (uint32_t d = 0; d < docs; ++d) (*w)->stored().AddDocument({});
  SegmentInfo info;
  EXPECT_TRUE((*w)->Finish(&info).ok());
  s.id_of = std::move(id_of);
  return s;
}

std::shared_ptr<SegmentReader> Open(const Segment& s) {
  SegmentRef ref;
  ref.number = 1;
  ref.doc_count = static_cast<uint32_t>(s.id_of.size());
  auto r = SegmentReader::Open(s.dir.get(), ref, /*verify_checksums=*/true);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : nullptr;
}

std::vector<std::string> Ids(uint32_t docs, bool shuffled, uint32_t seed) {
  std::vector<std::string> ids;
  for (uint32_t d = 0; d < docs; ++d) ids.push_back("doc/" + std::to_string(d));
  if (shuffled) std::shuffle(ids.begin(), ids.end(), std::mt19937(seed));
  return ids;
}

// Ids in input order (near their ordinals: delta mode), shuffled (FOR mode), with repeats,
// at document counts around the 128-document block.
TEST(DocMap, EveryDocumentsOrdinalAndIdRoundTrip) {
  for (uint32_t docs : {1u, 2u, 127u, 128u, 129u, 300u, 1000u}) {
    for (int kind = 0; kind < 3; ++kind) {
      std::vector<std::string> ids = Ids(docs, kind == 1, docs);
      if (kind == 2)  // every third document replaces the one before it
        for (uint32_t d = 1; d < docs; d += 3) ids[d] = ids[d - 1];
      const Segment s = Write(ids);
      auto r = Open(s);
      ASSERT_NE(r, nullptr);
      ASSERT_TRUE(r->dict().has_doc_map());
      std::vector<uint32_t> ordinals;
      ASSERT_TRUE(r->dict().DocMap(&ordinals).ok());
      EXPECT_EQ(ordinals, s.ordinal) << docs << " " << kind;
      for (uint32_t d = 0; d < docs; ++d) {
        auto id = r->ExternalId(d);
        ASSERT_TRUE(id.ok()) << id.status();
        EXPECT_EQ(*id, s.id_of[d]) << d;
      }
      EXPECT_TRUE(absl::IsOutOfRange(r->ExternalId(docs).status()));
    }
  }
}

// The reference for both directions: the dictionary's _id entries walked in order, each with
// the documents IdDocs gives; ExternalId and FindId must agree with it for every document.
TEST(DocMap, ExternalIdAndFindIdAgreeWithTheWalk) {
  std::vector<std::string> ids = Ids(700, /*shuffled=*/true, 3);
  for (uint32_t d = 5; d < 700; d += 50) ids[d] = ids[d - 1];  // repeats
  const Segment s = Write(ids);
  auto r = Open(s);
  ASSERT_NE(r, nullptr);
  std::vector<std::string> walked(ids.size());
  std::vector<uint32_t> docs;
  std::string prefix;
  AppendTermKey(kIdField, "", &prefix);
  size_t entries = 0;
  for (auto it = r->dict().Seek(prefix); it.Valid() && it.key().starts_with(prefix); it.Next()) {
    ASSERT_TRUE(r->IdDocs(it.info(), &docs).ok());
    ASSERT_FALSE(docs.empty());
    ASSERT_TRUE(std::is_sorted(docs.begin(), docs.end()));
    for (uint32_t d : docs) walked[d] = std::string(it.key().substr(prefix.size()));
    ++entries;
  }
  EXPECT_EQ(entries, r->dict().num_id_entries());
  for (uint32_t d = 0; d < ids.size(); ++d) {
    EXPECT_EQ(walked[d], ids[d]);
    auto id = r->ExternalId(d);
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(*id, walked[d]);
    auto found = r->FindId(ids[d]);
    ASSERT_TRUE(found.ok() && found->has_value());
    // The first document of that id (none deleted): the scan (the first calls) and the inverse
    // (the later ones) alike.
    EXPECT_EQ(**found,
              static_cast<uint32_t>(std::find(ids.begin(), ids.end(), ids[d]) - ids.begin()));
  }
  auto none = r->FindId("doc/none");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  // The scan's answers for repeated ids, on a fresh reader (its first calls).
  auto fresh = Open(s);
  ASSERT_NE(fresh, nullptr);
  for (uint32_t d = 5; d < 700 && d < 5 + 50 * SegmentReader::kFindsBeforeInverse; d += 50) {
    auto found = fresh->FindId(ids[d]);
    ASSERT_TRUE(found.ok() && found->has_value());
    EXPECT_EQ(**found, d - 1);
  }
}

// The head byte of every doc block (bits 0-5 width, bit 7 delta mode), read from the file.
std::vector<uint8_t> BlockHeads(const Segment& s) {
  auto file = s.dir->Open(SegmentFileName(1, FileKind::kTermDict));
  EXPECT_TRUE(file.ok());
  const std::string_view whole = (*file)->data();
  const char* map = whole.data() + DecodeFixed64(whole.data() + whole.size() - kFooterSize - 16);
  const uint32_t width = static_cast<uint8_t>(map[8]);
  std::vector<uint8_t> heads;
  for (uint32_t j = 0; j < DocMapBlocks(DecodeFixed32(map)); ++j) {
    uint64_t off = 0;
    for (uint32_t k = 0; k < width; ++k)
      off |= uint64_t{static_cast<uint8_t>(map[9 + j * width + k])} << (8 * k);
    heads.push_back(static_cast<uint8_t>(map[off]));
  }
  return heads;
}

// FindDocs skips a doc block when its head bounds its ordinals away from the one sought. Blocks
// whose ordinals reach their bounds exactly: FindDocs must agree with a scan of the whole map
// for every ordinal (an off-by-one bound loses the block's edge ordinal).
TEST(DocMap, FindDocsSkipsOnlyBlocksThatCannotHoldTheOrdinal) {
  std::vector<uint32_t> want;
  for (uint32_t i = 0; i < 128; ++i) want.push_back(i);  // 0: delta 1 (b 2): base + 127 at the end
  for (uint32_t i = 0; i < 128; ++i) want.push_back(1000 - 2 * i);  // 1: delta -2: base - 254
  std::vector<uint32_t> c = {2000, 2255};  // 2: FOR, b 8: base and base + 2^8 - 1
  for (uint32_t v = 2001; v < 2127; ++v) c.push_back(v);
  std::shuffle(c.begin() + 1, c.end(), std::mt19937(7));
  want.insert(want.end(), c.begin(), c.end());
  for (uint32_t i = 0; i < 128; ++i) want.push_back(3000);  // 3: FOR, b 0 (one id, 128 docs)
  for (uint32_t i = 0; i < 128; ++i) want.push_back(5000 + 20 * i);  // 4: delta 20 (b 6)
  std::vector<bool> used(want.size() + 8000, false);
  for (uint32_t v : want) used[v] = true;
  const uint32_t top = *std::max_element(want.begin(), want.end());
  for (uint32_t v = 0; v <= top; ++v)  // the rest, increasing: every ordinal has a document
    if (!used[v]) want.push_back(v);
  std::vector<std::string> ids;
  char buf[16];
  for (uint32_t v : want) {
    std::snprintf(buf, sizeof(buf), "o/%08u", v);
    ids.push_back(buf);
  }
  const Segment s = Write(ids);
  ASSERT_EQ(s.ordinal, want);  // the ids' ranks are the ordinals designed
  const std::vector<uint8_t> heads = BlockHeads(s);
  ASSERT_GE(heads.size(), 5u);
  EXPECT_EQ(heads[0], 0x80 | 2);
  EXPECT_EQ(heads[1], 0x80 | 2);
  EXPECT_EQ(heads[2], 8);
  EXPECT_EQ(heads[3], 0);
  EXPECT_EQ(heads[4], 0x80 | 6);
  auto r = Open(s);
  ASSERT_NE(r, nullptr);
  std::vector<std::vector<uint32_t>> docs_of(top + 1);
  for (uint32_t d = 0; d < want.size(); ++d) docs_of[want[d]].push_back(d);
  std::vector<uint32_t> got;
  uint32_t calls = 0;
  const auto every = [&](uint32_t d) {
    got.push_back(d);
    return false;
  };
  const auto two = [&](uint32_t d) {  // stops at the second (FindId: at the first live one)
    got.push_back(d);
    return ++calls == 2;
  };
  for (uint32_t o = 0; o <= top + 1; ++o) {
    const std::vector<uint32_t> docs = o <= top ? docs_of[o] : std::vector<uint32_t>();
    got.clear();
    ASSERT_TRUE(r->dict().FindDocs(o, every).ok());
    EXPECT_EQ(got, docs) << o;
    got.clear();
    calls = 0;
    ASSERT_TRUE(r->dict().FindDocs(o, two).ok());
    EXPECT_EQ(got,
              std::vector<uint32_t>(docs.begin(), docs.begin() + std::min<size_t>(docs.size(), 2)))
        << o;
  }
  // FindId's scan (a fresh reader's first calls) at the blocks' edge ordinals.
  for (const uint32_t d : {0u, 127u, 128u, 255u, 256u, 257u, 384u, 511u, 512u, 639u}) {
    auto fresh = Open(s);
    ASSERT_NE(fresh, nullptr);
    auto found = fresh->FindId(ids[d]);
    ASSERT_TRUE(found.ok() && found->has_value()) << d;
    EXPECT_EQ(**found, docs_of[want[d]].front()) << d;
  }
}

// Pages of ids are made by whichever thread asks first; the views stay valid and equal.
TEST(DocMap, ExternalIdFromManyThreads) {
  const Segment s = Write(Ids(2000, /*shuffled=*/true, 9));
  auto r = Open(s);
  ASSERT_NE(r, nullptr);
  std::vector<std::vector<std::string_view>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (uint32_t i = 0; i < 2000; ++i) {
        const uint32_t d = (i * 7 + t * 500) % 2000;
        auto id = r->ExternalId(d);
        got[t].push_back(id.ok() ? *id : std::string_view("error"));
      }
    });
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t)
    for (uint32_t i = 0; i < 2000; ++i) EXPECT_EQ(got[t][i], s.id_of[(i * 7 + t * 500) % 2000]);
}

// Damage anywhere in the doc map or the tail: DataLoss or a consistent answer, never a read
// outside the file (ASan) or a crash.
TEST(DocMap, DamageIsDataLossNeverARead) {
  const Segment s = Write(Ids(1000, /*shuffled=*/true, 5));
  auto file = s.dir->Open(SegmentFileName(1, FileKind::kTermDict));
  ASSERT_TRUE(file.ok());
  const std::string whole((*file)->data());
  auto good = TermDictReader::Open(whole, "t.tdict");
  ASSERT_TRUE(good.ok());
  const size_t tail = whole.size() - kFooterSize - 24;
  const uint64_t map_at = DecodeFixed64(whole.data() + tail + 8);
  std::mt19937 rng(13);
  int loss = 0;
  for (int rep = 0; rep < 2000; ++rep) {
    std::string bad = whole;
    const size_t at = map_at + rng() % (whole.size() - kFooterSize - map_at);
    bad[at] = static_cast<char>(bad[at] ^ (1 + rng() % 255));
    auto d = TermDictReader::Open(bad, "t.tdict");
    if (!d.ok()) {
      EXPECT_EQ(d.status().code(), absl::StatusCode::kDataLoss);
      ++loss;
      continue;
    }
    // FindDocs passes blocks by their heads: it must not read past a damaged one either.
    const auto none = [](uint32_t) { return false; };
    absl::Status st = d->FindDocs(static_cast<uint32_t>(rng() % 1001), none);
    if (!st.ok()) {
      EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
    }
    std::vector<uint32_t> ordinals;
    st = d->DocMap(&ordinals);
    if (!st.ok()) {
      EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
      ++loss;
      continue;
    }
    std::vector<uint32_t> sorted = ordinals;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    st = d->ForEachIdEntry(sorted, [](uint32_t, std::string_view) {});
    if (!st.ok()) {
      EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
    }
  }
  EXPECT_GT(loss, 0);
}

// A document without an id, or with two, is the writer's caller's error: the map has no way
// to say it.
TEST(DocMap, WriterRefusesDocumentsWithoutOrWithTwoIds) {
  auto dir = NewMemDirectory();
  auto w = SegmentWriter::Create(dir.get(), 1, 3);
  ASSERT_TRUE(w.ok());
  std::string a, b;
  AppendTermKey(kIdField, "a", &a);
  AppendTermKey(kIdField, "b", &b);
  const uint32_t docs_a[] = {0, 1}, docs_b[] = {1}, ones[] = {1, 1};
  ASSERT_TRUE((*w)->AddTerm(a, kIdField, docs_a, ones, 2, nullptr).ok());
  EXPECT_EQ((*w)->AddTerm(b, kIdField, docs_b, ones, 1, nullptr).code(),
            absl::StatusCode::kInvalidArgument);
  SegmentInfo info;
  EXPECT_EQ((*w)->Finish(&info).code(), absl::StatusCode::kInvalidArgument);  // doc 2: no id
}

}  // namespace
}  // namespace scour::index
