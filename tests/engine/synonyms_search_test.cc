// Query-time synonyms (docs/SYNONYMS.md): the expanded query's shape (groups, phrase
// alternatives, phrase variants with shifted positions, plain-text topics), scores equal to an
// independent brute-force BM25 of the summed frequencies with the pseudo-term's df, exact counts,
// nothing changed without a set or without a match, explanations and snippets of every form.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/segment/norms.h"
#include "index/writer/open_writer.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"
#include "scour/synonyms.h"

namespace scour {
namespace {

std::shared_ptr<const SynonymSet> Set(std::string_view text) {
  auto s = SynonymSet::Parse(text, AnalyzerOptions{}, "test.txt");
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

// An index of `docs` (id = position) in one or more commits, with `synonyms` stored.
struct TestIndex {
  std::unique_ptr<index::Directory> dir = index::NewMemDirectory();
  std::shared_ptr<IndexReader> reader;
  std::unique_ptr<Searcher> searcher;

  TestIndex(const std::vector<std::string>& docs, std::string_view synonyms, size_t per_commit) {
    IndexWriterOptions o;
    o.threads = 1;
    o.auto_merge = false;
    auto w = index::OpenIndexWriter(dir.get(), o);
    EXPECT_TRUE(w.ok());
    for (size_t i = 0; i < docs.size(); ++i) {
      EXPECT_TRUE((*w)->AddDocument({std::to_string(i), {{"text", docs[i]}}}).ok());
      if ((i + 1) % per_commit == 0) {
        EXPECT_TRUE((*w)->Commit().ok());
      }
    }
    if (!synonyms.empty()) {
      EXPECT_TRUE((*w)->SetSynonyms(Set(synonyms)).ok());
    }
    EXPECT_TRUE((*w)->Commit().ok());
    reader = *index::OpenIndexReader(dir.get(), {});
    searcher = *Searcher::Create(reader);
  }
  SearchResults Search(std::string_view q, SearchOptions o = {}) {
    o.load_stored = false;
    auto r = searcher->Search(q, o);
    EXPECT_TRUE(r.ok()) << q << ": " << r.status();
    return r.ok() ? *r : SearchResults{};
  }
  std::string Parsed(std::string_view q, SearchOptions o = {}) { return Search(q, o).parsed_query; }
};

TEST(Synonyms, ExpandedQueryShapes) {
  TestIndex idx({"The Ministry of State Security (MSS) and the CCP."},
                "MSS, Ministry of State Security\nCCP, CPC, Chinese Communist Party\n"
                "Ant Financial => Ant Group\n",
                100);
  // A single-word span: its single-term alternatives one Synonym leaf, the long form a phrase.
  EXPECT_EQ(idx.Parsed("ccp"), "(Synonym(ccp cpc) \"chines communist parti\")");
  EXPECT_EQ(idx.Parsed("mss officials"), "((mss \"ministri of state secur\") offici)");
  // A multi-word span of bare words is one group: its words no longer match on their own.
  EXPECT_EQ(idx.Parsed("ministry of state security"), "(mss \"ministri of state secur\")");
  EXPECT_EQ(idx.Parsed("ant financial"), "\"ant group\"");  // a one-way rewrite replaces
  // The occur of the span's words is the group's.
  EXPECT_EQ(idx.Parsed("+mss -ccp"),
            "(+(mss \"ministri of state secur\") -(Synonym(ccp cpc) \"chines communist parti\"))");
  SearchOptions and_mode;
  and_mode.default_and = true;
  EXPECT_EQ(idx.Parsed("mss officials", and_mode), "(+(mss \"ministri of state secur\") +offici)");
  // Phrases: one variant per alternative, the positions after a span shifted.
  EXPECT_EQ(idx.Parsed("\"mss officials\""), "(\"mss offici\" \"ministri of state secur offici\")");
  EXPECT_EQ(idx.Parsed("\"the ministry of state security said\""),
            "(\"the ministri of state secur said\" \"the mss said\")");
  // A phrase that is exactly a span: its one-term variants are one Synonym leaf.
  EXPECT_EQ(idx.Parsed("\"chinese communist party\""),
            "(Synonym(ccp cpc) \"chines communist parti\")");
  // Fields and prefixes: a field-qualified run expands in its field; prefixes never.
  EXPECT_EQ(idx.Parsed("text:mss"), "(text:mss text:\"ministri of state secur\")");
  EXPECT_EQ(idx.Parsed("mss*"), "mss*");
  // Plain-text topics: spans found before de-duplication (both spans here make one group), the
  // rest as PlainTextQuery has it.
  SearchOptions plain;
  plain.query_syntax = false;
  EXPECT_EQ(idx.Parsed("MSS: the Ministry of State Security, MSS", plain),
            "((mss \"ministri of state secur\") the)");
  // Without synonyms, or with none matching, the query is as parsed.
  SearchOptions off;
  off.use_synonyms = false;
  EXPECT_EQ(idx.Parsed("mss officials", off), "(mss offici)");
  EXPECT_EQ(idx.Search("mss officials", off).synonym_spans, 0u);
  EXPECT_EQ(idx.Search("mss officials").synonym_spans, 1u);
  EXPECT_EQ(idx.Parsed("party officials"), "(parti offici)");
}

TEST(Synonyms, PerQuerySetAndErrors) {
  TestIndex idx({"a b c"}, "", 100);
  EXPECT_EQ(idx.Parsed("ccp"), "ccp");
  SearchOptions o;
  o.synonyms = Set("ccp, cpc\n");
  EXPECT_EQ(idx.Parsed("ccp", o), "Synonym(ccp cpc)");
  // A set made with another analyser is refused.
  AnalyzerOptions none;
  none.language = "none";
  o.synonyms = *SynonymSet::Parse("x, y\n", none, "other.txt");
  auto r = idx.searcher->Search("x", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("other.txt"), std::string::npos);
  // A phrase with too many variants is an error naming it: 7 spans of 2 alternatives = 128.
  o.synonyms = Set("a, b\n");
  r = idx.searcher->Search("\"a a a a a a a\"", o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("more than 64 variants"), std::string::npos) << r.status();
}

// Brute force over random documents: every document's score is, for each query group, BM25 of
// the summed frequency of its alternatives with the pseudo-term's df (the largest), plus the
// other terms' BM25; counts exact; a document using both forms counted once.
TEST(Synonyms, ScoresEqualBruteForce) {
  const std::vector<std::string> vocab = {"aa", "bb", "cc", "dd", "ee", "ff", "gg", "hh"};
  std::mt19937 rng(20);
  std::vector<std::string> docs;
  std::vector<std::map<std::string, int>> tf;
  std::vector<uint32_t> len;
  for (int d = 0; d < 300; ++d) {
    const int n = 1 + static_cast<int>(rng() % 12);
    std::string text;
    std::map<std::string, int> counts;
    for (int i = 0; i < n; ++i) {
      const std::string& w = vocab[std::min<size_t>(rng() % 10, vocab.size() - 1)];
      text += (i ? " " : "") + w;
      ++counts[w];
    }
    docs.push_back(text);
    tf.push_back(counts);
    len.push_back(static_cast<uint32_t>(n));
  }
  TestIndex idx(docs, "aa, cc, ee\n", 70);  // several segments: global statistics
  std::map<std::string, uint64_t> df;
  uint64_t sum_len = 0;
  for (size_t d = 0; d < docs.size(); ++d) {
    sum_len += len[d];
    for (const auto& [w, c] : tf[d]) ++df[w];
  }
  const double n_docs = static_cast<double>(docs.size());
  const double avgdl = static_cast<double>(sum_len) / n_docs;
  auto bm25 = [&](size_t d, double f, double dfreq) {
    const double idf = std::log(1.0 + (n_docs - dfreq + 0.5) / (dfreq + 0.5));
    const double dl = index::NormToLength(index::LengthToNorm(len[d]));
    return idf * f / (f + 0.9 * (0.6 + 0.4 * dl / avgdl));
  };
  const double syn_df = std::max({df["aa"], df["cc"], df["ee"]});
  auto syn_tf = [&](size_t d) {
    double f = 0;
    for (const char* w : {"aa", "cc", "ee"})
      if (auto it = tf[d].find(w); it != tf[d].end()) f += it->second;
    return f;
  };
  auto tf_of = [&](size_t d, const std::string& w) {
    auto it = tf[d].find(w);
    return it == tf[d].end() ? 0.0 : double(it->second);
  };
  struct Case {
    std::string query;
    // The expected score of doc d, or < 0 when it does not match.
    std::function<double(size_t)> score;
  };
  const std::vector<Case> cases = {
      {"cc", [&](size_t d) { return syn_tf(d) > 0 ? bm25(d, syn_tf(d), syn_df) : -1; }},
      {"aa bb",
       [&](size_t d) {
         if (syn_tf(d) == 0 && tf_of(d, "bb") == 0) return -1.0;
         double s = syn_tf(d) > 0 ? bm25(d, syn_tf(d), syn_df) : 0;
         if (tf_of(d, "bb") > 0) s += bm25(d, tf_of(d, "bb"), df["bb"]);
         return s;
       }},
      {"+ee +dd",
       [&](size_t d) {
         if (syn_tf(d) == 0 || tf_of(d, "dd") == 0) return -1.0;
         return bm25(d, syn_tf(d), syn_df) + bm25(d, tf_of(d, "dd"), df["dd"]);
       }},
      {"bb -aa",
       [&](size_t d) {
         if (syn_tf(d) > 0 || tf_of(d, "bb") == 0) return -1.0;
         return bm25(d, tf_of(d, "bb"), df["bb"]);
       }},
  };
  for (const Case& c : cases) {
    for (size_t k : {size_t{5}, size_t{1000}}) {
      SearchOptions o;
      o.k = k;
      o.count = true;
      const SearchResults r = idx.Search(c.query, o);
      std::vector<std::pair<double, size_t>> want;
      for (size_t d = 0; d < docs.size(); ++d)
        if (double s = c.score(d); s >= 0) want.push_back({s, d});
      EXPECT_EQ(r.total_hits, want.size()) << c.query;
      std::sort(want.begin(), want.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      });
      ASSERT_EQ(r.hits.size(), std::min(k, want.size())) << c.query;
      for (size_t i = 0; i < r.hits.size(); ++i) {
        // Ties and float rounding may swap neighbours: compare each hit with its own score.
        const size_t d = std::stoul(r.hits[i].id);
        EXPECT_NEAR(r.hits[i].score, c.score(d), 1e-4) << c.query << " doc " << d;
        EXPECT_NEAR(r.hits[i].score, want[i].first, 1e-4) << c.query << " rank " << i;
      }
    }
  }
}

TEST(Synonyms, PhraseVariantsMatchEveryForm) {
  TestIndex idx({"officers of the ministry of state security met", "the mss officers met",
                 "ministry officers of state security", "mss met officers"},
                "MSS, Ministry of State Security\n", 100);
  SearchOptions o;
  o.k = 10;
  std::set<std::string> ids;
  for (const Hit& h : idx.Search("\"mss officers\"", o).hits) ids.insert(h.id);
  EXPECT_EQ(ids, (std::set<std::string>{"1"}));
  ids.clear();
  for (const Hit& h : idx.Search("\"state security met\"", o).hits) ids.insert(h.id);
  EXPECT_EQ(ids, (std::set<std::string>{"0"}));
  ids.clear();
  for (const Hit& h : idx.Search("\"ministry of state security met\"", o).hits) ids.insert(h.id);
  EXPECT_EQ(ids, (std::set<std::string>{"0", "3"}));  // "mss met" too
}

TEST(Synonyms, ExplainAndSnippetsShowEveryForm) {
  TestIndex idx({"The CPC, the Chinese Communist Party, and the CCP.", "Nothing here."},
                "CCP, CPC, Chinese Communist Party\n", 100);
  SearchOptions o;
  o.explain = true;
  o.snippet_field = "text";
  o.load_stored = true;
  auto r = idx.searcher->Search("ccp", o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->hits.size(), 1u);
  const Hit& h = r->hits[0];
  EXPECT_NE(h.explanation.find("Synonym(text:ccp text:cpc): idf="), std::string::npos)
      << h.explanation;
  EXPECT_NE(h.explanation.find("(pseudo-term df=1 ttf=2) tf=2 (ccp=1 + cpc=1)"), std::string::npos)
      << h.explanation;
  EXPECT_NE(h.explanation.find("text:\"chines communist parti\""), std::string::npos)
      << h.explanation;
  EXPECT_NE(h.snippet.find("[CPC]"), std::string::npos) << h.snippet;
  EXPECT_NE(h.snippet.find("[CCP]"), std::string::npos) << h.snippet;
  EXPECT_NE(h.snippet.find("[Chinese Communist Party]"), std::string::npos) << h.snippet;
}

}  // namespace
}  // namespace scour
