// bp_reorder: what reordering the documents by recursive graph bisection (BP; Dhulipala et al.,
// KDD 2016, "Compressing graphs and indexes with recursive graph bisection") would save in
// doc-id and frequency bytes, and how long the bisection takes (docs/PERFORMANCE.md, "Document
// reordering"). A measurement, not a product feature: the index is only read.
//
//   bp_reorder INDEX_DIR [--iters 5,10,20] [--min-partition 32] [--max-depth 64]
//              [--min-df 2] [--max-df-frac 1.0] [--positions] [--random] [--write-order FILE]
//
// The lists of every term of the indexed fields (not _id) with df >= 2 are read into one
// term-major array (CSR: docs and tf, in the index's order). From it a forward index doc ->
// term ids (CSR) of the terms with min_df <= df <= max_df_frac * N is built, and for each
// setting (every combination of the comma-separated lists) the documents are bisected by
// index/writer/graph_bisection.h (what `scour merge --reorder` runs) with `iters` rounds per
// split, down to `min_partition` docs or `max_depth`.
//
// Then every list is mapped through the permutation, sorted with its tf, and sized as the .post
// file of the index's format version stores it (bench/list_bytes.h, the writer's codecs: doc ids,
// frequencies, format 4's impact lists, format 5's skip entries at per-list widths, format 6's
// short tails). Self-check: the original order must reproduce the file's bytes of every list
// (index/inspect/postings_bytes), else the run fails. With --positions the positions are
// re-packed too: their values are per document, but a .pos run concatenates the documents of a
// 128-doc group, so the packing can move (without it the skip entries' positions column keeps
// its original width). --random adds a shuffled order (fixed seed) as a no-locality reference.
// Outside .post and .pos the order changes the dictionary: the doc ids of df-1 terms, and the
// ids: up to format 6 the _id entries' doc deltas, from format 7 the doc map (document -> `_id`
// entry, re-encoded in the new order: FOR blocks of ~log2 M bits once the ids are scattered);
// the whole .tdict is re-encoded exactly but for the postings offsets, which stay the original
// ones (a second-order effect on their deltas' varints); self-check: the original order gives
// the file's size. The index must be of format 6 or 7 (`scour merge` rewrites an older one);
// stored fields are not modelled (from format 5 no ids are stored; the latency table's index
// stores nothing else). Each row reports the changes and their sum, the estimate of `scour
// merge --reorder`'s index with that order.
// The doc ids are also sized in Rice codes (index_entropy's model).
// --write-order FILE writes the last setting's order (the old doc ids in their new order, one a
// line): for a one-thread build of a JSONL file, doc ids are line numbers, so reordering the
// lines gives the reordered index to measure queries on.
// Times: wall and process CPU time of the forward index and of the bisection, per setting, and
// the CPU time of remapping and re-sorting every list's (doc, tf).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "base/coding.h"
#include "bench/index_segments.h"
#include "bench/list_bytes.h"
#include "index/format/file_format.h"
#include "index/inspect/postings_bytes.h"
#include "index/postings/bitpack.h"
#include "index/postings/segment_postings.h"
#include "index/segment/segment_format.h"
#include "index/segment/segment_reader.h"
#include "index/segment/term_dict.h"
#include "index/writer/graph_bisection.h"

