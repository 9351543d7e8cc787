// End-to-end: `scour index / delete / merge / stats / check` run as the built binary
// (SCOUR_CLI_PATH). Bad input must fail with file:line and leave the index exactly as at its
// last commit; --skip-bad, updates, deletes, merges, the writer lock and corruption detection.
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/cli/cli_runner.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;

using scour::testing_cli::CliRun;
using scour::testing_cli::ReadFile;

std::string TestStem() { return scour::testing_cli::TestStem("index_cli"); }

// A fresh directory for the test.
std::string TestDir() {
  const std::string dir = TestStem();
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

CliRun RunScour(const std::string& args) {
  return scour::testing_cli::RunScourCli(args, TestStem());
}

class IndexCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TestDir();
    index_ = dir_ + "/idx";
  }
  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  CliRun Index(const std::string& inputs, const std::string& flags = "") {
    return RunScour("index -q --threads 1 --index '" + index_ + "' " + flags + " " + inputs);
  }
  nlohmann::json Stats() {
    CliRun r = RunScour("stats --json --index '" + index_ + "'");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  }
  std::string Search(const std::string& query) {
    CliRun r = RunScour("search --format trec -k 100 --index '" + index_ + "' '" + query + "'");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  // A committed base index of three documents.
  void IndexBase() {
    const std::string base = Write("base.jsonl",
                                   "{\"id\": \"a\", \"text\": \"the red fox jumps\"}\n"
                                   "{\"id\": \"b\", \"text\": \"a lazy dog sleeps\"}\n"
                                   "{\"id\": \"c\", \"text\": \"red dogs and foxes\"}\n");
    CliRun r = Index("'" + base + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string dir_, index_;
};

TEST_F(IndexCli, HomeCorpusThenStatsAndCheck) {
  const std::string corpus = std::string(SCOUR_SOURCE_DIR) + "/corpus/party_state.jsonl";
  size_t lines = 0;
  {
    std::ifstream in(corpus);
    std::string line;
    while (std::getline(in, line)) lines += line.find_first_not_of(" \t\r") != std::string::npos;
  }
  CliRun r = RunScour("index --threads 2 --index '" + index_ + "' '" + corpus + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("indexed " + std::to_string(lines) + " documents"), std::string::npos)
      << r.err;
  nlohmann::json st = Stats();
  ASSERT_FALSE(st.is_discarded());
  EXPECT_EQ(st["documents"]["live"], lines);
  EXPECT_EQ(st["documents"]["deleted"], 0);
  EXPECT_GT(st["fields"]["text"]["tokens"].get<uint64_t>(), 1000u);
  // .post split into its parts (two segments: each has a 28-byte frame).
  const auto& pb = st["postings_bytes"];
  EXPECT_EQ(pb["doc_ids"].get<uint64_t>() + pb["freqs"].get<uint64_t>() +
                pb["skip"].get<uint64_t>() + 28 * st["segments"].get<uint64_t>(),
            st["bytes"]["post"].get<uint64_t>());
  // Format 7: the _id postings are the dictionary's doc map, neither lists nor inline.
  EXPECT_EQ(pb["list_postings"].get<uint64_t>() + pb["inline_postings"].get<uint64_t>(),
            st["postings"].get<uint64_t>());
  EXPECT_GT(st["bits_per_doc_id"].get<double>(), 1.0);
  EXPECT_GT(st["bits_per_freq"].get<double>(), 0.0);
  CliRun text = RunScour("stats --index '" + index_ + "'");
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find(std::to_string(lines) + " live"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("bits/doc id"), std::string::npos) << text.out;
  CliRun check = RunScour("check --index '" + index_ + "'");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_EQ(check.out.rfind("ok: ", 0), 0u) << check.out;
  EXPECT_NE(check.out.find(std::to_string(lines) + " live documents"), std::string::npos);
}

struct BadCase {
  const char* name;
  std::string content;
  std::string where;    // expected in stderr, e.g. "bad.jsonl:2"
  const char* message;  // expected in stderr too
};

class BadInput : public IndexCli, public ::testing::WithParamInterface<BadCase> {};

TEST_P(BadInput, FailsNamingFileLineAndLeavesTheIndexAsCommitted) {
  IndexBase();
  const nlohmann::json before = Stats();
  const std::string search_before = Search("red OR dog OR new");
  ASSERT_FALSE(search_before.empty());
  const BadCase& c = GetParam();
  const std::string path =
      c.where == "missing" ? dir_ + "/no_such_file.jsonl" : Write("bad.jsonl", c.content);
  CliRun r = Index("'" + path + "'");
  EXPECT_NE(r.exit_code, 0);
  const std::string where = c.where == "missing" ? "no_such_file.jsonl" : c.where;
  EXPECT_NE(r.err.find(where), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  EXPECT_EQ(Stats(), before);
  EXPECT_EQ(Search("red OR dog OR new"), search_before);
  EXPECT_EQ(Search("new"), "");  // the good records before the bad one were not committed
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadInput,
    ::testing::Values(
        BadCase{"MalformedJson",
                "{\"id\": \"n1\", \"text\": \"new\"}\n{\"id\": \"n2\", \"text\": \"new\"\n",
                "bad.jsonl:2", ""},
        BadCase{"MissingId", "{\"id\": \"n1\", \"text\": \"new\"}\n\n{\"text\": \"new\"}\n",
                "bad.jsonl:3", "missing id"},
        BadCase{"NonStringId",
                "{\"id\": \"n1\", \"text\": \"new\"}\n{\"id\": 7, \"text\": \"new\"}\n",
                "bad.jsonl:2", "not a string"},
        BadCase{"InvalidUtf8",
                "{\"id\": \"n1\", \"text\": \"new\"}\n{\"id\": \"n2\", \"text\": \"new \xff\"}\n",
                "bad.jsonl:2", "UTF-8"},
        BadCase{"DuplicateIdInOneRun",
                "{\"id\": \"n1\", \"text\": \"new\"}\n{\"id\": \"n2\", \"text\": \"new\"}\n"
                "{\"id\": \"n1\", \"text\": \"new again\"}\n",
                "bad.jsonl:3", "duplicate id"},
        BadCase{"MissingFile", "", "missing", "no_such_file"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(IndexCli, SkipBadCommitsTheGoodRecordsAndReportsTheCount) {
  IndexBase();
  const std::string path = Write("mixed.jsonl",
                                 "{\"id\": \"n1\", \"text\": \"new one\"}\n"
                                 "{\"id\": 3, \"text\": \"bad\"}\n"
                                 "{\"id\": \"n2\", \"text\": \"new two\"}\n"
                                 "not json\n");
  CliRun r = RunScour("index --threads 1 --skip-bad --index '" + index_ + "' '" + path + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("skipped 2 bad records"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("mixed.jsonl:2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("mixed.jsonl:4"), std::string::npos) << r.err;
  EXPECT_EQ(Stats()["documents"]["live"], 5);
  const std::string hits = Search("new");
  EXPECT_NE(hits.find(" n1 "), std::string::npos) << hits;
  EXPECT_NE(hits.find(" n2 "), std::string::npos) << hits;
}

TEST_F(IndexCli, ReindexingAChangedDocumentReplacesIt) {
  IndexBase();
  const std::string path = Write("a2.jsonl", "{\"id\": \"a\", \"text\": \"a zebra now\"}\n");
  CliRun r = Index("'" + path + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json st = Stats();
  EXPECT_EQ(st["documents"]["live"], 3);
  EXPECT_EQ(Search("zebra").substr(0, 7), "1 Q0 a ");
  const std::string fox = Search("fox");  // "fox" was only in the old "a" (c has "foxes")
  EXPECT_EQ(fox.find(" a "), std::string::npos) << fox;
}

TEST_F(IndexCli, DeleteById) {
  IndexBase();
  CliRun r = RunScour("delete --index '" + index_ + "' a nosuch");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("deleted 1 of 2 ids"), std::string::npos) << r.err;
  nlohmann::json st = Stats();
  EXPECT_EQ(st["documents"]["live"], 2);
  const std::string red = Search("red");
  EXPECT_EQ(red.find(" a "), std::string::npos) << red;
  EXPECT_NE(red.find(" c "), std::string::npos) << red;
  EXPECT_EQ(RunScour("check --index '" + index_ + "'").exit_code, 0);
}

TEST_F(IndexCli, MergeToOneSegment) {
  IndexBase();
  for (int i = 0; i < 3; ++i) {
    const std::string path =
        Write("more" + std::to_string(i) + ".jsonl",
              "{\"id\": \"m" + std::to_string(i) + "\", \"text\": \"red more text\"}\n");
    ASSERT_EQ(Index("'" + path + "'", "--no-merge").exit_code, 0);
  }
  ASSERT_EQ(RunScour("delete -q --index '" + index_ + "' b").exit_code, 0);
  nlohmann::json st = Stats();
  EXPECT_EQ(st["segments"], 4);
  EXPECT_EQ(st["documents"]["deleted"], 1);
  const std::string red = Search("red");
  CliRun r = RunScour("merge --max-segments 1 --index '" + index_ + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("5 documents in 1 segments"), std::string::npos) << r.err;
  st = Stats();
  EXPECT_EQ(st["segments"], 1);
  EXPECT_EQ(st["documents"]["deleted"], 0);
  EXPECT_EQ(st["documents"]["live"], 5);
  // Same hits (scores may move: the deleted doc no longer counts in the statistics).
  auto ids = [](const std::string& trec) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < trec.size()) {
      size_t nl = trec.find('\n', pos);
      std::string line = trec.substr(pos, nl - pos);
      size_t a = line.find(' ', line.find(' ') + 1) + 1;
      out.push_back(line.substr(a, line.find(' ', a) - a));
      pos = nl == std::string::npos ? trec.size() : nl + 1;
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(ids(Search("red")), ids(red));
  EXPECT_EQ(ids(red), (std::vector<std::string>{"a", "c", "m0", "m1", "m2"}));
  EXPECT_EQ(RunScour("check --index '" + index_ + "'").exit_code, 0);
}

// merge --reorder: one segment, same hits, `check` passes; bad --reorder-* values are usage
// errors (exit 2, naming the flag) that leave the index as it was.
TEST_F(IndexCli, MergeReorderAndItsBadValues) {
  IndexBase();
  const std::string more = Write("more.jsonl", "{\"id\": \"m\", \"text\": \"red more text\"}\n");
  ASSERT_EQ(Index("'" + more + "'", "--no-merge").exit_code, 0);
  const std::string red = Search("red");
  for (const auto& [flags, names] : std::vector<std::pair<std::string, std::string>>{
           {"--reorder --reorder-iters 0", "--reorder-iters"},
           {"--reorder --reorder-iters 101", "--reorder-iters"},
           {"--reorder --reorder-min-df 1", "--reorder-min-df"},
           {"--reorder --reorder-min-partition 1", "--reorder-min-partition"},
           {"--reorder --reorder-iters x", "--reorder-iters"},
           {"--reorder --reorder-min-df -5", "--reorder-min-df"},
           {"--reorder-iters 3", "need --reorder"},
           {"--reorder --max-segments 2", "--max-segments"}}) {
    CliRun r = RunScour("merge " + flags + " --index '" + index_ + "'");
    EXPECT_EQ(r.exit_code, 2) << flags;
    EXPECT_NE(r.err.find(names), std::string::npos) << flags << ": " << r.err;
    EXPECT_EQ(Stats()["segments"], 2) << flags;
  }
  CliRun r = RunScour("merge --reorder --reorder-min-df 2 --reorder-min-partition 2 --index '" +
                      index_ + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("documents in 1 segments"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("reordered "), std::string::npos) << r.err;
  EXPECT_EQ(Stats()["segments"], 1);
  EXPECT_EQ(Search("red").size(), red.size());
  EXPECT_EQ(RunScour("check --index '" + index_ + "'").exit_code, 0);
}

// --term-vectors: feedback works on an index that stores no text (without them it cannot), the
// vectors pass `check` and survive a merge; a segment added without them makes the merge drop
// them, and feedback falls back to the stored text.
TEST_F(IndexCli, TermVectorsServeFeedbackAndSurviveMerges) {
  const std::string docs = Write("docs.jsonl",
                                 "{\"id\": \"a\", \"text\": \"the red fox jumps\"}\n"
                                 "{\"id\": \"b\", \"text\": \"a lazy dog sleeps\"}\n"
                                 "{\"id\": \"c\", \"text\": \"red dogs and foxes\"}\n");
  auto tvec_files = [&] {
    int n = 0;
    for (const auto& e : fs::directory_iterator(index_)) n += e.path().extension() == ".tvec";
    return n;
  };
  auto expand = [&] {
    return RunScour("search --expand rm3 --fb-docs 5 --index '" + index_ + "' red");
  };
  ASSERT_EQ(Index("'" + docs + "'", "--store none").exit_code, 0);
  CliRun none = expand();
  EXPECT_NE(none.exit_code, 0);
  EXPECT_NE(none.err.find("--term-vectors"), std::string::npos) << none.err;

  fs::remove_all(index_);
  ASSERT_EQ(Index("'" + docs + "'", "--store none --term-vectors").exit_code, 0);
  EXPECT_EQ(tvec_files(), 1);
  CliRun with = expand();
  ASSERT_EQ(with.exit_code, 0) << with.err;
  EXPECT_NE(with.out.find("query: ("), std::string::npos) << with.out;
  const std::string more = Write("more.jsonl", "{\"id\": \"d\", \"text\": \"red hens\"}\n");
  ASSERT_EQ(Index("'" + more + "'", "--store none --term-vectors --no-merge").exit_code, 0);
  ASSERT_EQ(RunScour("merge -q --index '" + index_ + "'").exit_code, 0);
  EXPECT_EQ(tvec_files(), 1);
  EXPECT_EQ(RunScour("check --index '" + index_ + "'").exit_code, 0);
  EXPECT_EQ(expand().exit_code, 0);

  const std::string plain = Write("plain.jsonl", "{\"id\": \"e\", \"text\": \"red ants\"}\n");
  ASSERT_EQ(Index("'" + plain + "'", "--no-merge").exit_code, 0);
  ASSERT_EQ(RunScour("merge -q --index '" + index_ + "'").exit_code, 0);
  EXPECT_EQ(tvec_files(), 0);
  EXPECT_EQ(RunScour("check --index '" + index_ + "'").exit_code, 0);
  EXPECT_EQ(expand().exit_code, 0);  // re-analyses e, the one document storing its text
}

TEST_F(IndexCli, SecondWriterFailsWhileTheFirstHoldsTheLock) {
  IndexBase();
  const std::string fifo = dir_ + "/in.fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  alarm(120);  // a bug here must fail the test, not hang it
  // Both ends open in this process first (a read end opened O_NONBLOCK lets the write end open
  // without a peer), so the child's open of the FIFO does not block inside posix_spawn.
  const int rfd = open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(rfd, 0);
  const int fd = open(fifo.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  // First writer: `scour index -` reading the FIFO.
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, fifo.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  const std::string err1 = dir_ + "/first.err";
  posix_spawn_file_actions_addopen(&fa, 2, err1.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addclose(&fa, fd);
  posix_spawn_file_actions_addclose(&fa, rfd);
  std::vector<std::string> args = {SCOUR_CLI_PATH, "index",   "--threads", "1", "--format",
                                   "jsonl",        "--index", index_,      "-"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  ASSERT_EQ(posix_spawn(&pid, SCOUR_CLI_PATH, &fa, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  close(rfd);
  // More than a pipe buffer: the write returns only once the child reads stdin, which it
  // does after opening the writer, so it holds the lock from then on.
  std::string data;
  for (int i = 0; data.size() < 256 * 1024; ++i)
    data += "{\"id\": \"s" + std::to_string(i) + "\", \"text\": \"streamed words here\"}\n";
  ASSERT_EQ(write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));

  const std::string path = Write("second.jsonl", "{\"id\": \"x\", \"text\": \"second\"}\n");
  CliRun second = Index("'" + path + "'");
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("locked"), std::string::npos) << second.err;
  ASSERT_EQ(RunScour("delete --index '" + index_ + "' a").exit_code, 1);

  close(fd);  // end of input: the first writer commits
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  alarm(0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ReadFile(err1);
  nlohmann::json st = Stats();
  EXPECT_GT(st["documents"]["live"].get<uint64_t>(), 3000u);
  EXPECT_EQ(Search("second"), "");
}

TEST_F(IndexCli, CheckFindsAFlippedByteInAPostingsFile) {
  IndexBase();
  std::string post;
  for (const auto& e : fs::recursive_directory_iterator(index_))
    if (e.path().extension() == ".post") post = e.path().string();
  ASSERT_FALSE(post.empty());
  std::string bytes = ReadFile(post);
  ASSERT_GT(bytes.size(), 8u);
  bytes[bytes.size() / 2] ^= 0x20;
  std::ofstream(post, std::ios::binary | std::ios::trunc) << bytes;
  CliRun r = RunScour("check --index '" + index_ + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const std::string name = fs::path(post).filename().string();
  EXPECT_NE(r.out.find(name), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("problem"), std::string::npos) << r.err;
}

}  // namespace
