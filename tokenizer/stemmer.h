// Snowball stemming through libstemmer (UTF-8), with a bounded cache of recent stems.
// Not thread-safe (libstemmer's stemmer object and the cache are mutable): one per Analyzer.
#ifndef SCOUR_TOKENIZER_STEMMER_H_
#define SCOUR_TOKENIZER_STEMMER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

struct sb_stemmer;

namespace scour::tokenizer {

// The stem cache: two-way set-associative, kStemCacheSlots slots of one 64-byte cache line each
// (2 MiB), holding terms and stems of up to kStemCacheMaxBytes bytes inline; a new term goes to
// the first way of its set and pushes the previous one to the second, evicting that. No allocation
// after construction, and a hit touches one cache line (a map of strings would chase a pointer
// per key as well).
inline constexpr size_t kStemCacheSlots = 32 * 1024;
inline constexpr size_t kStemCacheMaxBytes = 30;

class Stemmer {
 public:
  // `language`: a name from sb_stemmer_list(). InvalidArgument (listing the names) otherwise.
  static absl::StatusOr<std::unique_ptr<Stemmer>> Create(std::string_view language);
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  // The stem of `term` (normalised UTF-8). Valid until the next call. Terms without any byte
  // >= '@' (digits and number punctuation only) are returned as they are: no stemmer alters them.
  std::string_view Stem(std::string_view term);

  // The same without the cache, for callers that stem each distinct word once (the index
  // builder), where a probe would miss anyway and only evict. Valid until the next call.
  std::string_view StemOnce(std::string_view term);

  // Stems without the cache (reference for tests).
  std::string StemUncached(std::string_view term);

  // Number of occupied cache slots (<= kStemCacheSlots).
  size_t cache_size() const;

  // libstemmer's algorithm names, in its order.
  static std::vector<std::string> Algorithms();

 private:
  struct alignas(64) Slot {
    uint8_t term_len = 0;  // 0: empty (terms are never empty)
    uint8_t stem_len = 0;
    char term[kStemCacheMaxBytes];
    char stem[kStemCacheMaxBytes + 2];
  };
  static_assert(sizeof(Slot) == 64);

  explicit Stemmer(sb_stemmer* s) : stemmer_(s) {}
  // libstemmer's stem of `term` (the term itself if libstemmer fails to allocate); valid until
  // the next call.
  std::string_view Snowball(std::string_view term);
  sb_stemmer* stemmer_;
  std::unique_ptr<Slot[]> slots_;  // allocated by the first Stem: a StemOnce user never needs it
  std::string scratch_;            // stems of terms too long for the cache
};

}  // namespace scour::tokenizer

#endif  // SCOUR_TOKENIZER_STEMMER_H_
