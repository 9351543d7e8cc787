// The analysis chain behind scour::Analyzer (internal): validate UTF-8, segment words, split
// over-long tokens, NFKC_Casefold + apostrophe folding, strip possessives, drop stopwords, stem.
// Not thread-safe: one per thread. Tests reach the ICU-only reference path through ChainOptions.
#ifndef SCOUR_TOKENIZER_CHAIN_H_
#define SCOUR_TOKENIZER_CHAIN_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scour/analyzer.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/segmenter.h"
#include "tokenizer/stemmer.h"

namespace scour::tokenizer {

struct ChainOptions {
  AnalyzerOptions analyzer;
  // kIcuOnly also turns off the ASCII lower-casing shortcut: the whole-ICU reference.
  SegmentMode mode = SegmentMode::kAuto;
  size_t icu_window_bytes = kDefaultIcuWindowBytes;
};

class AnalysisChain {
 public:
  using RawSink = void (*)(void* ctx, std::string_view term, uint32_t pos, uint32_t start,
                           uint32_t end);

  static absl::StatusOr<std::unique_ptr<AnalysisChain>> Create(const ChainOptions& options);

  // See Analyzer::ForEachToken. Validates all of `text` before the first sink call.
  absl::Status Run(std::string_view text, RawSink sink, void* ctx, uint32_t first_position) {
    return RunImpl(text, sink, ctx, first_position, /*stem=*/true);
  }
  // The same, but terms reach the sink before stemming (normalised, possessives stripped,
  // stopwords dropped); StemTerm(term) is what Run would have passed. Lets the index builder stem
  // each distinct word once per segment instead of probing a stem cache per token.
  absl::Status RunUnstemmed(std::string_view text, RawSink sink, void* ctx,
                            uint32_t first_position) {
    return RunImpl(text, sink, ctx, first_position, /*stem=*/false);
  }
  // Valid until the next call; may be called from within a RunUnstemmed sink. Does not use
  // the stem cache: a caller stems each distinct word once.
  std::string_view StemTerm(std::string_view term) {
    return stemmer_ == nullptr ? term : NonEmpty(term, stemmer_->StemOnce(term));
  }

  template <typename Sink>
  absl::Status ForEach(std::string_view text, Sink&& sink, uint32_t first_position = 0) {
    using S = std::remove_reference_t<Sink>;
    return Run(
        text,
        [](void* ctx, std::string_view term, uint32_t pos, uint32_t start, uint32_t end) {
          (*static_cast<S*>(ctx))(term, pos, start, end);
        },
        const_cast<void*>(static_cast<const void*>(&sink)), first_position);
  }

  const ChainOptions& options() const { return options_; }

 private:
  AnalysisChain(const ChainOptions& options, WordSegmenter segmenter, TermNormalizer normalizer,
                std::unique_ptr<Stemmer> stemmer)
      : options_(options),
        segmenter_(std::move(segmenter)),
        normalizer_(std::move(normalizer)),
        stemmer_(std::move(stemmer)) {}
  // Some Snowball algorithms stem a word to nothing (Porter: "s" -> ""); an empty term would
  // be unsearchable and break positions, so such a word keeps its unstemmed form.
  static std::string_view NonEmpty(std::string_view term, std::string_view stem) {
    return stem.empty() ? term : stem;
  }
  absl::Status RunImpl(std::string_view text, RawSink sink, void* ctx, uint32_t first_position,
                       bool stem);
  void EmitPiece(std::string_view text, uint32_t start, uint32_t end);

  ChainOptions options_;
  WordSegmenter segmenter_;
  TermNormalizer normalizer_;
  std::unique_ptr<Stemmer> stemmer_;  // null for language "none"
  // Per-Run state.
  RawSink sink_ = nullptr;
  void* ctx_ = nullptr;
  uint32_t position_ = 0;
  bool stem_ = true;
};

// The chain behind a public Analyzer (for the index builder, which needs RunUnstemmed).
AnalysisChain* ChainOf(Analyzer& analyzer);

}  // namespace scour::tokenizer

#endif  // SCOUR_TOKENIZER_CHAIN_H_
