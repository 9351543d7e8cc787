#include "engine/plan.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "engine/phrase.h"
#include "engine/retrieval.h"
#include "index/segment/norms.h"
#include "index/segment/segment_format.h"

namespace scour::engine {
namespace {

using index::DocId;
using index::kNoMoreDocs;
using index::SegmentPostings;
using index::SegmentReader;

constexpr size_t kMaxPrefixTerms = 4096;

// Conjunctions merge decoded blocks (retrieval.h) only through SegmentPostings' block access:
// without it they would quietly fall back to stepping doc by doc.
static_assert(retrieval_internal::BlockCursor<SegmentPostings>);

// ---------------------------------------------------------------- planning

absl::StatusOr<uint64_t> GlobalDf(const index::Snapshot& index, uint32_t field,
                                  std::string_view term) {
  SCOUR_ASSIGN_OR_RETURN(TermStatistics stats, index.TermStats(field, term));
  return stats.doc_freq;
}

float FieldWeight(const PlanOptions& o, const std::string& name) {
  for (const auto& [n, w] : o.field_weights)
    if (n == name) return w;
  return 1.0f;
}

absl::StatusOr<std::vector<uint32_t>> FieldsOf(const QueryNode& q, const index::Snapshot& index,
                                               const PlanOptions& o) {
  if (q.field.empty()) return o.default_fields;
  int id = index.manifest.FieldId(q.field);
  if (id <= 0) {
    std::string names;
    for (size_t i = 1; i < index.manifest.fields.size(); ++i)
      absl::StrAppend(&names, i > 1 ? ", " : "", index.manifest.fields[i]);
    return absl::InvalidArgumentError(
        absl::StrCat("unknown field \"", q.field, "\" (fields: ", names, ")"));
  }
  return std::vector<uint32_t>{static_cast<uint32_t>(id)};
}

absl::StatusOr<std::unique_ptr<PlanNode>> Leaf(const QueryNode& q, uint32_t field, float boost,
                                               const index::Snapshot& index, const PlanOptions& o) {
  auto n = std::make_unique<PlanNode>();
  n->field = field;
  const std::string& fname = index.manifest.fields[field];
  n->boost = boost * q.boost * FieldWeight(o, fname);
  const FieldStatistics stats = index.FieldStats(field);
  switch (q.kind) {
    case QueryKind::kTerm: {
      n->kind = PlanKind::kTerm;
      n->term = q.text;
      SCOUR_ASSIGN_OR_RETURN(n->df, GlobalDf(index, field, q.text));
      n->scorer = TermScorer::ForTerm(o.ranker, stats, n->df, n->boost);
      n->label = absl::StrCat(fname, ":", q.text);
      break;
    }
    case QueryKind::kPhrase: {
      n->kind = PlanKind::kPhrase;
      n->phrase = q.phrase;
      n->slop = q.slop;
      float idf = 0;  // Lucene: a phrase's idf is the sum of its terms' idfs
      std::string words;
      for (const PhraseTerm& t : q.phrase) {
        SCOUR_ASSIGN_OR_RETURN(uint64_t df, GlobalDf(index, field, t.term));
        idf += Idf(o.ranker.kind, df, stats.docs_with_field);
        absl::StrAppend(&words, words.empty() ? "" : " ", t.term);
      }
      n->scorer = TermScorer::Create(o.ranker, stats, idf, n->boost);
      n->label = absl::StrCat(fname, ":\"", words, "\"", q.slop ? absl::StrCat("~", q.slop) : "");
      break;
    }
    case QueryKind::kPrefix:
      n->kind = PlanKind::kPrefix;
      n->term = q.text;
      n->label = absl::StrCat(fname, ":", q.text, "*");
      break;
    default:
      return absl::InternalError("not a leaf");
  }
  return n;
}

absl::StatusOr<std::unique_ptr<PlanNode>> Build(const QueryNode& q, float boost,
                                                const index::Snapshot& index,
                                                const PlanOptions& o) {
  if (q.kind == QueryKind::kMatchNone) return std::make_unique<PlanNode>();
  if (q.kind == QueryKind::kBoolean) {
    auto n = std::make_unique<PlanNode>();
    n->kind = PlanKind::kBool;
    for (const BooleanClause& c : q.clauses) {
      SCOUR_ASSIGN_OR_RETURN(auto child, Build(*c.node, boost * q.boost, index, o));
      n->clauses.emplace_back(c.occur, std::move(child));
    }
    return n;
  }
  SCOUR_ASSIGN_OR_RETURN(std::vector<uint32_t> fields, FieldsOf(q, index, o));
  if (fields.size() == 1) return Leaf(q, fields[0], boost, index, o);
  // An unqualified leaf over several fields: matches in any, scores summed (as a Lucene
  // BooleanQuery of per-field SHOULD clauses).
  auto n = std::make_unique<PlanNode>();
  n->kind = fields.empty() ? PlanKind::kNone : PlanKind::kBool;
  for (uint32_t f : fields) {
    SCOUR_ASSIGN_OR_RETURN(auto leaf, Leaf(q, f, boost, index, o));
    n->clauses.emplace_back(Occur::kShould, std::move(leaf));
  }
  return n;
}

// ---------------------------------------------------------------- generic iterators

class Iter {
 public:
  virtual ~Iter() = default;
  DocId doc() const { return doc_; }
  virtual DocId Next() = 0;
  virtual DocId Advance(DocId target) = 0;  // REQUIRES target > doc()
  virtual float Score() = 0;
  virtual uint64_t cost() const = 0;
  virtual absl::Status status() const { return absl::OkStatus(); }

