// Phrase matching. PhraseCursor<Cursor> is itself a cursor (postings_cursor.h contract, freq() a
// float) over the docs where a phrase occurs, so the retrieval algorithms score phrases as terms:
// slot by slot from the rarest, each next slot moved to the doc and its positions at once
// filtering the candidate starts (exact phrases; sloppy ones match all slots, then positions).
// slop == 0: freq = number of exact occurrences. slop > 0: Lucene's SloppyPhraseMatcher,
// freq = sum over matches of 1 / (match_length + 1). Exact definitions: docs/SCORING.md.
// Not thread-safe (owns its slot cursors' state and position buffers).
#ifndef SCOUR_ENGINE_PHRASE_H_
#define SCOUR_ENGINE_PHRASE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "engine/algorithm/clauses.h"
#include "engine/ranker.h"
#include "engine/topk.h"
#include "index/postings/postings_cursor.h"

namespace scour::engine {

// Number of p such that every slot i has a position p + offsets[i] (offsets relative to the
// phrase start, any order, may repeat terms: each slot has its own position list).
inline uint32_t ExactPhraseFreq(std::span<const std::vector<uint32_t>> positions,
                                std::span<const uint32_t> offsets) {
  const size_t n = positions.size();
  if (n == 0) return 0;
  size_t lead = 0;
  for (size_t i = 1; i < n; ++i) {
    if (positions[i].size() < positions[lead].size()) lead = i;
  }
  // cursors into each slot's list, all moving forward as the lead's start grows
  size_t idx[64];
  std::vector<size_t> big;
  size_t* at = idx;
  if (n > 64) {
    big.assign(n, 0);
    at = big.data();
  } else {
    std::fill(idx, idx + n, size_t{0});
  }
  uint32_t freq = 0;
  for (uint32_t lp : positions[lead]) {
    if (lp < offsets[lead]) continue;
    const uint64_t start = lp - offsets[lead];
    bool match = true;
    for (size_t i = 0; i < n && match; ++i) {
      if (i == lead) continue;
      const uint64_t want = start + offsets[i];
      const auto& p = positions[i];
      size_t& j = at[i];
      while (j < p.size() && p[j] < want) ++j;
      if (j == p.size()) return freq;
      match = p[j] == want;
    }
    freq += match;
  }
  return freq;
}

// Lucene 8 SloppyPhraseMatcher (single-term slots) summed over all matches. Slots are
// "PhrasePositions": rel = position - offset. Requires slop > 0 and n >= 2.
inline float SloppyPhraseFreq(std::span<const std::vector<uint32_t>> positions,
                              std::span<const uint32_t> offsets, std::span<const uint32_t> term_ids,
                              uint32_t slop) {
  const size_t n = positions.size();
  struct Slot {
    const std::vector<uint32_t>* pos;
    size_t i;
    int64_t rel;
    int64_t off;
    uint32_t term;
    size_t rpt_rank;  // rank by offset among slots of the same term (0 = first)
  };
  std::vector<Slot> s(n);
  for (size_t k = 0; k < n; ++k) {
    if (positions[k].empty()) return 0.0f;
    s[k] = {&positions[k], 0, 0, offsets[k], term_ids[k], 0};
  }
  bool has_rpts = false;
  for (size_t k = 0; k < n; ++k) {
    for (size_t m = 0; m < n; ++m) {
      if (m == k || s[m].term != s[k].term) continue;
      has_rpts = true;
      if (s[m].off < s[k].off || (s[m].off == s[k].off && m < k)) ++s[k].rpt_rank;
    }
  }
  auto abs_pos = [](const Slot& x) { return x.rel + x.off; };
  // Repeats start on distinct occurrences: the j-th slot (by offset) of a term on its j-th.
  for (auto& x : s) {
    x.i = x.rpt_rank;
    if (x.i >= x.pos->size()) return 0.0f;
    x.rel = static_cast<int64_t>((*x.pos)[x.i]) - x.off;
  }
  int64_t end = s[0].rel;
  for (const auto& x : s) end = std::max(end, x.rel);
  auto advance = [&](size_t k) {
    Slot& x = s[k];
    if (++x.i >= x.pos->size()) return false;
    x.rel = static_cast<int64_t>((*x.pos)[x.i]) - x.off;
    end = std::max(end, x.rel);
    return true;
  };
  // Lucene's PhraseQueue order: rel, then offset, then slot.
  auto less = [&](size_t a, size_t b) {
    if (s[a].rel != s[b].rel) return s[a].rel < s[b].rel;
    if (s[a].off != s[b].off) return s[a].off < s[b].off;
    return a < b;
  };
  // Lucene's advanceRpts: while pp sits on the same term position as another slot of its term,
  // advance the "lesser" of the two (smaller rel, i.e. larger offset).
  auto advance_rpts = [&](size_t k) {
    while (true) {
      size_t other = n;
      for (size_t m = 0; m < n; ++m) {
        if (m != k && s[m].term == s[k].term && abs_pos(s[m]) == abs_pos(s[k])) {
          other = m;
          break;
        }
      }
      if (other == n) return true;
      k = less(k, other) ? k : other;
      if (!advance(k)) return false;
    }
  };
  std::vector<bool> queued(n, true);
  auto pop = [&] {
    size_t best = n;
    for (size_t k = 0; k < n; ++k) {
      if (queued[k] && (best == n || less(k, best))) best = k;
    }
    queued[best] = false;
    return best;
  };
  auto top_rel = [&] {
    size_t best = n;
    for (size_t k = 0; k < n; ++k) {
      if (queued[k] && (best == n || less(k, best))) best = k;
    }
    return s[best].rel;
  };
  float freq = 0.0f;
  size_t pp = pop();
  int64_t next = top_rel();
  int64_t match_length = end - s[pp].rel;
  while (advance(pp)) {
    if (has_rpts && !advance_rpts(pp)) break;
    if (s[pp].rel > next) {
      if (match_length <= static_cast<int64_t>(slop)) {
        freq += 1.0f / static_cast<float>(match_length + 1);
      }
      queued[pp] = true;
      pp = pop();
      next = top_rel();
      match_length = end - s[pp].rel;
    } else {
      match_length = std::min(match_length, end - s[pp].rel);
    }
  }
  if (match_length <= static_cast<int64_t>(slop)) {
    freq += 1.0f / static_cast<float>(match_length + 1);
  }
  return freq;
}

template <typename Cursor>
class PhraseCursor {
 public:
  // slots[i]: a cursor of its own for the i-th phrase term (a repeated term needs one cursor
  // per occurrence, e.g. two over the same list); offsets[i]: its position in the phrase;
  // term_ids[i]: equal for slots of the same term (repeats matter for sloppy matching).
  PhraseCursor(std::span<Cursor* const> slots, std::span<const uint32_t> offsets,
               std::span<const uint32_t> term_ids, uint32_t slop)
      : slots_(slots.begin(), slots.end()),
        offsets_(offsets.begin(), offsets.end()),
        term_ids_(term_ids.begin(), term_ids.end()),
        slop_(slop),
        positions_(slots.size()) {
    by_df_.resize(slots_.size());
    for (size_t i = 0; i < by_df_.size(); ++i) by_df_[i] = i;
    std::stable_sort(by_df_.begin(), by_df_.end(),
                     [&](size_t a, size_t b) { return slots_[a]->df() < slots_[b]->df(); });
    if (slots_.empty()) {
      doc_ = index::kNoMoreDocs;
    } else {
      doc_ = slots_[by_df_[0]]->doc();
      Settle();
    }
  }

