#include "eval/trec_io.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace scour::eval {
namespace {

using ::testing::HasSubstr;

TEST(ParseQrels, GroupsSortsAndSkipsCommentsAndBlanks) {
  auto q = ParseQrels(
      "# header comment\n"
      "b 0 d2 1\r\n"
      "\n"
      "a 0 z 0\n"
      "  b\t0   d1    2\n"
      "b 1 d3 -1\n",
      "q.txt");
  ASSERT_TRUE(q.ok()) << q.status();
  ASSERT_EQ(q->queries.size(), 2u);
  EXPECT_EQ(q->queries[0].qid, "a");
  const QrelsQuery* b = q->Find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->judgments.size(), 3u);
  EXPECT_EQ(b->judgments[0].docid, "d1");
  EXPECT_EQ(b->judgments[0].rel, 2);
  EXPECT_EQ(b->judgments[0].line, 5u);
  EXPECT_EQ(b->judgments[1].docid, "d2");
  EXPECT_EQ(b->judgments[1].line, 2u);
  EXPECT_EQ(b->judgments[2].rel, -1);
  EXPECT_EQ(q->Find("c"), nullptr);
}

TEST(ParseQrels, ErrorsNameFileAndLine) {
  auto q = ParseQrels("1 0 d1 1\n1 0 d2\n", "qrels.txt");
  ASSERT_FALSE(q.ok());
  EXPECT_THAT(std::string(q.status().message()), HasSubstr("qrels.txt:2:"));
  q = ParseQrels("1 0 d1 1\n\n1 0 d2 x\n", "qrels.txt");
  ASSERT_FALSE(q.ok());
  EXPECT_THAT(std::string(q.status().message()), HasSubstr("qrels.txt:3:"));
  EXPECT_FALSE(ParseQrels("1 0 d1 1 extra\n", "f").ok());
  EXPECT_FALSE(ParseQrels("1 0 d1 1.5\n", "f").ok());
}

TEST(ParseRun, FieldsTagAndExtraColumns) {
  auto r = ParseRun(
      "2 Q0 x 1 1.5 tagA\n"
      "# comment\n"
      "1 Q0 y 1 -2e1 tagB trailing text\n"
      "2 Q0 w 2 0.25 tagC\n",
      "run.txt");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->tag, "tagC");
  ASSERT_EQ(r->queries.size(), 2u);
  EXPECT_EQ(r->queries[0].qid, "1");
  EXPECT_DOUBLE_EQ(r->queries[0].entries[0].score, -20.0);
  const RunQuery* q2 = r->Find("2");
  ASSERT_NE(q2, nullptr);
  ASSERT_EQ(q2->entries.size(), 2u);
  EXPECT_EQ(q2->entries[0].docid, "x");  // file order is kept
  EXPECT_EQ(q2->entries[1].line, 4u);
}

TEST(ParseRun, ErrorsNameFileAndLine) {
  auto r = ParseRun("1 Q0 a 1 1.0 t\n1 Q0 b 2 abc t\n", "run.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("run.txt:2:"));
  r = ParseRun("1 Q0 a 1 nan t\n", "run.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("run.txt:1:"));
  r = ParseRun("1 Q0 a 1 1.0\n", "run.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("run.txt:1:"));
}

TEST(ParseTopics, TabSeparated) {
  auto t = ParseTopics("301\tinternational  organized crime\n# c\n302\tpoliomyelitis\n", "t.tsv");
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ((*t)[0].qid, "301");
  EXPECT_EQ((*t)[0].title, "international organized crime");
  EXPECT_EQ((*t)[1].line, 3u);
  auto bad = ParseTopics("301 no tab here\n", "t.tsv");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("t.tsv:1:"));
  auto dup = ParseTopics("1\ta\n1\tb\n", "t.tsv");
  ASSERT_FALSE(dup.ok());
  EXPECT_THAT(std::string(dup.status().message()), HasSubstr("t.tsv:2:"));
}

TEST(ParseTopics, TrecTopicFile) {
  const char* text =
      "<top>\n"
      "<num> Number: 301\n"
      "<title> International Organized\n  Crime\n"
      "\n"
      "<desc> Description:\n"
      "Identify organizations.\n"
      "<narr> Narrative:\n"
      "A relevant document must name one.\n"
      "</top>\n"
      "\n"
      "<TOP>\n<NUM> 302\n<TITLE> Topic: Poliomyelitis and Post-Polio\n</TOP>\n";
  auto t = ParseTopics(text, "topics.trec");
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ((*t)[0].qid, "301");
  EXPECT_EQ((*t)[0].title, "International Organized Crime");
  EXPECT_EQ((*t)[0].description, "Identify organizations.");
  EXPECT_EQ((*t)[0].narrative, "A relevant document must name one.");
  EXPECT_EQ((*t)[1].qid, "302");
  EXPECT_EQ((*t)[1].title, "Poliomyelitis and Post-Polio");
  EXPECT_EQ((*t)[1].line, 12u);

  auto open = ParseTopics("<top>\n<num> 1\n<title> x\n", "topics.trec");
  ASSERT_FALSE(open.ok());
  EXPECT_THAT(std::string(open.status().message()), HasSubstr("topics.trec:1:"));
  auto no_num = ParseTopics("\n<top>\n<title> x\n</top>\n", "topics.trec");
  ASSERT_FALSE(no_num.ok());
  EXPECT_THAT(std::string(no_num.status().message()), HasSubstr("topics.trec:2:"));
}

TEST(ReadFiles, MissingFileNamesPath) {
  auto q = ReadQrelsFile("/nonexistent/dir/qrels.txt");
  ASSERT_FALSE(q.ok());
  EXPECT_THAT(std::string(q.status().message()), HasSubstr("/nonexistent/dir/qrels.txt"));
}

TEST(ReadFiles, ReadsRunFromDisk) {
  std::string path = testing::TempDir() + "/scour_eval_io_run.txt";
  {
    std::ofstream out(path);
    out << "7 Q0 doc 1 3.5 t\n";
  }
  auto r = ReadRunFile(path);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->source, path);
  ASSERT_NE(r->Find("7"), nullptr);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace scour::eval
