// CombinedPostings (engine/combined_postings.h), the bm25f leaf over several fields: the cursor
// against the merged lists (docs, pseudo-frequencies), its list and block bounds against every
// doc they cover, and every top-k algorithm over bm25f clauses against brute force, bit for bit.
// A cursor whose bounds are 10% too low must make the algorithms differ from brute force: the
// comparison catches an under-estimating bound.
#include "engine/combined_postings.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "engine/ranker.h"
#include "engine/retrieval.h"
#include "engine/topk.h"
#include "engine/vector_postings.h"
#include "gtest/gtest.h"
#include "index/segment/norms.h"
#include "scour/similarity.h"

// A namespace of its own: the test sources of retrieval_test share one unity file.
namespace scour::engine::combined_test {
namespace {

using index::DocId;
using index::kNoMoreDocs;
using Combined = CombinedPostings<VectorPostings>;

static_assert(SelfScoringCursor<Combined>);
static_assert(!BlockCursor<Combined>);

// Docs with up to three fields (a short "title", a long "text", a mid "abstract"), each over a
// skewed vocabulary, some docs lacking a field; per field its norms, lists and tf[t][d], and the
// bm25f scales of docs/SCORING.md for a random weight and b.
struct Field {
  std::vector<uint8_t> norms;
  std::vector<PostingList> lists;
  std::vector<std::vector<uint32_t>> tf;
  std::array<float, 256> scale{}, max_scale{};
};

struct Corpus {
  size_t num_docs = 0;
  std::vector<Field> fields;
};

Corpus MakeCorpus(uint64_t seed, size_t num_docs, uint32_t vocab, size_t num_fields) {
  std::mt19937_64 rng(seed);
  std::vector<double> w(vocab - 1);
  for (uint32_t r = 0; r + 1 < vocab; ++r) w[r] = 1.0 / (r + 1);
  std::discrete_distribution<uint32_t> zipf(w.begin(), w.end());  // the last term never occurs
  const uint32_t max_len[] = {8, 150, 40};
  const float weights[] = {0.0f, 0.5f, 1.0f, 2.5f, 4.0f};
  const float bs[] = {0.0f, 0.3f, 0.75f, 1.0f};
  Corpus c;
  c.num_docs = num_docs;
  c.fields.resize(num_fields);
  for (size_t f = 0; f < num_fields; ++f) {
    Field& fd = c.fields[f];
    fd.norms.assign(num_docs, 0);
    fd.lists.resize(vocab);
    fd.tf.assign(vocab, std::vector<uint32_t>(num_docs, 0));
    uint64_t sum_len = 0, with_field = 0;
    for (size_t d = 0; d < num_docs; ++d) {
      if (rng() % 6 == 0) continue;  // the doc lacks the field
      uint32_t len = 1 + static_cast<uint32_t>(rng() % max_len[f]);
      if (rng() % 8 == 0) len = 1 + len / 8;
      for (uint32_t i = 0; i < len; ++i) ++fd.tf[zipf(rng)][d];
      if (rng() % 60 == 0) fd.tf[rng() % 4][d] += 30;  // a few high frequencies
      fd.norms[d] = index::LengthToNorm(len);
      sum_len += len;
      ++with_field;
    }
    for (uint32_t t = 0; t < vocab; ++t) {
      for (size_t d = 0; d < num_docs; ++d)
        if (fd.tf[t][d] > 0) fd.lists[t].AddFreq(static_cast<DocId>(d), fd.tf[t][d]);
      fd.lists[t].Finish(fd.norms.data());
    }
    // As plan.cc's CombinedLeaf: scale = w / B(dl), max_scale its suffix maximum.
    const float wf = weights[rng() % std::size(weights)], b = bs[rng() % std::size(bs)];
    const float avgdl = static_cast<float>(static_cast<double>(sum_len) / with_field);
    for (int n = 0; n < 256; ++n) {
      const float dl = NormLength(static_cast<uint8_t>(n));
      const float norm_b = (1.0f - b) + b * dl / avgdl;
      fd.scale[n] = norm_b > 0 ? wf / norm_b : 0.0f;
    }
    float m = 0;
    for (int n = 255; n >= 0; --n) fd.max_scale[n] = m = std::max(m, fd.scale[n]);
  }
  return c;
}

Combined MakeCombined(const Corpus& c, uint32_t term) {
  std::vector<Combined::Field> fields;
  for (const Field& f : c.fields) {
    if (f.lists[term].size() == 0) continue;  // as OpenCombined: a field without the term
    fields.push_back(
        {VectorPostings(&f.lists[term]), f.scale.data(), f.max_scale.data(), f.norms.data()});
  }
  return Combined(std::move(fields));
}

bool Matches(const Corpus& c, uint32_t term, size_t d) {
  for (const Field& f : c.fields)
    if (f.tf[term][d] > 0) return true;
  return false;
}

// The pseudo-frequency as CombinedIterator computes it: fields in order, float operations.
float PseudoFreq(const Corpus& c, uint32_t term, size_t d) {
  float tf = 0;
  for (const Field& f : c.fields)
    if (f.tf[term][d] > 0) tf += f.scale[f.norms[d]] * static_cast<float>(f.tf[term][d]);
  return tf;
}

TermScorer Saturation(std::mt19937_64& rng) {
  RankerParams p;
  p.kind = RankerKind::kLuceneBm25;
  p.k1 = rng() % 2 ? 0.9f : 1.2f;
  p.b = 0.0f;  // the saturation of bm25f: lengths are inside tf~
  FieldStatistics stats;
  stats.docs_with_field = 1000;
  stats.sum_total_term_freq = 20000;
  const float idf = 0.2f + static_cast<float>(rng() % 50) / 10.0f;
  return TermScorer::Create(p, stats, idf, rng() % 3 == 0 ? 2.0f : 1.0f);
}

TEST(CombinedPostings, WalksTheMergedListsWithPseudoFrequencies) {
  const Corpus c = MakeCorpus(1, 3000, 120, 3);
  std::mt19937_64 rng(11);
  for (uint32_t t = 0; t < 120; t += 3) {
    std::vector<DocId> want;
    for (size_t d = 0; d < c.num_docs; ++d)
      if (Matches(c, t, d)) want.push_back(static_cast<DocId>(d));
    Combined u = MakeCombined(c, t);
    uint64_t df = 0;
    for (const Field& f : c.fields) df += f.lists[t].size();
    EXPECT_EQ(u.df(), df);
    if (t % 2 == 0) {
      std::vector<DocId> got;
      for (DocId d = u.doc(); d != kNoMoreDocs; d = u.Next()) {
        got.push_back(d);
        ASSERT_EQ(u.PseudoFreq(), PseudoFreq(c, t, d)) << "term " << t << " doc " << d;
      }
      ASSERT_EQ(got, want);
      EXPECT_EQ(u.Next(), kNoMoreDocs);
    } else {
      DocId target = 0;
      while (true) {
        target += 1 + static_cast<DocId>(rng() % 40);
        if (target <= u.doc()) target = u.doc() + 1;
        const auto it = std::lower_bound(want.begin(), want.end(), target);
        const DocId expect = it == want.end() ? kNoMoreDocs : *it;
        ASSERT_EQ(u.Advance(target), expect);
        if (expect == kNoMoreDocs) break;
        ASSERT_EQ(u.PseudoFreq(), PseudoFreq(c, t, expect));
      }
    }
  }
}

// Every doc's score is <= the list bound, and after ShallowAdvance(target) every doc in
// [target, BlockLastDoc()] scores <= the block bound; checked while the cursor also moves (the
// fields then sit in different blocks).
TEST(CombinedPostings, BoundsCoverEveryDoc) {
  for (uint64_t seed : {2, 3, 4}) {
    const Corpus c = MakeCorpus(seed, 5000, 100, 1 + seed % 3);
    std::mt19937_64 rng(seed * 7);
    for (uint32_t t = 0; t + 1 < 100; t += 2) {
      const TermScorer scorer = Saturation(rng);
      Combined u = MakeCombined(c, t);
      const float list_bound = u.MaxScore(scorer);
      for (size_t d = 0; d < c.num_docs; ++d) {
        if (!Matches(c, t, d)) continue;
        ASSERT_LE(scorer.Score(PseudoFreq(c, t, d), 0), list_bound) << "term " << t << " doc " << d;
      }
      DocId target = 0;
      int windows = 0;
      while (target < c.num_docs) {
        if (rng() % 3 == 0 && u.doc() < target) u.Advance(target);
        u.ShallowAdvance(target);
        const DocId last = u.BlockLastDoc();
        ASSERT_GE(last, target);
        const float bound = u.BlockMaxScore(scorer);
        ASSERT_LE(bound, list_bound);
        const size_t end =
            std::min<size_t>(last == kNoMoreDocs ? c.num_docs : last + 1, c.num_docs);
        for (size_t d = target; d < end; ++d) {
          if (!Matches(c, t, d)) continue;
          ASSERT_LE(scorer.Score(PseudoFreq(c, t, d), 0), bound)
              << "term " << t << " doc " << d << " window [" << target << ", " << last << "]";
        }
        ++windows;
        if (last == kNoMoreDocs) break;
        target = last + 1 + static_cast<DocId>(rng() % 30);
      }
      ASSERT_GT(windows, 0);
    }
  }
}

// A cursor whose bounds are `kFactor` of the true ones: what a wrong derivation (a forgotten
// field, a weight or length factor misapplied) would look like.
class Undercut : public Combined {
 public:
  static constexpr float kFactor = 0.9f;
  explicit Undercut(Combined c) : Combined(std::move(c)) {}
  float MaxScore(const TermScorer& s) const { return Combined::MaxScore(s) * kFactor; }
  float BlockMaxScore(const TermScorer& s) const { return Combined::BlockMaxScore(s) * kFactor; }
};
static_assert(SelfScoringCursor<Undercut>);

struct Query {
  std::vector<uint32_t> required, optional, excluded;
};

// Brute force: every live doc matching the query, clauses summed in order required...,
// optional... (float, as every algorithm), the top k by (score desc, doc asc).
std::vector<ScoredDoc> BruteForce(const Corpus& c, const Query& q,
                                  const std::vector<TermScorer>& scorers,
                                  const std::vector<uint64_t>& deleted, size_t k) {
  TopK top(k);
  for (size_t d = 0; d < c.num_docs; ++d) {
    if (IsDeleted(deleted.empty() ? nullptr : deleted.data(), static_cast<DocId>(d))) continue;
    bool ok = true, any = false;
    for (uint32_t t : q.required) ok &= Matches(c, t, d);
    for (uint32_t t : q.excluded) ok &= !Matches(c, t, d);
    if (!ok) continue;
    float s = 0;
    size_t i = 0;
    for (uint32_t t : q.required) {
      s += scorers[i++].Score(PseudoFreq(c, t, d), 0);
      any = true;
    }
    for (uint32_t t : q.optional) {
      const TermScorer& sc = scorers[i++];
      if (!Matches(c, t, d)) continue;
      s += sc.Score(PseudoFreq(c, t, d), 0);
      any = true;
    }
    if (any) top.Insert(static_cast<DocId>(d), s);
  }
  return top.Take();
}

enum class Algo { kExhaustive, kMaxScore, kBlockMaxWand, kBoolean };

template <typename Cursor>
std::vector<ScoredDoc> RunAlgo(const Corpus& c, const Query& q,
                               const std::vector<TermScorer>& scorers,
                               const std::vector<uint64_t>& deleted, size_t k, Algo algo) {
  std::vector<Cursor> cursors;
  cursors.reserve(q.required.size() + q.optional.size() + q.excluded.size());
  std::vector<ScoredCursor<Cursor>> req, opt;
  std::vector<Cursor*> excl;
  size_t i = 0;
  for (uint32_t t : q.required) {
    cursors.emplace_back(MakeCombined(c, t));
    req.push_back({&cursors.back(), &scorers[i++]});
  }
  for (uint32_t t : q.optional) {
    cursors.emplace_back(MakeCombined(c, t));
    opt.push_back({&cursors.back(), &scorers[i++]});
  }
  for (uint32_t t : q.excluded) {
    cursors.emplace_back(MakeCombined(c, t));
    excl.push_back(&cursors.back());
  }
  const SegmentView seg{nullptr, deleted.empty() ? nullptr : deleted.data()};
  TopK top(k);
  const OrAlgorithm or_algo = algo == Algo::kExhaustive ? OrAlgorithm::kExhaustive
                              : algo == Algo::kMaxScore ? OrAlgorithm::kMaxScore
                                                        : OrAlgorithm::kBlockMaxWand;
  BooleanTopK(BooleanClauses<Cursor>{req, opt, excl}, seg, &top, or_algo);
  return top.Take();
}

Query RandomQuery(std::mt19937_64& rng, uint32_t vocab, Algo algo) {
  Query q;
  // Frequent terms (long lists over several blocks) mixed with rarer ones.
  auto term = [&] { return rng() % 2 ? static_cast<uint32_t>(rng() % 10) : rng() % vocab; };
  const size_t n = 1 + rng() % 5;
  for (size_t i = 0; i < n; ++i) {
    if (algo == Algo::kBoolean && rng() % 2 == 0) {
      q.required.push_back(term());
    } else {
      q.optional.push_back(term());
    }
  }
  if (algo == Algo::kBoolean && rng() % 3 == 0) q.excluded.push_back(term());
  return q;
}

std::string Describe(const Query& q) {
  std::string s;
  for (uint32_t t : q.required) s += " +" + std::to_string(t);
  for (uint32_t t : q.optional) s += " " + std::to_string(t);
  for (uint32_t t : q.excluded) s += " -" + std::to_string(t);
  return s;
}

// Every algorithm over bm25f clauses equals brute force bit for bit; the same runs with bounds
// 10% too low give a different top k somewhere (for each pruning algorithm).
TEST(CombinedPostings, EveryAlgorithmEqualsBruteForceAndCatchesALowBound) {
  const Corpus c2 = MakeCorpus(5, 6000, 150, 2);
  const Corpus c3 = MakeCorpus(6, 4000, 150, 3);
  std::mt19937_64 rng(55);
  for (Algo algo : {Algo::kExhaustive, Algo::kMaxScore, Algo::kBlockMaxWand, Algo::kBoolean}) {
    int undercut_differs = 0, nonempty = 0;
    for (int iter = 0; iter < 60; ++iter) {
      const Corpus& c = iter % 2 ? c3 : c2;
      const Query q = RandomQuery(rng, 150, algo);
      std::vector<TermScorer> scorers;
      for (size_t i = 0; i < q.required.size() + q.optional.size(); ++i)
        scorers.push_back(Saturation(rng));
      std::vector<uint64_t> deleted;
      if (iter % 3 == 0) {
        deleted.assign((c.num_docs + 63) / 64, 0);
        for (size_t d = 0; d < c.num_docs; ++d)
          if (rng() % 10 == 0) deleted[d >> 6] |= uint64_t{1} << (d & 63);
      }
      for (size_t k : {1, 10, 100}) {
        const auto want = BruteForce(c, q, scorers, deleted, k);
        nonempty += !want.empty();
        const auto got = RunAlgo<Combined>(c, q, scorers, deleted, k, algo);
        ASSERT_EQ(got.size(), want.size()) << Describe(q) << " k=" << k;
        for (size_t j = 0; j < got.size(); ++j) {
          ASSERT_EQ(got[j].doc, want[j].doc) << Describe(q) << " k=" << k << " rank " << j;
          ASSERT_EQ(got[j].score, want[j].score) << Describe(q) << " k=" << k << " rank " << j;
        }
        const auto low = RunAlgo<Undercut>(c, q, scorers, deleted, k, algo);
        if (low.size() != want.size()) {
          ++undercut_differs;
        } else {
          for (size_t j = 0; j < low.size(); ++j) {
            if (low[j].doc != want[j].doc || low[j].score != want[j].score) {
              ++undercut_differs;
              break;
            }
          }
        }
      }
    }
    EXPECT_GT(nonempty, 100);
    if (algo == Algo::kExhaustive) {
      EXPECT_EQ(undercut_differs, 0);  // nothing pruned: bounds unused
    } else {
      EXPECT_GT(undercut_differs, 0) << "algorithm " << static_cast<int>(algo);
    }
  }
}

}  // namespace
}  // namespace scour::engine::combined_test
