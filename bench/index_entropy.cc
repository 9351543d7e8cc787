// index_entropy: how far each part of an index is from a simple information bound, to see
// where a format change can still win (docs/PERFORMANCE.md, "Index size").
//
//   index_entropy INDEX_DIR
//
// For every segment and every term of the indexed fields (not _id) it decodes the postings and
// re-encodes them with the writer's codecs for the file's format version (bench/list_bytes.h:
// impact lists from format 4, skip entries at per-list widths from 5, short tails from 6, dense
// doc blocks as bit sets from 8; format 7 changed only the dictionary, which is not modelled
// here). Self-check, printed last and
// failing the run (exit 1) when off: every list's re-encoded doc ids, frequencies, impact lists
// and skip data equal the file's (index/inspect/postings_bytes's split of .post), the file's
// parts add up to .post, and the re-encoded positions to .pos. It adds up what simple models say
// the same data needs at least:
//   doc ids     log2 C(N, df) per term: which df of the N documents hold it, with no model of
//               clustering (terms with df >= 2; single docs are inlined in the dictionary);
//   frequencies the zero-order entropy of tf over all postings;
//   positions   log2 C(L, tf) per posting: which tf of the L positions of the document, L from
//               the norm byte (an upper bound on the length), occurrences uniform;
// and what concrete codes would take: for positions, each document's first position in
// ceil(log2 L) bits with the in-document deltas kept in PFor runs or in Rice codes, binary
// interpolative coding of each document's positions within [0, L), and Rice codes (best k per
// 128 values, 8 bits for k, each group rounded to bytes); for doc ids and frequencies, the same
// Rice codes. bench/entropy_codecs has real encoders and decoders of these codes and times them.
// By list size: the lists whose values are all in the tail codec's varint form (df < 8), in its
// packed form (df < 128), and the lists with full blocks. "Layouts that decode as fast" models
// format 4's skip entries, list impacts and tails against what formats 5 and 6 made of them.
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "base/coding.h"
#include "bench/index_segments.h"
#include "bench/list_bytes.h"
#include "index/format/file_format.h"
#include "index/inspect/postings_bytes.h"
#include "index/postings/bitpack.h"
#include "index/postings/segment_postings.h"
#include "index/segment/norms.h"
#include "index/segment/segment_reader.h"

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

// Rice codes with the best parameter k per run of up to 128 values (one byte for k): the bits
// of sum(v >> k) + n * (k + 1), plus 8.
double RiceRunBits(const uint32_t* v, size_t n) {
  double best = 1e300;
  for (int k = 0; k < 32; ++k) {
    double bits = 8 + double(n) * (k + 1);
    for (size_t i = 0; i < n; ++i) bits += double(v[i] >> k);
    best = std::min(best, bits);
  }
  return best;
}

