// UnionPostings (engine/union_postings.h): the cursor contract against the merged list (docs,
// summed frequencies, Advance), its block bounds against every doc they cover, and every top-k
// algorithm over unions (synonym clauses) against brute force, bit for bit.
#include "engine/union_postings.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "engine/ranker.h"
#include "engine/retrieval.h"
#include "engine/topk.h"
#include "engine/vector_postings.h"
#include "gtest/gtest.h"
#include "index/segment/norms.h"

namespace scour::engine {
namespace {

using index::DocId;
using index::kNoMoreDocs;
using Union = UnionPostings<VectorPostings>;

// Docs of random lengths over a skewed vocabulary; tf[t][d] per term and doc.
struct Corpus {
  std::vector<uint8_t> norms;
  std::vector<PostingList> lists;
  std::vector<std::vector<uint32_t>> tf;
  FieldStatistics stats;
};

Corpus MakeCorpus(uint64_t seed, size_t num_docs, uint32_t vocab) {
  std::mt19937_64 rng(seed);
  std::vector<double> w(vocab - 1);
  for (uint32_t r = 0; r + 1 < vocab; ++r) w[r] = 1.0 / (r + 1);
  std::discrete_distribution<uint32_t> zipf(w.begin(), w.end());  // the last term never occurs
  Corpus c;
  c.norms.resize(num_docs);
  c.lists.resize(vocab);
  c.tf.assign(vocab, std::vector<uint32_t>(num_docs, 0));
  for (size_t d = 0; d < num_docs; ++d) {
    uint32_t len = 1 + static_cast<uint32_t>(rng() % 120);
    if (rng() % 8 == 0) len = 1 + len / 10;
    for (uint32_t i = 0; i < len; ++i) ++c.tf[zipf(rng)][d];
    if (rng() % 50 == 0) c.tf[rng() % 4][d] += 40;  // a few high frequencies
    c.norms[d] = index::LengthToNorm(len);
    c.stats.sum_total_term_freq += len;
  }
  c.stats.docs_with_field = num_docs;
  for (uint32_t t = 0; t < vocab; ++t) {
    for (size_t d = 0; d < num_docs; ++d)
      if (c.tf[t][d] > 0) c.lists[t].AddFreq(static_cast<DocId>(d), c.tf[t][d]);
    c.lists[t].Finish(c.norms.data());
  }
  return c;
}

Union MakeUnion(const Corpus& c, const std::vector<uint32_t>& terms) {
  std::vector<VectorPostings> lists;
  for (uint32_t t : terms) lists.emplace_back(&c.lists[t]);
  return Union(std::move(lists));
}

uint32_t GroupTf(const Corpus& c, const std::vector<uint32_t>& terms, size_t d) {
  uint32_t f = 0;
  for (uint32_t t : terms) f += c.tf[t][d];
  return f;
}

std::vector<uint32_t> RandomGroup(std::mt19937_64& rng, uint32_t vocab) {
  std::vector<uint32_t> g(1 + rng() % 3);
  for (auto& t : g) t = rng() % 2 ? static_cast<uint32_t>(rng() % 12) : rng() % vocab;
  return g;
}

TEST(UnionPostings, WalksTheMergedListWithSummedFrequencies) {
  const Corpus c = MakeCorpus(1, 3000, 200);
  std::mt19937_64 rng(11);
  for (int iter = 0; iter < 200; ++iter) {
    const auto g = RandomGroup(rng, 200);
    std::vector<DocId> want;
    for (size_t d = 0; d < c.norms.size(); ++d)
      if (GroupTf(c, g, d) > 0) want.push_back(static_cast<DocId>(d));
    Union u = MakeUnion(c, g);
    uint64_t df = 0;
    for (uint32_t t : g) df += c.lists[t].size();
    EXPECT_EQ(u.df(), df);
    if (iter % 2 == 0) {
      // Next through the whole list.
      std::vector<DocId> got;
      for (DocId d = u.doc(); d != kNoMoreDocs; d = u.Next()) {
        got.push_back(d);
        ASSERT_EQ(u.freq(), GroupTf(c, g, d));
      }
      ASSERT_EQ(got, want);
      EXPECT_EQ(u.Next(), kNoMoreDocs);  // past the end stays there
    } else {
      // Advance to random targets.
      DocId target = 0;
      while (true) {
        target += 1 + static_cast<DocId>(rng() % 40);
        if (target <= u.doc()) target = u.doc() + 1;
        const auto it = std::lower_bound(want.begin(), want.end(), target);
        const DocId expect = it == want.end() ? kNoMoreDocs : *it;
        ASSERT_EQ(u.Advance(target), expect);
        if (expect == kNoMoreDocs) break;
        ASSERT_EQ(u.freq(), GroupTf(c, g, expect));
      }
    }
  }
}

// After ShallowAdvance(target), every doc of the union in [target, BlockLastDoc()] has a summed
// frequency <= BlockMaxTf() and a norm >= BlockMinNorm(); and the whole list is within MaxTf()
// and MinNorm(). Checked while the cursor also moves (the lists then sit in different blocks).
TEST(UnionPostings, BlockBoundsCoverEveryDoc) {
  const Corpus c = MakeCorpus(2, 5000, 150);
  std::mt19937_64 rng(22);
  for (int iter = 0; iter < 150; ++iter) {
    const auto g = RandomGroup(rng, 150);
    Union u = MakeUnion(c, g);
    for (size_t d = 0; d < c.norms.size(); ++d) {
      const uint32_t f = GroupTf(c, g, d);
      if (f == 0) continue;
      ASSERT_LE(f, u.MaxTf());
      ASSERT_GE(c.norms[d], u.MinNorm());
    }
    DocId target = 0;
    while (target < c.norms.size()) {
      if (rng() % 3 == 0 && u.doc() < target) u.Advance(target);  // lists move too
      u.ShallowAdvance(target);
      const DocId last = u.BlockLastDoc();
      ASSERT_GE(last, target);
      const size_t end =
          std::min<size_t>(last == kNoMoreDocs ? c.norms.size() : last + 1, c.norms.size());
      for (size_t d = target; d < end; ++d) {
        const uint32_t f = GroupTf(c, g, d);
        if (f == 0) continue;
        ASSERT_LE(f, u.BlockMaxTf()) << "doc " << d << " target " << target;
        ASSERT_GE(c.norms[d], u.BlockMinNorm()) << "doc " << d << " target " << target;
      }
      if (last == kNoMoreDocs) break;
      target = last + 1 + static_cast<DocId>(rng() % 30);
    }
  }
}

// Clauses are groups of terms (a group of one is a term); a group's score is its summed tf's.
struct GroupQuery {
  std::vector<std::vector<uint32_t>> required, optional, excluded;
};

std::vector<ScoredDoc> BruteForce(const Corpus& c, const GroupQuery& q,
                                  const std::vector<TermScorer>& scorers, size_t k,
                                  uint64_t* count) {
  std::vector<ScoredDoc> all;
  for (size_t d = 0; d < c.norms.size(); ++d) {
    bool ok = true;
    for (const auto& g : q.excluded) ok &= GroupTf(c, g, d) == 0;
    for (const auto& g : q.required) ok &= GroupTf(c, g, d) > 0;
    if (q.required.empty()) {
      bool any = false;
      for (const auto& g : q.optional) any |= GroupTf(c, g, d) > 0;
      ok &= any;
    }
    if (!ok) continue;
    float s = 0.0f;
    size_t i = 0;
    for (const auto* groups : {&q.required, &q.optional}) {
      for (const auto& g : *groups) {
        if (const uint32_t f = GroupTf(c, g, d); f > 0) s += scorers[i].ScoreTf(f, c.norms[d]);
        ++i;
      }
    }
    all.push_back({static_cast<DocId>(d), s});
  }
  *count = all.size();
  std::sort(all.begin(), all.end(), RanksBefore);
  if (all.size() > k) all.resize(k);
  return all;
}

std::vector<ScoredDoc> RunGroups(const Corpus& c, const GroupQuery& q,
                                 const std::vector<TermScorer>& scorers, size_t k, OrAlgorithm algo,
                                 bool count_instead, uint64_t* count) {
  std::vector<Union> cursors;
  cursors.reserve(64);
  auto make = [&](const auto& groups, size_t first_scorer) {
    std::vector<ScoredCursor<Union>> out;
    for (size_t j = 0; j < groups.size(); ++j) {
      cursors.push_back(MakeUnion(c, groups[j]));
      out.push_back({&cursors.back(), &scorers[first_scorer + j]});
    }
    return out;
  };
  const auto req = make(q.required, 0);
  const auto opt = make(q.optional, q.required.size());
  std::vector<Union*> exc;
  for (const auto& g : q.excluded) {
    cursors.push_back(MakeUnion(c, g));
    exc.push_back(&cursors.back());
  }
  const BooleanClauses<Union> clauses{req, opt, exc};
  if (count_instead) {
    *count = BooleanCount(clauses, nullptr);
    return {};
  }
  TopK topk(k);
  BooleanTopK(clauses, SegmentView{c.norms.data(), nullptr}, &topk, algo);
  return topk.Take();
}

TEST(UnionPostings, TopKOverSynonymClausesEqualsBruteForce) {
  const Corpus c = MakeCorpus(3, 3000, 200);
  std::mt19937_64 rng(33);
  for (int iter = 0; iter < 120; ++iter) {
    GroupQuery q;
    const int shape = iter % 3;  // OR, AND, +a b -c
    const size_t n = 1 + rng() % 4;
    for (size_t i = 0; i < n; ++i) {
      auto g = RandomGroup(rng, 200);
      if (shape == 0) {
        q.optional.push_back(g);
      } else if (shape == 1) {
        for (auto& t : g) t %= 30;  // conjunctions of frequent-enough groups
        q.required.push_back(g);
      } else {
        (i == 0 ? q.required : i + 1 == n && n > 2 ? q.excluded : q.optional).push_back(g);
      }
    }
    RankerParams params;
    params.kind = static_cast<RankerKind>(rng() % 4);
    std::vector<TermScorer> scorers;
    for (const auto* groups : {&q.required, &q.optional}) {
      for (const auto& g : *groups) {
        uint64_t df = 0;
        for (uint32_t t : g) df = std::max<uint64_t>(df, c.lists[t].size());
        scorers.push_back(
            TermScorer::ForTerm(params, c.stats, std::max<uint64_t>(df, 1), rng() % 3 ? 1 : 2));
      }
    }
    for (size_t k : {size_t{1}, size_t{10}, size_t{100}}) {
      uint64_t want_count = 0;
      const auto want = BruteForce(c, q, scorers, k, &want_count);
      for (OrAlgorithm algo :
           {OrAlgorithm::kExhaustive, OrAlgorithm::kMaxScore, OrAlgorithm::kBlockMaxWand}) {
        SCOPED_TRACE(testing::Message()
                     << "iter " << iter << " k=" << k << " algo " << static_cast<int>(algo));
        uint64_t unused = 0;
        const auto got = RunGroups(c, q, scorers, k, algo, false, &unused);
        ASSERT_EQ(got.size(), want.size());
        for (size_t i = 0; i < got.size(); ++i) {
          ASSERT_EQ(got[i].doc, want[i].doc) << "rank " << i;
          ASSERT_EQ(got[i].score, want[i].score) << "rank " << i;  // bit for bit
        }
      }
      uint64_t count = 0;
      RunGroups(c, q, scorers, k, OrAlgorithm::kMaxScore, true, &count);
      ASSERT_EQ(count, want_count);
    }
  }
}

}  // namespace
}  // namespace scour::engine
