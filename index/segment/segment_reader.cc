#include "index/segment/segment_reader.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/status_macros.h"
#include "index/format/file_format.h"
#include "index/format/file_names.h"

namespace scour::index {
namespace {

absl::StatusOr<std::shared_ptr<ReadableFile>> OpenChecked(Directory* dir, const std::string& name,
                                                          FileKind kind, bool full) {
  SCOUR_ASSIGN_OR_RETURN(auto file, dir->Open(name));
  if (full) {
    SCOUR_RETURN_IF_ERROR(CheckFrame(file->data(), kind, name).status());
  } else {
    SCOUR_RETURN_IF_ERROR(CheckFrameStructure(file->data(), kind, name).status());
  }
  return file;
}

absl::StatusOr<SegmentInfo> ParseInfo(std::string_view body, const std::string& name) {
  ByteReader r(body);
  SegmentInfo info;
  info.doc_count = r.U32();
  uint64_t n = r.Varint64();
  // Each field's entry takes at least 37 bytes: a count beyond the body is damage, not a loop.
  constexpr uint64_t kMinFieldBytes = 1 + 4 + 4 * 8;
  if (!r.ok() || n > r.remaining() / kMinFieldBytes)
    return absl::DataLossError(absl::StrCat(name, ": corrupt header"));
  for (uint64_t i = 0; i < n; ++i) {
    FieldInfo s;
    s.field = r.Varint32();
    // Sorted by id, each once (the writer's order): lookups and merges rely on it.
    if (!info.fields.empty() && s.field <= info.fields.back().field)
      return absl::DataLossError(absl::StrCat(name, ": field ids not increasing"));
    s.docs_with_field = r.U32();
    s.sum_total_term_freq = r.U64();
    s.sum_doc_freq = r.U64();
    s.terms = r.U64();
    s.norms_offset = r.U64();
    info.fields.push_back(s);
  }
  if (!r.ok() || r.remaining() != 0)
    return absl::DataLossError(absl::StrCat(name, ": corrupt field statistics"));
  return info;
}

}  // namespace

absl::StatusOr<std::shared_ptr<SegmentReader>> SegmentReader::Open(Directory* dir,
                                                                   const SegmentRef& ref,
                                                                   bool verify) {
  auto s = std::make_shared<SegmentReader>();
  s->ref_ = ref;
  const uint64_t n = ref.number;
  // Small files: one full check (CRC included) while parsing.
  SCOUR_ASSIGN_OR_RETURN(s->info_file_, dir->Open(SegmentFileName(n, FileKind::kSegmentInfo)));
  SCOUR_ASSIGN_OR_RETURN(
      std::string_view info_body,
      CheckFrame(s->info_file_->data(), FileKind::kSegmentInfo, s->info_file_->name()));
  SCOUR_ASSIGN_OR_RETURN(s->info_, ParseInfo(info_body, s->info_file_->name()));
  if (s->info_.doc_count != ref.doc_count)
    return absl::DataLossError(absl::StrCat(SegmentFileName(n, FileKind::kSegmentInfo),
                                            ": doc count ", s->info_.doc_count,
                                            " but the manifest says ", ref.doc_count));
  SCOUR_ASSIGN_OR_RETURN(s->dict_file_, OpenChecked(dir, SegmentFileName(n, FileKind::kTermDict),
                                                    FileKind::kTermDict, verify));
  SCOUR_ASSIGN_OR_RETURN(s->post_, OpenChecked(dir, SegmentFileName(n, FileKind::kPostings),
                                               FileKind::kPostings, verify));
  SCOUR_ASSIGN_OR_RETURN(s->pos_, OpenChecked(dir, SegmentFileName(n, FileKind::kPositions),
                                              FileKind::kPositions, verify));
  SCOUR_ASSIGN_OR_RETURN(
      s->norms_, OpenChecked(dir, SegmentFileName(n, FileKind::kNorms), FileKind::kNorms, verify));
  SCOUR_ASSIGN_OR_RETURN(s->store_, OpenChecked(dir, SegmentFileName(n, FileKind::kStored),
                                                FileKind::kStored, verify));
  SCOUR_ASSIGN_OR_RETURN(s->dict_,
                         TermDictReader::Open(s->dict_file_->data(), s->dict_file_->name()));
  // Format 7: the doc map covers the segment's documents.
  if (s->dict_.has_doc_map()) {
    if (s->dict_.doc_map_docs() != s->info_.doc_count)
      return absl::DataLossError(absl::StrCat(s->dict_file_->name(), ": doc map of ",
                                              s->dict_.doc_map_docs(), " documents, ",
                                              s->info_.doc_count, " in the segment"));
    s->id_pages_.reset(new std::atomic<IdPage*>[DocMapBlocks(s->info_.doc_count)]());
  }
  // Format 5 moved each list's impact from .post into its .tdict entry: a segment whose two
  // files disagree about it cannot bound its lists.
  if ((FrameVersion(s->dict_file_->data()) >= 5) != (FrameVersion(s->post_->data()) >= 5))
    return absl::DataLossError(absl::StrCat(
        s->post_->name(), ": format version ", FrameVersion(s->post_->data()), " beside a ",
        s->dict_file_->name(), " of version ", FrameVersion(s->dict_file_->data())));
  SCOUR_ASSIGN_OR_RETURN(s->stored_,
                         StoredFieldsReader::Open(s->store_->data(), s->store_->name()));
  // Surface forms: a segment written before they existed has no .surf file.
  const std::string surf_name = SegmentFileName(n, FileKind::kSurfaceForms);
  SCOUR_ASSIGN_OR_RETURN(const bool has_surf, dir->Exists(surf_name));
  if (has_surf) {
    SCOUR_ASSIGN_OR_RETURN(s->surf_file_,
                           OpenChecked(dir, surf_name, FileKind::kSurfaceForms, verify));
    SCOUR_ASSIGN_OR_RETURN(SurfaceDictReader surf,
                           SurfaceDictReader::Open(s->surf_file_->data(), surf_name));
    s->surfaces_ = std::make_unique<SurfaceDictReader>(std::move(surf));
  }
  // Term vectors: only segments written with them have a .tvec file.
  const std::string tvec_name = SegmentFileName(n, FileKind::kTermVectors);
  SCOUR_ASSIGN_OR_RETURN(const bool has_tvec, dir->Exists(tvec_name));
  if (has_tvec) {
    SCOUR_ASSIGN_OR_RETURN(s->tvec_file_,
                           OpenChecked(dir, tvec_name, FileKind::kTermVectors, verify));
    SCOUR_ASSIGN_OR_RETURN(TermVectorsReader tv,
                           TermVectorsReader::Open(s->tvec_file_->data(), tvec_name));
    s->term_vectors_ = std::make_unique<TermVectorsReader>(std::move(tv));
  }
  // Norms: each field's D bytes must lie inside the file's body.
  std::string_view nf = s->norms_->data();
  const uint64_t body_end = nf.size() - kFooterSize;
  for (const FieldInfo& f : s->info_.fields) {
    if (f.field == kIdField) continue;
    if (f.norms_offset < kHeaderSize || f.norms_offset > body_end ||
        body_end - f.norms_offset < s->info_.doc_count)
      return absl::DataLossError(
          absl::StrCat(s->norms_->name(), ": norms of field ", f.field, " out of range"));
    // Keyed by id, not indexed: the ids are the file's, and a damaged one may be huge.
    s->norms_by_field_.emplace_back(f.field,
                                    reinterpret_cast<const uint8_t*>(nf.data() + f.norms_offset));
  }
  if (ref.del_gen != 0) {
    std::string name = DeletesFileName(n, ref.del_gen);
    SCOUR_ASSIGN_OR_RETURN(s->del_, dir->Open(name));  // ReadDeletes checks the whole frame
    uint32_t count = 0;
    SCOUR_ASSIGN_OR_RETURN(s->deleted_, ReadDeletes(s->del_->data(), name, ref.doc_count, &count));
    if (count != ref.deleted)
      return absl::DataLossError(
          absl::StrCat(name, ": ", count, " deletions but the manifest says ", ref.deleted));
  }
  return s;
}

const uint8_t* SegmentReader::norms(uint32_t field) const {
  // A handful of fields, sorted by id (ParseInfo): a short scan.
  for (const auto& [f, bytes] : norms_by_field_) {
    if (f == field) return bytes;
    if (f > field) break;
  }
  return nullptr;
}

absl::StatusOr<SegmentReader::Dictionary> SegmentReader::OpenDictionary(Directory* dir,
                                                                        const SegmentRef& ref) {
  Dictionary d;
  SCOUR_ASSIGN_OR_RETURN(d.file, OpenChecked(dir, SegmentFileName(ref.number, FileKind::kTermDict),
                                             FileKind::kTermDict, false));
  SCOUR_ASSIGN_OR_RETURN(d.dict, TermDictReader::Open(d.file->data(), d.file->name()));
  return d;
}

absl::StatusOr<std::optional<TermInfo>> SegmentReader::Lookup(uint32_t field,
                                                              std::string_view term) const {
  std::string key;
  AppendTermKey(field, term, &key);
  return dict_.Lookup(key);
}

SegmentPostings SegmentReader::Postings(uint32_t field, const TermInfo& info) const {
  const uint8_t* nb = norms(field);
  uint8_t single_norm = 0;
  if (info.df == 1 && nb != nullptr && info.single_doc < max_doc())
    single_norm = nb[info.single_doc];
  return SegmentPostings(post_->data(), pos_->data(), info, max_doc(), single_norm);
}

SegmentReader::~SegmentReader() {
  if (!id_pages_) return;
  for (uint32_t j = 0; j < DocMapBlocks(max_doc()); ++j)
    delete id_pages_[j].load(std::memory_order_relaxed);
}

absl::StatusOr<std::optional<uint32_t>> SegmentReader::FindId(std::string_view id) const {
  SCOUR_ASSIGN_OR_RETURN(auto info, Lookup(kIdField, id));
  if (!info) return std::nullopt;
  if (info->df == 0 && finds_.fetch_add(1, std::memory_order_relaxed) < kFindsBeforeInverse) {
    // Format 7, the first few lookups of a reader (a writer's handful of updates): a scan of the
    // doc map, no memory, instead of the inverse's 8 bytes per document.
    std::optional<uint32_t> found;
    SCOUR_RETURN_IF_ERROR(dict_.FindDocs(info->id_entry, [&](uint32_t d) {
      if (IsDeleted(d)) return false;
      found = d;
      return true;
    }));
    return found;
  }
  std::vector<uint32_t> docs;  // the postings up to format 6, the doc map's inverse from 7 on
  SCOUR_RETURN_IF_ERROR(IdDocs(*info, &docs));
  for (const uint32_t d : docs)
    if (!IsDeleted(d)) return std::optional<uint32_t>(d);
  return std::nullopt;
}

absl::Status SegmentReader::IdDocs(const TermInfo& info, std::vector<uint32_t>* docs) const {
  docs->clear();
  if (info.df == 0) {
    const IdInverse& inv = inverse();
    if (!inv.status.ok()) return inv.status;
    if (info.id_entry + size_t{1} >= inv.start.size())
      return absl::DataLossError(
          absl::StrCat(dict_file_->name(), ": no _id entry ", info.id_entry, " in the doc map"));
    docs->assign(inv.docs.begin() + inv.start[info.id_entry],
                 inv.docs.begin() + inv.start[info.id_entry + 1]);
    return absl::OkStatus();
  }
  SegmentPostings p = Postings(kIdField, info);
  for (DocId d = p.doc(); d != kNoMoreDocs; d = p.Next()) docs->push_back(d);
  return p.status();
}

// Ordinal -> documents: a counting sort of the doc map (documents stay increasing per ordinal).
const SegmentReader::IdInverse& SegmentReader::inverse() const {
  std::call_once(inverse_once_, [this] {
    auto inv = std::make_unique<IdInverse>();
    std::vector<uint32_t> ordinals;
    inv->status = dict_.DocMap(&ordinals);
    const uint32_t m = dict_.num_id_entries();
    if (inv->status.ok()) {
      inv->start.assign(size_t{m} + 1, 0);
      for (uint32_t o : ordinals) ++inv->start[o + 1];
      for (uint32_t o = 0; o < m && inv->status.ok(); ++o) {
        if (inv->start[o + 1] == 0)
          inv->status = absl::DataLossError(
              absl::StrCat(dict_file_->name(), ": _id entry ", o, " has no document"));
        inv->start[o + 1] += inv->start[o];
      }
    }
    if (inv->status.ok()) {
      inv->docs.resize(ordinals.size());
      std::vector<uint32_t> fill(inv->start.begin(), inv->start.end() - 1);
      for (uint32_t d = 0; d < ordinals.size(); ++d) inv->docs[fill[ordinals[d]]++] = d;
    } else {
      inv->start.clear();
    }
    inverse_ = std::move(inv);
  });
  return *inverse_;
}

// Format 7: the ids of one doc block, decoded together (their dictionary blocks once each, in
// order) and kept for the reader's life, so views into them stay valid.
absl::StatusOr<const SegmentReader::IdPage*> SegmentReader::Page(uint32_t j) const {
  if (IdPage* page = id_pages_[j].load(std::memory_order_acquire)) return page;
  uint32_t ordinals[kDocMapBlock], n = 0;
  SCOUR_RETURN_IF_ERROR(dict_.DocBlock(j, ordinals, &n));
  uint32_t sorted[kDocMapBlock];
  std::copy(ordinals, ordinals + n, sorted);
  std::sort(sorted, sorted + n);
  const uint32_t unique = static_cast<uint32_t>(std::unique(sorted, sorted + n) - sorted);
  std::string bytes;
  uint32_t start[kDocMapBlock], size[kDocMapBlock];
  uint32_t k = 0;
  SCOUR_RETURN_IF_ERROR(dict_.ForEachIdEntry(std::span<const uint32_t>(sorted, unique),
                                             [&](uint32_t, std::string_view id) {
                                               start[k] = static_cast<uint32_t>(bytes.size());
                                               size[k++] = static_cast<uint32_t>(id.size());
                                               bytes.append(id);
                                             }));
  auto page = std::make_unique<IdPage>();
  page->bytes = std::move(bytes);
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t u =
        static_cast<uint32_t>(std::lower_bound(sorted, sorted + unique, ordinals[i]) - sorted);
    page->start[i] = start[u];
    page->size[i] = size[u];
  }
  IdPage* expected = nullptr;
  if (id_pages_[j].compare_exchange_strong(expected, page.get(), std::memory_order_acq_rel)) {
    pages_made_.fetch_add(1, std::memory_order_relaxed);
    return page.release();
  }
  return expected;  // another thread made it first
}

