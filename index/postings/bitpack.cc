#include "index/postings/bitpack.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <utility>

#include "base/coding.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define SCOUR_BITPACK_SSE2 1
#endif

namespace scour::index {
namespace {

constexpr size_t kLanes = 4;
constexpr size_t kPerLane = kBlockSize / kLanes;  // 32 values per lane

// Checks the width byte and the length; returns the width or -1 (truncated / corrupt).
inline int ReadWidth(const char* p, const char* end) {
  if (p == nullptr || p >= end) return -1;
  const uint32_t b = static_cast<uint8_t>(*p);
  if (b > 32) return -1;
  if (static_cast<size_t>(end - p - 1) < 16 * size_t{b}) return -1;
  return static_cast<int>(b);
}

#if SCOUR_BITPACK_SSE2
// Value j of every lane at once: the 4 lanes' bits [j*B, j*B+B) sit at the same offset of the
// same 128-bit word, so one shift (plus one more for values straddling two words) and one mask
// decode 4 values. J and B are template arguments so every shift is an immediate.
// kPlusOne adds 1 to each value in the register (frequency blocks store tf - 1).
template <int B, int J, bool kPlusOne>
__attribute__((always_inline)) inline void UnpackStep(const __m128i* in, __m128i* out,
                                                      __m128i mask) {
  constexpr int kBit = J * B;
  constexpr int kWord = kBit / 32;
  constexpr int kOff = kBit % 32;
  __m128i v = _mm_loadu_si128(in + kWord);
  if constexpr (kOff != 0) v = _mm_srli_epi32(v, kOff);
  if constexpr (kOff + B > 32) {
    v = _mm_or_si128(v, _mm_slli_epi32(_mm_loadu_si128(in + kWord + 1), 32 - kOff));
  }
  // The high bits are already zero when the value ends exactly at the top of its word.
  if constexpr (kOff + B != 32) v = _mm_and_si128(v, mask);
  if constexpr (kPlusOne) v = _mm_add_epi32(v, _mm_set1_epi32(1));
  _mm_storeu_si128(out + J, v);
}

template <int B, bool kPlusOne, size_t... J>
inline void UnpackSse2Impl(const __m128i* in, __m128i* out, std::index_sequence<J...>) {
  const __m128i mask = _mm_set1_epi32(static_cast<int>((uint64_t{1} << B) - 1));
  (UnpackStep<B, static_cast<int>(J), kPlusOne>(in, out, mask), ...);
}

template <int B, bool kPlusOne = false>
void UnpackSse2(const char* p, uint32_t* out) {
  const __m128i add = _mm_set1_epi32(kPlusOne ? 1 : 0);
  auto* o = reinterpret_cast<__m128i*>(out);
  if constexpr (B == 0) {
    for (size_t i = 0; i < kPerLane; ++i) _mm_storeu_si128(o + i, add);
  } else if constexpr (B == 32) {
    // Width 32 is the identity layout: a plain copy (inline, memcpy's call costs more here).
    const auto* in = reinterpret_cast<const __m128i*>(p);
    for (size_t i = 0; i < kPerLane; ++i) {
      __m128i v = _mm_loadu_si128(in + i);
      if constexpr (kPlusOne) v = _mm_add_epi32(v, add);
      _mm_storeu_si128(o + i, v);
    }
  } else {
    UnpackSse2Impl<B, kPlusOne>(reinterpret_cast<const __m128i*>(p), o,
                                std::make_index_sequence<kPerLane>{});
  }
}

using UnpackFn = void (*)(const char*, uint32_t*);
template <bool kPlusOne, size_t... B>
constexpr std::array<UnpackFn, 33> MakeSse2Table(std::index_sequence<B...>) {
  return {&UnpackSse2<static_cast<int>(B), kPlusOne>...};
}
constexpr std::array<UnpackFn, 33> kSse2Unpack =
    MakeSse2Table<false>(std::make_index_sequence<33>{});
// Frequency blocks: each value + 1 in the register it was decoded in (no second pass).
constexpr std::array<UnpackFn, 33> kSse2UnpackPlusOne =
    MakeSse2Table<true>(std::make_index_sequence<33>{});

// Inclusive scan of 4 lanes plus the carry (every lane of `carry` holds the running total).
inline __m128i Scan4(__m128i v, __m128i carry) {
  v = _mm_add_epi32(v, _mm_slli_si128(v, 4));
  v = _mm_add_epi32(v, _mm_slli_si128(v, 8));
  return _mm_add_epi32(v, carry);
}

// UnpackStep fused with the prefix sum: the 4 deltas are scanned in the register they were
// decoded in and the running total moves on by their sum, computed beside the scan so that the
// carry's chain is one add per step.
template <int B, int J>
__attribute__((always_inline)) inline void UnpackScanStep(const __m128i* in, __m128i* out,
                                                          __m128i mask, __m128i* carry) {
  constexpr int kBit = J * B;
  constexpr int kWord = kBit / 32;
  constexpr int kOff = kBit % 32;
  __m128i v = _mm_loadu_si128(in + kWord);
  if constexpr (kOff != 0) v = _mm_srli_epi32(v, kOff);
  if constexpr (kOff + B > 32) {
    v = _mm_or_si128(v, _mm_slli_epi32(_mm_loadu_si128(in + kWord + 1), 32 - kOff));
  }
  if constexpr (kOff + B != 32) v = _mm_and_si128(v, mask);
  v = _mm_add_epi32(v, _mm_slli_si128(v, 4));
  v = _mm_add_epi32(v, _mm_slli_si128(v, 8));
  const __m128i sum = _mm_shuffle_epi32(v, _MM_SHUFFLE(3, 3, 3, 3));
  _mm_storeu_si128(out + J, _mm_add_epi32(v, *carry));
  *carry = _mm_add_epi32(*carry, sum);
}

template <int B, size_t... J>
inline void UnpackScanSse2Impl(const __m128i* in, __m128i* out, uint32_t base,
                               std::index_sequence<J...>) {
  const __m128i mask = _mm_set1_epi32(static_cast<int>((uint64_t{1} << B) - 1));
  __m128i carry = _mm_set1_epi32(static_cast<int>(base));
  (UnpackScanStep<B, static_cast<int>(J)>(in, out, mask, &carry), ...);
}

// Widths 0 and 32 are rare for doc-id deltas (a run of consecutive docs; a 2^32 gap): they
// unpack, then scan.
template <int B>
void UnpackScanSse2(const char* p, uint32_t* out, uint32_t base) {
  if constexpr (B == 0 || B == 32) {
    UnpackSse2<B>(p, out);
    PrefixSum(out, kBlockSize, base);
  } else {
    UnpackScanSse2Impl<B>(reinterpret_cast<const __m128i*>(p), reinterpret_cast<__m128i*>(out),
                          base, std::make_index_sequence<kPerLane>{});
  }
}

using UnpackScanFn = void (*)(const char*, uint32_t*, uint32_t);
template <size_t... B>
constexpr std::array<UnpackScanFn, 33> MakeScanTable(std::index_sequence<B...>) {
  return {&UnpackScanSse2<static_cast<int>(B)>...};
}
constexpr std::array<UnpackScanFn, 33> kSse2UnpackScan =
    MakeScanTable(std::make_index_sequence<33>{});
#endif

}  // namespace

uint32_t MaxBits(const uint32_t* in, size_t n) {
  uint32_t acc = 0;
  for (size_t i = 0; i < n; ++i) acc |= in[i];
  return acc == 0 ? 0 : 32 - static_cast<uint32_t>(__builtin_clz(acc));
}

void PackBlock(const uint32_t in[kBlockSize], std::string* out) {
  PackBlockWidth(in, MaxBits(in, kBlockSize), out);
}

void PackBlockWidth(const uint32_t in[kBlockSize], uint32_t b, std::string* out) {
  // words[4*k + l] is 32-bit word k of lane l.
  uint32_t words[kLanes * 32] = {};
  if (b != 0) {
    for (size_t i = 0; i < kBlockSize; ++i) {
      const size_t lane = i % kLanes;
      const size_t bit = (i / kLanes) * b;
      const size_t w = bit / 32, off = bit % 32;
      words[kLanes * w + lane] |= in[i] << off;
      if (off + b > 32) words[kLanes * (w + 1) + lane] |= in[i] >> (32 - off);
    }
  }
  const size_t old = out->size();
  out->resize(old + PackedBlockSize(b));
  char* dst = out->data() + old;
  *dst++ = static_cast<char>(b);
  for (size_t k = 0; k < kLanes * b; ++k) EncodeFixed32(dst + 4 * k, words[k]);
}

const char* UnpackBlockScalar(const char* p, const char* end, uint32_t out[kBlockSize]) {
  const int width = ReadWidth(p, end);
  if (width < 0) return nullptr;
  const uint32_t b = static_cast<uint32_t>(width);
  const char* words = p + 1;
  const uint64_t mask = (uint64_t{1} << b) - 1;
  for (size_t i = 0; i < kBlockSize; ++i) {
    if (b == 0) {
      out[i] = 0;
      continue;
    }
    const size_t lane = i % kLanes;
    const size_t bit = (i / kLanes) * b;
    const size_t w = bit / 32, off = bit % 32;
    uint64_t v = DecodeFixed32(words + 16 * w + 4 * lane);
    // Only touch the next word when the value reaches into it (it may lie past the block).
    if (off + b > 32) v |= uint64_t{DecodeFixed32(words + 16 * (w + 1) + 4 * lane)} << 32;
    out[i] = static_cast<uint32_t>((v >> off) & mask);
  }
  return words + 16 * size_t{b};
}

const char* UnpackBlock(const char* p, const char* end, uint32_t out[kBlockSize]) {
#if SCOUR_BITPACK_SSE2
  const int width = ReadWidth(p, end);
  if (width < 0) return nullptr;
  kSse2Unpack[width](p + 1, out);
  return p + PackedBlockSize(static_cast<uint32_t>(width));
#else
  return UnpackBlockScalar(p, end, out);
#endif
}

const char* SkipBlock(const char* p, const char* end) {
  const int width = ReadWidth(p, end);
  if (width < 0) return nullptr;
  return p + PackedBlockSize(static_cast<uint32_t>(width));
}

bool BitpackSimdAvailable() {
#if SCOUR_BITPACK_SSE2
  return true;
#else
  return false;
#endif
}

void DeltaEncode(uint32_t* v, size_t n, uint32_t base) {
  uint32_t prev = base;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t cur = v[i];
    v[i] = cur - prev;
    prev = cur;
  }
}

