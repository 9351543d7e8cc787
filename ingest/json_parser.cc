#include "ingest/json_parser.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/strings/str_format.h"
#include "base/string_view.h"
#include "base/utf8.h"

namespace scour::ingest {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighs = 0x8080808080808080ull;

// Nonzero iff one of the 8 bytes of w needs attention inside a string: '"', '\\', a control
// character (< 0x20) or a non-ASCII byte (UTF-8 to validate).
inline uint64_t StringSpecialMask(uint64_t w) {
  const uint64_t q = w ^ (kOnes * '"');
  const uint64_t b = w ^ (kOnes * '\\');
  const uint64_t has_quote = (q - kOnes) & ~q;
  const uint64_t has_backslash = (b - kOnes) & ~b;
  const uint64_t has_control = (w - kOnes * 0x20) & ~w;
  return (has_quote | has_backslash | has_control | w) & kHighs;
}

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at p (caller checked they are in bounds); -1 when one is not a hex digit.
inline int32_t Hex4(const char* p) {
  int32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const int h = HexValue(p[i]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool JsonObjectParser::Fail(const char* at, std::string message) {
  error_.offset = static_cast<size_t>(at - begin_);
  error_.invalid_utf8 = false;
  error_.message = std::move(message);
  return false;
}

bool JsonObjectParser::FailUnexpected() {
  if (p_ >= end_) return Fail(p_, "unexpected end of line");
  const auto c = static_cast<unsigned char>(*p_);
  if (c >= 0x80) {
    const auto* u = reinterpret_cast<const unsigned char*>(p_);
    if (Utf8SequenceLength(u, reinterpret_cast<const unsigned char*>(end_)) == 0) {
      Fail(p_, "invalid UTF-8");
      error_.invalid_utf8 = true;
      return false;
    }
    return Fail(p_, "unexpected non-ASCII character outside a string");
  }
  if (c < 0x20 || c == 0x7f) return Fail(p_, absl::StrFormat("unexpected byte 0x%02x", c));
  return Fail(p_, absl::StrFormat("unexpected '%c'", static_cast<char>(c)));
}

bool JsonObjectParser::Parse(std::string_view text, JsonMemberHandler* handler) {
  begin_ = p_ = text.data();
  end_ = text.data() + text.size();
  key_arena_.clear();
  keys_.clear();
  SkipWhitespace();
  if (p_ >= end_ || *p_ != '{') {
    if (p_ < end_ && static_cast<unsigned char>(*p_) < 0x80) {
      return Fail(p_, "expected '{': each line must be one JSON object");
    }
    return FailUnexpected();
  }
  if (!ParseObject(1, handler)) return false;
  SkipWhitespace();
  if (p_ != end_) return Fail(p_, "trailing characters after the object");
  return true;
}

bool JsonObjectParser::ScanString(const char** raw_begin, const char** raw_end, bool* escaped) {
  const char* p = p_ + 1;  // past the opening quote
  const char* const end = end_;
  bool esc = false;
  for (;;) {
#if defined(__SSE2__)
    // Sixteen bytes a step (SSE2 is part of x86-64): the same bytes as StringSpecialMask stop it.
    while (end - p >= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
      const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
      const __m128i control =  // unsigned v <= 0x1f
          _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
      const int mask =
          _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), _mm_or_si128(control, v)));
      if (mask != 0) {
        p += __builtin_ctz(static_cast<unsigned>(mask));
        break;
      }
      p += 16;
    }
#endif
    while (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (StringSpecialMask(w) != 0) break;
      p += 8;
    }
    if (p >= end) return Fail(p_, "unterminated string");
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"') break;
    if (c == '\\') {
      if (end - p < 2) return Fail(p, "unterminated string");
      switch (p[1]) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          p += 2;
          break;
        case 'u': {
          if (end - p < 6) return Fail(p, "truncated \\u escape");
          const int32_t cp = Hex4(p + 2);
          if (cp < 0) return Fail(p, "invalid \\u escape (expected 4 hex digits)");
          if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Fail(p, "lone low surrogate in \\u escape");
          }
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (end - p < 12 || p[6] != '\\' || p[7] != 'u') {
              return Fail(p, "high surrogate not followed by a low surrogate \\u escape");
            }
            const int32_t lo = Hex4(p + 8);
            if (lo < 0) return Fail(p + 6, "invalid \\u escape (expected 4 hex digits)");
            if (lo < 0xDC00 || lo > 0xDFFF) {
              return Fail(p, "high surrogate not followed by a low surrogate \\u escape");
            }
            p += 12;
          } else {
            p += 6;
          }
          break;
        }
        default:
          return Fail(p, "invalid escape in string");
      }
      esc = true;
      continue;
    }
    if (c < 0x20) {
      return Fail(p, absl::StrFormat("control character 0x%02x in string (must be escaped)", c));
    }
    if (c >= 0x80) {
      const size_t n = Utf8SequenceLength(reinterpret_cast<const unsigned char*>(p),
                                          reinterpret_cast<const unsigned char*>(end));
      if (n == 0) {
        Fail(p, "invalid UTF-8");
        error_.invalid_utf8 = true;
        return false;
      }
      p += n;
      continue;
    }
    ++p;  // an ordinary byte in the final (< 8 byte) stretch
  }
  *raw_begin = p_ + 1;
  *raw_end = p;
  *escaped = esc;
  p_ = p + 1;
  return true;
}

