// Fixed-size block codec for postings: 128 unsigned 32-bit integers bit-packed at the width of
// the largest one, in the 4-lane interleaved ("vertical") layout byte by byte in
// docs/format/block-codec.md: u8 bit width b (0..32), then 16*b bytes = b little-endian 128-bit
// words; value i lives in lane i%4 at bits [(i/4)*b, (i/4+1)*b) of that lane's 32-bit words.
// SSE2 (x86-64 baseline) decodes it directly; the scalar path is the reference the tests compare
// against. Pure functions, thread-safe.
#ifndef SCOUR_INDEX_POSTINGS_BITPACK_H_
#define SCOUR_INDEX_POSTINGS_BITPACK_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/coding.h"

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
// PrefixSum runs the fastest of the others this CPU has (AVX2, else SSE2, chosen at start-up);
// PrefixSumScalar is the reference, and PrefixSumSse2 / PrefixSumAvx2 (x86-64 only; the AVX2
// one only where PrefixSumAvx2Available()) are there for the tests to compare.
void PrefixSum(uint32_t* v, size_t n, uint32_t base);
void PrefixSumScalar(uint32_t* v, size_t n, uint32_t base);
void PrefixSumSse2(uint32_t* v, size_t n, uint32_t base);  // the scalar loop off x86-64
#if defined(__x86_64__)
void PrefixSumAvx2(uint32_t* v, size_t n, uint32_t base);
#endif
bool PrefixSumAvx2Available();

// Bytes taken by a packed block of width b (b <= 32), width byte included.
inline constexpr size_t PackedBlockSize(uint32_t b) { return 1 + 16 * size_t{b}; }
// Returns the byte after the packed block at p without decoding it, or nullptr when it is
// truncated or corrupt (same checks as UnpackBlock).
const char* SkipBlock(const char* p, const char* end);
// True when UnpackBlock / PrefixSum use a SIMD path on this CPU (for benchmarks and messages).
bool BitpackSimdAvailable();

// The block at an explicit width b >= MaxBits(in).
void PackBlockWidth(const uint32_t in[kBlockSize], uint32_t b, std::string* out);

// Patched frame of reference, the codec of every postings and positions block
// (docs/format/block-codec.md): u8 exception count e, then the block codec at the width b that
// minimises the size (values' low b bits), then e x {u8 index, varint high bits}.
void PackBlockPFor(const uint32_t in[kBlockSize], std::string* out);
const char* UnpackBlockPFor(const char* p, const char* end, uint32_t out[kBlockSize]);
// The reference the tests compare UnpackBlockPFor with: the scalar unpacker and the general
// exception reader (varints of any length, every check per byte).
const char* UnpackBlockPForScalar(const char* p, const char* end, uint32_t out[kBlockSize]);
// A patched block of frequencies stored as tf - 1 decoded to the tfs: out[i] = value + 1, the
// addition fused into the unpacking (UnpackBlockPFor then + 1 is the reference). Returns as
// UnpackBlockPFor, and nullptr also when a value is 2^32 - 1 (its tf would wrap to 0).
const char* UnpackFreqBlock(const char* p, const char* end, uint32_t out[kBlockSize]);
// A patched block of doc-id deltas decoded to the ids: out[i] = base + the deltas up to i
// (mod 2^32), the unpacking and the prefix sum fused when the block has no exceptions (SSE2;
// elsewhere UnpackBlockPFor then PrefixSum, the reference). *delta_bits is set to a value with
// every bit any delta has (exact or more), for the caller's wrap-around check; returns as
// UnpackBlockPFor.
const char* UnpackDocBlock(const char* p, const char* end, uint32_t base, uint32_t out[kBlockSize],
                           uint32_t* delta_bits);
// The byte after the patched block at p, without decoding it (nullptr when truncated or its
// counts are out of range; the exception values themselves are checked only by decoding).
const char* SkipBlockPFor(const char* p, const char* end);

// Format 8: a full block of doc ids as a bit set (docs/format/block-codec.md, "Dense blocks
// (format 8)"): a marker byte kBitSetMarker + W (2 <= W <= kMaxBitSetWords), then W
// little-endian u64 words; bit k (bit k % 64 of word k / 64) is set when doc start + k is in the
// block, start = the previous block's last doc + 1 (0 for a list's first block). Exactly 128
// bits are set and the last word is not 0. A PFor block's first byte (its exception count) is at
// most 24, so the marker tells the two apart.
inline constexpr uint32_t kBitSetMarker = 0x80;
inline constexpr uint32_t kMaxBitSetWords = 127;
// The words of the bit set the writer stores a full block as, or 0 when it stores it patched:
// a bit set when its span (bits from start to the last doc) is at most kBitSetMaxSpan, 3 bits
// per doc. Up to there it is smaller than the patched deltas and decodes faster than them from 2
// bits per doc down, about as fast at 3 (docs/PERFORMANCE.md, "Dense doc blocks as bit sets";
// Lucene 10.1's wider rule, span < 128 x (the largest delta's bits + 1), decoded slower).
// `deltas` as the patched block would hold them (the first against the previous block's last
// doc, or the doc itself in a first block), `first` for a list's first block.
inline constexpr uint64_t kBitSetMaxSpan = 3 * kBlockSize;
uint32_t BitSetWords(const uint32_t deltas[kBlockSize], bool first);
// Appends the bit set of the 128 increasing docs, all in [start, start + 64 * words).
void PackBitSetBlock(const uint32_t docs[kBlockSize], uint32_t start, uint32_t words,
                     std::string* out);