void PrefixSumScalar(uint32_t* v, size_t n, uint32_t base) {
  uint32_t acc = base;
  for (size_t i = 0; i < n; ++i) {
    acc += v[i];
    v[i] = acc;
  }
}

void PrefixSumSse2(uint32_t* v, size_t n, uint32_t base) {
#if SCOUR_BITPACK_SSE2
  size_t i = 0;
  __m128i carry = _mm_set1_epi32(static_cast<int>(base));
  for (; i + 8 <= n; i += 8) {
    __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(v + i));
    __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(v + i + 4));
    a = Scan4(a, carry);
    carry = _mm_shuffle_epi32(a, _MM_SHUFFLE(3, 3, 3, 3));
    b = Scan4(b, carry);
    carry = _mm_shuffle_epi32(b, _MM_SHUFFLE(3, 3, 3, 3));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(v + i), a);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(v + i + 4), b);
  }
  PrefixSumScalar(v + i, n - i, static_cast<uint32_t>(_mm_cvtsi128_si32(carry)));
#else
  PrefixSumScalar(v, n, base);
#endif
}

#if SCOUR_BITPACK_SSE2
// 8 lanes a step: each 128-bit half scanned in place, the low half's total added to the high
// half, then the carry; the carry moves on by the step's total, computed beside the scan, so
// its chain is one add per 8 values (SSE2's is an add and a shuffle per 4).
__attribute__((target("avx2"))) void PrefixSumAvx2(uint32_t* v, size_t n, uint32_t base) {
  size_t i = 0;
  __m256i carry = _mm256_set1_epi32(static_cast<int>(base));
  const __m256i last = _mm256_set1_epi32(7);
  for (; i + 8 <= n; i += 8) {
    __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v + i));
    x = _mm256_add_epi32(x, _mm256_slli_si256(x, 4));
    x = _mm256_add_epi32(x, _mm256_slli_si256(x, 8));
    const __m256i low_total = _mm256_shuffle_epi32(x, _MM_SHUFFLE(3, 3, 3, 3));
    x = _mm256_add_epi32(x, _mm256_permute2x128_si256(low_total, low_total, 0x08));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(v + i), _mm256_add_epi32(x, carry));
    carry = _mm256_add_epi32(carry, _mm256_permutevar8x32_epi32(x, last));
  }
  PrefixSumScalar(v + i, n - i, static_cast<uint32_t>(_mm256_cvtsi256_si32(carry)));
}
#endif