bool JsonObjectParser::ScanNumber() {
  const char* p = p_;
  if (p < end_ && *p == '-') ++p;
  if (p >= end_) return Fail(p, "unexpected end of line in number");
  if (*p == '0') {
    ++p;
  } else if (*p >= '1' && *p <= '9') {
    while (p < end_ && IsDigit(*p)) ++p;
  } else {
    return Fail(p, "invalid number");
  }
  if (p < end_ && *p == '.') {
    ++p;
    if (p >= end_ || !IsDigit(*p)) return Fail(p, "invalid number (digit expected after '.')");
    while (p < end_ && IsDigit(*p)) ++p;
  }
  if (p < end_ && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end_ && (*p == '+' || *p == '-')) ++p;
    if (p >= end_ || !IsDigit(*p)) return Fail(p, "invalid number (digit expected in exponent)");
    while (p < end_ && IsDigit(*p)) ++p;
  }
  p_ = p;
  return true;
}

bool JsonObjectParser::ScanLiteral(std::string_view word) {
  if (static_cast<size_t>(end_ - p_) < word.size() ||
      std::memcmp(p_, word.data(), word.size()) != 0) {
    return Fail(p_, absl::StrFormat("invalid literal (expected %s)", Av(word)));
  }
  p_ += word.size();
  return true;
}

bool JsonObjectParser::SkipValue(int depth) {
  if (p_ >= end_) return FailUnexpected();
  switch (*p_) {
    case '{':
      return ParseObject(depth + 1, nullptr);
    case '[':
      return ParseArray(depth + 1);
    case '"': {
      const char* b;
      const char* e;
      bool esc;
      return ScanString(&b, &e, &esc);
    }
    case 't':
      return ScanLiteral("true");
    case 'f':
      return ScanLiteral("false");
    case 'n':
      return ScanLiteral("null");
    default:
      if (*p_ == '-' || IsDigit(*p_)) return ScanNumber();
      return FailUnexpected();
  }
}

bool JsonObjectParser::ParseArray(int depth) {
  if (depth > kMaxDepth) return Fail(p_, absl::StrFormat("nesting deeper than %d", kMaxDepth));
  ++p_;  // '['
  SkipWhitespace();
  if (p_ < end_ && *p_ == ']') {
    ++p_;
    return true;
  }
  for (;;) {
    if (!SkipValue(depth)) return false;
    SkipWhitespace();
    if (p_ >= end_) return Fail(p_, "unterminated array");
    if (*p_ == ',') {
      ++p_;
      SkipWhitespace();
      continue;
    }
    if (*p_ == ']') {
      ++p_;
      return true;
    }
    if (static_cast<unsigned char>(*p_) >= 0x80) return FailUnexpected();
    return Fail(p_, "expected ',' or ']' in array");
  }
}

