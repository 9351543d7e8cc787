#include "ingest/document_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace scour::ingest {
namespace {

namespace fs = std::filesystem;

// What Next() produced for each call, until the end or a non-record error.
struct Item {
  bool ok = false;
  Document doc;
  std::string error;
  absl::StatusCode code = absl::StatusCode::kOk;
  RecordOrigin origin;
};

std::vector<Item> ReadAll(DocumentReader* r, int limit = 1000000) {
  std::vector<Item> items;
  for (int i = 0; i < limit; ++i) {
    Item it;
    absl::StatusOr<bool> s = r->Next(&it.doc);
    it.origin = r->origin();
    if (!s.ok()) {
      it.error = std::string(s.status().message());
      it.code = s.status().code();
      items.push_back(std::move(it));
      if (s.status().code() != absl::StatusCode::kInvalidArgument) break;
      continue;
    }
    if (!*s) break;
    it.ok = true;
    items.push_back(std::move(it));
  }
  return items;
}

std::vector<Item> ReadBuffer(std::string_view data, std::string name,
                             const ReaderOptions& options = {}) {
  auto r = OpenBufferReader(data, std::move(name), options);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return {};
  return ReadAll(r->get());
}

const Field* FindField(const Document& d, std::string_view name) {
  for (const Field& f : d.fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string Value(const Document& d, std::string_view name) {
  const Field* f = FindField(d, name);
  return f == nullptr ? "<absent>" : f->value;
}

// A fresh temporary directory, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            (std::string("scour_ingest_") + info->name() + "_" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& rel, std::string_view content) const {
    const fs::path p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

// ---- formats ----

TEST(Format, Names) {
  for (Format f :
       {Format::kAuto, Format::kJsonl, Format::kTsv, Format::kText, Format::kParagraphs}) {
    auto parsed = ParseFormat(FormatName(f));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, f);
  }
  EXPECT_EQ(ParseFormat("xml").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Format, ByPathAndContent) {
  EXPECT_EQ(FormatForPath("a/b.jsonl"), Format::kJsonl);
  EXPECT_EQ(FormatForPath("b.NDJSON"), Format::kJsonl);
  EXPECT_EQ(FormatForPath("b.json"), Format::kJsonl);
  EXPECT_EQ(FormatForPath("x.tsv"), Format::kTsv);
  EXPECT_EQ(FormatForPath("x.HTML"), Format::kParagraphs);
  EXPECT_EQ(FormatForPath("x.htm"), Format::kParagraphs);
  EXPECT_EQ(FormatForPath("x.md"), Format::kParagraphs);
  EXPECT_EQ(FormatForPath("x.markdown"), Format::kParagraphs);
  EXPECT_EQ(FormatForPath("x.txt"), Format::kText);
  EXPECT_EQ(FormatForPath("README"), Format::kText);
  EXPECT_EQ(FormatForPath("dir.jsonl/file"), Format::kText);
  EXPECT_EQ(FormatForPath(".jsonl"), Format::kText);  // a hidden name, not an extension
  EXPECT_EQ(FormatForContent(" \n\t{\"id\":1}"), Format::kJsonl);
  EXPECT_EQ(FormatForContent("hello {"), Format::kText);
  EXPECT_EQ(FormatForContent(""), Format::kText);
}

// ---- JSONL ----

TEST(Jsonl, FieldsIdsAndIgnoredValues) {
  const std::string data =
      "{\"id\":\"d1\",\"title\":\"T\",\"text\":\"hello\\nworld\",\"n\":3,\"tags\":[\"x\"],"
      "\"o\":{\"a\":null}}\n"
      "\n  \r\n"
      "{\"text\":\"second\",\"id\":\"d2\"}";
  const auto items = ReadBuffer(data, "in.jsonl");
  ASSERT_EQ(items.size(), 2u);
  ASSERT_TRUE(items[0].ok) << items[0].error;
  EXPECT_EQ(items[0].doc.id, "d1");
  ASSERT_EQ(items[0].doc.fields.size(), 2u);
  EXPECT_EQ(items[0].doc.fields[0].name, "title");
  EXPECT_EQ(items[0].doc.fields[1].value, "hello\nworld");
  EXPECT_TRUE(items[0].doc.fields[0].indexed && items[0].doc.fields[0].stored);
  EXPECT_EQ(items[0].origin.file, "in.jsonl");
  EXPECT_EQ(items[0].origin.line, 1u);
  ASSERT_TRUE(items[1].ok);
  EXPECT_EQ(items[1].doc.id, "d2");
  ASSERT_EQ(items[1].doc.fields.size(), 1u);  // the reused Document lost its old fields
  EXPECT_EQ(items[1].origin.line, 4u);
}

TEST(Jsonl, NamedFieldsStoreAndIdField) {
  ReaderOptions o;
  o.id_field = "key";
  o.fields = {"body", "missing"};
  o.store = std::vector<std::string>{"title"};
  const auto items =
      ReadBuffer(R"({"key":"k","title":"T","body":"B","other":"O","n":[1]})", "x.jsonl", o);
  ASSERT_EQ(items.size(), 1u);
  ASSERT_TRUE(items[0].ok) << items[0].error;
  EXPECT_EQ(items[0].doc.id, "k");
  const Field* title = FindField(items[0].doc, "title");
  const Field* body = FindField(items[0].doc, "body");
  ASSERT_NE(title, nullptr);
  ASSERT_NE(body, nullptr);
  EXPECT_FALSE(title->indexed);
  EXPECT_TRUE(title->stored);
  EXPECT_TRUE(body->indexed);
  EXPECT_FALSE(body->stored);
  EXPECT_EQ(FindField(items[0].doc, "other"), nullptr);  // neither indexed nor stored
  EXPECT_EQ(items[0].doc.fields.size(), 2u);
}

TEST(Jsonl, RecordErrorsNameFileLineAndContinue) {
  const std::string data =
      "{\"id\":\"a\",\"text\":\"ok\"}\n"                // 1
      "{\"id\":\"b\",\"text\":\"x\"\n"                  // 2 malformed (unterminated object)
      "{\"text\":\"no id\"}\n"                          // 3 missing id
      "{\"id\":7,\"text\":\"x\"}\n"                     // 4 id not a string
      "{\"id\":\"e\",\"text\":\"caf\xC3\"}\n"           // 5 invalid UTF-8
      "{\"id\":\"f\",\"text\":\"x\",\"text\":\"y\"}\n"  // 6 duplicate key
      "[1]\n"                                           // 7 not an object
      "{\"id\":\"h\"} x\n"                              // 8 trailing garbage
      "{\"id\":\"\"}\n"                                 // 9 empty id
      "{\"id\":\"j\",\"text\":\"last\"}\n";             // 10
  const auto items = ReadBuffer(data, "f.jsonl");
  ASSERT_EQ(items.size(), 10u);
  EXPECT_TRUE(items[0].ok);
  // Columns and offsets are computed from the data: column = byte offset in the line + 1.
  auto line_start = [&](int line) {
    size_t pos = 0;
    for (int i = 1; i < line; ++i) pos = data.find('\n', pos) + 1;
    return pos;
  };
  auto at = [&](int line, std::string_view what) {
    const size_t start = line_start(line);
    return absl::StrCat("f.jsonl:", line, ":", data.find(what, start) - start + 1, ": ");
  };
  EXPECT_EQ(items[1].error, at(2, "\n") + "unterminated object");
  EXPECT_EQ(items[2].error, "f.jsonl:3: missing id field \"id\"");
  EXPECT_EQ(items[3].error, at(4, "7") + "id is not a string (field \"id\")");
  const size_t bad = data.find('\xC3');
  EXPECT_EQ(items[4].error, at(5, "\xC3") + "invalid UTF-8 at byte offset " + std::to_string(bad));
  EXPECT_EQ(items[5].error, at(6, "\"text\":\"y") + "duplicate key \"text\"");
  EXPECT_NE(items[6].error.find("f.jsonl:7:1: expected '{'"), std::string::npos);
  EXPECT_EQ(items[7].error, at(8, "x") + "trailing characters after the object");
  EXPECT_EQ(items[8].error, "f.jsonl:9: empty id (field \"id\")");
  ASSERT_TRUE(items[9].ok);
  EXPECT_EQ(items[9].doc.id, "j");
  EXPECT_EQ(items[9].origin.line, 10u);
  for (int i = 1; i <= 8; ++i) {
    EXPECT_EQ(items[i].code, absl::StatusCode::kInvalidArgument) << i;
    EXPECT_EQ(items[i].origin.line, static_cast<uint64_t>(i + 1));
  }
}

TEST(Jsonl, NamedFieldMustBeString) {
  ReaderOptions o;
  o.fields = {"text"};
  const auto items =
      ReadBuffer("{\"id\":\"a\",\"text\":[\"x\"]}\n{\"id\":\"b\",\"n\":1}\n", "g.jsonl", o);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].error, "g.jsonl:1:18: field \"text\" is not a string");
  ASSERT_TRUE(items[1].ok);  // absent named field is fine; unnamed number ignored
  EXPECT_TRUE(items[1].doc.fields.empty());
}

TEST(Jsonl, ByteOrderMarkSkipped) {
  const auto items = ReadBuffer("\xEF\xBB\xBF{\"id\":\"a\",\"t\":1,}\n", "bom.jsonl");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].error, "bom.jsonl:1:20: expected a string key");
}