namespace {

using PrefixSumFn = void (*)(uint32_t*, size_t, uint32_t);

PrefixSumFn ChoosePrefixSum() {
#if SCOUR_BITPACK_SSE2
  __builtin_cpu_init();  // this runs among the static constructors
  if (__builtin_cpu_supports("avx2")) return &PrefixSumAvx2;
  return &PrefixSumSse2;
#else
  return &PrefixSumScalar;
#endif
}

// Chosen once, on the CPU the process runs on (never -march=native).
const PrefixSumFn kPrefixSum = ChoosePrefixSum();

}  // namespace

void PrefixSum(uint32_t* v, size_t n, uint32_t base) { kPrefixSum(v, n, base); }

bool PrefixSumAvx2Available() {
#if SCOUR_BITPACK_SSE2
  return kPrefixSum == &PrefixSumAvx2;
#else
  return false;
#endif
}

// ---- Patched frame of reference (PFor) -------------------------------------------------------
namespace {

uint32_t BitLength(uint32_t v) { return v == 0 ? 0 : 32 - static_cast<uint32_t>(__builtin_clz(v)); }

// The width that minimises packed bits + exception bytes, with at most kMaxExceptions values
// wider than it. Exception cost: an index byte plus the high bits as a varint.
uint32_t ChooseWidth(const uint32_t* in, size_t n) {
  uint32_t hist[33] = {};
  for (size_t i = 0; i < n; ++i) hist[BitLength(in[i])]++;
  uint32_t max_len = 32;
  while (max_len > 0 && hist[max_len] == 0) --max_len;
  uint32_t best = max_len;
  uint64_t best_cost = (n * max_len + 7) / 8;
  uint32_t exceptions = 0;
  for (int b = static_cast<int>(max_len) - 1; b >= 0; --b) {
    exceptions += hist[b + 1];
    if (exceptions > kMaxExceptions) break;
    uint64_t cost = (n * static_cast<uint64_t>(b) + 7) / 8;
    for (uint32_t len = b + 1; len <= max_len; ++len)
      cost += uint64_t{hist[len]} * (1 + (len - b + 6) / 7);
    if (cost < best_cost) best = static_cast<uint32_t>(b), best_cost = cost;
  }
  return best;
}

void AppendExceptions(const uint32_t* in, size_t n, uint32_t b, std::string* out) {
  for (size_t i = 0; i < n; ++i)
    if (b < 32 && (in[i] >> b) != 0) {
      out->push_back(static_cast<char>(i));
      PutVarint32(out, in[i] >> b);
    }
}

uint32_t CountExceptions(const uint32_t* in, size_t n, uint32_t b) {
  uint32_t e = 0;
  for (size_t i = 0; i < n; ++i) e += b < 32 && (in[i] >> b) != 0;
  return e;
}

// Sets the high bits of out[idx]; with kPlusOne, out[idx] holds the value + 1 (UnpackFreqBlock),
// which stays so, and *wrapped gets a bit when a patched value + 1 wraps to 0.
template <bool kPlusOne>
inline void Patch(uint32_t* slot, uint32_t high_bits, uint32_t* wrapped) {
  if constexpr (kPlusOne) {
    const uint32_t v = ((*slot - 1) | high_bits) + 1;
    *wrapped |= v == 0 ? 1u : 0u;
    *slot = v;
  } else {
    *slot |= high_bits;
  }
}

// The reference: every exception through the general varint reader and every check.
template <bool kPlusOne = false>
const char* PatchExceptionsGeneral(const char* p, const char* end, uint32_t e, uint32_t b,
                                   uint32_t* out, size_t n, uint32_t* high_or,
                                   uint32_t* wrapped = nullptr) {
  for (uint32_t k = 0; k < e; ++k) {
    if (p == nullptr || p >= end) return nullptr;
    uint32_t idx = static_cast<uint8_t>(*p++);
    uint32_t high;
    p = GetVarint32Ptr(p, end, &high);
    if (p == nullptr || idx >= n || b >= 32 || high == 0 || (b > 0 && (high >> (32 - b)) != 0))
      return nullptr;
    Patch<kPlusOne>(&out[idx], high << b, wrapped);
    *high_or |= high;
  }
  return p;
}

// Nearly every exception is {index byte, high bits < 128 in one varint byte}: those take a
// byte pair without the varint loop or a bounds check per byte (the pairs are all in range
// when 2e bytes are), and a one-byte high cannot overflow 32 bits at b <= 25. The first other
// exception hands the rest to the general loop, which accepts and rejects exactly as before.
// *high_or gets the OR of the high parts (for UnpackDocBlock's bound).
template <bool kPlusOne = false>
inline const char* PatchExceptions(const char* p, const char* end, uint32_t e, uint32_t b,
                                   uint32_t* out, size_t n, uint32_t* high_or,
                                   uint32_t* wrapped = nullptr) {
  if (b <= 25 && p != nullptr && static_cast<size_t>(end - p) >= 2 * size_t{e}) {
    const auto* q = reinterpret_cast<const uint8_t*>(p);
    uint32_t k = 0, acc = 0;
    for (; k < e; ++k, q += 2) {
      const uint32_t idx = q[0], high = q[1];
      if (high - 1 >= 0x7f) break;  // 0 (corrupt) or a longer varint: the general loop
      if (idx >= n) return nullptr;
      Patch<kPlusOne>(&out[idx], high << b, wrapped);
      acc |= high;
    }
    *high_or |= acc;
    return PatchExceptionsGeneral<kPlusOne>(reinterpret_cast<const char*>(q), end, e - k, b, out, n,
                                            high_or, wrapped);
  }
  return PatchExceptionsGeneral<kPlusOne>(p, end, e, b, out, n, high_or, wrapped);
}

}  // namespace

