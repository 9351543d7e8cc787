// Parts of the writer's in-memory state: the session id table, stored fields read chunk by
// chunk, the builder's word, term and slice tables against simple references, and the builder
// giving its memory back after a flush; the version-2 term dictionary entries.
#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "base/coding.h"
#include "gtest/gtest.h"
#include "index/bitpack.h"
#include "index/byte_slice_pool.h"
#include "index/directory.h"
#include "index/file_format.h"
#include "index/segment_builder.h"
#include "index/segment_postings.h"
#include "index/segment_writer.h"
#include "index/session_ids.h"
#include "index/stored_fields.h"
#include "index/surface_table.h"
#include "index/term_dict.h"
#include "index/term_table.h"

namespace scour::index {
namespace {

TEST(SessionIds, FindsInsertsAndIteratesInInsertionOrder) {
  SessionIds ids;
  EXPECT_TRUE(ids.empty());
  EXPECT_EQ(ids.Find("a"), nullptr);
  std::vector<std::string> keys;
  for (int i = 0; i < 5000; ++i) keys.push_back("doc/" + std::to_string(i * 7919 % 5003));
  for (size_t i = 0; i < keys.size(); ++i) ids[keys[i]].last_add_seq = i + 1;
  ids[keys[3]].dirty = true;
  ASSERT_EQ(ids.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    const SessionIds::State* st = ids.Find(keys[i]);
    ASSERT_NE(st, nullptr) << keys[i];
    EXPECT_EQ(uint64_t{st->last_add_seq}, i + 1);
    EXPECT_EQ(st->dirty != 0, i == 3);
  }
  EXPECT_EQ(ids.Find("doc/"), nullptr);
  EXPECT_EQ(ids.Find(std::string("doc/1\0", 6)), nullptr);
  size_t n = 0;
  ids.ForEach([&](std::string_view id, const SessionIds::State& st) {
    EXPECT_EQ(id, keys[n]);
    EXPECT_EQ(uint64_t{st.last_add_seq}, n + 1);
    ++n;
  });
  EXPECT_EQ(n, keys.size());
  EXPECT_GT(ids.bytes(), 5000u * 24);
  ids.clear();
  EXPECT_TRUE(ids.empty());
  EXPECT_EQ(ids.Find(keys[0]), nullptr);
  EXPECT_LT(ids.bytes(), 1024u) << "clear() gives the memory back";
}

std::string WriteStore(Directory* dir, const std::vector<std::vector<std::string>>& docs) {
  StoredFieldsWriter w;
  for (const auto& d : docs) {
    std::vector<std::pair<uint32_t, std::string_view>> fields;
    for (size_t f = 0; f < d.size(); ++f) fields.emplace_back(static_cast<uint32_t>(f), d[f]);
    w.AddDocument(fields);
  }
  auto out = FramedWriter::Create(dir, "x.store", FileKind::kStored);
  EXPECT_TRUE(out.ok());
  EXPECT_TRUE(w.WriteTo(&*out).ok());
  EXPECT_TRUE(out->Finish().ok());
  auto file = dir->Open("x.store");
  EXPECT_TRUE(file.ok());
  return std::string((*file)->data());
}

TEST(StoredFields, ForEachDocumentEqualsGetAndChecksTheCount) {
  std::mt19937 rng(7);
  std::vector<std::vector<std::string>> docs(1000);
  for (auto& d : docs) {
    d.resize(1 + rng() % 3);
    for (auto& v : d) v = std::string(rng() % 400, static_cast<char>('a' + rng() % 26));
  }
  auto dir = NewMemDirectory();
  const std::string file = WriteStore(dir.get(), docs);
  auto reader = StoredFieldsReader::Open(file, "x.store");
  ASSERT_TRUE(reader.ok()) << reader.status();
  uint32_t seen = 0;
  std::vector<StoredField> got;
  absl::Status s = reader->ForEachDocument(
      static_cast<uint32_t>(docs.size()),
      [&](uint32_t doc, std::span<const StoredFieldsReader::FieldView> fields) {
        EXPECT_EQ(doc, seen++);
        EXPECT_TRUE(reader->Get(doc, &got).ok());
        EXPECT_EQ(fields.size(), got.size());
        for (size_t i = 0; i < fields.size() && i < got.size(); ++i) {
          EXPECT_EQ(fields[i].first, got[i].field);
          EXPECT_EQ(fields[i].second, got[i].value);
          EXPECT_EQ(fields[i].second, docs[doc][i]);
        }
        return absl::OkStatus();
      });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(seen, docs.size());
  // A count that disagrees with the chunks is corruption, either way.
  auto noop = [](uint32_t, std::span<const StoredFieldsReader::FieldView>) {
    return absl::OkStatus();
  };
  EXPECT_EQ(reader->ForEachDocument(999, noop).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(reader->ForEachDocument(1001, noop).code(), absl::StatusCode::kDataLoss);
  // The callback's error stops the walk.
  int calls = 0;
  s = reader->ForEachDocument(1000, [&](uint32_t, std::span<const StoredFieldsReader::FieldView>) {
    return ++calls == 3 ? absl::CancelledError("stop") : absl::OkStatus();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(calls, 3);
}

// Random words of 1..40 bytes in fields on both sides of the slot tag's 255 limit: short
// words in small fields are decided in the slot, the others through their arena record.
std::vector<std::pair<uint32_t, std::string>> RandomKeys(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  const uint32_t fields[] = {1, 2, 7, 254, 255, 256, 300, 1u << 20};
  std::vector<std::pair<uint32_t, std::string>> keys;
  for (size_t i = 0; i < n; ++i) {
    std::string w(1 + rng() % (rng() % 4 == 0 ? 40 : 10), ' ');
    for (char& c : w) c = static_cast<char>('a' + rng() % 4);  // few letters: many near misses
    keys.emplace_back(fields[rng() % 8], std::move(w));
  }
  return keys;
}

TEST(SurfaceTable, FindsWhatWasInsertedAcrossGrowth) {
  SurfaceTable t;
  std::map<std::pair<uint32_t, std::string>, uint32_t> model;
  for (const auto& k : RandomKeys(60000, 1)) {
    const uint64_t h = SurfaceTable::Hash(k.first, k.second);
    auto it = model.find(k);
    ASSERT_EQ(t.Find(k.first, k.second, h),
              it == model.end() ? SurfaceTable::kNotFound : it->second);
    if (it == model.end()) {
      const uint32_t id = static_cast<uint32_t>(model.size() * 7 % 100003);
      t.Insert(k.first, k.second, h, id);
      model.emplace(k, id);
    }
  }
  EXPECT_EQ(t.size(), model.size());
  for (const auto& [k, id] : model) {
    EXPECT_EQ(t.Find(k.first, k.second, SurfaceTable::Hash(k.first, k.second)), id);
  }
  const size_t full = t.bytes();
  t.Clear();
  EXPECT_EQ(t.size(), 0u);
  EXPECT_LT(t.bytes(), full / 8);
  EXPECT_EQ(t.Find(1, "a", SurfaceTable::Hash(1, "a")), SurfaceTable::kNotFound);
}

TEST(TermTable, GivesDenseIdsAndDictionaryKeys) {
  TermTable t;
  std::map<std::pair<uint32_t, std::string>, uint32_t> model;
  for (const auto& k : RandomKeys(60000, 2)) {
    bool inserted;
    const uint32_t id = t.FindOrInsert(k.first, k.second, &inserted);
    auto [it, fresh] = model.emplace(k, static_cast<uint32_t>(model.size()));
    EXPECT_EQ(inserted, fresh);
    ASSERT_EQ(id, it->second);
  }
  EXPECT_EQ(t.size(), model.size());
  std::string key;
  for (const auto& [k, id] : model) {
    key.clear();
    AppendTermKey(k.first, k.second, &key);
    EXPECT_EQ(t.key(id), key);
    EXPECT_EQ(t.field(id), k.first);
  }
}

// Many interleaved streams (slices of every level, varints across slice ends) read back.
TEST(ByteSlicePool, InterleavedStreamsReadBack) {
  ByteSlicePool pool;
  std::mt19937 rng(5);
  constexpr int kStreams = 500;
  std::vector<ByteSlicePool::Stream> streams(kStreams);
  std::vector<uint32_t> heads(kStreams);
  std::vector<std::vector<uint32_t>> want(kStreams);
  for (int i = 0; i < kStreams; ++i) heads[i] = pool.Start(&streams[i]);
  for (int n = 0; n < 400000; ++n) {
    const int i = static_cast<int>(rng() % (rng() % 8 == 0 ? kStreams : 20));  // some long ones
    const uint32_t v = rng() >> (rng() % 32);
    pool.WriteVarint(&streams[i], v);
    want[i].push_back(v);
  }
  for (int i = 0; i < kStreams; ++i) {
    ByteSlicePool::Reader r(&pool, heads[i], streams[i].cur);
    for (uint32_t v : want[i]) ASSERT_EQ(r.ReadVarint(), v) << "stream " << i;
    EXPECT_TRUE(r.done());
  }
}

TEST(SegmentBuilder, GivesItsMemoryBackAfterAFlush) {
  auto analyzer = Analyzer::Create({.language = "none"});
  ASSERT_TRUE(analyzer.ok());
  SegmentBuilder b(*std::move(analyzer));
  const size_t empty = b.ram_bytes();
  std::mt19937 rng(3);
  std::string text;
  for (uint32_t d = 0; d < 20000; ++d) {
    text.clear();
    for (int w = 0; w < 30; ++w) text += "w" + std::to_string(rng() % 50000) + " ";
    ASSERT_TRUE(b.AddDocument("id" + std::to_string(d), {{1, text, true, false}}).ok());
  }
  const size_t full = b.ram_bytes();
  EXPECT_GT(full, empty + (8u << 20));
  auto dir = NewMemDirectory();
  SegmentInfo info;
  ASSERT_TRUE(b.Flush(dir.get(), 1, &info).ok());
  // Capacity kept from the last segment would count against the budget and make every later
  // segment flush early (it did: vector = {} keeps the capacity).
  EXPECT_LE(b.ram_bytes(), empty + 4096) << "empty " << empty << ", full " << full;
}

// Found by segment_reader_fuzzer: a block-index offset of 2^64 - 1 made `offset + 4` wrap
// below the file size, so the check passed and the reader read the 4 bytes before the file.
std::string Framed(FileKind kind, const std::string& body) {
  auto dir = NewMemDirectory();
  auto out = FramedWriter::Create(dir.get(), "f", kind);
  EXPECT_TRUE(out.ok());
  EXPECT_TRUE(out->Append(body).ok());
  EXPECT_TRUE(out->Finish().ok());
  auto file = dir->Open("f");
  EXPECT_TRUE(file.ok());
  return std::string((*file)->data());
}

TEST(FuzzRegressions, OffsetsNear2To64AreCorruptionNotReads) {
  for (uint64_t off : {~uint64_t{0}, ~uint64_t{0} - 1, ~uint64_t{0} - 3, ~uint64_t{0} - 4}) {
    std::string body(40, 'x');
    PutFixed64(&body, off);  // term dictionary: block index offset, then the term count
    PutFixed64(&body, 1);
    auto dict = TermDictReader::Open(Framed(FileKind::kTermDict, body), "t.tdict");
    EXPECT_EQ(dict.status().code(), absl::StatusCode::kDataLoss) << off;

    std::string store(40, 'x');
    PutFixed64(&store, off);  // stored fields: chunk index offset
    auto stored = StoredFieldsReader::Open(Framed(FileKind::kStored, store), "s.store");
    EXPECT_EQ(stored.status().code(), absl::StatusCode::kDataLoss) << off;
  }
}

// Version-2 dictionary entries, every branch: _id entries whose docs go up and down (signed
// deltas), an _id with two docs (an id replaced within one segment), keys longer than the
// 15-byte nibbles (shared and suffix escapes), df == 1 with tf 1 and tf > 1, long lists.
TEST(TermDictV2, EveryEntryKindRoundTrips) {
  struct Term {
    std::string key;
    uint32_t field;
    std::vector<uint32_t> docs, freqs;
  };
  constexpr uint32_t kDocs = 300;
  std::vector<Term> terms;
  std::mt19937 rng(7);
  std::vector<uint32_t> perm(kDocs);
  for (uint32_t i = 0; i < kDocs; ++i) perm[i] = i;
  std::shuffle(perm.begin(), perm.end(), rng);
  std::vector<std::string> ids;
  for (uint32_t i = 0; i < kDocs; ++i) ids.push_back("id/" + std::to_string(i));
  std::sort(ids.begin(), ids.end());
  for (uint32_t i = 0; i < kDocs; ++i) {
    Term t{"", kIdField, {perm[i]}, {1}};
    if (i == 40)
      t.docs = {std::min(perm[i], perm[i + 1]), std::max(perm[i], perm[i + 1])}, t.freqs = {1, 1};
    AppendTermKey(kIdField, ids[i], &t.key);
    terms.push_back(std::move(t));
  }
  const std::string long_prefix(40, 'p');
  std::vector<std::string> words = {"a",
                                    "b" + std::string(20, 'x'),
                                    "c",
                                    long_prefix + "1",
                                    long_prefix + "2" + std::string(30, 's'),
                                    long_prefix + "3",
                                    "zz"};
  for (size_t w = 0; w < words.size(); ++w) {
    Term t{"", 1, {}, {}};
    AppendTermKey(1, words[w], &t.key);
    size_t df = w == 2 ? 200 : w % 3 + 1;  // 1, 2, 200, 1, 2, 3, 1
    for (size_t i = 0; i < df; ++i) {
      t.docs.push_back(static_cast<uint32_t>(i * kDocs / df));
      t.freqs.push_back(static_cast<uint32_t>(w == 3 ? 5 : 1 + i % 3));
    }
    terms.push_back(std::move(t));
  }
  auto dir = NewMemDirectory();
  auto w = SegmentWriter::Create(dir.get(), 1, kDocs);
  ASSERT_TRUE(w.ok()) << w.status();
  (*w)->SetNorms(1, std::vector<uint8_t>(kDocs, 60));
  for (const Term& t : terms) {
    std::vector<uint32_t> positions;
    for (uint32_t f : t.freqs)
      for (uint32_t k = 0; k < f; ++k) positions.push_back(k * 3);
    ASSERT_TRUE((*w)->AddTerm(t.key, t.field, t.docs.data(), t.freqs.data(), t.docs.size(),
                              t.field == kIdField ? nullptr : positions.data())
                    .ok());
  }
  SegmentInfo info;
  ASSERT_TRUE((*w)->Finish(&info).ok());
  auto tdict = dir->Open(SegmentFile(1, "tdict"));
  auto post = dir->Open(SegmentFile(1, "post"));
  auto pos = dir->Open(SegmentFile(1, "pos"));
  ASSERT_TRUE(tdict.ok() && post.ok() && pos.ok());
  EXPECT_EQ(FrameVersion((*tdict)->data()), 2u);
  auto dict = TermDictReader::Open((*tdict)->data(), "t.tdict");
  ASSERT_TRUE(dict.ok()) << dict.status();
  EXPECT_EQ(dict->num_terms(), terms.size());
  size_t n = 0;
  for (auto it = dict->Seek(""); it.Valid(); it.Next(), ++n) {
    ASSERT_LT(n, terms.size());
    const Term& t = terms[n];
    ASSERT_EQ(it.key(), t.key) << n;
    uint64_t cf = 0;
    for (uint32_t f : t.freqs) cf += f;
    EXPECT_EQ(it.info().df, t.docs.size()) << n;
    EXPECT_EQ(it.info().cf, cf) << n;
    SegmentPostings p((*post)->data(), (*pos)->data(), it.info(), kDocs, 60);
    std::vector<uint32_t> docs, got_pos;
    for (DocId d = p.doc(); d != kNoMoreDocs; d = p.Next()) {
      docs.push_back(d);
      EXPECT_EQ(p.freq(), t.freqs[docs.size() - 1]);
      if (t.field != kIdField) {
        ASSERT_TRUE(p.Positions(&got_pos));
        EXPECT_EQ(got_pos.size(), p.freq());
      }
    }
    EXPECT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(docs, t.docs) << n;
    auto found = dict->Lookup(t.key);
    ASSERT_TRUE(found.ok() && found->has_value()) << n;
    EXPECT_EQ((*found)->df, it.info().df);
    EXPECT_EQ((*found)->single_doc, it.info().single_doc);
    EXPECT_EQ((*found)->postings, it.info().postings);
  }
  EXPECT_EQ(n, terms.size());
  std::string absent;
  AppendTermKey(kIdField, "id/x", &absent);
  auto none = dict->Lookup(absent);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

// An _id entry's tag varint is 0 mod 2 (one doc) or exactly 1 (a general entry follows);
// anything else is corruption, not a guess.
TEST(TermDictV2, BadIdTagIsDataLoss) {
  std::string block;
  PutVarint32(&block, 1);
  std::string key;
  AppendTermKey(kIdField, "a", &key);
  DictBlockState st;
  TermInfo info;
  info.df = 1;
  info.cf = 1;
  info.single_doc = 3;
  AppendDictEntryV2(&block, key, 0, info, &st);
  ASSERT_EQ(block.back(), static_cast<char>(12));  // zigzag(3) << 1
  std::string body = block;
  body.back() = 3;  // odd and > 1
  std::string file_body = body;
  PutFixed32(&file_body, 1);
  PutFixed64(&file_body, kHeaderSize);  // block 0 starts right after the header
  uint64_t index_off = kHeaderSize + body.size();
  PutFixed64(&file_body, index_off);
  PutFixed64(&file_body, 1);
  const std::string file = Framed(FileKind::kTermDict, file_body);  // the reader views it
  auto dict = TermDictReader::Open(file, "t.tdict");
  ASSERT_TRUE(dict.ok()) << dict.status();
  auto it = dict->Seek("");
  EXPECT_FALSE(it.Valid());
  EXPECT_EQ(it.status().code(), absl::StatusCode::kDataLoss) << it.status();
}

// Doc-id deltas whose sums wrap 32 bits give a block that is not increasing and whose last doc
// is small: the decoder must still see the doc past the segment's end (the last doc alone is
// checked only when no delta is large enough to wrap).
TEST(SegmentPostingsChecks, WrappingDeltasAreCorruption) {
  for (uint32_t big : {0x80000000u, 0x01000000u * 100}) {
    uint32_t deltas[kBlockSize], freqs[kBlockSize];
    for (uint32_t i = 0; i < kBlockSize; ++i) deltas[i] = 1, freqs[i] = 0;
    deltas[1] = big;
    deltas[2] = 0u - big;  // back below the first: 1, 1 + big, 1, 2, 3, ...
    uint32_t last = 0;
    for (uint32_t d : deltas) last += d;
    std::string blocks;
    PackBlockPFor(deltas, &blocks);
    PackBlockPFor(freqs, &blocks);
    std::string post(kHeaderSize, '\0');
    PutFixed32(&post, last);
    PutFixed32(&post, static_cast<uint32_t>(blocks.size()));
    PutFixed32(&post, 0);
    PutFixed32(&post, PackImpact(1, 1));
    PutFixed32(&post, PackImpact(1, 1));  // list impact
    post += blocks;
    post.append(kFooterSize, '\0');
    TermInfo info;
    info.df = kBlockSize;
    info.cf = kBlockSize;
    info.postings = kHeaderSize;
    const std::string pos(64, '\0');
    SegmentPostings p(post, pos, info, /*max_doc=*/1000, 0);
    EXPECT_FALSE(p.ok()) << big;
    EXPECT_EQ(p.doc(), kNoMoreDocs);
  }
}

}  // namespace
}  // namespace scour::index
