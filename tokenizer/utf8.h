// UTF-8 validation and ASCII scanning for the analysis chain (internal). Pure functions,
// thread-safe. Validation follows Unicode Table 3-7: no overlong forms, no surrogates, nothing
// above U+10FFFF.
#ifndef SCOUR_TOKENIZER_UTF8_H_
#define SCOUR_TOKENIZER_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace scour::tokenizer {

struct Utf8Check {
  bool valid = true;
  bool all_ascii = true;
  size_t bad_offset = 0;  // offset of the first byte of the first ill-formed sequence
};

// Scans `s` once; ASCII runs are skipped eight bytes at a time.
Utf8Check CheckUtf8(std::string_view s);

// Offset of the first byte >= 0x80 in s[from, s.size()), or s.size().
inline size_t FindNonAscii(std::string_view s, size_t from) {
  const char* p = s.data();
  size_t n = s.size();
  size_t i = from;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ull) break;
  }
  for (; i < n; ++i) {
    if (static_cast<unsigned char>(p[i]) >= 0x80) return i;
  }
  return n;
}

// True when byte b does not begin a code point (a continuation byte 10xxxxxx).
inline bool IsContinuationByte(char b) { return (static_cast<unsigned char>(b) & 0xC0) == 0x80; }

}  // namespace scour::tokenizer

#endif  // SCOUR_TOKENIZER_UTF8_H_