const SegmentReader::IdTable& SegmentReader::ids() const {
  std::call_once(ids_once_, [this] {
    auto t = std::make_unique<IdTable>();
    const uint32_t n = max_doc();
    constexpr uint32_t kNone = ~uint32_t{0};
    t->start.assign(n, 0);
    t->size.assign(n, kNone);
    std::string prefix;
    AppendTermKey(kIdField, "", &prefix);
    auto fail = [&](std::string what) {
      t->status = absl::DataLossError(absl::StrCat(dict_file_->name(), ": ", what));
    };
    std::vector<std::pair<uint64_t, uint32_t>> by_entry;  // format 7: per entry, start and size
    TermDictReader::Iterator it = dict_.Seek(prefix);
    for (; it.Valid() && t->status.ok(); it.Next()) {
      std::string_view key = it.key();
      if (!key.starts_with(prefix)) break;
      const std::string_view id = key.substr(prefix.size());
      const uint64_t start = t->bytes.size();
      t->bytes.append(id);
      auto set = [&](uint32_t doc) {
        if (doc >= n || t->size[doc] != kNone) {
          fail(absl::StrCat("_id term for document ", doc, " out of range or repeated"));
          return;
        }
        t->start[doc] = start;
        t->size[doc] = static_cast<uint32_t>(id.size());
      };
      if (it.info().df == 0) {  // format 7: the doc map says whose, below
        by_entry.emplace_back(start, static_cast<uint32_t>(id.size()));
      } else if (it.info().df == 1) {
        set(it.info().single_doc);
      } else {
        SegmentPostings p = Postings(kIdField, it.info());
        for (DocId d = p.doc(); d != kNoMoreDocs && t->status.ok(); d = p.Next()) set(d);
        if (t->status.ok() && !p.status().ok()) t->status = p.status();
      }
    }
    if (t->status.ok() && !it.status().ok()) t->status = it.status();
    if (t->status.ok() && dict_.has_doc_map()) {
      std::vector<uint32_t> ordinals;
      t->status = dict_.DocMap(&ordinals);
      if (t->status.ok() && by_entry.size() != dict_.num_id_entries())
        fail(absl::StrCat(by_entry.size(), " _id entries, the doc map says ",
                          dict_.num_id_entries()));
      for (uint32_t d = 0; d < n && t->status.ok(); ++d)
        std::tie(t->start[d], t->size[d]) = by_entry[ordinals[d]];  // DocMap checked < M
    }
    for (uint32_t d = 0; d < n && t->status.ok(); ++d)
      if (t->size[d] == kNone) fail(absl::StrCat("document ", d, " has no _id term"));
    if (!t->status.ok()) {  // keep only the error
      t->bytes.clear();
      t->start.clear();
      t->size.clear();
    }
    ids_ = std::move(t);
  });
  return *ids_;
}