void PackBlockPFor(const uint32_t in[kBlockSize], std::string* out) {
  const uint32_t b = ChooseWidth(in, kBlockSize);
  uint32_t low[kBlockSize];
  const uint32_t mask = b == 32 ? 0xffffffffu : (1u << b) - 1;
  for (size_t i = 0; i < kBlockSize; ++i) low[i] = in[i] & mask;
  out->push_back(static_cast<char>(CountExceptions(in, kBlockSize, b)));
  PackBlockWidth(low, b, out);
  AppendExceptions(in, kBlockSize, b, out);
}

namespace {
// A patched block's header: the exception count (moved past) and the width of its packed
// values (p stays on it, the packed block's first byte); false if either is out of range.
inline bool ReadPForHeader(const char** p, const char* end, uint32_t* e, uint32_t* b) {
  if (*p == nullptr || *p >= end) return false;
  *e = static_cast<uint8_t>(*(*p)++);
  if (*e > kMaxExceptions) return false;
  const int width = ReadWidth(*p, end);
  if (width < 0) return false;
  *b = static_cast<uint32_t>(width);
  return true;
}
}  // namespace

const char* UnpackBlockPFor(const char* p, const char* end, uint32_t out[kBlockSize]) {
  if (p == nullptr || p >= end) return nullptr;
  const uint32_t e = static_cast<uint8_t>(*p++);
  if (e > kMaxExceptions || p >= end) return nullptr;
  const uint32_t b = static_cast<uint8_t>(*p);
  p = UnpackBlock(p, end, out);
  if (e == 0 || p == nullptr) return p;
  uint32_t high_or = 0;
  return PatchExceptions(p, end, e, b, out, kBlockSize, &high_or);
}

