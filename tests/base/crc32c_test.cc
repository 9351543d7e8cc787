#include "base/crc32c.h"

#include <random>
#include <string>

#include "gtest/gtest.h"

namespace scour::crc32c {
namespace {

TEST(Crc32c, KnownVectors) {
  // RFC 3720 (iSCSI) B.4 test vectors.
  std::string zeros(32, '\0');
  EXPECT_EQ(Value(zeros), 0x8a9136aaU);
  std::string ones(32, '\xff');
  EXPECT_EQ(Value(ones), 0x62a8ab43U);
  std::string inc(32, 0);
  for (int i = 0; i < 32; ++i) inc[i] = static_cast<char>(i);
  EXPECT_EQ(Value(inc), 0x46dd794eU);
  EXPECT_EQ(Value("123456789"), 0xe3069283U);
}

TEST(Crc32c, ExtendIsConcatenation) {
  std::string a = "hello, ", b = "world";
  EXPECT_EQ(Extend(Value(a), b.data(), b.size()), Value(a + b));
}

TEST(Crc32c, HardwareMatchesPortable) {
  std::mt19937 rng(42);
  for (int len = 0; len < 300; ++len) {
    std::string s(len, 0);
    for (auto& c : s) c = static_cast<char>(rng());
    for (size_t off = 0; off < 8 && off <= s.size(); ++off) {
      EXPECT_EQ(Extend(7, s.data() + off, s.size() - off),
                ExtendPortable(7, s.data() + off, s.size() - off));
    }
  }
}

}  // namespace
}  // namespace scour::crc32c
