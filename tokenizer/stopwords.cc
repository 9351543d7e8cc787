#include "tokenizer/stopwords.h"

#include <algorithm>
#include <array>

namespace scour::tokenizer {
namespace {

// Sorted, for binary search; every word is 1-5 bytes.
constexpr std::array<std::string_view, 33> kEnglish = {
    "a",   "an",    "and",  "are",   "as",    "at",   "be",   "but", "by",  "for",  "if",
    "in",  "into",  "is",   "it",    "no",    "not",  "of",   "on",  "or",  "such", "that",
    "the", "their", "then", "there", "these", "they", "this", "to",  "was", "will", "with"};
static_assert(std::is_sorted(kEnglish.begin(), kEnglish.end()));

}  // namespace

bool IsEnglishStopword(std::string_view term) {
  if (term.size() > 5) return false;  // the common case, decided without a search
  return std::binary_search(kEnglish.begin(), kEnglish.end(), term);
}

std::span<const std::string_view> EnglishStopwords() { return kEnglish; }

}  // namespace scour::tokenizer
