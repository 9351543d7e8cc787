// index_entropy: how far each part of an index is from a simple information bound, to see
// where a format change can still win (docs/PERFORMANCE.md, "Index size").
//
//   index_entropy INDEX_DIR
//
// For every segment and every term of the indexed fields (not _id) it decodes the postings and
// re-encodes them with the current codecs (the sizes must match the files: a self-check), and
// adds up what simple models say the same data needs at least:
//   doc ids     log2 C(N, df) per term: which df of the N documents hold it, with no model of
//               clustering (terms with df >= 2; single docs are inlined in the dictionary);
//   frequencies the zero-order entropy of tf over all postings;
//   positions   log2 C(L, tf) per posting: which tf of the L positions of the document, L from
//               the norm byte (an upper bound on the length), occurrences uniform;
// and what two concrete length-aware position codes would take: each document's first position
// in ceil(log2 L) bits with the in-document deltas kept in PFor runs, and binary interpolative
// coding of each document's positions within [0, L).
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "index/bitpack.h"
#include "index/directory.h"
#include "index/manifest.h"
#include "index/norms.h"
#include "index/segment_postings.h"
#include "index/segment_reader.h"

namespace {

using namespace scour::index;

double Log2Binomial(double n, double k) {
  return (std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1)) / std::log(2.0);
}

// Bytes of a sequence stored as the postings files store one: full runs of 128 as patched
// blocks, the rest with the tail codec.
size_t RunBytes(const std::vector<uint32_t>& v) {
  std::string out;
  size_t i = 0;
  for (; i + kBlockSize <= v.size(); i += kBlockSize) PackBlockPFor(v.data() + i, &out);
  PackTail(v.data() + i, v.size() - i, &out);
  return out.size();
}

// Binary interpolative coding of sorted distinct values v[0..n) within [lo, hi], in bits.
double InterpolativeBits(const uint32_t* v, size_t n, uint32_t lo, uint32_t hi) {
  if (n == 0) return 0;
  size_t m = n / 2;
  double range = double(hi - lo + 1) - double(n - 1);
  double bits = range > 1 ? std::ceil(std::log2(range)) : 0;
  return bits + InterpolativeBits(v, m, lo, v[m] - 1) +
         InterpolativeBits(v + m + 1, n - m - 1, v[m] + 1, hi);
}

struct Totals {
  uint64_t postings = 0, positions = 0, blocks = 0;
  double docs_bytes = 0, docs_bound = 0;
  double tf_bytes = 0;
  std::map<uint32_t, uint64_t> tf_hist;
  double pos_bytes = 0, pos_bound = 0, pos_first_aware = 0, pos_interpolative = 0;
};

