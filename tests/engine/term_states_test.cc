// A plan keeps each term's dictionary entry per segment of the snapshot it was bound on
// (PlanNode::states, Lucene's TermStates: term, phrase and synonym leaves), and executing it
// reads those instead of looking the terms up again. The reference: the same plan with its states
// dropped, which looks every term up. Also: a plan run on another snapshot (new segments, changed
// deletions, the old reader gone) falls back to lookups and gives that snapshot's answer.
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/execute.h"
#include "engine/plan.h"
#include "engine/query_parser.h"
#include "engine/searcher_internal.h"
#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/writer/open_writer.h"
#include "scour/analyzer.h"
#include "scour/index_reader.h"

namespace scour::engine {
namespace {

const std::vector<std::string> kWords = {"amber", "birch", "cedar", "dune", "elm", "fern"};

Document Doc(int i, std::mt19937* rng) {
  Document d;
  d.id = "d" + std::to_string(i);
  std::string text;
  // "fern" only in the second half: absent from the first segment.
  const size_t words = i < 60 ? kWords.size() - 1 : kWords.size();
  for (int w = 0; w < 10; ++w) text += kWords[(*rng)() % words] + " ";
  d.fields.push_back({"body", text});
  return d;
}

void DropStates(PlanNode* n) {
  n->states.clear();
  for (auto& [occur, child] : n->clauses) DropStates(child.get());
}

class TermStates : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = index::NewMemDirectory();
    IndexWriterOptions o;
    o.auto_merge = false;
    o.threads = 1;
    writer_ = *index::OpenIndexWriter(dir_.get(), o);
    std::mt19937 rng(3);
    for (int i = 0; i < 120; ++i) {
      ASSERT_TRUE(writer_->AddDocument(Doc(i, &rng)).ok());
      if (i == 59) {
        ASSERT_TRUE(writer_->Commit().ok());  // two segments
      }
    }
    ASSERT_TRUE(writer_->Commit().ok());
    RankingOptions ro;
    ranker_ = *ParseRanking(ro);
    ASSERT_TRUE(SetModel(ro, ranker_, &popts_).ok());
  }

  std::shared_ptr<IndexReader> Open() { return *index::OpenIndexReader(dir_.get(), {}); }

  // Plain text, or the query language when `q` holds a quote (phrases) or starts with '~'
  // (then the rest are the alternatives of one synonym leaf).
  std::unique_ptr<PlanNode> Bind(const std::string& q, const index::Snapshot& s, bool and_mode) {
    popts_.default_fields.clear();
    for (uint32_t f = 1; f < s.manifest.fields.size(); ++f) popts_.default_fields.push_back(f);
    auto analyzer = Analyzer::Create({});
    QueryPtr query;
    if (q[0] == '~') {
      std::vector<std::string> alternatives;
      for (std::string_view w : {"amber", "fern", "nowhere"}) alternatives.emplace_back(w);
      query = QueryNode::Synonym("", alternatives);
    } else {
      ParseOptions po;
      po.default_and = and_mode;
      ParseResult p = q.find('"') != std::string::npos
                          ? ParseQuery(q, AnalyzeWith(&*analyzer), po)
                          : PlainTextQuery(q, AnalyzeWith(&*analyzer), and_mode);
      EXPECT_TRUE(p.ok());
      query = std::move(p.query);
    }
    auto plan = BuildPlan(*query, s, popts_);
    EXPECT_TRUE(plan.ok()) << plan.status();
    return *std::move(plan);
  }

  // Execute `plan` on `s` and the same plan without states; both must agree bit for bit.
  void ExpectSameAsLookups(const std::string& q, bool and_mode, const index::Snapshot& bound_on,
                           const index::Snapshot& run_on) {
    auto with = Bind(q, bound_on, and_mode), without = Bind(q, bound_on, and_mode);
    DropStates(without.get());
    for (bool count : {false, true}) {
      auto a = Execute(*with, run_on, count ? 0 : 20, count);
      auto b = Execute(*without, run_on, count ? 0 : 20, count);
      ASSERT_TRUE(a.ok() && b.ok());
      EXPECT_EQ(a->top, b->top) << q;
      EXPECT_EQ(a->count, b->count) << q;
      if (!count) {
        EXPECT_FALSE(a->top.empty()) << q;
      }
    }
  }

  std::unique_ptr<index::Directory> dir_;
  std::unique_ptr<IndexWriter> writer_;
  RankerParams ranker_;
  PlanOptions popts_;
};

