// term_bounds: how tight each block's score bound is for single-term queries, and how many
// blocks a tighter bound would spare the block-by-block walk (conjunction.h, RunSingle) - the
// measure of what Pareto impacts (several (tf, norm) pairs per block, as Lucene stores) could
// win before the index format changes (docs/PERFORMANCE.md, "Single terms: block bounds").
//
//   term_bounds INDEX QUERIES.tsv [K] [SLOW_QIDS]
//   term_bounds INDEX --size
//
// For every query of the log that plans to one term leaf (qid<TAB>text, as `scour bench`
// reads), in every segment, the list is decoded block by block and each block gets:
//   stored   the bound the skip table gives today: the model at (max tf, min norm);
//   pareto P the bound from at most P (tf, norm) pairs (the block's Pareto frontier of
//            (high tf, short doc), merged into P contiguous groups so that the largest group
//            bound is least: P = 1 is `stored`, P = all is the block's best score).
// The walk of RunSingle is replayed with a top k (K, default 10): a block is decoded when the
// top k is not full or its bound can beat the threshold (CanBeat, as the engine tests it). The
// threshold evolves the same way under every bound (a block a bound skips holds no doc that
// enters), so the blocks each bound decodes are counted in one pass.
// SLOW_QIDS (one qid per line, e.g. the slowest of `scour bench --per-query`) adds a line for
// those queries alone. --size: what the proposed impact lists (docs/format/README.md, "Proposed:
// format version 4") would add to the index: every full block of every term, a length byte plus,
// when its frontier has 2 pairs or more, a varint tf and a norm byte per pair.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "base/coding.h"
#include "engine/algorithm/clauses.h"
#include "engine/leaf_cursors.h"
#include "engine/searcher_internal.h"
#include "engine/topk.h"
#include "eval/trec_io.h"
#include "index/commit/reader_impl.h"
#include "index/postings/segment_postings.h"
#include "scour/analyzer.h"
#include "scour/index_reader.h"

