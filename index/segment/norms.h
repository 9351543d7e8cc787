// Document lengths are stored as one byte per document and field, encoded exactly as Lucene's
// SmallFloat.intToByte4 (exact up to 23, then 4 significant bits), so BM25 scores can match
// Lucene's bit for bit and scorers can precompute a 256-entry length-normalisation table.
#ifndef SCOUR_INDEX_SEGMENT_NORMS_H_
#define SCOUR_INDEX_SEGMENT_NORMS_H_

#include <bit>
#include <cstdint>

namespace scour::index {

namespace norms_internal {
constexpr uint32_t LongToInt4(uint64_t i) {
  int num_bits = 64 - std::countl_zero(i);
  if (num_bits < 4) return static_cast<uint32_t>(i);  // subnormal
  int shift = num_bits - 4;
  uint32_t encoded = static_cast<uint32_t>(i >> shift) & 0x07;
  return encoded | static_cast<uint32_t>(shift + 1) << 3;
}
constexpr uint64_t Int4ToLong(uint32_t i) {
  uint64_t bits = i & 0x07;
  int shift = static_cast<int>(i >> 3) - 1;
  return shift == -1 ? bits : (bits | 0x08) << shift;
}
constexpr uint32_t kMaxInt4 = LongToInt4(0x7fffffff);
constexpr uint32_t kNumFreeValues = 255 - kMaxInt4;  // 24
}  // namespace norms_internal

// Length (number of tokens) -> norm byte. Monotone: a longer document never gets a smaller byte.
constexpr uint8_t LengthToNorm(uint32_t length) {
  using namespace norms_internal;
  if (length > 0x7fffffff) length = 0x7fffffff;
  if (length < kNumFreeValues) return static_cast<uint8_t>(length);
  return static_cast<uint8_t>(kNumFreeValues + LongToInt4(length - kNumFreeValues));
}

// Norm byte -> the (approximate) length it stands for.
constexpr uint32_t NormToLength(uint8_t norm) {
  using namespace norms_internal;
  if (norm < kNumFreeValues) return norm;
  return static_cast<uint32_t>(kNumFreeValues + Int4ToLong(norm - kNumFreeValues));
}

}  // namespace scour::index

#endif  // SCOUR_INDEX_SEGMENT_NORMS_H_