namespace {

using namespace scour::index;

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}
double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Bytes of a sequence as the postings files store one (index_entropy's RunBytes), reusing
// one output buffer.
size_t RunBytes(const uint32_t* v, size_t n, std::string* buf) {
  buf->clear();
  size_t i = 0;
  for (; i + kBlockSize <= n; i += kBlockSize) PackBlockPFor(v + i, buf);
  PackTail(v + i, n - i, buf);
  return buf->size();
}

// Rice codes with the best k per run of 128 values, 8 bits for k (index_entropy's "doc ids Rice,
// k per 128"): what a bit-level code, ruled out for decode speed, would make of the new order.
double RiceBytes(const uint32_t* v, size_t n) {
  double bits = 0;
  for (size_t i = 0; i < n; i += kBlockSize) {
    const size_t m = std::min<size_t>(kBlockSize, n - i);
    double best = 1e300;
    for (int k = 0; k < 32; ++k) {
      double b = 8 + double(m) * (k + 1);
      for (size_t j = 0; j < m; ++j) b += double(v[i + j] >> k);
      best = std::min(best, b);
    }
    bits += best;
  }
  return std::ceil(bits / 8);
}

// The postings of every term with df >= 2, term-major, in the index's doc order.
struct Lists {
  uint32_t n_docs = 0;
  std::vector<uint64_t> off{0};   // list t is [off[t], off[t+1])
  std::vector<uint32_t> doc, tf;  // per posting
  // With --positions: the posting's position deltas (first against 0), [pos_off[p], pos_off[p+1]).
  std::vector<uint64_t> pos_off;
  std::vector<uint32_t> pos;
  // Per list: its field's norms (for the impact lists) and its original positions end (the skip
  // entries' column, whose width counts); the file's bytes of all the lists.
  std::vector<const uint8_t*> norms;
  std::vector<uint32_t> pos_end;
  PostingsBytes file;
  uint32_t version = 0;  // of .post
  size_t terms() const { return off.size() - 1; }
};

bool ReadLists(const SegmentReader& r, bool positions, Lists* out) {
  out->n_docs = r.max_doc();
  out->version = FrameVersion(r.post_file());
  if (positions) out->pos_off.push_back(0);
  std::vector<uint32_t> p_buf;
  for (auto it = r.dict().Seek(std::string(1, '\x01')); it.Valid(); it.Next()) {
    uint32_t field = static_cast<uint8_t>(it.key()[0]);
    if (field & 0x80) break;  // as index_entropy: field ids >= 128 are not in these corpora
    if (r.norms(field) == nullptr) continue;
    const TermInfo& info = it.info();
    if (info.df < 2) continue;
    SegmentPostings p = r.Postings(field, info);
    for (DocId d = p.doc(); d != kNoMoreDocs; d = p.Next()) {
      out->doc.push_back(d);
      out->tf.push_back(p.freq());
      if (positions) {
        p_buf.clear();
        p.Positions(&p_buf);
        for (size_t k = 0; k < p_buf.size(); ++k)
          out->pos.push_back(k == 0 ? p_buf[0] : p_buf[k] - p_buf[k - 1]);
        out->pos_off.push_back(out->pos.size());
      }
    }
    if (!p.ok() || out->doc.size() - out->off.back() != info.df) return false;
    out->off.push_back(out->doc.size());
    out->norms.push_back(r.norms(field));
    auto file = MeasureList(r.post_file(), info);
    if (!file.ok()) return false;
    out->file += *file;
    const uint32_t nb = info.df / kBlockSize;
    const char* list = r.post_file().data() + info.postings;
    const SkipLayout layout = ReadSkipLayout(out->version, nb, list);
    out->pos_end.push_back(nb == 0 ? 0 : ReadSkip(list + layout.head, layout, nb - 1, kSkipPosEnd));
  }
  return true;
}

// Forward index doc -> term ids (CSR) of the terms with min_df <= df <= max_df: the graph of
// index/writer/graph_bisection.h. Term ids are renumbered by decreasing df, so the per-term
// arrays of the frequent terms, which most postings touch, share a few cache lines (as the merge
// builds it).
DocTermGraph BuildForward(const Lists& l, uint32_t min_df, uint32_t max_df) {
  DocTermGraph f;
  f.off.assign(size_t{l.n_docs} + 1, 0);
  std::vector<uint32_t> used;
  for (size_t t = 0; t < l.terms(); ++t) {
    const uint64_t df = l.off[t + 1] - l.off[t];
    if (df >= min_df && df <= max_df) used.push_back(uint32_t(t));
  }
  std::stable_sort(used.begin(), used.end(), [&](uint32_t a, uint32_t b) {
    return l.off[a + 1] - l.off[a] > l.off[b + 1] - l.off[b];
  });
  f.num_terms = uint32_t(used.size());
  for (uint32_t t : used)
    for (uint64_t p = l.off[t]; p < l.off[t + 1]; ++p) ++f.off[l.doc[p] + 1];
  for (size_t d = 0; d < l.n_docs; ++d) f.off[d + 1] += f.off[d];
  f.term.resize(f.off.back());
  std::vector<uint64_t> fill(f.off.begin(), f.off.end() - 1);
  for (uint32_t rank = 0; rank < used.size(); ++rank) {
    const uint32_t t = used[rank];
    for (uint64_t p = l.off[t]; p < l.off[t + 1]; ++p) f.term[fill[l.doc[p]]++] = rank;
  }
  return f;
}

struct Sizes {
  PostingsBytes post;  // every list as .post stores it
  uint64_t docs = 0, tf = 0, pos = 0, skip_blocks = 0;
  double log_gap_bits = 0;  // sum of log2(gap + 1): the paper's objective, for reference
  double docs_rice = 0;
};

// Sizes of every list with doc ids mapped through new_id (identity when empty).
Sizes Measure(const Lists& l, const std::vector<uint32_t>& new_id, bool positions) {
  Sizes s;
  std::string buf;
  std::vector<std::pair<uint32_t, uint32_t>> order;  // (new doc, posting index)
  std::vector<uint32_t> gaps, tfs, group, docs, freqs;
  std::vector<uint8_t> norms;
  for (size_t t = 0; t < l.terms(); ++t) {
    const uint64_t b = l.off[t], e = l.off[t + 1];
    order.clear();
    for (uint64_t p = b; p < e; ++p)
      order.emplace_back(new_id.empty() ? l.doc[p] : new_id[l.doc[p]], uint32_t(p));
    if (!new_id.empty()) std::sort(order.begin(), order.end());
    gaps.clear();
    tfs.clear();
    docs.clear();
    freqs.clear();
    norms.clear();
    uint32_t prev = 0;
    for (size_t i = 0; i < order.size(); ++i) {
      const uint32_t d = order[i].first;
      docs.push_back(d);
      freqs.push_back(l.tf[order[i].second]);
      norms.push_back(l.norms[t] ? l.norms[t][l.doc[order[i].second]] : 0);
      const uint32_t gap = i == 0 ? d : d - prev;
      gaps.push_back(gap);
      s.log_gap_bits += std::log2(double(gap) + 1);
      prev = d;
      tfs.push_back(l.tf[order[i].second] - 1);
    }
    for (size_t k = 1; k < gaps.size(); ++k) gaps[k] -= 1;  // gaps after the first are >= 1
    s.docs_rice += RiceBytes(gaps.data(), gaps.size());
    s.skip_blocks += (e - b) / kBlockSize;
    uint64_t pos_end = l.pos_end[t];
    if (positions) {
      // One run per group of 128 postings (and the tail): the documents' deltas concatenated.
      pos_end = 0;
      for (size_t g = 0; g < order.size(); g += kBlockSize) {
        group.clear();
        for (size_t i = g; i < std::min(order.size(), g + kBlockSize); ++i) {
          const uint32_t p = order[i].second;
          group.insert(group.end(), l.pos.begin() + l.pos_off[p], l.pos.begin() + l.pos_off[p + 1]);
        }
        const size_t bytes = RunBytes(group.data(), group.size(), &buf);
        s.pos += bytes;
        if (g + kBlockSize <= order.size()) pos_end += bytes;
      }
    }
    s.post += scour::bench::SizeList(docs.data(), freqs.data(), norms.data(), docs.size(),
                                     l.version, pos_end);
  }
  s.docs = s.post.doc_ids;
  s.tf = s.post.freqs;
  return s;
}

// What the order changes outside .post and .pos: the dictionary's single-doc entries (up to
// format 6 an _id entry is a signed doc delta against the previous _id entry of its block, small
// while ids sorted as strings are consecutive documents; a term of df 1 stores its doc id), from
// format 7 the doc map.
struct DictEntry {
  std::string key;
  TermInfo info;
};

struct Dict {
  std::vector<DictEntry> entries;
  uint32_t version = 0;
  std::vector<uint32_t> ordinals;  // format 7: each document's `_id` entry
  uint32_t num_ids = 0;
};

bool ReadDict(const SegmentReader& r, Dict* d) {
  d->version = r.dict().has_doc_map() ? 7 : 6;
  for (auto it = r.dict().Seek(std::string_view()); it.Valid(); it.Next())
    d->entries.push_back({std::string(it.key()), it.info()});
  if (!r.dict().has_doc_map()) return true;
  d->num_ids = r.dict().num_id_entries();
  return r.dict().DocMap(&d->ordinals).ok();
}

// Bytes of the whole .tdict (format 6 or 7 layout: frame, blocks, block index at the width of
// its offsets, doc map, tail) with the docs mapped through new_id (identity when empty). The
// postings offsets stay the original ones (the lists' sizes change by a few percent: a
// second-order effect on their deltas' varints).
uint64_t DictFileBytes(const Dict& dict, const std::vector<uint32_t>& new_id) {
  std::string block, head;
  std::vector<uint64_t> offsets;
  uint64_t at = kHeaderSize;
  const auto& e = dict.entries;
  for (size_t b = 0; b < e.size(); b += kTermsPerDictBlock) {
    block.clear();
    DictBlockState state;
    const size_t end = std::min(e.size(), b + kTermsPerDictBlock);
    for (size_t i = b; i < end; ++i) {
      size_t shared = 0;
      if (i > b) {
        const std::string &k = e[i].key, &prev = e[i - 1].key;
        while (shared < std::min(k.size(), prev.size()) && k[shared] == prev[shared]) ++shared;
      }
      TermInfo info = e[i].info;
      if (dict.version >= 7 && info.df == 0) {  // an _id key: its documents are the doc map's
        AppendDictIdKey(&block, e[i].key, shared);
        continue;
      }
      if (info.df == 1 && !new_id.empty()) info.single_doc = new_id[info.single_doc];
      AppendDictEntryV2(&block, e[i].key, shared, info, &state);
    }
    head.clear();
    scour::PutVarint32(&head, uint32_t(end - b));
    offsets.push_back(at);
    at += head.size() + block.size();
  }
  const uint64_t index =
      5 + offsets.size() * DictBlockIndexWidth(offsets.empty() ? 0 : offsets.back());
  uint64_t map = 0;
  if (dict.version >= 7) {
    std::vector<uint32_t> ordinals = dict.ordinals;
    if (!new_id.empty())
      for (uint32_t d = 0; d < ordinals.size(); ++d) ordinals[new_id[d]] = dict.ordinals[d];
    map = EncodeDocMap(ordinals, dict.num_ids).size();
  }
  return at + index + map + (dict.version >= 7 ? 24 : 16) + kFooterSize;
}

uint64_t FileSize(const std::string& dir, const char* ext) {
  uint64_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ext) n += e.file_size();
  return n;
}

