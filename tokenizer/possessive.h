// English possessive stripping on a normalised term (after apostrophe folding), thread-safe:
// a trailing "'s" or "'" directly after a letter is removed ("jinping's" -> "jinping").
#ifndef SCOUR_TOKENIZER_POSSESSIVE_H_
#define SCOUR_TOKENIZER_POSSESSIVE_H_

#include <string_view>

namespace scour::tokenizer {

// Returns `term` without its possessive suffix (a prefix of `term`), or `term` unchanged.
std::string_view StripPossessive(std::string_view term);

}  // namespace scour::tokenizer

#endif  // SCOUR_TOKENIZER_POSSESSIVE_H_