void Segment(const SegmentReader& r, Totals* t) {
  const uint32_t n_docs = r.max_doc();
  std::vector<uint32_t> gaps, tfs, group, firsts, deltas, pos;
  double first_bits = 0;
  for (auto it = r.dict().Seek(std::string(1, '\x01')); it.Valid(); it.Next()) {
    uint32_t field = static_cast<uint8_t>(it.key()[0]);
    if (field & 0x80) break;  // field ids >= 128: not in the corpora this tool is for
    const uint8_t* norms = r.norms(field);
    if (norms == nullptr) continue;
    const TermInfo& info = it.info();
    SegmentPostings p = r.Postings(field, info);
    gaps.clear();
    tfs.clear();
    uint32_t prev = 0, in_group = 0;
    auto flush_group = [&] {
      t->pos_bytes += RunBytes(group);
      t->pos_first_aware += std::ceil(first_bits / 8) + RunBytes(deltas);
      group.clear();
      firsts.clear();
      deltas.clear();
      first_bits = 0;
      in_group = 0;
    };
    for (DocId d = p.doc(); d != kNoMoreDocs; d = p.Next()) {
      const uint32_t tf = p.freq();
      gaps.push_back(gaps.empty() ? d : d - prev);
      prev = d;
      tfs.push_back(tf - 1);
      if (info.df >= 2) t->tf_hist[tf]++;
      pos.clear();
      p.Positions(&pos);
      uint32_t len = norms[d] == 255 ? UINT32_MAX : NormToLength(static_cast<uint8_t>(norms[d] + 1));
      for (uint32_t x : pos) len = std::max(len, x + 1);
      t->pos_bound += Log2Binomial(len, tf);
      t->pos_interpolative += InterpolativeBits(pos.data(), pos.size(), 0, len - 1) / 8;
      first_bits += len > 1 ? std::ceil(std::log2(double(len))) : 0;
      for (size_t k = 0; k < pos.size(); ++k) {
        group.push_back(k == 0 ? pos[0] : pos[k] - pos[k - 1]);
        if (k > 0) deltas.push_back(pos[k] - pos[k - 1] - 1);
      }
      t->positions += tf;
      t->postings++;
      if (++in_group == kBlockSize) flush_group();
    }
    if (in_group > 0) flush_group();
    if (info.df >= 2) {
      t->docs_bytes += RunBytes(gaps);
      t->docs_bound += Log2Binomial(n_docs, info.df) / 8;
      t->tf_bytes += RunBytes(tfs);
      t->blocks += info.df / kBlockSize;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: index_entropy INDEX_DIR\n");
    return 2;
  }
  auto dir = OpenFsDirectory(argv[1], false);
  if (!dir.ok()) {
    std::fprintf(stderr, "%s\n", std::string(dir.status().message()).c_str());
    return 1;
  }
  auto manifest = ReadManifest(dir->get());
  if (!manifest.ok()) {
    std::fprintf(stderr, "%s\n", std::string(manifest.status().message()).c_str());
    return 1;
  }
  Totals t;
  uint64_t post_file = 0, pos_file = 0;
  for (const auto& ref : manifest->segments) {
    auto seg = SegmentReader::Open(dir->get(), ref, false);
    if (!seg.ok()) {
      std::fprintf(stderr, "%s\n", std::string(seg.status().message()).c_str());
      return 1;
    }
    Segment(**seg, &t);
    post_file += (*seg)->post_file().size();
    pos_file += (*seg)->pos_file().size();
  }
  double tf_entropy = 0, tf_count = 0;
  for (const auto& [tf, n] : t.tf_hist) tf_count += n;
  for (const auto& [tf, n] : t.tf_hist) tf_entropy -= n * std::log2(double(n) / tf_count);
  const double skip_bytes = t.blocks * double(kSkipEntrySize);
  std::printf("postings %llu, positions %llu\n", (unsigned long long)t.postings,
              (unsigned long long)t.positions);
  std::printf("%-34s %10s %10s\n", "part (MB)", "stored", "bound");
  std::printf("%-34s %10.2f %10.2f\n", "doc ids (lists with df >= 2)", t.docs_bytes / 1e6,
              t.docs_bound / 1e6);
  std::printf("%-34s %10.2f %10.2f\n", "frequencies (df >= 2)", t.tf_bytes / 1e6,
              tf_entropy / 8e6);
  std::printf("%-34s %10.2f %10s\n", "skip entries", skip_bytes / 1e6, "");
  std::printf("%-34s %10.2f %10.2f\n", "positions", t.pos_bytes / 1e6, t.pos_bound / 8e6);
  std::printf("%-34s %10.2f\n", "  first in ceil(log2 L) bits", t.pos_first_aware / 1e6);
  std::printf("%-34s %10.2f\n", "  interpolative within [0, L)", t.pos_interpolative / 1e6);
  std::printf("files: .post %.2f MB, .pos %.2f MB (headers, footers and list impacts aside,\n"
              "the re-encoded sizes above add up to these)\n",
              post_file / 1e6, pos_file / 1e6);
  return 0;
}