// ---- TSV ----

TEST(Tsv, HeaderEscapesAndCrlf) {
  const std::string data =
      "id\ttitle\tbody\r\n"
      "a\tT1\tline\\none\\ttab\\\\back\\q\r\n"
      "\r\n"
      "b\t\tB2\n";
  const auto items = ReadBuffer(data, "t.tsv");
  ASSERT_EQ(items.size(), 2u);
  ASSERT_TRUE(items[0].ok) << items[0].error;
  EXPECT_EQ(items[0].doc.id, "a");
  EXPECT_EQ(Value(items[0].doc, "title"), "T1");
  EXPECT_EQ(Value(items[0].doc, "body"), "line\none\ttab\\back\\q");
  EXPECT_EQ(items[0].origin.line, 2u);
  ASSERT_TRUE(items[1].ok);
  EXPECT_EQ(Value(items[1].doc, "title"), "");
  EXPECT_EQ(items[1].origin.line, 4u);
}

TEST(Tsv, ErrorsAndContinue) {
  ReaderOptions o;
  o.fields = {"body"};
  const std::string data =
      "body\tid\textra\n"
      "x\ta\te\n"
      "only two\tcells\n"
      "y\t\te\n"
      "z\tc\t\xFF\n"
      "w\td\te\n";
  const auto items = ReadBuffer(data, "t.tsv", o);
  ASSERT_EQ(items.size(), 5u);
  ASSERT_TRUE(items[0].ok);
  EXPECT_EQ(items[0].doc.id, "a");
  EXPECT_TRUE(FindField(items[0].doc, "body")->indexed);
  EXPECT_FALSE(FindField(items[0].doc, "extra")->indexed);  // stored only
  EXPECT_EQ(items[1].error, "t.tsv:3: expected 3 cells (as in the header), found 2");
  EXPECT_EQ(items[2].error, "t.tsv:4: empty id (column \"id\")");
  const size_t bad = data.find('\xFF');
  EXPECT_EQ(items[3].error, "t.tsv:5:5: invalid UTF-8 at byte offset " + std::to_string(bad));
  EXPECT_EQ(data.substr(bad - 4, 4), "z\tc\t");
  ASSERT_TRUE(items[4].ok);
  EXPECT_EQ(items[4].doc.id, "d");
}

