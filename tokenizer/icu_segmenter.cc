#include "tokenizer/icu_segmenter.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/utf8.h"
#include "unicode/locid.h"
#include "unicode/ubrk.h"

namespace scour::tokenizer {

absl::StatusOr<std::unique_ptr<IcuSegmenter>> IcuSegmenter::Create(size_t window_bytes) {
  std::unique_ptr<IcuSegmenter> s(
      new IcuSegmenter(std::clamp<size_t>(window_bytes, 16, size_t{1} << 30)));
  UErrorCode status = U_ZERO_ERROR;
  s->bi_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || s->bi_ == nullptr) {
    return absl::InternalError(
        absl::StrCat("ICU word BreakIterator unavailable: ", u_errorName(status)));
  }
  return s;
}

IcuSegmenter::~IcuSegmenter() { utext_close(&ut_); }

absl::Status IcuSegmenter::Segment(std::string_view text, size_t from, size_t to, SpanSink sink) {
  size_t s = from;
  while (s < to) {
    size_t w = window_bytes_;
    while (true) {
      size_t e = to;
      const bool last = to - s <= w;
      if (!last) {
        e = s + w;
        while (IsContinuationByte(text[e])) --e;
      }
      // Boundaries at or before `limit` are final; beyond it the window end may still matter
      // (a word cut in two, a dictionary choice seeing half a phrase).
      // ICU positions are int32_t: a window never grows past 1 GiB; at that size its end is
      // taken as a boundary (a segment longer than 1 GiB is split there).
      const bool forced = w >= (size_t{1} << 30);
      const size_t limit = last || forced ? e : e - std::min<size_t>(w / 4, 512);
      UErrorCode status = U_ZERO_ERROR;
      utext_openUTF8(&ut_, text.data() + s, static_cast<int64_t>(e - s), &status);
      bi_->setText(&ut_, status);
      if (U_FAILURE(status)) {
        return absl::InternalError(absl::StrCat("ICU setText failed: ", u_errorName(status)));
      }
      words_.clear();
      size_t cut = s;
      size_t words_before_cut = 0;
      int32_t prev = bi_->first();
      for (int32_t b = bi_->next(); b != icu::BreakIterator::DONE; prev = b, b = bi_->next()) {
        const size_t end = s + static_cast<size_t>(b);
        if (end > limit) break;
        if (bi_->getRuleStatus() >= UBRK_WORD_NONE_LIMIT) {
          words_.push_back(
              {static_cast<uint32_t>(s + static_cast<size_t>(prev)), static_cast<uint32_t>(end)});
        }
        cut = end;
        words_before_cut = words_.size();
      }
      if (cut > s || last) {
        if (words_before_cut > 0) sink(words_.data(), words_before_cut);
        s = last ? to : cut;
        break;
      }
      w *= 2;  // one segment covers [s, limit]: read a longer window
    }
  }
  return absl::OkStatus();
}

}  // namespace scour::tokenizer
