// libFuzzer entry point for the term-vector reader (.tvec, docs/format/README.md). The input is a
// .tvec body; it is framed with a correct header and CRC, opened, read document by document
// (Get) and in one pass (ForEachDocument), and a vector decoder runs on the raw input too. Any
// outcome but a crash, hang or sanitizer report is fine. With SCOUR_FUZZ_WRITE_SEEDS=<dir> in the
// environment, a valid body of a few hundred documents is written there as a seed
// (scripts/fuzz.sh does this) and the process exits.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/frame.h"
#include "index/directory/directory.h"
#include "index/format/file_format.h"
#include "index/segment/term_vectors.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* out = std::getenv("SCOUR_FUZZ_WRITE_SEEDS")) {
    constexpr uint32_t kDocs = 300;
    scour::index::TermVectorsWriter w;
    std::vector<scour::index::FieldTermVector> doc;
    for (uint32_t d = 0; d < kDocs; ++d) {
      doc.clear();
      for (uint32_t field = 1; field <= 2; ++field) {
        scour::index::FieldTermVector v{field, {}};
        for (int t = 100; t < 160; ++t)
          if ((d + static_cast<uint32_t>(t) * field) % 5 == 0)
            v.terms.emplace_back("term" + std::to_string(t),
                                 1 + (d + static_cast<uint32_t>(t)) % 4);
        if (!v.terms.empty()) doc.push_back(std::move(v));
      }
      w.AddDocument(doc);
    }
    auto dir = scour::index::NewMemDirectory();
    auto f = scour::index::FramedWriter::Create(dir.get(), "seed.tvec",
                                                scour::index::FileKind::kTermVectors);
    if (!f.ok() || !w.WriteTo(&*f).ok() || !f->Finish().ok()) std::abort();
    auto in = dir->Open("seed.tvec");
    if (!in.ok()) std::abort();
    const std::string_view file = (*in)->data();
    const std::string_view body =
        file.substr(scour::index::kHeaderSize,
                    file.size() - scour::index::kHeaderSize - scour::index::kFooterSize);
    const std::string path = std::string(out) + "/seed_tvec";
    FILE* o = std::fopen(path.c_str(), "wb");
    if (o == nullptr) std::abort();
    std::fwrite(body.data(), 1, body.size(), o);
    std::fclose(o);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  std::vector<std::pair<std::string, uint32_t>> terms;
  (void)scour::index::DecodeTermVector(body, "fuzz", &terms);
  const std::string file = scour::fuzz::Frame(scour::index::FileKind::kTermVectors, body);
  auto r = scour::index::TermVectorsReader::Open(file, "fuzz.tvec");
  if (!r.ok()) return 0;
  uint64_t sink = 0;
  std::vector<scour::index::FieldTermVector> v;
  for (uint32_t d = 0; d < 400; ++d) {
    if (!r->Get(d, &v).ok()) continue;
    for (const auto& f : v) sink += f.terms.size();
  }
  (void)r->ForEachDocument(300,
                           [&](uint32_t, const std::vector<scour::index::FieldTermVector>& fs) {
                             for (const auto& f : fs) sink += f.terms.size();
                             return absl::OkStatus();
                           });
  if (sink == 0xFFFFFFFFFFFFFFFFull) std::fputc(' ', stderr);  // keep the reads
  return 0;
}
