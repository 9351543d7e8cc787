// UAX #29 word segmentation with ICU's word BreakIterator over UTF-8 (UText, no UTF-16 copy of
// the input), in bounded windows so that time and memory stay linear on any input.
// Not thread-safe (owns a BreakIterator): one per Analyzer.
#ifndef SCOUR_TOKENIZER_ICU_SEGMENTER_H_
#define SCOUR_TOKENIZER_ICU_SEGMENTER_H_

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tokenizer/word_span.h"
#include "unicode/brkiter.h"
#include "unicode/utext.h"

namespace scour::tokenizer {

// ICU is handed at most this many bytes at once (more only while one segment is longer).
inline constexpr size_t kDefaultIcuWindowBytes = 32 * 1024;

class IcuSegmenter {
 public:
  // window_bytes is clamped to [16, 1 GiB]; small windows are for tests of the window seams.
  static absl::StatusOr<std::unique_ptr<IcuSegmenter>> Create(
      size_t window_bytes = kDefaultIcuWindowBytes);
  ~IcuSegmenter();
  IcuSegmenter(const IcuSegmenter&) = delete;
  IcuSegmenter& operator=(const IcuSegmenter&) = delete;

  // Sends the word segments (rule status >= UBRK_WORD_NONE_LIMIT) of text[from, to) to `sink`,
  // offsets relative to `text`. `text` must be valid UTF-8 and from/to code point boundaries.
  // A window that does not reach `to` keeps only the segments ending at least a margin before
  // its end; the next window starts at that boundary, so a cut word is re-read whole. When no
  // boundary falls before the margin (one huge segment), the window doubles: linear overall.
  absl::Status Segment(std::string_view text, size_t from, size_t to, SpanSink sink);

 private:
  explicit IcuSegmenter(size_t window_bytes) : window_bytes_(window_bytes) {}
  std::unique_ptr<icu::BreakIterator> bi_;
  UText ut_ = UTEXT_INITIALIZER;
  size_t window_bytes_;
  std::vector<WordSpan> words_;  // reused across windows: no allocation once warm
};

}  // namespace scour::tokenizer

#endif  // SCOUR_TOKENIZER_ICU_SEGMENTER_H_