TEST(Tsv, BadHeaderSkipsFile) {
  auto items = ReadBuffer("name\ttext\nx\ty\n", "h.tsv");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].error, "h.tsv:1: header has no id column \"id\"");
  items = ReadBuffer("id\ta\ta\nx\ty\tz\n", "h.tsv");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].error, "h.tsv:1: duplicate column \"a\"");
}

// ---- text and paragraphs ----

TEST(Text, WholeBufferIsOneDocument) {
  auto items = ReadBuffer("line one\nline two\n", "notes.txt");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].doc.id, "notes.txt");
  EXPECT_EQ(Value(items[0].doc, "text"), "line one\nline two\n");
  items = ReadBuffer("ok\nbad \xE2\x28\xA1 here", "bad.txt");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].error, "bad.txt:2:5: invalid UTF-8 at byte offset 7");
}

TEST(Paragraphs, IdsAndLines) {
  ReaderOptions o;
  o.format = Format::kParagraphs;
  const auto items =
      ReadBuffer("First para\ncontinues.\n\n<p>Second</p><p>Third &amp; last</p>\n", "doc", o);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].doc.id, "doc#1");
  EXPECT_EQ(Value(items[0].doc, "text"), "First para continues.");
  EXPECT_EQ(items[0].origin.line, 1u);
  EXPECT_EQ(items[2].doc.id, "doc#3");
  EXPECT_EQ(Value(items[2].doc, "text"), "Third & last");
  EXPECT_EQ(items[2].origin.line, 4u);
}

// ---- content sniffing for stdin-like buffers ----