// Decodes the bit set block at p (its marker byte) into the 128 doc ids, increasing. Returns the
// byte after it, or nullptr when the marker is not one, the words overrun `end`, the set bits
// are not exactly 128, the last word is 0 or a doc would pass 2^32 - 1. The fast path (a table
// of each byte's bit positions, SSE2) writes past the 128th value: `out` has room for
// kBlockSize + kBitSetSlack. The scalar reference (one set bit at a time, the tests compare
// them) writes only out[0, 128).
inline constexpr size_t kBitSetSlack = 72;
const char* UnpackBitSetBlock(const char* p, const char* end, uint32_t start, uint32_t* out);
const char* UnpackBitSetBlockScalar(const char* p, const char* end, uint32_t start,
                                    uint32_t out[kBlockSize]);
// The bit set block at p checked as UnpackBitSetBlock checks it, without decoding: its words
// (unaligned, little-endian) in *words and *n_words, its last doc in *last_doc, and the byte
// after it; nullptr as there.
const char* OpenBitSetBlock(const char* p, const char* end, uint32_t start, const char** words,
                            uint32_t* n_words, uint32_t* last_doc);
// The byte after the doc block at p, a bit set (when `bit_sets`, format 8, and its first byte is
// a marker) or a patched block (SkipBlockPFor); nullptr when truncated or out of range.
const char* SkipDocBlock(const char* p, const char* end, bool bit_sets);
// Bit k of the little-endian words at p (k < 64 * their count): the test a conjunction makes
// of a lead doc against a dense block.
inline uint32_t BitSetTest(const char* words, uint32_t k) {
  return (static_cast<uint8_t>(words[k >> 3]) >> (k & 7)) & 1;
}
// The set bits below bit k of the words, for k increasing from one call to the next (a doc's
// index among the block's docs, where its frequency is): each word is counted once.
struct BitSetRanker {
  const char* words;
  uint32_t word = 0, below = 0;  // below = the set bits of words [0, word)
  uint32_t Rank(uint32_t k) {
    for (; word < (k >> 6); ++word) below += std::popcount(DecodeFixed64(words + size_t{word} * 8));
    const uint64_t mask = (uint64_t{1} << (k & 63)) - 1;
    return below +
           static_cast<uint32_t>(std::popcount(DecodeFixed64(words + size_t{word} * 8) & mask));
  }
};

// Codec for the last, partial block (n < 128 values; n is not stored, the caller knows it):
// n < kTailPackMin values as LEB128 varints, longer tails patched like the blocks but packed
// at n*b bits (docs/format/block-codec.md, "Tail codec"). UnpackTail returns the byte after
// the n values, or nullptr when the input is truncated, a value overflows 32 bits or a width
// is out of range, never reading at or past `end`.
inline constexpr size_t kTailPackMin = 8;  // tails this long or longer are bit-packed
void PackTail(const uint32_t* in, size_t n, std::string* out);
const char* UnpackTail(const char* p, const char* end, uint32_t* out, size_t n);

// A bit-packed tail read a range at a time (a doc needs a few of a positions tail's values).
// OpenPackedTail checks the tail of n >= kTailPackMin values at p as UnpackTail does (header,
// length, every exception) and returns the byte after it, or nullptr where UnpackTail would,
// and also where UnpackTail reads the last bytes a byte at a time (decode those with it).
// UnpackTailRange(t, lo, hi, out) then writes values lo..hi-1 (hi <= n) to out[0..hi-lo):
// UnpackTail's out[lo..hi), the reference the tests compare it with.
inline constexpr uint32_t kMaxExceptions = 24;  // of a patched block or tail
struct PackedTail {
  const char* bits = nullptr;  // the packed values
  uint32_t b = 0, e = 0;
  uint8_t exc_index[kMaxExceptions];  // the exceptions, decoded: value index,
  uint32_t exc_high[kMaxExceptions];  // and its high bits in place
};
const char* OpenPackedTail(const char* p, const char* end, size_t n, PackedTail* t);
void UnpackTailRange(const PackedTail& t, size_t lo, size_t hi, uint32_t* out);

// Format 6: a tail of n < kTailPackMin documents, one varint per document, gap << 1 | (tf == 1),
// then varint tf - 2 when tf > 1 (docs/format/block-codec.md, "Short tails (format 6)"): most
// documents of a short list have tf 1, so their frequency costs a bit, not a byte.
// UnpackShortTail writes the n gaps and the n frequencies (tf, not tf - 1) and returns the byte
// after them, or nullptr when the input is truncated or a value overflows 32 bits, never
// reading at or past `end`.
void PackShortTail(const uint32_t* gaps, const uint32_t* tfs, size_t n, std::string* out);
const char* UnpackShortTail(const char* p, const char* end, uint32_t* gaps, uint32_t* tfs,
                            size_t n);

}  // namespace scour::index

#endif  // SCOUR_INDEX_POSTINGS_BITPACK_H_
