// Deterministic batches of documents shared by crash_writer (the process that gets killed) and
// crash_test (which checks what survived): batch n replaces some documents, adds new ones and
// deletes one, and the "meta" document records n. Header-only; no state.
#ifndef SCOUR_TESTS_RELIABILITY_BATCH_DOCS_H_
#define SCOUR_TESTS_RELIABILITY_BATCH_DOCS_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "scour/document.h"
#include "scour/index_writer.h"

namespace scour::reliability {

inline constexpr int kDocsPerBatch = 12;
inline constexpr int kIdSpace = 150;  // ids wrap around, so later batches replace documents

// The text of document `i` of batch `n` (a few words from a small vocabulary, some long).
inline std::string BatchText(uint64_t n, int i) {
  std::string s = "batch" + std::to_string(n) + " item" + std::to_string(i);
  uint64_t x = n * 2654435761u + static_cast<uint64_t>(i) * 40503u + 1;
  const int words = 5 + static_cast<int>(x % 60);
  for (int k = 0; k < words; ++k) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    s += " w" + std::to_string((x >> 33) % 200);
  }
  return s;
}

inline std::string BatchId(uint64_t n, int i) {
  return "d" + std::to_string((n * 7 + static_cast<uint64_t>(i) * 13) % kIdSpace);
}
inline std::string BatchDeletedId(uint64_t n) {
  return "d" + std::to_string((n * 31 + 5) % kIdSpace);
}

// Applies batch n to a model: id -> text.
inline void ApplyBatch(uint64_t n, std::map<std::string, std::string>* model) {
  for (int i = 0; i < kDocsPerBatch; ++i) (*model)[BatchId(n, i)] = BatchText(n, i);
  model->erase(BatchDeletedId(n));
  (*model)["meta"] = "meta " + std::to_string(n);
}

// The live documents after batches 1..n.
inline std::map<std::string, std::string> ModelAfter(uint64_t n) {
  std::map<std::string, std::string> m;
  for (uint64_t b = 1; b <= n; ++b) ApplyBatch(b, &m);
  return m;
}

// Adds batch n to a writer (not committed).
inline absl::Status AddBatch(IndexWriter* w, uint64_t n) {
  for (int i = 0; i < kDocsPerBatch; ++i) {
    Document d;
    d.id = BatchId(n, i);
    d.fields.push_back({"text", BatchText(n, i)});
    absl::Status s = w->AddDocument(std::move(d));
    if (!s.ok()) return s;
  }
  absl::Status s = w->DeleteDocument(BatchDeletedId(n));
  if (!s.ok()) return s;
  Document meta;
  meta.id = "meta";
  meta.fields.push_back({"text", "meta " + std::to_string(n)});
  return w->AddDocument(std::move(meta));
}

}  // namespace scour::reliability

#endif  // SCOUR_TESTS_RELIABILITY_BATCH_DOCS_H_
