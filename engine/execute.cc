#include "engine/execute.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "engine/algorithm/count.h"
#include "engine/algorithm/phrase_top_k.h"
#include "engine/combined_postings.h"
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

// A query of single-field term and synonym leaves, or of bm25f leaves only: `(+a b -c)` or one
// leaf.
struct FlatQuery {
  uint32_t field = 0;
  bool synonyms = false;  // some leaf is a synonym: every leaf is read as a UnionPostings
  bool combined = false;  // every leaf is a bm25f leaf (many fields): read as CombinedPostings
  std::vector<const PlanNode*> required, optional, excluded;
};

bool AsFlat(const PlanNode& root, FlatQuery* flat) {
  auto add = [&](Occur occur, const PlanNode* leaf) {
    const bool combined = leaf->kind == PlanKind::kCombined;
    if (leaf->kind != PlanKind::kTerm && leaf->kind != PlanKind::kSynonym && !combined)
      return false;
    if (flat->required.empty() && flat->optional.empty() && flat->excluded.empty()) {
      flat->field = leaf->field;
      flat->combined = combined;
    }
    if (combined != flat->combined || (!combined && leaf->field != flat->field)) return false;
    flat->synonyms |= leaf->kind == PlanKind::kSynonym;
    (occur == Occur::kMust     ? flat->required
     : occur == Occur::kShould ? flat->optional
                               : flat->excluded)
        .push_back(leaf);
    return true;
  };
  if (root.kind == PlanKind::kTerm || root.kind == PlanKind::kSynonym ||
      root.kind == PlanKind::kCombined)
    return add(Occur::kMust, &root);
  if (root.kind != PlanKind::kBool) return false;
  size_t scoring = 0;  // the root's clauses that add to the score
  for (const auto& [occur, child] : root.clauses) scoring += occur != Occur::kMustNot;
  for (const auto& [occur, child] : root.clauses) {
    if (child->kind == PlanKind::kBool && occur == Occur::kShould) {
      // A SHOULD group of SHOULD terms (an unqualified term over fields, or `(a b)`) may be
      // listed flat only where the float sums stay the tree's: the tree adds the group's sum
      // as one value (`c + (a + b)`), the flat algorithms add term by term (`(c + a) + b`),
      // and the two differ in the last bit. So: a group of one term, or a group that is the
      // only scoring clause. bm25f leaves never flatten (same reason).
      if (child->clauses.size() > 1 && scoring > 1) return false;
      for (const auto& [o2, c2] : child->clauses) {
        if (o2 != Occur::kShould || c2->kind == PlanKind::kCombined) return false;
        if (!add(Occur::kShould, c2.get())) return false;
      }
      continue;
    }
    if (!add(occur, child.get())) return false;
  }
  return !(flat->required.empty() && flat->optional.empty());
}