double RiceBytes(const std::vector<uint32_t>& v) {
  double bits = 0;
  for (size_t i = 0; i < v.size(); i += kBlockSize)
    bits += RiceRunBits(v.data() + i, std::min<size_t>(kBlockSize, v.size() - i));
  return std::ceil(bits / 8);
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

// Lists by document frequency: the tail codec's varint form (df < 8), its packed form (df < 128),
// and lists with full blocks.
constexpr int kClasses = 3;
const char* const kClassNames[kClasses] = {"df 2..7", "df 8..127", "df >= 128"};
int ClassOf(uint32_t df) { return df < 8 ? 0 : df < kBlockSize ? 1 : 2; }

struct ClassTotals {
  uint64_t terms = 0, postings = 0, positions = 0;
  double docs_bytes = 0, docs_bound = 0, tf_bytes = 0, pos_bytes = 0, pos_bound = 0;
};

struct Totals {
  ClassTotals by_class[kClasses];
  uint64_t postings = 0, positions = 0, blocks = 0;
  double docs_bytes = 0, docs_bound = 0;
  double tf_bytes = 0;
  std::map<uint32_t, uint64_t> tf_hist;
  double pos_bytes = 0, pos_bound = 0, pos_first_aware = 0, pos_interpolative = 0;
  double docs_rice = 0, tf_rice = 0, pos_rice = 0, pos_rice_first_aware = 0;
  // Layout changes that cost no decoding speed, against today's bytes of the same parts.
  double impacts_now = 0, impacts_dict = 0;  // list impacts: u32 in .post -> dictionary varints
  double skips_now = 0, skips_narrow = 0;    // skip entries: 16 bytes -> per-list byte widths
  double short_now = 0, short_joint = 0;     // tails of < 8 docs: joint doc gap and tf == 1 flag
  // The self-check: the lists re-encoded against the file's bytes of the same lists.
  PostingsBytes model, file;
  uint64_t lists_off = 0;   // lists whose re-encoding differs from the file
  uint64_t post_parts = 0;  // every list of .post (`_id` ones too), all parts
};

int BytesFor(uint64_t max) {
  int b = 1;
  while (b < 8 && (max >> (8 * b)) != 0) ++b;
  return b;
}

// One list (df >= 2): its gaps (the first against 0), tf - 1 values and the .pos bytes of each
// group. Sizes three layouts that decode as fast as today's.
void NarrowLayouts(const std::vector<uint32_t>& gaps, const std::vector<uint32_t>& tfs,
                   const std::vector<size_t>& pos_run_bytes, Totals* t) {
  const size_t df = gaps.size(), nb = df / kBlockSize;
  uint32_t max_tf = 0;
  for (uint32_t x : tfs) max_tf = std::max(max_tf, x + 1);
  t->impacts_now += 4;
  t->impacts_dict += scour::VarintLength(max_tf) + 1;  // max tf, min norm byte
  if (nb > 0) {
    uint64_t doc = 0, max_doc = 0, end = 0, pos_end = 0;
    uint32_t max_block_tf = 0;
    std::string out;
    for (size_t b = 0; b < nb; ++b) {
      for (size_t i = 0; i < kBlockSize; ++i) {
        doc += gaps[b * kBlockSize + i];
        max_block_tf = std::max(max_block_tf, tfs[b * kBlockSize + i] + 1);
      }
      max_doc = doc;
      out.clear();
      PackBlockPFor(gaps.data() + b * kBlockSize, &out);
      PackBlockPFor(tfs.data() + b * kBlockSize, &out);
      end += out.size();
      pos_end += pos_run_bytes.size() > b ? pos_run_bytes[b] : 0;
    }
    t->skips_now += 16.0 * nb;
    // A byte of widths per list, then per entry: last doc, block end, positions end and max tf
    // at those widths, and the min norm byte.
    t->skips_narrow += 1 + double(nb) * (BytesFor(max_doc) + BytesFor(end) + BytesFor(pos_end) +
                                         BytesFor(max_block_tf) + 1);
  }
  const size_t tail = df % kBlockSize;
  if (tail > 0 && tail < kTailPackMin) {
    std::vector<uint32_t> g(gaps.end() - tail, gaps.end()), f(tfs.end() - tail, tfs.end());
    std::string out;
    PackTail(g.data(), tail, &out);
    PackTail(f.data(), tail, &out);
    t->short_now += out.size();
    for (size_t i = 0; i < tail; ++i) {
      t->short_joint += scour::VarintLength(uint64_t{g[i]} << 1 | (f[i] == 0));
      if (f[i] != 0) t->short_joint += scour::VarintLength(f[i] - 1);
    }
  }
}

// Format 6 codes a tail of < 8 docs as one varint per doc (gap and tf == 1), tf - 2 after it when
// tf > 1: what that changes in RunBytes(gaps) and RunBytes(tf - 1), doc ids' part and tf's part.
void ShortTailChange(const std::vector<uint32_t>& gaps, const std::vector<uint32_t>& tfs,
                     double* docs, double* freqs) {
  const size_t tail = gaps.size() % kBlockSize;
  if (tail == 0 || tail >= kTailPackMin) return;
  for (size_t i = gaps.size() - tail; i < gaps.size(); ++i) {
    *docs +=
        scour::VarintLength(uint64_t{gaps[i]} << 1 | (tfs[i] == 0)) - scour::VarintLength(gaps[i]);
    *freqs += (tfs[i] == 0 ? 0 : scour::VarintLength(tfs[i] - 1)) - scour::VarintLength(tfs[i]);
  }
}

void Segment(const SegmentReader& r, Totals* t) {
  const uint32_t version = FrameVersion(r.post_file());
  const bool short_tails = version >= 6;
  if (auto all = MeasurePostings(r); all.ok())
    t->post_parts += all->skip + all->doc_ids + all->freqs + all->impacts;
  else
    t->lists_off += 1u << 30;  // unreadable: fails the check
  std::vector<uint32_t> docs, freqs;
  std::vector<uint8_t> doc_norms;
  const uint32_t n_docs = r.max_doc();
  std::vector<uint32_t> gaps, tfs, group, firsts, deltas, pos;
  std::vector<size_t> pos_run_bytes;  // .pos bytes of each group of the current list
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
    docs.clear();
    freqs.clear();
    doc_norms.clear();
    pos_run_bytes.clear();
    uint32_t prev = 0, in_group = 0;
    ClassTotals* c = info.df >= 2 ? &t->by_class[ClassOf(info.df)] : nullptr;
    auto flush_group = [&] {
      t->pos_bytes += RunBytes(group);
      pos_run_bytes.push_back(RunBytes(group));
      if (c) c->pos_bytes += RunBytes(group);
      t->pos_first_aware += std::ceil(first_bits / 8) + RunBytes(deltas);
      t->pos_rice += RiceBytes(group);
      t->pos_rice_first_aware += std::ceil(first_bits / 8) + RiceBytes(deltas);
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
      docs.push_back(d);
      freqs.push_back(tf);
      doc_norms.push_back(norms[d]);
      tfs.push_back(tf - 1);
      if (info.df >= 2) t->tf_hist[tf]++;
      pos.clear();
      p.Positions(&pos);
      uint32_t len =
          norms[d] == 255 ? UINT32_MAX : NormToLength(static_cast<uint8_t>(norms[d] + 1));
      for (uint32_t x : pos) len = std::max(len, x + 1);
      t->pos_bound += Log2Binomial(len, tf);
      if (c) {
        c->pos_bound += Log2Binomial(len, tf) / 8;
        c->positions += tf;
        c->postings++;
      }
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
      uint64_t pos_end = 0;  // the .pos bytes of the full blocks
      for (size_t b = 0; b < info.df / kBlockSize && b < pos_run_bytes.size(); ++b)
        pos_end += pos_run_bytes[b];
      const PostingsBytes model = scour::bench::SizeList(
          docs.data(), freqs.data(), doc_norms.data(), docs.size(), version, pos_end);
      auto file = MeasureList(r.post_file(), info);
      if (!file.ok() || file->doc_ids != model.doc_ids || file->freqs != model.freqs ||
          file->impacts != model.impacts || file->skip != model.skip)
        ++t->lists_off;
      t->model += model;
      if (file.ok()) t->file += *file;
      NarrowLayouts(gaps, tfs, pos_run_bytes, t);
      t->docs_bytes += RunBytes(gaps);
      t->docs_bound += Log2Binomial(n_docs, info.df) / 8;
      t->tf_bytes += RunBytes(tfs);
      t->blocks += info.df / kBlockSize;
      c->terms++;
      c->docs_bytes += RunBytes(gaps);
      c->docs_bound += Log2Binomial(n_docs, info.df) / 8;
      c->tf_bytes += RunBytes(tfs);
      if (short_tails) {  // the file's own tails, so the sums still match it
        double docs = 0, freqs = 0;
        ShortTailChange(gaps, tfs, &docs, &freqs);
        t->docs_bytes += docs;
        c->docs_bytes += docs;
        t->tf_bytes += freqs;
        c->tf_bytes += freqs;
      }
      for (size_t k = 1; k < gaps.size(); ++k) gaps[k] -= 1;  // gaps after the first are >= 1
      t->docs_rice += RiceBytes(gaps);
      t->tf_rice += RiceBytes(tfs);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: index_entropy INDEX_DIR\n");
    return 2;
  }
  auto index = scour::bench::OpenIndexSegments(argv[1]);
  if (!index.ok()) {
    std::fprintf(stderr, "%s\n", std::string(index.status().message()).c_str());
    return 1;
  }
  Totals t;
  uint64_t post_file = 0, pos_file = 0;
  for (const auto& seg : index->segments) {
    Segment(*seg, &t);
    post_file += seg->post_file().size();
    pos_file += seg->pos_file().size();
  }
  double tf_entropy = 0, tf_count = 0;
  for (const auto& [tf, n] : t.tf_hist) tf_count += n;
  for (const auto& [tf, n] : t.tf_hist) tf_entropy -= n * std::log2(double(n) / tf_count);
  std::printf("postings %llu, positions %llu\n", (unsigned long long)t.postings,
              (unsigned long long)t.positions);
  std::printf("%-34s %10s %10s\n", "part (MB)", "stored", "bound");
  std::printf("%-34s %10.2f %10.2f\n", "doc ids (lists with df >= 2)", t.docs_bytes / 1e6,
              t.docs_bound / 1e6);
  std::printf("%-34s %10.2f %10.2f\n", "frequencies (df >= 2)", t.tf_bytes / 1e6, tf_entropy / 8e6);
  std::printf("%-34s %10.2f %10s\n", "skip data", t.file.skip / 1e6, "");
  std::printf("%-34s %10.2f %10s\n", "impact lists (format 4 on)", t.file.impacts / 1e6, "");
  std::printf("%-34s %10.2f %10.2f\n", "positions", t.pos_bytes / 1e6, t.pos_bound / 8e6);
  std::printf("%-34s %10.2f\n", "  first in ceil(log2 L) bits", t.pos_first_aware / 1e6);
  std::printf("%-34s %10.2f\n", "  interpolative within [0, L)", t.pos_interpolative / 1e6);
  std::printf("%-34s %10.2f\n", "  Rice, k per 128", t.pos_rice / 1e6);
  std::printf("%-34s %10.2f\n", "  first ceil(log2 L), Rice deltas", t.pos_rice_first_aware / 1e6);
  std::printf("%-34s %10.2f\n", "doc ids Rice, k per 128", t.docs_rice / 1e6);
  std::printf("%-34s %10.2f\n", "tf Rice, k per 128", t.tf_rice / 1e6);
  std::printf("\nlayouts that decode as fast (MB)  format 4  5/6 model\n");
  std::printf("%-34s %8.2f %10.2f\n", "list impacts -> dictionary varints", t.impacts_now / 1e6,
              t.impacts_dict / 1e6);
  std::printf("%-34s %8.2f %10.2f\n", "skip entries at per-list widths", t.skips_now / 1e6,
              t.skips_narrow / 1e6);
  std::printf("%-34s %8.2f %10.2f\n", "tails < 8: gap and tf==1 joint", t.short_now / 1e6,
              t.short_joint / 1e6);
  std::printf("\nby list size (df >= 2), MB\n%-12s %9s %9s %9s %9s %9s %9s %9s %9s\n", "lists",
              "terms", "postings", "docs", "bound", "tf", "positions", "pos", "bound");
  for (int k = 0; k < kClasses; ++k) {
    const ClassTotals& c = t.by_class[k];
    std::printf("%-12s %9llu %9llu %9.2f %9.2f %9.2f %9llu %9.2f %9.2f\n", kClassNames[k],
                (unsigned long long)c.terms, (unsigned long long)c.postings, c.docs_bytes / 1e6,
                c.docs_bound / 1e6, c.tf_bytes / 1e6, (unsigned long long)c.positions,
                c.pos_bytes / 1e6, c.pos_bound / 1e6);
  }
  // The self-check: the model is the file, list by list, and the lists are the files.
  uint64_t post_frames = 0, pos_frames = 0;
  for (size_t i = 0; i < index->segments.size(); ++i) {
    post_frames += kHeaderSize + kFooterSize;
    pos_frames += kHeaderSize + kFooterSize;
  }
  const bool lists_ok = t.lists_off == 0;
  const bool post_ok = post_frames + t.post_parts == post_file;
  const bool pos_ok = pos_frames + uint64_t(t.pos_bytes) == pos_file;
  std::printf(
      "\nself-check: lists re-encoded (df >= 2, not _id) %llu bytes = the file's %llu: %s\n"
      "  doc ids %llu / %llu, frequencies %llu / %llu, impact lists %llu / %llu, skip data "
      "%llu / %llu\n"
      "  .post %llu bytes = frames %llu + every list's parts %llu: %s\n"
      "  .pos %llu bytes = frames %llu + positions re-encoded %.0f: %s\n",
      (unsigned long long)(t.model.doc_ids + t.model.freqs + t.model.impacts + t.model.skip),
      (unsigned long long)(t.file.doc_ids + t.file.freqs + t.file.impacts + t.file.skip),
      lists_ok ? "ok" : "DIFFERENT", (unsigned long long)t.model.doc_ids,
      (unsigned long long)t.file.doc_ids, (unsigned long long)t.model.freqs,
      (unsigned long long)t.file.freqs, (unsigned long long)t.model.impacts,
      (unsigned long long)t.file.impacts, (unsigned long long)t.model.skip,
      (unsigned long long)t.file.skip, (unsigned long long)post_file,
      (unsigned long long)post_frames, (unsigned long long)t.post_parts,
      post_ok ? "ok" : "DIFFERENT", (unsigned long long)pos_file, (unsigned long long)pos_frames,
      t.pos_bytes, pos_ok ? "ok" : "DIFFERENT");
  if (!lists_ok) std::printf("  %llu lists differ\n", (unsigned long long)t.lists_off);
  if (!(lists_ok && post_ok && pos_ok)) return 1;
  return 0;
}