bool JsonObjectParser::ParseObject(int depth, JsonMemberHandler* handler) {
  if (depth > kMaxDepth) return Fail(p_, absl::StrFormat("nesting deeper than %d", kMaxDepth));
  ++p_;  // '{'
  const size_t key_base = keys_.size();
  const size_t arena_base = key_arena_.size();
  SkipWhitespace();
  if (p_ < end_ && *p_ == '}') {
    ++p_;
    return true;
  }
  for (;;) {
    if (p_ >= end_) return Fail(p_, "unterminated object");
    if (*p_ != '"') {
      const auto c = static_cast<unsigned char>(*p_);
      if (c >= 0x80 || c < 0x20 || c == 0x7f) return FailUnexpected();
      return Fail(p_, "expected a string key");
    }
    const char* key_pos = p_;
    const char* kb;
    const char* ke;
    bool esc;
    if (!ScanString(&kb, &ke, &esc)) return false;
    std::string_view key(kb, static_cast<size_t>(ke - kb));
    if (esc) {
      DecodeJsonString(key, &key_scratch_);
      key = key_scratch_;
    }
    keys_.push_back({static_cast<uint32_t>(key_arena_.size()), static_cast<uint32_t>(key.size()),
                     static_cast<uint32_t>(key_pos - begin_)});
    key_arena_.append(key);
    SkipWhitespace();
    if (p_ >= end_ || *p_ != ':') {
      if (p_ < end_ && static_cast<unsigned char>(*p_) >= 0x80) return FailUnexpected();
      return Fail(p_, "expected ':' after key");
    }
    ++p_;
    SkipWhitespace();
    if (handler != nullptr) {
      if (p_ >= end_) return FailUnexpected();
      JsonType type;
      switch (*p_) {
        case '{':
          type = JsonType::kObject;
          break;
        case '[':
          type = JsonType::kArray;
          break;
        case '"':
          type = JsonType::kString;
          break;
        case 't':
          type = JsonType::kTrue;
          break;
        case 'f':
          type = JsonType::kFalse;
          break;
        case 'n':
          type = JsonType::kNull;
          break;
        default:
          if (*p_ != '-' && !IsDigit(*p_)) return FailUnexpected();
          type = JsonType::kNumber;
      }
      std::string* dest = nullptr;
      handler_error_.clear();
      if (!handler->OnMember(key, type, &dest, &handler_error_)) {
        return Fail(p_, std::move(handler_error_));
      }
      if (dest != nullptr && type == JsonType::kString) {
        if (!ScanString(&kb, &ke, &esc)) return false;
        if (esc) {
          DecodeJsonString(std::string_view(kb, static_cast<size_t>(ke - kb)), dest);
        } else {
          dest->assign(kb, static_cast<size_t>(ke - kb));
        }
      } else if (!SkipValue(depth)) {
        return false;
      }
    } else if (!SkipValue(depth)) {
      return false;
    }
    SkipWhitespace();
    if (p_ >= end_) return Fail(p_, "unterminated object");
    if (*p_ == ',') {
      ++p_;
      SkipWhitespace();
      continue;
    }
    if (*p_ == '}') {
      ++p_;
      break;
    }
    if (static_cast<unsigned char>(*p_) >= 0x80) return FailUnexpected();
    return Fail(p_, "expected ',' or '}' in object");
  }
  if (!CheckDuplicateKeys(key_base)) return false;
  keys_.resize(key_base);
  key_arena_.resize(arena_base);
  return true;
}

bool JsonObjectParser::CheckDuplicateKeys(size_t base) {
  const size_t n = keys_.size() - base;
  if (n < 2) return true;
  auto key_of = [this](const KeyEntry& k) {
    return std::string_view(key_arena_.data() + k.offset, k.size);
  };
  // The reported duplicate is the earliest second occurrence, whichever method finds it.
  const KeyEntry* dup = nullptr;
  if (n <= 16) {
    for (size_t j = base + 1; j < keys_.size() && dup == nullptr; ++j) {
      for (size_t i = base; i < j; ++i) {
        if (key_of(keys_[i]) == key_of(keys_[j])) {
          dup = &keys_[j];
          break;
        }
      }
    }
  } else {
    // Many keys: sort instead of comparing all pairs (bounds the cost on hostile input).
    sort_scratch_.assign(keys_.begin() + static_cast<std::ptrdiff_t>(base), keys_.end());
    std::sort(sort_scratch_.begin(), sort_scratch_.end(),
              [&](const KeyEntry& a, const KeyEntry& b) {
                const auto ka = key_of(a), kb = key_of(b);
                return ka != kb ? ka < kb : a.pos < b.pos;
              });
    for (size_t i = 1; i < sort_scratch_.size(); ++i) {
      if (key_of(sort_scratch_[i]) == key_of(sort_scratch_[i - 1]) &&
          (i < 2 || key_of(sort_scratch_[i - 2]) != key_of(sort_scratch_[i])) &&
          (dup == nullptr || sort_scratch_[i].pos < dup->pos)) {
        dup = &sort_scratch_[i];
      }
    }
  }
  if (dup == nullptr) return true;
  return Fail(begin_ + dup->pos, absl::StrFormat("duplicate key \"%s\"", Av(key_of(*dup))));
}

void DecodeJsonString(std::string_view raw, std::string* out) {
  out->clear();
  const char* p = raw.data();
  const char* const end = p + raw.size();
  while (p < end) {
    const auto* bs = static_cast<const char*>(std::memchr(p, '\\', static_cast<size_t>(end - p)));
    if (bs == nullptr) {
      out->append(p, static_cast<size_t>(end - p));
      break;
    }
    out->append(p, static_cast<size_t>(bs - p));
    p = bs + 1;
    if (p >= end) break;  // not reached for validated input
    const char c = *p++;
    switch (c) {
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'u': {
        if (end - p < 4) return;
        uint32_t cp = static_cast<uint32_t>(Hex4(p));
        p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6) {
          const uint32_t lo = static_cast<uint32_t>(Hex4(p + 2));
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          p += 6;
        }
        AppendUtf8(cp, out);
        break;
      }
      default:  // '"', '\\', '/'
        out->push_back(c);
    }
  }
}

}  // namespace scour::ingest
