#include "index/writer/batch.h"

#include <algorithm>
#include <string>

namespace scour::index {
namespace {

// At most what batches in flight hold anyway (kBatchBytes each), a little more.
constexpr size_t kRecycledBatchBytes = kBatchBytes + (kBatchBytes >> 2);
constexpr size_t kMaxRecycledFields = 16;  // per document

}  // namespace

size_t MaxBatches(size_t slots) { return (2 * kQueueDepth + 1) * slots + 3; }

size_t RecycledBatchBytes(size_t bytes, size_t slots) {
  return std::clamp(bytes / MaxBatches(slots), size_t{64} << 10, kRecycledBatchBytes);
}

void TrimForReuse(Batch* b, size_t allowance) {
  size_t kept = 0;
  auto keep = [&](std::string& s) {
    if (s.capacity() > 15) {  // past the small-string buffer
      if (kept + s.capacity() > allowance) {
        std::string().swap(s);
        return;
      }
      kept += s.capacity();
    }
  };
  for (size_t i = 0; i < b->size; ++i) {
    Document& d = b->docs[i].doc;
    keep(d.id);
    if (d.fields.size() > kMaxRecycledFields) std::vector<Field>().swap(d.fields);
    for (Field& f : d.fields) {
      keep(f.name);
      keep(f.value);
    }
  }
  b->size = 0;
}

}  // namespace scour::index
