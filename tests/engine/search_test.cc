// Searcher end to end against brute force: random indexes (several segments, deletions,
// updates, one or two fields) and random queries of every kind; the top-k ids and scores must
// equal an independent exhaustive BM25 scorer over the re-analysed stored text, counts must be
// exact, and phrase hits must equal a naive scan. Plus the home corpus and the error paths.
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/segment/norms.h"
#include "index/writer/open_writer.h"
#include "ingest/document_reader.h"
#include "scour/analyzer.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"
#include "scour/similarity.h"
#include "scour/synonyms.h"

namespace scour {
namespace {

constexpr double kK1 = 0.9, kB = 0.4;

// ------------------------------------------------------------------ the reference collection

// One internal document as the index holds it (live or deleted-but-not-merged).
struct PhysDoc {
  std::string id;
  bool live = false;
  std::map<std::string, std::vector<std::string>> tokens;  // field -> terms by position
};

struct FieldRef {
  uint64_t n = 0;       // docs with >= 1 token in the field (deleted included)
  uint64_t sum_tf = 0;  // tokens (deleted included)
  std::map<std::string, uint64_t> df;
  std::map<std::string, uint64_t> ttf;
};

struct Collection {
  std::vector<PhysDoc> docs;  // by internal id
  std::map<std::string, FieldRef> fields;
  std::vector<std::string> default_fields;  // fields with tokens
  std::map<std::string, double> field_weights;
  // The model the engine scores with; nullptr: Lucene BM25 as Bm25 below (an independent
  // transcription). Otherwise the reference asks the model itself, with the statistics re-counted
  // here and the length decoded from the norm the length would get.
  std::shared_ptr<const Similarity> model;

  double ModelScore(const std::string& f, size_t d, const std::vector<std::string>& words,
                    double tf, double boost) const {
    const FieldRef& fr = fields.at(f);
    FieldStatistics fs;
    fs.name = f;
    fs.docs_with_field = fr.n;
    fs.sum_total_term_freq = fr.sum_tf;
    std::vector<TermStatistics> ts;
    for (const std::string& w : words) {
      auto df = fr.df.find(w);
      auto ttf = fr.ttf.find(w);
      ts.push_back(
          {f, w, df == fr.df.end() ? 0 : df->second, ttf == fr.ttf.end() ? 0 : ttf->second});
    }
    const uint32_t len = static_cast<uint32_t>(docs[d].tokens.at(f).size());
    return model->Prepare(fs, ts, static_cast<float>(boost))
        ->Score(static_cast<float>(tf), NormLength(index::LengthToNorm(len)));
  }

  // Equivalent single-word synonyms: each word of a group maps to the whole group. A query term
  // in a group is scored as one term (Lucene's SynonymQuery): frequencies summed, the largest
  // document frequency, the total term frequencies summed.
  std::map<std::string, std::vector<std::string>> synonyms;

  double SynonymModelScore(const std::string& f, size_t d, uint64_t df, uint64_t ttf, double tf,
                           double boost) const {
    const FieldRef& fr = fields.at(f);
    FieldStatistics fs;
    fs.name = f;
    fs.docs_with_field = fr.n;
    fs.sum_total_term_freq = fr.sum_tf;
    const TermStatistics pseudo{"", "", df, ttf};
    const uint32_t len = static_cast<uint32_t>(docs[d].tokens.at(f).size());
    return model->Prepare(fs, std::span(&pseudo, 1), static_cast<float>(boost))
        ->Score(static_cast<float>(tf), NormLength(index::LengthToNorm(len)));
  }