// The remapping a writer would do for .post: every list's (doc, tf) mapped and re-sorted into
// new arrays (positions would move with their postings: not timed). Returns a checksum so the
// work is not optimised away.
uint64_t ApplyPostings(const Lists& l, const std::vector<uint32_t>& new_id,
                       std::vector<uint64_t>* out) {
  out->resize(l.doc.size());
  for (size_t t = 0; t < l.terms(); ++t) {
    uint64_t* o = out->data() + l.off[t];
    const size_t n = l.off[t + 1] - l.off[t];
    for (size_t i = 0; i < n; ++i)
      o[i] = uint64_t{new_id[l.doc[l.off[t] + i]]} << 32 | l.tf[l.off[t] + i];
    std::sort(o, o + n);
  }
  return out->empty() ? 0 : out->front() + out->back();
}

std::vector<long> ParseList(const char* s) {
  std::vector<long> v;
  for (const char* p = s; *p;) {
    char* end;
    v.push_back(std::strtol(p, &end, 10));
    p = *end == ',' ? end + 1 : end;
    if (end == p && *p) break;
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: bp_reorder INDEX_DIR [--iters 5,10,20] [--min-partition 32] "
                 "[--max-depth 64] [--min-df 2] [--max-df-frac 1.0] [--positions] [--random] "
                 "[--write-order FILE]\n");
    return 2;
  }
  std::vector<long> iters = {5, 10, 20}, min_parts = {32}, max_depths = {64}, min_dfs = {2};
  double max_df_frac = 1.0;
  bool positions = false, random = false;
  std::string write_order;  // where to write the last setting's order, one old doc id a line
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--iters")
      iters = ParseList(next());
    else if (a == "--min-partition")
      min_parts = ParseList(next());
    else if (a == "--max-depth")
      max_depths = ParseList(next());
    else if (a == "--min-df")
      min_dfs = ParseList(next());
    else if (a == "--max-df-frac")
      max_df_frac = std::atof(next());
    else if (a == "--positions")
      positions = true;
    else if (a == "--random")
      random = true;
    else if (a == "--write-order")
      write_order = next();
    else {
      std::fprintf(stderr, "unknown flag %s\n", a.c_str());
      return 2;
    }
  }
  auto index = scour::bench::OpenIndexSegments(argv[1]);
  if (!index.ok()) {
    std::fprintf(stderr, "%s\n", std::string(index.status().message()).c_str());
    return 1;
  }
  if (index->segments.size() != 1) {
    std::fprintf(stderr, "bp_reorder needs an index of one segment (has %zu)\n",
                 index->segments.size());
    return 1;
  }
  Lists lists;
  double w0 = WallSeconds(), c0 = CpuSeconds();
  if (!ReadLists(*index->segments[0], positions, &lists)) {
    std::fprintf(stderr, "a postings list did not decode\n");
    return 1;
  }
  std::printf(
      "docs %u, terms with df >= 2 %zu, their postings %zu%s; read in %.2f s wall, %.2f s CPU\n",
      lists.n_docs, lists.terms(), lists.doc.size(),
      positions ? (", positions " + std::to_string(lists.pos.size())).c_str() : "",
      WallSeconds() - w0, CpuSeconds() - c0);
  const SegmentReader& seg = *index->segments[0];
  Dict dict;
  if (!ReadDict(seg, &dict)) {
    std::fprintf(stderr, "the doc map did not decode\n");
    return 1;
  }
  if (FrameVersion(seg.post_file()) < 6 || FrameVersion(seg.post_file()) > 7) {
    std::fprintf(stderr, "bp_reorder models formats 6 and 7 (rebuild or merge the index)\n");
    return 1;
  }
  std::vector<uint32_t> identity(lists.n_docs);
  std::iota(identity.begin(), identity.end(), 0);
  const uint64_t dict_base = DictFileBytes(dict, {});
  const uint64_t tdict_file = FileSize(argv[1], ".tdict");
  uint64_t index_bytes = 0;  // the segment's files, as `scour stats` counts them
  for (const auto& e : std::filesystem::directory_iterator(argv[1]))
    if (e.is_regular_file() && e.path().filename().string().starts_with("s"))
      index_bytes += e.file_size();
  std::printf("dictionary: %zu entries, .tdict re-encoded %llu bytes (file %llu)%s\n",
              dict.entries.size(), (unsigned long long)dict_base, (unsigned long long)tdict_file,
              dict.version >= 7 ? ", doc map included" : "");
  const Sizes base = Measure(lists, {}, positions);
  const PostingsBytes& m = base.post;
  const PostingsBytes& f = lists.file;
  const bool post_ok =
      m.doc_ids == f.doc_ids && m.freqs == f.freqs && m.impacts == f.impacts && m.skip == f.skip;
  const bool dict_ok = dict_base == tdict_file;
  std::printf(
      "original order (.post format %u): doc ids %llu bytes, frequencies %llu, impact lists "
      "%llu, skip data %llu%s\n"
      "self-check: the original order re-encoded = the file's lists (doc ids %llu, frequencies "
      "%llu, impact lists %llu, skip data %llu): %s; .tdict: %s\n",
      lists.version, (unsigned long long)m.doc_ids, (unsigned long long)m.freqs,
      (unsigned long long)m.impacts, (unsigned long long)m.skip,
      positions ? (", positions " + std::to_string(base.pos) + " bytes").c_str() : "",
      (unsigned long long)f.doc_ids, (unsigned long long)f.freqs, (unsigned long long)f.impacts,
      (unsigned long long)f.skip, post_ok ? "ok" : "DIFFERENT", dict_ok ? "ok" : "DIFFERENT");
  if (!post_ok || !dict_ok) return 1;
  std::printf("\n%-28s %10s %9s %10s %9s %7s %7s %9s %8s %8s%s\n", "setting", "docs MB", "tf MB",
              "saved MB", "saved", "lgap MB", "Rice MB", "fwd s", "wall s", "CPU s",
              positions ? "    pos MB" : "");
  // One row per order; `perm` lists the original docs in their new order (empty: original).
  auto row = [&](const std::string& name, const std::vector<uint32_t>& perm, double fwd,
                 double wall, double cpu) {
    std::vector<uint32_t> new_id;
    if (!perm.empty()) {
      new_id.resize(lists.n_docs);
      for (uint32_t i = 0; i < lists.n_docs; ++i) new_id[perm[i]] = i;
    }
    double apply_cpu = 0;
    if (!perm.empty()) {
      std::vector<uint64_t> applied;
      const double a0 = CpuSeconds();
      const uint64_t sum = ApplyPostings(lists, new_id, &applied);
      apply_cpu = CpuSeconds() - a0;
      if (sum == 1) std::printf(" ");
    }
    const Sizes s = Measure(lists, new_id, positions);
    const double before = double(base.docs + base.tf), after = double(s.docs + s.tf);
    std::printf("%-28s %10.3f %9.3f %10.3f %8.2f%% %7.3f %7.3f %9.2f %8.2f %8.2f", name.c_str(),
                s.docs / 1e6, s.tf / 1e6, (before - after) / 1e6, 100 * (before - after) / before,
                s.log_gap_bits / 8e6, s.docs_rice / 1e6, fwd, wall, cpu);
    if (positions) std::printf(" %9.3f", s.pos / 1e6);
    std::printf("\n");
    if (!perm.empty()) {
      const auto parts = [](const PostingsBytes& p) {
        return int64_t(p.doc_ids + p.freqs + p.impacts + p.skip);
      };
      const int64_t post_delta = parts(s.post) - parts(base.post);
      const int64_t dict_delta = int64_t(DictFileBytes(dict, new_id)) - int64_t(dict_base);
      const int64_t pos_delta = positions ? int64_t(s.pos) - int64_t(base.pos) : 0;
      std::printf(
          "#   .post %+lld bytes (impact lists %+lld, skip data %+lld), .tdict %+lld",
          (long long)post_delta, (long long)(int64_t(s.post.impacts) - int64_t(base.post.impacts)),
          (long long)(int64_t(s.post.skip) - int64_t(base.post.skip)), (long long)dict_delta);
      if (positions) std::printf(", .pos %+lld", (long long)pos_delta);
      std::printf(
          "\n#   index %llu -> %llu bytes%s; remapping and sorting the lists (doc, tf) %.2f s "
          "CPU\n",
          (unsigned long long)index_bytes,
          (unsigned long long)(int64_t(index_bytes) + post_delta + dict_delta + pos_delta),
          positions ? "" : " (without --positions: .pos unchanged)", apply_cpu);
    }
    std::fflush(stdout);
  };
  row("original", {}, 0, 0, 0);
  if (random) {
    std::vector<uint32_t> perm = identity;
    std::shuffle(perm.begin(), perm.end(), std::mt19937(12345));
    row("random", perm, 0, 0, 0);
  }
  for (long min_df : min_dfs) {
    const uint32_t max_df = uint32_t(std::floor(max_df_frac * lists.n_docs));
    double fw0 = WallSeconds(), fc0 = CpuSeconds();
    DocTermGraph fwd = BuildForward(lists, uint32_t(std::max(2L, min_df)), max_df);
    const double fwd_wall = WallSeconds() - fw0, fwd_cpu = CpuSeconds() - fc0;
    std::printf(
        "# forward index: min df %ld, max df %u: %u terms, %zu postings, %.1f MB; "
        "built in %.2f s wall, %.2f s CPU\n",
        min_df, max_df, fwd.num_terms, fwd.term.size(),
        (fwd.term.size() * 4.0 + fwd.off.size() * 8.0) / 1e6, fwd_wall, fwd_cpu);
    for (long md : max_depths)
      for (long mp : min_parts)
        for (long it : iters) {
          BisectionParams p;
          p.iterations = int(it);
          p.min_partition = uint32_t(mp);
          p.max_depth = int(md);
          double bw0 = WallSeconds(), bc0 = CpuSeconds();
          BisectionStats st;
          const std::vector<uint32_t> perm = BisectionOrder(fwd, p, &st);
          const double bp_wall = WallSeconds() - bw0, bp_cpu = CpuSeconds() - bc0;
          std::vector<bool> seen(lists.n_docs);
          for (uint32_t d : perm) seen[d] = true;
          if (std::find(seen.begin(), seen.end(), false) != seen.end()) {
            std::fprintf(stderr, "not a permutation\n");
            return 1;
          }
          char name[96];
          std::snprintf(name, sizeof name, "it %ld, part %ld, depth %ld, df>=%ld", it, mp, md,
                        min_df);
          row(name, perm, fwd_wall, bp_wall, bp_cpu);
          if (!write_order.empty()) {
            FILE* f = std::fopen(write_order.c_str(), "w");
            if (f == nullptr) {
              std::fprintf(stderr, "cannot write %s\n", write_order.c_str());
              return 1;
            }
            for (uint32_t d : perm) std::fprintf(f, "%u\n", d);
            std::fclose(f);
          }
          std::printf("#   splits %llu, rounds %llu, documents moved %llu\n",
                      (unsigned long long)st.splits, (unsigned long long)st.rounds,
                      (unsigned long long)st.moved);
        }
  }
  std::printf(
      "\nfwd s: wall time of the forward index (once per min df); wall s / CPU s: the "
      "bisection alone.\nlgap MB: sum of log2(gap + 1) over all postings / 8, the "
      "paper's objective;\nRice MB: the doc ids in Rice codes, best k per 128 (not a "
      "format: index_entropy's model).\n");
  return 0;
}
