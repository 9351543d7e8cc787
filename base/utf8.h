// UTF-8 validation, ASCII scanning and encoding, shared by the readers and the analysis chain
// (internal). Pure functions, thread-safe. Validation follows Unicode Table 3-7: no overlong
// forms, no surrogates, nothing above U+10FFFF.
#ifndef SCOUR_BASE_UTF8_H_
#define SCOUR_BASE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace scour {

// Length (2-4) of the well-formed multi-byte sequence starting at p (p[0] >= 0x80), or 0 when
// the bytes at p are not one. Never reads at or past `end`.
inline size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = p[0];
  const size_t avail = static_cast<size_t>(end - p);
  auto cont = [](unsigned char b) { return (b & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return (avail >= 2 && cont(p[1])) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (avail < 3) return 0;
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
    return (p[1] >= lo && p[1] <= hi && cont(p[2])) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (avail < 4) return 0;
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
    return (p[1] >= lo && p[1] <= hi && cont(p[2]) && cont(p[3])) ? 4 : 0;
  }
  return 0;
}

// Offset of the first byte that does not start a well-formed UTF-8 sequence, or s.size()
// when all of s is valid. ASCII runs are checked eight bytes at a time.
size_t FindInvalidUtf8(std::string_view s);

inline bool IsValidUtf8(std::string_view s) { return FindInvalidUtf8(s) == s.size(); }

// The code point that starts at s[pos] (pos < s.size()), its length in bytes in *len. A byte that
// does not start a well-formed sequence decodes as U+FFFD of length 1, so a scan over any bytes
// moves on one byte at a time where they are ill-formed.
inline uint32_t DecodeUtf8(std::string_view s, size_t pos, size_t* len) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + pos;
  if (p[0] < 0x80) {
    *len = 1;
    return p[0];
  }
  const size_t n =
      Utf8SequenceLength(p, reinterpret_cast<const unsigned char*>(s.data()) + s.size());
  if (n == 0) {
    *len = 1;
    return 0xFFFD;
  }
  *len = n;
  uint32_t cp = p[0] & (0x7Fu >> n);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (p[k] & 0x3Fu);
  return cp;
}

// Appends the UTF-8 encoding of code point cp (must be <= 0x10FFFF and not a surrogate).
inline void AppendUtf8(uint32_t cp, std::string* out) {
  char buf[4];
  size_t n;
  if (cp < 0x80) {
    buf[0] = static_cast<char>(cp);
    n = 1;
  } else if (cp < 0x800) {
    buf[0] = static_cast<char>(0xC0 | (cp >> 6));
    buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    buf[0] = static_cast<char>(0xE0 | (cp >> 12));
    buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    buf[0] = static_cast<char>(0xF0 | (cp >> 18));
    buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 4;
  }
  out->append(buf, n);
}

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

}  // namespace scour

#endif  // SCOUR_BASE_UTF8_H_
