// The public scoring API (scour/similarity.h): user models score through the Searcher exactly as
// their SimScorer says, the contract check rejects models that break it (with what broke), the
// built-ins pass it, and a StatisticsSource replaces the statistics bind scores with.
#include "scour/similarity.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/segment/norms.h"
#include "index/writer/open_writer.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"

namespace scour {
namespace {

// tf-idf: boost * sqrt(tf) * (1 + ln(N / df)) / sqrt(length) (Lucene's ClassicSimilarity shape).
class TfIdfScorer : public SimScorer {
 public:
  explicit TfIdfScorer(float w) : w_(w) {}
  float Score(float freq, float length) const override {
    return w_ * std::sqrt(freq) / std::sqrt(std::max(length, 1.0f));
  }

 private:
  float w_;
};
class TfIdf : public Similarity {
 public:
  std::string Name() const override { return "tfidf"; }
  std::unique_ptr<SimScorer> Prepare(const FieldStatistics& field,
                                     std::span<const TermStatistics> terms,
                                     float boost) const override {
    float idf = 0;
    for (const TermStatistics& t : terms)
      idf += 1.0f +
             static_cast<float>(std::log(static_cast<double>(field.docs_with_field) /
                                         static_cast<double>(std::max<uint64_t>(t.doc_freq, 1))));
    return std::make_unique<TfIdfScorer>(boost * idf);
  }
};

// Breaks the contract: longer documents score higher.
class LongerIsBetter : public Similarity {
  class S : public SimScorer {
   public:
    float Score(float freq, float length) const override { return freq + length; }
  };

 public:
  std::string Name() const override { return "longer-is-better"; }
  std::unique_ptr<SimScorer> Prepare(const FieldStatistics&, std::span<const TermStatistics>,
                                     float) const override {
    return std::make_unique<S>();
  }
};

// Breaks it only at huge frequencies (a saturation that turns back down).
class TurnsDown : public Similarity {
  class S : public SimScorer {
   public:
    float Score(float freq, float) const override { return freq < 1000 ? freq : 1.0f / freq; }
  };

 public:
  std::string Name() const override { return "turns-down"; }
  std::unique_ptr<SimScorer> Prepare(const FieldStatistics&, std::span<const TermStatistics>,
                                     float) const override {
    return std::make_unique<S>();
  }
};

// Breaks it at one integer frequency only (a spike at `at`, below its neighbours' scores).
class SpikeAt : public Similarity {
  class S : public SimScorer {
   public:
    explicit S(float at) : at_(at) {}
    float Score(float freq, float) const override {
      return freq == at_ ? 100.0f : freq / (freq + 1.0f);
    }

   private:
    float at_;
  };

 public:
  explicit SpikeAt(float at) : at_(at) {}
  std::string Name() const override { return "spike"; }
  std::unique_ptr<SimScorer> Prepare(const FieldStatistics&, std::span<const TermStatistics>,
                                     float) const override {
    return std::make_unique<S>(at_);
  }

