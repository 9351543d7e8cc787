#include "tokenizer/possessive.h"

#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace scour::tokenizer {
namespace {

// Whether the code point ending at term[end-1] is a letter (Alphabetic).
bool LetterEndsAt(std::string_view term, size_t end) {
  if (end == 0) return false;
  const unsigned char last = static_cast<unsigned char>(term[end - 1]);
  if (last < 0x80) return (static_cast<unsigned char>((last | 0x20) - 'a') < 26);
  int32_t i = static_cast<int32_t>(end);
  UChar32 c;
  U8_PREV(reinterpret_cast<const uint8_t*>(term.data()), 0, i, c);
  return c >= 0 && u_isalpha(c);
}

}  // namespace

std::string_view StripPossessive(std::string_view term) {
  const size_t n = term.size();
  if (n >= 3 && term[n - 1] == 's' && term[n - 2] == '\'' && LetterEndsAt(term, n - 2)) {
    return term.substr(0, n - 2);
  }
  if (n >= 2 && term[n - 1] == '\'' && LetterEndsAt(term, n - 1)) return term.substr(0, n - 1);
  return term;
}

}  // namespace scour::tokenizer
