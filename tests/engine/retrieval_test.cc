// Retrieval algorithms (exhaustive OR, MaxScore, block-max WAND, conjunction, boolean, counting)
// and phrase matching against brute force over random collections with fixed seeds.
#include "engine/retrieval.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "engine/algorithm/phrase_top_k.h"
#include "engine/phrase.h"
#include "engine/ranker.h"
#include "engine/topk.h"
#include "engine/vector_postings.h"
#include "gtest/gtest.h"
#include "index/segment/norms.h"

namespace scour::engine {
namespace {

// The conjunction's block-at-a-time path runs on the test cursor too.
static_assert(BlockCursor<VectorPostings>);

// Docs are token sequences over a zipfian vocabulary; the last term never occurs (empty list).
struct Collection {
  std::vector<std::vector<uint32_t>> tokens;
  std::vector<uint8_t> norms;
  std::vector<PostingList> lists;
  std::vector<std::vector<uint16_t>> tf;  // tf[term][doc]
  FieldStatistics stats;
  size_t num_docs() const { return tokens.size(); }
};

Collection MakeCollection(uint64_t seed, size_t num_docs, uint32_t vocab, uint32_t max_len) {
  std::mt19937_64 rng(seed);
  std::vector<double> w(vocab - 1);
  for (uint32_t r = 0; r + 1 < vocab; ++r) w[r] = 1.0 / (r + 1);
  std::discrete_distribution<uint32_t> zipf(w.begin(), w.end());
  Collection c;
  c.tokens.resize(num_docs);
  c.norms.resize(num_docs);
  c.lists.resize(vocab);
  c.tf.assign(vocab, std::vector<uint16_t>(num_docs, 0));
  std::vector<std::vector<std::vector<uint32_t>>> pos(vocab);
  for (size_t d = 0; d < num_docs; ++d) {
    uint32_t len = 1 + static_cast<uint32_t>(rng() % max_len);
    if (rng() % 8 == 0) len = 1 + len / 8;  // a population of short docs
    c.tokens[d].resize(len);
    for (auto& t : c.tokens[d]) t = zipf(rng);
    c.norms[d] = index::LengthToNorm(len);
    c.stats.sum_total_term_freq += len;
  }
  c.stats.docs_with_field = num_docs;
  std::vector<std::vector<uint32_t>> doc_pos(vocab);
  for (size_t d = 0; d < num_docs; ++d) {
    for (auto& v : doc_pos) v.clear();
    for (uint32_t p = 0; p < c.tokens[d].size(); ++p) doc_pos[c.tokens[d][p]].push_back(p);
    for (uint32_t t = 0; t < vocab; ++t) {
      if (doc_pos[t].empty()) continue;
      c.lists[t].Add(static_cast<index::DocId>(d), doc_pos[t]);
      c.tf[t][d] = static_cast<uint16_t>(doc_pos[t].size());
    }
  }
  for (auto& l : c.lists) l.Finish(c.norms.data());
  return c;
}

struct Query {
  std::vector<uint32_t> required, optional, excluded;
};

RankerParams RandomParams(std::mt19937_64& rng) {
  RankerParams p;
  p.kind = static_cast<RankerKind>(rng() % 4);
  return p;
}

// Brute force: every doc, clauses summed in order required..., optional....
std::vector<ScoredDoc> BruteForce(const Collection& c, const Query& q,
                                  const std::vector<TermScorer>& scorers,
                                  const std::vector<uint64_t>* deleted, size_t k, uint64_t* count) {
  std::vector<ScoredDoc> all;
  for (size_t d = 0; d < c.num_docs(); ++d) {
    if (deleted && IsDeleted(deleted->data(), static_cast<index::DocId>(d))) continue;
    bool ok = true;
    for (uint32_t t : q.excluded) ok &= c.tf[t][d] == 0;
    for (uint32_t t : q.required) ok &= c.tf[t][d] > 0;
    if (q.required.empty()) {
      bool any = false;
      for (uint32_t t : q.optional) any |= c.tf[t][d] > 0;
      ok &= any;
    }
    if (!ok) continue;
    float s = 0.0f;
    size_t i = 0;
    for (const auto* terms : {&q.required, &q.optional}) {
      for (uint32_t t : *terms) {
        if (c.tf[t][d] > 0) s += scorers[i].Score(static_cast<float>(c.tf[t][d]), c.norms[d]);
        ++i;
      }
    }
    all.push_back({static_cast<index::DocId>(d), s});
  }
  *count = all.size();
  std::sort(all.begin(), all.end(), RanksBefore);
  if (all.size() > k) all.resize(k);
  return all;
}

enum class Algo { kExhaustive, kMaxScore, kBmw };

// Runs q with fresh cursors; returns the top k (and the count through BooleanCount).
std::vector<ScoredDoc> Run(const Collection& c, const Query& q,
                           const std::vector<TermScorer>& scorers,
                           const std::vector<uint64_t>* deleted, size_t k, Algo algo,
                           uint64_t* count) {
  std::vector<VectorPostings> cursors;
  cursors.reserve(64);
  auto make = [&](const std::vector<uint32_t>& terms, size_t first_scorer) {
    std::vector<ScoredCursor<VectorPostings>> out;
    for (size_t j = 0; j < terms.size(); ++j) {
      cursors.emplace_back(&c.lists[terms[j]]);
      out.push_back({&cursors.back(), &scorers[first_scorer + j]});
    }
    return out;
  };
  auto req = make(q.required, 0);
  auto opt = make(q.optional, q.required.size());
  std::vector<VectorPostings*> exc;
  for (uint32_t t : q.excluded) {
    cursors.emplace_back(&c.lists[t]);
    exc.push_back(&cursors.back());
  }
  const SegmentView seg{c.norms.data(), deleted ? deleted->data() : nullptr};
  TopK topk(k);
  const OrAlgorithm oa = algo == Algo::kExhaustive ? OrAlgorithm::kExhaustive
                         : algo == Algo::kMaxScore ? OrAlgorithm::kMaxScore
                                                   : OrAlgorithm::kBlockMaxWand;
  if (q.excluded.empty() && q.required.empty()) {
    OrTopK<VectorPostings>(opt, seg, &topk, oa);
  } else if (q.excluded.empty() && q.optional.empty()) {
    AndTopK<VectorPostings>(req, seg, &topk);
  } else {
    BooleanTopK(BooleanClauses<VectorPostings>{req, opt, exc}, seg, &topk, oa);
  }
  // Counting on fresh cursors.
  cursors.clear();
  auto req2 = make(q.required, 0);
  auto opt2 = make(q.optional, q.required.size());
  exc.clear();
  for (uint32_t t : q.excluded) {
    cursors.emplace_back(&c.lists[t]);
    exc.push_back(&cursors.back());
  }
  *count = BooleanCount(BooleanClauses<VectorPostings>{req2, opt2, exc}, seg.deleted_bits);
  return topk.Take();
}

void ExpectSame(const std::vector<ScoredDoc>& got, const std::vector<ScoredDoc>& want,
                const char* what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].doc, want[i].doc) << what << " rank " << i;
    // Bit-identical: every algorithm sums the same clause scores in the same order.
    ASSERT_EQ(got[i].score, want[i].score) << what << " rank " << i;
  }
}

