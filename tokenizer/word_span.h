// A word segment found by a segmenter: byte offsets into the analysed text (internal, POD).
#ifndef SCOUR_TOKENIZER_WORD_SPAN_H_
#define SCOUR_TOKENIZER_WORD_SPAN_H_

#include <cstdint>

#include "absl/functional/function_ref.h"

namespace scour::tokenizer {

struct WordSpan {
  uint32_t start;  // first byte
  uint32_t end;    // one past the last byte
  friend bool operator==(const WordSpan&, const WordSpan&) = default;
};

// Receives word spans in text order, a batch at a time (the batch is valid only during the call).
using SpanSink = absl::FunctionRef<void(const WordSpan* spans, size_t n)>;

}  // namespace scour::tokenizer

#endif  // SCOUR_TOKENIZER_WORD_SPAN_H_
