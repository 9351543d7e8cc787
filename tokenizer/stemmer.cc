#include "tokenizer/stemmer.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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
    return absl::InvalidArgumentError(
        absl::StrCat("unknown language '", absl::string_view(language.data(), language.size()),
                     "'; valid: none, ", absl::StrJoin(Algorithms(), ", ")));
  }
  return std::unique_ptr<Stemmer>(new Stemmer(s));
}

Stemmer::~Stemmer() { sb_stemmer_delete(stemmer_); }

std::string Stemmer::StemUncached(std::string_view term) {
  const sb_symbol* r = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(term.data()),
                                       static_cast<int>(term.size()));
  if (r == nullptr) return std::string(term);  // allocation failure inside libstemmer
  return std::string(reinterpret_cast<const char*>(r),
                     static_cast<size_t>(sb_stemmer_length(stemmer_)));
}

std::string_view Stemmer::Stem(std::string_view term) {
  bool letters = false;
  for (char c : term) letters |= static_cast<unsigned char>(c) >= '@';
  if (!letters) return term;
  auto it = cache_.find(absl::string_view(term.data(), term.size()));
  if (it != cache_.end()) return it->second;
  if (cache_.size() >= kStemCacheMaxEntries) cache_.clear();
  auto ins = cache_.emplace(std::string(term), StemUncached(term));
  return ins.first->second;
}

}  // namespace scour::tokenizer
