// scoring_bench: what a user-defined scoring model costs against the built-in BM25, through the
// public API (Searcher::Search, plain-text topics, k hits, no stored fields), one thread.
//
//   scoring_bench INDEX_DIR TOPICS [--and] [-k 10] [--rounds 5]
//
// Systems: "bm25" (the built-in, by name), "user-bm25" (Lucene's BM25 written against
// scour/similarity.h as a user would: same formula, so the same hits and scores, checked), and
// "user-tfidf". Each round runs every system over every topic, the systems' order rotated by one
// per round; p50 and mean per system over all rounds, and the ratio of each to bm25's p50.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "scour/evaluation.h"
#include "scour/index_reader.h"
#include "scour/searcher.h"
#include "scour/similarity.h"

namespace {

// Lucene 8's BM25Similarity (k1 0.9, b 0.4) as a user writes it against the API.
class UserBm25 final : public scour::Similarity {
  class S final : public scour::SimScorer {
   public:
    S(float weight, float avgdl) : weight_(weight), avgdl_(avgdl) {}
    float Score(float freq, float length) const override {
      const float inv = 1.0f / (0.9f * ((1.0f - 0.4f) + 0.4f * length / avgdl_));
      return weight_ - weight_ / (1.0f + freq * inv);
    }

   private:
    float weight_, avgdl_;
  };

 public:
  std::string Name() const override { return "user-bm25"; }
  std::unique_ptr<scour::SimScorer> Prepare(const scour::FieldStatistics& field,
                                            std::span<const scour::TermStatistics> terms,
                                            float boost) const override {
    float idf = 0;
    const double n = static_cast<double>(field.docs_with_field);
    for (const scour::TermStatistics& t : terms) {
      const double df = static_cast<double>(t.doc_freq);
      idf += static_cast<float>(std::log(1.0 + (n - df + 0.5) / (df + 0.5)));
    }
    const float avgdl =
        field.sum_total_term_freq > 0 ? static_cast<float>(field.sum_total_term_freq / n) : 1.0f;
    return std::make_unique<S>(boost * idf, avgdl);
  }
};

class UserTfIdf final : public scour::Similarity {
  class S final : public scour::SimScorer {
   public:
    explicit S(float w) : w_(w) {}
    float Score(float freq, float length) const override {
      return w_ * std::sqrt(freq) / std::sqrt(std::max(length, 1.0f));
    }

   private:
    float w_;
  };

 public:
  std::string Name() const override { return "user-tfidf"; }
  std::unique_ptr<scour::SimScorer> Prepare(const scour::FieldStatistics& field,
                                            std::span<const scour::TermStatistics> terms,
                                            float boost) const override {
    double idf = 0;
    for (const scour::TermStatistics& t : terms)
      idf += 1.0 + std::log((field.docs_with_field + 1.0) / (t.doc_freq + 1.0));
    return std::make_unique<S>(boost * static_cast<float>(idf * idf));
  }
};

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: scoring_bench INDEX_DIR TOPICS [--and] [-k 10] [--rounds 5]\n");
    return 2;
  }
  bool and_mode = false;
  size_t k = 10;
  int rounds = 5;
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--and") {
      and_mode = true;
    } else if (a == "-k" && i + 1 < argc) {
      k = std::strtoul(argv[++i], nullptr, 10);
    } else if (a == "--rounds" && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "scoring_bench: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  auto reader = scour::IndexReader::Open(argv[1]);
  if (!reader.ok()) {
    std::fprintf(stderr, "scoring_bench: %s\n", std::string(reader.status().message()).c_str());
    return 1;
  }
  auto searcher = scour::Searcher::Create(*reader);
  auto topics = scour::ReadTopics(argv[2]);
  if (!searcher.ok() || !topics.ok()) {
    std::fprintf(stderr, "scoring_bench: cannot open the searcher or the topics\n");
    return 1;
  }
  struct System {
    std::string name;
    scour::SearchOptions options;
    std::vector<double> us;
  };
  std::vector<System> systems(3);
  systems[0].name = "bm25";
  systems[1].name = "user-bm25";
  systems[1].options.ranking.similarity = std::make_shared<UserBm25>();
  systems[2].name = "user-tfidf";
  systems[2].options.ranking.similarity = std::make_shared<UserTfIdf>();
  for (System& s : systems) {
    s.options.k = k;
    s.options.default_and = and_mode;
    s.options.query_syntax = false;
    s.options.load_stored = false;
  }
  // The user's BM25 must give the built-in's hits and scores, bit for bit.
  for (const scour::TopicQuery& t : *topics) {
    auto a = (*searcher)->Search(t.query, systems[0].options);
    auto b = (*searcher)->Search(t.query, systems[1].options);
    if (!a.ok() || !b.ok()) {
      std::fprintf(stderr, "scoring_bench: topic %s failed\n", t.qid.c_str());
      return 1;
    }
    bool same = a->hits.size() == b->hits.size();
    for (size_t i = 0; same && i < a->hits.size(); ++i)
      same = a->hits[i].doc == b->hits[i].doc && a->hits[i].score == b->hits[i].score;
    if (!same) {
      std::fprintf(stderr, "scoring_bench: topic %s: user-bm25 differs from bm25\n", t.qid.c_str());
      return 1;
    }
  }
  using Clock = std::chrono::steady_clock;
  for (int r = 0; r < rounds; ++r) {
    for (size_t j = 0; j < systems.size(); ++j) {
      System& s = systems[(j + static_cast<size_t>(r)) % systems.size()];
      for (const scour::TopicQuery& t : *topics) {
        const auto t0 = Clock::now();
        auto res = (*searcher)->Search(t.query, s.options);
        const auto t1 = Clock::now();
        if (!res.ok()) return 1;
        s.us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      }
    }
  }
  const double base = Percentile(systems[0].us, 50);
  for (const System& s : systems) {
    double sum = 0;
    for (double v : s.us) sum += v;
    const double p50 = Percentile(s.us, 50);
    std::printf("%-10s queries=%zu rounds=%d p50_us=%.1f p90_us=%.1f mean_us=%.1f p50_ratio=%.3f\n",
                s.name.c_str(), topics->size(), rounds, p50, Percentile(s.us, 90),
                sum / static_cast<double>(s.us.size()), p50 / base);
  }
  return 0;
}
