// Word segmentation of valid UTF-8: the ASCII fast path on ASCII stretches, ICU elsewhere.
// Both paths give the same segments on ASCII text (tests/tokenizer/differential_test.cc).
// Not thread-safe (owns an IcuSegmenter).
#ifndef SCOUR_TOKENIZER_SEGMENTER_H_
#define SCOUR_TOKENIZER_SEGMENTER_H_

#include <memory>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tokenizer/icu_segmenter.h"
#include "tokenizer/word_span.h"

namespace scour::tokenizer {

enum class SegmentMode {
  kAuto,     // ASCII fast path wherever it is provably equivalent, ICU for the rest
  kIcuOnly,  // ICU for everything: the reference the fast path is tested against
};

class WordSegmenter {
 public:
  static absl::StatusOr<WordSegmenter> Create(SegmentMode mode,
                                              size_t icu_window_bytes = kDefaultIcuWindowBytes);

  // Sends the word spans of `text` (valid UTF-8, < 4 GiB) to `sink` in order. `all_ascii` may
  // be passed when the caller already knows (from validation) that text has no byte >= 0x80.
  absl::Status Segment(std::string_view text, bool all_ascii, SpanSink sink);

 private:
  WordSegmenter(SegmentMode mode, std::unique_ptr<IcuSegmenter> icu)
      : mode_(mode), icu_(std::move(icu)) {}
  void SegmentAsciiRange(std::string_view text, size_t from, size_t to, SpanSink sink);

  SegmentMode mode_;
  std::unique_ptr<IcuSegmenter> icu_;
};

}  // namespace scour::tokenizer

#endif  // SCOUR_TOKENIZER_SEGMENTER_H_