uint32_t RandomTerm(std::mt19937_64& rng, uint32_t vocab) {
  // Mix frequent, mid and rare terms (and now and then the empty one).
  switch (rng() % 4) {
    case 0:
      return static_cast<uint32_t>(rng() % 8);
    case 1:
      return static_cast<uint32_t>(rng() % 60);
    case 2:
      return static_cast<uint32_t>(rng() % vocab);
    default:
      return static_cast<uint32_t>(rng() % 200);
  }
}

std::vector<uint64_t> RandomDeleted(std::mt19937_64& rng, size_t num_docs) {
  std::vector<uint64_t> bits((num_docs + 63) / 64, 0);
  for (size_t d = 0; d < num_docs; ++d) {
    if (rng() % 10 == 0) bits[d >> 6] |= uint64_t{1} << (d & 63);
  }
  return bits;
}

void CheckQuery(const Collection& c, const Query& q, std::mt19937_64& rng, const char* what) {
  const RankerParams params = RandomParams(rng);
  std::vector<TermScorer> scorers;
  for (const auto* terms : {&q.required, &q.optional}) {
    for (uint32_t t : *terms) {
      // 1, 2, or a fraction such as the weights pseudo-relevance feedback gives its terms.
      const float boost = rng() % 3 == 0   ? 2.0f
                          : rng() % 2 == 0 ? 1.0f
                                           : static_cast<float>(1 + rng() % 999) / 1000.0f;
      scorers.push_back(TermScorer::ForTerm(params, c.stats, c.lists[t].size(), boost));
    }
  }
  std::vector<uint64_t> deleted;
  const bool use_deleted = rng() % 3 == 0;
  if (use_deleted) deleted = RandomDeleted(rng, c.num_docs());
  for (size_t k : {size_t{1}, size_t{10}, size_t{100}, c.num_docs() + 5}) {
    uint64_t want_count = 0;
    const auto want = BruteForce(c, q, scorers, use_deleted ? &deleted : nullptr, k, &want_count);
    for (Algo algo : {Algo::kExhaustive, Algo::kMaxScore, Algo::kBmw}) {
      uint64_t count = 0;
      const auto got = Run(c, q, scorers, use_deleted ? &deleted : nullptr, k, algo, &count);
      SCOPED_TRACE(testing::Message() << what << " k=" << k << " algo=" << static_cast<int>(algo)
                                      << " kind=" << static_cast<int>(params.kind));
      ExpectSame(got, want, what);
      ASSERT_EQ(count, want_count);
    }
  }
}