 private:
  float at_;
};

class NoScorer : public Similarity {
 public:
  std::string Name() const override { return "no-scorer"; }
  std::unique_ptr<SimScorer> Prepare(const FieldStatistics&, std::span<const TermStatistics>,
                                     float) const override {
    return nullptr;
  }
};

// Every statistic scaled: ten times the documents, the term twice as frequent.
class Scaled : public StatisticsSource {
 public:
  absl::StatusOr<FieldStatistics> Field(const FieldStatistics& local) const override {
    FieldStatistics g = local;
    g.docs_with_field *= 10;
    g.sum_total_term_freq *= 10;
    return g;
  }
  absl::StatusOr<TermStatistics> Term(const TermStatistics& local) const override {
    TermStatistics g = local;
    g.doc_freq *= 2;
    g.total_term_freq *= 2;
    return g;
  }
};

class Failing : public StatisticsSource {
 public:
  absl::StatusOr<FieldStatistics> Field(const FieldStatistics& local) const override {
    return local;
  }
  absl::StatusOr<TermStatistics> Term(const TermStatistics&) const override {
    return absl::UnavailableError("shard 3 did not answer");
  }
};

TEST(CheckSimilarity, BuiltinsPass) {
  for (const char* name :
       {"bm25", "bm25-robertson", "bm25+", "bm25l", "qld", "dfr-inb2", "dfr-inexpb2", "dfr-inl2"}) {
    BuiltinModelOptions o;
    o.name = name;
    auto sim = BuiltinSimilarity(o);
    ASSERT_TRUE(sim.ok()) << sim.status();
    EXPECT_TRUE(CheckSimilarity(**sim).ok()) << name << ": " << CheckSimilarity(**sim);
  }
  EXPECT_TRUE(CheckSimilarity(TfIdf()).ok()) << CheckSimilarity(TfIdf());
  BuiltinModelOptions bad;
  bad.name = "bm99";
  EXPECT_TRUE(absl::IsInvalidArgument(BuiltinSimilarity(bad).status()));
}

// Lucene 8.8's formulas written out (SimilarityBase: double, then float): the names pick the
// right basic model and after-effect, and the parameters reach them.
TEST(BuiltinModels, LuceneFormulas) {
  FieldStatistics f;
  f.docs_with_field = 1400;
  f.sum_total_term_freq = 1400 * 91;
  const TermStatistics t{"body", "t", 37, 52};
  const double n = 1400, avg = 91, df = 37, ttf = 52, tokens = 1400 * 91;
  auto log2 = [](double x) { return std::log(x) / std::log(2.0); };
  for (float tf : {1.0f, 3.0f}) {
    for (float len : {12.0f, 91.0f, 400.0f}) {
      const double tfn = tf * log2(1 + 1.5 * avg / len);  // c = 1.5
      const double in = log2((n + 1) / (df + 0.5));
      const double ne = n * (1 - std::pow((n - 1) / n, ttf));
      const double ine = log2((n + 1) / (ne + 0.5));
      const double b = (ttf + 1 + 1.0) / (df + 1);
      const double sat = 1 - 1 / (1 + tfn);
      const double p = (ttf + 1) / (tokens + 1);
      const double qld =
          std::max(0.0, 2.0 * (std::log(1 + tf / (300 * p)) + std::log(300 / (len + 300.0))));
      const std::pair<const char*, double> want[] = {{"dfr-inb2", 2.0 * (in * b * sat)},
                                                     {"dfr-inexpb2", 2.0 * (ine * b * sat)},
                                                     {"dfr-inl2", 2.0 * (in * 1.0 * sat)},
                                                     {"qld", qld}};
      for (const auto& [name, value] : want) {
        BuiltinModelOptions o;
        o.name = name;
        o.c = 1.5f;
        o.mu = 300;
        auto sim = BuiltinSimilarity(o);
        ASSERT_TRUE(sim.ok()) << sim.status();
        EXPECT_EQ((*sim)->Prepare(f, std::span(&t, 1), 2.0f)->Score(tf, len),
                  static_cast<float>(value))
            << name << " tf=" << tf << " len=" << len;
      }
    }
  }
  BuiltinModelOptions bad;
  bad.name = "qld";
  bad.mu = 0;
  EXPECT_TRUE(absl::IsInvalidArgument(BuiltinSimilarity(bad).status()));
  bad.name = "dfr-inl2";
  bad.c = -1;
  EXPECT_TRUE(absl::IsInvalidArgument(BuiltinSimilarity(bad).status()));
}

TEST(CheckSimilarity, NamesTheBrokenRule) {
  absl::Status s = CheckSimilarity(LongerIsBetter());
  ASSERT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_NE(s.message().find("longer-is-better"), std::string_view::npos) << s;
  EXPECT_NE(s.message().find("must not increase with length"), std::string_view::npos) << s;
  s = CheckSimilarity(TurnsDown());
  ASSERT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_NE(s.message().find("must not decrease with freq"), std::string_view::npos) << s;
  EXPECT_NE(s.message().find("docs_with_field="), std::string_view::npos) << s;
  s = CheckSimilarity(NoScorer());
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
}

// Every integer frequency up to 64 is checked (the engine tabulates tf < 16; postings and block
// maxima above are rarer), so a spike at any of them is refused, naming the frequency after it.
// Above 64 the check samples: 2^24 - 2 is the largest tf a block bound can be evaluated at.
TEST(CheckSimilarity, RefusesASpikeAtAnyFrequencyUpTo64) {
  for (uint32_t at = 1; at <= 64; ++at) {
    absl::Status s = CheckSimilarity(SpikeAt(static_cast<float>(at)));
    ASSERT_TRUE(absl::IsInvalidArgument(s)) << "spike at " << at << ": " << s;
    EXPECT_NE(s.message().find(absl::StrCat("must not decrease with freq: Score(freq=", at, ")")),
              std::string_view::npos)
        << s;
  }
  for (float at : {128.0f, 65536.0f, static_cast<float>((1u << 24) - 2)})
    EXPECT_TRUE(absl::IsInvalidArgument(CheckSimilarity(SpikeAt(at)))) << at;
  // The search refuses it too, before any result.
  auto dir = index::NewMemDirectory();
  IndexWriterOptions o;
  o.analyzer.language = "none";
  auto w = index::OpenIndexWriter(dir.get(), o);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->AddDocument({"a", {{"text", "x x x x x x x"}}}).ok());
  ASSERT_TRUE((*w)->Commit().ok());
  auto r = index::OpenIndexReader(dir.get(), {});
  ASSERT_TRUE(r.ok());
  auto searcher = Searcher::Create(*r);
  ASSERT_TRUE(searcher.ok());
  SearchOptions opts;
  opts.ranking.similarity = std::make_shared<SpikeAt>(7.0f);
  auto res = (*searcher)->Search("x", opts);
  ASSERT_TRUE(absl::IsInvalidArgument(res.status())) << res.status();
  EXPECT_NE(res.status().message().find("\"spike\" breaks the contract: Score(freq=8"),
            std::string_view::npos)
      << res.status();
}

class SimilaritySearch : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = index::NewMemDirectory();
    IndexWriterOptions o;
    o.analyzer.language = "none";
    o.threads = 1;
    auto w = index::OpenIndexWriter(dir_.get(), o);
    ASSERT_TRUE(w.ok());
    const std::vector<std::string> texts = {
        "red fox", "red red dog", "the quick red fox jumps over the lazy dog", "dog", "fox fox"};
    for (size_t i = 0; i < texts.size(); ++i) {
      ASSERT_TRUE((*w)->AddDocument({"d" + std::to_string(i), {{"text", texts[i]}}}).ok());
      if (i == 2) {
        ASSERT_TRUE((*w)->Commit().ok());  // two segments
      }
    }
    ASSERT_TRUE((*w)->Commit().ok());
    auto r = index::OpenIndexReader(dir_.get(), {});
    ASSERT_TRUE(r.ok());
    reader_ = *r;
    auto s = Searcher::Create(reader_);
    ASSERT_TRUE(s.ok());
    searcher_ = *std::move(s);
    texts_ = texts;
  }
  // The model's score of `term` in doc i, from the statistics it would be given.
  float Expected(const Similarity& sim, const std::string& term, size_t i, float boost,
                 const StatisticsSource* source = nullptr) const {
    FieldStatistics f;
    f.name = "text";
    TermStatistics t{"text", term, 0, 0};
    float tf = 0, len = 0;
    for (size_t d = 0; d < texts_.size(); ++d) {
      size_t n = 0, words = 0;
      for (size_t p = 0; p <= texts_[d].size();) {
        size_t e = texts_[d].find(' ', p);
        if (e == std::string::npos) e = texts_[d].size();
        ++words;
        n += texts_[d].substr(p, e - p) == term;
        p = e + 1;
      }
      f.docs_with_field++;
      f.sum_total_term_freq += words;
      t.doc_freq += n > 0;
      t.total_term_freq += n;
      if (d == i) {
        tf = static_cast<float>(n);
        len = NormLength(index::LengthToNorm(static_cast<uint32_t>(words)));
      }
    }
    if (source != nullptr) {
      f = *source->Field(f);
      t = *source->Term(t);
    }
    return sim.Prepare(f, std::span(&t, 1), boost)->Score(tf, len);
  }
  std::unique_ptr<index::Directory> dir_;
  std::shared_ptr<IndexReader> reader_;
  std::unique_ptr<Searcher> searcher_;
  std::vector<std::string> texts_;
};