  double IdfOfDf(const std::string& f, double df) const {
    return std::log(1.0 + (double(fields.at(f).n) - df + 0.5) / (df + 0.5));
  }
  double Idf(const std::string& f, const std::string& term) const {
    const FieldRef& fr = fields.at(f);
    auto it = fr.df.find(term);
    return IdfOfDf(f, it == fr.df.end() ? 0.0 : double(it->second));
  }
  // BM25 (Lucene) of frequency `tf` in doc `d`'s field `f`, with `idf` and `boost`.
  double Bm25(const std::string& f, size_t d, double tf, double idf, double boost) const {
    const FieldRef& fr = fields.at(f);
    const double avgdl = double(fr.sum_tf) / double(fr.n);
    const uint32_t len = static_cast<uint32_t>(docs[d].tokens.at(f).size());
    const double dl = index::NormToLength(index::LengthToNorm(len));
    const double k = kK1 * ((1 - kB) + kB * dl / avgdl);
    return boost * idf * tf / (tf + k);
  }
  double Weight(const std::string& f) const {
    auto it = field_weights.find(f);
    return it == field_weights.end() ? 1.0 : it->second;
  }
};

// Reads every internal doc back (stored fields are kept for deleted docs until a merge) and
// re-analyses it: the statistics then include deleted docs exactly as the index's do.
Collection LoadCollection(const IndexReader& reader) {
  Collection c;
  Analyzer a = *Analyzer::Create(reader.analyzer_options());
  for (uint64_t d = 0; d < reader.max_doc(); ++d) {
    auto stored = reader.Document(d);
    EXPECT_TRUE(stored.ok()) << stored.status();
    PhysDoc doc;
    doc.id = stored->id;
    auto found = reader.Find(doc.id);
    doc.live = found.ok() && *found == d;
    for (const auto& [name, value] : stored->fields) {
      std::vector<Token> toks;
      auto& seq = doc.tokens[name];
      EXPECT_TRUE(a.Analyze(value, &toks, static_cast<uint32_t>(seq.size())).ok());
      for (const Token& t : toks) {
        EXPECT_EQ(t.position, seq.size());
        seq.push_back(t.term);
      }
    }
    for (const auto& [name, seq] : doc.tokens) {
      FieldRef& fr = c.fields[name];
      if (seq.empty()) continue;
      fr.n++;
      fr.sum_tf += seq.size();
      std::set<std::string> distinct(seq.begin(), seq.end());
      for (const auto& t : distinct) fr.df[t]++;
      for (const auto& t : seq) fr.ttf[t]++;
    }
    c.docs.push_back(std::move(doc));
  }
  for (const auto& [name, fr] : c.fields)
    if (fr.sum_tf > 0) c.default_fields.push_back(name);
  return c;
}

// ------------------------------------------------------------------ random queries

enum class Kind { kTerm, kPhrase, kPrefix, kBool };
enum class Occ { kMust, kShould, kMustNot };

struct Q {
  Kind kind = Kind::kTerm;
  std::string field;               // "" = default fields
  std::vector<std::string> words;  // term: 1, phrase: 2-3, prefix: the prefix
  uint32_t slop = 0;
  double boost = 1;
  std::vector<std::pair<Occ, Q>> clauses;
};

std::string BoostText(double b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", b);
  return buf;
}

std::string Render(const Q& q, bool root = false) {
  std::string s;
  if (!q.field.empty()) s += q.field + ":";
  switch (q.kind) {
    case Kind::kTerm:
      s += q.words[0];
      break;
    case Kind::kPrefix:
      s += q.words[0] + "*";
      break;
    case Kind::kPhrase: {
      s += '"';
      for (size_t i = 0; i < q.words.size(); ++i) s += (i ? " " : "") + q.words[i];
      s += '"';
      if (q.slop) s += "~" + std::to_string(q.slop);
      break;
    }
    case Kind::kBool: {
      const bool parens = !root || q.boost != 1;
      if (parens) s += "(";
      for (size_t i = 0; i < q.clauses.size(); ++i) {
        if (i) s += " ";
        const auto& [occ, c] = q.clauses[i];
        s += occ == Occ::kMust ? "+" : occ == Occ::kMustNot ? "-" : "";
        s += Render(c);
      }
      if (parens) s += ")";
      break;
    }
  }
  if (q.boost != 1) s += "^" + BoostText(q.boost);
  return s;
}

size_t CountPhrase(const std::vector<std::string>& seq, const std::vector<std::string>& w) {
  size_t n = 0;
  for (size_t p = 0; p + w.size() <= seq.size(); ++p) {
    bool all = true;
    for (size_t i = 0; i < w.size() && all; ++i) all = seq[p + i] == w[i];
    n += all;
  }
  return n;
}

// docs/SCORING.md, distinct terms: some placement with max(rel) - min(rel) <= slop,
// rel = position - offset in the phrase.
bool SloppyMatch(const std::vector<std::string>& seq, const std::vector<std::string>& w,
                 uint32_t slop) {
  std::vector<std::vector<int64_t>> rel(w.size());
  for (size_t p = 0; p < seq.size(); ++p)
    for (size_t i = 0; i < w.size(); ++i)
      if (seq[p] == w[i]) rel[i].push_back(int64_t(p) - int64_t(i));
  for (const auto& r : rel)
    if (r.empty()) return false;
  for (const auto& r : rel)
    for (int64_t m : r) {  // window [m, m + slop]
      bool all = true;
      for (const auto& r2 : rel) {
        auto it = std::lower_bound(r2.begin(), r2.end(), m);
        all &= it != r2.end() && *it <= m + int64_t(slop);
      }
      if (all) return true;
    }
  return false;
}

struct Eval {
  bool matched = false;
  double score = 0;
};

// `outer`: the product of the enclosing queries' boosts (a model receives the leaf's whole boost;
// BM25 is linear in it, so the BM25 reference multiplies sums instead).
Eval Evaluate(const Collection& c, const Q& q, size_t d, bool default_and, double outer = 1) {
  Eval r;
  const bool by_model = c.model != nullptr;
  if (q.kind == Kind::kBool) {
    bool has_req = false, req_ok = true, any_opt = false, excluded = false;
    double sum = 0;
    for (const auto& [occ0, child] : q.clauses) {
      const Occ occ = default_and && occ0 == Occ::kShould ? Occ::kMust : occ0;
      Eval e = Evaluate(c, child, d, default_and, outer * q.boost);
      if (occ == Occ::kMust) {
        has_req = true;
        req_ok &= e.matched;
      } else if (occ == Occ::kShould) {
        any_opt |= e.matched;
      } else {
        excluded |= e.matched;
      }
      if (occ != Occ::kMustNot && e.matched) sum += e.score;
    }
    r.matched = (has_req ? req_ok : any_opt) && !excluded;
    r.score = r.matched ? (by_model ? sum : q.boost * sum) : 0;
    return r;
  }
  std::vector<std::string> fields = q.field.empty() ? c.default_fields : std::vector{q.field};
  for (const std::string& f : fields) {
    auto it = c.docs[d].tokens.find(f);
    if (it == c.docs[d].tokens.end() || it->second.empty()) continue;
    const auto& seq = it->second;
    const double boost = (by_model ? outer : 1.0) * q.boost * c.Weight(f);
    if (auto group = c.synonyms.find(q.words[0]);
        q.kind == Kind::kTerm && group != c.synonyms.end()) {
      const FieldRef& fr = c.fields.at(f);
      double tf = 0;
      uint64_t df = 0, ttf = 0;
      for (const std::string& w : group->second) {
        tf += double(std::count(seq.begin(), seq.end(), w));
        if (auto it = fr.df.find(w); it != fr.df.end()) df = std::max(df, it->second);
        if (auto it = fr.ttf.find(w); it != fr.ttf.end()) ttf += it->second;
      }
      if (tf == 0) continue;
      r.matched = true;
      r.score += by_model ? c.SynonymModelScore(f, d, df, ttf, tf, boost)
                          : c.Bm25(f, d, tf, c.IdfOfDf(f, double(df)), boost);
    } else if (q.kind == Kind::kTerm) {
      const double tf = double(std::count(seq.begin(), seq.end(), q.words[0]));
      if (tf == 0) continue;
      r.matched = true;
      r.score += by_model ? c.ModelScore(f, d, q.words, tf, boost)
                          : c.Bm25(f, d, tf, c.Idf(f, q.words[0]), boost);
    } else if (q.kind == Kind::kPrefix) {
      const std::string& p = q.words[0];
      if (std::none_of(seq.begin(), seq.end(),
                       [&](const std::string& t) { return t.compare(0, p.size(), p) == 0; }))
        continue;
      r.matched = true;
      r.score += boost;  // constant score
    } else if (q.slop == 0) {
      const double tf = double(CountPhrase(seq, q.words));
      if (tf == 0) continue;
      double idf = 0;
      for (const auto& w : q.words) idf += c.Idf(f, w);
      r.matched = true;
      r.score += by_model ? c.ModelScore(f, d, q.words, tf, boost) : c.Bm25(f, d, tf, idf, boost);
    } else if (SloppyMatch(seq, q.words, q.slop)) {
      r.matched = true;  // score not modelled: hit sets only
    }
  }
  return r;
}

struct RefHit {
  uint64_t doc;
  double score;
};

std::vector<RefHit> Reference(const Collection& c, const Q& q, bool default_and) {
  std::vector<RefHit> hits;
  for (size_t d = 0; d < c.docs.size(); ++d) {
    if (!c.docs[d].live) continue;
    Eval e = Evaluate(c, q, d, default_and);
    if (e.matched) hits.push_back({d, e.score});
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const RefHit& a, const RefHit& b) { return a.score > b.score; });
  return hits;
}

bool Close(double a, double b) { return std::abs(a - b) <= 1e-5 * std::max(std::abs(b), 1e-1); }

// ------------------------------------------------------------------ random indexes

const std::vector<std::string>& Vocab() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> out;
    for (int i = 0; i < 60; ++i) out.push_back("w" + std::to_string(i));
    return out;
  }();
  return v;
}

std::string ZipfWord(std::mt19937& rng) {
  double u = std::uniform_real_distribution<double>(0, 1)(rng);
  size_t k = static_cast<size_t>(std::pow(u, 2.5) * Vocab().size());
  return Vocab()[std::min(k, Vocab().size() - 1)];
}

std::string RandomText(std::mt19937& rng, int words) {
  std::string s;
  for (int i = 0; i < words; ++i) s += (i ? " " : "") + ZipfWord(rng);
  return s;
}

