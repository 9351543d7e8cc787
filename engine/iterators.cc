#include "engine/iterators.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "base/status_macros.h"
#include "engine/leaf_cursors.h"
#include "engine/union_postings.h"

namespace scour::engine {
namespace {

using index::DocId;
using index::kNoMoreDocs;
using index::SegmentPostings;
using index::SegmentReader;

class TermIterator final : public DocIterator {
 public:
  TermIterator(SegmentPostings p, const TermScorer* s, const uint8_t* norms)
      : p_(std::move(p)), scorer_(s), norms_(norms) {
    doc_ = p_.doc();
  }
  DocId Next() override { return doc_ = p_.Next(); }
  DocId Advance(DocId t) override { return doc_ = p_.Advance(t); }
  float Score() override { return scorer_->ScoreTf(p_.freq(), norms_[doc_]); }
  uint64_t cost() const override { return p_.df(); }
  absl::Status status() const override { return p_.status(); }

 private:
  SegmentPostings p_;
  const TermScorer* scorer_;
  const uint8_t* norms_;
};

class PhraseIterator final : public DocIterator {
 public:
  PhraseIterator(std::unique_ptr<SegmentPhrase> phrase, const TermScorer* s, const uint8_t* norms)
      : phrase_(std::move(phrase)), cursor_(&phrase_->cursor()), scorer_(s), norms_(norms) {
    doc_ = cursor_->doc();
  }
  DocId Next() override { return doc_ = cursor_->Next(); }
  DocId Advance(DocId t) override { return doc_ = cursor_->Advance(t); }
  float Score() override { return scorer_->Score(cursor_->freq(), norms_[doc_]); }
  uint64_t cost() const override { return cursor_->df(); }
  absl::Status status() const override { return phrase_->status(); }

 private:
  std::unique_ptr<SegmentPhrase> phrase_;
  PhraseCursor<SegmentPostings>* cursor_;
  const TermScorer* scorer_;
  const uint8_t* norms_;
};

// A synonym leaf: the union of its alternatives' postings, scored as one term whose frequency
// in a document is the sum of theirs (Lucene's SynonymQuery).
class SynonymIterator final : public DocIterator {
 public:
  SynonymIterator(UnionPostings<SegmentPostings> u, const TermScorer* s, const uint8_t* norms)
      : u_(std::move(u)), scorer_(s), norms_(norms) {
    doc_ = u_.doc();
  }
  DocId Next() override { return doc_ = u_.Next(); }
  DocId Advance(DocId t) override { return doc_ = u_.Advance(t); }
  float Score() override { return scorer_->ScoreTf(u_.freq(), norms_[doc_]); }
  uint64_t cost() const override { return u_.df(); }
  absl::Status status() const override { return u_.status(); }

 private:
  UnionPostings<SegmentPostings> u_;
  const TermScorer* scorer_;
  const uint8_t* norms_;
};

// A bm25f leaf: the union of one term's postings in several fields; a document's frequencies
// are scaled by their field's w_f / B_f(dl), summed in the leaf's field order and saturated
// once by the leaf's scorer (docs/SCORING.md, BM25F).
class CombinedIterator final : public DocIterator {
 public:
  struct List {
    SegmentPostings postings;
    const float* scale;    // CombinedField::scale
    const uint8_t* norms;  // the field's norms in this segment
  };
  CombinedIterator(std::vector<List> lists, const TermScorer* s)
      : lists_(std::move(lists)), scorer_(s) {
    for (const auto& l : lists_) cost_ += l.postings.df();
    Settle();
  }
  DocId Next() override {
    for (auto& l : lists_)
      if (l.postings.doc() == doc_) l.postings.Next();
    return Settle();
  }
  DocId Advance(DocId t) override {
    for (auto& l : lists_)
      if (l.postings.doc() < t) l.postings.Advance(t);
    return Settle();
  }
  float Score() override {
    float tf = 0;
    for (const auto& l : lists_)
      if (l.postings.doc() == doc_)
        tf += l.scale[l.norms[doc_]] * static_cast<float>(l.postings.freq());
    return scorer_->Score(tf, 0);
  }
  uint64_t cost() const override { return cost_; }
  absl::Status status() const override {
    for (const auto& l : lists_)
      if (!l.postings.ok()) return l.postings.status();
    return absl::OkStatus();
  }

