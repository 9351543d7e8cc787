#include "index/writer/merger.h"

#include <time.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/status_macros.h"
#include "index/segment/segment_writer.h"

namespace scour::index {
namespace {

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// The union of the sources' dictionaries in key order: each key once, with the sources that
// hold it (in segment order).
class TermWalk {
 public:
  explicit TermWalk(const std::vector<std::shared_ptr<SegmentReader>>& segs) : heap_(Cmp{this}) {
    for (const auto& s : segs) its_.push_back(s->dict().Seek(""));
  }
  absl::Status Start() {
    for (size_t i = 0; i < its_.size(); ++i) {
      SCOUR_RETURN_IF_ERROR(its_[i].status());
      if (its_[i].Valid()) heap_.push(i);
    }
    return absl::OkStatus();
  }
  // The next key and its holders; false at the end.
  bool Take(std::string* key, std::vector<size_t>* holders) {
    if (heap_.empty()) return false;
    key->assign(its_[heap_.top()].key());
    holders->clear();
    while (!heap_.empty() && its_[heap_.top()].key() == *key) {
      holders->push_back(heap_.top());
      heap_.pop();
    }
    std::sort(holders->begin(), holders->end());
    return true;
  }
  // Moves the holders of the key taken past it.
  absl::Status Advance(const std::vector<size_t>& holders) {
    for (size_t s : holders) {
      its_[s].Next();
      SCOUR_RETURN_IF_ERROR(its_[s].status());
      if (its_[s].Valid()) heap_.push(s);
    }
    return absl::OkStatus();
  }
  TermDictReader::Iterator& it(size_t s) { return its_[s]; }