namespace {

using namespace scour;
using engine::CanBeat;
using engine::TermScorer;
using index::DocId;
using index::kNoMoreDocs;

constexpr int kPairs[] = {1, 2, 3, 4, 8, 1 << 30};  // the last = all pairs
constexpr int kNumBounds = sizeof(kPairs) / sizeof(kPairs[0]);

struct Totals {
  uint64_t queries = 0, blocks = 0, docs = 0, inserts = 0;
  uint64_t decoded[kNumBounds] = {};
  uint64_t frontier_pairs = 0;  // sum over blocks of the Pareto frontier's size
  uint64_t frontier_max = 0;
  double loose = 0;  // sum over blocks of stored bound / best score
  void Add(const Totals& o) {
    queries += o.queries;
    blocks += o.blocks;
    docs += o.docs;
    inserts += o.inserts;
    for (int i = 0; i < kNumBounds; ++i) decoded[i] += o.decoded[i];
    frontier_pairs += o.frontier_pairs;
    frontier_max = std::max(frontier_max, o.frontier_max);
    loose += o.loose;
  }
};

// The least, over partitions of the frontier (tf and norm both increasing) into at most p
// contiguous groups, of the largest group bound (the model at the group's max tf and min norm).
float GroupedBound(const TermScorer& s, const std::vector<std::pair<uint32_t, uint8_t>>& f, int p) {
  const size_t m = f.size();
  if (static_cast<size_t>(p) >= m) {
    float best = 0;
    for (const auto& [tf, n] : f) best = std::max(best, s.MaxScore(tf, n));
    return best;
  }
  // g(i, j): the bound of group f[i..j] = the model at f[j].tf and f[i].norm.
  // dp[q][j]: least largest bound covering f[0..j) with q groups.
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<std::vector<float>> dp(p + 1, std::vector<float>(m + 1, inf));
  dp[0][0] = 0;
  for (int q = 1; q <= p; ++q) {
    for (size_t j = 1; j <= m; ++j) {
      for (size_t i = 0; i < j; ++i) {
        if (dp[q - 1][i] == inf) continue;
        const float g = s.MaxScore(f[j - 1].first, f[i].second);
        dp[q][j] = std::min(dp[q][j], std::max(dp[q - 1][i], g));
      }
    }
  }
  return dp[p][m];
}

// One list, block by block: the bounds, then the replayed walk.
void Walk(index::SegmentPostings* c, const TermScorer& s, const uint8_t* norms, size_t k,
          Totals* t) {
  engine::TopK top(k);
  std::vector<std::pair<uint32_t, uint8_t>> pairs, frontier;
  std::vector<float> scores;
  while (c->doc() != kNoMoreDocs) {
    const DocId* d = c->BlockDocs();
    const uint32_t* f = c->BlockFreqs();
    const size_t n = c->BlockEnd();
    const float stored = s.MaxScore(c->BlockMaxTf(), c->BlockMinNorm());
    pairs.clear();
    scores.resize(n);
    float best = 0;
    for (size_t i = 0; i < n; ++i) {
      pairs.push_back({f[i], norms[d[i]]});
      scores[i] = s.ScoreTf(f[i], norms[d[i]]);
      best = std::max(best, scores[i]);
    }
    // The frontier: by tf descending (then norm ascending), keep a pair when its norm is below
    // every norm kept so far; reversed, tf and norm both increase.
    std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    frontier.clear();
    int min_norm = 256;
    for (const auto& pr : pairs) {
      if (pr.second < min_norm) {
        frontier.push_back(pr);
        min_norm = pr.second;
      }
    }
    std::reverse(frontier.begin(), frontier.end());
    t->blocks++;
    t->docs += n;
    t->frontier_pairs += frontier.size();
    t->frontier_max = std::max<uint64_t>(t->frontier_max, frontier.size());
    t->loose += best > 0 ? stored / best : 1.0;
    const bool full = top.full();
    const float threshold = top.threshold();
    for (int b = 0; b < kNumBounds; ++b) {
      const float bound = b == 0 ? stored : GroupedBound(s, frontier, kPairs[b]);
      if (!full || CanBeat(bound, 1, threshold)) t->decoded[b]++;
    }
    for (size_t i = 0; i < n; ++i) {
      if (scores[i] > top.threshold()) t->inserts += top.Insert(d[i], scores[i]) ? 1 : 0;
    }
    c->SeekInBlock(static_cast<uint32_t>(n - 1));
    c->Next();
  }
}

void Print(const char* what, const Totals& t) {
  std::printf("%s: %llu queries, %llu blocks (%.1f per query), %llu docs, %llu inserts\n", what,
              (unsigned long long)t.queries, (unsigned long long)t.blocks,
              t.queries ? double(t.blocks) / t.queries : 0.0, (unsigned long long)t.docs,
              (unsigned long long)t.inserts);
  std::printf(
      "  mean stored bound / block's best score %.3f; Pareto frontier %.2f pairs per "
      "block (max %llu)\n",
      t.blocks ? t.loose / t.blocks : 0.0, t.blocks ? double(t.frontier_pairs) / t.blocks : 0.0,
      (unsigned long long)t.frontier_max);
  for (int b = 0; b < kNumBounds; ++b) {
    char name[32];
    if (kPairs[b] >= (1 << 30)) {
      std::snprintf(name, sizeof(name), "all pairs");
    } else {
      std::snprintf(name, sizeof(name), "%d pair%s", kPairs[b], kPairs[b] == 1 ? " (stored)" : "s");
    }
    std::printf("  %-14s decoded %8llu blocks (%.1f%% of blocks, %.1f per query)\n", name,
                (unsigned long long)t.decoded[b], t.blocks ? 100.0 * t.decoded[b] / t.blocks : 0,
                t.queries ? double(t.decoded[b]) / t.queries : 0.0);
  }
}

// The Pareto frontier of (high tf, short doc) over f[0..n) with norms norms[d[i]]: its size and
// the bytes of its varint tfs.
void Frontier(const DocId* d, const uint32_t* f, size_t n, const uint8_t* norms, size_t* pairs,
              size_t* tf_bytes) {
  std::vector<std::pair<uint32_t, uint8_t>> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = {f[i], norms[d[i]]};
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  int min_norm = 256;
  *pairs = 0;
  *tf_bytes = 0;
  for (const auto& pr : v) {
    if (pr.second < min_norm) {
      ++*pairs;
      *tf_bytes += VarintLength(pr.first);
      min_norm = pr.second;
    }
  }
}

int SizeReport(const index::Snapshot& snap) {
  uint64_t blocks = 0, list_bytes = 0, pairs_total = 0, post_bytes = 0;
  for (const auto& seg : snap.segments) {
    post_bytes += seg->post_file().size();
    for (auto it = seg->dict().Seek(std::string(1, '\x01')); it.Valid(); it.Next()) {
      const uint32_t field = static_cast<uint8_t>(it.key()[0]);
      if (field & 0x80) break;  // field ids >= 128: not in the corpora this tool is for
      const uint8_t* norms = seg->norms(field);
      if (norms == nullptr || it.info().df < index::kBlockSize) continue;
      index::SegmentPostings p = seg->Postings(field, it.info());
      while (p.doc() != kNoMoreDocs) {
        const size_t n = p.BlockEnd();
        if (n == index::kBlockSize) {
          size_t pairs = 0, tf_bytes = 0;
          Frontier(p.BlockDocs(), p.BlockFreqs(), n, norms, &pairs, &tf_bytes);
          ++blocks;
          pairs_total += pairs;
          list_bytes += 1 + (pairs >= 2 ? tf_bytes + pairs : 0);
        }
        p.SeekInBlock(static_cast<uint32_t>(n - 1));
        p.Next();
      }
    }
  }
  std::printf(
      "full blocks %llu, frontier %.2f pairs per block; impact lists %llu bytes = %.2f "
      "per block, %.2f%% of .post (%llu bytes)\n",
      (unsigned long long)blocks, blocks ? double(pairs_total) / blocks : 0.0,
      (unsigned long long)list_bytes, blocks ? double(list_bytes) / blocks : 0.0,
      post_bytes ? 100.0 * list_bytes / post_bytes : 0.0, (unsigned long long)post_bytes);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: term_bounds INDEX QUERIES.tsv [K] [SLOW_QIDS]\n");
    return 2;
  }
  const size_t k = argc > 3 ? std::stoul(argv[3]) : 10;
  std::set<std::string> slow;
  if (argc > 4) {
    std::ifstream in(argv[4]);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) slow.insert(line.substr(0, line.find('\t')));
    }
  }
  auto reader = IndexReader::Open(argv[1]);
  if (!reader.ok()) {
    std::fprintf(stderr, "%s\n", reader.status().ToString().c_str());
    return 1;
  }
  auto analyzer = Analyzer::Create((*reader)->analyzer_options());
  if (!analyzer.ok()) return 1;
  if (std::string(argv[2]) == "--size") return SizeReport(index::SnapshotOf(**reader));
  auto topics = eval::ReadTopicsFile(argv[2]);
  if (!topics.ok()) {
    std::fprintf(stderr, "%s\n", topics.status().ToString().c_str());
    return 1;
  }
  const index::Snapshot& snap = index::SnapshotOf(**reader);
  SearchOptions opts;
  opts.query_syntax = false;
  opts.use_synonyms = false;
  Totals all, sl;
  size_t not_term = 0;
  for (const eval::Topic& topic : *topics) {
    auto pq = engine::Prepare(**reader, &*analyzer, topic.title, opts);
    if (!pq.ok() || pq->plan->kind != engine::PlanKind::kTerm) {
      ++not_term;
      continue;
    }
    const engine::PlanNode& leaf = *pq->plan;
    Totals q;
    q.queries = 1;
    for (const auto& seg : snap.segments) {
      auto p = engine::OpenTerm(leaf, *seg);
      if (!p.ok()) {
        std::fprintf(stderr, "%s\n", p.status().ToString().c_str());
        return 1;
      }
      if (!*p || seg->norms(leaf.field) == nullptr) continue;
      Walk(&**p, leaf.scorer, seg->norms(leaf.field), k, &q);
    }
    all.Add(q);
    if (slow.count(topic.qid)) sl.Add(q);
  }
  std::printf("k = %zu; %zu queries not one term (skipped)\n", k, not_term);
  Print("all", all);
  if (!slow.empty()) Print("listed", sl);
  return 0;
}