 private:
  DocId Settle() {
    doc_ = kNoMoreDocs;
    for (const auto& l : lists_) doc_ = std::min(doc_, l.postings.doc());
    return doc_;
  }
  std::vector<List> lists_;
  const TermScorer* scorer_;
  uint64_t cost_ = 0;
};

// Union of several postings (prefix expansion), constant score.
class UnionIterator final : public DocIterator {
 public:
  UnionIterator(std::vector<SegmentPostings> lists, float score)
      : u_(std::move(lists)), score_(score) {
    doc_ = u_.doc();
  }
  DocId Next() override { return doc_ = u_.Next(); }
  DocId Advance(DocId t) override { return doc_ = u_.Advance(t); }
  float Score() override { return score_; }
  uint64_t cost() const override { return u_.df(); }
  absl::Status status() const override { return u_.status(); }

 private:
  UnionPostings<SegmentPostings> u_;
  float score_;
};

// +required optional -excluded; with no required clause, at least one optional must match.
class BooleanIterator final : public DocIterator {
 public:
  BooleanIterator(std::vector<std::unique_ptr<DocIterator>> req,
                  std::vector<std::unique_ptr<DocIterator>> opt,
                  std::vector<std::unique_ptr<DocIterator>> excl)
      : req_(std::move(req)), opt_(std::move(opt)), excl_(std::move(excl)) {
    // Scores add up in clause order; the cheapest required clause leads. Sorting the sum by
    // cost would make a document's score bits depend on its segment's document frequencies
    // (and differ between one index and the shards of a set holding the same documents).
    for (const auto& r : req_) req_in_clause_order_.push_back(r.get());
    std::sort(req_.begin(), req_.end(),
              [](const auto& a, const auto& b) { return a->cost() < b->cost(); });
    for (const auto& r : req_) cost_ = std::min(cost_, r->cost());
    if (req_.empty()) {
      cost_ = 0;
      for (const auto& o : opt_) cost_ += o->cost();
    }
    doc_ = req_.empty() ? MinOpt() : req_[0]->doc();
    Settle();
  }
  DocId Next() override {
    if (doc_ == kNoMoreDocs) return doc_;
    StepPast();
    return Settle();
  }
  DocId Advance(DocId t) override {
    if (req_.empty()) {
      for (auto& o : opt_)
        if (o->doc() < t) o->Advance(t);
      doc_ = MinOpt();
    } else {
      doc_ = req_[0]->Advance(t);
    }
    return Settle();
  }
  float Score() override {
    float s = 0;
    for (DocIterator* r : req_in_clause_order_) s += r->Score();
    for (auto& o : opt_) {
      if (o->doc() < doc_) o->Advance(doc_);
      if (o->doc() == doc_) s += o->Score();
    }
    return s;
  }
  uint64_t cost() const override { return cost_; }
  absl::Status status() const override {
    for (const auto* v : {&req_, &opt_, &excl_})
      for (const auto& i : *v) SCOUR_RETURN_IF_ERROR(i->status());
    return absl::OkStatus();
  }

