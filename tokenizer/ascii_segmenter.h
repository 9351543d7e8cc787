// Word segmentation of pure-ASCII text without ICU: UAX #29 restricted to ASCII, yielding exactly
// the word segments ICU 72's word BreakIterator marks with status >= UBRK_WORD_NONE_LIMIT.
// Stateless, thread-safe. Rules and their derivation: docs/ANALYSIS.md, "ASCII fast path".
#ifndef SCOUR_TOKENIZER_ASCII_SEGMENTER_H_
#define SCOUR_TOKENIZER_ASCII_SEGMENTER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>  // SSE2 is part of x86-64 itself: no runtime dispatch needed
#endif

namespace scour::tokenizer {

// Word_Break classes of the ASCII range as ICU 72 assigns them (only the ones that matter).
enum AsciiClass : uint8_t {
  kAsciiOther = 0,
  kAsciiLetter = 1,      // ALetter: A-Z a-z, and '@' (ICU adds it to ALetter)
  kAsciiDigit = 2,       // Numeric: 0-9
  kAsciiUnderscore = 4,  // ExtendNumLet: _
  kAsciiMidNumLet = 8,   // MidNumLet . and Single_Quote ' (joins letters and joins digits)
  kAsciiMidNum = 16,     // MidNum , ; (joins digits only). ICU 72 drops ':' from MidLetter.
};
inline constexpr uint8_t kAsciiWordChar = kAsciiLetter | kAsciiDigit | kAsciiUnderscore;

inline constexpr std::array<uint8_t, 256> MakeAsciiClassTable() {
  std::array<uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kAsciiLetter;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kAsciiLetter;
  t['@'] = kAsciiLetter;
  for (int c = '0'; c <= '9'; ++c) t[c] = kAsciiDigit;
  t['_'] = kAsciiUnderscore;
  t['.'] = kAsciiMidNumLet;
  t['\''] = kAsciiMidNumLet;
  t[','] = kAsciiMidNum;
  t[';'] = kAsciiMidNum;
  return t;
}
inline constexpr std::array<uint8_t, 256> kAsciiClass = MakeAsciiClassTable();

// Calls emit(start, end) (offsets into `text`) for every word segment of text[from, to), which
// must be ASCII. Segments are maximal runs of letters, digits and '_' (WB5, WB8-WB10, WB13a/b),
// extended across one '.' or '\'' between two letters (WB6/WB7) and across one '.', '\'', ','
// or ';' between two digits (WB11/WB12). A lone '_' is not a word (ICU status 0); "__" is.
// The byte-at-a-time reference; SegmentAscii below must give exactly the same segments.
template <typename Emit>
inline void SegmentAsciiScalar(std::string_view text, size_t from, size_t to, Emit&& emit) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = from;
  while (true) {
    while (i < to && !(kAsciiClass[p[i]] & kAsciiWordChar)) ++i;
    if (i >= to) return;
    const size_t start = i;
    while (true) {
      while (i < to && (kAsciiClass[p[i]] & kAsciiWordChar)) ++i;
      if (i + 1 >= to) break;
      // p[i] is not a word char; join "x MID y" when the classes of x, MID and y allow it.
      const uint8_t mid = kAsciiClass[p[i]];
      const uint8_t prev = kAsciiClass[p[i - 1]];
      const uint8_t next = kAsciiClass[p[i + 1]];
      const bool letters = (prev & next & kAsciiLetter) && (mid & kAsciiMidNumLet);
      const bool digits = (prev & next & kAsciiDigit) && (mid & (kAsciiMidNumLet | kAsciiMidNum));
      if (!(letters | digits)) break;
      i += 2;
    }
    if (i - start >= 2 || p[start] != '_') emit(start, i);
  }
}

// Bit i of block k = whether text[from + 64k + i] is a word char (letter, digit, '_', '@');
// bits past `to` are 0. Computed 64 bytes at a time with SSE2 where available, so that finding
// a token's start and end is a count-trailing-zeros instead of a mispredicted loop exit.
class WordCharBits {
 public:
  WordCharBits(const unsigned char* p, size_t from, size_t to) : p_(p), from_(from), to_(to) {}

  // First offset >= i whose bit is `want`, or `to`.
  template <bool kWant>
  size_t Next(size_t i) {
    size_t off = i - from_;
    size_t k = off >> 6;
    uint64_t m = (kWant ? Block(k) : ~Block(k)) & (~uint64_t{0} << (off & 63));
    while (m == 0) {
      ++k;
      if (from_ + (k << 6) >= to_) return to_;
      m = kWant ? Block(k) : ~Block(k);
    }
    const size_t r = from_ + (k << 6) + static_cast<size_t>(__builtin_ctzll(m));
    return r < to_ ? r : to_;
  }

 private:
  uint64_t Block(size_t k) {
    if (k != cached_k_) {
      cached_k_ = k;
      cached_ = Compute(from_ + (k << 6));
    }
    return cached_;
  }
  uint64_t Compute(size_t base) const {
    if (base + 64 > to_) {  // the tail: one byte at a time
      uint64_t m = 0;
      for (size_t i = base; i < to_; ++i) {
        m |= uint64_t{(kAsciiClass[p_[i]] & kAsciiWordChar) != 0} << (i - base);
      }
      return m;
    }
#if defined(__SSE2__)
    uint64_t m = 0;
    for (int j = 0; j < 4; ++j) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_ + base + 16 * j));
      // Unsigned range checks via the signed-compare offset trick (input bytes are < 0x80).
      const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
      const __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(lower, _mm_set1_epi8(0x80 - 'a')),
                                            _mm_set1_epi8(static_cast<char>(-128 + 26)));
      const __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(0x80 - '0')),
                                           _mm_set1_epi8(static_cast<char>(-128 + 10)));
      const __m128i under = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
      const __m128i at = _mm_cmpeq_epi8(v, _mm_set1_epi8('@'));
      const __m128i word = _mm_or_si128(_mm_or_si128(letter, digit), _mm_or_si128(under, at));
      m |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(word))} << (16 * j);
    }
    return m;
#else
    uint64_t m = 0;
    for (size_t i = 0; i < 64; ++i) {
      m |= uint64_t{(kAsciiClass[p_[base + i]] & kAsciiWordChar) != 0} << i;
    }
    return m;
#endif
  }

  const unsigned char* p_;
  size_t from_, to_;
  size_t cached_k_ = ~size_t{0};
  uint64_t cached_ = 0;
};

// Same contract and result as SegmentAsciiScalar, scanning with WordCharBits.
template <typename Emit>
inline void SegmentAscii(std::string_view text, size_t from, size_t to, Emit&& emit) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  WordCharBits bits(p, from, to);
  size_t i = from;
  while (true) {
    i = bits.Next<true>(i);
    if (i >= to) return;
    const size_t start = i;
    while (true) {
      i = bits.Next<false>(i);
      if (i + 1 >= to) break;
      const uint8_t mid = kAsciiClass[p[i]];
      const uint8_t prev = kAsciiClass[p[i - 1]];
      const uint8_t next = kAsciiClass[p[i + 1]];
      const bool letters = (prev & next & kAsciiLetter) && (mid & kAsciiMidNumLet);
      const bool digits = (prev & next & kAsciiDigit) && (mid & (kAsciiMidNumLet | kAsciiMidNum));
      if (!(letters | digits)) break;
      i += 2;
    }
    if (i - start >= 2 || p[start] != '_') emit(start, i);
  }
}

}  // namespace scour::tokenizer

#endif  // SCOUR_TOKENIZER_ASCII_SEGMENTER_H_
