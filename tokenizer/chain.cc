#include "tokenizer/chain.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "base/utf8.h"
#include "tokenizer/possessive.h"
#include "tokenizer/stopwords.h"

namespace scour::tokenizer {

absl::StatusOr<std::unique_ptr<AnalysisChain>> AnalysisChain::Create(const ChainOptions& options) {
  const std::string& lang = options.analyzer.language;
  std::unique_ptr<Stemmer> stemmer;
  if (lang != "none") {
    auto s = Stemmer::Create(lang);
    if (!s.ok()) return s.status();
    stemmer = std::move(s).value();
  }
  if (options.analyzer.stopwords && lang != "english" && lang != "porter" && lang != "none") {
    return absl::InvalidArgumentError(absl::StrCat(
        "stopwords are available for English only (language english, porter or none), not '", lang,
        "'"));
  }
  auto seg = WordSegmenter::Create(options.mode, options.icu_window_bytes);
  if (!seg.ok()) return seg.status();
  auto norm = TermNormalizer::Create(/*ascii_shortcut=*/options.mode != SegmentMode::kIcuOnly);
  if (!norm.ok()) return norm.status();
  return std::unique_ptr<AnalysisChain>(new AnalysisChain(
      options, std::move(seg).value(), std::move(norm).value(), std::move(stemmer)));
}

void AnalysisChain::EmitPiece(std::string_view text, uint32_t start, uint32_t end) {
  std::string_view term = normalizer_.Normalize(text.substr(start, end - start));
  term = StripPossessive(term);
  if (term.empty()) return;  // nothing left to index: no position either
  const uint32_t pos = position_++;
  // A stopword keeps its position, so phrase positions still count the words of the text.
  if (options_.analyzer.stopwords && IsEnglishStopword(term)) return;
  if (stem_ && stemmer_ != nullptr) term = NonEmpty(term, stemmer_->Stem(term));
  sink_(ctx_, term, pos, start, end);
}

absl::Status AnalysisChain::RunImpl(std::string_view text, RawSink sink, void* ctx,
                                    uint32_t first_position, bool stem) {
  if (text.size() > std::numeric_limits<uint32_t>::max()) {
    return absl::InvalidArgumentError(
        absl::StrCat("text of ", text.size(), " bytes exceeds the 4 GiB limit of token offsets"));
  }
  const Utf8Check check = CheckUtf8(text);
  if (!check.valid) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid UTF-8 at byte offset ", check.bad_offset));
  }
  sink_ = sink;
  ctx_ = ctx;
  position_ = first_position;
  stem_ = stem;
  return segmenter_.Segment(text, check.all_ascii, [&](const WordSpan* spans, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      uint32_t s = spans[i].start;
      const uint32_t e = spans[i].end;
      // Over-long tokens become pieces of at most kMaxTokenBytes bytes, cut at code points.
      while (e - s > Analyzer::kMaxTokenBytes) {
        uint32_t cut = s + Analyzer::kMaxTokenBytes;
        while (IsContinuationByte(text[cut])) --cut;
        EmitPiece(text, s, cut);
        s = cut;
      }
      EmitPiece(text, s, e);
    }
  });
}

}  // namespace scour::tokenizer