void Merge(TopK& seg_top, uint64_t base, TopK* global) {
  global->Absorb(seg_top, static_cast<DocId>(base));
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

// A bm25f query: each leaf over its fields.
template <>
absl::StatusOr<std::optional<CombinedPostings<SegmentPostings>>> OpenLeaf(
    const PlanNode& leaf, const SegmentReader& seg) {
  return OpenCombinedPostings(leaf, seg);
}

// A flat query's leaves opened in one segment; `none` when nothing can match there.
template <typename Cursor>
struct FlatCursors {
  std::vector<Cursor> cursors;  // reserved up front: the spans below point into it
  std::vector<ScoredCursor<Cursor>> req, opt;
  std::vector<Cursor*> excl;
  bool none = true;

  absl::Status status() const {
    for (const Cursor& c : cursors) SCOUR_RETURN_IF_ERROR(c.status());
    return absl::OkStatus();
  }
};

template <typename Cursor>
absl::Status OpenFlat(const FlatQuery& q, const SegmentReader& seg, FlatCursors<Cursor>* o) {
  o->cursors.reserve(q.required.size() + q.optional.size() + q.excluded.size());
  auto open = [&](const PlanNode* leaf) -> absl::StatusOr<Cursor*> {
    SCOUR_ASSIGN_OR_RETURN(std::optional<Cursor> p, OpenLeaf<Cursor>(*leaf, seg));
    if (!p) return nullptr;
    o->cursors.push_back(*std::move(p));
    return &o->cursors.back();
  };
  for (const PlanNode* l : q.required) {
    SCOUR_ASSIGN_OR_RETURN(Cursor * c, open(l));
    if (c == nullptr) return absl::OkStatus();  // a required term absent: nothing matches here
    o->req.push_back({c, &l->scorer});
  }
  for (const PlanNode* l : q.optional) {
    SCOUR_ASSIGN_OR_RETURN(Cursor * c, open(l));
    if (c) o->opt.push_back({c, &l->scorer});
  }
  for (const PlanNode* l : q.excluded) {
    SCOUR_ASSIGN_OR_RETURN(Cursor * c, open(l));
    if (c) o->excl.push_back(c);
  }
  o->none = o->req.empty() && o->opt.empty();
  return absl::OkStatus();
}

// The exact number of live docs matching a flat query in `seg`, doc ids only (count.h); `bits`
// is scratch for unions (nullptr: a local one).
template <typename Cursor>
absl::StatusOr<uint64_t> CountFlat(const FlatQuery& q, const SegmentReader& seg,
                                   std::vector<uint64_t>* bits) {
  if (!q.combined && seg.norms(q.field) == nullptr) return 0;
  FlatCursors<Cursor> o;
  SCOUR_RETURN_IF_ERROR(OpenFlat(q, seg, &o));
  if (o.none) return 0;
  const uint64_t* del = seg.deleted_bits();
  uint64_t n = 0;
  if (!o.req.empty() || o.opt.size() == 1) {
    // Optional clauses do not change which docs match once one is required.
    if (o.req.empty()) o.req.push_back(o.opt[0]);
    if (o.req.size() == 1 && o.excl.empty()) {
      n = CountList(o.req[0].cursor, del);
    } else {
      n = BooleanCount(BooleanClauses<Cursor>{o.req, {}, o.excl}, del);
    }
  } else {
    std::vector<uint64_t> local;
    std::vector<Cursor*> lists;
    for (const auto& c : o.opt) lists.push_back(c.cursor);
    n = UnionCount<Cursor>(lists, o.excl, del, seg.max_doc(), bits ? bits : &local);
  }
  SCOUR_RETURN_IF_ERROR(o.status());
  return n;
}

template <typename Cursor>
absl::Status RunFlat(const FlatQuery& q, const SegmentReader& seg, uint64_t base, size_t k,
                     bool count, TopK* global, uint64_t* matches) {
  // A bm25f leaf reads its fields' norms itself.
  const uint8_t* norms = q.combined ? nullptr : seg.norms(q.field);
  if (!q.combined && norms == nullptr) return absl::OkStatus();
  if (count) {
    // Counting consumes the cursors: the top k opens them again.
    SCOUR_ASSIGN_OR_RETURN(const uint64_t n, CountFlat<Cursor>(q, seg, nullptr));
    *matches += n;
  }
  FlatCursors<Cursor> o;
  SCOUR_RETURN_IF_ERROR(OpenFlat(q, seg, &o));
  if (o.none) return absl::OkStatus();
  TopK top(k);
  BooleanTopK(BooleanClauses<Cursor>{o.req, o.opt, o.excl}, SegmentView{norms, seg.deleted_bits()},
              &top);
  SCOUR_RETURN_IF_ERROR(o.status());
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

absl::Status RunTree(const PlanNode& plan, const SegmentReader& seg, uint64_t base, size_t k,
                     bool count, TopK* global, uint64_t* matches);

// The plan is one phrase: its live docs, nothing scored.
absl::StatusOr<uint64_t> CountPhrase(const PlanNode& plan, const SegmentReader& seg) {
  SCOUR_ASSIGN_OR_RETURN(std::unique_ptr<SegmentPhrase> phrase, SegmentPhrase::Open(plan, seg));
  if (phrase == nullptr) return 0;
  SCOUR_RETURN_IF_ERROR(phrase->status());
  const uint64_t n = CountList(&phrase->cursor(), seg.deleted_bits());
  SCOUR_RETURN_IF_ERROR(phrase->status());
  return n;
}

// k == 0 with count: the number of matches alone, by the doc-id-only paths of count.h.
absl::StatusOr<uint64_t> CountOnly(const PlanNode& plan, const index::Snapshot& index) {
  FlatQuery flat;
  const bool is_flat = AsFlat(plan, &flat);
  std::vector<uint64_t> bits;
  uint64_t n = 0;
  for (const auto& segment : index.segments) {
    const SegmentReader& seg = *segment;
    if (is_flat) {
      SCOUR_ASSIGN_OR_RETURN(
          const uint64_t c,
          flat.combined   ? CountFlat<CombinedPostings<SegmentPostings>>(flat, seg, &bits)
          : flat.synonyms ? CountFlat<UnionPostings<SegmentPostings>>(flat, seg, &bits)
                          : CountFlat<SegmentPostings>(flat, seg, &bits));
      n += c;
    } else if (plan.kind == PlanKind::kPhrase) {
      SCOUR_ASSIGN_OR_RETURN(const uint64_t c, CountPhrase(plan, seg));
      n += c;
    } else {
      TopK none(0);
      SCOUR_RETURN_IF_ERROR(RunTree(plan, seg, 0, 0, true, &none, &n));
    }
  }
  return n;
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
    if (k == 0) continue;  // counting only: nothing scored
    const float score = it->Score();
    if (!top.full() || score > top.threshold()) top.Insert(d, score);
  }
  SCOUR_RETURN_IF_ERROR(it->status());
  Merge(top, base, global);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ExecResult> Execute(const PlanNode& plan, const index::Snapshot& index, size_t k,
                                   bool count) {
  ExecResult result;
  if (count && k == 0) {
    SCOUR_ASSIGN_OR_RETURN(result.count, CountOnly(plan, index));
    return result;
  }
  TopK global(k);
  FlatQuery flat;
  const bool is_flat = AsFlat(plan, &flat);
  const bool is_phrase = plan.kind == PlanKind::kPhrase && !count;
  for (size_t s = 0; s < index.segments.size(); ++s) {
    const SegmentReader& seg = *index.segments[s];
    const uint64_t base = index.bases[s];
    if (is_flat) {
      uint64_t* matches = &result.count;
      SCOUR_RETURN_IF_ERROR(
          flat.combined ? RunFlat<CombinedPostings<SegmentPostings>>(flat, seg, base, k, count,
                                                                     &global, matches)
          : flat.synonyms
              ? RunFlat<UnionPostings<SegmentPostings>>(flat, seg, base, k, count, &global, matches)
              : RunFlat<SegmentPostings>(flat, seg, base, k, count, &global, matches));
    } else if (is_phrase) {
      SCOUR_RETURN_IF_ERROR(RunPhrase(plan, seg, base, k, &global));
    } else {
      SCOUR_RETURN_IF_ERROR(RunTree(plan, seg, base, k, count, &global, &result.count));
    }
  }
  result.top = global.Take();
  return result;
}

absl::StatusOr<ExecResult> ExecuteExhaustive(const PlanNode& plan, const index::Snapshot& index,
                                             size_t k, bool count) {
  ExecResult result;
  TopK global(k);
  for (size_t s = 0; s < index.segments.size(); ++s) {
    SCOUR_RETURN_IF_ERROR(
        RunTree(plan, *index.segments[s], index.bases[s], k, count, &global, &result.count));
  }
  result.top = global.Take();
  return result;
}

bool RunsFlat(const PlanNode& plan) {
  FlatQuery flat;
  return AsFlat(plan, &flat);
}

absl::StatusOr<uint64_t> CountExhaustive(const PlanNode& plan, const index::Snapshot& index) {
  uint64_t n = 0;
  for (const auto& seg : index.segments) {
    TopK none(0);
    SCOUR_RETURN_IF_ERROR(RunTree(plan, *seg, 0, 0, true, &none, &n));
  }
  return n;
}

absl::StatusOr<std::string> VerifyPruning(const PlanNode& plan, const index::Snapshot& index,
                                          size_t k, bool count, const ExecResult& pruned) {
  // The reference is the iterator tree, every match scored: the same algorithms at a huge k
  // would share the pruned path's summation order and could not see a difference in it.
  SCOUR_ASSIGN_OR_RETURN(ExecResult all, ExecuteExhaustive(plan, index, k, /*count=*/false));
  std::string out;
  int shown = 0;
  auto note = [&](const std::string& line) {
    if (shown++ < 5) absl::StrAppend(&out, line, "\n");
  };
  if (count) {
    // Counts come from doc-id-only paths (count.h): checked against the iterator tree's.
    SCOUR_ASSIGN_OR_RETURN(const uint64_t exhaustive, CountExhaustive(plan, index));
    if (exhaustive != pruned.count) {
      note(absl::StrFormat("count: pruned %u, exhaustive %u", pruned.count, exhaustive));
    }
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
