#include "tokenizer/segmenter.h"

#include "base/utf8.h"
#include "tokenizer/ascii_segmenter.h"

namespace scour::tokenizer {
namespace {

// An ASCII stretch shorter than this between two non-ASCII characters goes to ICU with them:
// one ICU call costs about as much as segmenting this many bytes.
constexpr size_t kMinAsciiStretch = 64;

inline bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A safe cut is an offset i with text[i-1] an ASCII space/tab/CR/LF and text[i] ASCII. No UAX
// #29 rule joins anything across it (WB3d only joins spaces, WB4 only attaches Extend/Format/ZWJ,
// which are not ASCII; the two-character look-behind of WB7/WB11 sees a space), and a space is
// never inside a word, so segmenting both sides separately yields the same words.
inline bool IsSafeCut(std::string_view t, size_t i) {
  return IsAsciiSpace(t[i - 1]) && static_cast<unsigned char>(t[i]) < 0x80;
}

}  // namespace

absl::StatusOr<WordSegmenter> WordSegmenter::Create(SegmentMode mode, size_t icu_window_bytes) {
  auto icu = IcuSegmenter::Create(icu_window_bytes);
  if (!icu.ok()) return icu.status();
  return WordSegmenter(mode, std::move(icu).value());
}

void WordSegmenter::SegmentAsciiRange(std::string_view text, size_t from, size_t to,
                                      SpanSink sink) {
  constexpr size_t kBatch = 256;
  WordSpan batch[kBatch];
  size_t n = 0;
  SegmentAscii(text, from, to, [&](size_t s, size_t e) {
    batch[n++] = {static_cast<uint32_t>(s), static_cast<uint32_t>(e)};
    if (n == kBatch) {
      sink(batch, n);
      n = 0;
    }
  });
  if (n > 0) sink(batch, n);
}

absl::Status WordSegmenter::Segment(std::string_view text, bool all_ascii, SpanSink sink) {
  const size_t n = text.size();
  if (mode_ == SegmentMode::kIcuOnly) return icu_->Segment(text, 0, n, sink);
  if (all_ascii) {
    SegmentAsciiRange(text, 0, n, sink);
    return absl::OkStatus();
  }
  size_t pos = 0;
  while (pos < n) {
    const size_t q = FindNonAscii(text, pos);
    if (q == n) {
      SegmentAsciiRange(text, pos, n, sink);
      break;
    }
    // ICU starts at the last safe cut before the first non-ASCII byte...
    size_t c = q;
    while (c > pos && !IsSafeCut(text, c)) --c;
    if (c > pos) SegmentAsciiRange(text, pos, c, sink);
    // ...and ends at the first safe cut after the last non-ASCII byte that is followed by a
    // long enough ASCII stretch (or at the end of the text).
    size_t r = q;
    size_t p = n;
    while (true) {
      size_t i = r + 1;
      while (i < n && !IsSafeCut(text, i)) ++i;
      if (i >= n) break;
      const size_t next = FindNonAscii(text, i);
      if (next == n || next - i >= kMinAsciiStretch) {
        p = i;
        break;
      }
      r = next;
    }
    auto st = icu_->Segment(text, c, p, sink);
    if (!st.ok()) return st;
    pos = p;
  }
  return absl::OkStatus();
}

}  // namespace scour::tokenizer
