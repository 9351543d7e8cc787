#include "tokenizer/stemmer.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/string_view.h"
#include "libstemmer.h"

namespace scour::tokenizer {

std::vector<std::string> Stemmer::Algorithms() {
  std::vector<std::string> names;
  for (const char** p = sb_stemmer_list(); *p != nullptr; ++p) names.emplace_back(*p);
  return names;
}

absl::StatusOr<std::unique_ptr<Stemmer>> Stemmer::Create(std::string_view language) {
  bool known = false;
  for (const std::string& name : Algorithms()) known |= name == language;
  // Only the listed names: libstemmer also accepts ISO codes, which we do not document.
  sb_stemmer* s = known ? sb_stemmer_new(std::string(language).c_str(), "UTF_8") : nullptr;
  if (s == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown language '", Av(language), "'; valid: none, ", absl::StrJoin(Algorithms(), ", ")));
  }
  return std::unique_ptr<Stemmer>(new Stemmer(s));
}

Stemmer::~Stemmer() { sb_stemmer_delete(stemmer_); }

std::string_view Stemmer::Snowball(std::string_view term) {
  const sb_symbol* r = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(term.data()),
                                       static_cast<int>(term.size()));
  if (r == nullptr) return term;  // allocation failure inside libstemmer
  return std::string_view(reinterpret_cast<const char*>(r),
                          static_cast<size_t>(sb_stemmer_length(stemmer_)));
}

std::string Stemmer::StemUncached(std::string_view term) { return std::string(Snowball(term)); }

namespace {

bool HasLetters(std::string_view term) {
  bool letters = false;
  for (char c : term) letters |= static_cast<unsigned char>(c) >= '@';
  return letters;
}

inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// Hash of a term of 1..kStemCacheMaxBytes bytes from fixed-size loads only (first, middle and
// last bytes, as wyhash does): no byte loop, no variable-length copy to stall on.
inline uint64_t TermHash(std::string_view t) {
  const char* p = t.data();
  const size_t n = t.size();
  uint64_t a, b;
  if (n >= 8) {
    a = Load64(p);
    b = Load64(p + n - 8);
    if (n > 16) b ^= Load64(p + n / 2 - 4) * 0xFF51AFD7ED558CCDull;
  } else if (n >= 4) {
    a = Load32(p);
    b = Load32(p + n - 4);
  } else {
    a = (uint64_t{static_cast<unsigned char>(p[0])} << 16) |
        (uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
        static_cast<unsigned char>(p[n - 1]);
    b = 0;
  }
  uint64_t h = (a ^ 0xC2B2AE3D27D4EB4Full) * (b ^ n ^ 0xD6E8FEB86659FD93ull);
  h ^= h >> 32;
  return h * 0x9E3779B97F4A7C15ull;
}

}  // namespace

std::string_view Stemmer::StemOnce(std::string_view term) {
  return HasLetters(term) ? Snowball(term) : term;
}

std::string_view Stemmer::Stem(std::string_view term) {
  if (!HasLetters(term)) return term;
  if (term.size() > kStemCacheMaxBytes) {
    scratch_ = StemUncached(term);
    return scratch_;
  }
  if (slots_ == nullptr) slots_.reset(new Slot[kStemCacheSlots]);
  Slot* set = &slots_[2 * ((TermHash(term) >> 32) & (kStemCacheSlots / 2 - 1))];
  for (int way = 0; way < 2; ++way) {
    const Slot& s = set[way];
    if (s.term_len == term.size() && std::memcmp(s.term, term.data(), term.size()) == 0) {
      return std::string_view(s.stem, s.stem_len);
    }
  }
  std::string stem = StemUncached(term);
  Slot& slot = set[0];
  if (stem.size() > sizeof(slot.stem)) {  // a stem longer than its term: not cached
    scratch_ = std::move(stem);
    return scratch_;
  }
  set[1] = set[0];
  slot.term_len = static_cast<uint8_t>(term.size());
  std::memcpy(slot.term, term.data(), term.size());
  slot.stem_len = static_cast<uint8_t>(stem.size());
  std::memcpy(slot.stem, stem.data(), stem.size());
  return std::string_view(slot.stem, slot.stem_len);
}

size_t Stemmer::cache_size() const {
  size_t n = 0;
  if (slots_ == nullptr) return 0;
  for (size_t i = 0; i < kStemCacheSlots; ++i) n += slots_[i].term_len != 0;
  return n;
}

}  // namespace scour::tokenizer
