// entropy_codecs: what the entropy codes that index_entropy sizes would cost the queries
// (docs/PERFORMANCE.md, "Index size and the information bound").
//
// Doc ids and frequencies: every full 128-doc block of the index's lists (what AND and OR
// queries decode), stored as today (patched blocks, SIMD unpack) and as Rice codes with the
// best k per block; decoding = unpack + prefix sum for doc ids, unpack for frequencies.
//
// Positions: the positions of every list (indexed fields, df >= 2) in four layouts, decoded
// back to absolute positions, each document's positions in order, as a phrase query needs them:
//
//   pfor         today's .pos: per 128-doc group, each doc's first position and in-document
//                deltas in one sequence, 128-value patched blocks (SSE2) plus the tail codec;
//   rice         the same sequence, Rice codes with the best k per 128 values;
//   first+rice   each doc's first position in minimal binary within [0, U) (U bounds the
//                document's length, from its norm byte), the deltas - 1 in Rice codes;
//   interp       binary interpolative coding of each document's positions within [0, U),
//                minimal binary codes (Moffat & Stuiver).
//
//   entropy_codecs INDEX_DIR [PASSES]
//
// The decoders are plain scalar code written for this measurement (a 64-bit bit reader,
// count-trailing-zeros for the unary part); every layout's output is checked against the
// positions the index returns before anything is timed.
#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench/index_segments.h"
#include "index/postings/bitpack.h"
#include "index/postings/segment_postings.h"
#include "index/segment/norms.h"
#include "index/segment/segment_reader.h"

namespace {

using namespace scour::index;

class BitWriter {
 public:
  void Put(uint64_t v, int n) {  // n <= 57 bits, least significant first
    if (n == 0) return;
    size_t word = bits_ / 64, off = bits_ % 64;
    if (word + 2 > w_.size()) w_.resize(word + 2, 0);
    w_[word] |= v << off;
    if (off + n > 64) w_[word + 1] |= v >> (64 - off);
    bits_ += n;
  }
  void Unary(uint32_t q) {  // q zeros, then a one
    while (q >= 32) {
      Put(0, 32);
      q -= 32;
    }
    Put(uint64_t{1} << q, int(q) + 1);
  }
  size_t bits() const { return bits_; }
  std::vector<uint64_t> Finish() {
    w_.resize(bits_ / 64 + 2, 0);
    return std::move(w_);
  }

 private:
  std::vector<uint64_t> w_;
  size_t bits_ = 0;
};

class BitReader {
 public:
  BitReader(const uint64_t* w, size_t bit) : w_(w), bit_(bit) {}
  uint64_t Peek() const {
    size_t word = bit_ / 64, off = bit_ % 64;
    uint64_t lo = w_[word] >> off;
    return off ? lo | (w_[word + 1] << (64 - off)) : lo;
  }
  uint32_t Get(int n) {
    if (n == 0) return 0;
    uint32_t v = uint32_t(Peek() & ((uint64_t{1} << n) - 1));
    bit_ += n;
    return v;
  }
  uint32_t Unary() {
    uint32_t q = 0;
    uint64_t p;
    while ((p = Peek()) == 0) {
      q += 64;
      bit_ += 64;
    }
    int z = std::countr_zero(p);
    bit_ += z + 1;
    return q + uint32_t(z);
  }
  size_t bit() const { return bit_; }

