// Little-endian fixed-width and LEB128 varint encoding (the byte order of every index file).
#ifndef SCOUR_BASE_CODING_H_
#define SCOUR_BASE_CODING_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace scour {

inline void EncodeFixed32(char* dst, uint32_t v) {
  for (int i = 0; i < 4; ++i) dst[i] = static_cast<char>(v >> (8 * i));
}
inline void EncodeFixed64(char* dst, uint64_t v) {
  for (int i = 0; i < 8; ++i) dst[i] = static_cast<char>(v >> (8 * i));
}
// On a little-endian host the bytes are the value: one load. (GCC 12 does not merge the byte
// loops below into a load: a skip-table read cost 10 instructions instead of 1.)
inline uint32_t DecodeFixed32(const char* p) {
  if constexpr (std::endian::native == std::endian::little) {
    uint32_t v;
    std::memcpy(&v, p, sizeof(v));
    return v;
  }
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t{static_cast<uint8_t>(p[i])} << (8 * i);
  return v;
}
inline uint64_t DecodeFixed64(const char* p) {
  if constexpr (std::endian::native == std::endian::little) {
    uint64_t v;
    std::memcpy(&v, p, sizeof(v));
    return v;
  }
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t{static_cast<uint8_t>(p[i])} << (8 * i);
  return v;
}
inline uint16_t DecodeFixed16(const char* p) {
  if constexpr (std::endian::native == std::endian::little) {
    uint16_t v;
    std::memcpy(&v, p, sizeof(v));
    return v;
  }
  return static_cast<uint16_t>(static_cast<uint8_t>(p[0]) | (static_cast<uint8_t>(p[1]) << 8));
}

inline void PutFixed16(std::string* dst, uint16_t v) {
  char buf[2] = {static_cast<char>(v), static_cast<char>(v >> 8)};
  dst->append(buf, 2);
}
inline void PutFixed32(std::string* dst, uint32_t v) {
  char buf[4];
  EncodeFixed32(buf, v);
  dst->append(buf, 4);
}
inline void PutFixed64(std::string* dst, uint64_t v) {
  char buf[8];
  EncodeFixed64(buf, v);
  dst->append(buf, 8);
}

inline char* EncodeVarint64(char* dst, uint64_t v) {
  auto* p = reinterpret_cast<uint8_t*>(dst);
  while (v >= 0x80) {
    *p++ = static_cast<uint8_t>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<uint8_t>(v);
  return reinterpret_cast<char*>(p);
}
inline void PutVarint64(std::string* dst, uint64_t v) {
  char buf[10];
  dst->append(buf, EncodeVarint64(buf, v) - buf);
}
inline void PutVarint32(std::string* dst, uint32_t v) { PutVarint64(dst, v); }
inline int VarintLength(uint64_t v) {
  int n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Decodes a varint from [p, limit). Returns the byte after it, or nullptr when the input is
// truncated or the value overflows 64 bits (corruption), never reading at or past `limit`.
inline const char* GetVarint64Ptr(const char* p, const char* limit, uint64_t* v) {
  uint64_t result = 0;
  for (uint32_t shift = 0; shift <= 63 && p < limit; shift += 7) {
    uint64_t byte = static_cast<uint8_t>(*p++);
    result |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      *v = result;
      return p;
    }
  }
  return nullptr;
}
inline const char* GetVarint32Ptr(const char* p, const char* limit, uint32_t* v) {
  uint64_t r;
  const char* q = GetVarint64Ptr(p, limit, &r);
  if (q == nullptr || r > UINT32_MAX) return nullptr;
  *v = static_cast<uint32_t>(r);
  return q;
}

// Cursor over a byte range for decoders: every read is bounds-checked and sets ok() false on
// underflow instead of reading past the end.
class ByteReader {
 public:
  ByteReader() = default;
  explicit ByteReader(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}
  bool ok() const { return ok_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  const char* pos() const { return p_; }
  uint8_t U8() {
    if (!Need(1)) return 0;
    return static_cast<uint8_t>(*p_++);
  }
  uint16_t U16() {
    if (!Need(2)) return 0;
    uint16_t v = DecodeFixed16(p_);
    p_ += 2;
    return v;
  }
  uint32_t U32() {
    if (!Need(4)) return 0;
    uint32_t v = DecodeFixed32(p_);
    p_ += 4;
    return v;
  }
  uint64_t U64() {
    if (!Need(8)) return 0;
    uint64_t v = DecodeFixed64(p_);
    p_ += 8;
    return v;
  }
  uint64_t Varint64() {
    if (ok_ && p_ < end_ && static_cast<uint8_t>(*p_) < 0x80) {  // one byte: most of them
      return static_cast<uint8_t>(*p_++);
    }
    uint64_t v = 0;
    const char* q = ok_ ? GetVarint64Ptr(p_, end_, &v) : nullptr;
    if (q == nullptr) return Fail();
    p_ = q;
    return v;
  }
  uint32_t Varint32() {
    uint64_t v = Varint64();
    if (v > UINT32_MAX) return static_cast<uint32_t>(Fail());
    return static_cast<uint32_t>(v);
  }
  std::string_view Bytes(size_t n) {
    if (!Need(n)) return {};
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }
  void Skip(size_t n) {
    if (Need(n)) p_ += n;
  }

 private:
  bool Need(size_t n) {
    if (!ok_ || remaining() < n) {
      Fail();
      return false;
    }
    return true;
  }
  uint64_t Fail() {
    ok_ = false;
    p_ = end_;
    return 0;
  }
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  bool ok_ = true;
};

// Two lengths in one byte, low nibble then high nibble; 15 in either means "15 + a varint that
// follows" (.tdict's entry head, .surf's entry lengths: docs/format/README.md).
inline constexpr uint32_t kNibbleEscape = 15;
inline void PutNibblePair(std::string* out, size_t low, size_t high) {
  out->push_back(static_cast<char>((low < kNibbleEscape ? low : kNibbleEscape) |
                                   (high < kNibbleEscape ? high : kNibbleEscape) << 4));
  if (low >= kNibbleEscape) PutVarint64(out, low - kNibbleEscape);
  if (high >= kNibbleEscape) PutVarint64(out, high - kNibbleEscape);
}
inline void GetNibblePair(ByteReader* r, uint64_t* low, uint64_t* high) {
  const uint8_t b = r->U8();
  *low = b & 15;
  *high = b >> 4;
  if (*low == kNibbleEscape) *low += r->Varint64();
  if (*high == kNibbleEscape) *high += r->Varint64();
}

}  // namespace scour

#endif  // SCOUR_BASE_CODING_H_
