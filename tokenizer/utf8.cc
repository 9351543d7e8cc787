#include "tokenizer/utf8.h"

namespace scour::tokenizer {
namespace {

// Length (2-4) of the well-formed sequence at p (p[0] >= 0x80), 0 when ill-formed.
size_t SequenceLength(const unsigned char* p, const unsigned char* end) {
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

}  // namespace

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
      size_t len = SequenceLength(begin + i, end);
      if (len == 0) {
        r.valid = false;
        r.bad_offset = i;
        return r;
      }
      i += len;
    }
  }
}

}  // namespace scour::tokenizer