 private:
  const uint64_t* w_;
  size_t bit_;
};

int FloorLog2(uint32_t n) { return 31 - std::countl_zero(n); }

// Minimal binary code of v in [0, n): k or k + 1 bits, k = floor(log2 n). The high k bits go
// first so that the decoder reads k bits and only then knows whether one more follows.
void PutMinimal(BitWriter* w, uint32_t v, uint32_t n) {
  if (n <= 1) return;
  int k = FloorLog2(n);
  uint64_t u = (uint64_t{2} << k) - n;  // codes of k bits
  if (v < u) {
    w->Put(v, k);
  } else {
    uint64_t x = v + u;
    w->Put(x >> 1, k);
    w->Put(x & 1, 1);
  }
}
uint32_t GetMinimal(BitReader* r, uint32_t n) {
  if (n <= 1) return 0;
  int k = FloorLog2(n);
  uint64_t u = (uint64_t{2} << k) - n;
  uint64_t x = r->Get(k);
  if (x < u) return uint32_t(x);
  return uint32_t(((x << 1) | r->Get(1)) - u);
}

int BestRiceK(const uint32_t* v, size_t n) {
  int best_k = 0;
  uint64_t best = UINT64_MAX;
  for (int k = 0; k < 25; ++k) {
    uint64_t bits = uint64_t(n) * (k + 1);
    for (size_t i = 0; i < n; ++i) bits += v[i] >> k;
    if (bits < best) {
      best = bits;
      best_k = k;
    }
  }
  return best_k;
}
// Runs of 128: 5 bits of k, then per value unary(v >> k) and k low bits.
void PutRiceRuns(BitWriter* w, const uint32_t* v, size_t n) {
  for (size_t i = 0; i < n; i += kBlockSize) {
    size_t m = std::min(kBlockSize, n - i);
    int k = BestRiceK(v + i, m);
    w->Put(uint32_t(k), 5);
    for (size_t j = 0; j < m; ++j) {
      w->Unary(v[i + j] >> k);
      w->Put(v[i + j] & ((uint32_t{1} << k) - 1), k);
    }
  }
}
void GetRiceRuns(BitReader* r, uint32_t* out, size_t n) {
  for (size_t i = 0; i < n; i += kBlockSize) {
    size_t m = std::min(kBlockSize, n - i);
    int k = int(r->Get(5));
    for (size_t j = 0; j < m; ++j) {
      uint32_t q = r->Unary();
      out[i + j] = (q << k) | r->Get(k);
    }
  }
}

// Sorted distinct v[0, n) within [lo, hi].
void PutInterp(BitWriter* w, const uint32_t* v, size_t n, uint32_t lo, uint32_t hi) {
  if (n == 0) return;
  size_t m = n / 2;
  uint32_t a = lo + uint32_t(m), b = hi - uint32_t(n - m - 1);
  PutMinimal(w, v[m] - a, b - a + 1);
  PutInterp(w, v, m, lo, v[m] - 1);
  PutInterp(w, v + m + 1, n - m - 1, v[m] + 1, hi);
}
void GetInterp(BitReader* r, uint32_t* v, size_t n, uint32_t lo, uint32_t hi) {
  if (n == 0) return;
  size_t m = n / 2;
  uint32_t a = lo + uint32_t(m), b = hi - uint32_t(n - m - 1);
  v[m] = a + GetMinimal(r, b - a + 1);
  GetInterp(r, v, m, lo, v[m] - 1);
  GetInterp(r, v + m + 1, n - m - 1, v[m] + 1, hi);
}

// One 128-doc group of one list: what a decoder is given (from the .post side) and the answer.
struct Group {
  std::vector<uint32_t> docs, tfs, bound;  // bound = U: positions are < U
  std::vector<uint32_t> positions;         // absolute, doc by doc
  size_t pfor_at = 0, bit_at[3] = {0, 0, 0};
};

// Full blocks of doc-id gaps (the first against the previous block's last doc) and of tf - 1.
struct Blocks {
  std::vector<uint32_t> gaps, tfs, bases;  // 128 values per block
};

void CollectBlocks(const SegmentReader& r, Blocks* b) {
  for (auto it = r.dict().Seek(std::string(1, '\x01')); it.Valid(); it.Next()) {
    uint32_t field = static_cast<uint8_t>(it.key()[0]);
    if (field & 0x80) break;
    if (it.info().df < kBlockSize) continue;
    SegmentPostings p = r.Postings(field, it.info());
    uint32_t prev = 0, i = 0, full = it.info().df / kBlockSize * kBlockSize;
    for (DocId d = p.doc(); d != kNoMoreDocs && i < full; d = p.Next(), ++i) {
      if (i % kBlockSize == 0) b->bases.push_back(prev);
      b->gaps.push_back(d - prev);
      b->tfs.push_back(p.freq() - 1);
      prev = d;
    }
  }
}

template <typename F>
double BestNs(int passes, F&& f) {
  double best = 1e300;
  for (int p = 0; p < passes; ++p) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count());
  }
  return best;
}