Document RandomDoc(std::mt19937& rng, const std::string& id, int nfields) {
  Document d;
  d.id = id;
  if (nfields == 2) {
    int tw = std::uniform_int_distribution<int>(0, 5)(rng);
    if (tw > 0) d.fields.push_back({"title", RandomText(rng, tw)});
  }
  int bw = std::uniform_int_distribution<int>(0, 40)(rng);
  if (rng() % 10 == 0) bw = 0;  // an empty value: no tokens, not counted in N
  d.fields.push_back({"text", RandomText(rng, bw)});
  if (rng() % 4 == 0) d.fields.push_back({"text", RandomText(rng, 4)});  // multi-valued
  return d;
}

struct Config {
  int nfields;
  int threads;
  size_t force_merge;  // 0 = none
  uint32_t seed;
};

class SearchProperty : public ::testing::TestWithParam<Config> {};

std::string RandomWord(std::mt19937& rng) {
  return rng() % 25 == 0 ? std::string("nope") : ZipfWord(rng);
}

std::string RandomField(std::mt19937& rng, const Collection& c) {
  if (c.default_fields.size() < 2 || rng() % 3 != 0) return "";
  return c.default_fields[rng() % c.default_fields.size()];
}

double RandomBoost(std::mt19937& rng) {
  static const double kBoosts[] = {0.5, 1.5, 2, 3};
  return rng() % 5 == 0 ? kBoosts[rng() % 4] : 1.0;
}

// Consecutive words of some live doc (present), or random words (mostly absent).
std::vector<std::string> RandomPhraseWords(std::mt19937& rng, const Collection& c) {
  const size_t n = 2 + rng() % 2;
  std::vector<std::string> w;
  if (rng() % 2 == 0) {
    const PhysDoc& d = c.docs[rng() % c.docs.size()];
    for (const auto& [f, seq] : d.tokens)
      if (seq.size() >= n) {
        size_t p = rng() % (seq.size() - n + 1);
        w.assign(seq.begin() + p, seq.begin() + p + n);
        break;
      }
  }
  while (w.size() < n) w.push_back(ZipfWord(rng));
  return w;
}

Q RandomLeaf(std::mt19937& rng, const Collection& c) {
  Q q;
  q.field = RandomField(rng, c);
  q.boost = RandomBoost(rng);
  int r = rng() % 10;
  if (r < 6) {
    q.kind = Kind::kTerm;
    q.words = {RandomWord(rng)};
  } else if (r < 8) {
    q.kind = Kind::kPhrase;
    q.words = RandomPhraseWords(rng, c);
  } else {
    q.kind = Kind::kPrefix;
    static const char* kPrefixes[] = {"w1", "w5", "w2", "w59", "no", "w"};
    q.words = {kPrefixes[rng() % 6]};
  }
  return q;
}

Q RandomBool(std::mt19937& rng, const Collection& c, int depth) {
  Q q;
  q.kind = Kind::kBool;
  const int n = 2 + rng() % 4;
  for (int i = 0; i < n; ++i) {
    int r = rng() % 10;
    Occ occ = r < 3 ? Occ::kMust : r < 8 ? Occ::kShould : Occ::kMustNot;
    q.clauses.emplace_back(
        occ, depth > 0 && rng() % 4 == 0 ? RandomBool(rng, c, depth - 1) : RandomLeaf(rng, c));
  }
  if (rng() % 6 == 0) q.boost = RandomBoost(rng);
  return q;
}

Q Terms(std::mt19937& rng, int n, Occ occ) {
  Q q;
  q.kind = Kind::kBool;
  for (int i = 0; i < n; ++i) {
    Q t;
    t.words = {RandomWord(rng)};
    q.clauses.emplace_back(occ, t);
  }
  return q;
}

// A query of the kind `i` selects, and whether it runs with default AND.
std::pair<Q, bool> RandomQuery(std::mt19937& rng, const Collection& c, int i) {
  switch (i % 9) {
    case 0: {  // single term
      Q q;
      q.words = {RandomWord(rng)};
      return {q, false};
    }
    case 1:  // OR of 2-5 terms
      return {Terms(rng, 2 + rng() % 4, Occ::kShould), false};
    case 2:  // +a +b
      return {Terms(rng, 2 + rng() % 2, Occ::kMust), false};
    case 3:  // a b with --and
      return {Terms(rng, 2 + rng() % 2, Occ::kShould), true};
    case 4: {  // +a b -c
      Q q = Terms(rng, 3, Occ::kShould);
      q.clauses[0].first = Occ::kMust;
      q.clauses[2].first = Occ::kMustNot;
      return {q, false};
    }
    case 5:  // nested booleans, any leaves
      return {RandomBool(rng, c, 2), rng() % 4 == 0};
    case 6: {  // a phrase, exact
      Q q;
      q.kind = Kind::kPhrase;
      q.field = RandomField(rng, c);
      q.words = RandomPhraseWords(rng, c);
      q.boost = RandomBoost(rng);
      return {q, false};
    }
    case 7:  // a leaf: field-qualified, prefix, boosted
      return {RandomLeaf(rng, c), false};
    default: {  // flat terms, some field-qualified and boosted
      Q q = Terms(rng, 2 + rng() % 3, Occ::kShould);
      for (auto& [occ, t] : q.clauses) {
        t.field = RandomField(rng, c);
        t.boost = RandomBoost(rng);
        if (rng() % 4 == 0) occ = Occ::kMust;
      }
      return {q, false};
    }
  }
}

Collection BuildRandomIndex(const Config& cfg, index::Directory* dir,
                            std::shared_ptr<IndexReader>* reader_out) {
  std::mt19937 rng(cfg.seed);
  IndexWriterOptions o;
  o.analyzer.language = "none";
  o.threads = cfg.threads;
  o.ram_budget_mb = 1;
  o.auto_merge = false;
  auto w = index::OpenIndexWriter(dir, o);
  EXPECT_TRUE(w.ok()) << w.status();
  std::map<std::string, Document> model;
  for (int session = 0; session < 4; ++session) {
    for (int i = 0; i < 90; ++i) {
      std::string id = "d" + std::to_string(rng() % 260);  // repeats: updates
      Document d = RandomDoc(rng, id, cfg.nfields);
      model[id] = d;
      EXPECT_TRUE((*w)->AddDocument(d).ok());
    }
    for (int i = 0; i < 12; ++i) {
      std::string id = "d" + std::to_string(rng() % 300);  // some never existed
      model.erase(id);
      EXPECT_TRUE((*w)->DeleteDocument(id).ok());
    }
    EXPECT_TRUE((*w)->Commit().ok());
  }
  if (cfg.force_merge) {
    EXPECT_TRUE((*w)->ForceMerge(cfg.force_merge).ok());
  }
  w->reset();
  auto r = index::OpenIndexReader(dir, {});
  EXPECT_TRUE(r.ok()) << r.status();
  *reader_out = *r;
  EXPECT_EQ((*r)->num_docs(), model.size());
  Collection c = LoadCollection(**r);
  // The live docs read back are the model (so the reference collection is the right one).
  size_t live = 0;
  for (const PhysDoc& d : c.docs) {
    if (!d.live) continue;
    ++live;
    EXPECT_TRUE(model.count(d.id)) << d.id;
  }
  EXPECT_EQ(live, model.size());
  return c;
}

