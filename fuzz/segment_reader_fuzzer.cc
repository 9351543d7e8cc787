// libFuzzer entry point for the segment readers. A small valid index is built once in memory;
// each input replaces the body of ONE of its files (the first byte picks which: .info, .tdict,
// .post, .pos, .norms, .store, .del or the MANIFEST) and is framed with a correct header and CRC,
// so the parsers behind the checksum are what gets fuzzed; bit 3 of that byte frames it as
// format version 1 instead of the current one, so both dictionary layouts are exercised. The
// segment is then opened and every term, posting, position, block bound (format 4's impact
// lists included), format 8's bit set blocks as conjunctions test them, norm and stored
// document is read, and CheckIndex runs. Any outcome but a crash,
// hang or sanitizer report is fine. With SCOUR_FUZZ_WRITE_SEEDS=<dir> in the environment, the
// unmodified files are written there as seeds (scripts/fuzz.sh does this) and the process exits.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "base/coding.h"
#include "fuzz/frame.h"
#include "index/commit/manifest.h"
#include "index/directory/directory.h"
#include "index/format/file_format.h"
#include "index/format/file_names.h"
#include "index/inspect/checker.h"
#include "index/inspect/postings_bytes.h"
#include "index/postings/bitpack.h"
#include "index/segment/segment_format.h"
#include "index/segment/segment_reader.h"
#include "index/writer/open_writer.h"
#include "scour/index_writer.h"