TEST(RetrievalTest, DisjunctionsMatchBruteForce) {
  for (uint64_t seed : {1, 2, 3}) {
    const Collection c = MakeCollection(seed, 3000, 400, 200);
    std::mt19937_64 rng(seed * 100);
    for (int iter = 0; iter < 40; ++iter) {
      Query q;
      const size_t n = 1 + rng() % 5;
      for (size_t i = 0; i < n; ++i) q.optional.push_back(RandomTerm(rng, 400));
      CheckQuery(c, q, rng, "OR");
    }
  }
}

TEST(RetrievalTest, ConjunctionsMatchBruteForce) {
  for (uint64_t seed : {4, 5}) {
    const Collection c = MakeCollection(seed, 3000, 400, 200);
    std::mt19937_64 rng(seed * 100);
    for (int iter = 0; iter < 40; ++iter) {
      Query q;
      const size_t n = 1 + rng() % 4;
      for (size_t i = 0; i < n; ++i) q.required.push_back(static_cast<uint32_t>(rng() % 40));
      CheckQuery(c, q, rng, "AND");
    }
  }
}

// One required term alone is walked block by block (conjunction.h, RunSingle); once the top k is
// full, a doc whose tf is too low at its block's shortest doc is passed on its tf alone. Long
// docs over a small vocabulary give the frequent terms tfs well past the score table's 16.
TEST(RetrievalTest, SingleTermsMatchBruteForce) {
#ifdef SCOUR_TEST_SANITIZED
  const std::vector<uint64_t> seeds = {11};  // instrumented runs cost ~5x: one seed of two
#else
  const std::vector<uint64_t> seeds = {11, 12};
#endif
  for (uint64_t seed : seeds) {
    const Collection c = MakeCollection(seed, 4000, 60, 400);
    std::mt19937_64 rng(seed * 100);
    for (uint32_t t = 0; t < 30; ++t) {
      Query q;
      q.required.push_back(t);
      CheckQuery(c, q, rng, "TERM");
    }
  }
}

TEST(RetrievalTest, BooleanClausesMatchBruteForce) {
  for (uint64_t seed : {6, 7}) {
    const Collection c = MakeCollection(seed, 2500, 300, 150);
    std::mt19937_64 rng(seed * 100);
    for (int iter = 0; iter < 60; ++iter) {
      Query q;
      const size_t n = 1 + rng() % 6;
      for (size_t i = 0; i < n; ++i) {
        const uint32_t t = RandomTerm(rng, 300);
        switch (rng() % 3) {
          case 0:
            q.required.push_back(t);
            break;
          case 1:
            q.optional.push_back(t);
            break;
          default:
            q.excluded.push_back(t);
            break;
        }
      }
      if (q.required.empty() && q.optional.empty()) q.optional.push_back(RandomTerm(rng, 300));
      CheckQuery(c, q, rng, "BOOL");
    }
  }
}

