#include "index/segment/segment_writer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/status_macros.h"
#include "index/format/file_names.h"
#include "index/postings/bitpack.h"
#include "index/postings/impact_list.h"
#include "index/postings/postings_cursor.h"
#include "index/postings/postings_format.h"

namespace scour::index {

SegmentWriter::SegmentWriter(Directory* dir, uint64_t number, uint32_t doc_count)
    : dir_(dir), number_(number), doc_count_(doc_count), doc_entry_(doc_count, UINT32_MAX) {}

std::vector<std::string> SegmentWriter::FileNames(uint64_t number) {
  std::vector<std::string> names;
  for (FileKind kind : kSegmentFileKinds) names.push_back(SegmentFileName(number, kind));
  return names;
}

absl::StatusOr<std::unique_ptr<SegmentWriter>> SegmentWriter::Create(Directory* dir,
                                                                     uint64_t number,
                                                                     uint32_t doc_count) {
  std::unique_ptr<SegmentWriter> w(new SegmentWriter(dir, number, doc_count));
  SCOUR_ASSIGN_OR_RETURN(
      auto dict,
      FramedWriter::Create(dir, SegmentFileName(number, FileKind::kTermDict), FileKind::kTermDict));
  SCOUR_ASSIGN_OR_RETURN(
      auto post,
      FramedWriter::Create(dir, SegmentFileName(number, FileKind::kPostings), FileKind::kPostings));
  SCOUR_ASSIGN_OR_RETURN(auto pos,
                         FramedWriter::Create(dir, SegmentFileName(number, FileKind::kPositions),
                                              FileKind::kPositions));
  w->dict_ = std::make_unique<FramedWriter>(std::move(dict));
  w->post_ = std::make_unique<FramedWriter>(std::move(post));
  w->pos_ = std::make_unique<FramedWriter>(std::move(pos));
  return w;
}

void SegmentWriter::SetNorms(uint32_t field, std::vector<uint8_t> norms) {
  if (fields_.size() <= field) fields_.resize(field + 1);
  FieldData& f = fields_[field];
  f.present = true;
  f.norms = std::move(norms);
  f.norms.resize(doc_count_, 0);
  f.stats.field = field;
  uint32_t with = 0;
  for (uint8_t n : f.norms) with += n != 0;  // norm 0 <=> no token (LengthToNorm)
  f.stats.docs_with_field = with;
}

// Appends positions (per doc, each doc's list restarting its deltas) in 128-value blocks plus a
// tail, as .pos groups are laid out.
void SegmentWriter::EncodePositions(const uint32_t* pos, size_t n) {
  size_t i = 0;
  uint32_t block[kBlockSize];
  for (; i + kBlockSize <= n; i += kBlockSize) {
    std::copy(pos + i, pos + i + kBlockSize, block);
    PackBlockPFor(block, &scratch_);
  }
  if (i < n) PackTail(pos + i, n - i, &scratch_);
}

void SegmentWriter::StartPositions() {
  pos_start_ = pos_->offset();
  pos_bytes_ = 0;
  pos_ends_.clear();
  buf_.clear();
}

// One doc's `freq` positions as deltas from the doc's start, onto the group in buf_; returns
// where the next doc's positions start.
const uint32_t* SegmentWriter::AddDocPositions(const uint32_t* positions, uint32_t freq) {
  uint32_t prev = 0;
  for (uint32_t k = 0; k < freq; ++k) {
    buf_.push_back(positions[k] - prev);
    prev = positions[k];
  }
  return positions + freq;
}

// The position deltas of one group of a term's docs (kBlockSize, or the last few), from buf_.
absl::Status SegmentWriter::AppendPositionGroup() {
  scratch_.clear();
  EncodePositions(buf_.data(), buf_.size());
  buf_.clear();
  pos_bytes_ += scratch_.size();
  pos_ends_.push_back(static_cast<uint32_t>(pos_bytes_));
  return pos_->Append(scratch_);
}

absl::Status SegmentWriter::AddTerm(std::string_view key, uint32_t field, const uint32_t* docs,
                                    const uint32_t* freqs, size_t df, const uint32_t* positions) {
  if (field != kIdField) {
    // Positions: per-doc deltas, encoded group by group.
    StartPositions();
    if (positions != nullptr) {
      for (size_t i = 0; i < df; ++i) {
        positions = AddDocPositions(positions, freqs[i]);
        if ((i + 1) % kBlockSize == 0 || i + 1 == df) SCOUR_RETURN_IF_ERROR(AppendPositionGroup());
      }
    }
  }
  return WriteTerm(key, field, docs, freqs, df, positions != nullptr);
}

void SegmentWriter::BeginTerm(std::string_view key, uint32_t field) {
  term_key_.assign(key.data(), key.size());
  term_field_ = field;
  term_docs_.clear();
  term_freqs_.clear();
  StartPositions();
}

absl::Status SegmentWriter::AddTermDocs(const uint32_t* docs, const uint32_t* freqs, size_t n,
                                        const uint32_t* positions) {
  for (size_t i = 0; i < n; ++i) {
    term_docs_.push_back(docs[i]);
    term_freqs_.push_back(freqs[i]);
    positions = AddDocPositions(positions, freqs[i]);
    if (term_docs_.size() % kBlockSize == 0) SCOUR_RETURN_IF_ERROR(AppendPositionGroup());
  }
  return absl::OkStatus();
}

absl::Status SegmentWriter::EndTerm() {
  if (term_docs_.size() % kBlockSize != 0) SCOUR_RETURN_IF_ERROR(AppendPositionGroup());
  return WriteTerm(term_key_, term_field_, term_docs_.data(), term_freqs_.data(), term_docs_.size(),
                   true);
}

absl::Status SegmentWriter::WriteTerm(std::string_view key, uint32_t field, const uint32_t* docs,
                                      const uint32_t* freqs, size_t df, bool with_positions) {
  if (fields_.size() <= field) fields_.resize(field + 1);
  FieldData& fd = fields_[field];
  if (!fd.present && field != kIdField) {
    fd.present = true;
    fd.stats.field = field;
  }
  const uint8_t* norms = fd.norms.empty() ? nullptr : fd.norms.data();
  uint64_t cf = 0;
  for (size_t i = 0; i < df; ++i) cf += freqs[i];
  fd.stats.sum_doc_freq += df;
  if (field != kIdField) fd.stats.sum_total_term_freq += cf;
  fd.stats.terms++;
  if (field == kIdField) {
    fd.present = true, fd.stats.field = kIdField;
    return AddIdTerm(key, docs, df);
  }
  TermInfo info;
  info.df = static_cast<uint32_t>(df);
  info.cf = cf;
  info.positions = pos_start_;
  if (df == 1) {
    info.single_doc = docs[0];
  } else {
    info.postings = post_->offset();
    // Encode blocks to scratch, then the skip table, then the blocks.
    scratch_.clear();
    size_t nb = df / kBlockSize;
    skip_rows_.clear();
    uint32_t list_max_tf = 0;
    uint8_t list_min_norm = 255;
    uint32_t prev_doc = 0;
    uint32_t block[kBlockSize];
    for (size_t b = 0; b <= nb; ++b) {
      size_t begin = b * kBlockSize, n = std::min(kBlockSize, df - begin);
      if (n == 0) break;
      uint32_t max_tf = 0;
      uint8_t min_norm = 255;
      for (size_t i = 0; i < n; ++i) {
        block[i] = docs[begin + i] - prev_doc;
        prev_doc = docs[begin + i];
        max_tf = std::max(max_tf, freqs[begin + i]);
        if (norms) min_norm = std::min(min_norm, norms[docs[begin + i]]);
      }
      if (!norms) min_norm = 0;
      list_max_tf = std::max(list_max_tf, max_tf);
      list_min_norm = std::min(list_min_norm, min_norm);
      if (n == kBlockSize) {
        // Format 4: the block's impact list first (docs/format/README.md, "Pareto impacts").
        uint8_t block_norms[kBlockSize];
        for (size_t i = 0; i < n; ++i) block_norms[i] = norms ? norms[docs[begin + i]] : 0;
        ImpactPair frontier[kBlockSize];
        const size_t m = CutFrontier(
            frontier, ParetoFrontier(freqs + begin, block_norms, n, frontier), kMaxImpactPairs);
        AppendImpactList(frontier, m, &scratch_);
        // Format 8: a dense block's doc ids as a bit set (docs/format/block-codec.md).
        if (const uint32_t words = BitSetWords(block, b == 0); words != 0) {
          PackBitSetBlock(docs + begin, b == 0 ? 0 : docs[begin - 1] + 1, words, &scratch_);
        } else {
          PackBlockPFor(block, &scratch_);
        }
        for (size_t i = 0; i < n; ++i) block[i] = freqs[begin + i] - 1;
        PackBlockPFor(block, &scratch_);
        skip_rows_.push_back({docs[begin + n - 1], static_cast<uint32_t>(scratch_.size()),
                              with_positions ? pos_ends_[b] : 0, std::min(max_tf, kTfSaturated),
                              min_norm});
      } else if (n < kTailPackMin) {  // format 6: gap and tf == 1 in one varint
        PackShortTail(block, freqs + begin, n, &scratch_);
      } else {
        PackTail(block, n, &scratch_);
        for (size_t i = 0; i < n; ++i) block[i] = freqs[begin + i] - 1;
        PackTail(block, n, &scratch_);
      }
    }
    // Format 5: the entries at the list's widths (docs/format/README.md, ".post"): a column's
    // largest value is its last row's, but for max tf.
    std::string skips;
    if (nb > 0) {
      const SkipRow& last = skip_rows_.back();
      uint32_t max_tf = 0;
      for (const SkipRow& r : skip_rows_) max_tf = std::max(max_tf, r.max_tf);
      const uint32_t widths[4] = {SkipWidth(last.last_doc), SkipWidth(last.end),
                                  SkipWidth(last.pos_end), SkipWidth(max_tf)};
      skips.push_back(static_cast<char>(SkipWidthsByte(widths)));
      for (const SkipRow& r : skip_rows_) {
        const uint32_t values[4] = {r.last_doc, r.end, r.pos_end, r.max_tf};
        for (int c = 0; c < 4; ++c)
          for (uint32_t k = 0; k < widths[c]; ++k)
            skips.push_back(static_cast<char>(values[c] >> (8 * k)));
        skips.push_back(static_cast<char>(r.min_norm));
      }
    }
    info.impact = PackImpact(list_max_tf, list_min_norm);  // in the dictionary (format 5)
    SCOUR_RETURN_IF_ERROR(post_->Append(skips));
    SCOUR_RETURN_IF_ERROR(post_->Append(scratch_));
  }

  return AppendDictEntry(key, &info);
}

// `key`'s dictionary entry: with the values of `info`, or none (a format-7 _id key).
absl::Status SegmentWriter::AppendDictEntry(std::string_view key, const TermInfo* info) {
  size_t shared = 0;
  if (block_terms_ > 0) {
    size_t lim = std::min(key.size(), last_key_.size());
    while (shared < lim && key[shared] == last_key_[shared]) ++shared;
  } else {
    block_offsets_.push_back(0);  // set when the block is flushed
  }
  if (info != nullptr) {
    AppendDictEntryV2(&block_, key, shared, *info, &block_state_);
  } else {
    AppendDictIdKey(&block_, key, shared);
  }
  last_key_.assign(key.data(), key.size());
  ++num_terms_;
  if (++block_terms_ == kTermsPerDictBlock) SCOUR_RETURN_IF_ERROR(FlushDictBlock());
  return absl::OkStatus();
}

// Format 7: an _id term is its key in the dictionary and its ordinal in the doc map, for each
// of its documents; no postings. The _id keys sort first: the ordinal is the entry's.
absl::Status SegmentWriter::AddIdTerm(std::string_view key, const uint32_t* docs, size_t df) {
  if (num_terms_ != id_terms_)
    return absl::InvalidArgumentError("segment writer: an _id term after other fields' terms");
  for (size_t i = 0; i < df; ++i) {
    if (docs[i] >= doc_count_ || doc_entry_[docs[i]] != UINT32_MAX)
      return absl::InvalidArgumentError(
          absl::StrCat("segment writer: document ", docs[i], " out of range or with two ids"));
    doc_entry_[docs[i]] = id_terms_;
  }
  ++id_terms_;
  return AppendDictEntry(key, nullptr);
}

absl::Status SegmentWriter::FlushDictBlock() {
  if (block_terms_ == 0) return absl::OkStatus();
  block_offsets_.back() = dict_->offset();
  std::string head;
  PutVarint32(&head, block_terms_);
  SCOUR_RETURN_IF_ERROR(dict_->Append(head));
  SCOUR_RETURN_IF_ERROR(dict_->Append(block_));
  block_.clear();
  block_terms_ = 0;
  block_state_ = DictBlockState{};
  return absl::OkStatus();
}

absl::Status SegmentWriter::Finish(SegmentInfo* info) {
  SCOUR_RETURN_IF_ERROR(FlushDictBlock());
  for (uint32_t d = 0; d < doc_count_; ++d)
    if (doc_entry_[d] == UINT32_MAX)
      return absl::InvalidArgumentError(
          absl::StrCat("segment writer: document ", d, " has no _id"));
  std::string tail;
  uint64_t index_offset = dict_->offset();
  // Format 6: the offsets at the width of the largest (the last), not 8 bytes each.
  const uint32_t width = DictBlockIndexWidth(block_offsets_.empty() ? 0 : block_offsets_.back());
  PutFixed32(&tail, static_cast<uint32_t>(block_offsets_.size()));
  tail.push_back(static_cast<char>(width));
  for (uint64_t off : block_offsets_) {
    char buf[8];
    EncodeFixed64(buf, off);
    tail.append(buf, width);
  }
  // Format 7: the doc map after the block index, its offset in the tail.
  const uint64_t map_offset = index_offset + tail.size();
  tail += EncodeDocMap(doc_entry_, id_terms_);
  std::vector<uint32_t>().swap(doc_entry_);
  PutFixed64(&tail, index_offset);
  PutFixed64(&tail, map_offset);
  PutFixed64(&tail, num_terms_);
  SCOUR_RETURN_IF_ERROR(dict_->Append(tail));
  SCOUR_RETURN_IF_ERROR(dict_->Finish());
  SCOUR_RETURN_IF_ERROR(post_->Finish());
  SCOUR_RETURN_IF_ERROR(pos_->Finish());

  // Norms: every present field except _id.
  SCOUR_ASSIGN_OR_RETURN(
      auto norms,
      FramedWriter::Create(dir_, SegmentFileName(number_, FileKind::kNorms), FileKind::kNorms));
  info->doc_count = doc_count_;
  info->fields.clear();
  for (uint32_t f = 0; f < fields_.size(); ++f) {
    FieldData& fd = fields_[f];
    if (!fd.present) continue;
    fd.stats.norms_offset = norms.offset();
    if (f != kIdField) {
      fd.norms.resize(doc_count_, 0);
      SCOUR_RETURN_IF_ERROR(norms.Append(
          std::string_view(reinterpret_cast<const char*>(fd.norms.data()), fd.norms.size())));
    }
    info->fields.push_back(fd.stats);
  }
  SCOUR_RETURN_IF_ERROR(norms.Finish());

  SCOUR_ASSIGN_OR_RETURN(
      auto store,
      FramedWriter::Create(dir_, SegmentFileName(number_, FileKind::kStored), FileKind::kStored));
  SCOUR_RETURN_IF_ERROR(stored_.WriteTo(&store));
  SCOUR_RETURN_IF_ERROR(store.Finish());

  SCOUR_ASSIGN_OR_RETURN(
      auto surf, FramedWriter::Create(dir_, SegmentFileName(number_, FileKind::kSurfaceForms),
                                      FileKind::kSurfaceForms));
  SCOUR_RETURN_IF_ERROR(surf.Append(surfaces_.Finish(surf.offset())));
  SCOUR_RETURN_IF_ERROR(surf.Finish());

  if (term_vectors_ != nullptr) {
    SCOUR_ASSIGN_OR_RETURN(
        auto tvec, FramedWriter::Create(dir_, SegmentFileName(number_, FileKind::kTermVectors),
                                        FileKind::kTermVectors));
    SCOUR_RETURN_IF_ERROR(term_vectors_->WriteTo(&tvec));
    SCOUR_RETURN_IF_ERROR(tvec.Finish());
    term_vectors_.reset();
  }

  SCOUR_ASSIGN_OR_RETURN(
      auto inf, FramedWriter::Create(dir_, SegmentFileName(number_, FileKind::kSegmentInfo),
                                     FileKind::kSegmentInfo));
  std::string body;
  PutFixed32(&body, doc_count_);
  PutVarint64(&body, info->fields.size());
  for (const FieldInfo& s : info->fields) {
    PutVarint64(&body, s.field);
    PutFixed32(&body, s.docs_with_field);
    PutFixed64(&body, s.sum_total_term_freq);
    PutFixed64(&body, s.sum_doc_freq);
    PutFixed64(&body, s.terms);
    PutFixed64(&body, s.norms_offset);
  }
  SCOUR_RETURN_IF_ERROR(inf.Append(body));
  return inf.Finish();
}

}  // namespace scour::index