TEST_F(TermStates, BoundEntriesAreTheSegmentsOwn) {
  auto reader = Open();
  const index::Snapshot& s = index::SnapshotOf(*reader);
  ASSERT_EQ(s.segments.size(), 2u);
  auto plan = Bind("amber fern", s, false);
  ASSERT_EQ(plan->clauses.size(), 2u);
  for (const auto& [occur, leaf] : plan->clauses) {
    ASSERT_EQ(leaf->kind, PlanKind::kTerm);
    ASSERT_EQ(leaf->states.size(), 2u);
    for (const auto& seg : s.segments) {
      const std::optional<index::TermInfo>* bound = EntryIn(*leaf, *seg);
      ASSERT_NE(bound, nullptr);
      auto looked = seg->Lookup(leaf->field, leaf->term);
      ASSERT_TRUE(looked.ok());
      ASSERT_EQ(bound->has_value(), looked->has_value()) << leaf->term;
      if (*looked) {
        EXPECT_EQ((*bound)->df, (*looked)->df);
        EXPECT_EQ((*bound)->postings, (*looked)->postings);
        EXPECT_EQ((*bound)->positions, (*looked)->positions);
      }
    }
  }
  auto phrase = Bind("\"cedar fern\"", s, false);
  ASSERT_EQ(phrase->kind, PlanKind::kPhrase);
  for (uint32_t slot = 0; slot < 2; ++slot) {
    for (const auto& seg : s.segments) {
      const std::optional<index::TermInfo>* bound = EntryIn(*phrase, *seg, slot);
      ASSERT_NE(bound, nullptr);
      auto looked = seg->Lookup(phrase->field, phrase->phrase[slot].term);
      ASSERT_TRUE(looked.ok());
      ASSERT_EQ(bound->has_value(), looked->has_value());
      if (*looked) {
        EXPECT_EQ((*bound)->postings, (*looked)->postings);
      }
    }
  }
  // "fern" is absent from the first segment: bound as absent there, not unknown.
  const PlanNode& fern = *plan->clauses[1].second;
  ASSERT_EQ(fern.term, "fern");
  ASSERT_NE(EntryIn(fern, *s.segments[0]), nullptr);
  EXPECT_FALSE(EntryIn(fern, *s.segments[0])->has_value());
}

TEST_F(TermStates, ExecutionEqualsLookups) {
  auto reader = Open();
  const index::Snapshot& s = index::SnapshotOf(*reader);
  for (bool and_mode : {false, true}) {
    for (const char* q :
         {"amber", "amber birch", "cedar dune elm", "fern amber", "fern", "\"amber birch\"",
          "\"cedar amber dune\" elm", "\"fern amber\"", "~synonyms"}) {
      ExpectSameAsLookups(q, and_mode, s, s);
    }
  }
}

TEST_F(TermStates, AnotherSnapshotIsLookedUp) {
  auto before = Open();
  const index::Snapshot& a = index::SnapshotOf(*before);
  std::mt19937 rng(9);
  for (int i = 120; i < 150; ++i) ASSERT_TRUE(writer_->AddDocument(Doc(i, &rng)).ok());
  ASSERT_TRUE(writer_->DeleteDocument("d3").ok());  // the first segment gets new deletions
  ASSERT_TRUE(writer_->Commit().ok());
  auto after = Open();
  const index::Snapshot& b = index::SnapshotOf(*after);
  ASSERT_EQ(b.segments.size(), 3u);
  auto plan = Bind("amber birch", a, true);
  for (const auto& seg : b.segments) EXPECT_EQ(EntryIn(*plan->clauses[0].second, *seg), nullptr);
  for (bool and_mode : {false, true}) {
    for (const char* q :
         {"amber birch", "fern", "cedar dune elm", "\"amber birch\"", "~synonyms"}) {
      ExpectSameAsLookups(q, and_mode, a, b);
    }
  }
}

TEST_F(TermStates, AGoneReaderIsNeverMatched) {
  std::unique_ptr<PlanNode> plan;
  {
    auto gone = Open();
    plan = Bind("amber birch", index::SnapshotOf(*gone), true);
  }
  // Readers opened now may sit where the gone ones were; the states must not match them.
  for (int i = 0; i < 4; ++i) {
    auto reader = Open();
    const index::Snapshot& s = index::SnapshotOf(*reader);
    for (const auto& [occur, leaf] : plan->clauses) {
      for (const auto& seg : s.segments) EXPECT_EQ(EntryIn(*leaf, *seg), nullptr);
    }
    auto fresh = Bind("amber birch", s, true);
    auto a = Execute(*plan, s, 20, false), b = Execute(*fresh, s, 20, false);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->top, b->top);
  }
}

}  // namespace
}  // namespace scour::engine