TEST(RetrievalTest, EmptyListsAndRepeatedTerms) {
  const Collection c = MakeCollection(9, 2000, 100, 100);
  const uint32_t empty = 99;
  ASSERT_EQ(c.lists[empty].size(), 0u);
  std::mt19937_64 rng(9);
  for (const Query& q :
       {Query{{}, {empty}, {}}, Query{{}, {empty, empty}, {}}, Query{{}, {3, empty}, {}},
        Query{{empty}, {}, {}}, Query{{5, empty}, {}, {}}, Query{{}, {5, 5, 17}, {}},
        Query{{5, 5}, {}, {}}, Query{{}, {2, 2, 2, 9}, {2}}, Query{{1}, {1, 4}, {}},
        Query{{}, {4}, {empty}}}) {
    for (int rep = 0; rep < 3; ++rep) CheckQuery(c, q, rng, "EDGE");
  }
  // No clauses at all.
  TopK topk(10);
  OrTopK<VectorPostings>({}, SegmentView{c.norms.data(), nullptr}, &topk);
  AndTopK<VectorPostings>({}, SegmentView{c.norms.data(), nullptr}, &topk);
  EXPECT_EQ(topk.size(), 0u);
}

// ---- phrases ----

// Naive scan of the token sequence: occurrences of the phrase terms at start + offsets.
uint32_t NaiveExact(const std::vector<uint32_t>& tokens, const std::vector<uint32_t>& terms,
                    const std::vector<uint32_t>& offsets) {
  uint32_t freq = 0;
  for (size_t p = 0; p < tokens.size(); ++p) {
    bool ok = true;
    for (size_t i = 0; i < terms.size() && ok; ++i) {
      ok = p + offsets[i] < tokens.size() && tokens[p + offsets[i]] == terms[i];
    }
    freq += ok;
  }
  return freq;
}

// Smallest spread (max - min of position - offset) over all placements of distinct terms.
int64_t NaiveMinSpread(const std::vector<uint32_t>& tokens, const std::vector<uint32_t>& terms,
                       const std::vector<uint32_t>& offsets) {
  std::vector<std::vector<int64_t>> rel(terms.size());
  for (size_t i = 0; i < terms.size(); ++i) {
    for (size_t p = 0; p < tokens.size(); ++p) {
      if (tokens[p] == terms[i]) rel[i].push_back(static_cast<int64_t>(p) - offsets[i]);
    }
    if (rel[i].empty()) return -1;
  }
  int64_t best = INT64_MAX;
  std::vector<size_t> idx(terms.size(), 0);
  while (true) {  // odometer over all combinations
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < terms.size(); ++i) {
      lo = std::min(lo, rel[i][idx[i]]);
      hi = std::max(hi, rel[i][idx[i]]);
    }
    best = std::min(best, hi - lo);
    size_t i = 0;
    while (i < terms.size() && ++idx[i] == rel[i].size()) idx[i++] = 0;
    if (i == terms.size()) break;
  }
  return best;
}

struct PhraseHit {
  index::DocId doc;
  float freq;
};

std::vector<PhraseHit> RunPhrase(const Collection& c, const std::vector<uint32_t>& terms,
                                 const std::vector<uint32_t>& offsets, uint32_t slop) {
  std::vector<VectorPostings> slots;
  slots.reserve(terms.size());
  std::vector<VectorPostings*> ptrs;
  for (uint32_t t : terms) {
    slots.emplace_back(&c.lists[t]);
    ptrs.push_back(&slots.back());
  }
  PhraseCursor<VectorPostings> phrase(ptrs, offsets, terms, slop);
  std::vector<PhraseHit> hits;
  for (; phrase.doc() != kNoMoreDocs; phrase.Next()) hits.push_back({phrase.doc(), phrase.freq()});
  EXPECT_TRUE(phrase.ok());
  return hits;
}

// A phrase taken from a random doc (so it matches somewhere), sometimes with a gap.
void RandomPhrase(const Collection& c, std::mt19937_64& rng, size_t len,
                  std::vector<uint32_t>* terms, std::vector<uint32_t>* offsets) {
  terms->clear();
  offsets->clear();
  while (true) {
    const auto& doc = c.tokens[rng() % c.num_docs()];
    const bool gap = rng() % 4 == 0;
    const size_t span = len + (gap ? 1 : 0);
    if (doc.size() < span) continue;
    const size_t start = rng() % (doc.size() - span + 1);
    for (size_t i = 0; i < span; ++i) {
      if (gap && i == 1) continue;
      terms->push_back(doc[start + i]);
      offsets->push_back(static_cast<uint32_t>(i));
    }
    return;
  }
}

