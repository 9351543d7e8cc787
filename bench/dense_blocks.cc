// dense_blocks: how many full doc-id blocks of an index would be stored as bit sets, and what
// .post would gain (issue 19, "dense blocks as bit sets"; docs/PERFORMANCE.md).
//
//   dense_blocks INDEX_DIR [QUERY_TERMS]
//
// For every full block (128 docs) of every list of the indexed fields (not _id) it compares the
// block's doc-id deltas as the file stores them (PackBlockPFor, exceptions byte included) with a
// bit set of the docs from the one after the previous block's last (doc 0 for the first block)
// to the block's last: one header byte and ceil(span / 64) little-endian u64 words, span = the
// sum of the deltas (+1 in the first block). Two rules pick the dense blocks:
//   lucene   Lucene 10.1's: span < (bits of the largest delta + 1) * 128, i.e. a bit set no
//            bigger than one more bit per delta would be;
//   smaller  the bit set's bytes < the PFor block's;
//   format8  format 8's, span <= 384 (BitSetWords), bit sets of 1 + 8 * W bytes as written.
// For each it prints the blocks chosen and the byte change of .post (frequencies, impact lists
// and skip entries unchanged). QUERY_TERMS (one query per line, its analyzed terms separated by
// tabs, field 1) adds the share of dense blocks in each query's second-rarest list, the list a
// conjunction's lead docs are tested against.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "bench/index_segments.h"
#include "index/postings/bitpack.h"
#include "index/postings/segment_postings.h"
#include "index/segment/segment_reader.h"

namespace {

using namespace scour::index;

struct Totals {
  uint64_t lists = 0, blocks = 0, pfor_bytes = 0;
  uint64_t consecutive = 0;  // blocks of 128 consecutive docs
  uint64_t lucene = 0, lucene_pfor = 0, lucene_bits = 0;
  uint64_t smaller = 0, smaller_pfor = 0, smaller_bits = 0;
  uint64_t f8 = 0, f8_pfor = 0, f8_bits = 0;  // format 8's rule (BitSetWords)
};

size_t BitSetBytes(uint64_t span) { return 1 + 8 * ((span + 63) / 64); }

// Classifies the full blocks of one list; *dense_out counts the blocks dense by Lucene's rule,
// *f8_out by format 8's.
void List(SegmentPostings p, uint32_t df, Totals* t, uint64_t* dense_out, uint64_t* blocks_out,
          uint64_t* f8_out = nullptr) {
  const size_t nb = df / kBlockSize;
  if (nb == 0) return;
  ++t->lists;
  uint32_t gaps[kBlockSize];
  std::string out;
  uint32_t prev = 0;
  DocId d = p.doc();
  for (size_t b = 0; b < nb; ++b) {
    uint64_t span = 0;
    for (size_t i = 0; i < kBlockSize; ++i, d = p.Next()) {
      gaps[i] = d - prev;
      prev = d;
      span += gaps[i];
    }
    if (b == 0) span += 1;  // the first block's bits start at doc 0
    out.clear();
    PackBlockPFor(gaps, &out);
    const uint64_t pfor = out.size(), bits = BitSetBytes(span);
    ++t->blocks;
    t->pfor_bytes += pfor;
    if (span == kBlockSize) ++t->consecutive;
    const uint64_t bpv = MaxBits(gaps, kBlockSize);
    if (span < std::min<uint64_t>(bpv + 1, 32) * kBlockSize) {
      ++t->lucene;
      t->lucene_pfor += pfor;
      t->lucene_bits += bits;
      if (dense_out) ++*dense_out;
    }
    if (const uint32_t words = BitSetWords(gaps, b == 0); words != 0) {
      ++t->f8;
      t->f8_pfor += pfor;
      t->f8_bits += 1 + 8 * words;
      if (f8_out) ++*f8_out;
    }
    if (bits < pfor) {
      ++t->smaller;
      t->smaller_pfor += pfor;
      t->smaller_bits += bits;
    }
  }
  if (blocks_out) *blocks_out += nb;
}

std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> v;
  size_t s = 0;
  while (s <= line.size()) {
    size_t e = line.find('\t', s);
    if (e == std::string::npos) e = line.size();
    if (e > s) v.push_back(line.substr(s, e - s));
    s = e + 1;
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: dense_blocks INDEX_DIR [QUERY_TERMS]\n");
    return 2;
  }
  auto index = scour::bench::OpenIndexSegments(argv[1]);
  if (!index.ok()) {
    std::fprintf(stderr, "%s\n", std::string(index.status().message()).c_str());
    return 1;
  }
  Totals t;
  uint64_t post_file = 0;
  for (const auto& seg : index->segments) {
    post_file += seg->post_file().size();
    const SegmentReader& r = *seg;
    for (auto it = r.dict().Seek(std::string(1, '\x01')); it.Valid(); it.Next()) {
      const uint32_t field = static_cast<uint8_t>(it.key()[0]);
      if (field & 0x80) break;
      const TermInfo& info = it.info();
      if (info.df < kBlockSize) continue;
      List(r.Postings(field, info), info.df, &t, nullptr, nullptr);
    }
  }
  auto pct = [](uint64_t a, uint64_t b) { return b ? 100.0 * double(a) / double(b) : 0.0; };
  std::printf("lists with full blocks %llu, full blocks %llu, their doc-id bytes %llu\n",
              (unsigned long long)t.lists, (unsigned long long)t.blocks,
              (unsigned long long)t.pfor_bytes);
  std::printf("blocks of 128 consecutive docs %llu\n", (unsigned long long)t.consecutive);
  std::printf("%-8s %10s %7s %12s %12s %12s %8s\n", "rule", "blocks", "%", "PFor bytes",
              "bitset bytes", ".post change", "%");
  auto row = [&](const char* name, uint64_t n, uint64_t pfor, uint64_t bits) {
    const long long change = (long long)bits - (long long)pfor;
    std::printf("%-8s %10llu %6.2f%% %12llu %12llu %+12lld %+7.2f%%\n", name, (unsigned long long)n,
                pct(n, t.blocks), (unsigned long long)pfor, (unsigned long long)bits, change,
                100.0 * double(change) / double(post_file));
  };
  row("lucene", t.lucene, t.lucene_pfor, t.lucene_bits);
  row("smaller", t.smaller, t.smaller_pfor, t.smaller_bits);
  row("format8", t.f8, t.f8_pfor, t.f8_bits);
  std::printf(".post %llu bytes\n", (unsigned long long)post_file);