const char* UnpackBlockPForScalar(const char* p, const char* end, uint32_t out[kBlockSize]) {
  if (p == nullptr || p >= end) return nullptr;
  const uint32_t e = static_cast<uint8_t>(*p++);
  if (e > kMaxExceptions || p >= end) return nullptr;
  const uint32_t b = static_cast<uint8_t>(*p);
  p = UnpackBlockScalar(p, end, out);
  if (e == 0 || p == nullptr) return p;
  uint32_t high_or = 0;
  return PatchExceptionsGeneral(p, end, e, b, out, kBlockSize, &high_or);
}

const char* UnpackFreqBlock(const char* p, const char* end, uint32_t out[kBlockSize]) {
  uint32_t e, b;
  if (!ReadPForHeader(&p, end, &e, &b)) return nullptr;
  uint32_t wrapped = 0;
#if SCOUR_BITPACK_SSE2
  kSse2UnpackPlusOne[b](p + 1, out);
#else
  UnpackBlockScalar(p, end, out);
  for (size_t i = 0; i < kBlockSize; ++i) out[i] += 1;
#endif
  p += PackedBlockSize(b);
  // Below 32 bits a packed value + 1 cannot wrap; only exceptions (checked as patched) and
  // width 32 can reach 2^32 - 1.
  if (b == 32) {
    for (size_t i = 0; i < kBlockSize; ++i) wrapped |= out[i] == 0 ? 1u : 0u;
  }
  if (e != 0) {
    uint32_t high_or = 0;
    p = PatchExceptions<true>(p, end, e, b, out, kBlockSize, &high_or, &wrapped);
  }
  return wrapped != 0 ? nullptr : p;
}