absl::StatusOr<std::string_view> SegmentReader::ExternalId(uint32_t doc) const {
  // Format 7: pages of 128 ids while few are asked for (a search shows ten); once a sixteenth
  // of the pages exist (a batch of deep runs), one walk over every _id entry costs less than
  // the pages to come: a page decodes up to 128 dictionary blocks, the walk each block once.
  if (id_pages_ && pages_made_.load(std::memory_order_relaxed) <= DocMapBlocks(max_doc()) / 16) {
    if (doc >= max_doc())
      return absl::OutOfRangeError(absl::StrCat("document ", doc, " >= ", max_doc()));
    SCOUR_ASSIGN_OR_RETURN(const IdPage* page, Page(doc / kDocMapBlock));
    const uint32_t i = doc % kDocMapBlock;
    return std::string_view(page->bytes).substr(page->start[i], page->size[i]);
  }
  const IdTable& t = ids();
  if (!t.status.ok()) return t.status;
  if (doc >= t.size.size())
    return absl::OutOfRangeError(absl::StrCat("document ", doc, " >= ", t.size.size()));
  return std::string_view(t.bytes).substr(t.start[doc], t.size[doc]);
}

std::vector<std::shared_ptr<ReadableFile>> SegmentReader::files() const {
  std::vector<std::shared_ptr<ReadableFile>> v = {info_file_, dict_file_, post_,
                                                  pos_,       norms_,     store_};
  if (surf_file_) v.push_back(surf_file_);
  if (tvec_file_) v.push_back(tvec_file_);
  if (del_) v.push_back(del_);
  return v;
}