TEST(Buffer, AutoFormatFromContentWhenNameHasNoKnownExtension) {
  auto items = ReadBuffer("\n  {\"id\":\"s1\",\"text\":\"x\"}\n", "<stdin>");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].doc.id, "s1");
  items = ReadBuffer("just text", "<stdin>");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].doc.id, "<stdin>");
  ReaderOptions o;
  o.format = Format::kTsv;
  items = ReadBuffer("id\ttext\nq\tw\n", "<stdin>", o);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].doc.id, "q");
}

// Redirects fd 0 to a pipe fed by a thread while `fn` runs.
template <typename Fn>
void WithStdin(const std::string& content, Fn fn) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const int saved = ::dup(STDIN_FILENO);
  ASSERT_GE(saved, 0);
  ASSERT_EQ(::dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
  ::close(fds[0]);
  std::thread writer([&] {
    size_t off = 0;
    while (off < content.size()) {
      const ssize_t n =
          ::write(fds[1], content.data() + off, std::min<size_t>(content.size() - off, 70000));
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    ::close(fds[1]);
  });
  fn();
  writer.join();
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
}

TEST(Stdin, StreamsLinesAcrossReadChunks) {
  // ~3 MB of lines of varied length so lines straddle the 1 MiB read chunks.
  std::mt19937 rng(5);
  std::string content;
  std::vector<std::string> texts;
  for (int i = 0; i < 3000; ++i) {
    texts.push_back(std::string(rng() % 2000, static_cast<char>('a' + i % 26)));
    content += "{\"id\":\"" + std::to_string(i) + "\",\"text\":\"" + texts.back() + "\"}\n";
  }
  WithStdin(content, [&] {
    auto r = OpenReader("-", ReaderOptions{});
    ASSERT_TRUE(r.ok()) << r.status();
    const auto items = ReadAll(r->get());
    ASSERT_EQ(items.size(), texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
      ASSERT_TRUE(items[i].ok) << items[i].error;
      ASSERT_EQ(items[i].doc.id, std::to_string(i));
      ASSERT_EQ(Value(items[i].doc, "text"), texts[i]);
    }
    EXPECT_EQ((*r)->bytes_read(), content.size());
    EXPECT_EQ((*r)->bytes_total(), 0u);
    EXPECT_EQ(items.back().origin.file, "<stdin>");
  });
}

TEST(Stdin, TextWhenNotJson) {
  WithStdin("plain words\n", [&] {
    auto r = OpenReader("-", ReaderOptions{});
    ASSERT_TRUE(r.ok()) << r.status();
    const auto items = ReadAll(r->get());
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(Value(items[0].doc, "text"), "plain words\n");
  });
}

// ---- files and directories ----

TEST(Files, MissingPathIsNotFound) {
  auto r = OpenReader("/nonexistent/scour/input.jsonl", ReaderOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("/nonexistent/scour/input.jsonl"), std::string::npos);
  ReaderOptions o;
  o.id_field = "";
  EXPECT_EQ(OpenReader(SCOUR_SOURCE_DIR, o).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Files, UnreadableFileIsPermissionDenied) {
  TempDir dir;
  const std::string p = dir.Write("secret.jsonl", "{\"id\":\"a\"}\n");
  ::chmod(p.c_str(), 0);
  if (::access(p.c_str(), R_OK) == 0) GTEST_SKIP() << "running with privileges that ignore modes";
  auto r = OpenReader(p, ReaderOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(r.status().message().find(p), std::string::npos);
  // Inside a directory walk the error comes from Next() and stops the reader.
  dir.Write("a.jsonl", "{\"id\":\"x\"}\n");
  auto w = OpenReader(dir.path(), ReaderOptions{});
  ASSERT_TRUE(w.ok());
  const auto items = ReadAll(w->get());
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].code, absl::StatusCode::kPermissionDenied);
}

TEST(Files, DirectoryWalkSortedHiddenSkippedFormatsPerFile) {
  TempDir dir;
  dir.Write("b.jsonl", "{\"id\":\"b1\",\"text\":\"x\"}\n{\"id\":\"b2\",\"text\":\"y\"}\n");
  dir.Write("a/z.tsv", "id\ttext\nz1\tzz\n");
  dir.Write("a-c.txt", "text file");
  dir.Write("a/page.html", "<p>one</p><p>two</p>");
  dir.Write(".hidden.jsonl", "{\"id\":\"hidden\"}\n");
  dir.Write(".git/x.jsonl", "{\"id\":\"hidden2\"}\n");
  dir.Write("c/notes", "no extension");
  auto r = OpenReader(dir.path() + "/", ReaderOptions{});
  ASSERT_TRUE(r.ok()) << r.status();
  uint64_t expected_total = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir.path())) {
    if (e.is_regular_file() && e.path().string().find("/.") == std::string::npos) {
      expected_total += e.file_size();
    }
  }
  EXPECT_EQ((*r)->bytes_total(), expected_total);
  const auto items = ReadAll(r->get());
  std::vector<std::string> ids;
  for (const Item& it : items) {
    ASSERT_TRUE(it.ok) << it.error;
    ids.push_back(it.doc.id);
  }
  // Byte-wise path order: "a-c.txt" < "a/..." because '-' < '/'.
  const std::string d = dir.path() + "/";
  EXPECT_EQ(ids, (std::vector<std::string>{d + "a-c.txt", d + "a/page.html#1", d + "a/page.html#2",
                                           "z1", "b1", "b2", d + "c/notes"}));
  EXPECT_EQ((*r)->bytes_read(), expected_total);
}