  index::DocId doc() const { return doc_; }
  index::DocId Next() {
    doc_ = slots_[by_df_[0]]->Next();
    Settle();
    return doc_;
  }
  index::DocId Advance(index::DocId target) {
    doc_ = slots_[by_df_[0]]->Advance(target);
    Settle();
    return doc_;
  }
  float freq() const { return freq_; }

  // Top-k pruning when this phrase is the whole query: a doc where every slot matches is passed
  // over before its positions are decoded if even its phrase frequency bound (exact phrase: the
  // smallest slot tf) cannot beat `topk`'s threshold. Exact only if `topk` receives nothing but
  // this cursor's docs, in increasing order, scored by `scorer` (as BlockMaxWandOr does).
  void PruneWith(const TermScorer* scorer, const uint8_t* norms, const TopK* topk) {
    prune_scorer_ = scorer;
    prune_norms_ = norms;
    prune_topk_ = topk;
  }

  // An estimate only (the rarest slot's df): used to pick conjunction leads.
  uint64_t df() const { return slots_.empty() ? 0 : slots_[by_df_[0]]->df(); }
  bool ok() const { return ok_; }

  // Block data: a phrase doc lies in every slot's block, so its length is >= each slot's block
  // min norm and an exact phrase occurs at most min(tf) times. Sloppy freq is left unbounded.
  void ShallowAdvance(index::DocId target) {
    for (Cursor* c : slots_) c->ShallowAdvance(target);
  }
  index::DocId BlockLastDoc() const {
    index::DocId d = index::kNoMoreDocs;
    for (Cursor* c : slots_) d = std::min(d, c->BlockLastDoc());
    return d;
  }
  uint32_t BlockMaxTf() const {
    if (slop_ > 0) return index::kTfSaturated;
    uint32_t tf = index::kTfSaturated;
    for (Cursor* c : slots_) tf = std::min(tf, c->BlockMaxTf());
    return tf;
  }
  uint8_t BlockMinNorm() const {
    uint8_t norm = 0;
    for (Cursor* c : slots_) norm = std::max(norm, c->BlockMinNorm());
    return norm;
  }
  uint32_t MaxTf() const {
    if (slop_ > 0) return index::kTfSaturated;
    uint32_t tf = index::kTfSaturated;
    for (Cursor* c : slots_) tf = std::min(tf, c->MaxTf());
    return tf;
  }
  uint8_t MinNorm() const {
    uint8_t norm = 0;
    for (Cursor* c : slots_) norm = std::max(norm, c->MinNorm());
    return norm;
  }