const char* UnpackDocBlock(const char* p, const char* end, uint32_t base, uint32_t out[kBlockSize],
                           uint32_t* delta_bits) {
  uint32_t e, b;
  if (!ReadPForHeader(&p, end, &e, &b)) return nullptr;
  uint32_t bits = b == 32 ? ~0u : (1u << b) - 1;
#if SCOUR_BITPACK_SSE2
  if (e == 0) {
    kSse2UnpackScan[b](p + 1, out, base);
    *delta_bits = bits;
    return p + PackedBlockSize(b);
  }
#endif
  p = UnpackBlock(p, end, out);
  if (e != 0) {
    uint32_t high_or = 0;
    p = PatchExceptions(p, end, e, b, out, kBlockSize, &high_or);
    if (p == nullptr) return nullptr;
    bits |= high_or << b;  // b < 32 once a block has exceptions
  }
  PrefixSum(out, kBlockSize, base);
  *delta_bits = bits;
  return p;
}

const char* SkipBlockPFor(const char* p, const char* end) {
  if (p == nullptr || p >= end) return nullptr;
  const uint32_t e = static_cast<uint8_t>(*p++);
  if (e > kMaxExceptions) return nullptr;
  p = SkipBlock(p, end);
  for (uint32_t k = 0; k < e && p != nullptr; ++k) {
    if (p >= end) return nullptr;
    ++p;  // index
    uint32_t high;
    p = GetVarint32Ptr(p, end, &high);
  }
  return p;
}

// Short tails are varints (a value per byte or two); from kTailPackMin values on, one width byte
// and the values bit-packed at that width, low bits first (mostly-1 frequencies cost ~1 bit).
void PackTail(const uint32_t* in, size_t n, std::string* out) {
  if (n < kTailPackMin) {
    for (size_t i = 0; i < n; ++i) PutVarint32(out, in[i]);
    return;
  }
  const uint32_t b = ChooseWidth(in, n);
  out->push_back(static_cast<char>(CountExceptions(in, n, b)));
  out->push_back(static_cast<char>(b));
  const uint64_t mask = b == 32 ? 0xffffffffu : (uint64_t{1} << b) - 1;
  const size_t bytes = (n * b + 7) / 8;
  const size_t at = out->size();
  out->resize(at + bytes, '\0');
  auto* dst = reinterpret_cast<uint8_t*>(out->data() + at);
  uint64_t acc = 0;
  uint32_t filled = 0;
  size_t o = 0;
  for (size_t i = 0; i < n; ++i) {
    acc |= (uint64_t{in[i]} & mask) << filled;
    filled += b;
    while (filled >= 8) {
      dst[o++] = static_cast<uint8_t>(acc);
      acc >>= 8;
      filled -= 8;
    }
  }
  if (filled > 0) dst[o++] = static_cast<uint8_t>(acc);
  AppendExceptions(in, n, b, out);
}

const char* UnpackTail(const char* p, const char* end, uint32_t* out, size_t n) {
  if (n < kTailPackMin) {
    for (size_t i = 0; i < n; ++i) {
      if (p == nullptr) return nullptr;
      p = GetVarint32Ptr(p, end, &out[i]);
    }
    return p;
  }
  if (p == nullptr || end - p < 2) return nullptr;
  const uint32_t e = static_cast<uint8_t>(*p++);
  const uint32_t b = static_cast<uint8_t>(*p++);
  const size_t bytes = (n * b + 7) / 8;
  if (e > kMaxExceptions || b > 32 || static_cast<size_t>(end - p) < bytes) return nullptr;
  const uint64_t mask = b == 32 ? 0xffffffffu : (uint64_t{1} << b) - 1;
  if (static_cast<size_t>(end - p) >= bytes + 8) {
    // Value i from the 8 bytes at its first bit's byte (its <= 32 bits start within the first
    // of them): no loop per byte. The last value's 8 bytes end before bytes + 8.
    for (size_t i = 0; i < n; ++i) {
      const size_t bit = i * b;
      out[i] = static_cast<uint32_t>((DecodeFixed64(p + bit / 8) >> (bit % 8)) & mask);
    }
  } else {  // the last bytes of the file: a byte at a time, never past `end`
    const auto* src = reinterpret_cast<const uint8_t*>(p);
    uint64_t acc = 0;
    uint32_t have = 0;
    size_t s = 0;
    for (size_t i = 0; i < n; ++i) {
      while (have < b) {
        acc |= uint64_t{src[s++]} << have;
        have += 8;
      }
      out[i] = static_cast<uint32_t>(acc & mask);
      acc >>= b;
      have -= b;
    }
  }
  uint32_t high_or = 0;
  return PatchExceptions(p + bytes, end, e, b, out, n, &high_or);
}

