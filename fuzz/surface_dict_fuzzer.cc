// libFuzzer entry point for the surface-form dictionary decoder (.surf, docs/format/README.md).
// The input is a .surf body; it is framed with a correct header and CRC, opened, read in full,
// and sought at a few keys taken from the input itself. Any outcome but a crash, hang or
// sanitizer report is fine. With SCOUR_FUZZ_WRITE_SEEDS=<dir> in the environment, a valid body
// of a few hundred entries is written there as a seed (scripts/fuzz.sh does this) and the
// process exits.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz/frame.h"
#include "index/format/file_format.h"
#include "index/segment/segment_format.h"
#include "index/segment/surface_dict.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* out = std::getenv("SCOUR_FUZZ_WRITE_SEEDS")) {
    scour::index::SurfaceDictWriter w;
    std::string key;
    for (uint32_t field = 1; field <= 2; ++field)
      for (int i = 100; i < 300; ++i) {
        key.clear();
        const std::string word = "word" + std::to_string(i) + "ies";
        scour::index::AppendTermKey(field, word, &key);
        w.Add(key, word.substr(0, word.size() - 3) + "i");
      }
    const std::string body = w.Finish(scour::index::kHeaderSize);
    const std::string path = std::string(out) + "/seed_surf";
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) std::abort();
    std::fwrite(body.data(), 1, body.size(), f);
    std::fclose(f);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const std::string file = scour::fuzz::Frame(scour::index::FileKind::kSurfaceForms, body);
  auto r = scour::index::SurfaceDictReader::Open(file, "fuzz.surf");
  if (!r.ok()) return 0;
  uint64_t sink = 0;
  for (auto it = r->Seek(""); it.Valid(); it.Next()) sink += it.key().size() + it.term().size();
  for (size_t at : {size_t{0}, size / 3, size / 2}) {
    const std::string_view from = body.substr(std::min(at, size), 6);
    auto it = r->Seek(from);
    for (int n = 0; it.Valid() && n < 40; ++n, it.Next()) sink += it.term().size();
  }
  if (sink == 0xFFFFFFFFFFFFFFFFull) std::fputc(' ', stderr);  // keep the reads
  return 0;
}
