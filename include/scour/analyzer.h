// The analysis chain: text -> tokens (term, position, byte offsets).
// ICU word segmentation (UAX #29), NFKC_Casefold, optional stopwords, Snowball stemming.
// An Analyzer is NOT thread-safe (it owns ICU iterators and a stem cache): use one per thread.
#ifndef SCOUR_ANALYZER_H_
#define SCOUR_ANALYZER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scour/export.h"

namespace scour {

struct AnalyzerOptions {
  // A libstemmer language name ("english", "german", "porter", ...) or "none".
  std::string language = "english";
  // Drop the language's stopwords (English only for now). Off by default, as in Lucene's
  // StandardAnalyzer since 8.0 and in the peers' set-up.
  bool stopwords = false;
};

struct Token {
  std::string term;   // analysed term, UTF-8
  uint32_t position;  // word index, consecutive from 0 within one Analyze call
  uint32_t start;     // byte offset of the token's first byte in the input
  uint32_t end;       // byte offset one past its last byte
};

class SCOUR_EXPORT Analyzer {
 public:
  // Fails with InvalidArgument for an unknown language (the message lists the valid names).
  static absl::StatusOr<Analyzer> Create(const AnalyzerOptions& options = {});

  Analyzer(Analyzer&&) noexcept;
  Analyzer& operator=(Analyzer&&) noexcept;
  ~Analyzer();

  // Appends the tokens of `text` to `out` (positions start at `first_position`).
  // Invalid UTF-8: InvalidArgument naming the byte offset; `out` is left as it was.
  absl::Status Analyze(std::string_view text, std::vector<Token>* out, uint32_t first_position = 0);

  // Calls sink(term, position, start, end) for every token, without building Token objects:
  // the indexing hot path. `term` is valid only during the call.
  template <typename Sink>
  absl::Status ForEachToken(std::string_view text, Sink&& sink, uint32_t first_position = 0);

  const AnalyzerOptions& options() const;

  // Names accepted by AnalyzerOptions::language.
  static std::vector<std::string> Languages();

  // Longest token, in bytes of the input: longer word segments are split into pieces of at most
  // this many bytes (cut at code point boundaries), each its own token and position.
  static constexpr uint32_t kMaxTokenBytes = 255;

 private:
  friend class InternalAccess;  // the library's own modules (not part of the API)
  struct Impl;
  explicit Analyzer(std::unique_ptr<Impl> impl);
  using RawSink = void (*)(void* ctx, std::string_view term, uint32_t pos, uint32_t start,
                           uint32_t end);
  absl::Status Run(std::string_view text, RawSink sink, void* ctx, uint32_t first_position);
  std::unique_ptr<Impl> impl_;
};

template <typename Sink>
absl::Status Analyzer::ForEachToken(std::string_view text, Sink&& sink, uint32_t first_position) {
  using S = std::remove_reference_t<Sink>;
  return Run(
      text,
      [](void* ctx, std::string_view term, uint32_t pos, uint32_t start, uint32_t end) {
        (*static_cast<S*>(ctx))(term, pos, start, end);
      },
      const_cast<void*>(static_cast<const void*>(&sink)), first_position);
}

}  // namespace scour

#endif  // SCOUR_ANALYZER_H_