TEST_F(SimilaritySearch, UserModelScoresAsItsScorerSays) {
  auto sim = std::make_shared<TfIdf>();
  SearchOptions o;
  o.ranking.similarity = sim;
  o.count = true;
  auto r = searcher_->Search("fox dog^2", o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total_hits, 5u);
  ASSERT_EQ(r->hits.size(), 5u);
  for (const Hit& h : r->hits) {
    const size_t i = static_cast<size_t>(h.id[1] - '0');
    const float want = Expected(*sim, "fox", i, 1.0f) + Expected(*sim, "dog", i, 2.0f);
    EXPECT_FLOAT_EQ(h.score, want) << h.id;
  }
  for (size_t j = 1; j < r->hits.size(); ++j) EXPECT_GE(r->hits[j - 1].score, r->hits[j].score);
  // Explanations name the model's numbers; the built-in default is unchanged by it.
  o.explain = true;
  o.k = 1;
  auto e = searcher_->Search("fox", o);
  ASSERT_TRUE(e.ok());
  EXPECT_NE(e->hits[0].explanation.find("text:fox: tf="), std::string::npos)
      << e->hits[0].explanation;
}

TEST_F(SimilaritySearch, BuiltinByObjectEqualsByName) {
  for (const char* name : {"bm25", "bm25-robertson", "bm25+", "bm25l"}) {
    BuiltinModelOptions bo;
    bo.name = name;
    bo.k1 = 1.2f;
    bo.b = 0.75f;
    SearchOptions by_name, by_object;
    by_name.ranking.ranker = name;
    by_name.ranking.k1 = 1.2f;
    by_name.ranking.b = 0.75f;
    by_object.ranking.similarity = *BuiltinSimilarity(bo);
    auto a = searcher_->Search("red fox \"lazy dog\"", by_name);
    auto b = searcher_->Search("red fox \"lazy dog\"", by_object);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->hits.size(), b->hits.size());
    for (size_t j = 0; j < a->hits.size(); ++j) {
      EXPECT_EQ(a->hits[j].doc, b->hits[j].doc) << name;
      EXPECT_EQ(a->hits[j].score, b->hits[j].score) << name;
    }
  }
}

