#include "index/writer/merger.h"

#include <algorithm>
#include <cmath>
#include <queue>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/status_macros.h"
#include "index/segment/segment_writer.h"

namespace scour::index {

absl::StatusOr<SegmentRef> MergeSegments(Directory* dir,
                                         const std::vector<std::shared_ptr<SegmentReader>>& segs,
                                         uint64_t number) {
  // Old doc -> new doc per segment (UINT32_MAX: deleted).
  std::vector<std::vector<uint32_t>> doc_map(segs.size());
  uint32_t next = 0;
  for (size_t s = 0; s < segs.size(); ++s) {
    doc_map[s].resize(segs[s]->max_doc());
    for (uint32_t d = 0; d < segs[s]->max_doc(); ++d)
      doc_map[s][d] = segs[s]->IsDeleted(d) ? UINT32_MAX : next++;
  }
  const uint32_t doc_count = next;
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
  struct Surface {
    std::string key, term_key;  // AppendTermKey(field, word), AppendTermKey(field, term)
    uint32_t field_len = 0;     // bytes of the field varint, minus one
    bool keep = false;
  };
  std::vector<Surface> surfaces;
  for (const auto& s : segs) {
    if (s->surfaces() == nullptr) continue;  // written before .surf existed
    auto it = s->surfaces()->Seek("");
    for (; it.Valid(); it.Next()) {
      Surface& e = surfaces.emplace_back();
      e.key.assign(it.key());
      while (static_cast<uint8_t>(e.key[e.field_len]) & 0x80) ++e.field_len;
      e.term_key.assign(e.key, 0, e.field_len + 1);
      e.term_key.append(it.term());
    }
    SCOUR_RETURN_IF_ERROR(it.status());
  }
  std::stable_sort(surfaces.begin(), surfaces.end(),
                   [](const Surface& a, const Surface& b) { return a.key < b.key; });
  surfaces.erase(std::unique(surfaces.begin(), surfaces.end(),
                             [](const Surface& a, const Surface& b) { return a.key == b.key; }),
                 surfaces.end());
  std::vector<uint32_t> by_term(surfaces.size());
  for (uint32_t i = 0; i < by_term.size(); ++i) by_term[i] = i;
  std::sort(by_term.begin(), by_term.end(),
            [&](uint32_t a, uint32_t b) { return surfaces[a].term_key < surfaces[b].term_key; });
  size_t next_surface = 0;  // in by_term

  // Terms: k-way merge of the dictionaries.
  std::vector<TermDictReader::Iterator> its;
  for (const auto& s : segs) its.push_back(s->dict().Seek(""));
  auto cmp = [&](size_t a, size_t b) { return its[a].key() > its[b].key(); };
  std::priority_queue<size_t, std::vector<size_t>, decltype(cmp)> heap(cmp);
  for (size_t i = 0; i < its.size(); ++i) {
    SCOUR_RETURN_IF_ERROR(its[i].status());
    if (its[i].Valid()) heap.push(i);
  }
  std::vector<uint32_t> docs, freqs, positions, pos;
  std::string key;
  std::vector<size_t> holders;
  // Sources are read in file order (postings follow the term order), so what lies before a
  // source's next term is done with: give it back every so often to keep the merge's resident
  // set small (it counts against the writer's RAM budget like everything else). Each time from
  // the file's start: only whole pages go, so the page across the previous end goes next time;
  // pages already given back cost madvise next to nothing.
  std::vector<uint64_t> post_done(segs.size(), 0), pos_done(segs.size(), 0);
  auto note_progress = [&](size_t s) {
    if (!its[s].Valid()) return;
    if (its[s].info().df >= 2) post_done[s] = std::max(post_done[s], its[s].info().postings);
    pos_done[s] = std::max(pos_done[s], its[s].info().positions);
  };
  constexpr uint64_t kReleaseEveryTerms = 4096;
  uint64_t merged_terms = 0;
  while (!heap.empty()) {
    if (++merged_terms % kReleaseEveryTerms == 0)
      for (size_t s = 0; s < segs.size(); ++s)
        segs[s]->ReleaseReadPostings(post_done[s], pos_done[s]);
    key.assign(its[heap.top()].key());
    holders.clear();
    while (!heap.empty() && its[heap.top()].key() == key) {
      holders.push_back(heap.top());
      heap.pop();
    }
    std::sort(holders.begin(), holders.end());  // segment order = new doc order
    ByteReader kr(key);
    uint32_t field = kr.Varint32();
    if (!kr.ok()) return absl::DataLossError("merge: corrupt term key");
    const bool with_positions = field != kIdField;
    docs.clear();
    freqs.clear();
    positions.clear();
    for (size_t s : holders) {
      SegmentPostings p = segs[s]->Postings(field, its[s].info());
      for (DocId d = p.doc(); d != kNoMoreDocs; d = p.Next()) {
        uint32_t nd = doc_map[s][d];
        if (nd == UINT32_MAX) continue;
        docs.push_back(nd);
        freqs.push_back(p.freq());
        if (with_positions) {
          if (!p.Positions(&pos)) break;
          positions.insert(positions.end(), pos.begin(), pos.end());
        }
      }
      SCOUR_RETURN_IF_ERROR(p.status());
    }
    if (!docs.empty()) {
      SCOUR_RETURN_IF_ERROR(writer->AddTerm(key, field, docs.data(), freqs.data(), docs.size(),
                                            with_positions ? positions.data() : nullptr));
      while (next_surface < by_term.size() && surfaces[by_term[next_surface]].term_key < key)
        ++next_surface;
      for (; next_surface < by_term.size() && surfaces[by_term[next_surface]].term_key == key;
           ++next_surface)
        surfaces[by_term[next_surface]].keep = true;
    }
    for (size_t s : holders) {
      its[s].Next();
      SCOUR_RETURN_IF_ERROR(its[s].status());
      note_progress(s);
      if (its[s].Valid()) heap.push(s);
    }
  }
  for (const auto& s : segs) s->ReleaseReadPostings(UINT64_MAX, UINT64_MAX);

  // Stored fields of live documents, in the new order.
  std::vector<std::pair<uint32_t, std::string_view>> view;
  for (size_t s = 0; s < segs.size(); ++s) {
    SCOUR_RETURN_IF_ERROR(segs[s]->ForEachStored(
        [&](uint32_t d, std::span<const StoredFieldsReader::FieldView> fields) {
          if (doc_map[s][d] == UINT32_MAX) return absl::OkStatus();
          view.assign(fields.begin(), fields.end());
          writer->stored().AddDocument(view);
          return absl::OkStatus();
        }));
    segs[s]->ReleaseStored();
  }
  for (size_t s = 0; vectors && s < segs.size(); ++s) {
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
    if (e.keep) writer->surfaces().Add(e.key, std::string_view(e.term_key).substr(e.field_len + 1));
  SegmentInfo info;
  SCOUR_RETURN_IF_ERROR(writer->Finish(&info));
  SegmentRef ref;
  ref.number = number;
  ref.doc_count = doc_count;
  return ref;
}

}  // namespace scour::index