TEST(PhraseTest, ExactPhraseMatchesNaiveScan) {
  const Collection c = MakeCollection(21, 2000, 40, 120);  // small vocab: many phrase hits
  std::mt19937_64 rng(21);
  int repeated = 0;
  for (int iter = 0; iter < 150; ++iter) {
    std::vector<uint32_t> terms, offsets;
    RandomPhrase(c, rng, 2 + rng() % 3, &terms, &offsets);
    if (rng() % 5 == 0) {  // force a repeated term: "a b a"
      terms.push_back(terms[0]);
      offsets.push_back(offsets.back() + 1);
    }
    for (size_t i = 0; i < terms.size(); ++i) {
      for (size_t j = 0; j < i; ++j) repeated += terms[i] == terms[j];
    }
    std::vector<PhraseHit> want;
    for (size_t d = 0; d < c.num_docs(); ++d) {
      const uint32_t f = NaiveExact(c.tokens[d], terms, offsets);
      if (f > 0) want.push_back({static_cast<index::DocId>(d), static_cast<float>(f)});
    }
    const auto got = RunPhrase(c, terms, offsets, 0);
    ASSERT_EQ(got.size(), want.size()) << "iter " << iter;
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i].doc, want[i].doc);
      ASSERT_EQ(got[i].freq, want[i].freq);
    }
  }
  EXPECT_GT(repeated, 10);
}

TEST(PhraseTest, SloppyMatchesIffMinSpreadWithinSlop) {
  const Collection c = MakeCollection(22, 1500, 30, 60);
  std::mt19937_64 rng(22);
  for (int iter = 0; iter < 80; ++iter) {
    std::vector<uint32_t> terms;
    std::vector<uint32_t> offsets;
    const size_t len = 2 + rng() % 2;
    while (terms.size() < len) {  // distinct terms
      const uint32_t t = static_cast<uint32_t>(rng() % 29);
      if (std::find(terms.begin(), terms.end(), t) == terms.end()) {
        terms.push_back(t);
        offsets.push_back(static_cast<uint32_t>(offsets.size()));
      }
    }
    const uint32_t slop = 1 + static_cast<uint32_t>(rng() % 4);
    const auto got = RunPhrase(c, terms, offsets, slop);
    size_t g = 0;
    for (size_t d = 0; d < c.num_docs(); ++d) {
      const int64_t spread = NaiveMinSpread(c.tokens[d], terms, offsets);
      const bool match = spread >= 0 && spread <= static_cast<int64_t>(slop);
      const bool got_match = g < got.size() && got[g].doc == d;
      ASSERT_EQ(got_match, match) << "doc " << d << " iter " << iter;
      if (!got_match) continue;
      // Every match weighs at most 1 / (min spread + 1).
      EXPECT_GE(got[g].freq, 1.0f / static_cast<float>(spread + 1) - 1e-6f);
      // The sweep's zero-length matches are exactly the exact occurrences.
      std::vector<std::vector<uint32_t>> pos(terms.size());
      for (size_t i = 0; i < terms.size(); ++i) {
        for (uint32_t p = 0; p < c.tokens[d].size(); ++p) {
          if (c.tokens[d][p] == terms[i]) pos[i].push_back(p);
        }
      }
      EXPECT_EQ(SloppyPhraseFreq(pos, offsets, terms, 0),
                static_cast<float>(NaiveExact(c.tokens[d], terms, offsets)));
      // More slop never lowers the frequency.
      EXPECT_LE(got[g].freq, SloppyPhraseFreq(pos, offsets, terms, slop + 3));
      ++g;
    }
  }
}