 protected:
  DocId doc_ = kNoMoreDocs;
};

class TermIter final : public Iter {
 public:
  TermIter(SegmentPostings p, const TermScorer* s, const uint8_t* norms)
      : p_(std::move(p)), scorer_(s), norms_(norms) {
    doc_ = p_.doc();
  }
  DocId Next() override { return doc_ = p_.Next(); }
  DocId Advance(DocId t) override { return doc_ = p_.Advance(t); }
  float Score() override { return scorer_->Score(freq(), norms_[doc_]); }
  float freq() const { return static_cast<float>(p_.freq()); }
  uint64_t cost() const override { return p_.df(); }
  absl::Status status() const override { return p_.status(); }

 private:
  SegmentPostings p_;
  const TermScorer* scorer_;
  const uint8_t* norms_;
};

class PhraseIter final : public Iter {
 public:
  PhraseIter(std::vector<SegmentPostings> slots, const std::vector<PhraseTerm>& phrase,
             uint32_t slop, const TermScorer* s, const uint8_t* norms)
      : slots_(std::move(slots)), scorer_(s), norms_(norms) {
    for (auto& c : slots_) ptrs_.push_back(&c);
    for (size_t i = 0; i < phrase.size(); ++i) {
      offsets_.push_back(phrase[i].position);
      uint32_t id = static_cast<uint32_t>(i);
      for (size_t j = 0; j < i; ++j)
        if (phrase[j].term == phrase[i].term) id = term_ids_[j];
      term_ids_.push_back(id);
    }
    cursor_ = std::make_unique<PhraseCursor<SegmentPostings>>(ptrs_, offsets_, term_ids_, slop);
    doc_ = cursor_->doc();
  }
  DocId Next() override { return doc_ = cursor_->Next(); }
  DocId Advance(DocId t) override { return doc_ = cursor_->Advance(t); }
  float Score() override { return scorer_->Score(cursor_->freq(), norms_[doc_]); }
  float freq() const { return cursor_->freq(); }
  PhraseCursor<SegmentPostings>* cursor() { return cursor_.get(); }
  uint64_t cost() const override { return cursor_->df(); }
  absl::Status status() const override {
    for (const auto& s : slots_)
      if (!s.ok()) return s.status();
    return cursor_->ok() ? absl::OkStatus() : absl::DataLossError("corrupt positions");
  }