const char* OpenPackedTail(const char* p, const char* end, size_t n, PackedTail* t) {
  if (n < kTailPackMin || p == nullptr || end - p < 2) return nullptr;
  const uint32_t e = static_cast<uint8_t>(*p++);
  const uint32_t b = static_cast<uint8_t>(*p++);
  const size_t bytes = (n * b + 7) / 8;
  if (e > kMaxExceptions || b > 32 || static_cast<size_t>(end - p) < bytes + 8) return nullptr;
  // The exceptions are checked as PatchExceptionsGeneral checks them, and kept decoded.
  const char* q = p + bytes;
  for (uint32_t k = 0; k < e; ++k) {
    if (q >= end) return nullptr;
    const uint32_t idx = static_cast<uint8_t>(*q++);
    uint32_t high;
    q = GetVarint32Ptr(q, end, &high);
    if (q == nullptr || idx >= n || b >= 32 || high == 0 || (b > 0 && (high >> (32 - b)) != 0))
      return nullptr;
    t->exc_index[k] = static_cast<uint8_t>(idx);
    t->exc_high[k] = high << b;
  }
  t->bits = p;
  t->b = b;
  t->e = e;
  return q;
}

void UnpackTailRange(const PackedTail& t, size_t lo, size_t hi, uint32_t* out) {
  const uint32_t b = t.b;
  const uint64_t mask = b == 32 ? 0xffffffffu : (uint64_t{1} << b) - 1;
  for (size_t i = lo; i < hi; ++i) {
    const size_t bit = i * b;
    out[i - lo] = static_cast<uint32_t>((DecodeFixed64(t.bits + bit / 8) >> (bit % 8)) & mask);
  }
  for (uint32_t k = 0; k < t.e; ++k) {
    const size_t idx = t.exc_index[k];
    if (idx >= lo && idx < hi) out[idx - lo] |= t.exc_high[k];
  }
}

void PackShortTail(const uint32_t* gaps, const uint32_t* tfs, size_t n, std::string* out) {
  for (size_t i = 0; i < n; ++i) {
    PutVarint64(out, uint64_t{gaps[i]} << 1 | (tfs[i] == 1 ? 1 : 0));
    if (tfs[i] != 1) PutVarint32(out, tfs[i] - 2);
  }
}

const char* UnpackShortTail(const char* p, const char* end, uint32_t* gaps, uint32_t* tfs,
                            size_t n) {
  for (size_t i = 0; i < n; ++i) {
    uint64_t v;
    if (p == nullptr || (p = GetVarint64Ptr(p, end, &v)) == nullptr || (v >> 33) != 0)
      return nullptr;
    gaps[i] = static_cast<uint32_t>(v >> 1);
    if (v & 1) {
      tfs[i] = 1;
      continue;
    }
    uint32_t t;
    if ((p = GetVarint32Ptr(p, end, &t)) == nullptr || t > 0xFFFFFFFDu) return nullptr;
    tfs[i] = t + 2;
  }
  return p;
}

// Dense blocks (format 8). The marker byte (0x80 + W) cannot be a patched block's first byte.
uint32_t BitSetWords(const uint32_t deltas[kBlockSize], bool first) {
  uint64_t span = first ? 1 : 0;  // bits from start to the last doc
  for (size_t i = 0; i < kBlockSize; ++i) span += deltas[i];
  return span <= kBitSetMaxSpan ? static_cast<uint32_t>((span + 63) / 64) : 0;
}

void PackBitSetBlock(const uint32_t docs[kBlockSize], uint32_t start, uint32_t words,
                     std::string* out) {
  out->push_back(static_cast<char>(kBitSetMarker + words));
  const size_t at = out->size();
  out->append(size_t{words} * 8, '\0');
  for (size_t i = 0; i < kBlockSize; ++i) {
    const uint32_t k = docs[i] - start;
    (*out)[at + k / 8] =
        static_cast<char>(static_cast<uint8_t>((*out)[at + k / 8]) | 1u << (k % 8));
  }
}