TEST_P(SearchProperty, TopKAndCountEqualBruteForce) {
  const Config cfg = GetParam();
  auto dir = index::NewMemDirectory();
  std::shared_ptr<IndexReader> reader;
  Collection c = BuildRandomIndex(cfg, dir.get(), &reader);
  ASSERT_NE(reader, nullptr);
  if (cfg.force_merge == 0) {
    EXPECT_GT(reader->num_segments(), 1u);
    EXPECT_GT(reader->num_deleted(), 0u);
  }
  auto searcher = Searcher::Create(reader);
  ASSERT_TRUE(searcher.ok());
  std::mt19937 rng(cfg.seed * 7 + 1);
  int nonempty = 0;
  for (int i = 0; i < 270; ++i) {
    auto [q, default_and] = RandomQuery(rng, c, i);
    const std::string text = Render(q, /*root=*/true);
    SearchOptions opts;
    opts.default_and = default_and;
    opts.load_stored = false;
    c.field_weights.clear();
    if (c.default_fields.size() == 2 && i % 5 == 0) {
      opts.ranking.field_weights = {{"title", 2.5f}};
      c.field_weights["title"] = 2.5f;
    }
    const std::vector<RefHit> ref = Reference(c, q, default_and);
    nonempty += !ref.empty();
    // k = 0 counts only (doc ids alone, engine/algorithm/count.h); verify_pruning checks it
    // against the iterator tree's count as well.
    for (size_t k : {0, 1, 5, 10, 1000}) {
      opts.k = k;
      opts.count = k == 0 || k == 5 || k == 1000;
      opts.verify_pruning = k == 0;
      auto res = (*searcher)->Search(text, opts);
      ASSERT_TRUE(res.ok()) << text << ": " << res.status();
      const std::string ctx = "query " + text + (default_and ? " (and)" : "") +
                              " k=" + std::to_string(k) + " parsed " + res->parsed_query;
      if (opts.count) {
        EXPECT_EQ(res->total_hits, ref.size()) << ctx;
      }
      EXPECT_EQ(res->pruning_differences, "") << ctx;
      ASSERT_EQ(res->hits.size(), std::min(k, ref.size())) << ctx;
      std::map<uint64_t, double> ref_score;
      for (const RefHit& h : ref) ref_score[h.doc] = h.score;
      for (size_t j = 0; j < res->hits.size(); ++j) {
        const Hit& h = res->hits[j];
        ASSERT_TRUE(ref_score.count(h.doc)) << ctx << ": doc " << h.doc << " should not match";
        EXPECT_TRUE(c.docs[h.doc].live) << ctx;
        EXPECT_EQ(h.id, c.docs[h.doc].id) << ctx;
        EXPECT_TRUE(Close(h.score, ref_score[h.doc]))
            << ctx << ": doc " << h.id << " score " << h.score << " want " << ref_score[h.doc];
        // Rank j holds the reference's rank-j doc, or one scoring the same (a near-tie that
        // float summation order may flip).
        if (h.doc != ref[j].doc) {
          EXPECT_TRUE(Close(ref_score[h.doc], ref[j].score))
              << ctx << ": rank " << j << " got " << h.id << " (" << h.score << ") want "
              << c.docs[ref[j].doc].id << " (" << ref[j].score << ")";
        }
        // Equal scores: smaller internal id first.
        if (j > 0 && res->hits[j - 1].score == h.score) {
          EXPECT_LT(res->hits[j - 1].doc, h.doc) << ctx;
        }
      }
    }
  }
  EXPECT_GT(nonempty, 150);  // the generator must produce mostly matching queries
}

// Sloppy phrases: hit sets against the naive "some placement within slop" scan; slop 0 hit
// sets equal the exact scan.
TEST_P(SearchProperty, SloppyPhraseHitSets) {
  const Config cfg = GetParam();
  auto dir = index::NewMemDirectory();
  std::shared_ptr<IndexReader> reader;
  Collection c = BuildRandomIndex(cfg, dir.get(), &reader);
  ASSERT_NE(reader, nullptr);
  auto searcher = Searcher::Create(reader);
  ASSERT_TRUE(searcher.ok());
  std::mt19937 rng(cfg.seed * 13 + 5);
  int nonempty = 0;
  for (int i = 0; i < 120; ++i) {
    Q q;
    q.kind = Kind::kPhrase;
    q.field = RandomField(rng, c);
    // Distinct terms (the scan's definition covers those).
    do {
      q.words = RandomPhraseWords(rng, c);
    } while (std::set<std::string>(q.words.begin(), q.words.end()).size() != q.words.size());
    q.slop = i % 6 == 0 ? 0 : 1 + rng() % 5;
    const std::string text = Render(q, true);
    std::set<uint64_t> want;
    for (const RefHit& h : Reference(c, q, false)) want.insert(h.doc);
    nonempty += !want.empty();
    SearchOptions opts;
    opts.k = 100000;
    opts.count = true;
    opts.load_stored = false;
    auto res = (*searcher)->Search(text, opts);
    ASSERT_TRUE(res.ok()) << text << ": " << res.status();
    std::set<uint64_t> got;
    for (const Hit& h : res->hits) got.insert(h.doc);
    EXPECT_EQ(got, want) << text;
    EXPECT_EQ(res->total_hits, want.size()) << text;
  }
  EXPECT_GT(nonempty, 40);
}

// A random model that honours the contract: boost x a per-term weight x a non-decreasing step
// function of the frequency x a non-increasing function of the norm, both random tables.
class RandomTableModel : public Similarity {
 public:
  explicit RandomTableModel(uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    float acc = 0.1f;
    for (float& v : tf_) v = acc += u(rng);
    acc = 0.05f;
    for (int i = 255; i >= 0; --i) len_[i] = acc += rng() % 3 == 0 ? u(rng) : 0.0f;
  }
  std::string Name() const override { return "random-table"; }
  std::unique_ptr<SimScorer> Prepare(const FieldStatistics&, std::span<const TermStatistics> terms,
                                     float boost) const override {
    float w = 0;
    for (const TermStatistics& t : terms) w += 1.0f / (1.0f + static_cast<float>(t.doc_freq));
    return std::make_unique<S>(this, boost * w);
  }

 private:
  class S : public SimScorer {
   public:
    S(const RandomTableModel* m, float w) : m_(m), w_(w) {}
    float Score(float freq, float length) const override {
      // freq in [0.25, FLT_MAX]: log2(4 freq) in [0, 130] (+inf at FLT_MAX), cut to 11 first.
      const int bucket = static_cast<int>(std::clamp(std::log2(freq * 4.0f), 0.0f, 11.0f));
      const uint8_t norm = index::LengthToNorm(static_cast<uint32_t>(length));
      return w_ * m_->tf_[bucket] * m_->len_[norm];
    }

   private:
    const RandomTableModel* m_;
    float w_;
  };
  std::array<float, 12> tf_;
  std::array<float, 256> len_;
};

