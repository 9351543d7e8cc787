// ParseIndexSet (docs/format/index-set.md) on arbitrary bytes: never crashes, and whatever it
// accepts serializes back to exactly the bytes it was read from (one encoding per manifest).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "shards/index_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto m = scour::shards::ParseIndexSet(bytes);
  if (!m.ok()) return 0;
  auto again = scour::shards::SerializeIndexSet(*m);
  if (!again.ok() || *again != bytes) std::abort();
  return 0;
}
