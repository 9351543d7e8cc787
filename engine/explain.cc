#include "engine/explain.h"

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "engine/leaf_cursors.h"
#include "index/segment/norms.h"

namespace scour::engine {
namespace {

using index::DocId;
using index::SegmentPostings;
using index::SegmentReader;

struct Explained {
  bool matched = false;
  float score = 0;
};

// Whether `doc` holds leaf `n` and its frequency there (a term's tf, a phrase's frequency).
struct LeafMatch {
  bool matched = false;
  float freq = 0;
};

absl::StatusOr<LeafMatch> MatchTerm(const PlanNode& n, const SegmentReader& seg, DocId doc) {
  SCOUR_ASSIGN_OR_RETURN(std::optional<SegmentPostings> p, OpenTerm(n, seg));
  if (!p) return LeafMatch{};
  if (p->doc() < doc) p->Advance(doc);
  SCOUR_RETURN_IF_ERROR(p->status());
  if (p->doc() != doc) return LeafMatch{};
  return LeafMatch{true, static_cast<float>(p->freq())};
}

absl::StatusOr<LeafMatch> MatchPhrase(const PlanNode& n, const SegmentReader& seg, DocId doc) {
  SCOUR_ASSIGN_OR_RETURN(std::unique_ptr<SegmentPhrase> phrase, SegmentPhrase::Open(n, seg));
  if (phrase == nullptr) return LeafMatch{};
  PhraseCursor<SegmentPostings>& c = phrase->cursor();
  if (c.doc() < doc) c.Advance(doc);
  SCOUR_RETURN_IF_ERROR(phrase->status());
  if (c.doc() != doc) return LeafMatch{};
  return LeafMatch{true, c.freq()};
}

absl::StatusOr<bool> MatchPrefix(const PlanNode& n, const SegmentReader& seg, DocId doc) {
  SCOUR_ASSIGN_OR_RETURN(std::vector<SegmentPostings> lists, OpenPrefix(n, seg));
  bool matched = false;
  for (SegmentPostings& l : lists) {
    if (l.doc() < doc) l.Advance(doc);
    SCOUR_RETURN_IF_ERROR(l.status());
    matched |= l.doc() == doc;
  }
  return matched;
}

absl::StatusOr<Explained> ExplainNode(const PlanNode& n, const SegmentReader& seg, DocId doc,
                                      const index::Snapshot& index, int depth, std::string* out) {
  const std::string indent(2 * depth, ' ');
  Explained r;
  switch (n.kind) {
    case PlanKind::kNone:
      return r;
    case PlanKind::kBool: {
      std::string sub;
      bool req_ok = true, any_opt = false, has_req = false, excluded = false;
      for (const auto& [occur, child] : n.clauses) {
        SCOUR_ASSIGN_OR_RETURN(Explained c, ExplainNode(*child, seg, doc, index, depth + 1, &sub));
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
    case PlanKind::kPrefix: {
      SCOUR_ASSIGN_OR_RETURN(r.matched, MatchPrefix(n, seg, doc));
      if (!r.matched) return r;
      r.score = n.boost;  // constant score
      absl::StrAppendFormat(out, "%s%.6f %s (constant score = boost %.3f)\n", indent, r.score,
                            n.label, n.boost);
      return r;
    }
    case PlanKind::kSynonym: {
      const uint8_t* norms = seg.norms(n.field);
      if (norms == nullptr) return r;
      SCOUR_ASSIGN_OR_RETURN(auto alternatives, OpenSynonym(n, seg));
      uint64_t freq = 0;
      std::string parts;  // each alternative's frequency in the document
      for (size_t i = 0; i < alternatives.size(); ++i) {
        uint32_t f = 0;
        if (auto& p = alternatives[i]) {
          if (p->doc() < doc) p->Advance(doc);
          SCOUR_RETURN_IF_ERROR(p->status());
          if (p->doc() == doc) f = p->freq();
        }
        freq += f;
        absl::StrAppend(&parts, i ? " + " : "", n.synonyms[i], "=", f);
      }
      if (freq == 0) return r;
      r.matched = true;
      const uint8_t norm = norms[doc];
      r.score = n.scorer.Score(static_cast<float>(freq), norm);
      absl::StrAppendFormat(out,
                            "%s%.6f %s: %s (pseudo-term df=%d ttf=%d) tf=%d (%s) dl=%u "
                            "(norm byte %u)\n",
                            indent, r.score, n.label,
                            n.scorer.sim()->Explain(static_cast<float>(freq), NormLength(norm)),
                            n.df, n.ttf, freq, parts, index::NormToLength(norm), norm);
      return r;
    }
    case PlanKind::kCombined: {
      SCOUR_ASSIGN_OR_RETURN(auto per_field, OpenCombined(n, seg));
      float tf = 0;
      std::string parts;  // each field's frequency, length and scale
      for (size_t i = 0; i < per_field.size(); ++i) {
        auto& p = per_field[i];
        if (!p) continue;
        if (p->doc() < doc) p->Advance(doc);
        SCOUR_RETURN_IF_ERROR(p->status());
        if (p->doc() != doc) continue;
        const CombinedField& f = n.combined[i];
        const uint8_t norm = seg.norms(f.field)[doc];
        tf += f.scale[norm] * static_cast<float>(p->freq());
        absl::StrAppendFormat(&parts, "%s%s: tf=%u dl=%u w/B=%g", parts.empty() ? "" : "; ",
                              index.manifest.fields[f.field], p->freq(), index::NormToLength(norm),
                              f.scale[norm]);
      }
      if (parts.empty()) return r;
      r.matched = true;
      r.score = n.scorer.Score(tf, 0);
      absl::StrAppendFormat(out, "%s%.6f %s: tf~=%g (%s) (df=%d ttf=%d over the fields) %s\n",
                            indent, r.score, n.label, tf, parts, n.df, n.ttf,
                            n.scorer.sim()->Explain(tf, 0));
      return r;
    }
    case PlanKind::kTerm:
    case PlanKind::kPhrase: {
      const uint8_t* norms = seg.norms(n.field);
      if (norms == nullptr) return r;
      LeafMatch m;
      if (n.kind == PlanKind::kTerm) {
        SCOUR_ASSIGN_OR_RETURN(m, MatchTerm(n, seg, doc));
      } else {
        SCOUR_ASSIGN_OR_RETURN(m, MatchPhrase(n, seg, doc));
      }
      if (!m.matched) return r;
      r.matched = true;
      const uint8_t norm = norms[doc];
      r.score = n.scorer.Score(m.freq, norm);
      const float length = NormLength(norm);
      absl::StrAppendFormat(out, "%s%.6f %s: %s=%g dl=%u (norm byte %u) %s\n", indent, r.score,
                            n.label, n.kind == PlanKind::kPhrase ? "phrase_freq" : "tf", m.freq,
                            index::NormToLength(norm), norm,
                            n.scorer.sim()->Explain(m.freq, length));
      return r;
    }
  }
  return absl::InternalError("bad plan node");
}

}  // namespace

absl::StatusOr<std::string> Explain(const PlanNode& plan, const index::Snapshot& index,
                                    uint64_t doc) {
  auto [s, local] = index.Locate(doc);
  std::string out;
  SCOUR_RETURN_IF_ERROR(ExplainNode(plan, *index.segments[s], local, index, 0, &out).status());
  return out;
}

}  // namespace scour::engine