TEST_F(SimilaritySearch, ContractBreakerIsRejectedNotRun) {
  SearchOptions o;
  o.ranking.similarity = std::make_shared<LongerIsBetter>();
  auto r = searcher_->Search("fox", o);
  ASSERT_TRUE(absl::IsInvalidArgument(r.status())) << r.status();
  EXPECT_NE(r.status().message().find("breaks the contract"), std::string_view::npos);
  // And again (the verdict is not cached as a pass).
  EXPECT_TRUE(absl::IsInvalidArgument(searcher_->Search("fox", o).status()));
}

TEST_F(SimilaritySearch, StatisticsSourceReplacesTheReadersOwn) {
  auto bm25 = *BuiltinSimilarity({});
  auto source = std::make_shared<Scaled>();
  SearchOptions local, global;
  global.statistics = source;
  auto a = searcher_->Search("fox", local);
  auto b = searcher_->Search("fox", global);
  ASSERT_TRUE(a.ok() && b.ok()) << b.status();
  ASSERT_EQ(b->hits.size(), 3u);
  for (const Hit& h : b->hits) {
    const size_t i = static_cast<size_t>(h.id[1] - '0');
    EXPECT_EQ(h.score, Expected(*bm25, "fox", i, 1.0f, source.get())) << h.id;
  }
  for (const Hit& h : a->hits) {
    const size_t i = static_cast<size_t>(h.id[1] - '0');
    EXPECT_EQ(h.score, Expected(*bm25, "fox", i, 1.0f)) << h.id;
  }
  EXPECT_NE(a->hits[0].score, b->hits[0].score);
  // A source's error is the search's.
  SearchOptions failing;
  failing.statistics = std::make_shared<Failing>();
  auto f = searcher_->Search("fox", failing);
  EXPECT_TRUE(absl::IsUnavailable(f.status())) << f.status();
}

}  // namespace
}  // namespace scour
