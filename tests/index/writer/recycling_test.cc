// IndexWriter::AddDocumentRecycling: a loop that fills one Document and hands it over builds the
// same index as AddDocument with fresh documents (byte for byte with one thread, the same stored
// documents with two), whatever the recycled buffers held before: more or fewer fields, values
// far larger than a batch (dropped when the batch is recycled), and errors leave *doc as it was.
#include <map>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/fault_directory.h"
#include "index/writer/open_writer.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"

namespace scour {
namespace {

IndexWriterOptions Options(int threads) {
  IndexWriterOptions o;
  o.analyzer.language = "none";
  o.threads = threads;
  o.ram_budget_mb = 1;  // several flushes
  o.auto_merge = false;
  o.reject_duplicate_ids = true;
  return o;
}

// Document i of the test set: 1-4 fields, now and then one far larger than a batch (1 MiB).
void FillDoc(int i, Document* d) {
  std::mt19937 rng(static_cast<uint32_t>(i));
  d->id = "doc-" + std::to_string(i);
  const size_t n = 1 + rng() % 4;
  d->fields.resize(n);
  for (size_t f = 0; f < n; ++f) {
    Field& field = d->fields[f];
    field.name = f == 0 ? "title" : "text";
    field.indexed = true;
    field.stored = true;
    size_t words = 1 + rng() % 40;
    if (i % 97 == 5 && f == n - 1) words = 300'000;  // ~2 MB
    field.value.clear();
    for (size_t w = 0; w < words; ++w) {
      if (w) field.value += ' ';
      field.value += "w" + std::to_string(rng() % (w % 7 == 0 ? 20 : 500));
    }
  }
}

std::map<std::string, std::string> Files(index::Directory* dir) {
  std::map<std::string, std::string> out;
  auto names = dir->List();
  EXPECT_TRUE(names.ok());
  for (const std::string& n : *names) {
    if (n == "write.lock") continue;
    auto f = dir->Open(n);
    EXPECT_TRUE(f.ok()) << n;
    out[n] = std::string((*f)->data());
  }
  return out;
}

constexpr int kDocs = 1500;

void Build(index::Directory* dir, int threads, bool recycle) {
  auto w = index::OpenIndexWriter(dir, Options(threads));
  ASSERT_TRUE(w.ok()) << w.status();
  Document doc;
  for (int i = 0; i < kDocs; ++i) {
    if (recycle) {
      FillDoc(i, &doc);  // overwrites whatever an earlier document left
      ASSERT_TRUE((*w)->AddDocumentRecycling(&doc).ok()) << i;
    } else {
      Document fresh;
      FillDoc(i, &fresh);
      ASSERT_TRUE((*w)->AddDocument(std::move(fresh)).ok()) << i;
    }
  }
  ASSERT_TRUE((*w)->Commit().ok());
}

TEST(AddDocumentRecycling, OneThreadBuildsTheSameFiles) {
  auto plain = index::NewFaultInjectingDirectory();
  auto recycled = index::NewFaultInjectingDirectory();
  Build(plain.get(), 1, false);
  Build(recycled.get(), 1, true);
  const auto a = Files(plain.get());
  const auto b = Files(recycled.get());
  ASSERT_EQ(a.size(), b.size());
  EXPECT_GT(a.size(), 7u) << "expected several segments";
  for (const auto& [name, bytes] : a) {
    auto it = b.find(name);
    ASSERT_NE(it, b.end()) << name;
    EXPECT_TRUE(it->second == bytes) << name << " differs";
  }
}

TEST(AddDocumentRecycling, TwoThreadsStoreTheSameDocuments) {
  auto dir = index::NewFaultInjectingDirectory();
  Build(dir.get(), 2, true);
  auto r = index::OpenIndexReader(dir.get(), {});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ((*r)->num_docs(), static_cast<uint64_t>(kDocs));
  Document want;
  for (int i = 0; i < kDocs; ++i) {
    FillDoc(i, &want);
    auto d = (*r)->Find(want.id);
    ASSERT_TRUE(d.ok()) << want.id;
    auto stored = (*r)->Document(*d);
    ASSERT_TRUE(stored.ok());
    ASSERT_EQ(stored->fields.size(), want.fields.size()) << want.id;
    for (size_t f = 0; f < want.fields.size(); ++f) {
      EXPECT_EQ(stored->fields[f].first, want.fields[f].name);
      EXPECT_TRUE(stored->fields[f].second == want.fields[f].value) << want.id << " field " << f;
    }
  }
}

TEST(AddDocumentRecycling, AnErrorLeavesTheDocumentAsItWas) {
  auto dir = index::NewFaultInjectingDirectory();
  auto w = index::OpenIndexWriter(dir.get(), Options(2));
  ASSERT_TRUE(w.ok());
  Document doc{"a", {{"text", "one two"}}};
  ASSERT_TRUE((*w)->AddDocumentRecycling(&doc).ok());
  doc = Document{"a", {{"text", "three"}}};
  absl::Status dup = (*w)->AddDocumentRecycling(&doc);
  EXPECT_TRUE(absl::IsAlreadyExists(dup)) << dup;
  EXPECT_EQ(doc.id, "a");
  ASSERT_EQ(doc.fields.size(), 1u);
  EXPECT_EQ(doc.fields[0].value, "three");
  doc = Document{"b", {{"_x", "reserved"}}};
  EXPECT_TRUE(absl::IsInvalidArgument((*w)->AddDocumentRecycling(&doc)));
  EXPECT_EQ(doc.id, "b");
  doc = Document{"b", {{"text", "four"}}};  // "b" was not taken by the rejected document
  ASSERT_TRUE((*w)->AddDocumentRecycling(&doc).ok());
  ASSERT_TRUE((*w)->Commit().ok());
  auto r = index::OpenIndexReader(dir.get(), {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->num_docs(), 2u);
}

}  // namespace
}  // namespace scour
