#include "base/utf8.h"

namespace scour {

size_t FindInvalidUtf8(std::string_view s) {
  const auto* const begin = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = begin + s.size();
  const auto* p = begin;
  while (p < end) {
    // ASCII fast path: most indexed text is ASCII with sparse multi-byte characters.
    while (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (w & 0x8080808080808080ull) break;
      p += 8;
    }
    while (p < end && *p < 0x80) ++p;
    if (p == end) break;
    // A non-ASCII byte: validate the sequences that follow until ASCII resumes.
    while (p < end && *p >= 0x80) {
      const size_t n = Utf8SequenceLength(p, end);
      if (n == 0) return static_cast<size_t>(p - begin);
      p += n;
    }
  }
  return s.size();
}

Utf8Check CheckUtf8(std::string_view s) {
  Utf8Check r;
  const auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = begin + s.size();
  size_t i = 0;
  const size_t n = s.size();
  while (true) {
    i = FindNonAscii(s, i);
    if (i == n) return r;
    r.all_ascii = false;
    // Decode the whole non-ASCII stretch here rather than re-entering the word scan per byte.
    while (i < n && begin[i] >= 0x80) {
      size_t len = Utf8SequenceLength(begin + i, end);
      if (len == 0) {
        r.valid = false;
        r.bad_offset = i;
        return r;
      }
      i += len;
    }
  }
}

}  // namespace scour