 private:
  // Moves the driving cursors past doc_: the first required one, or every optional one on it.
  void StepPast() {
    if (req_.empty()) {
      for (auto& o : opt_)
        if (o->doc() == doc_) o->Next();
      doc_ = MinOpt();
    } else {
      doc_ = req_[0]->Next();
    }
  }
  DocId MinOpt() const {
    DocId d = kNoMoreDocs;
    for (const auto& o : opt_) d = std::min(d, o->doc());
    return d;
  }
  // From doc_, the first doc on which every required clause agrees and no excluded one matches.
  DocId Settle() {
    while (doc_ != kNoMoreDocs) {
      bool agreed = true;
      for (size_t i = 1; i < req_.size(); ++i) {
        if (req_[i]->doc() < doc_) req_[i]->Advance(doc_);
        if (req_[i]->doc() != doc_) {
          doc_ = req_[i]->doc() == kNoMoreDocs ? kNoMoreDocs : req_[0]->Advance(req_[i]->doc());
          agreed = false;
          break;
        }
      }
      if (!agreed) continue;
      bool excluded = false;
      for (auto& e : excl_) {
        if (e->doc() < doc_) e->Advance(doc_);
        if (e->doc() == doc_) excluded = true;
      }
      if (!excluded) return doc_;
      StepPast();
    }
    return doc_;
  }
  std::vector<std::unique_ptr<DocIterator>> req_, opt_, excl_;
  std::vector<DocIterator*> req_in_clause_order_;
  uint64_t cost_ = UINT64_MAX;
};

class EmptyIterator final : public DocIterator {
 public:
  DocId Next() override { return doc_; }
  DocId Advance(DocId) override { return doc_; }
  float Score() override { return 0; }
  uint64_t cost() const override { return 0; }
};

}  // namespace

absl::StatusOr<std::unique_ptr<DocIterator>> MakeIterator(const PlanNode& n,
                                                          const SegmentReader& seg) {
  switch (n.kind) {
    case PlanKind::kNone:
      return std::make_unique<EmptyIterator>();
    case PlanKind::kTerm: {
      SCOUR_ASSIGN_OR_RETURN(std::optional<SegmentPostings> p, OpenTerm(n, seg));
      const uint8_t* norms = seg.norms(n.field);
      if (!p || norms == nullptr) return std::make_unique<EmptyIterator>();
      return std::make_unique<TermIterator>(*std::move(p), &n.scorer, norms);
    }
    case PlanKind::kPhrase: {
      SCOUR_ASSIGN_OR_RETURN(std::unique_ptr<SegmentPhrase> phrase, SegmentPhrase::Open(n, seg));
      if (phrase == nullptr) return std::make_unique<EmptyIterator>();
      return std::make_unique<PhraseIterator>(std::move(phrase), &n.scorer, seg.norms(n.field));
    }
    case PlanKind::kSynonym: {
      SCOUR_ASSIGN_OR_RETURN(auto u, OpenSynonymUnion(n, seg));
      const uint8_t* norms = seg.norms(n.field);
      if (!u || norms == nullptr) return std::make_unique<EmptyIterator>();
      return std::make_unique<SynonymIterator>(*std::move(u), &n.scorer, norms);
    }
    case PlanKind::kCombined: {
      SCOUR_ASSIGN_OR_RETURN(auto per_field, OpenCombined(n, seg));
      std::vector<CombinedIterator::List> lists;
      for (size_t i = 0; i < per_field.size(); ++i)
        if (per_field[i])
          lists.push_back({*std::move(per_field[i]), n.combined[i].scale.data(),
                           seg.norms(n.combined[i].field)});
      if (lists.empty()) return std::make_unique<EmptyIterator>();
      return std::make_unique<CombinedIterator>(std::move(lists), &n.scorer);
    }
    case PlanKind::kPrefix: {
      SCOUR_ASSIGN_OR_RETURN(auto lists, OpenPrefix(n, seg));
      if (lists.empty()) return std::make_unique<EmptyIterator>();
      return std::make_unique<UnionIterator>(std::move(lists), n.boost);
    }
    case PlanKind::kBool: {
      std::vector<std::unique_ptr<DocIterator>> req, opt, excl;
      bool required_empty = false;
      for (const auto& [occur, child] : n.clauses) {
        SCOUR_ASSIGN_OR_RETURN(auto it, MakeIterator(*child, seg));
        bool empty = it->doc() == kNoMoreDocs;
        if (occur == Occur::kMust) {
          required_empty |= empty;
          req.push_back(std::move(it));
        } else if (occur == Occur::kShould) {
          if (!empty) opt.push_back(std::move(it));
        } else if (!empty) {
          excl.push_back(std::move(it));
        }
      }
      if (required_empty || (req.empty() && opt.empty())) return std::make_unique<EmptyIterator>();
      return std::make_unique<BooleanIterator>(std::move(req), std::move(opt), std::move(excl));
    }
  }
  return absl::InternalError("bad plan node");
}

}  // namespace scour::engine