 private:
  // From doc_ (the lead's doc), find the first doc where all slots match and the phrase occurs.
  void Settle() {
    const size_t n = slots_.size();
    Cursor* lead = slots_[by_df_[0]];
    while (doc_ != index::kNoMoreDocs) {
      const float threshold = PruneThreshold();
      if (threshold != -std::numeric_limits<float>::infinity()) {
        // The rarest slot alone bounds the phrase frequency: its block, then its doc, are
        // checked before any other slot moves.
        lead->ShallowAdvance(doc_);
        if (!BoundBeats(lead->BlockMaxTf(), lead->BlockMinNorm(), threshold)) {
          const index::DocId last = lead->BlockLastDoc();
          doc_ = last == index::kNoMoreDocs ? last : lead->Advance(last + 1);
          continue;
        }
        if (!BoundBeats(lead->freq(), prune_norms_[doc_], threshold)) {
          doc_ = lead->Next();
          continue;
        }
      }
      if (slop_ == 0) {
        const Step step = MatchExact(threshold);
        if (step == Step::kMatch || step == Step::kCorrupt) return;
        if (step == Step::kNext) doc_ = lead->Next();
        continue;
      }
      bool all = true;
      for (size_t r = 1; r < n; ++r) {
        Cursor* c = slots_[by_df_[r]];
        if (c->doc() < doc_) c->Advance(doc_);
        if (c->doc() != doc_) {
          doc_ = c->doc() == index::kNoMoreDocs ? index::kNoMoreDocs : lead->Advance(c->doc());
          all = false;
          break;
        }
      }
      if (!all) continue;
      for (size_t i = 0; i < n; ++i) {
        std::span<const uint32_t> pos;
        if (!SlotPositions(i, &pos)) return Corrupt();
        positions_[i].assign(pos.begin(), pos.end());
      }
      freq_ = SloppyPhraseFreq(positions_, offsets_, term_ids_, slop_);
      if (freq_ > 0.0f) return;
      doc_ = lead->Next();
    }
  }

  enum class Step { kMatch, kNext, kMoved, kCorrupt };

