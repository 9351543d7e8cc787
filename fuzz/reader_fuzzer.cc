// libFuzzer entry point: arbitrary bytes through a document reader (in memory), built once per
// format: SCOUR_FUZZ_FORMAT is kJsonl or kTsv, SCOUR_FUZZ_NAME the file name. The first byte
// picks options (named fields, store list, id field) so those paths are fuzzed too. Any outcome
// but a crash, hang or sanitizer report is fine; a record error must be InvalidArgument.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/document_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  scour::ingest::ReaderOptions options;
  options.format = scour::ingest::Format::SCOUR_FUZZ_FORMAT;
  if (size > 0) {
    const uint8_t mode = data[0];
    if (mode & 1) options.fields = {"text", "title"};
    if (mode & 2) options.store = std::vector<std::string>{"title"};
    if (mode & 4) options.id_field = "docid";
    ++data;
    --size;
  }
  auto reader = scour::ingest::OpenBufferReader(
      std::string_view(reinterpret_cast<const char*>(data), size), SCOUR_FUZZ_NAME, options);
  if (!reader.ok()) abort();
  scour::Document doc;
  for (size_t i = 0; i <= size + 1; ++i) {  // at most one record per line
    absl::StatusOr<bool> r = (*reader)->Next(&doc);
    if (!r.ok()) {
      if (r.status().code() != absl::StatusCode::kInvalidArgument) abort();
      continue;
    }
    if (!*r) return 0;
  }
  abort();  // more results than lines: the reader does not advance
}
