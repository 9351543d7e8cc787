#include "tokenizer/normalizer.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "unicode/bytestream.h"

namespace scour::tokenizer {

bool AsciiLower(std::string_view s, std::string* out) {
  out->resize(s.size());
  unsigned char any = 0;
  char* o = out->data();
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    any |= c;
    o[i] = static_cast<char>(c + ((static_cast<unsigned char>(c - 'A') < 26) << 5));
  }
  return any < 0x80;
}

absl::StatusOr<TermNormalizer> TermNormalizer::Create(bool ascii_shortcut) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || n == nullptr) {
    return absl::InternalError(
        absl::StrCat("ICU NFKC_Casefold normalizer unavailable: ", u_errorName(status)));
  }
  return TermNormalizer(n, ascii_shortcut);
}

std::string_view TermNormalizer::Normalize(std::string_view token) {
  if (ascii_shortcut_) {
    // Most tokens are lower-case ASCII already: hand back the input untouched.
    unsigned char any = 0;
    bool upper = false;
    for (char ch : token) {
      const unsigned char c = static_cast<unsigned char>(ch);
      any |= c;
      upper |= static_cast<unsigned char>(c - 'A') < 26;
    }
    if (any < 0x80) {
      if (!upper) return token;
      AsciiLower(token, &buf_);
      return buf_;
    }
  }
  buf_.clear();
  UErrorCode status = U_ZERO_ERROR;
  icu::StringByteSink<std::string> sink(&buf_);
  nfkc_cf_->normalizeUTF8(0, icu::StringPiece(token.data(), static_cast<int32_t>(token.size())),
                          sink, nullptr, status);
  if (U_FAILURE(status)) {
    // Only on allocation failure: fall back to the token as written rather than dropping it.
    buf_.assign(token);
  }
  // U+2019 (E2 80 99) -> '\'' so that "Jinping’s" and "Jinping's" agree.
  size_t w = 0;
  for (size_t r = 0; r < buf_.size(); ++r) {
    if (buf_[r] == '\xE2' && r + 2 < buf_.size() && buf_[r + 1] == '\x80' &&
        buf_[r + 2] == '\x99') {
      buf_[w++] = '\'';
      r += 2;
    } else {
      buf_[w++] = buf_[r];
    }
  }
  buf_.resize(w);
  return buf_;
}

}  // namespace scour::tokenizer
