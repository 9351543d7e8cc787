#include <random>
#include <string>

#include "base/utf8.h"
#include "gtest/gtest.h"

namespace scour {
namespace {

// Reference: decode code point by code point, straight from the definition of UTF-8.
size_t ReferenceFindInvalid(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (int k = 1; k < len; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (d & 0x3F);
    }
    const uint32_t min_cp = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < min_cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return s.size();
}

TEST(Utf8Validate, MatchesReferenceOnRandomBytes) {
  std::mt19937 rng(42);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s;
    const int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) {
      const uint32_t r = rng() % 10;
      if (r < 5) {
        s.push_back(static_cast<char>('a' + rng() % 26));
      } else if (r < 8) {
        uint32_t cp;
        do {
          cp = rng() % 0x110000;
        } while (cp >= 0xD800 && cp <= 0xDFFF);
        AppendUtf8(cp, &s);
      } else {
        s.push_back(static_cast<char>(rng() & 0xFF));  // often invalid
      }
    }
    ASSERT_EQ(FindInvalidUtf8(s), ReferenceFindInvalid(s)) << "iteration " << iter;
  }
}

TEST(Utf8Validate, KnownBadSequences) {
  EXPECT_EQ(FindInvalidUtf8("abc\xC0\xAF"), 3u);         // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u);        // encoded surrogate
  EXPECT_EQ(FindInvalidUtf8("ok\xF4\x90\x80\x80"), 2u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("12345678\xE2\x82"), 8u);    // truncated at the end
  EXPECT_EQ(FindInvalidUtf8("\xE2\x82\xAC euro"), 8u);   // valid: the size
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80 \xE4\xB8\xAD"));
}

TEST(Utf8Validate, AppendRoundTripsAllScalarValues) {
  std::string s;
  for (uint32_t cp = 0; cp <= 0x10FFFF; cp += 7) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    s.clear();
    AppendUtf8(cp, &s);
    ASSERT_EQ(ReferenceFindInvalid(s), s.size()) << cp;
  }
}

TEST(Utf8Decode, RoundTripsEveryScalarValue) {
  std::string s;
  for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    s.assign("x");
    AppendUtf8(cp, &s);
    size_t len = 0;
    ASSERT_EQ(DecodeUtf8(s, 1, &len), cp);
    ASSERT_EQ(len, s.size() - 1) << cp;
  }
}

// Over any bytes, a decoding scan steps over exactly the sequences validation accepts and takes
// every other byte alone as U+FFFD.
TEST(Utf8Decode, IllFormedBytesDecodeAsReplacementOneByOne) {
  for (const char* bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\x80"}) {
    size_t len = 0;
    EXPECT_EQ(DecodeUtf8(bad, 0, &len), 0xFFFDu) << bad;  // overlong, surrogate, > U+10FFFF, ...
    EXPECT_EQ(len, 1u);
  }
  std::mt19937 rng(7);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s;
    const int n = 1 + static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) {
      if (rng() % 2) {
        s.push_back(static_cast<char>(rng() & 0xFF));
      } else {
        AppendUtf8(0x80 + rng() % 0x1000, &s);
      }
    }
    for (size_t i = 0; i < s.size();) {
      size_t len = 0;
      const uint32_t cp = DecodeUtf8(s, i, &len);
      const auto* p = reinterpret_cast<const unsigned char*>(s.data());
      if (p[i] < 0x80) {
        ASSERT_EQ(cp, p[i]);
        ASSERT_EQ(len, 1u);
      } else if (Utf8SequenceLength(p + i, p + s.size()) == 0) {
        ASSERT_EQ(cp, 0xFFFDu) << "iteration " << iter << " byte " << i;
        ASSERT_EQ(len, 1u);
      } else {
        ASSERT_EQ(len, Utf8SequenceLength(p + i, p + s.size()));
        std::string again;
        AppendUtf8(cp, &again);
        ASSERT_EQ(again, s.substr(i, len));
      }
      i += len;
    }
  }
}

}  // namespace
}  // namespace scour