// Hand-worked values from the definition in docs/SCORING.md.
TEST(PhraseTest, SloppyHandExamples) {
  using V = std::vector<uint32_t>;
  auto freq = [](std::vector<V> pos, V offsets, V terms, uint32_t slop) {
    return SloppyPhraseFreq(pos, offsets, terms, slop);
  };
  // "a b" over "b a": a rel 1, b rel -1: needs slop 2, weight 1/3.
  EXPECT_EQ(freq({{1}, {0}}, {0, 1}, {0, 1}, 1), 0.0f);
  EXPECT_FLOAT_EQ(freq({{1}, {0}}, {0, 1}, {0, 1}, 2), 1.0f / 3);
  // "a b" over "a x b": length 1.
  EXPECT_FLOAT_EQ(freq({{0}, {2}}, {0, 1}, {0, 1}, 1), 0.5f);
  // "a b" over "a b x a b": two exact matches.
  EXPECT_FLOAT_EQ(freq({{0, 3}, {1, 4}}, {0, 1}, {0, 1}, 1), 2.0f);
  // "a b a" over "a b a": exact, weight 1; over "a b" (one a): no match.
  EXPECT_FLOAT_EQ(freq({{0, 2}, {1}, {0, 2}}, {0, 1, 2}, {0, 1, 0}, 1), 1.0f);
  EXPECT_EQ(freq({{0}, {1}, {0}}, {0, 1, 2}, {0, 1, 0}, 5), 0.0f);
  // "a b a" over "a a b": rel a:0,1 / b:1 / a(offset 2):-2,-1 -> best spread 2 (a0 b2... ) = 1/3.
  EXPECT_FLOAT_EQ(freq({{0, 1}, {2}, {0, 1}}, {0, 1, 2}, {0, 1, 0}, 2), 1.0f / 3);
}

TEST(PhraseTest, PhrasesScoreThroughRetrieval) {
  const Collection c = MakeCollection(23, 2500, 40, 120);
  std::mt19937_64 rng(23);
  for (int iter = 0; iter < 45; ++iter) {
    std::vector<uint32_t> terms, offsets;
    // 2-4 slots: PhraseTopK bounds a doc by its candidate starts left after each slot.
    RandomPhrase(c, rng, 2 + rng() % 3, &terms, &offsets);
    const uint32_t slop = rng() % 2 == 0 ? 0 : 1 + static_cast<uint32_t>(rng() % 3);
    const auto hits = RunPhrase(c, terms, offsets, slop);
    const RankerParams params = RandomParams(rng);
    float idf = 0;
    for (uint32_t t : terms) idf += Idf(params.kind, c.lists[t].size(), c.stats.docs_with_field);
    const TermScorer scorer = TermScorer::Create(params, c.stats, idf);
    for (size_t k : {size_t{1}, size_t{10}, size_t{1000}}) {
      std::vector<ScoredDoc> want;
      for (const auto& h : hits) want.push_back({h.doc, scorer.Score(h.freq, c.norms[h.doc])});
      std::sort(want.begin(), want.end(), RanksBefore);
      if (want.size() > k) want.resize(k);
      for (OrAlgorithm algo :
           {OrAlgorithm::kExhaustive, OrAlgorithm::kMaxScore, OrAlgorithm::kBlockMaxWand}) {
        std::vector<VectorPostings> slots;
        slots.reserve(terms.size());
        std::vector<VectorPostings*> ptrs;
        for (uint32_t t : terms) {
          slots.emplace_back(&c.lists[t]);
          ptrs.push_back(&slots.back());
        }
        PhraseCursor<VectorPostings> phrase(ptrs, offsets, terms, slop);
        const ScoredCursor<PhraseCursor<VectorPostings>> clause{&phrase, &scorer};
        TopK topk(k);
        OrTopK<PhraseCursor<VectorPostings>>({&clause, 1}, SegmentView{c.norms.data(), nullptr},
                                             &topk, algo);
        ExpectSame(topk.Take(), want, "phrase");
      }
      // PhraseTopK (the planner's path for a phrase query): the cursor also prunes docs by
      // their own bound before decoding positions.
      std::vector<VectorPostings> slots;
      slots.reserve(terms.size());
      std::vector<VectorPostings*> ptrs;
      for (uint32_t t : terms) {
        slots.emplace_back(&c.lists[t]);
        ptrs.push_back(&slots.back());
      }
      PhraseCursor<VectorPostings> phrase(ptrs, offsets, terms, slop);
      TopK topk(k);
      PhraseTopK<VectorPostings>(&phrase, scorer, SegmentView{c.norms.data(), nullptr}, &topk)
          .Run();
      ExpectSame(topk.Take(), want, "PhraseTopK");
    }
  }
}

}  // namespace
}  // namespace scour::engine