// tf-idf (the custom_scorer example's kind of model): sqrt(tf) x idf / sqrt(length).
class TfIdfModel : public Similarity {
 public:
  std::string Name() const override { return "tfidf"; }
  std::unique_ptr<SimScorer> Prepare(const FieldStatistics& f,
                                     std::span<const TermStatistics> terms,
                                     float boost) const override {
    float idf = 0;
    for (const TermStatistics& t : terms)
      idf += 1.0f + static_cast<float>(std::log((f.docs_with_field + 1.0) / (t.doc_freq + 1.0)));
    return std::make_unique<S>(boost * idf);
  }

 private:
  class S : public SimScorer {
   public:
    explicit S(float w) : w_(w) {}
    float Score(float freq, float length) const override {
      return w_ * std::sqrt(freq) / std::sqrt(std::max(length, 1.0f));
    }

   private:
    float w_;
  };
};

// Every built-in model and two user models through the Searcher: pruned top-k and counts equal
// the model's brute-force scores for every query kind, and --verify-pruning finds nothing.
TEST_P(SearchProperty, ModelsTopKAndCountEqualBruteForce) {
  const Config cfg = GetParam();
  auto dir = index::NewMemDirectory();
  std::shared_ptr<IndexReader> reader;
  Collection c = BuildRandomIndex(cfg, dir.get(), &reader);
  ASSERT_NE(reader, nullptr);
  auto searcher = Searcher::Create(reader);
  ASSERT_TRUE(searcher.ok());
  std::vector<std::shared_ptr<const Similarity>> models;
  for (const char* name :
       {"bm25", "bm25-robertson", "bm25+", "bm25l", "qld", "dfr-inb2", "dfr-inexpb2", "dfr-inl2"}) {
    BuiltinModelOptions o;
    o.name = name;
    if (std::string(name) == "qld") o.mu = 50;  // short documents: a mu that lets scores exceed 0
    auto m = BuiltinSimilarity(o);
    ASSERT_TRUE(m.ok()) << m.status();
    models.push_back(*m);
  }
  models.push_back(std::make_shared<RandomTableModel>(cfg.seed));
  models.push_back(std::make_shared<TfIdfModel>());
  std::mt19937 rng(cfg.seed * 13 + 5);
  for (const auto& model : models) {
    c.model = model;
    int nonempty = 0;
    for (int i = 0; i < 45; ++i) {
      auto [q, default_and] = RandomQuery(rng, c, i);
      const std::string text = Render(q, /*root=*/true);
      SearchOptions opts;
      opts.default_and = default_and;
      opts.load_stored = false;
      opts.ranking.similarity = model;
      opts.verify_pruning = true;
      c.field_weights.clear();
      if (c.default_fields.size() == 2 && i % 5 == 0) {
        opts.ranking.field_weights = {{"title", 2.5f}};
        c.field_weights["title"] = 2.5f;
      }
      const std::vector<RefHit> ref = Reference(c, q, default_and);
      nonempty += !ref.empty();
      std::map<uint64_t, double> ref_score;
      for (const RefHit& h : ref) ref_score[h.doc] = h.score;
      for (size_t k : {0, 1, 10, 1000}) {  // k = 0: the count alone
        opts.k = k;
        opts.count = k != 10;
        auto res = (*searcher)->Search(text, opts);
        ASSERT_TRUE(res.ok()) << text << ": " << res.status();
        const std::string ctx = model->Name() + ": query " + text + (default_and ? " (and)" : "") +
                                " k=" + std::to_string(k);
        EXPECT_EQ(res->pruning_differences, "") << ctx;
        if (opts.count) {
          EXPECT_EQ(res->total_hits, ref.size()) << ctx;
        }
        ASSERT_EQ(res->hits.size(), std::min(k, ref.size())) << ctx;
        for (size_t j = 0; j < res->hits.size(); ++j) {
          const Hit& h = res->hits[j];
          ASSERT_TRUE(ref_score.count(h.doc)) << ctx << ": doc " << h.doc << " should not match";
          if (q.kind == Kind::kPhrase && q.slop > 0) continue;  // sloppy scores not modelled
          EXPECT_TRUE(Close(h.score, ref_score[h.doc]))
              << ctx << ": doc " << h.id << " score " << h.score << " want " << ref_score[h.doc];
          if (h.doc != ref[j].doc) {
            EXPECT_TRUE(Close(ref_score[h.doc], ref[j].score))
                << ctx << ": rank " << j << " got " << h.id << " (" << h.score << ") want "
                << c.docs[ref[j].doc].id << " (" << ref[j].score << ")";
          }
        }
      }
    }
    EXPECT_GT(nonempty, 15) << model->Name();
    // Sloppy phrases (unbounded frequency: bounded by the model at FLT_MAX): pruned == exhaustive.
    for (int i = 0; i < 12; ++i) {
      Q q;
      q.kind = Kind::kPhrase;
      q.words = RandomPhraseWords(rng, c);
      q.slop = 1 + rng() % 4;
      SearchOptions opts;
      opts.load_stored = false;
      opts.ranking.similarity = model;
      opts.verify_pruning = true;
      opts.k = 1 + rng() % 3;
      auto res = (*searcher)->Search(Render(q, true), opts);
      ASSERT_TRUE(res.ok()) << res.status();
      EXPECT_EQ(res->pruning_differences, "") << model->Name() << ": " << Render(q, true);
    }
  }
}

bool HasPhrase(const Q& q) {
  if (q.kind == Kind::kPhrase) return true;
  for (const auto& [occ, c] : q.clauses)
    if (HasPhrase(c)) return true;
  return false;
}

