// Word segmentation of pure-ASCII text without ICU: UAX #29 restricted to ASCII, yielding exactly
// the word segments ICU 72's word BreakIterator marks with status >= UBRK_WORD_NONE_LIMIT.
// Stateless, thread-safe. Rules and their derivation: docs/ANALYSIS.md, "ASCII fast path".
#ifndef SCOUR_TOKENIZER_ASCII_SEGMENTER_H_
#define SCOUR_TOKENIZER_ASCII_SEGMENTER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

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
template <typename Emit>
inline void SegmentAscii(std::string_view text, size_t from, size_t to, Emit&& emit) {
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

}  // namespace scour::tokenizer

#endif  // SCOUR_TOKENIZER_ASCII_SEGMENTER_H_
