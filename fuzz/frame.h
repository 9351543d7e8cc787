// A segment file's frame around `body` (docs/format/framing.md), as the writers make
// it: the fuzz targets frame their mutated bodies with it so the reader gets past the checksum.
#ifndef SCOUR_FUZZ_FRAME_H_
#define SCOUR_FUZZ_FRAME_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/coding.h"
#include "base/crc32c.h"
#include "index/format/file_format.h"

namespace scour::fuzz {

inline std::string Frame(index::FileKind kind, std::string_view body,
                         uint32_t version = index::kFormatVersion) {
  std::string out("SCR1");
  PutFixed32(&out, static_cast<uint32_t>(kind));
  PutFixed32(&out, version);
  out.append(body);
  const uint64_t len = out.size();
  const uint32_t crc = crc32c::Value(out);  // of bytes [0, len): header and body
  PutFixed64(&out, len);
  PutFixed32(&out, crc);
  out.append("1RCS");
  return out;
}

}  // namespace scour::fuzz

#endif  // SCOUR_FUZZ_FRAME_H_
