// libFuzzer entry point for the surface-form dictionary decoder (.surf, docs/format/README.md).
// The input's first byte picks the frame version, 1 + byte % kFormatVersion: readers accept
// every version, and read versions 1 to 5 as plain blocks of 32 entries, 6 on as zstd groups.
// The rest is a .surf body; it is framed with that version, a correct header and CRC, opened,
// read in full, and sought at a few keys taken from the input itself. Any outcome but a crash,
// hang or sanitizer report is fine. With SCOUR_FUZZ_WRITE_SEEDS=<dir> in the environment, valid
// bodies of a few hundred entries are written there as seeds, one per layout and version that
// wrote it (3 to 5: blocks; 6 and 7: groups; scripts/fuzz.sh does this, and adds the golden
// indexes' files), and the process exits.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/coding.h"
#include "fuzz/frame.h"
#include "index/format/file_format.h"
#include "index/segment/segment_format.h"
#include "index/segment/surface_dict.h"

namespace {

// Format 3-5's layout (docs/format/README.md, ".surf"), which no writer makes any more: blocks
// of at most 32 front-coded entries with varint lengths, then a u64 block index.
std::string BlocksBody(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string body;
  std::vector<uint64_t> offsets;
  std::string_view prev;
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& [key, term] = entries[i];
    if (i % scour::index::kSurfacesPerBlock == 0) {
      offsets.push_back(scour::index::kHeaderSize + body.size());
      scour::PutVarint32(&body, static_cast<uint32_t>(std::min<size_t>(
                                    scour::index::kSurfacesPerBlock, entries.size() - i)));
      prev = {};
    }
    size_t shared = 0;
    while (shared < prev.size() && shared < key.size() && prev[shared] == key[shared]) ++shared;
    scour::PutVarint64(&body, shared);
    scour::PutVarint64(&body, key.size() - shared);
    body.append(key, shared);
    // The term as an edit of the word (the key past its one-byte field varint).
    const std::string_view word = std::string_view(key).substr(1);
    size_t common = 0;
    while (common < word.size() && common < term.size() && word[common] == term[common]) ++common;
    scour::PutVarint64(&body, word.size() - common);
    scour::PutVarint64(&body, term.size() - common);
    body.append(term, common);
    prev = key;
  }
  const uint64_t index_off = scour::index::kHeaderSize + body.size();
  scour::PutFixed32(&body, static_cast<uint32_t>(offsets.size()));
  for (uint64_t off : offsets) scour::PutFixed64(&body, off);
  scour::PutFixed64(&body, index_off);
  scour::PutFixed64(&body, entries.size());
  return body;
}

void WriteSeed(const std::string& path, uint8_t version, const std::string& body) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  const char c = static_cast<char>(version - 1);  // 1 + byte % kFormatVersion
  std::fwrite(&c, 1, 1, f);
  std::fwrite(body.data(), 1, body.size(), f);
  std::fclose(f);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* out = std::getenv("SCOUR_FUZZ_WRITE_SEEDS")) {
    std::vector<std::pair<std::string, std::string>> entries;
    for (uint32_t field = 1; field <= 2; ++field)
      for (int i = 100; i < 300; ++i) {
        std::string key;
        const std::string word = "word" + std::to_string(i) + "ies";
        scour::index::AppendTermKey(field, word, &key);
        entries.emplace_back(key, word.substr(0, word.size() - 3) + "i");
      }
    // Groups of 2 KiB: several, so that Seek's search over the groups' first keys is reached.
    scour::index::SurfaceDictWriter w(2048);
    for (const auto& [key, term] : entries) w.Add(key, term);
    const std::string groups = w.Finish(scour::index::kHeaderSize);
    const std::string blocks = BlocksBody(entries);
    const std::string dir(out);
    for (uint8_t v = 3; v <= scour::index::kFormatVersion; ++v) {
      const std::string& body = v >= 6 ? groups : blocks;
      // A seed the reader refuses would fuzz nothing but the refusal.
      const std::string file = scour::fuzz::Frame(scour::index::FileKind::kSurfaceForms, body, v);
      auto r = scour::index::SurfaceDictReader::Open(file, "seed.surf");
      if (!r.ok()) std::abort();
      size_t n = 0;
      auto it = r->Seek("");
      for (; it.Valid(); it.Next()) n += it.term() == entries[n].second ? 1 : entries.size();
      if (!it.status().ok() || n != entries.size()) std::abort();
      WriteSeed(dir + "/seed_surf_v" + std::to_string(v), v, body);
    }
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint32_t version = 1 + data[0] % scour::index::kFormatVersion;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string file = scour::fuzz::Frame(scour::index::FileKind::kSurfaceForms, body, version);
  auto r = scour::index::SurfaceDictReader::Open(file, "fuzz.surf");
  if (!r.ok()) return 0;
  uint64_t sink = r->size();
  for (auto it = r->Seek(""); it.Valid(); it.Next()) sink += it.key().size() + it.term().size();
  for (size_t at : {size_t{0}, body.size() / 3, body.size() / 2}) {
    const std::string_view from = body.substr(std::min(at, body.size()), 6);
    auto it = r->Seek(from);
    for (int n = 0; it.Valid() && n < 40; ++n, it.Next()) sink += it.term().size();
  }
  if (sink == 0xFFFFFFFFFFFFFFFFull) std::fputc(' ', stderr);  // keep the reads
  return 0;
}
