// Parts of the writer's in-memory state: the session id table, stored fields read chunk by
// chunk, and the builder giving its memory back after a flush.
#include <random>
#include <string>
#include <vector>

#include "base/coding.h"
#include "gtest/gtest.h"
#include "index/directory.h"
#include "index/file_format.h"
#include "index/segment_builder.h"
#include "index/session_ids.h"
#include "index/stored_fields.h"
#include "index/term_dict.h"

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
    EXPECT_EQ(st->last_add_seq, i + 1);
    EXPECT_EQ(st->dirty, i == 3);
  }
  EXPECT_EQ(ids.Find("doc/"), nullptr);
  EXPECT_EQ(ids.Find(std::string("doc/1\0", 6)), nullptr);
  size_t n = 0;
  ids.ForEach([&](std::string_view id, const SessionIds::State& st) {
    EXPECT_EQ(id, keys[n]);
    EXPECT_EQ(st.last_add_seq, n + 1);
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

}  // namespace
}  // namespace scour::index
