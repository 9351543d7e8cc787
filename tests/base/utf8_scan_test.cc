// CheckUtf8 and FindNonAscii against simple references (ICU's U8_NEXT) on random bytes.
#include <random>
#include <string>

#include "base/utf8.h"
#include "gtest/gtest.h"
#include "unicode/utf8.h"

namespace scour {
namespace {

// Offset of the first ill-formed sequence by ICU's decoder, or npos.
size_t ReferenceBadOffset(const std::string& s) {
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(s.size());
  while (i < n) {
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, n, c);
    if (c < 0) return static_cast<size_t>(at);
  }
  return std::string::npos;
}

TEST(Utf8Scan, MatchesIcuDecoderOnRandomBytes) {
  std::mt19937 rng(42);
  const std::string pieces[] = {"a",
                                "Z",
                                " ",
                                "é",
                                "’",
                                "天",
                                "😀",
                                "\x80",
                                "\xbf",
                                "\xc0",
                                "\xc2",
                                "\xe0",
                                "\xed",
                                "\xf0",
                                "\xf4",
                                "\xf5",
                                "\xff",
                                "\xe0\xa0",
                                "\xed\xa0\x80",
                                "\xf4\x90\x80\x80"};
  for (int iter = 0; iter < 50000; ++iter) {
    std::string s;
    const int len = rng() % 12;
    for (int i = 0; i < len; ++i) {
      // Mostly valid text with long ASCII runs, so the eight-byte skipping is exercised too.
      const uint32_t r = rng() % 10;
      if (r < 3) s += std::string(rng() % 20, 'x');
      s += pieces[r < 6 ? rng() % 7 : rng() % std::size(pieces)];
    }
    const Utf8Check c = CheckUtf8(s);
    const size_t ref = ReferenceBadOffset(s);
    ASSERT_EQ(c.valid, ref == std::string::npos) << s;
    if (!c.valid) {
      ASSERT_EQ(c.bad_offset, ref) << s;
    }
    bool ascii = true;
    for (char ch : s) ascii &= static_cast<unsigned char>(ch) < 0x80;
    if (c.valid) {
      ASSERT_EQ(c.all_ascii, ascii);
    }
    for (size_t from = 0; from <= s.size(); ++from) {
      size_t expect = from;
      while (expect < s.size() && static_cast<unsigned char>(s[expect]) < 0x80) ++expect;
      ASSERT_EQ(FindNonAscii(s, from), expect);
    }
  }
}

TEST(Utf8Scan, EmptyIsValidAscii) {
  const Utf8Check c = CheckUtf8("");
  EXPECT_TRUE(c.valid);
  EXPECT_TRUE(c.all_ascii);
}

}  // namespace
}  // namespace scour