namespace {
// Set bits of each byte value, and their positions as u32 (unused slots 0): a byte's 8 slots
// are two 16-byte loads.
struct ByteBits {
  alignas(16) uint32_t pos[256][8];
  uint8_t count[256];
  constexpr ByteBits() : pos(), count() {
    for (int v = 0; v < 256; ++v) {
      int n = 0;
      for (int k = 0; k < 8; ++k)
        if (v >> k & 1) pos[v][n++] = static_cast<uint32_t>(k);
      count[v] = static_cast<uint8_t>(n);
    }
  }
};
constexpr ByteBits kByteBits;

// The checks both decoders share: the marker, the words within `end`, the last word not 0 and
// the last doc below 2^32. The count of set bits is checked as they are decoded.
inline const char* BitSetHeader(const char* p, const char* end, uint32_t start, uint32_t* n_words,
                                uint32_t* last_doc = nullptr) {
  if (p == nullptr || p >= end) return nullptr;
  const uint32_t m = static_cast<uint8_t>(*p);
  if (m < kBitSetMarker + 2) return nullptr;
  const uint32_t w = m - kBitSetMarker;
  if (static_cast<size_t>(end - p - 1) < size_t{w} * 8) return nullptr;
  const uint64_t top = DecodeFixed64(p + 1 + size_t{w - 1} * 8);
  if (top == 0) return nullptr;
  const uint64_t last = uint64_t{start} + 64 * (w - 1) + (63 - std::countl_zero(top));
  if (last > UINT32_MAX) return nullptr;
  *n_words = w;
  if (last_doc != nullptr) *last_doc = static_cast<uint32_t>(last);
  return p + 1;
}
}  // namespace

const char* UnpackBitSetBlockScalar(const char* p, const char* end, uint32_t start,
                                    uint32_t out[kBlockSize]) {
  uint32_t w;
  const char* words = BitSetHeader(p, end, start, &w);
  if (words == nullptr) return nullptr;
  size_t n = 0;
  for (uint32_t i = 0; i < w; ++i) {
    for (uint64_t x = DecodeFixed64(words + size_t{i} * 8); x != 0; x &= x - 1) {
      if (n == kBlockSize) return nullptr;
      out[n++] = start + 64 * i + static_cast<uint32_t>(std::countr_zero(x));
    }
  }
  return n == kBlockSize ? words + size_t{w} * 8 : nullptr;
}

const char* UnpackBitSetBlock(const char* p, const char* end, uint32_t start, uint32_t* out) {
#if SCOUR_BITPACK_SSE2
  uint32_t w;
  const char* words = BitSetHeader(p, end, start, &w);
  if (words == nullptr) return nullptr;
  // Each byte's positions from the table plus its first doc: two 16-byte stores, of which the
  // byte's count are kept (up to 7 past the last doc, into the slack). A word adds at most 64
  // docs, so checking the count before each word keeps the stores within out[kBlockSize +
  // kBitSetSlack] whatever the bits.
  uint32_t n = 0;
  __m128i first = _mm_set1_epi32(static_cast<int>(start));
  const __m128i eight = _mm_set1_epi32(8);
  for (uint32_t i = 0; i < w; ++i) {
    if (n > kBlockSize) return nullptr;
    uint64_t x = DecodeFixed64(words + size_t{i} * 8);
    for (int byte = 0; byte < 8; ++byte, x >>= 8) {
      const uint32_t v = static_cast<uint32_t>(x & 0xff);
      const auto* pos = reinterpret_cast<const __m128i*>(kByteBits.pos[v]);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + n),
                       _mm_add_epi32(_mm_load_si128(pos), first));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + n + 4),
                       _mm_add_epi32(_mm_load_si128(pos + 1), first));
      first = _mm_add_epi32(first, eight);
      n += kByteBits.count[v];
    }
  }
  return n == kBlockSize ? words + size_t{w} * 8 : nullptr;
#else
  return UnpackBitSetBlockScalar(p, end, start, out);
#endif
}

const char* OpenBitSetBlock(const char* p, const char* end, uint32_t start, const char** words,
                            uint32_t* n_words, uint32_t* last_doc) {
  const char* q = BitSetHeader(p, end, start, n_words, last_doc);
  if (q == nullptr) return nullptr;
  uint32_t set = 0;
  for (uint32_t i = 0; i < *n_words; ++i) set += std::popcount(DecodeFixed64(q + size_t{i} * 8));
  if (set != kBlockSize) return nullptr;
  *words = q;
  return q + size_t{*n_words} * 8;
}

const char* SkipDocBlock(const char* p, const char* end, bool bit_sets) {
  if (bit_sets && p != nullptr && p < end && static_cast<uint8_t>(*p) >= kBitSetMarker) {
    uint32_t w;
    const char* words = BitSetHeader(p, end, 0, &w);
    return words == nullptr ? nullptr : words + size_t{w} * 8;
  }
  return SkipBlockPFor(p, end);
}

}  // namespace scour::index