// Synonym queries (issue 20): random queries of every kind with a synonym set over frequent and
// rare words, under BM25 and two user models (a random monotone table; tf-idf, whose bound never
// saturates, so summed frequencies matter). Pruned top-k and counts must equal the exhaustive run
// bit for bit (--verify-pruning), and the brute force that scores a synonym as one term (phrases
// with a synonym become variants: those are checked by the pruning comparison only).
TEST_P(SearchProperty, SynonymQueriesPruneExactly) {
  const Config cfg = GetParam();
  auto dir = index::NewMemDirectory();
  std::shared_ptr<IndexReader> reader;
  Collection c = BuildRandomIndex(cfg, dir.get(), &reader);
  ASSERT_NE(reader, nullptr);
  auto searcher = Searcher::Create(reader);
  ASSERT_TRUE(searcher.ok());
  const std::vector<std::vector<std::string>> groups = {
      {"w0", "w9"}, {"w2", "w5", "w33"}, {"w14", "w41", "nope"}, {"w1", "w3"}};
  std::string text_set;
  for (const auto& g : groups) {
    for (size_t i = 0; i < g.size(); ++i) text_set += (i ? ", " : "") + g[i];
    text_set += "\n";
    for (const std::string& w : g) c.synonyms[w] = g;
  }
  auto set = SynonymSet::Parse(text_set, reader->analyzer_options(), "groups.txt");
  ASSERT_TRUE(set.ok()) << set.status();
  std::mt19937 rng(cfg.seed * 17 + 3);
  const std::vector<std::shared_ptr<const Similarity>> models = {
      nullptr, std::make_shared<RandomTableModel>(cfg.seed), std::make_shared<TfIdfModel>()};
  int expanded = 0, checked = 0;
  for (const auto& model : models) {
    c.model = model;
    for (int i = 0; i < 60; ++i) {
      auto [q, default_and] = RandomQuery(rng, c, i);
      const std::string text = Render(q, /*root=*/true);
      SearchOptions opts;
      opts.default_and = default_and;
      opts.load_stored = false;
      opts.synonyms = *set;
      opts.verify_pruning = true;
      if (model) opts.ranking.similarity = model;
      c.field_weights.clear();
      if (c.default_fields.size() == 2 && i % 5 == 0) {
        opts.ranking.field_weights = {{"title", 2.5f}};
        c.field_weights["title"] = 2.5f;
      }
      const bool modelled = !HasPhrase(q);
      const std::vector<RefHit> ref =
          modelled ? Reference(c, q, default_and) : std::vector<RefHit>{};
      std::map<uint64_t, double> ref_score;
      for (const RefHit& h : ref) ref_score[h.doc] = h.score;
      for (size_t k : {0, 1, 10, 1000}) {  // k = 0: the count alone
        opts.k = k;
        opts.count = k != 10;
        auto res = (*searcher)->Search(text, opts);
        ASSERT_TRUE(res.ok()) << text << ": " << res.status();
        const std::string ctx = (model ? model->Name() : "bm25") + ": query " + text +
                                (default_and ? " (and)" : "") + " k=" + std::to_string(k) +
                                " parsed " + res->parsed_query;
        EXPECT_EQ(res->pruning_differences, "") << ctx;
        if (k == 1) expanded += res->parsed_query.find("Synonym(") != std::string::npos;
        if (!modelled) continue;
        checked += k == 1;
        if (opts.count) {
          EXPECT_EQ(res->total_hits, ref.size()) << ctx;
        }
        ASSERT_EQ(res->hits.size(), std::min(k, ref.size())) << ctx;
        for (size_t j = 0; j < res->hits.size(); ++j) {
          const Hit& h = res->hits[j];
          ASSERT_TRUE(ref_score.count(h.doc)) << ctx << ": doc " << h.doc << " should not match";
          EXPECT_TRUE(Close(h.score, ref_score[h.doc]))
              << ctx << ": doc " << h.id << " score " << h.score << " want " << ref_score[h.doc];
          if (h.doc != ref[j].doc) {
            EXPECT_TRUE(Close(ref_score[h.doc], ref[j].score))
                << ctx << ": rank " << j << " got " << h.id << " (" << h.score << ") want "
                << c.docs[ref[j].doc].id << " (" << ref[j].score << ")";
          }
        }
      }
    }
  }
  // The generator must exercise synonyms, and mostly in queries the brute force models.
  EXPECT_GT(expanded, 60);
  EXPECT_GT(checked, 120);
}