absl::Status WriteDeletes(Directory* dir, const std::string& name, uint32_t doc_count,
                          const std::vector<uint64_t>& bits) {
  SCOUR_ASSIGN_OR_RETURN(auto w, FramedWriter::Create(dir, name, FileKind::kDeletes));
  std::string body;
  uint32_t count = 0;
  for (uint64_t word : bits) count += static_cast<uint32_t>(__builtin_popcountll(word));
  PutFixed32(&body, doc_count);
  PutFixed32(&body, count);
  for (size_t i = 0; i < (size_t{doc_count} + 63) / 64; ++i)
    PutFixed64(&body, i < bits.size() ? bits[i] : 0);
  SCOUR_RETURN_IF_ERROR(w.Append(body));
  return w.Finish();
}

absl::StatusOr<std::vector<uint64_t>> ReadDeletes(std::string_view file, std::string_view name,
                                                  uint32_t doc_count, uint32_t* deleted_count) {
  SCOUR_ASSIGN_OR_RETURN(std::string_view body, CheckFrame(file, FileKind::kDeletes, name));
  ByteReader r(body);
  uint32_t d = r.U32();
  uint32_t count = r.U32();
  size_t words = (size_t{doc_count} + 63) / 64;
  if (!r.ok() || d != doc_count || r.remaining() != words * 8)
    return absl::DataLossError(absl::StrCat(std::string(name), ": deletion bitmap size mismatch"));
  std::vector<uint64_t> bits(words);
  uint32_t actual = 0;
  for (size_t i = 0; i < words; ++i) {
    bits[i] = r.U64();
    if (i + 1 == words && doc_count % 64) bits[i] &= (uint64_t{1} << (doc_count % 64)) - 1;
    actual += static_cast<uint32_t>(__builtin_popcountll(bits[i]));
  }
  if (actual != count)
    return absl::DataLossError(absl::StrCat(std::string(name), ": deleted count mismatch"));
  *deleted_count = count;
  return bits;
}

}  // namespace scour::index