  if (argc == 3) {
    std::ifstream in(argv[2]);
    std::string line;
    uint64_t queries = 0, with_blocks = 0, dense = 0, blocks = 0, all_dense = 0, any_dense = 0;
    uint64_t f8 = 0;
    Totals q;
    const SegmentReader& r = *index->segments[0];
    while (std::getline(in, line)) {
      ++queries;
      std::vector<std::pair<uint32_t, TermInfo>> lists;
      for (const std::string& term : Split(line)) {
        auto info = r.Lookup(1, term);
        if (info.ok() && info->has_value()) lists.push_back({(*info)->df, **info});
      }
      if (lists.size() < 2) continue;
      std::sort(lists.begin(), lists.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      const TermInfo& second = lists[1].second;
      if (second.df < kBlockSize) continue;
      ++with_blocks;
      uint64_t d = 0, n = 0;
      List(r.Postings(1, second), second.df, &q, &d, &n, &f8);
      dense += d;
      blocks += n;
      if (d == n) ++all_dense;
      if (d > 0) ++any_dense;
    }
    std::printf(
        "\nqueries %llu (first segment), second-rarest list with full blocks %llu\n"
        "  their full blocks %llu, dense by the lucene rule %llu (%.1f%%)\n"
        "  queries whose second list is all dense blocks %llu, has some %llu\n"
        "  dense by format 8's rule %llu (%.1f%%)\n",
        (unsigned long long)queries, (unsigned long long)with_blocks, (unsigned long long)blocks,
        (unsigned long long)dense, pct(dense, blocks), (unsigned long long)all_dense,
        (unsigned long long)any_dense, (unsigned long long)f8, pct(f8, blocks));
  }
  return 0;
}