// IndexReader::ExternalId (the id table made from the _id terms) against the stored id, for
// every internal doc, deleted and replaced ones included; then from several threads at once on
// a fresh snapshot (the table is made by whichever thread comes first).
TEST_P(SearchProperty, ExternalIdEqualsStoredId) {
  const Config cfg = GetParam();
  auto dir = index::NewMemDirectory();
  std::shared_ptr<IndexReader> reader;
  Collection c = BuildRandomIndex(cfg, dir.get(), &reader);
  ASSERT_NE(reader, nullptr);
  for (uint64_t d = 0; d < reader->max_doc(); ++d) {
    auto id = reader->ExternalId(d);
    ASSERT_TRUE(id.ok()) << id.status();
    EXPECT_EQ(*id, c.docs[d].id) << d;
  }
  EXPECT_TRUE(absl::IsOutOfRange(reader->ExternalId(reader->max_doc()).status()));
  auto fresh = index::OpenIndexReader(dir.get(), {});
  ASSERT_TRUE(fresh.ok());
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (uint64_t d = t; d < (*fresh)->max_doc(); d += 3) {
        auto id = (*fresh)->ExternalId(d);
        if (!id.ok() || *id != c.docs[d].id) ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

// SearchBatch gives every query exactly what Search gives it (same docs, bit-identical scores,
// counts), on 1-3 threads, and keeps a failing query's error in its slot without disturbing
// the others.
TEST_P(SearchProperty, BatchEqualsOneByOne) {
  const Config cfg = GetParam();
  auto dir = index::NewMemDirectory();
  std::shared_ptr<IndexReader> reader;
  Collection c = BuildRandomIndex(cfg, dir.get(), &reader);
  ASSERT_NE(reader, nullptr);
  auto searcher = Searcher::Create(reader);
  ASSERT_TRUE(searcher.ok());
  std::mt19937 rng(cfg.seed * 31 + 3);
  for (bool default_and : {false, true}) {
    std::vector<std::string> queries;
    for (int i = 0; i < 90; ++i) {
      if (i % 17 == 5) {
        queries.push_back(i % 2 ? "(unclosed" : "nosuchfield:x");  // errors
      } else {
        queries.push_back(Render(RandomQuery(rng, c, i).first, /*root=*/true));
      }
    }
    SearchOptions opts;
    opts.default_and = default_and;
    opts.k = default_and ? 7 : 40;
    opts.count = default_and;
    for (int threads : {1, 2, 3}) {
      BatchResults b = (*searcher)->SearchBatch(queries, opts, threads);
      ASSERT_EQ(b.offsets.size(), queries.size() + 1);
      ASSERT_EQ(b.errors.size(), queries.size());
      ASSERT_EQ(b.total_hits.size(), queries.size());
      ASSERT_EQ(b.docs.size(), b.offsets.back());
      ASSERT_EQ(b.scores.size(), b.offsets.back());
      EXPECT_TRUE(b.pruning_differences.empty());  // not asked for
      for (size_t i = 0; i < queries.size(); ++i) {
        auto one = (*searcher)->Search(queries[i], opts);
        const std::string ctx = queries[i] + " threads=" + std::to_string(threads);
        ASSERT_EQ(b.errors[i].ok(), one.ok()) << ctx << ": " << b.errors[i];
        if (!one.ok()) {
          EXPECT_EQ(b.errors[i], one.status()) << ctx;
          EXPECT_EQ(b.offsets[i], b.offsets[i + 1]) << ctx;
          continue;
        }
        ASSERT_EQ(b.offsets[i + 1] - b.offsets[i], one->hits.size()) << ctx;
        EXPECT_EQ(b.total_hits[i], one->total_hits) << ctx;
        for (size_t j = 0; j < one->hits.size(); ++j) {
          EXPECT_EQ(b.docs[b.offsets[i] + j], one->hits[j].doc) << ctx;
          EXPECT_EQ(b.scores[b.offsets[i] + j], one->hits[j].score) << ctx;  // bit for bit
        }
      }
    }
  }
  BatchResults none = (*searcher)->SearchBatch({}, {}, 2);
  EXPECT_EQ(none.offsets, std::vector<size_t>{0});
  EXPECT_TRUE(none.errors.empty());
}

// A model that breaks the contract only under statistics CheckSimilarity's grid does not hold (a
// field of exactly 400 documents), so it is installed: its bounds at a block's largest frequency
// miss the spike at tf 7, and pruning skips the best document. --verify-pruning must say so, in
// Search and in SearchBatch alike.
class DipModel : public Similarity {
 public:
  std::string Name() const override { return "dip-at-7"; }
  std::unique_ptr<SimScorer> Prepare(const FieldStatistics& field, std::span<const TermStatistics>,
                                     float boost) const override {
    return std::make_unique<S>(boost, field.docs_with_field == 400);
  }

 private:
  class S : public SimScorer {
   public:
    S(float w, bool dip) : w_(w), dip_(dip) {}
    float Score(float freq, float) const override {
      return w_ * (dip_ && freq == 7.0f ? 100.0f : freq / (freq + 1.0f));
    }

   private:
    float w_;
    bool dip_;
  };
};

TEST(VerifyPruning, SearchAndSearchBatchReportABrokenModel) {
  auto dir = index::NewMemDirectory();
  IndexWriterOptions o;
  o.analyzer.language = "none";
  o.threads = 1;
  auto w = index::OpenIndexWriter(dir.get(), o);
  ASSERT_TRUE(w.ok());
  auto repeat = [](int n) {
    std::string t;
    for (int i = 0; i < n; ++i) t += "x ";
    return t + "y";
  };
  // Docs 0-127 have tf 9; the rest tf 8 but doc 200, whose tf 7 scores 100 under the model. Doc
  // 200 is as long as its block's others (an extra "y"), so no block bound, the impact pairs'
  // included, lists its tf 7 apart from tf 8.
  for (int d = 0; d < 400; ++d)
    ASSERT_TRUE(
        (*w)->AddDocument({std::to_string(d),
                           {{"text", d == 200 ? repeat(7) + " y" : repeat(d < 128 ? 9 : 8)}}})
            .ok());
  ASSERT_TRUE((*w)->Commit().ok());
  auto r = index::OpenIndexReader(dir.get(), {});
  ASSERT_TRUE(r.ok());
  auto searcher = Searcher::Create(*r);
  ASSERT_TRUE(searcher.ok());
  SearchOptions opts;
  opts.k = 1;
  opts.load_stored = false;
  opts.verify_pruning = true;
  opts.ranking.similarity = std::make_shared<DipModel>();
  const std::vector<std::string> queries = {"x", "x y", "nothing"};
  auto one = (*searcher)->Search("x", opts);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_NE(one->pruning_differences, "") << "the dip at tf 7 went unnoticed";
  for (int threads : {1, 2}) {
    BatchResults b = (*searcher)->SearchBatch(queries, opts, threads);
    ASSERT_EQ(b.pruning_differences.size(), queries.size());
    for (size_t i = 0; i < queries.size(); ++i) {
      auto res = (*searcher)->Search(queries[i], opts);
      ASSERT_TRUE(res.ok()) << res.status();
      EXPECT_EQ(b.pruning_differences[i], res->pruning_differences) << queries[i];
    }
    EXPECT_EQ(b.pruning_differences[0], one->pruning_differences);
    EXPECT_EQ(b.pruning_differences[2], "");
  }
  // Without the switch nothing is verified, and the batch carries no differences.
  opts.verify_pruning = false;
  EXPECT_TRUE((*searcher)->SearchBatch(queries, opts, 1).pruning_differences.empty());
}

// query_syntax = false: the analysed words, de-duplicated, OR-ed (AND-ed with default_and);
// query-language characters mean nothing. Against the brute-force reference of that query.
TEST_P(SearchProperty, BagOfWordsIsTheDistinctTermsOrAnded) {
  const Config cfg = GetParam();
  auto dir = index::NewMemDirectory();
  std::shared_ptr<IndexReader> reader;
  Collection c = BuildRandomIndex(cfg, dir.get(), &reader);
  ASSERT_NE(reader, nullptr);
  auto searcher = Searcher::Create(reader);
  ASSERT_TRUE(searcher.ok());
  std::mt19937 rng(cfg.seed * 5 + 9);
  const char* junk[] = {"", "-", "+", "\"", "(", ")", ":", "*", "^", "?", "~"};
  int nonempty = 0;
  for (int i = 0; i < 120; ++i) {
    const bool all = i % 3 == 0;
    std::string text;
    std::vector<std::string> distinct;
    const int n = 1 + rng() % 4;
    for (int w = 0; w < n; ++w) {
      std::string word = RandomWord(rng);
      if (w && rng() % 4 == 0) word = distinct[0];  // a repeat
      if (std::find(distinct.begin(), distinct.end(), word) == distinct.end())
        distinct.push_back(word);
      text += junk[rng() % std::size(junk)] + word + junk[rng() % std::size(junk)] + " ";
    }
    Q q;
    if (distinct.size() == 1) {
      q.words = distinct;
    } else {
      q.kind = Kind::kBool;
      for (const std::string& w : distinct) {
        Q t;
        t.words = {w};
        q.clauses.emplace_back(all ? Occ::kMust : Occ::kShould, t);
      }
    }
    const std::vector<RefHit> ref = Reference(c, q, false);
    nonempty += !ref.empty();
    SearchOptions opts;
    opts.query_syntax = false;
    opts.default_and = all;
    opts.k = 1000;
    opts.count = true;
    opts.load_stored = false;
    auto res = (*searcher)->Search(text, opts);
    ASSERT_TRUE(res.ok()) << text << ": " << res.status();
    EXPECT_EQ(res->total_hits, ref.size()) << text;
    ASSERT_EQ(res->hits.size(), ref.size()) << text;
    std::map<uint64_t, double> ref_score;
    for (const RefHit& h : ref) ref_score[h.doc] = h.score;
    for (const Hit& h : res->hits) {
      ASSERT_TRUE(ref_score.count(h.doc)) << text;
      EXPECT_TRUE(Close(h.score, ref_score[h.doc])) << text;
    }
  }
  EXPECT_GT(nonempty, 60);
  SearchOptions opts;
  opts.query_syntax = false;
  auto empty = (*searcher)->Search("?! -- ()", opts);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->hits.empty());
  EXPECT_FALSE(empty->note.empty());
  auto bad = (*searcher)->Search("ok \xff", opts);
  EXPECT_TRUE(absl::IsInvalidArgument(bad.status())) << bad.status();
}

// Sanitizer builds take the two two-field configurations (threads, merges); the ci build all four.
std::vector<Config> PropertyConfigs() {
  const std::vector<Config> all = {Config{1, 1, 0, 11}, Config{2, 1, 0, 22}, Config{2, 2, 2, 33},
                                   Config{1, 2, 0, 44}};
#ifdef SCOUR_TEST_SANITIZED
  return {all[1], all[2]};
#else
  return all;
#endif
}

INSTANTIATE_TEST_SUITE_P(Indexes, SearchProperty, ::testing::ValuesIn(PropertyConfigs()),
                         [](const ::testing::TestParamInfo<Config>& info) {
                           const Config& c = info.param;
                           return "fields" + std::to_string(c.nfields) + "_threads" +
                                  std::to_string(c.threads) + "_merge" +
                                  std::to_string(c.force_merge) + "_seed" + std::to_string(c.seed);
                         });

// ------------------------------------------------------------------ the home corpus

class HomeCorpus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(::testing::TempDir() + "/scour_search_test_home_" +
                           std::to_string(::getpid()));
    std::filesystem::remove_all(*dir_);
    IndexWriterOptions o;
    o.threads = 1;
    auto w = IndexWriter::Open(*dir_, o);
    ASSERT_TRUE(w.ok()) << w.status();
    auto in = ingest::OpenReader(std::string(SCOUR_SOURCE_DIR) + "/corpus/party_state.jsonl", {});
    ASSERT_TRUE(in.ok()) << in.status();
    Document d;
    for (;;) {
      auto more = (*in)->Next(&d);
      ASSERT_TRUE(more.ok()) << more.status();
      if (!*more) break;
      ASSERT_TRUE((*w)->AddDocument(d).ok());
    }
    ASSERT_TRUE((*w)->Commit().ok());
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string* dir_;
};
std::string* HomeCorpus::dir_ = nullptr;