// Returns false when a layout decodes to something else.
bool CompareBlocks(const Blocks& b, int passes) {
  const size_t nb = b.bases.size();
  std::printf("%zu full blocks (%zu postings)\n", nb, nb * kBlockSize);
  std::printf("%-22s %10s %12s %10s\n", "blocks", "MB", "ns/value", "vs pfor");
  for (int what = 0; what < 2; ++what) {
    const std::vector<uint32_t>& v = what == 0 ? b.gaps : b.tfs;
    std::string pfor;
    BitWriter w;
    for (size_t k = 0; k < nb; ++k) {
      PackBlockPFor(v.data() + k * kBlockSize, &pfor);
      PutRiceRuns(&w, v.data() + k * kBlockSize, kBlockSize);
    }
    pfor.append(64, '\0');
    const size_t rice_bits = w.bits();
    std::vector<uint64_t> rice = w.Finish();
    alignas(16) uint32_t out[kBlockSize];
    uint64_t sink = 0;
    auto decode_pfor = [&](bool check) {
      const char* p = pfor.data();
      const char* end = pfor.data() + pfor.size();
      for (size_t k = 0; k < nb; ++k) {
        p = UnpackBlockPFor(p, end, out);
        if (what == 0) PrefixSum(out, kBlockSize, b.bases[k]);
        sink += out[kBlockSize - 1];
        if (check && what == 1 && !std::equal(out, out + kBlockSize, v.data() + k * kBlockSize))
          return false;
      }
      return true;
    };
    auto decode_rice = [&](bool check) {
      BitReader r(rice.data(), 0);
      for (size_t k = 0; k < nb; ++k) {
        GetRiceRuns(&r, out, kBlockSize);
        if (check && !std::equal(out, out + kBlockSize, v.data() + k * kBlockSize)) return false;
        if (what == 0) PrefixSum(out, kBlockSize, b.bases[k]);
        sink += out[kBlockSize - 1];
      }
      return true;
    };
    if (!decode_pfor(true) || !decode_rice(true)) {
      std::fprintf(stderr, "blocks: decoded values differ\n");
      return false;
    }
    double t_pfor = BestNs(passes, [&] { decode_pfor(false); });
    double t_rice = BestNs(passes, [&] { decode_rice(false); });
    const double n = double(nb * kBlockSize);
    const char* name = what == 0 ? "doc ids" : "tf";
    std::printf("%-8s %-13s %10.2f %12.2f %9.2fx\n", name, "pfor (today)", (pfor.size() - 64) / 1e6,
                t_pfor / n, 1.0);
    std::printf("%-8s %-13s %10.2f %12.2f %9.2fx\n", name, "rice", rice_bits / 8e6, t_rice / n,
                t_rice / t_pfor);
    if (sink == 1) std::printf(" ");
  }
  return true;
}

struct Layouts {
  std::string pfor;
  std::vector<uint64_t> bits[3];  // rice, first+rice, interp
};

uint32_t LengthBound(const uint8_t* norms, uint32_t doc) {
  return norms[doc] == 255 ? UINT32_MAX : NormToLength(static_cast<uint8_t>(norms[doc] + 1));
}

void Collect(const SegmentReader& r, std::vector<Group>* groups, uint64_t* over_bound) {
  std::vector<uint32_t> pos;
  for (auto it = r.dict().Seek(std::string(1, '\x01')); it.Valid(); it.Next()) {
    uint32_t field = static_cast<uint8_t>(it.key()[0]);
    if (field & 0x80) break;
    const uint8_t* norms = r.norms(field);
    if (norms == nullptr || it.info().df < 2) continue;
    SegmentPostings p = r.Postings(field, it.info());
    uint32_t in_group = 0;
    for (DocId d = p.doc(); d != kNoMoreDocs; d = p.Next()) {
      if (in_group++ % kBlockSize == 0) groups->emplace_back();
      Group& g = groups->back();
      pos.clear();
      p.Positions(&pos);
      uint32_t u = LengthBound(norms, d);
      if (!pos.empty() && pos.back() >= u) {
        ++*over_bound;
        u = pos.back() + 1;
      }
      g.docs.push_back(d);
      g.tfs.push_back(uint32_t(pos.size()));
      g.bound.push_back(u);
      g.positions.insert(g.positions.end(), pos.begin(), pos.end());
    }
  }
}

void Encode(std::vector<Group>* groups, Layouts* out) {
  BitWriter w[3];
  std::vector<uint32_t> seq, firsts, deltas;
  for (Group& g : *groups) {
    seq.clear();
    deltas.clear();
    size_t at = 0;
    for (size_t i = 0; i < g.docs.size(); ++i) {
      for (uint32_t k = 0; k < g.tfs[i]; ++k, ++at) {
        uint32_t x = g.positions[at];
        seq.push_back(k == 0 ? x : x - g.positions[at - 1]);
        if (k > 0) deltas.push_back(x - g.positions[at - 1] - 1);
      }
    }
    g.pfor_at = out->pfor.size();
    size_t i = 0;
    for (; i + kBlockSize <= seq.size(); i += kBlockSize) PackBlockPFor(seq.data() + i, &out->pfor);
    PackTail(seq.data() + i, seq.size() - i, &out->pfor);

    g.bit_at[0] = w[0].bits();
    PutRiceRuns(&w[0], seq.data(), seq.size());

    g.bit_at[1] = w[1].bits();
    at = 0;
    for (size_t d = 0; d < g.docs.size(); at += g.tfs[d], ++d)
      PutMinimal(&w[1], g.positions[at], g.bound[d]);
    PutRiceRuns(&w[1], deltas.data(), deltas.size());

    g.bit_at[2] = w[2].bits();
    at = 0;
    for (size_t d = 0; d < g.docs.size(); at += g.tfs[d], ++d)
      PutInterp(&w[2], g.positions.data() + at, g.tfs[d], 0, g.bound[d] - 1);
  }
  for (int k = 0; k < 3; ++k) out->bits[k] = w[k].Finish();
  out->pfor.append(64, '\0');
}

