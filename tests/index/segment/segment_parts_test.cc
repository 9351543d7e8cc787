// One segment's parts on hand-built input: stored fields read chunk by chunk, the version-2
// term dictionary entries, and offsets near 2^64 found by the fuzzer.
#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/coding.h"
#include "gtest/gtest.h"
#include "index/directory/directory.h"
#include "index/format/file_format.h"
#include "index/format/file_names.h"
#include "index/postings/segment_postings.h"
#include "index/segment/segment_format.h"
#include "index/segment/segment_writer.h"
#include "index/segment/stored_fields.h"
#include "index/segment/term_dict.h"

namespace scour::index {
namespace {

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

// Format 5 stores no id: documents without fields are common (every document of a --store none
// index) and do not count towards a chunk's 128 documents, so a run of them packs into 16 KiB
// chunks; mixed with documents that have fields, each reads back as written.
TEST(StoredFields, DocumentsWithoutFieldsPackIntoFewChunks) {
  auto dir = NewMemDirectory();
  const std::vector<std::vector<std::string>> empty(40000);
  const std::string file = WriteStore(dir.get(), empty);
  auto reader = StoredFieldsReader::Open(file, "x.store");
  ASSERT_TRUE(reader.ok()) << reader.status();
  // 40,000 one-byte documents: three chunks of 16 KiB of raw bytes (one per 128 docs would be
  // 313); each chunk is 20 bytes of index and a small zstd frame.
  const uint64_t index_offset = DecodeFixed64(file.data() + file.size() - kFooterSize - 8);
  EXPECT_EQ(DecodeFixed32(file.data() + index_offset), 3u);
  EXPECT_LT(file.size(), 400u);
  std::vector<StoredField> got = {{1, "x"}};
  for (uint32_t d : {0u, 127u, 128u, 16383u, 16384u, 39999u}) {
    EXPECT_TRUE(reader->Get(d, &got).ok()) << d;
    EXPECT_TRUE(got.empty()) << d;
  }
  EXPECT_EQ(reader->Get(40000, &got).code(), absl::StatusCode::kDataLoss);  // past the last

  std::mt19937 rng(11);
  std::vector<std::vector<std::string>> mixed(3000);
  for (auto& d : mixed) {
    d.resize(rng() % 4 == 0 ? 1 + rng() % 2 : 0);
    for (auto& v : d) v = std::string(rng() % 300, static_cast<char>('a' + rng() % 26));
  }
  const std::string file2 = WriteStore(dir.get(), mixed);
  auto reader2 = StoredFieldsReader::Open(file2, "x.store");
  ASSERT_TRUE(reader2.ok()) << reader2.status();
  uint32_t seen = 0;
  absl::Status s = reader2->ForEachDocument(
      3000, [&](uint32_t doc, std::span<const StoredFieldsReader::FieldView> fields) {
        ++seen;
        EXPECT_TRUE(reader2->Get(doc, &got).ok());
        EXPECT_EQ(got.size(), mixed[doc].size()) << doc;
        EXPECT_EQ(fields.size(), mixed[doc].size()) << doc;
        for (size_t i = 0; i < fields.size() && i < got.size(); ++i) {
          EXPECT_EQ(got[i].value, mixed[doc][i]);
          EXPECT_EQ(fields[i].second, mixed[doc][i]);
        }
        return absl::OkStatus();
      });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(seen, 3000u);
}

// Get keeps the last chunk it decompressed per thread: reads that alternate between two stores
// of the same shape (same chunk numbers), in random order and from two threads, must each see
// their own store's documents, never the other's cached chunk.
TEST(StoredFields, GetAcrossReadersAndThreadsSeesItsOwnChunks) {
  std::mt19937 rng(9);
  std::vector<std::vector<std::string>> a(600), b(600);
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = {"a" + std::to_string(i), std::string(rng() % 300, 'x')};
    b[i] = {"b" + std::to_string(i), std::string(a[i][1].size(), 'y')};
  }
  auto dir = NewMemDirectory();
  const std::string fa = WriteStore(dir.get(), a);
  ASSERT_TRUE(dir->Delete("x.store").ok());
  const std::string fb = WriteStore(dir.get(), b);
  auto ra = StoredFieldsReader::Open(fa, "a.store");
  auto rb = StoredFieldsReader::Open(fb, "b.store");
  ASSERT_TRUE(ra.ok() && rb.ok());
  auto check = [&](uint32_t seed) {
    std::mt19937 r(seed);
    std::vector<StoredField> got;
    for (int i = 0; i < 3000; ++i) {
      const bool first = r() % 2 == 0;
      const uint32_t doc = r() % 600;
      // Runs of neighbours (the cache's hits) between random jumps (its misses).
      for (uint32_t d = doc; d < std::min<uint32_t>(doc + r() % 4, 600); ++d) {
        ASSERT_TRUE((first ? *ra : *rb).Get(d, &got).ok());
        ASSERT_EQ(got.size(), 2u);
        EXPECT_EQ(got[0].value, (first ? a : b)[d][0]);
        EXPECT_EQ(got[1].value, (first ? a : b)[d][1]);
      }
    }
  };
  check(1);
  std::thread other(check, 2);
  check(3);
  other.join();
  // A copy of a reader reads the same file: it may share the cached chunk.
  StoredFieldsReader copy = *ra;
  std::vector<StoredField> got;
  ASSERT_TRUE(copy.Get(599, &got).ok());
  EXPECT_EQ(got[0].value, "a599");
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
    if (i == 41) continue;  // its doc is id 40's second
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
  auto tdict = dir->Open(SegmentFileName(1, FileKind::kTermDict));
  auto post = dir->Open(SegmentFileName(1, FileKind::kPostings));
  auto pos = dir->Open(SegmentFileName(1, FileKind::kPositions));
  ASSERT_TRUE(tdict.ok() && post.ok() && pos.ok());
  EXPECT_EQ(FrameVersion((*tdict)->data()), kFormatVersion);  // the v2 entry layout, from 2 on
  auto dict = TermDictReader::Open((*tdict)->data(), "t.tdict");
  ASSERT_TRUE(dict.ok()) << dict.status();
  EXPECT_EQ(dict->num_terms(), terms.size());
  // Format 7: the _id entries' documents are the doc map's.
  ASSERT_TRUE(dict->has_doc_map());
  EXPECT_EQ(dict->num_id_entries(), kDocs - 1);
  std::vector<uint32_t> ordinals;
  ASSERT_TRUE(dict->DocMap(&ordinals).ok());
  ASSERT_EQ(ordinals.size(), kDocs);
  size_t n = 0;
  for (auto it = dict->Seek(""); it.Valid(); it.Next(), ++n) {
    ASSERT_LT(n, terms.size());
    const Term& t = terms[n];
    ASSERT_EQ(it.key(), t.key) << n;
    if (t.field == kIdField) {
      EXPECT_EQ(it.info().df, 0u) << n;
      EXPECT_EQ(it.info().id_entry, n);
      std::vector<uint32_t> docs;
      for (uint32_t d = 0; d < kDocs; ++d)
        if (ordinals[d] == n) docs.push_back(d);
      EXPECT_EQ(docs, t.docs) << n;
      auto found = dict->Lookup(t.key);
      ASSERT_TRUE(found.ok() && found->has_value()) << n;
      EXPECT_EQ((*found)->df, 0u);
      EXPECT_EQ((*found)->id_entry, n);
      continue;
    }
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

// Lookup reads a block's entries in place, comparing only the suffixes that can decide; the
// reference is the iterator (Seek, then the key it lands on). Keys with long shared prefixes,
// _id keys, and probes just below, above, inside and past every key.
TEST(TermDictV2, LookupEqualsSeekOnEveryProbe) {
  std::mt19937 rng(11);
  std::vector<std::string> keys;
  for (int i = 0; i < 3000; ++i) {
    std::string word;
    const size_t len = 1 + rng() % (rng() % 8 == 0 ? 40 : 9);
    for (size_t c = 0; c < len; ++c)
      word.push_back(static_cast<char>("aab\xc3\xa9z\x01"[rng() % 7]));
    std::string key;
    AppendTermKey(rng() % 10 == 0 ? kIdField : 1, word, &key);
    keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  // Every document has one id (format 7's doc map): doc d is id (d mod ids)'s, some ids two.
  const uint32_t num_ids = static_cast<uint32_t>(
      std::count_if(keys.begin(), keys.end(), [](const std::string& k) { return k[0] == 0; }));
  const uint32_t kDocs = num_ids + 20;
  uint32_t id_index = 0;
  auto dir = NewMemDirectory();
  auto w = SegmentWriter::Create(dir.get(), 1, kDocs);
  ASSERT_TRUE(w.ok()) << w.status();
  (*w)->SetNorms(1, std::vector<uint8_t>(kDocs, 60));
  (*w)->SetNorms(2, std::vector<uint8_t>(kDocs, 60));
  for (const std::string& key : keys) {
    const uint32_t field = static_cast<uint8_t>(key[0]) == kIdField ? kIdField : 1;
    std::vector<uint32_t> docs, freqs, positions;
    if (field == kIdField) {
      for (uint32_t d = id_index++; d < kDocs; d += num_ids) docs.push_back(d);
      freqs.assign(docs.size(), 1);
    }
    for (uint32_t d = rng() % 7; field != kIdField && d < kDocs; d += 1 + rng() % 20) {
      docs.push_back(d);
      freqs.push_back(1 + rng() % 3);
      for (uint32_t k = 0; k < freqs.back(); ++k) positions.push_back(k);
    }
    ASSERT_TRUE((*w)->AddTerm(key, field, docs.data(), freqs.data(), docs.size(),
                              field == kIdField ? nullptr : positions.data())
                    .ok());
  }
  SegmentInfo info;
  ASSERT_TRUE((*w)->Finish(&info).ok());
  auto tdict = dir->Open(SegmentFileName(1, FileKind::kTermDict));
  ASSERT_TRUE(tdict.ok());
  auto dict = TermDictReader::Open((*tdict)->data(), "t.tdict");
  ASSERT_TRUE(dict.ok()) << dict.status();
  std::vector<std::string> probes = {"", std::string(1, '\0'), std::string(60, '\xff')};
  for (const std::string& key : keys) {
    probes.push_back(key);
    probes.push_back(key + "a");
    probes.push_back(key.substr(0, key.size() - 1));
    std::string up = key, down = key;
    up.back() = static_cast<char>(up.back() + 1);
    down.back() = static_cast<char>(down.back() - 1);
    probes.push_back(up);
    probes.push_back(down);
  }
  size_t found = 0;
  for (const std::string& probe : probes) {
    auto got = dict->Lookup(probe);
    ASSERT_TRUE(got.ok()) << got.status();
    auto it = dict->Seek(probe);
    ASSERT_TRUE(it.status().ok());
    const bool want = it.Valid() && it.key() == probe;
    ASSERT_EQ(got->has_value(), want) << probe;
    if (!want) continue;
    ++found;
    EXPECT_EQ((*got)->df, it.info().df);
    EXPECT_EQ((*got)->cf, it.info().cf);
    EXPECT_EQ((*got)->postings, it.info().postings);
    EXPECT_EQ((*got)->positions, it.info().positions);
    EXPECT_EQ((*got)->single_doc, it.info().single_doc);
    EXPECT_EQ((*got)->id_entry, it.info().id_entry);
  }
  EXPECT_GE(found, keys.size());
  // Damaged blocks: whatever the answer, no read outside the file (ASan) and no crash.
  const std::string whole((*tdict)->data());
  for (int rep = 0; rep < 300; ++rep) {
    std::string bad = whole;
    const size_t at = kHeaderSize + rng() % (bad.size() / 2);
    bad[at] = static_cast<char>(rng());
    auto d = TermDictReader::Open(bad, "t.tdict");
    if (!d.ok()) continue;
    for (int q = 0; q < 20; ++q) (void)d->Lookup(probes[rng() % probes.size()]);
  }
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
  file_body.push_back(1);                               // format 6: offsets of one byte
  file_body.push_back(static_cast<char>(kHeaderSize));  // block 0 starts after the header
  uint64_t index_off = kHeaderSize + body.size();
  PutFixed64(&file_body, index_off);
  PutFixed64(&file_body, 1);
  std::string file = Framed(FileKind::kTermDict, file_body);  // the reader views it
  std::string v6;
  PutFixed32(&v6, 6);
  file.replace(8, 4, v6);  // the tags are versions 2-6's (CRC not checked here)
  auto dict = TermDictReader::Open(file, "t.tdict");
  ASSERT_TRUE(dict.ok()) << dict.status();
  auto it = dict->Seek("");
  EXPECT_FALSE(it.Valid());
  EXPECT_EQ(it.status().code(), absl::StatusCode::kDataLoss) << it.status();
}

// Format 6's block index: offsets at the width of the largest, read through a mask; a width
// of 0 or above 8, or one that does not match the index's size, is DataLoss at open; the same
// blocks behind an index of 8-byte offsets (format 5) read alike.
TEST(TermDictV6, BlockIndexWidthsAndTheirDamage) {
  std::string body;  // two blocks of one entry each
  std::vector<uint64_t> offsets;
  for (const char* word : {"alpha", "beta"}) {
    offsets.push_back(kHeaderSize + body.size());
    PutVarint32(&body, 1);
    std::string key;
    AppendTermKey(1, word, &key);
    DictBlockState st;
    TermInfo info;
    info.df = 1;
    info.cf = 1;
    info.single_doc = 7;
    AppendDictEntryV2(&body, key, 0, info, &st);
  }
  const uint64_t index_off = kHeaderSize + body.size();
  auto file_with = [&](uint32_t version, uint32_t width, uint8_t width_byte) {
    std::string b = body;
    PutFixed32(&b, 2);
    if (version >= 6) b.push_back(static_cast<char>(width_byte));
    for (uint64_t off : offsets) {
      char buf[8];
      EncodeFixed64(buf, off);
      b.append(buf, width);
    }
    PutFixed64(&b, index_off);
    PutFixed64(&b, 2);
    std::string f = Framed(FileKind::kTermDict, b);
    std::string v;
    PutFixed32(&v, version);
    f.replace(8, 4, v);  // the reader takes the layout from the header (CRC not checked here)
    return f;
  };
  std::string beta;
  AppendTermKey(1, "beta", &beta);
  for (uint32_t width : {1u, 2u, 8u}) {
    const std::string file = file_with(6, width, static_cast<uint8_t>(width));
    auto dict = TermDictReader::Open(file, "t.tdict");
    ASSERT_TRUE(dict.ok()) << dict.status();
    auto found = dict->Lookup(beta);
    ASSERT_TRUE(found.ok()) << found.status();
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->single_doc, 7u);
  }
  const std::string v5 = file_with(5, 8, 0);
  auto dict5 = TermDictReader::Open(v5, "t.tdict");
  ASSERT_TRUE(dict5.ok()) << dict5.status();
  auto found5 = dict5->Lookup(beta);
  ASSERT_TRUE(found5.ok() && found5->has_value());
  for (uint8_t bad : {0, 2, 9, 255}) {  // 2: the index holds one-byte offsets
    const std::string file = file_with(6, 1, bad);
    auto dict = TermDictReader::Open(file, "t.tdict");
    ASSERT_FALSE(dict.ok()) << int{bad};
    EXPECT_EQ(dict.status().code(), absl::StatusCode::kDataLoss);
  }
  // A one-byte width that cuts the offsets reads the wrong blocks: DataLoss, not a wrong term.
  std::string cut = file_with(6, 1, 1);
  cut[index_off + 5 + 1] = static_cast<char>(body.size() + kHeaderSize);  // past the blocks
  auto dict = TermDictReader::Open(cut, "t.tdict");
  ASSERT_TRUE(dict.ok());
  EXPECT_FALSE(dict->Lookup(beta).ok());
}

// SegmentWriter::BeginTerm / AddTermDocs / EndTerm (what a merge streams) write the bytes
// AddTerm does for the same terms, whatever the runs they come in: lists of 1 to 700 docs (full
// position groups, a last group of every size, an exact multiple of 128), tfs up to 40.
TEST(SegmentWriterStream, SameBytesAsAddTerm) {
  constexpr uint32_t kDocs = 3000;
  std::mt19937 rng(23);
  struct Term {
    std::string key;
    std::vector<uint32_t> docs, freqs, positions;
  };
  std::vector<Term> terms;
  for (const size_t df : {1, 2, 5, 127, 128, 129, 256, 300, 700}) {
    Term t;
    AppendTermKey(1, "w" + std::to_string(df), &t.key);
    std::vector<uint32_t> all(kDocs);
    for (uint32_t d = 0; d < kDocs; ++d) all[d] = d;
    std::shuffle(all.begin(), all.end(), rng);
    t.docs.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(df));
    std::sort(t.docs.begin(), t.docs.end());
    for (size_t i = 0; i < df; ++i) {
      const uint32_t f = 1 + (rng() % 8 == 0 ? rng() % 40 : rng() % 3);
      t.freqs.push_back(f);
      uint32_t p = 0;
      for (uint32_t k = 0; k < f; ++k) t.positions.push_back(p += 1 + rng() % 50);
    }
    terms.push_back(std::move(t));
  }
  std::sort(terms.begin(), terms.end(), [](const Term& a, const Term& b) { return a.key < b.key; });
  std::vector<uint8_t> norms(kDocs);
  for (uint8_t& n : norms) n = static_cast<uint8_t>(rng());
  auto dir = NewMemDirectory();
  for (uint64_t number : {1, 2}) {
    auto w = SegmentWriter::Create(dir.get(), number, kDocs);
    ASSERT_TRUE(w.ok()) << w.status();
    (*w)->SetNorms(1, norms);
    for (uint32_t d = 0; d < kDocs; ++d) {  // every document needs its id
      std::string key;
      char id[16];
      std::snprintf(id, sizeof(id), "d%05u", d);
      AppendTermKey(kIdField, id, &key);
      const uint32_t one = 1;
      ASSERT_TRUE((*w)->AddTerm(key, kIdField, &d, &one, 1, nullptr).ok());
    }
    for (const Term& t : terms) {
      if (number == 1) {
        ASSERT_TRUE((*w)->AddTerm(t.key, 1, t.docs.data(), t.freqs.data(), t.docs.size(),
                                  t.positions.data())
                        .ok());
        continue;
      }
      (*w)->BeginTerm(t.key, 1);
      size_t p = 0;
      for (size_t i = 0; i < t.docs.size();) {
        const size_t n = std::min(t.docs.size() - i, size_t{1} + rng() % 200);
        ASSERT_TRUE(
            (*w)->AddTermDocs(t.docs.data() + i, t.freqs.data() + i, n, t.positions.data() + p)
                .ok());
        for (size_t k = i; k < i + n; ++k) p += t.freqs[k];
        i += n;
      }
      ASSERT_TRUE((*w)->EndTerm().ok());
    }
    SegmentInfo info;
    const absl::Status st = (*w)->Finish(&info);
    ASSERT_TRUE(st.ok()) << st;
  }
  for (const FileKind kind : {FileKind::kTermDict, FileKind::kPostings, FileKind::kPositions}) {
    auto a = dir->Open(SegmentFileName(1, kind));
    auto b = dir->Open(SegmentFileName(2, kind));
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ((*a)->data(), (*b)->data()) << SegmentFileName(1, kind);
    EXPECT_GT((*a)->data().size(), 64u);
  }
}

}  // namespace
}  // namespace scour::index
