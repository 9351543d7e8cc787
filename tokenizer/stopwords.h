// The English stopword list (Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, 33 words),
// matched against normalised terms before stemming. Thread-safe (immutable).
#ifndef SCOUR_TOKENIZER_STOPWORDS_H_
#define SCOUR_TOKENIZER_STOPWORDS_H_

#include <span>
#include <string_view>

namespace scour::tokenizer {

bool IsEnglishStopword(std::string_view term);
std::span<const std::string_view> EnglishStopwords();

}  // namespace scour::tokenizer

#endif  // SCOUR_TOKENIZER_STOPWORDS_H_
