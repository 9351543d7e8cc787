// Snowball stemming through libstemmer (UTF-8), with a bounded cache of recent stems.
// Not thread-safe (libstemmer's stemmer object and the cache are mutable): one per Analyzer.
#ifndef SCOUR_TOKENIZER_STEMMER_H_
#define SCOUR_TOKENIZER_STEMMER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

struct sb_stemmer;

namespace scour::tokenizer {

// The cache is emptied when it reaches this many entries (a simple bound: a document collection's
// frequent words come back within a few thousand tokens).
inline constexpr size_t kStemCacheMaxEntries = 64 * 1024;

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

  // Stems without the cache (reference for tests).
  std::string StemUncached(std::string_view term);

  size_t cache_size() const { return cache_.size(); }

  // libstemmer's algorithm names, in its order.
  static std::vector<std::string> Algorithms();

 private:
  explicit Stemmer(sb_stemmer* s) : stemmer_(s) {}
  sb_stemmer* stemmer_;
  absl::flat_hash_map<std::string, std::string> cache_;
};

}  // namespace scour::tokenizer

#endif  // SCOUR_TOKENIZER_STEMMER_H_