TEST_F(HomeCorpus, UnitedFrontIsExactlyTheParagraphsWithThePhrase) {
  auto reader = IndexReader::Open(*dir_);
  ASSERT_TRUE(reader.ok()) << reader.status();
  ASSERT_GT((*reader)->num_docs(), 100u);
  Collection c = LoadCollection(**reader);
  Analyzer a = *Analyzer::Create((*reader)->analyzer_options());
  std::vector<Token> qt;
  ASSERT_TRUE(a.Analyze("united front", &qt).ok());
  std::vector<std::string> words;
  for (const Token& t : qt) words.push_back(t.term);
  ASSERT_EQ(words.size(), 2u);
  std::set<std::string> want;
  for (const PhysDoc& d : c.docs)
    for (const auto& [f, seq] : d.tokens)
      if (d.live && CountPhrase(seq, words) > 0) want.insert(d.id);
  ASSERT_GT(want.size(), 0u) << "the home corpus talks about the united front";

  auto searcher = Searcher::Create(*reader);
  ASSERT_TRUE(searcher.ok());
  SearchOptions opts;
  opts.k = 1000;
  opts.count = true;
  auto res = (*searcher)->Search("\"united front\"", opts);
  ASSERT_TRUE(res.ok()) << res.status();
  std::set<std::string> got;
  for (const Hit& h : res->hits) got.insert(h.id);
  EXPECT_EQ(got, want);
  EXPECT_EQ(res->total_hits, want.size());
  // Fewer docs have the phrase than have both words.
  auto both = (*searcher)->Search("+united +front", opts);
  ASSERT_TRUE(both.ok());
  EXPECT_GE(both->total_hits, want.size());
}

// The analyser folds U+2019 (the typographic apostrophe) to ', so "doesn’t" is indexed as
// "doesn't"; a prefix written with either apostrophe must find it. (The parser used to fold
// prefixes with ICU alone, keeping U+2019: "doesn’*" found nothing.)
TEST_F(HomeCorpus, PrefixFoldsApostrophesAsTheAnalyser) {
  auto reader = IndexReader::Open(*dir_);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto searcher = Searcher::Create(*reader);
  ASSERT_TRUE(searcher.ok());
  SearchOptions opts;
  opts.count = true;
  opts.load_stored = true;
  for (const char* q : {"doesn\u2019*", "doesn'*", "DOESN\u2019T*"}) {
    auto res = (*searcher)->Search(q, opts);
    ASSERT_TRUE(res.ok()) << q << ": " << res.status();
    ASSERT_EQ(res->total_hits, 1u) << q << " parsed as " << res->parsed_query;
    const std::string* text = res->hits[0].document.Get("text");
    ASSERT_NE(text, nullptr);
    EXPECT_NE(text->find("doesn\u2019t"), std::string::npos) << q;
  }
}

// ------------------------------------------------------------------ errors, notes, explain

class SmallIndex : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = index::NewMemDirectory();
    IndexWriterOptions o;
    o.analyzer.language = "none";
    o.threads = 1;
    auto w = index::OpenIndexWriter(dir_.get(), o);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(
        (*w)->AddDocument({"a", {{"title", "red fox"}, {"text", "the quick red fox jumps"}}}).ok());
    ASSERT_TRUE(
        (*w)->AddDocument({"b", {{"title", "lazy dog"}, {"text", "over the lazy dog"}}}).ok());
    ASSERT_TRUE((*w)->AddDocument({"c", {{"text", "red dog and a fox"}}}).ok());
    ASSERT_TRUE((*w)->Commit().ok());
    auto r = index::OpenIndexReader(dir_.get(), {});
    ASSERT_TRUE(r.ok());
    auto s = Searcher::Create(*r);
    ASSERT_TRUE(s.ok());
    searcher_ = *std::move(s);
  }
  std::unique_ptr<index::Directory> dir_;
  std::unique_ptr<Searcher> searcher_;
};

TEST_F(SmallIndex, SyntaxErrorIsInvalidArgumentWithColumn) {
  auto r = searcher_->Search("title:(red fox", {});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(r.status())) << r.status();
  EXPECT_NE(r.status().message().find("column"), std::string_view::npos) << r.status();
  EXPECT_NE(r.status().message().find("^"), std::string_view::npos) << r.status();
}

TEST_F(SmallIndex, UnknownFieldIsInvalidArgumentNamingIt) {
  auto r = searcher_->Search("color:red", {});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(r.status())) << r.status();
  EXPECT_NE(r.status().message().find("color"), std::string_view::npos) << r.status();
  SearchOptions o;
  o.default_fields = {"body"};
  auto r2 = searcher_->Search("red", o);
  ASSERT_FALSE(r2.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(r2.status())) << r2.status();
}

TEST_F(SmallIndex, QueryAnalysingToNothingGivesNoHitsAndANote) {
  SearchOptions o;
  o.count = true;
  for (const char* q : {"?!", "", "(  )", "-red"}) {
    auto r = searcher_->Search(q, o);
    ASSERT_TRUE(r.ok()) << q << ": " << r.status();
    EXPECT_TRUE(r->hits.empty()) << q;
    EXPECT_EQ(r->total_hits, 0u) << q;
  }
  auto r = searcher_->Search("?!", o);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->note.empty());
}

TEST_F(SmallIndex, ExplainNamesEveryMatchingTerm) {
  SearchOptions o;
  o.explain = true;
  o.k = 10;
  auto r = searcher_->Search("red dog title:fox", o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->hits.size(), 3u);
  // What each doc contains, by field.
  const std::map<std::string, std::vector<std::string>> want = {
      {"a", {"title:red", "text:red", "title:fox"}},
      {"b", {"title:dog", "text:dog"}},
      {"c", {"text:red", "text:dog"}}};
  const std::map<std::string, std::vector<std::string>> absent = {
      {"a", {"dog"}}, {"b", {"red", "fox"}}, {"c", {"title:"}}};
  for (const Hit& h : r->hits) {
    for (const auto& label : want.at(h.id))
      EXPECT_NE(h.explanation.find(label), std::string::npos) << h.id << ":\n" << h.explanation;
    for (const auto& label : absent.at(h.id))
      EXPECT_EQ(h.explanation.find(label), std::string::npos) << h.id << ":\n" << h.explanation;
    // The explanation's total is the score.
    EXPECT_EQ(h.explanation.find(std::to_string(h.score).substr(0, 6)), 0u) << h.explanation;
  }
}

}  // namespace
}  // namespace scour
