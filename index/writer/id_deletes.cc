#include "index/writer/id_deletes.h"

#include "base/status_macros.h"
#include "index/format/file_names.h"
#include "index/segment/segment_format.h"

namespace scour::index {

absl::StatusOr<SegmentRef> DeleteSessionIds(Directory* dir, const SegmentRef& ref,
                                            const SegmentReader& reader, const SessionIds& ids) {
  SegmentRef out = ref;
  std::vector<uint64_t> bits;
  if (reader.deleted_bits())
    bits.assign(reader.deleted_bits(), reader.deleted_bits() + (ref.doc_count + 63) / 64);
  else
    bits.assign((ref.doc_count + 63) / 64, 0);
  uint32_t added = 0;
  absl::Status lookup;
  ids.ForEach([&](std::string_view id, const SessionIds::State&) {
    if (!lookup.ok()) return;
    auto doc = reader.FindId(id);
    if (!doc.ok()) {
      lookup = doc.status();
    } else if (*doc && !((bits[**doc >> 6] >> (**doc & 63)) & 1)) {
      bits[**doc >> 6] |= uint64_t{1} << (**doc & 63);
      ++added;
    }
  });
  SCOUR_RETURN_IF_ERROR(lookup);
  if (added > 0) {
    out.deleted += added;
    out.del_gen += 1;
    if (out.deleted < out.doc_count)
      SCOUR_RETURN_IF_ERROR(
          WriteDeletes(dir, DeletesFileName(out.number, out.del_gen), out.doc_count, bits));
  }
  return out;
}

DirtyIds CollectDirtyIds(const SessionIds& ids) {
  DirtyIds dirty;
  ids.ForEach([&](std::string_view id, const SessionIds::State& st) {
    if (st.dirty) dirty.emplace_back(id, &st);
  });
  return dirty;
}

absl::StatusOr<SegmentRef> DeleteSuperseded(Directory* dir, const SessionSegment& seg,
                                            const DirtyIds& dirty) {
  SegmentRef ref = seg.ref;
  SCOUR_ASSIGN_OR_RETURN(auto reader, SegmentReader::Open(dir, ref, false));
  std::vector<uint64_t> bits((ref.doc_count + 63) / 64, 0);
  uint32_t count = 0;
  std::vector<uint32_t> docs;
  for (const auto& [id, st] : dirty) {
    SCOUR_ASSIGN_OR_RETURN(auto info, reader->Lookup(kIdField, id));
    if (!info) continue;
    SCOUR_RETURN_IF_ERROR(reader->IdDocs(*info, &docs));
    for (const uint32_t d : docs) {
      if (seg.seqs[d] != st->last_add_seq || st->deleted) {
        bits[d >> 6] |= uint64_t{1} << (d & 63);
        ++count;
      }
    }
  }
  if (count > 0) {
    ref.deleted = count;
    ref.del_gen = 1;
    if (count < ref.doc_count)
      SCOUR_RETURN_IF_ERROR(WriteDeletes(dir, DeletesFileName(ref.number, 1), ref.doc_count, bits));
  }
  return ref;
}

}  // namespace scour::index