TEST(Files, IoErrorMidWalkStopsReader) {
  TempDir dir;
  dir.Write("a.jsonl", "{\"id\":\"a\"}\n");
  dir.Write("c.jsonl", "{\"id\":\"c\"}\n");
  fs::create_symlink(dir.path() + "/gone.jsonl", dir.path() + "/b.jsonl");
  auto r = OpenReader(dir.path(), ReaderOptions{});
  ASSERT_TRUE(r.ok()) << r.status();
  Document doc;
  auto s = (*r)->Next(&doc);
  ASSERT_TRUE(s.ok() && *s);
  EXPECT_EQ(doc.id, "a");
  s = (*r)->Next(&doc);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(s.status().message().find("b.jsonl"), std::string::npos);
  s = (*r)->Next(&doc);  // sticky: the reader does not go on to c.jsonl
  EXPECT_EQ(s.status().code(), absl::StatusCode::kNotFound);
}

TEST(Files, ExplicitFormatAppliesToEveryFile) {
  TempDir dir;
  dir.Write("x.jsonl", "one\n\ntwo\n");
  ReaderOptions o;
  o.format = Format::kParagraphs;
  auto r = OpenReader(dir.path(), o);
  ASSERT_TRUE(r.ok());
  const auto items = ReadAll(r->get());
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(Value(items[1].doc, "text"), "two");
}

// ---- the corpus files parse completely ----

size_t CountLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) n += !line.empty();
  return n;
}

TEST(Corpus, AllJsonlFilesParse) {
  const std::string root = std::string(SCOUR_SOURCE_DIR) + "/corpus/";
  struct Expect {
    std::string path;
    size_t docs;
  };
  const Expect files[] = {{"party_state.jsonl", 109},
                          {"collections/cranfield/corpus.jsonl", 1400},
                          {"collections/cisi/corpus.jsonl", 1460},
                          {"collections/scifact/corpus.jsonl", 5183}};
  for (const Expect& e : files) {
    const std::string path = root + e.path;
    EXPECT_EQ(CountLines(path), e.docs) << path;
    auto r = OpenReader(path, ReaderOptions{});
    ASSERT_TRUE(r.ok()) << r.status();
    Document doc;
    size_t n = 0;
    std::set<std::string> ids;
    for (;;) {
      auto s = (*r)->Next(&doc);
      ASSERT_TRUE(s.ok()) << s.status();
      if (!*s) break;
      ++n;
      ids.insert(doc.id);
      ASSERT_NE(FindField(doc, "text"), nullptr) << doc.id;
    }
    EXPECT_EQ(n, e.docs) << path;
    EXPECT_EQ(ids.size(), e.docs) << path;
    EXPECT_EQ((*r)->bytes_read(), fs::file_size(path));
    EXPECT_EQ((*r)->bytes_total(), fs::file_size(path));
  }
}

TEST(Corpus, DevTopicsAsTsv) {
  // topics.tsv has no header row: give it one.
  std::ifstream in(std::string(SCOUR_SOURCE_DIR) + "/corpus/dev/topics.tsv", std::ios::binary);
  std::stringstream ss;
  ss << "id\tquery\n" << in.rdbuf();
  const std::string data = ss.str();
  const auto items = ReadBuffer(data, "topics.tsv");
  ASSERT_EQ(items.size(), 20u);
  for (size_t i = 0; i < items.size(); ++i) {
    ASSERT_TRUE(items[i].ok) << items[i].error;
    EXPECT_EQ(items[i].doc.id, "D" + std::to_string(i + 1));
    EXPECT_FALSE(Value(items[i].doc, "query").empty());
  }
}

}  // namespace
}  // namespace scour::ingest
