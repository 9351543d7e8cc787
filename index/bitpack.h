// Fixed-size block codec for postings: 128 unsigned 32-bit integers bit-packed at the width of
// the largest one. The block layout is in docs/format/postings.md:
//   u8 bit width b (0..32), then ceil(128*b/8) = 16*b bytes, value i at bits [i*b, (i+1)*b)
//   of the little-endian bit stream.
// Decoding dispatches at run time to an AVX2 or SSE path when the CPU has it; the scalar path
// is the reference the tests compare against.
#ifndef SCOUR_INDEX_BITPACK_H_
#define SCOUR_INDEX_BITPACK_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace scour::index {

inline constexpr size_t kBlockSize = 128;

// Number of bits needed for the largest of in[0, n).
uint32_t MaxBits(const uint32_t* in, size_t n);

// Appends the packed block (width byte + 16*b bytes) to `out`.
void PackBlock(const uint32_t in[kBlockSize], std::string* out);

// Decodes one packed block from [p, end) into out[0,128). Returns the byte after it, or
// nullptr if the block is truncated or its width byte is > 32 (corruption).
const char* UnpackBlock(const char* p, const char* end, uint32_t out[kBlockSize]);
const char* UnpackBlockScalar(const char* p, const char* end, uint32_t out[kBlockSize]);

// In-place delta coding of sorted values: out[i] = in[i] - in[i-1] (first against `base`),
// and its inverse, a prefix sum (vectorised).
void DeltaEncode(uint32_t* v, size_t n, uint32_t base);
void PrefixSum(uint32_t* v, size_t n, uint32_t base);
void PrefixSumScalar(uint32_t* v, size_t n, uint32_t base);

}  // namespace scour::index

#endif  // SCOUR_INDEX_BITPACK_H_
