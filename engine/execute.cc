#include "engine/execute.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "engine/algorithm/phrase_top_k.h"
#include "engine/iterators.h"
#include "engine/leaf_cursors.h"
#include "engine/retrieval.h"
#include "engine/union_postings.h"

namespace scour::engine {
namespace {

using index::SegmentPostings;
using index::SegmentReader;

// Conjunctions merge decoded blocks (conjunction.h) only through SegmentPostings' block access:
// without it they would quietly fall back to stepping doc by doc.
static_assert(BlockCursor<SegmentPostings>);

// A query of single-field term and synonym leaves: `(+a b -c)` or one leaf.
struct FlatQuery {
  uint32_t field = 0;
  bool synonyms = false;  // some leaf is a synonym: every leaf is read as a UnionPostings
  std::vector<const PlanNode*> required, optional, excluded;
};

bool AsFlat(const PlanNode& root, FlatQuery* flat) {
  auto add = [&](Occur occur, const PlanNode* leaf) {
    if (leaf->kind != PlanKind::kTerm && leaf->kind != PlanKind::kSynonym) return false;
    if (flat->required.empty() && flat->optional.empty() && flat->excluded.empty())
      flat->field = leaf->field;
    if (leaf->field != flat->field) return false;
    flat->synonyms |= leaf->kind == PlanKind::kSynonym;
    (occur == Occur::kMust     ? flat->required
     : occur == Occur::kShould ? flat->optional
                               : flat->excluded)
        .push_back(leaf);
    return true;
  };
  if (root.kind == PlanKind::kTerm || root.kind == PlanKind::kSynonym)
    return add(Occur::kMust, &root);
  if (root.kind != PlanKind::kBool) return false;
  for (const auto& [occur, child] : root.clauses) {
    if (child->kind == PlanKind::kBool && occur == Occur::kShould) {
      // A SHOULD group of SHOULD terms (an unqualified term over fields, or `(a b)`) adds
      // scores exactly like its terms listed flat.
      for (const auto& [o2, c2] : child->clauses)
        if (o2 != Occur::kShould || !add(Occur::kShould, c2.get())) return false;
      continue;
    }
    if (!add(occur, child.get())) return false;
  }
  return !(flat->required.empty() && flat->optional.empty());
}

void Merge(TopK& seg_top, uint64_t base, TopK* global) {
  for (const ScoredDoc& d : seg_top.Take())
    global->Insert(static_cast<DocId>(base + d.doc), d.score);
}

// A leaf's cursor in `seg`, or nullopt when the segment has none of its terms.
template <typename Cursor>
absl::StatusOr<std::optional<Cursor>> OpenLeaf(const PlanNode& leaf, const SegmentReader& seg);

template <>
absl::StatusOr<std::optional<SegmentPostings>> OpenLeaf(const PlanNode& leaf,
                                                        const SegmentReader& seg) {
  return OpenTerm(leaf, seg);
}

// In a query with a synonym, a term is a union of one list (one cursor type for the algorithms).
template <>
absl::StatusOr<std::optional<UnionPostings<SegmentPostings>>> OpenLeaf(const PlanNode& leaf,
                                                                       const SegmentReader& seg) {
  if (leaf.kind == PlanKind::kSynonym) return OpenSynonymUnion(leaf, seg);
  SCOUR_ASSIGN_OR_RETURN(std::optional<SegmentPostings> p, OpenTerm(leaf, seg));
  if (!p) return std::nullopt;
  std::vector<SegmentPostings> one;
  one.push_back(*std::move(p));
  return UnionPostings<SegmentPostings>(std::move(one));
}

template <typename Cursor>
absl::Status RunFlat(const FlatQuery& q, const SegmentReader& seg, uint64_t base, size_t k,
                     bool count, TopK* global, uint64_t* matches) {
  const uint8_t* norms = seg.norms(q.field);
  if (norms == nullptr) return absl::OkStatus();
  std::vector<Cursor> cursors;
  cursors.reserve(q.required.size() + q.optional.size() + q.excluded.size());
  std::vector<ScoredCursor<Cursor>> req, opt;
  std::vector<Cursor*> excl;
  auto open = [&](const PlanNode* leaf) -> absl::StatusOr<Cursor*> {
    SCOUR_ASSIGN_OR_RETURN(std::optional<Cursor> p, OpenLeaf<Cursor>(*leaf, seg));
    if (!p) return nullptr;
    cursors.push_back(*std::move(p));
    return &cursors.back();
  };
  for (const PlanNode* l : q.required) {
    SCOUR_ASSIGN_OR_RETURN(Cursor * c, open(l));
    if (c == nullptr) return absl::OkStatus();  // a required term absent: nothing matches here
    req.push_back({c, &l->scorer});
  }
  for (const PlanNode* l : q.optional) {
    SCOUR_ASSIGN_OR_RETURN(Cursor * c, open(l));
    if (c) opt.push_back({c, &l->scorer});
  }
  for (const PlanNode* l : q.excluded) {
    SCOUR_ASSIGN_OR_RETURN(Cursor * c, open(l));
    if (c) excl.push_back(c);
  }
  if (req.empty() && opt.empty()) return absl::OkStatus();
  const SegmentView view{norms, seg.deleted_bits()};
  BooleanClauses<Cursor> clauses{req, opt, excl};
  if (count) {
    *matches += BooleanCount(clauses, seg.deleted_bits());
    for (auto& c : cursors) SCOUR_RETURN_IF_ERROR(c.status());
    cursors.clear();
    req.clear();
    opt.clear();
    excl.clear();
    // Counting consumed the cursors: open them again for scoring.
    return RunFlat<Cursor>(q, seg, base, k, false, global, nullptr);
  }
  TopK top(k);
  BooleanTopK(clauses, view, &top);
  for (auto& c : cursors) SCOUR_RETURN_IF_ERROR(c.status());
  Merge(top, base, global);
  return absl::OkStatus();
}

// The plan is one phrase (and nothing is counted).
absl::Status RunPhrase(const PlanNode& plan, const SegmentReader& seg, uint64_t base, size_t k,
                       TopK* global) {
  SCOUR_ASSIGN_OR_RETURN(std::unique_ptr<SegmentPhrase> phrase, SegmentPhrase::Open(plan, seg));
  if (phrase == nullptr) return absl::OkStatus();
  SCOUR_RETURN_IF_ERROR(phrase->status());
  if (phrase->cursor().doc() == kNoMoreDocs) return absl::OkStatus();
  TopK top(k);
  PhraseTopK<SegmentPostings>(&phrase->cursor(), plan.scorer,
                              SegmentView{seg.norms(plan.field), seg.deleted_bits()}, &top)
      .Run();
  SCOUR_RETURN_IF_ERROR(phrase->status());
  Merge(top, base, global);
  return absl::OkStatus();
}

// Anything else: the iterator tree, every matching doc scored.
absl::Status RunTree(const PlanNode& plan, const SegmentReader& seg, uint64_t base, size_t k,
                     bool count, TopK* global, uint64_t* matches) {
  SCOUR_ASSIGN_OR_RETURN(std::unique_ptr<DocIterator> it, MakeIterator(plan, seg));
  TopK top(k);
  const uint64_t* del = seg.deleted_bits();
  for (DocId d = it->doc(); d != kNoMoreDocs; d = it->Next()) {
    if (IsDeleted(del, d)) continue;
    if (count) ++*matches;
    const float score = it->Score();
    if (k > 0 && (!top.full() || score > top.threshold())) top.Insert(d, score);
  }
  SCOUR_RETURN_IF_ERROR(it->status());
  Merge(top, base, global);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ExecResult> Execute(const PlanNode& plan, const index::Snapshot& index, size_t k,
                                   bool count) {
  ExecResult result;
  TopK global(k);
  FlatQuery flat;
  const bool is_flat = AsFlat(plan, &flat);
  const bool is_phrase = plan.kind == PlanKind::kPhrase && !count;
  for (size_t s = 0; s < index.segments.size(); ++s) {
    const SegmentReader& seg = *index.segments[s];
    const uint64_t base = index.bases[s];
    if (is_flat) {
      SCOUR_RETURN_IF_ERROR(flat.synonyms ? RunFlat<UnionPostings<SegmentPostings>>(
                                                flat, seg, base, k, count, &global, &result.count)
                                          : RunFlat<SegmentPostings>(flat, seg, base, k, count,
                                                                     &global, &result.count));
    } else if (is_phrase) {
      SCOUR_RETURN_IF_ERROR(RunPhrase(plan, seg, base, k, &global));
    } else {
      SCOUR_RETURN_IF_ERROR(RunTree(plan, seg, base, k, count, &global, &result.count));
    }
  }
  result.top = global.Take();
  return result;
}

absl::StatusOr<std::string> VerifyPruning(const PlanNode& plan, const index::Snapshot& index,
                                          size_t k, bool count, const ExecResult& pruned) {
  SCOUR_ASSIGN_OR_RETURN(ExecResult all,
                         Execute(plan, index, std::max<uint64_t>(index.max_doc, 1), count));
  if (all.top.size() > k) all.top.resize(k);
  std::string out;
  int shown = 0;
  auto note = [&](const std::string& line) {
    if (shown++ < 5) absl::StrAppend(&out, line, "\n");
  };
  if (count && all.count != pruned.count) {
    note(absl::StrFormat("count: pruned %u, exhaustive %u", pruned.count, all.count));
  }
  if (all.top.size() != pruned.top.size()) {
    note(absl::StrFormat("hits: pruned %u, exhaustive %u", pruned.top.size(), all.top.size()));
  }
  for (size_t i = 0; i < std::min(all.top.size(), pruned.top.size()); ++i) {
    const ScoredDoc& a = pruned.top[i];
    const ScoredDoc& b = all.top[i];
    if (a.doc != b.doc || a.score != b.score) {
      note(absl::StrFormat("rank %u: pruned doc %u score %.9g, exhaustive doc %u score %.9g", i + 1,
                           a.doc, a.score, b.doc, b.score));
    }
  }
  if (shown > 5) absl::StrAppend(&out, "(", shown - 5, " more)\n");
  return out;
}

}  // namespace scour::engine
