#include "index/postings/bitpack.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "base/coding.h"
#include "gtest/gtest.h"

namespace scour::index {
namespace {

// Independent bit-by-bit reading of the documented layout (docs/format/block-codec.md): value
// i is in lane i%4 at bit (i/4)*b of that lane's bit stream; 32-bit word k of lane l is at
// byte 1 + 16*k + 4*l, little-endian.
uint32_t ReferenceValue(const std::string& block, size_t i) {
  const uint32_t b = static_cast<uint8_t>(block[0]);
  uint32_t v = 0;
  for (uint32_t t = 0; t < b; ++t) {
    const size_t bit = (i / 4) * b + t;  // bit index inside the lane stream
    const size_t byte = 1 + 16 * (bit / 32) + 4 * (i % 4) + (bit % 32) / 8;
    if ((static_cast<uint8_t>(block[byte]) >> (bit % 8)) & 1) v |= uint32_t{1} << t;
  }
  return v;
}

// 128 random values whose maximum needs exactly `bits` bits.
std::vector<uint32_t> RandomBlock(std::mt19937& rng, uint32_t bits) {
  std::vector<uint32_t> v(kBlockSize);
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  for (auto& x : v) x = static_cast<uint32_t>(rng() & mask);
  if (bits > 0) v[rng() % kBlockSize] |= uint32_t{1} << (bits - 1);
  return v;
}

uint32_t ReferenceMaxBits(const std::vector<uint32_t>& v) {
  uint32_t m = 0;
  for (uint32_t x : v) m = std::max(m, x);
  uint32_t b = 0;
  while (b < 32 && (uint64_t{1} << b) <= m) ++b;
  return b;
}

// Copies to a heap buffer of exactly the given size so ASan catches any read past `end`.
std::vector<char> Exact(const std::string& s, size_t n) {
  return std::vector<char>(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(n));
}

TEST(Bitpack, EveryWidthRoundTripsAndMatchesLayout) {
  std::mt19937 rng(7);
  for (uint32_t bits = 0; bits <= 32; ++bits) {
    for (int rep = 0; rep < 20; ++rep) {
      std::vector<uint32_t> in = RandomBlock(rng, bits);
      ASSERT_EQ(MaxBits(in.data(), in.size()), bits);
      std::string packed = "prefix";
      PackBlock(in.data(), &packed);
      packed.erase(0, 6);
      ASSERT_EQ(packed.size(), PackedBlockSize(bits)) << bits;
      ASSERT_EQ(static_cast<uint8_t>(packed[0]), bits);
      for (size_t i = 0; i < kBlockSize; ++i) {
        ASSERT_EQ(ReferenceValue(packed, i), in[i]) << "bits " << bits << " i " << i;
      }
      std::vector<char> buf = Exact(packed, packed.size());
      const char* end = buf.data() + buf.size();
      uint32_t fast[kBlockSize], scalar[kBlockSize];
      std::memset(fast, 0xAB, sizeof(fast));
      std::memset(scalar, 0xCD, sizeof(scalar));
      EXPECT_EQ(UnpackBlock(buf.data(), end, fast), end) << bits;
      EXPECT_EQ(UnpackBlockScalar(buf.data(), end, scalar), end) << bits;
      EXPECT_EQ(SkipBlock(buf.data(), end), end);
      for (size_t i = 0; i < kBlockSize; ++i) {
        ASSERT_EQ(fast[i], in[i]) << "simd, bits " << bits << " i " << i;
        ASSERT_EQ(scalar[i], in[i]) << "scalar, bits " << bits << " i " << i;
      }
    }
  }
}

TEST(Bitpack, ConsecutiveBlocksDecodeInSequence) {
  std::mt19937 rng(11);
  std::vector<std::vector<uint32_t>> blocks;
  std::string packed;
  for (uint32_t bits : {3u, 0u, 32u, 17u, 1u}) {
    blocks.push_back(RandomBlock(rng, bits));
    PackBlock(blocks.back().data(), &packed);
  }
  const char* p = packed.data();
  const char* end = p + packed.size();
  for (const auto& want : blocks) {
    uint32_t out[kBlockSize];
    p = UnpackBlock(p, end, out);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(std::vector<uint32_t>(out, out + kBlockSize), want);
  }
  EXPECT_EQ(p, end);
}

TEST(Bitpack, MaxBitsMatchesReference) {
  std::mt19937 rng(3);
  for (int rep = 0; rep < 2000; ++rep) {
    std::vector<uint32_t> v(rng() % 200);
    const uint32_t shift = rng() % 33;
    for (auto& x : v) x = shift == 32 ? 0 : static_cast<uint32_t>(rng()) >> shift;
    EXPECT_EQ(MaxBits(v.data(), v.size()), ReferenceMaxBits(v));
  }
}

TEST(Bitpack, TruncatedOrCorruptInputRejected) {
  std::mt19937 rng(5);
  for (uint32_t bits = 0; bits <= 32; ++bits) {
    std::string packed;
    PackBlock(RandomBlock(rng, bits).data(), &packed);
    for (size_t len = 0; len < packed.size(); ++len) {
      std::vector<char> buf = Exact(packed, len);
      uint32_t out[kBlockSize];
      const char* end = buf.data() + buf.size();
      EXPECT_EQ(UnpackBlock(buf.data(), end, out), nullptr) << bits << " " << len;
      EXPECT_EQ(UnpackBlockScalar(buf.data(), end, out), nullptr) << bits << " " << len;
      EXPECT_EQ(SkipBlock(buf.data(), end), nullptr);
    }
  }
  // Width bytes above 32 are corruption, even with plenty of bytes after them.
  for (int w = 33; w < 256; ++w) {
    std::string bad(1 + 16 * 256, '\0');
    bad[0] = static_cast<char>(w);
    uint32_t out[kBlockSize];
    EXPECT_EQ(UnpackBlock(bad.data(), bad.data() + bad.size(), out), nullptr) << w;
    EXPECT_EQ(UnpackBlockScalar(bad.data(), bad.data() + bad.size(), out), nullptr) << w;
    EXPECT_EQ(SkipBlock(bad.data(), bad.data() + bad.size()), nullptr) << w;
  }
}

TEST(Bitpack, SimdMatchesScalarOnArbitraryBytes) {
  // Not produced by PackBlock: any well-sized block decodes the same on both paths.
  std::mt19937 rng(13);
  for (int rep = 0; rep < 500; ++rep) {
    const uint32_t bits = rng() % 33;
    std::string block(PackedBlockSize(bits), '\0');
    block[0] = static_cast<char>(bits);
    for (size_t i = 1; i < block.size(); ++i) block[i] = static_cast<char>(rng());
    uint32_t a[kBlockSize], b[kBlockSize];
    const char* end = block.data() + block.size();
    ASSERT_EQ(UnpackBlock(block.data(), end, a), end);
    ASSERT_EQ(UnpackBlockScalar(block.data(), end, b), end);
    for (size_t i = 0; i < kBlockSize; ++i) {
      ASSERT_EQ(a[i], b[i]) << bits << " " << i;
      ASSERT_EQ(a[i], ReferenceValue(block, i));
    }
  }
}

TEST(Bitpack, PrefixSumMatchesScalarAndInvertsDelta) {
  std::mt19937 rng(17);
  for (int rep = 0; rep < 500; ++rep) {
    const size_t n = rng() % 300;
    const uint32_t base = static_cast<uint32_t>(rng());
    std::vector<uint32_t> sorted(n);
    uint32_t acc = base;
    for (auto& x : sorted) x = acc += static_cast<uint32_t>(rng() % 1000);
    std::vector<uint32_t> d = sorted;
    DeltaEncode(d.data(), n, base);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(d[i], sorted[i] - (i == 0 ? base : sorted[i - 1]));
    }
    std::vector<uint32_t> fast = d, scalar = d, sse2 = d;
    PrefixSum(fast.data(), n, base);
    PrefixSumScalar(scalar.data(), n, base);
    PrefixSumSse2(sse2.data(), n, base);
    EXPECT_EQ(fast, sorted) << n;
    EXPECT_EQ(scalar, sorted) << n;
    EXPECT_EQ(sse2, sorted) << n;
#if defined(__x86_64__)
    if (PrefixSumAvx2Available()) {
      std::vector<uint32_t> avx2 = d;
      PrefixSumAvx2(avx2.data(), n, base);
      EXPECT_EQ(avx2, sorted) << n;
    }
#endif
    // Wrap-around arithmetic on arbitrary values agrees too.
    std::vector<uint32_t> r(n);
    for (auto& x : r) x = static_cast<uint32_t>(rng());
    std::vector<uint32_t> r2 = r, r3 = r;
    PrefixSum(r.data(), n, base);
    PrefixSumScalar(r2.data(), n, base);
    PrefixSumSse2(r3.data(), n, base);
    EXPECT_EQ(r, r2);
    EXPECT_EQ(r3, r2);
  }
}

TEST(Bitpack, TailRoundTripAndTruncation) {
  std::mt19937 rng(19);
  for (size_t n = 0; n < kBlockSize; ++n) {
    std::vector<uint32_t> in(n);
    for (auto& x : in) x = static_cast<uint32_t>(rng()) >> (rng() % 32);
    if (n > 0) in[0] = UINT32_MAX;
    std::string packed;
    PackTail(in.data(), n, &packed);
    std::vector<char> buf = Exact(packed, packed.size());
    std::vector<uint32_t> out(n + 1, 12345);
    const char* end = buf.data() + buf.size();
    ASSERT_EQ(UnpackTail(buf.data(), end, out.data(), n), end);
    EXPECT_EQ(std::vector<uint32_t>(out.begin(), out.begin() + n), in);
    EXPECT_EQ(out[n], 12345u);  // writes exactly n values
    for (size_t len = 0; len < packed.size(); ++len) {
      std::vector<char> cut = Exact(packed, len);
      EXPECT_EQ(UnpackTail(cut.data(), cut.data() + cut.size(), out.data(), n), nullptr);
    }
  }
  // A varint above 32 bits is corruption.
  std::string big = "\xff\xff\xff\xff\x7f";
  uint32_t v;
  EXPECT_EQ(UnpackTail(big.data(), big.data() + big.size(), &v, 1), nullptr);
}

// Format 6's short tails: gap and "tf = 1" in one varint, tf - 2 after it; every value of either
// at its edges round-trips, every cut is refused, and overflowing values are corruption.
TEST(Bitpack, ShortTailRoundTripAndTruncation) {
  std::mt19937 rng(23);
  for (int trial = 0; trial < 2000; ++trial) {
    const size_t n = 1 + trial % (kTailPackMin - 1);
    std::vector<uint32_t> gaps(n), tfs(n);
    for (size_t i = 0; i < n; ++i) {
      gaps[i] = static_cast<uint32_t>(rng()) >> (rng() % 32);
      tfs[i] = rng() % 2 ? 1 : 1 + (static_cast<uint32_t>(rng()) >> (rng() % 32));
      if (tfs[i] == 0) tfs[i] = 1;
    }
    if (trial == 0) gaps[0] = UINT32_MAX, tfs[0] = UINT32_MAX;
    std::string packed;
    PackShortTail(gaps.data(), tfs.data(), n, &packed);
    size_t want = 0;  // the documented size
    for (size_t i = 0; i < n; ++i)
      want += VarintLength(uint64_t{gaps[i]} << 1) + (tfs[i] == 1 ? 0 : VarintLength(tfs[i] - 2));
    EXPECT_EQ(packed.size(), want);
    std::vector<char> buf = Exact(packed, packed.size());
    std::vector<uint32_t> g(n + 1, 777), t(n + 1, 777);
    const char* end = buf.data() + buf.size();
    ASSERT_EQ(UnpackShortTail(buf.data(), end, g.data(), t.data(), n), end);
    EXPECT_EQ(std::vector<uint32_t>(g.begin(), g.begin() + n), gaps);
    EXPECT_EQ(std::vector<uint32_t>(t.begin(), t.begin() + n), tfs);
    EXPECT_EQ(g[n], 777u);
    EXPECT_EQ(t[n], 777u);
    for (size_t len = 0; len < packed.size(); ++len) {
      std::vector<char> cut = Exact(packed, len);
      EXPECT_EQ(UnpackShortTail(cut.data(), cut.data() + cut.size(), g.data(), t.data(), n),
                nullptr);
    }
  }
  uint32_t g, t;
  const std::string gap_too_big = "\x80\x80\x80\x80\x20";  // 2^33
  EXPECT_EQ(UnpackShortTail(gap_too_big.data(), gap_too_big.data() + 5, &g, &t, 1), nullptr);
  const std::string tf_too_big = "\x02\xfe\xff\xff\xff\x0f";  // tf - 2 = 2^32 - 2
  EXPECT_EQ(UnpackShortTail(tf_too_big.data(), tf_too_big.data() + 6, &g, &t, 1), nullptr);
}

TEST(Bitpack, PForBlocksRoundTripWithOutliers) {
  std::mt19937 rng(29);
  for (int trial = 0; trial < 2000; ++trial) {
    uint32_t in[kBlockSize], out[kBlockSize];
    const uint32_t base_bits = rng() % 12;
    for (auto& x : in) x = base_bits ? static_cast<uint32_t>(rng() & ((1u << base_bits) - 1)) : 0;
    const int outliers = static_cast<int>(rng() % 40);  // sometimes more than fit as exceptions
    for (int i = 0; i < outliers; ++i)
      in[rng() % kBlockSize] = static_cast<uint32_t>(rng()) >> (rng() % 32);
    std::string packed;
    PackBlockPFor(in, &packed);
    std::string plain;
    PackBlock(in, &plain);
    EXPECT_LE(packed.size(), plain.size() + 1);
    std::vector<char> buf = Exact(packed, packed.size());
    ASSERT_EQ(UnpackBlockPFor(buf.data(), buf.data() + buf.size(), out), buf.data() + buf.size());
    ASSERT_TRUE(std::equal(in, in + kBlockSize, out)) << "trial " << trial;
    // Skipping lands where decoding does, without decoding.
    ASSERT_EQ(SkipBlockPFor(buf.data(), buf.data() + buf.size()), buf.data() + buf.size());
    for (size_t len = 0; len < packed.size(); len += 1 + packed.size() / 16) {
      std::vector<char> cut = Exact(packed, len);
      EXPECT_EQ(UnpackBlockPFor(cut.data(), cut.data() + cut.size(), out), nullptr);
      EXPECT_EQ(SkipBlockPFor(cut.data(), cut.data() + cut.size()), nullptr) << len;
    }
  }
}

TEST(Bitpack, PForMatchesScalarReferenceOnArbitraryExceptions) {
  // Not produced by PackBlockPFor: exception lists of random bytes (indexes past the block,
  // zero or overflowing highs, varints of 1-5 bytes, truncations) are accepted or rejected, and
  // decoded, exactly as the general exception reader does.
  std::mt19937 rng(31);
  for (int rep = 0; rep < 20000; ++rep) {
    const uint32_t bits = rng() % 33;
    const uint32_t e = rng() % 26;  // 25 is one past the limit
    std::string block(1, static_cast<char>(e));
    block.push_back(static_cast<char>(bits));
    for (size_t i = 0; i < 16 * size_t{bits}; ++i) block.push_back(static_cast<char>(rng()));
    for (uint32_t k = 0; k < e; ++k) {
      const uint32_t kind = rng() % 16;
      block.push_back(static_cast<char>(kind == 0 ? 128 + rng() % 128 : rng() % kBlockSize));
      if (kind == 1) {
        block.push_back('\0');
      } else if (kind == 2) {
        for (uint32_t extra = rng() % 5; extra > 0; --extra)
          block.push_back(static_cast<char>(0x80 | rng()));
        block.push_back(static_cast<char>(rng() % 128));
      } else {
        block.push_back(static_cast<char>(1 + rng() % 127));
      }
    }
    const size_t len = rng() % 4 == 0 ? rng() % (block.size() + 1) : block.size();
    std::vector<char> buf = Exact(block, len);
    uint32_t a[kBlockSize], b[kBlockSize];
    const char* end = buf.data() + buf.size();
    const char* fast = UnpackBlockPFor(buf.data(), end, a);
    const char* ref = UnpackBlockPForScalar(buf.data(), end, b);
    ASSERT_EQ(fast, ref) << "rep " << rep;
    if (ref != nullptr) {
      ASSERT_TRUE(std::equal(a, a + kBlockSize, b)) << "rep " << rep;
    }
    // Frequency blocks: the same values + 1, refused where one would wrap to 0.
    uint32_t tfs[kBlockSize];
    const bool wraps = ref != nullptr && std::find(b, b + kBlockSize, ~0u) != b + kBlockSize;
    ASSERT_EQ(UnpackFreqBlock(buf.data(), end, tfs), wraps ? nullptr : ref) << "rep " << rep;
    if (ref != nullptr && !wraps) {
      for (size_t i = 0; i < kBlockSize; ++i) ASSERT_EQ(tfs[i], b[i] + 1) << "rep " << rep;
    }
    // Doc-id blocks: the same deltas summed from a base, and a bound holding every delta's bits.
    const uint32_t base = static_cast<uint32_t>(rng());
    uint32_t ids[kBlockSize], delta_bits = 0;
    ASSERT_EQ(UnpackDocBlock(buf.data(), end, base, ids, &delta_bits), ref) << "rep " << rep;
    if (ref != nullptr) {
      uint32_t all = 0;
      for (uint32_t x : b) all |= x;
      EXPECT_EQ(all & ~delta_bits, 0u) << "rep " << rep;
      PrefixSumScalar(b, kBlockSize, base);
      ASSERT_TRUE(std::equal(ids, ids + kBlockSize, b)) << "rep " << rep;
    }
  }
}

TEST(Bitpack, FreqBlocksAddOneAtEveryWidthAndRefuseAWrap) {
  std::mt19937 rng(37);
  for (uint32_t bits = 0; bits <= 32; ++bits) {
    for (int outliers : {0, 1, 5, 30}) {
      std::vector<uint32_t> in = RandomBlock(rng, bits);
      for (int i = 0; i < outliers; ++i)
        in[rng() % kBlockSize] = static_cast<uint32_t>(rng()) >> (rng() % 32);
      for (auto& x : in) x = std::min(x, ~0u - 1);
      std::string packed;
      PackBlockPFor(in.data(), &packed);
      std::vector<char> buf = Exact(packed, packed.size());
      uint32_t out[kBlockSize];
      ASSERT_EQ(UnpackFreqBlock(buf.data(), buf.data() + buf.size(), out), buf.data() + buf.size());
      for (size_t i = 0; i < kBlockSize; ++i) ASSERT_EQ(out[i], in[i] + 1) << bits << " " << i;
      // A value of 2^32 - 1 (a tf of 2^32) is refused, packed plainly or as an exception.
      in[rng() % kBlockSize] = ~0u;
      packed.clear();
      PackBlockPFor(in.data(), &packed);
      buf = Exact(packed, packed.size());
      EXPECT_EQ(UnpackFreqBlock(buf.data(), buf.data() + buf.size(), out), nullptr) << bits;
    }
  }
}

TEST(Bitpack, TailOfSmallValuesIsBitPackedAtEveryWidth) {
  std::mt19937 rng(23);
  for (uint32_t width = 0; width <= 32; ++width) {
    for (size_t n : {size_t{8}, size_t{9}, size_t{31}, size_t{127}}) {
      std::vector<uint32_t> in(n);
      const uint64_t limit = uint64_t{1} << width;
      for (auto& x : in) x = static_cast<uint32_t>(rng() % limit);
      if (width > 0) in[n / 2] = static_cast<uint32_t>(limit - 1);  // exactly `width` bits
      std::string packed;
      PackTail(in.data(), n, &packed);
      // Patched frame of reference: never larger than plain packing at the full width.
      ASSERT_LE(packed.size(), 2 + (n * width + 7) / 8) << "width " << width << " n " << n;
      std::vector<uint32_t> out(n);
      // Exactly its bytes (decoded a byte at a time), then with bytes after it as in a file
      // (8 bytes read per value): the same values.
      std::vector<char> exact = Exact(packed, packed.size());
      ASSERT_EQ(UnpackTail(exact.data(), exact.data() + exact.size(), out.data(), n),
                exact.data() + exact.size());
      EXPECT_EQ(out, in);
      std::string padded = packed + std::string(9, static_cast<char>(0xff));
      std::fill(out.begin(), out.end(), 0);
      ASSERT_EQ(UnpackTail(padded.data(), padded.data() + padded.size(), out.data(), n),
                padded.data() + packed.size());
      EXPECT_EQ(out, in);
    }
  }
  std::string bad(64, '\0');
  bad[1] = 33;  // width > 32
  std::vector<uint32_t> out(8);
  EXPECT_EQ(UnpackTail(bad.data(), bad.data() + bad.size(), out.data(), 8), nullptr);
}

// OpenPackedTail + UnpackTailRange (positions read a doc at a time) against UnpackTail: packed
// tails with outliers at every width and every range of them; then arbitrary bytes (random
// widths, exception lists with bad indexes, zero or overflowing highs, long varints,
// truncations), which it accepts only where UnpackTail does, refusing only near the end.
TEST(Bitpack, PackedTailRangesEqualUnpackTail) {
  std::mt19937 rng(41);
  for (uint32_t width = 0; width <= 32; ++width) {
    for (size_t n : {size_t{8}, size_t{9}, size_t{31}, size_t{100}, size_t{127}}) {
      std::vector<uint32_t> in(n);
      const uint64_t limit = uint64_t{1} << width;
      for (auto& x : in) x = static_cast<uint32_t>(rng() % limit);
      for (int k = 0; k < 3; ++k) in[rng() % n] = static_cast<uint32_t>(rng()) >> (rng() % 32);
      std::string packed;
      PackTail(in.data(), n, &packed);
      const std::string padded = packed + std::string(8, static_cast<char>(0xa5));
      PackedTail t;
      ASSERT_EQ(OpenPackedTail(padded.data(), padded.data() + padded.size(), n, &t),
                padded.data() + packed.size());
      std::vector<uint32_t> out(n);
      for (size_t lo = 0; lo < n; ++lo) {
        for (size_t hi = lo + 1; hi <= n; hi += 1 + hi % 7) {
          UnpackTailRange(t, lo, hi, out.data());
          ASSERT_TRUE(std::equal(out.begin(), out.begin() + (hi - lo), in.begin() + lo))
              << "width " << width << " n " << n << " [" << lo << ", " << hi << ")";
        }
      }
      // Without 8 bytes past the packed values (exceptions count), the caller decodes it whole.
      std::vector<char> exact = Exact(packed, packed.size());
      const size_t b = static_cast<uint8_t>(packed[1]);  // the width PackTail chose
      const bool room = exact.size() >= 2 + (n * b + 7) / 8 + 8;
      EXPECT_EQ(OpenPackedTail(exact.data(), exact.data() + exact.size(), n, &t),
                room ? exact.data() + exact.size() : nullptr);
    }
  }
  for (int rep = 0; rep < 20000; ++rep) {
    const size_t n = kTailPackMin + rng() % (kBlockSize - kTailPackMin);
    const uint32_t bits = rng() % 34;  // 33 is one past the limit
    const uint32_t e = rng() % 26;     // 25 is one past the limit
    std::string tail(1, static_cast<char>(e));
    tail.push_back(static_cast<char>(bits));
    for (size_t i = 0; i < (n * bits + 7) / 8; ++i) tail.push_back(static_cast<char>(rng()));
    for (uint32_t k = 0; k < e; ++k) {
      const uint32_t kind = rng() % 16;
      tail.push_back(static_cast<char>(kind == 0 ? n + rng() % (256 - n) : rng() % n));
      if (kind == 1) {
        tail.push_back('\0');
      } else if (kind == 2) {
        for (uint32_t extra = rng() % 5; extra > 0; --extra)
          tail.push_back(static_cast<char>(0x80 | rng()));
        tail.push_back(static_cast<char>(rng() % 128));
      } else {
        tail.push_back(static_cast<char>(1 + rng() % 127));
      }
    }
    const size_t pad = rng() % 3 == 0 ? rng() % 8 : 8 + rng() % 4;
    for (size_t i = 0; i < pad; ++i) tail.push_back(static_cast<char>(rng()));
    const size_t len = rng() % 4 == 0 ? rng() % (tail.size() + 1) : tail.size();
    std::vector<char> buf = Exact(tail, len);
    const char* end = buf.data() + buf.size();
    std::vector<uint32_t> ref(n), out(n);
    const char* want = UnpackTail(buf.data(), end, ref.data(), n);
    PackedTail t;
    const char* got = OpenPackedTail(buf.data(), end, n, &t);
    if (got == nullptr) {
      // Refused although UnpackTail decodes it: only for want of 8 bytes past the values.
      if (want != nullptr) {
        ASSERT_LT(buf.size(), 2 + (n * bits + 7) / 8 + 8) << "rep " << rep;
      }
      continue;
    }
    ASSERT_EQ(got, want) << "rep " << rep;
    const size_t lo = rng() % n, hi = lo + 1 + rng() % (n - lo);
    UnpackTailRange(t, lo, hi, out.data());
    ASSERT_TRUE(std::equal(out.begin(), out.begin() + (hi - lo), ref.begin() + lo))
        << "rep " << rep;
  }
}

// Format 8's dense blocks (docs/format/block-codec.md, "Dense blocks"): 128 increasing docs from
// `start` with gaps of 1 to max_gap.
std::vector<uint32_t> DenseDocs(std::mt19937& rng, uint32_t start, uint32_t max_gap) {
  std::vector<uint32_t> docs(kBlockSize);
  uint32_t d = start + rng() % max_gap;
  for (size_t i = 0; i < kBlockSize; ++i, d += 1 + rng() % max_gap) docs[i] = d;
  return docs;
}

TEST(Bitpack, BitSetBlocksRoundTripAndMatchTheScalarReference) {
  std::mt19937 rng(8);
  for (int round = 0; round < 400; ++round) {
    const uint32_t max_gap = 1 + round % 33;
    const uint32_t start = round % 3 == 0 ? 0 : round % 3 == 1 ? rng() % 100000 : 0xFFFFF000u;
    const std::vector<uint32_t> docs = DenseDocs(rng, start, max_gap);
    const uint64_t span = uint64_t{docs.back()} - start + 1;
    const uint32_t words = static_cast<uint32_t>((span + 63) / 64);
    std::string packed;
    PackBitSetBlock(docs.data(), start, words, &packed);
    ASSERT_EQ(packed.size(), 1 + 8 * size_t{words});
    EXPECT_EQ(static_cast<uint8_t>(packed[0]), kBitSetMarker + words);
    // The documented layout: bit k of the little-endian words is doc start + k.
    std::vector<uint32_t> by_bits;
    for (uint32_t k = 0; k < 64 * words; ++k)
      if (BitSetTest(packed.data() + 1, k)) by_bits.push_back(start + k);
    EXPECT_EQ(by_bits, docs);
    packed += "tail";
    const char* end = packed.data() + packed.size();
    uint32_t fast[kBlockSize + kBitSetSlack], slow[kBlockSize];
    EXPECT_EQ(UnpackBitSetBlock(packed.data(), end, start, fast), end - 4);
    EXPECT_EQ(UnpackBitSetBlockScalar(packed.data(), end, start, slow), end - 4);
    EXPECT_EQ(std::vector<uint32_t>(fast, fast + kBlockSize), docs);
    EXPECT_EQ(std::vector<uint32_t>(slow, slow + kBlockSize), docs);
    const char* w = nullptr;
    uint32_t n = 0, last = 0;
    EXPECT_EQ(OpenBitSetBlock(packed.data(), end, start, &w, &n, &last), end - 4);
    EXPECT_EQ(w, packed.data() + 1);
    EXPECT_EQ(n, words);
    EXPECT_EQ(last, docs.back());
    EXPECT_EQ(SkipDocBlock(packed.data(), end, true), end - 4);
    EXPECT_EQ(SkipDocBlock(packed.data(), end, false), nullptr);  // not a patched block
    // Ranks: the set bits below each doc's bit are its index.
    BitSetRanker rank{packed.data() + 1};
    for (size_t i = 0; i < kBlockSize; i += 1 + rng() % 5) EXPECT_EQ(rank.Rank(docs[i] - start), i);
  }
}

TEST(Bitpack, BitSetWordsTakesSpansUpTo384) {
  uint32_t deltas[kBlockSize];
  // Every doc: span 128 bits, 2 words; from doc 0 in a first block 129 bits, 3 words.
  std::fill(deltas, deltas + kBlockSize, 1);
  EXPECT_EQ(BitSetWords(deltas, false), 2u);
  EXPECT_EQ(BitSetWords(deltas, true), 3u);
  // Gaps of 3: span 384, the largest taken (6 words); one more is not.
  std::fill(deltas, deltas + kBlockSize, 3);
  EXPECT_EQ(BitSetWords(deltas, false), 6u);
  EXPECT_EQ(BitSetWords(deltas, true), 0u);
  deltas[7] = 4;
  EXPECT_EQ(BitSetWords(deltas, false), 0u);
  // One long gap among ones: the span decides, not the widest delta.
  std::fill(deltas, deltas + kBlockSize, 1);
  deltas[5] = 257;  // span 384
  EXPECT_EQ(BitSetWords(deltas, false), 6u);
  deltas[5] = 100000;
  EXPECT_EQ(BitSetWords(deltas, false), 0u);
}

TEST(Bitpack, BadBitSetBlocksAreRefused) {
  std::mt19937 rng(9);
  const std::vector<uint32_t> docs = DenseDocs(rng, 1000, 3);
  const uint32_t words = static_cast<uint32_t>((docs.back() - 1000 + 64) / 64);
  std::string good;
  PackBitSetBlock(docs.data(), 1000, words, &good);
  auto refused = [](std::string b, uint32_t start) {
    const char* end = b.data() + b.size();
    uint32_t out[kBlockSize + kBitSetSlack];
    const char* w;
    uint32_t n, last;
    const bool fast = UnpackBitSetBlock(b.data(), end, start, out) == nullptr;
    const bool slow = UnpackBitSetBlockScalar(b.data(), end, start, out) == nullptr;
    const bool open = OpenBitSetBlock(b.data(), end, start, &w, &n, &last) == nullptr;
    EXPECT_EQ(fast, slow);
    EXPECT_EQ(fast, open);
    return fast;
  };
  EXPECT_FALSE(refused(good, 1000));
  EXPECT_TRUE(refused(good.substr(0, good.size() - 1), 1000));  // truncated
  EXPECT_TRUE(refused("", 1000));
  std::string b = good;
  b[0] = static_cast<char>(kBitSetMarker + 1);  // one word cannot hold 128 docs
  EXPECT_TRUE(refused(b, 1000));
  b[0] = static_cast<char>(24);  // a patched block's count, not a marker
  EXPECT_TRUE(refused(b, 1000));
  b = good;  // 127 set bits
  for (size_t i = 1; i < b.size(); ++i)
    if (b[i] != 0) {
      b[i] = static_cast<char>(b[i] & (b[i] - 1));
      break;
    }
  EXPECT_TRUE(refused(b, 1000));
  b = good;  // 129
  for (size_t i = 1; i < b.size(); ++i)
    if (static_cast<uint8_t>(b[i]) != 0xff) {
      b[i] = static_cast<char>(b[i] | (b[i] + 1));
      break;
    }
  EXPECT_TRUE(refused(b, 1000));
  b = good + std::string(8, '\0');  // a last word of 0
  b[0] = static_cast<char>(kBitSetMarker + words + 1);
  EXPECT_TRUE(refused(b, 1000));
  // Every bit set, the most words: refused, and the fast path's stores stay in its slack.
  EXPECT_TRUE(refused(std::string(1, static_cast<char>(kBitSetMarker + kMaxBitSetWords)) +
                          std::string(8 * kMaxBitSetWords, '\xff'),
                      0));
  EXPECT_TRUE(refused(good, 0xFFFFFFC0u));  // docs past 2^32 - 1 (128 docs from 2^32 - 64)
}

}  // namespace
}  // namespace scour::index
