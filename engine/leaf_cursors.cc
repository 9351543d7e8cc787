#include "engine/leaf_cursors.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "index/segment/segment_format.h"

namespace scour::engine {

using index::SegmentPostings;
using index::SegmentReader;

namespace {

// Term `word` of leaf `n` in `seg`: the entry bound with the plan, else looked up.
absl::StatusOr<std::optional<index::TermInfo>> Entry(const PlanNode& n, const SegmentReader& seg,
                                                     uint32_t word, std::string_view term) {
  if (const std::optional<index::TermInfo>* bound = EntryIn(n, seg, word); bound != nullptr) {
    return *bound;
  }
  return seg.Lookup(n.field, term);
}

}  // namespace

absl::StatusOr<std::optional<SegmentPostings>> OpenTerm(const PlanNode& n,
                                                        const SegmentReader& seg) {
  SCOUR_ASSIGN_OR_RETURN(auto info, Entry(n, seg, 0, n.term));
  if (!info) return std::nullopt;
  return seg.Postings(n.field, *info);
}

absl::StatusOr<std::vector<std::optional<SegmentPostings>>> OpenSynonym(const PlanNode& n,
                                                                        const SegmentReader& seg) {
  std::vector<std::optional<SegmentPostings>> lists;
  for (size_t i = 0; i < n.synonyms.size(); ++i) {
    const std::string& t = n.synonyms[i];
    SCOUR_ASSIGN_OR_RETURN(auto info, Entry(n, seg, static_cast<uint32_t>(i), t));
    if (info) {
      lists.emplace_back(seg.Postings(n.field, *info));
    } else {
      lists.emplace_back(std::nullopt);
    }
  }
  return lists;
}

absl::StatusOr<std::vector<std::optional<SegmentPostings>>> OpenCombined(const PlanNode& n,
                                                                         const SegmentReader& seg) {
  std::vector<std::optional<SegmentPostings>> lists;
  for (const CombinedField& f : n.combined) {
    SCOUR_ASSIGN_OR_RETURN(auto info, seg.Lookup(f.field, n.term));
    if (info && seg.norms(f.field) != nullptr) {
      lists.emplace_back(seg.Postings(f.field, *info));
    } else {
      lists.emplace_back(std::nullopt);
    }
  }
  return lists;
}

absl::StatusOr<std::optional<CombinedPostings<SegmentPostings>>> OpenCombinedPostings(
    const PlanNode& n, const SegmentReader& seg) {
  SCOUR_ASSIGN_OR_RETURN(auto per_field, OpenCombined(n, seg));
  std::vector<CombinedPostings<SegmentPostings>::Field> fields;
  for (size_t i = 0; i < per_field.size(); ++i) {
    if (!per_field[i]) continue;
    const CombinedField& f = n.combined[i];
    fields.push_back(
        {*std::move(per_field[i]), f.scale.data(), f.max_scale.data(), seg.norms(f.field)});
  }
  if (fields.empty()) return std::nullopt;
  return CombinedPostings<SegmentPostings>(std::move(fields));
}

absl::StatusOr<std::optional<UnionPostings<SegmentPostings>>> OpenSynonymUnion(
    const PlanNode& n, const SegmentReader& seg) {
  SCOUR_ASSIGN_OR_RETURN(auto alternatives, OpenSynonym(n, seg));
  std::vector<SegmentPostings> lists;
  for (auto& p : alternatives)
    if (p) lists.push_back(*std::move(p));
  if (lists.empty()) return std::nullopt;
  return UnionPostings<SegmentPostings>(std::move(lists));
}

namespace {

absl::Status TooManyPrefixTerms(const std::string& prefix) {
  return absl::InvalidArgumentError(absl::StrCat("prefix \"", prefix, "*\" matches more than ",
                                                 kMaxPrefixTerms, " terms: make it longer"));
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ExpandSurfaceForms(const index::Snapshot& index,
                                                            uint32_t field,
                                                            const std::string& prefix) {
  std::string key;
  index::AppendTermKey(field, prefix, &key);
  std::vector<std::string> terms;
  for (const auto& seg : index.segments) {
    const index::SurfaceDictReader* surfaces = seg->surfaces();
    if (surfaces == nullptr) continue;  // written before surface forms
    auto s = surfaces->Seek(key);
    for (; s.Valid() && s.key().substr(0, key.size()) == key; s.Next()) {
      if (s.term().substr(0, prefix.size()) == prefix) continue;  // the term scan finds it
      terms.emplace_back(s.term());
      if (terms.size() > 4 * kMaxPrefixTerms) {  // bound the memory before deduplicating
        std::sort(terms.begin(), terms.end());
        terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
        if (terms.size() > kMaxPrefixTerms) return TooManyPrefixTerms(prefix);
      }
    }
    SCOUR_RETURN_IF_ERROR(s.status());
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  if (terms.size() > kMaxPrefixTerms) return TooManyPrefixTerms(prefix);
  return terms;
}

absl::StatusOr<std::vector<SegmentPostings>> OpenPrefix(const PlanNode& n,
                                                        const SegmentReader& seg) {
  std::string key;
  index::AppendTermKey(n.field, n.term, &key);
  std::vector<SegmentPostings> lists;
  // The terms that start with the prefix...
  auto it = seg.dict().Seek(key);
  for (; it.Valid() && it.key().substr(0, key.size()) == key; it.Next()) {
    if (lists.size() >= kMaxPrefixTerms) return TooManyPrefixTerms(n.term);
    lists.push_back(seg.Postings(n.field, it.info()));
  }
  SCOUR_RETURN_IF_ERROR(it.status());
  // ... and the terms of the words as written that start with it ("committee*": "committees"
  // -> "committe"), found in any segment.
  for (const std::string& t : n.expansion) {
    SCOUR_ASSIGN_OR_RETURN(std::optional<index::TermInfo> info, seg.Lookup(n.field, t));
    if (!info) continue;
    if (lists.size() >= kMaxPrefixTerms) return TooManyPrefixTerms(n.term);
    lists.push_back(seg.Postings(n.field, *info));
  }
  return lists;
}

absl::StatusOr<std::unique_ptr<SegmentPhrase>> SegmentPhrase::Open(const PlanNode& n,
                                                                   const SegmentReader& seg) {
  if (seg.norms(n.field) == nullptr) return nullptr;
  std::vector<SegmentPostings> slots;
  for (size_t i = 0; i < n.phrase.size(); ++i) {
    const PhraseTerm& t = n.phrase[i];
    SCOUR_ASSIGN_OR_RETURN(auto info, Entry(n, seg, static_cast<uint32_t>(i), t.term));
    if (!info) return nullptr;
    slots.push_back(seg.Postings(n.field, *info));
  }
  return std::unique_ptr<SegmentPhrase>(new SegmentPhrase(std::move(slots), n.phrase, n.slop));
}

SegmentPhrase::SegmentPhrase(std::vector<SegmentPostings> slots,
                             const std::vector<PhraseTerm>& phrase, uint32_t slop)
    : slots_(std::move(slots)) {
  for (auto& c : slots_) ptrs_.push_back(&c);
  for (size_t i = 0; i < phrase.size(); ++i) {
    offsets_.push_back(phrase[i].position);
    uint32_t id = static_cast<uint32_t>(i);
    for (size_t j = 0; j < i; ++j)
      if (phrase[j].term == phrase[i].term) id = term_ids_[j];
    term_ids_.push_back(id);
  }
  cursor_ = std::make_unique<PhraseCursor<SegmentPostings>>(ptrs_, offsets_, term_ids_, slop);
}

absl::Status SegmentPhrase::status() const {
  for (const auto& s : slots_)
    if (!s.ok()) return s.status();
  return cursor_->ok() ? absl::OkStatus() : absl::DataLossError("corrupt positions");
}

}  // namespace scour::engine