namespace {

using scour::index::Directory;
using scour::index::FileKind;

struct Base {
  std::vector<std::pair<std::string, std::string>> files;  // name, bytes
  scour::index::SegmentRef ref;
};

constexpr int kNumSlots = 8;
const FileKind kKinds[kNumSlots] = {
    FileKind::kSegmentInfo, FileKind::kTermDict, FileKind::kPostings, FileKind::kPositions,
    FileKind::kNorms,       FileKind::kStored,   FileKind::kDeletes,  FileKind::kManifest};

const Base& GetBase() {
  static const Base* base = [] {
    auto* b = new Base;
    auto dir = scour::index::NewMemDirectory();
    scour::IndexWriterOptions opt;
    opt.threads = 1;
    opt.auto_merge = false;
    opt.analyzer.language = "none";
    auto w = scour::index::OpenIndexWriter(dir.get(), opt);
    if (!w.ok()) std::abort();
    for (int i = 0; i < 300; ++i) {  // > 128 docs so some postings have full blocks
      scour::Document d;
      d.id = "d" + std::to_string(i);
      std::string text = "common";
      for (int k = 1; k <= 6; ++k)
        if (i % k == 0) text += " t" + std::to_string(k) + " common";
      d.fields.push_back({"title", "title " + std::to_string(i % 7)});
      d.fields.push_back({"text", text});
      if (!(*w)->AddDocument(d).ok()) std::abort();
    }
    if (!(*w)->Commit().ok()) std::abort();
    for (int i = 0; i < 300; i += 17)
      if (!(*w)->DeleteDocument("d" + std::to_string(i)).ok()) std::abort();
    if (!(*w)->Commit().ok()) std::abort();
    w->reset();
    auto m = scour::index::ReadManifest(dir.get());
    if (!m.ok() || m->segments.size() != 1) std::abort();
    b->ref = m->segments[0];
    auto names = dir->List();
    if (!names.ok()) std::abort();
    for (const std::string& n : *names) {
      auto f = dir->Open(n);
      if (!f.ok()) std::abort();
      b->files.emplace_back(n, std::string((*f)->data()));
    }
    return b;
  }();
  return *base;
}

std::string SlotName(const Base& b, int slot) {
  if (slot == 7) return scour::index::kManifestFileName;
  if (slot == 6) return scour::index::DeletesFileName(b.ref.number, b.ref.del_gen);
  return scour::index::SegmentFileName(b.ref.number, kKinds[slot]);
}

void ReadEverything(Directory* dir, const scour::index::SegmentRef& ref) {
  auto seg = scour::index::SegmentReader::Open(dir, ref, /*verify_checksums=*/true);
  if (!seg.ok()) return;
  const auto& s = **seg;
  std::vector<uint32_t> positions;
  uint64_t sink = 0;
  if (auto parts = scour::index::MeasurePostings(s); parts.ok())  // `scour stats`' walk
    sink += parts->doc_ids + parts->freqs + parts->skip + parts->impacts;
  scour::index::ImpactPair pairs[scour::index::kMaxImpactPairs];
  for (auto it = s.dict().Seek(""); it.Valid(); it.Next()) {
    std::string_view key = it.key();
    scour::ByteReader r(key);
    const uint32_t field = r.Varint32();
    if (!r.ok()) break;
    if (field == scour::index::kIdField) {  // format 7: the doc map's inverse
      std::vector<uint32_t> docs;
      if (s.IdDocs(it.info(), &docs).ok()) sink += docs.size();
    }
    auto p = s.Postings(field, it.info());
    sink += p.MaxTf() + p.MinNorm();
    for (auto d = p.doc(); d != scour::index::kNoMoreDocs; d = p.Next()) {
      sink += p.freq() + s.IsDeleted(d < s.max_doc() ? d : 0);
      if (!p.Positions(&positions)) break;
      for (uint32_t x : positions) sink += x;
      sink += p.BlockLastDoc() + p.BlockMaxTf() + p.BlockMinNorm();
      sink += pairs[p.BlockImpacts(pairs) - 1].tf;  // format 4's impact lists
    }
    // Skipping paths too.
    auto q = s.Postings(field, it.info());
    for (uint32_t target = 0, n = 0; q.doc() != scour::index::kNoMoreDocs && n < 100000;
         target += 97, ++n) {
      q.ShallowAdvance(target);
      sink += pairs[0].norm + q.BlockImpacts(pairs);
      uint32_t start = 0;  // format 8's bit set blocks, as conjunctions test them
      if (const char* bits = q.ShallowBitSet(&start)) {
        const uint32_t k = target > start ? target - start : 0;
        const uint32_t last = q.BlockLastDoc();
        if (start + k <= last) {
          scour::index::BitSetRanker rank{bits};
          const uint32_t* f = q.ShallowBitSetFreqs();
          if (f != nullptr && scour::index::BitSetTest(bits, k)) sink += f[rank.Rank(k)];
        }
      }
      q.Advance(target);
    }
    (void)s.Lookup(field, key.substr(key.size() - r.remaining()));
  }
  for (const auto& f : s.info().fields) {
    const uint8_t* n = s.norms(f.field);
    if (n != nullptr)
      for (uint32_t d = 0; d < s.max_doc(); ++d) sink += n[d];
  }
  // Stored fields chunk by chunk, plus the lookup path for a few docs (a lookup per doc made
  // every execution decompress each chunk ~100 times: the harness ran at ~30 inputs/s).
  (void)s.ForEachStored(
      [&](uint32_t, std::span<const scour::index::StoredFieldsReader::FieldView> fields) {
        for (const auto& f : fields) sink += f.second.size();
        return absl::OkStatus();
      });
  std::vector<scour::index::StoredField> stored;
  for (uint32_t d : {0u, s.max_doc() / 2, s.max_doc() - 1, s.max_doc()}) {
    if (!s.Stored(d, &stored).ok()) continue;
    for (const auto& f : stored) sink += f.value.size();
  }
  (void)s.FindId("d1");
  (void)s.FindId("nope");
  // Ids of documents: format 7's pages of the doc map, then (past a sixteenth of them) the
  // table of every id.
  for (uint32_t d = 0; d <= s.max_doc(); d += 7)
    if (auto id = s.ExternalId(d); id.ok()) sink += id->size();
  if (sink == 0xFFFFFFFFFFFFFFFFull) std::fputc(' ', stderr);  // keep the reads
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const Base& b = GetBase();
  if (const char* out = std::getenv("SCOUR_FUZZ_WRITE_SEEDS")) {
    for (int slot = 0; slot < kNumSlots; ++slot) {
      const std::string name = SlotName(b, slot);
      for (const auto& [n, bytes] : b.files) {
        if (n != name) continue;
        auto body = scour::index::CheckFrame(bytes, kKinds[slot], n);
        if (!body.ok()) std::abort();
        const std::string path = std::string(out) + "/seed_" + std::to_string(slot);
        FILE* f = std::fopen(path.c_str(), "wb");
        if (f == nullptr) std::abort();
        const char c = static_cast<char>(slot);
        std::fwrite(&c, 1, 1, f);
        std::fwrite(body->data(), 1, body->size(), f);
        std::fclose(f);
      }
    }
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Base& b = GetBase();
  const int slot = data[0] % kNumSlots;
  // The next bit of the first byte frames the body as format version 1 instead of the current
  // one, so the version-1 dictionary decoder is fuzzed too (other kinds are the same in both).
  const uint32_t version = (data[0] & kNumSlots) ? 1 : scour::index::kFormatVersion;
  const std::string target = SlotName(b, slot);
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto dir = scour::index::NewMemDirectory();
  for (const auto& [name, bytes] : b.files) {
    auto f = dir->Create(name);
    if (!f.ok()) std::abort();
    const std::string content =
        name == target ? scour::fuzz::Frame(kKinds[slot], body, version) : bytes;
    if (!(*f)->Append(content).ok() || !(*f)->Close().ok()) std::abort();
  }
  scour::index::SegmentRef ref = b.ref;
  if (slot == 7) {  // a fuzzed manifest: open whatever it names
    auto m = scour::index::ReadManifest(dir.get());
    if (m.ok())
      for (const auto& r : m->segments) ReadEverything(dir.get(), r);
  } else {
    ReadEverything(dir.get(), ref);
  }
  (void)scour::index::CheckIndex(dir.get());
  return 0;
}