 private:
  std::vector<SegmentPostings> slots_;
  std::vector<SegmentPostings*> ptrs_;
  std::vector<uint32_t> offsets_, term_ids_;
  std::unique_ptr<PhraseCursor<SegmentPostings>> cursor_;
  const TermScorer* scorer_;
  const uint8_t* norms_;
};

// Union of several postings (prefix expansion), constant score.
class UnionIter final : public Iter {
 public:
  UnionIter(std::vector<SegmentPostings> lists, float score)
      : lists_(std::move(lists)), score_(score) {
    for (const auto& l : lists_) cost_ += l.df();
    Settle();
  }
  DocId Next() override {
    for (auto& l : lists_)
      if (l.doc() == doc_) l.Next();
    return Settle();
  }
  DocId Advance(DocId t) override {
    for (auto& l : lists_)
      if (l.doc() < t) l.Advance(t);
    return Settle();
  }
  float Score() override { return score_; }
  uint64_t cost() const override { return cost_; }
  absl::Status status() const override {
    for (const auto& l : lists_)
      if (!l.ok()) return l.status();
    return absl::OkStatus();
  }

 private:
  DocId Settle() {
    doc_ = kNoMoreDocs;
    for (const auto& l : lists_) doc_ = std::min(doc_, l.doc());
    return doc_;
  }
  std::vector<SegmentPostings> lists_;
  float score_;
  uint64_t cost_ = 0;
};

// +required optional -excluded; with no required clause, at least one optional must match.
class BoolIter final : public Iter {
 public:
  BoolIter(std::vector<std::unique_ptr<Iter>> req, std::vector<std::unique_ptr<Iter>> opt,
           std::vector<std::unique_ptr<Iter>> excl)
      : req_(std::move(req)), opt_(std::move(opt)), excl_(std::move(excl)) {
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
    for (auto& r : req_) s += r->Score();
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
  std::vector<std::unique_ptr<Iter>> req_, opt_, excl_;
  uint64_t cost_ = UINT64_MAX;
};

class EmptyIter final : public Iter {
 public:
  DocId Next() override { return doc_; }
  DocId Advance(DocId) override { return doc_; }
  float Score() override { return 0; }
  uint64_t cost() const override { return 0; }
};

absl::StatusOr<std::vector<SegmentPostings>> PrefixLists(const SegmentReader& seg, uint32_t field,
                                                         const std::string& prefix) {
  std::string key;
  index::AppendTermKey(field, prefix, &key);
  std::vector<SegmentPostings> lists;
  auto it = seg.dict().Seek(key);
  for (; it.Valid() && it.key().substr(0, key.size()) == key; it.Next()) {
    if (lists.size() >= kMaxPrefixTerms)
      return absl::InvalidArgumentError(absl::StrCat("prefix \"", prefix, "*\" matches more than ",
                                                     kMaxPrefixTerms, " terms: make it longer"));
    lists.push_back(seg.Postings(field, it.info()));
  }
  SCOUR_RETURN_IF_ERROR(it.status());
  return lists;
}

absl::StatusOr<std::unique_ptr<Iter>> MakeIter(const PlanNode& n, const SegmentReader& seg) {
  switch (n.kind) {
    case PlanKind::kNone:
      return std::make_unique<EmptyIter>();
    case PlanKind::kTerm: {
      SCOUR_ASSIGN_OR_RETURN(auto info, seg.Lookup(n.field, n.term));
      const uint8_t* norms = seg.norms(n.field);
      if (!info || norms == nullptr) return std::make_unique<EmptyIter>();
      return std::make_unique<TermIter>(seg.Postings(n.field, *info), &n.scorer, norms);
    }
    case PlanKind::kPhrase: {
      const uint8_t* norms = seg.norms(n.field);
      if (norms == nullptr) return std::make_unique<EmptyIter>();
      std::vector<SegmentPostings> slots;
      for (const PhraseTerm& t : n.phrase) {
        SCOUR_ASSIGN_OR_RETURN(auto info, seg.Lookup(n.field, t.term));
        if (!info) return std::make_unique<EmptyIter>();
        slots.push_back(seg.Postings(n.field, *info));
      }
      return std::make_unique<PhraseIter>(std::move(slots), n.phrase, n.slop, &n.scorer, norms);
    }
    case PlanKind::kPrefix: {
      SCOUR_ASSIGN_OR_RETURN(auto lists, PrefixLists(seg, n.field, n.term));
      if (lists.empty()) return std::make_unique<EmptyIter>();
      return std::make_unique<UnionIter>(std::move(lists), n.boost);
    }
    case PlanKind::kBool: {
      std::vector<std::unique_ptr<Iter>> req, opt, excl;
      bool required_empty = false;
      for (const auto& [occur, child] : n.clauses) {
        SCOUR_ASSIGN_OR_RETURN(auto it, MakeIter(*child, seg));
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
      if (required_empty || (req.empty() && opt.empty())) return std::make_unique<EmptyIter>();
      return std::make_unique<BoolIter>(std::move(req), std::move(opt), std::move(excl));
    }
  }
  return absl::InternalError("bad plan node");
}

// ---------------------------------------------------------------- fast paths

// A query of single-field term leaves: `(+a b -c)` or one term.
struct FlatQuery {
  uint32_t field = 0;
  std::vector<const PlanNode*> required, optional, excluded;
};

bool AsFlat(const PlanNode& root, FlatQuery* flat) {
  auto add = [&](Occur occur, const PlanNode* leaf) {
    if (leaf->kind != PlanKind::kTerm) return false;
    if (flat->required.empty() && flat->optional.empty() && flat->excluded.empty())
      flat->field = leaf->field;
    if (leaf->field != flat->field) return false;
    (occur == Occur::kMust     ? flat->required
     : occur == Occur::kShould ? flat->optional
                               : flat->excluded)
        .push_back(leaf);
    return true;
  };
  if (root.kind == PlanKind::kTerm) return add(Occur::kMust, &root);
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

void Merge(engine::TopK& seg_top, uint64_t base, engine::TopK* global) {
  for (const ScoredDoc& d : seg_top.Take())
    global->Insert(static_cast<DocId>(base + d.doc), d.score);
}

absl::Status RunFlat(const FlatQuery& q, const SegmentReader& seg, uint64_t base, size_t k,
                     bool count, TopK* global, uint64_t* matches) {
  const uint8_t* norms = seg.norms(q.field);
  if (norms == nullptr) return absl::OkStatus();
  std::vector<SegmentPostings> cursors;
  cursors.reserve(q.required.size() + q.optional.size() + q.excluded.size());
  std::vector<ScoredCursor<SegmentPostings>> req, opt;
  std::vector<SegmentPostings*> excl;
  auto open = [&](const PlanNode* leaf) -> absl::StatusOr<SegmentPostings*> {
    SCOUR_ASSIGN_OR_RETURN(auto info, seg.Lookup(leaf->field, leaf->term));
    if (!info) return nullptr;
    cursors.push_back(seg.Postings(leaf->field, *info));
    return &cursors.back();
  };
  for (const PlanNode* l : q.required) {
    SCOUR_ASSIGN_OR_RETURN(SegmentPostings * c, open(l));
    if (c == nullptr) return absl::OkStatus();  // a required term absent: nothing matches here
    req.push_back({c, &l->scorer});
  }
  for (const PlanNode* l : q.optional) {
    SCOUR_ASSIGN_OR_RETURN(SegmentPostings * c, open(l));
    if (c) opt.push_back({c, &l->scorer});
  }
  for (const PlanNode* l : q.excluded) {
    SCOUR_ASSIGN_OR_RETURN(SegmentPostings * c, open(l));
    if (c) excl.push_back(c);
  }
  if (req.empty() && opt.empty()) return absl::OkStatus();
  const SegmentView view{norms, seg.deleted_bits()};
  BooleanClauses<SegmentPostings> clauses{req, opt, excl};
  if (count) {
    *matches += BooleanCount(clauses, seg.deleted_bits());
    for (auto& c : cursors) SCOUR_RETURN_IF_ERROR(c.status());
    cursors.clear();
    req.clear();
    opt.clear();
    excl.clear();
    // Counting consumed the cursors: open them again for scoring.
    return RunFlat(q, seg, base, k, false, global, nullptr);
  }
  TopK top(k);
  BooleanTopK(clauses, view, &top);
  for (auto& c : cursors) SCOUR_RETURN_IF_ERROR(c.status());
  Merge(top, base, global);
  return absl::OkStatus();
}

// ---------------------------------------------------------------- explain

struct ExplainOut {
  bool matched = false;
  float score = 0;
};

absl::StatusOr<ExplainOut> ExplainNode(const PlanNode& n, const SegmentReader& seg, DocId doc,
                                       const index::Snapshot& index, const RankerParams& rp,
                                       int depth, std::string* out) {
  std::string indent(2 * depth, ' ');
  ExplainOut r;
  if (n.kind == PlanKind::kBool) {
    std::string sub;
    bool req_ok = true, any_opt = false, has_req = false, excluded = false;
    for (const auto& [occur, child] : n.clauses) {
      SCOUR_ASSIGN_OR_RETURN(ExplainOut c,
                             ExplainNode(*child, seg, doc, index, rp, depth + 1, &sub));
      if (occur == Occur::kMust) {
        has_req = true;
        req_ok &= c.matched;
        r.score += c.score;
      } else if (occur == Occur::kShould) {
        any_opt |= c.matched;
        r.score += c.score;
      } else {
        excluded |= c.matched;
      }
    }
    r.matched = (has_req ? req_ok : any_opt) && !excluded;
    if (!r.matched) r.score = 0;
    absl::StrAppendFormat(out, "%s%.6f sum of:\n%s", indent, r.score, sub);
    return r;
  }
  SCOUR_ASSIGN_OR_RETURN(auto it, MakeIter(n, seg));
  if (it->doc() < doc) it->Advance(doc);
  if (it->doc() != doc) return r;
  r.matched = true;
  r.score = it->Score();
  if (n.kind == PlanKind::kPrefix) {
    absl::StrAppendFormat(out, "%s%.6f %s (constant score = boost %.3f)\n", indent, r.score,
                          n.label, n.boost);
    return r;
  }
  // The iterator already stands on `doc`: read the frequency it scored with.
  const float freq = n.kind == PlanKind::kPhrase ? static_cast<PhraseIter*>(it.get())->freq()
                                                 : static_cast<TermIter*>(it.get())->freq();
  const uint8_t norm = seg.norms(n.field)[doc];
  const double avgdl = index.FieldStats(n.field).average_length();
  absl::StrAppendFormat(out,
                        "%s%.6f %s: idf=%.4f %s=%g dl=%u (norm byte %u) avgdl=%.2f k1=%g b=%g "
                        "boost=%g\n",
                        indent, r.score, n.label, n.scorer.idf(),
                        n.kind == PlanKind::kPhrase ? "phrase_freq" : "tf", freq,
                        index::NormToLength(norm), norm, avgdl, rp.k1, rp.b, n.boost);
  return r;
}

void Collect(const PlanNode& n, bool negated, std::vector<std::string>* terms,
             std::vector<std::vector<std::string>>* phrases, std::vector<std::string>* prefixes) {
  if (negated) return;
  switch (n.kind) {
    case PlanKind::kTerm:
      terms->push_back(n.term);
      break;
    case PlanKind::kPhrase: {
      std::vector<std::string> p;
      for (const auto& t : n.phrase) p.push_back(t.term);
      phrases->push_back(std::move(p));
      break;
    }
    case PlanKind::kPrefix:
      prefixes->push_back(n.term);
      break;
    case PlanKind::kBool:
      for (const auto& [o, c] : n.clauses)
        Collect(*c, o == Occur::kMustNot, terms, phrases, prefixes);
      break;
    case PlanKind::kNone:
      break;
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<PlanNode>> BuildPlan(const QueryNode& query,
                                                    const index::Snapshot& index,
                                                    const PlanOptions& options) {
  return Build(query, 1.0f, index, options);
}

absl::StatusOr<ExecResult> Execute(const PlanNode& plan, const index::Snapshot& index, size_t k,
                                   bool count) {
  ExecResult result;
  TopK global(k);
  FlatQuery flat;
  const bool is_flat = AsFlat(plan, &flat);
  for (size_t s = 0; s < index.segments.size(); ++s) {
    const SegmentReader& seg = *index.segments[s];
    const uint64_t base = index.bases[s];
    if (is_flat) {
      SCOUR_RETURN_IF_ERROR(RunFlat(flat, seg, base, k, count, &global, &result.count));
      continue;
    }
    if (plan.kind == PlanKind::kPhrase && !count) {
      // One phrase: block-max WAND over its PhraseCursor, so blocks whose bound (min of the
      // slots' block max tf, the longest of their shortest docs) cannot enter the top k are
      // skipped without decoding positions, and so are docs whose own bound (min slot tf, the
      // doc's norm) cannot.
      SCOUR_ASSIGN_OR_RETURN(auto it, MakeIter(plan, seg));
      if (it->doc() == kNoMoreDocs) continue;
      auto* phrase = static_cast<PhraseIter*>(it.get());
      const ScoredCursor<PhraseCursor<SegmentPostings>> clause{phrase->cursor(), &plan.scorer};
      TopK top(k);
      phrase->cursor()->PruneWith(&plan.scorer, seg.norms(plan.field), &top);
      OrTopK(std::span<const ScoredCursor<PhraseCursor<SegmentPostings>>>(&clause, 1),
             SegmentView{seg.norms(plan.field), seg.deleted_bits()}, &top,
             OrAlgorithm::kBlockMaxWand);
      SCOUR_RETURN_IF_ERROR(phrase->status());
      Merge(top, base, &global);
      continue;
    }
    SCOUR_ASSIGN_OR_RETURN(auto it, MakeIter(plan, seg));
    TopK top(k);
    const uint64_t* del = seg.deleted_bits();
    for (DocId d = it->doc(); d != kNoMoreDocs; d = it->Next()) {
      if (IsDeleted(del, d)) continue;
      if (count) ++result.count;
      float score = it->Score();
      if (k > 0 && (!top.full() || score > top.threshold())) top.Insert(d, score);
    }
    SCOUR_RETURN_IF_ERROR(it->status());
    Merge(top, base, &global);
  }
  result.top = global.Take();
  return result;
}

absl::StatusOr<std::string> Explain(const PlanNode& plan, const index::Snapshot& index,
                                    uint64_t doc, const RankerParams& ranker) {
  auto [s, local] = index.Locate(doc);
  std::string out;
  SCOUR_RETURN_IF_ERROR(
      ExplainNode(plan, *index.segments[s], local, index, ranker, 0, &out).status());
  return out;
}

void CollectHighlightTerms(const PlanNode& plan, std::vector<std::string>* terms,
                           std::vector<std::vector<std::string>>* phrases,
                           std::vector<std::string>* prefixes) {
  Collect(plan, false, terms, phrases, prefixes);
}

}  // namespace scour::engine