  // Exact phrase frequency of doc_ (= ExactPhraseFreq), slot by slot from the rarest: each next
  // slot is moved to doc_ and its positions filter the candidate starts (the rarest slot's
  // positions minus its offset), so a doc without the phrase usually fails before the most
  // frequent slots decode its block of doc ids or positions at all. kMatch: freq_ > 0;
  // kNext: not here (or cannot beat `threshold`); kMoved: a slot lacks doc_, doc_ is the
  // lead's next candidate; kCorrupt: a slot's positions are corrupt.
  Step MatchExact(float threshold) {
    const bool prune = threshold != -std::numeric_limits<float>::infinity();
    const size_t n = by_df_.size();
    Cursor* lead = slots_[by_df_[0]];
    // An upper bound on the phrase frequency: the smallest tf seen, then the starts left.
    uint32_t bound = lead->freq();
    for (size_t r = 1; r < n; ++r) {
      const size_t i = by_df_[r];
      Cursor* c = slots_[i];
      if (c->doc() < doc_) c->Advance(doc_);
      if (c->doc() != doc_) {
        doc_ = c->doc() == index::kNoMoreDocs ? index::kNoMoreDocs : lead->Advance(c->doc());
        return Step::kMoved;
      }
      bound = std::min<uint32_t>(bound, c->freq());
      if (prune && !BoundBeats(bound, prune_norms_[doc_], threshold)) return Step::kNext;
      if (r == 1 && !LeadStarts()) return Step::kCorrupt;
      std::span<const uint32_t> pos;
      if (!SlotPositions(i, &pos)) return Corrupt(), Step::kCorrupt;
      const uint64_t off = offsets_[i];
      size_t j = 0, kept = 0;
      for (uint32_t start : starts_) {
        const uint64_t want = start + off;
        while (j < pos.size() && pos[j] < want) ++j;
        if (j == pos.size()) break;
        starts_[kept] = start;
        kept += pos[j] == want;
      }
      starts_.resize(kept);
      if (kept == 0) return Step::kNext;
      bound = static_cast<uint32_t>(kept);
    }
    if (n == 1 && !LeadStarts()) return Step::kCorrupt;
    freq_ = static_cast<float>(starts_.size());
    return starts_.empty() ? Step::kNext : Step::kMatch;
  }

  // starts_ = the rarest slot's positions on doc_ minus its offset. False on corruption.
  bool LeadStarts() {
    const size_t lead = by_df_[0];
    std::span<const uint32_t> first;
    if (!SlotPositions(lead, &first)) return Corrupt(), false;
    starts_.clear();
    for (uint32_t p : first) {
      if (p >= offsets_[lead]) starts_.push_back(p - offsets_[lead]);
    }
    return true;
  }

  void Corrupt() {
    ok_ = false;
    doc_ = index::kNoMoreDocs;
  }

  // Slot i's positions on doc_, read in place (valid until the slot moves). False on
  // corruption; a test cursor's doc may have none.
  bool SlotPositions(size_t i, std::span<const uint32_t>* out) const {
    *out = slots_[i]->PositionSpan();
    return !out->empty() || slots_[i]->ok();
  }

  // -infinity when not pruning (sloppy phrases: their frequency has no tf bound).
  float PruneThreshold() const {
    if (prune_topk_ == nullptr || slop_ != 0) return -std::numeric_limits<float>::infinity();
    return prune_topk_->threshold();
  }
  // Whether the phrase's score bound at a frequency of at most `tf` and a norm of at least
  // `norm` can beat `threshold`.
  bool BoundBeats(uint32_t tf, uint8_t norm, float threshold) const {
    return CanBeat(prune_scorer_->MaxScore(tf, norm), 1, threshold);
  }
  std::vector<Cursor*> slots_;
  std::vector<uint32_t> offsets_;
  std::vector<uint32_t> term_ids_;
  uint32_t slop_;
  std::vector<size_t> by_df_;
  std::vector<std::vector<uint32_t>> positions_;  // sloppy matching's copies
  std::vector<uint32_t> starts_;                  // MatchExact's candidate phrase starts
  index::DocId doc_ = index::kNoMoreDocs;
  float freq_ = 0.0f;
  bool ok_ = true;
  const TermScorer* prune_scorer_ = nullptr;
  const uint8_t* prune_norms_ = nullptr;
  const TopK* prune_topk_ = nullptr;
};

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_PHRASE_H_