// Decodes group g of layout `which` into out (absolute positions). `scratch` holds >= the
// group's position count.
void Decode(const Layouts& l, const Group& g, int which, uint32_t* out, uint32_t* scratch) {
  const size_t total = g.positions.size(), n = g.docs.size();
  if (which == 0 || which == 1) {
    if (which == 0) {
      const char* p = l.pfor.data() + g.pfor_at;
      const char* end = l.pfor.data() + l.pfor.size();
      size_t i = 0;
      for (; i + kBlockSize <= total; i += kBlockSize) p = UnpackBlockPFor(p, end, scratch + i);
      UnpackTail(p, end, scratch + i, total - i);
    } else {
      BitReader r(l.bits[0].data(), g.bit_at[0]);
      GetRiceRuns(&r, scratch, total);
    }
    size_t at = 0;
    for (size_t d = 0; d < n; ++d) {
      uint32_t x = 0;
      for (uint32_t k = 0; k < g.tfs[d]; ++k, ++at) out[at] = x += scratch[at];
    }
  } else if (which == 2) {
    BitReader r(l.bits[1].data(), g.bit_at[1]);
    for (size_t d = 0; d < n; ++d) scratch[d] = GetMinimal(&r, g.bound[d]);
    GetRiceRuns(&r, scratch + n, total - n);
    size_t at = 0;
    const uint32_t* delta = scratch + n;
    for (size_t d = 0; d < n; ++d) {
      uint32_t x = out[at++] = scratch[d];
      for (uint32_t k = 1; k < g.tfs[d]; ++k) out[at++] = x += *delta++ + 1;
    }
  } else {
    BitReader r(l.bits[2].data(), g.bit_at[2]);
    size_t at = 0;
    for (size_t d = 0; d < n; at += g.tfs[d], ++d)
      GetInterp(&r, out + at, g.tfs[d], 0, g.bound[d] - 1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: entropy_codecs INDEX_DIR [PASSES]\n");
    return 2;
  }
  const int passes = argc == 3 ? std::max(1, std::atoi(argv[2])) : 5;
  auto index = scour::bench::OpenIndexSegments(argv[1]);
  if (!index.ok()) {
    std::fprintf(stderr, "%s\n", std::string(index.status().message()).c_str());
    return 1;
  }
  std::vector<Group> groups;
  Blocks blocks;
  uint64_t over_bound = 0;
  for (const auto& seg : index->segments) {
    Collect(*seg, &groups, &over_bound);
    CollectBlocks(*seg, &blocks);
  }
  if (!CompareBlocks(blocks, passes)) return 1;
  Layouts l;
  Encode(&groups, &l);
  size_t most = 0, total = 0;
  for (const Group& g : groups) {
    most = std::max(most, g.positions.size());
    total += g.positions.size();
  }
  std::vector<uint32_t> out(most + 8), scratch(most + kBlockSize + 8);
  const char* names[4] = {"pfor (today)", "rice", "first+rice", "interp"};
  const double bytes[4] = {double(l.pfor.size() - 64), l.bits[0].size() * 8.0,
                           l.bits[1].size() * 8.0, l.bits[2].size() * 8.0};
  std::printf("%zu groups, %zu positions; %llu documents longer than their norm's bound\n",
              groups.size(), total, (unsigned long long)over_bound);
  std::printf("%-14s %10s %12s %10s\n", "layout", "MB", "ns/position", "vs pfor");
  double base = 0;
  for (int which = 0; which < 4; ++which) {
    for (const Group& g : groups) {  // correctness first
      Decode(l, g, which, out.data(), scratch.data());
      if (!std::equal(g.positions.begin(), g.positions.end(), out.begin())) {
        std::fprintf(stderr, "%s: decoded positions differ\n", names[which]);
        return 1;
      }
    }
    double best = 1e300;
    for (int p = 0; p < passes; ++p) {
      uint64_t sink = 0;
      auto t0 = std::chrono::steady_clock::now();
      for (const Group& g : groups) {
        Decode(l, g, which, out.data(), scratch.data());
        sink += out[0];
      }
      auto t1 = std::chrono::steady_clock::now();
      if (sink == 1) std::printf(" ");
      best = std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count());
    }
    if (which == 0) base = best;
    std::printf("%-14s %10.2f %12.2f %9.2fx\n", names[which], bytes[which] / 1e6, best / total,
                best / base);
  }
  return 0;
}