 private:
  struct Cmp {
    const TermWalk* w;
    bool operator()(size_t a, size_t b) const { return w->its_[a].key() > w->its_[b].key(); }
  };
  std::vector<TermDictReader::Iterator> its_;
  std::priority_queue<size_t, std::vector<size_t>, Cmp> heap_;
};

// The document -> terms graph of the merged documents (ids as doc_map gives them) over the terms
// of the indexed fields in at least min_df live documents, term ids by decreasing df (the per-term
// arrays of the frequent terms, which most postings touch, then share cache lines).
absl::StatusOr<DocTermGraph> BuildGraph(const std::vector<std::shared_ptr<SegmentReader>>& segs,
                                        const std::vector<std::vector<uint32_t>>& doc_map,
                                        uint32_t doc_count, uint32_t min_df) {
  min_df = std::max<uint32_t>(min_df, 2);
  std::vector<uint64_t> t_off{0};
  std::vector<uint32_t> t_docs;  // term-major, in the order the terms come
  TermWalk walk(segs);
  SCOUR_RETURN_IF_ERROR(walk.Start());
  std::string key;
  std::vector<size_t> holders;
  while (walk.Take(&key, &holders)) {
    ByteReader kr(key);
    const uint32_t field = kr.Varint32();
    if (!kr.ok()) return absl::DataLossError("merge: corrupt term key");
    uint64_t df = 0;
    for (size_t s : holders) df += walk.it(s).info().df;
    if (field != kIdField && df >= min_df) {
      for (size_t s : holders) {
        SegmentPostings p = segs[s]->Postings(field, walk.it(s).info());
        for (DocId d = p.doc(); d != kNoMoreDocs; d = p.Next())
          if (doc_map[s][d] != UINT32_MAX) t_docs.push_back(doc_map[s][d]);
        SCOUR_RETURN_IF_ERROR(p.status());
      }
      if (t_docs.size() - t_off.back() >= min_df)
        t_off.push_back(t_docs.size());
      else
        t_docs.resize(t_off.back());
    }
    SCOUR_RETURN_IF_ERROR(walk.Advance(holders));
  }
  for (const auto& s : segs) s->ReleaseReadPostings(UINT64_MAX, UINT64_MAX);
  const uint32_t n_terms = static_cast<uint32_t>(t_off.size() - 1);
  std::vector<uint32_t> by_df(n_terms);
  std::iota(by_df.begin(), by_df.end(), 0u);
  std::stable_sort(by_df.begin(), by_df.end(), [&](uint32_t a, uint32_t b) {
    return t_off[a + 1] - t_off[a] > t_off[b + 1] - t_off[b];
  });
  DocTermGraph g;
  g.num_terms = n_terms;
  g.off.assign(size_t{doc_count} + 1, 0);
  for (uint32_t d : t_docs) ++g.off[d + 1];
  for (size_t d = 0; d < doc_count; ++d) g.off[d + 1] += g.off[d];
  g.term.resize(t_docs.size());
  std::vector<uint64_t> fill(g.off.begin(), g.off.end() - 1);
  for (uint32_t rank = 0; rank < n_terms; ++rank) {
    const uint32_t t = by_df[rank];
    for (uint64_t k = t_off[t]; k < t_off[t + 1]; ++k) g.term[fill[t_docs[k]]++] = rank;
  }
  return g;
}

using FieldView = StoredFieldsReader::FieldView;
using DocFn = absl::FunctionRef<absl::Status(uint32_t, std::span<const FieldView>)>;

// A document's stored fields as format 5 writes them: formats 1-4 stored the external id as
// field 0, first; it is the _id term's only from 5 on (docs/format/README.md, ".store").
std::span<const FieldView> WithoutId(std::span<const FieldView> fields) {
  return !fields.empty() && fields[0].first == kIdField ? fields.subspan(1) : fields;
}

// Writes every live document's stored fields (or encoded term vectors: the same layout) in new
// doc order through `add`. read(s, fn) calls fn for each document of source s in its order. The
// records wait in a buffer of at most `budget` bytes (or one record): when they do not all fit,
// the sources are read again per range of new ids whose records fit.
absl::Status CopyInNewOrder(
    size_t n_sources, const std::vector<std::vector<uint32_t>>& doc_map, uint32_t doc_count,
    size_t budget, absl::FunctionRef<absl::Status(size_t, DocFn)> read,
    absl::FunctionRef<void(const std::vector<std::pair<uint32_t, std::string_view>>&)> add,
    uint32_t* passes) {
  std::vector<uint64_t> record_size(doc_count, 0);
  std::vector<uint64_t> at(doc_count, 0);
  std::string buf;
  auto encode = [&](std::span<const FieldView> fields) {
    PutVarint64(&buf, fields.size());
    for (const FieldView& f : fields) {
      PutVarint32(&buf, f.first);
      PutVarint64(&buf, f.second.size());
      buf.append(f.second);
    }
  };
  std::vector<std::pair<uint32_t, std::string_view>> view;
  auto emit = [&](uint32_t lo, uint32_t hi) -> absl::Status {
    for (uint32_t nd = lo; nd < hi; ++nd) {
      ByteReader r(std::string_view(buf).substr(at[nd]));
      const uint64_t nf = r.Varint64();
      view.clear();
      for (uint64_t i = 0; i < nf && r.ok(); ++i) {
        const uint32_t field = r.Varint32();
        const uint64_t len = r.Varint64();
        view.emplace_back(field, r.Bytes(len));
      }
      if (!r.ok()) return absl::InternalError("merge: reorder buffer");
      add(view);
    }
    return absl::OkStatus();
  };
  // First pass: every record's size, and the records themselves while they fit.
  bool fits = true;
  *passes = 1;
  for (size_t s = 0; s < n_sources; ++s) {
    SCOUR_RETURN_IF_ERROR(read(s, [&](uint32_t d, std::span<const FieldView> fields) {
      const uint32_t nd = doc_map[s][d];
      if (nd == UINT32_MAX) return absl::OkStatus();
      const size_t before = buf.size();
      if (fits) {
        at[nd] = before;
        encode(fields);
        record_size[nd] = buf.size() - before;
        if (buf.size() > budget) {
          fits = false;
          std::string().swap(buf);
        }
      } else {
        encode(fields);
        record_size[nd] = buf.size();
        buf.clear();
      }
      return absl::OkStatus();
    }));
  }
  if (fits) return emit(0, doc_count);
  std::string().swap(buf);
  for (uint32_t lo = 0; lo < doc_count;) {
    uint32_t hi = lo;
    uint64_t bytes = 0;
    while (hi < doc_count && (hi == lo || bytes + record_size[hi] <= budget))
      bytes += record_size[hi++];
    ++*passes;
    buf.clear();
    for (size_t s = 0; s < n_sources; ++s) {
      SCOUR_RETURN_IF_ERROR(read(s, [&](uint32_t d, std::span<const FieldView> fields) {
        const uint32_t nd = doc_map[s][d];
        if (nd == UINT32_MAX || nd < lo || nd >= hi) return absl::OkStatus();
        at[nd] = buf.size();
        encode(fields);
        return absl::OkStatus();
      }));
    }
    SCOUR_RETURN_IF_ERROR(emit(lo, hi));
    lo = hi;
  }
  return absl::OkStatus();
}

// One source's postings of the current term to the writer, kBlockSize live docs at a time
// (BeginTerm before the first); docs, freqs, positions and pos are scratch.
absl::Status StreamPostings(SegmentPostings* p, const std::vector<uint32_t>& doc_map,
                            std::string_view key, uint32_t field, SegmentWriter* writer,
                            bool* begun, std::vector<uint32_t>* docs, std::vector<uint32_t>* freqs,
                            std::vector<uint32_t>* positions, std::vector<uint32_t>* pos) {
  docs->clear();
  freqs->clear();
  positions->clear();
  auto flush = [&]() -> absl::Status {
    if (docs->empty()) return absl::OkStatus();
    if (!*begun) writer->BeginTerm(key, field);
    *begun = true;
    const absl::Status s =
        writer->AddTermDocs(docs->data(), freqs->data(), docs->size(), positions->data());
    docs->clear();
    freqs->clear();
    positions->clear();
    return s;
  };
  for (DocId d = p->doc(); d != kNoMoreDocs; d = p->Next()) {
    const uint32_t nd = doc_map[d];
    if (nd == UINT32_MAX) continue;
    if (!p->Positions(pos)) break;
    docs->push_back(nd);
    freqs->push_back(p->freq());
    positions->insert(positions->end(), pos->begin(), pos->end());
    if (docs->size() == kBlockSize) SCOUR_RETURN_IF_ERROR(flush());
  }
  SCOUR_RETURN_IF_ERROR(p->status());
  return flush();
}

}  // namespace

absl::StatusOr<SegmentRef> MergeSegments(Directory* dir,
                                         const std::vector<std::shared_ptr<SegmentReader>>& segs,
                                         uint64_t number, const MergeOptions& options,
                                         MergeStats* stats) {
  MergeStats local_stats;
  if (stats == nullptr) stats = &local_stats;
  *stats = MergeStats();
  // Old doc -> new doc per segment (UINT32_MAX: deleted).
  std::vector<std::vector<uint32_t>> doc_map(segs.size());
  uint32_t next = 0;
  for (size_t s = 0; s < segs.size(); ++s) {
    doc_map[s].resize(segs[s]->max_doc());
    for (uint32_t d = 0; d < segs[s]->max_doc(); ++d)
      doc_map[s][d] = segs[s]->IsDeleted(d) ? UINT32_MAX : next++;
  }
  const uint32_t doc_count = next;
  if (options.reorder) {
    // The plain order above is the bisection's input order; its result renumbers it.
    const double c0 = CpuSeconds();
    SCOUR_ASSIGN_OR_RETURN(DocTermGraph graph,
                           BuildGraph(segs, doc_map, doc_count, options.min_doc_freq));
    stats->graph_terms = graph.num_terms;
    stats->graph_postings = graph.term.size();
    const std::vector<uint32_t> order = BisectionOrder(graph, options.bisection, &stats->bisection);
    graph = DocTermGraph();
    std::vector<uint32_t> new_id(doc_count);
    for (uint32_t i = 0; i < doc_count; ++i) new_id[order[i]] = i;
    for (auto& m : doc_map)
      for (uint32_t& d : m)
        if (d != UINT32_MAX) d = new_id[d];
    stats->reorder_seconds = CpuSeconds() - c0;
  }
  SCOUR_ASSIGN_OR_RETURN(auto writer, SegmentWriter::Create(dir, number, doc_count));
  // Term vectors are copied from the sources, as stored fields are: kept when every source has
  // them (a source without has nothing to copy, and inverting its postings per document would
  // hold them all in memory).
  const bool vectors = !segs.empty() && std::all_of(segs.begin(), segs.end(), [](const auto& s) {
    return s->term_vectors() != nullptr;
  });
  if (vectors) writer->EnableTermVectors();

  // Norms, remapped.
  // The fields some source has (ids as the files say: never a loop up to the largest).
  std::vector<uint32_t> fields;
  for (const auto& s : segs)
    for (const auto& f : s->info().fields)
      if (f.field != kIdField) fields.push_back(f.field);
  std::sort(fields.begin(), fields.end());
  fields.erase(std::unique(fields.begin(), fields.end()), fields.end());
  for (const uint32_t f : fields) {
    bool present = false;
    std::vector<uint8_t> norms(doc_count, 0);
    for (size_t s = 0; s < segs.size(); ++s) {
      const uint8_t* n = segs[s]->norms(f);
      if (!n) continue;
      present = true;
      for (uint32_t d = 0; d < segs[s]->max_doc(); ++d)
        if (doc_map[s][d] != UINT32_MAX) norms[doc_map[s][d]] = n[d];
    }
    if (present) writer->SetNorms(f, std::move(norms));
  }

  // Surface forms of every source, deduplicated by key (one analyser: one term per word). One
  // is kept when its term survives the merge (has a live document): the term loop below marks
  // them, walking them in term order beside the terms it writes.
  // The sources' .surf are each in key order: merged through a heap, one entry per key (the
  // first source's, as the sources come), the keys and terms in one arena. (Gathering every
  // source's entries as strings before deduplicating took 37.7 MB at 285k documents in 15
  // segments: most words are in every segment.)
  struct Surface {
    uint32_t key_at, key_len;    // AppendTermKey(field, word) in `arena`
    uint32_t term_at, term_len;  // AppendTermKey(field, term) in `arena`
    uint32_t field_len = 0;      // bytes of the field varint, minus one
    bool keep = false;
  };
  std::string arena;
  std::vector<Surface> surfaces;
  auto key_of = [&](const Surface& e) {
    return std::string_view(arena).substr(e.key_at, e.key_len);
  };
  auto term_key_of = [&](const Surface& e) {
    return std::string_view(arena).substr(e.term_at, e.term_len);
  };
  {
    std::vector<SurfaceDictReader::Iterator> its;
    its.reserve(segs.size());
    for (const auto& s : segs) {
      if (s->surfaces() == nullptr) continue;  // written before .surf existed
      its.push_back(s->surfaces()->Seek(""));
      SCOUR_RETURN_IF_ERROR(its.back().status());
    }
    auto after = [&](size_t x, size_t y) {
      const int c = its[x].key().compare(its[y].key());
      return c != 0 ? c > 0 : x > y;
    };
    std::vector<size_t> heap;
    for (size_t i = 0; i < its.size(); ++i)
      if (its[i].Valid()) heap.push_back(i);
    std::make_heap(heap.begin(), heap.end(), after);
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), after);
      SurfaceDictReader::Iterator& it = its[heap.back()];
      const std::string_view key = it.key();
      if (surfaces.empty() || key_of(surfaces.back()) != key) {
        if (arena.size() + 2 * key.size() + it.term().size() > UINT32_MAX)
          return absl::ResourceExhaustedError("merge: surface forms past 4 GB");
        Surface& e = surfaces.emplace_back();
        e.key_at = static_cast<uint32_t>(arena.size());
        e.key_len = static_cast<uint32_t>(key.size());
        while (e.field_len < key.size() && (static_cast<uint8_t>(key[e.field_len]) & 0x80))
          ++e.field_len;
        arena.append(key);
        e.term_at = static_cast<uint32_t>(arena.size());
        arena.append(key.substr(0, e.field_len + 1));
        arena.append(it.term());
        e.term_len = static_cast<uint32_t>(arena.size() - e.term_at);
      }
      it.Next();
      SCOUR_RETURN_IF_ERROR(it.status());
      if (it.Valid()) {
        std::push_heap(heap.begin(), heap.end(), after);
      } else {
        heap.pop_back();
      }
    }
  }
  std::vector<uint32_t> by_term(surfaces.size());
  for (uint32_t i = 0; i < by_term.size(); ++i) by_term[i] = i;
  std::sort(by_term.begin(), by_term.end(), [&](uint32_t a, uint32_t b) {
    return term_key_of(surfaces[a]) < term_key_of(surfaces[b]);
  });
  size_t next_surface = 0;  // in by_term

  // Terms: k-way merge of the dictionaries.
  TermWalk walk(segs);
  SCOUR_RETURN_IF_ERROR(walk.Start());
  std::vector<uint32_t> docs, freqs, positions, pos, id_docs;
  // With reorder, a term's postings are gathered in source order and then sorted by new doc.
  std::vector<uint64_t> pos_start;
  std::vector<uint32_t> by_doc, docs2, freqs2, positions2;
  std::string key;
  std::vector<size_t> holders;
  // Sources are read in file order (postings follow the term order), so what lies before a
  // source's next term is done with: give it back every so often to keep the merge's resident
  // set small (it counts against the writer's RAM budget like everything else). Each time from
  // the file's start: only whole pages go, so the page across the previous end goes next time;
  // pages already given back cost madvise next to nothing.
  std::vector<uint64_t> post_done(segs.size(), 0), pos_done(segs.size(), 0);
  auto note_progress = [&](size_t s) {
    const TermDictReader::Iterator& it = walk.it(s);
    if (!it.Valid()) return;
    if (it.info().df >= 2) post_done[s] = std::max(post_done[s], it.info().postings);
    pos_done[s] = std::max(pos_done[s], it.info().positions);
  };
  constexpr uint64_t kReleaseEveryTerms = 4096;
  uint64_t merged_terms = 0;
  while (walk.Take(&key, &holders)) {
    if (++merged_terms % kReleaseEveryTerms == 0)
      for (size_t s = 0; s < segs.size(); ++s) {
        segs[s]->ReleaseReadPostings(post_done[s], pos_done[s]);
        segs[s]->ReleaseReadDict(walk.it(s).bytes_done());
      }
    ByteReader kr(key);
    uint32_t field = kr.Varint32();
    if (!kr.ok()) return absl::DataLossError("merge: corrupt term key");
    const bool with_positions = field != kIdField;
    docs.clear();
    freqs.clear();
    positions.clear();
    pos_start.clear();
    // Without reordering the sources come in new-doc order: the term goes to the writer run by
    // run instead of whole (the most frequent terms' positions are tens of MB).
    const bool stream = with_positions && !options.reorder;
    bool begun = false;
    for (size_t s : holders) {
      if (field == kIdField) {  // no positions, tf 1; format 7 keeps the docs in the doc map
        SCOUR_RETURN_IF_ERROR(segs[s]->IdDocs(walk.it(s).info(), &id_docs));
        for (const uint32_t d : id_docs) {
          if (doc_map[s][d] == UINT32_MAX) continue;
          docs.push_back(doc_map[s][d]);
          freqs.push_back(1);
        }
        continue;
      }
      SegmentPostings p = segs[s]->Postings(field, walk.it(s).info());
      if (stream) {
        SCOUR_RETURN_IF_ERROR(StreamPostings(&p, doc_map[s], key, field, writer.get(), &begun,
                                             &docs, &freqs, &positions, &pos));
        continue;
      }
      for (DocId d = p.doc(); d != kNoMoreDocs; d = p.Next()) {
        uint32_t nd = doc_map[s][d];
        if (nd == UINT32_MAX) continue;
        docs.push_back(nd);
        freqs.push_back(p.freq());
        if (with_positions) {
          if (!p.Positions(&pos)) break;
          pos_start.push_back(positions.size());
          positions.insert(positions.end(), pos.begin(), pos.end());
        }
      }
      SCOUR_RETURN_IF_ERROR(p.status());
    }
    // Holders in segment order give increasing new docs unless the merge reorders.
    if (options.reorder && !std::is_sorted(docs.begin(), docs.end())) {
      pos_start.push_back(positions.size());
      by_doc.resize(docs.size());
      std::iota(by_doc.begin(), by_doc.end(), 0u);
      std::sort(by_doc.begin(), by_doc.end(),
                [&](uint32_t a, uint32_t b) { return docs[a] < docs[b]; });
      docs2.clear();
      freqs2.clear();
      positions2.clear();
      for (uint32_t i : by_doc) {
        docs2.push_back(docs[i]);
        freqs2.push_back(freqs[i]);
        if (with_positions)
          positions2.insert(positions2.end(), positions.begin() + pos_start[i],
                            positions.begin() + pos_start[i + 1]);
      }
      docs.swap(docs2);
      freqs.swap(freqs2);
      positions.swap(positions2);
    }
    if (stream && begun) SCOUR_RETURN_IF_ERROR(writer->EndTerm());
    if (!stream && !docs.empty()) {
      SCOUR_RETURN_IF_ERROR(writer->AddTerm(key, field, docs.data(), freqs.data(), docs.size(),
                                            with_positions ? positions.data() : nullptr));
    }
    if (begun || !docs.empty()) {
      while (next_surface < by_term.size() && term_key_of(surfaces[by_term[next_surface]]) < key)
        ++next_surface;
      for (; next_surface < by_term.size() && term_key_of(surfaces[by_term[next_surface]]) == key;
           ++next_surface)
        surfaces[by_term[next_surface]].keep = true;
    }
    SCOUR_RETURN_IF_ERROR(walk.Advance(holders));
    for (size_t s : holders) note_progress(s);
  }
  for (const auto& s : segs) s->ReleaseReadPostings(UINT64_MAX, UINT64_MAX);

  // Stored fields of live documents, in the new order.
  std::vector<std::pair<uint32_t, std::string_view>> view;
  if (options.reorder) {
    SCOUR_RETURN_IF_ERROR(CopyInNewOrder(
        segs.size(), doc_map, doc_count, options.buffer_bytes,
        [&](size_t s, DocFn fn) {
          return segs[s]->ForEachStored([&](uint32_t d, std::span<const FieldView> fields) {
            return fn(d, WithoutId(fields));
          });
        },
        [&](const std::vector<std::pair<uint32_t, std::string_view>>& v) {
          writer->stored().AddDocument(v);
        },
        &stats->stored_passes));
    for (const auto& s : segs) s->ReleaseStored();
    if (vectors) {
      uint32_t passes = 0;
      SCOUR_RETURN_IF_ERROR(CopyInNewOrder(
          segs.size(), doc_map, doc_count, options.buffer_bytes,
          [&](size_t s, DocFn fn) {
            return segs[s]->term_vectors()->ForEachEncoded(segs[s]->max_doc(), fn);
          },
          [&](const std::vector<std::pair<uint32_t, std::string_view>>& v) {
            writer->term_vectors()->AddEncoded(v);
          },
          &passes));
      for (const auto& s : segs) s->ReleaseTermVectors();
    }
  }
  for (size_t s = 0; !options.reorder && s < segs.size(); ++s) {
    SCOUR_RETURN_IF_ERROR(segs[s]->ForEachStored(
        [&](uint32_t d, std::span<const StoredFieldsReader::FieldView> fields) {
          if (doc_map[s][d] == UINT32_MAX) return absl::OkStatus();
          const std::span<const FieldView> kept = WithoutId(fields);
          view.assign(kept.begin(), kept.end());
          writer->stored().AddDocument(view);
          return absl::OkStatus();
        }));
    segs[s]->ReleaseStored();
  }
  for (size_t s = 0; vectors && !options.reorder && s < segs.size(); ++s) {
    SCOUR_RETURN_IF_ERROR(segs[s]->term_vectors()->ForEachEncoded(
        segs[s]->max_doc(), [&](uint32_t d, std::span<const StoredFieldsReader::FieldView> fields) {
          if (doc_map[s][d] == UINT32_MAX) return absl::OkStatus();
          view.assign(fields.begin(), fields.end());
          writer->term_vectors()->AddEncoded(view);
          return absl::OkStatus();
        }));
    segs[s]->ReleaseTermVectors();
  }
  for (const Surface& e : surfaces)
    if (e.keep) writer->surfaces().Add(key_of(e), term_key_of(e).substr(e.field_len + 1));
  SegmentInfo info;
  SCOUR_RETURN_IF_ERROR(writer->Finish(&info));
  SegmentRef ref;
  ref.number = number;
  ref.doc_count = doc_count;
  return ref;
}

}  // namespace scour::index
