#include "ingest/document_reader.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "base/string_view.h"
#include "base/utf8.h"
#include "ingest/byte_source.h"
#include "ingest/json_parser.h"
#include "ingest/paragraphs.h"

namespace scour::ingest {
namespace {

constexpr std::string_view kStdinName = "<stdin>";
constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Which fields become document fields, decided once per reader.
struct FieldPolicy {
  std::string id_field;
  std::vector<std::string> fields;  // empty = every text field
  std::optional<std::vector<std::string>> store;

  bool IsNamed(std::string_view name) const {
    return std::find(fields.begin(), fields.end(), name) != fields.end();
  }
  bool IsStored(std::string_view name) const {
    return !store || std::find(store->begin(), store->end(), name) != store->end();
  }
};

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

// "FILE:LINE[:COL]: message" as InvalidArgument (col 0 = no column).
absl::Status RecordError(const RecordOrigin& origin, uint64_t col, std::string_view message) {
  if (col == 0)
    return absl::InvalidArgumentError(
        absl::StrCat(origin.file, ":", origin.line, ": ", Av(message)));
  return absl::InvalidArgumentError(
      absl::StrCat(origin.file, ":", origin.line, ":", col, ": ", Av(message)));
}

// Line and column (1-based, bytes) of `offset` in a whole-file text.
void LineColumn(std::string_view text, size_t offset, uint64_t* line, uint64_t* col) {
  const std::string_view before = text.substr(0, offset);
  *line = 1 + static_cast<uint64_t>(std::count(before.begin(), before.end(), '\n'));
  const size_t nl = before.rfind('\n');
  *col = nl == std::string_view::npos ? offset + 1 : offset - nl;
}

// Rejects invalid UTF-8 in a whole-file text, naming line, column and byte offset.
absl::Status CheckUtf8(std::string_view text, size_t base_offset, RecordOrigin* origin) {
  const size_t bad = FindInvalidUtf8(text);
  if (bad == text.size()) return absl::OkStatus();
  uint64_t col;
  LineColumn(text, bad, &origin->line, &col);
  if (base_offset > 0 && origin->line == 1) col += base_offset;
  return RecordError(*origin, col,
                     absl::StrCat("invalid UTF-8 at byte offset ", base_offset + bad));
}

class FormatParser {
 public:
  FormatParser(const FieldPolicy* policy, ByteSource* source, RecordOrigin* origin)
      : policy_(policy), source_(source), origin_(origin) {}
  virtual ~FormatParser() = default;
  // Same contract as DocumentReader::Next for one input.
  virtual absl::StatusOr<bool> Next(Document* doc) = 0;

 protected:
  const FieldPolicy* policy_;
  ByteSource* source_;
  RecordOrigin* origin_;
};

// ---- JSONL ----

class JsonlParser : public FormatParser, private JsonMemberHandler {
 public:
  using FormatParser::FormatParser;

  absl::StatusOr<bool> Next(Document* doc) override {
    std::string_view line;
    uint64_t offset = 0;
    size_t skipped = 0;  // BOM bytes removed from the line
    for (;;) {
      SCOUR_ASSIGN_OR_RETURN(const bool got, source_->NextLine(&line, &offset));
      if (!got) return false;
      ++line_number_;
      skipped = 0;
      if (offset == 0 && line.starts_with(kBom)) {
        line.remove_prefix(kBom.size());
        skipped = kBom.size();
      }
      if (!IsBlank(line)) break;
    }
    origin_->line = line_number_;
    if (line.size() > UINT32_MAX) return RecordError(*origin_, 0, "line longer than 4 GiB");
    doc_ = doc;
    doc->id.clear();
    num_fields_ = 0;
    seen_id_ = false;
    if (!parser_.Parse(line, this)) {
      const JsonError& e = parser_.error();
      const uint64_t at = skipped + e.offset;
      return RecordError(
          *origin_, at + 1,
          e.invalid_utf8 ? absl::StrCat("invalid UTF-8 at byte offset ", offset + at) : e.message);
    }
    doc->fields.resize(num_fields_);
    if (!seen_id_) {
      return RecordError(*origin_, 0,
                         absl::StrFormat("missing id field \"%s\"", policy_->id_field));
    }
    if (doc->id.empty()) {
      return RecordError(*origin_, 0,
                         absl::StrFormat("empty id (field \"%s\")", policy_->id_field));
    }
    return true;
  }

 private:
  bool OnMember(std::string_view key, JsonType type, std::string** value_out,
                std::string* error) override {
    if (key == policy_->id_field) {
      if (type != JsonType::kString) {
        *error = absl::StrFormat("id is not a string (field \"%s\")", Av(key));
        return false;
      }
      seen_id_ = true;
      *value_out = &doc_->id;
      return true;
    }
    const bool named = policy_->IsNamed(key);
    if (type != JsonType::kString) {
      if (named) {
        *error = absl::StrFormat("field \"%s\" is not a string", Av(key));
        return false;
      }
      return true;  // numbers, arrays, objects... not asked for: validated and ignored
    }
    const bool indexed = policy_->fields.empty() || named;
    const bool stored = policy_->IsStored(key);
    if (!indexed && !stored) return true;
    if (num_fields_ == doc_->fields.size()) doc_->fields.emplace_back();
    Field& f = doc_->fields[num_fields_++];
    f.name.assign(key);
    f.indexed = indexed;
    f.stored = stored;
    *value_out = &f.value;
    return true;
  }

  JsonObjectParser parser_;
  Document* doc_ = nullptr;
  size_t num_fields_ = 0;
  bool seen_id_ = false;
  uint64_t line_number_ = 0;
};

// ---- TSV ----

// Decodes the backslash escapes \t \n \r \\ of a TSV cell; any other backslash is kept as is.
void DecodeTsvCell(std::string_view cell, std::string* out) {
  const void* bs = std::memchr(cell.data(), '\\', cell.size());
  if (bs == nullptr) {
    out->assign(cell);
    return;
  }
  out->clear();
  size_t i = 0;
  while (i < cell.size()) {
    const size_t j = cell.find('\\', i);
    if (j == std::string_view::npos || j + 1 >= cell.size()) {
      out->append(cell.substr(i));
      break;
    }
    out->append(cell.substr(i, j - i));
    switch (cell[j + 1]) {
      case 't':
        out->push_back('\t');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case '\\':
        out->push_back('\\');
        break;
      default:
        out->append(cell.substr(j, 2));
    }
    i = j + 2;
  }
}

class TsvParser : public FormatParser {
 public:
  using FormatParser::FormatParser;

  absl::StatusOr<bool> Next(Document* doc) override {
    if (done_) return false;
    std::string_view line;
    uint64_t offset = 0;
    for (;;) {
      SCOUR_ASSIGN_OR_RETURN(const bool got, source_->NextLine(&line, &offset));
      if (!got) return false;
      ++line_number_;
      size_t skipped = 0;
      if (offset == 0 && line.starts_with(kBom)) {
        line.remove_prefix(kBom.size());
        skipped = kBom.size();
      }
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) continue;
      origin_->line = line_number_;
      const size_t bad = FindInvalidUtf8(line);
      if (bad != line.size()) {
        if (columns_.empty()) done_ = true;
        return RecordError(*origin_, skipped + bad + 1,
                           absl::StrCat("invalid UTF-8 at byte offset ", offset + skipped + bad));
      }
      if (columns_.empty()) {
        absl::Status s = ParseHeader(line);
        if (!s.ok()) {
          done_ = true;  // without a usable header no row can be read
          return s;
        }
        continue;
      }
      return ParseRow(line, doc);
    }
  }

 private:
  struct Column {
    std::string name;
    bool is_id = false;
    bool indexed = false;
    bool stored = false;
  };

  absl::Status ParseHeader(std::string_view line) {
    std::vector<Column> cols;
    bool have_id = false;
    size_t i = 0;
    for (;;) {
      const size_t tab = line.find('\t', i);
      const std::string_view cell =
          line.substr(i, tab == std::string_view::npos ? std::string_view::npos : tab - i);
      Column c;
      DecodeTsvCell(cell, &c.name);
      c.is_id = c.name == policy_->id_field;
      have_id |= c.is_id;
      c.indexed = !c.is_id && (policy_->fields.empty() || policy_->IsNamed(c.name));
      c.stored = !c.is_id && policy_->IsStored(c.name);
      cols.push_back(std::move(c));
      if (tab == std::string_view::npos) break;
      i = tab + 1;
    }
    std::vector<std::string_view> names;
    for (const Column& c : cols) names.push_back(c.name);
    std::sort(names.begin(), names.end());  // not pairwise: a header may be huge
    const auto dup = std::adjacent_find(names.begin(), names.end());
    if (dup != names.end()) {
      return RecordError(*origin_, 0, absl::StrFormat("duplicate column \"%s\"", Av(*dup)));
    }
    if (!have_id) {
      return RecordError(*origin_, 0,
                         absl::StrFormat("header has no id column \"%s\"", policy_->id_field));
    }
    for (const std::string& f : policy_->fields) {
      if (std::none_of(cols.begin(), cols.end(), [&](const Column& c) { return c.name == f; })) {
        return RecordError(*origin_, 0, absl::StrFormat("header has no column \"%s\"", f));
      }
    }
    columns_ = std::move(cols);
    return absl::OkStatus();
  }

  absl::StatusOr<bool> ParseRow(std::string_view line, Document* doc) {
    const size_t cells = 1 + static_cast<size_t>(std::count(line.begin(), line.end(), '\t'));
    if (cells != columns_.size()) {
      return RecordError(*origin_, 0,
                         absl::StrFormat("expected %d cells (as in the header), found %d",
                                         columns_.size(), cells));
    }
    size_t num_fields = 0;
    size_t i = 0;
    for (const Column& c : columns_) {
      size_t tab = line.find('\t', i);
      if (tab == std::string_view::npos) tab = line.size();
      const std::string_view cell = line.substr(i, tab - i);
      i = tab + 1;
      if (c.is_id) {
        DecodeTsvCell(cell, &doc->id);
      } else if (c.indexed || c.stored) {
        if (num_fields == doc->fields.size()) doc->fields.emplace_back();
        Field& f = doc->fields[num_fields++];
        f.name.assign(c.name);
        f.indexed = c.indexed;
        f.stored = c.stored;
        DecodeTsvCell(cell, &f.value);
      }
    }
    doc->fields.resize(num_fields);
    if (doc->id.empty()) {
      return RecordError(*origin_, 0,
                         absl::StrFormat("empty id (column \"%s\")", policy_->id_field));
    }
    return true;
  }

  std::vector<Column> columns_;  // empty until the header is read
  bool done_ = false;
  uint64_t line_number_ = 0;
};

// ---- text and paragraphs ----

// Reads the rest of the input, dropping a leading BOM; *skipped = bytes dropped.
absl::StatusOr<std::string_view> ReadWhole(ByteSource* source, size_t* skipped) {
  const bool at_start = source->consumed() == 0;
  SCOUR_ASSIGN_OR_RETURN(std::string_view all, source->ReadAll());
  *skipped = 0;
  if (at_start && all.starts_with(kBom)) {
    all.remove_prefix(kBom.size());
    *skipped = kBom.size();
  }
  return all;
}

void SetSingleField(const FieldPolicy& policy, Document* doc) {
  doc->fields.resize(1);
  Field& f = doc->fields[0];
  f.name.assign("text");
  f.indexed = true;
  f.stored = policy.IsStored("text");
}

class TextParser : public FormatParser {
 public:
  using FormatParser::FormatParser;

  absl::StatusOr<bool> Next(Document* doc) override {
    if (done_) return false;
    done_ = true;
    size_t skipped;
    SCOUR_ASSIGN_OR_RETURN(const std::string_view text, ReadWhole(source_, &skipped));
    origin_->line = 0;
    SCOUR_RETURN_IF_ERROR(CheckUtf8(text, skipped, origin_));
    doc->id.assign(origin_->file);
    SetSingleField(*policy_, doc);
    doc->fields[0].value.assign(text);
    return true;
  }

 private:
  bool done_ = false;
};

class ParagraphsParser : public FormatParser {
 public:
  using FormatParser::FormatParser;

  absl::StatusOr<bool> Next(Document* doc) override {
    if (done_) return false;
    if (!loaded_) {
      size_t skipped;
      SCOUR_ASSIGN_OR_RETURN(text_, ReadWhole(source_, &skipped));
      loaded_ = true;
      absl::Status s = CheckUtf8(text_, skipped, origin_);
      if (!s.ok()) {
        done_ = true;
        return s;
      }
    }
    SetSingleField(*policy_, doc);
    uint64_t start_line = 0;
    if (!NextParagraph(text_, &cursor_, &doc->fields[0].value, &start_line)) {
      done_ = true;
      return false;
    }
    origin_->line = start_line;
    ++count_;
    doc->id.assign(origin_->file);
    absl::StrAppend(&doc->id, "#", count_);
    return true;
  }

 private:
  std::string_view text_;
  ParagraphCursor cursor_;
  uint64_t count_ = 0;
  bool loaded_ = false;
  bool done_ = false;
};

std::unique_ptr<FormatParser> MakeParser(Format format, const FieldPolicy* policy,
                                         ByteSource* source, RecordOrigin* origin) {
  switch (format) {
    case Format::kJsonl:
      return std::make_unique<JsonlParser>(policy, source, origin);
    case Format::kTsv:
      return std::make_unique<TsvParser>(policy, source, origin);
    case Format::kParagraphs:
      return std::make_unique<ParagraphsParser>(policy, source, origin);
    case Format::kText:
    case Format::kAuto:
      break;
  }
  return std::make_unique<TextParser>(policy, source, origin);
}

// ---- the reader over one or more inputs ----

struct InputFile {
  std::string path;
  uint64_t size = 0;
};

class MultiReader : public DocumentReader {
 public:
  MultiReader(FieldPolicy policy, Format format, std::vector<InputFile> files, uint64_t total)
      : policy_(std::move(policy)), format_(format), files_(std::move(files)), total_(total) {}

  // Starts with an already open input (a single file, stdin or a buffer).
  void SetFirst(std::unique_ptr<ByteSource> source, std::string name, Format format) {
    source_ = std::move(source);
    origin_.file = std::move(name);
    origin_.line = 0;
    parser_ = MakeParser(format, &policy_, source_.get(), &origin_);
  }

  absl::StatusOr<bool> Next(Document* doc) override {
    if (!fatal_.ok()) return fatal_;
    for (;;) {
      if (parser_ == nullptr) {
        if (next_file_ >= files_.size()) return false;
        absl::Status s = OpenNext();
        if (!s.ok()) {
          fatal_ = s;
          return s;
        }
      }
      absl::StatusOr<bool> r = parser_->Next(doc);
      if (!r.ok()) {
        if (r.status().code() != absl::StatusCode::kInvalidArgument) fatal_ = r.status();
        return r.status();
      }
      if (*r) return true;
      finished_bytes_ += std::max(source_->consumed(), source_->size_hint());
      parser_.reset();
      source_.reset();
    }
  }

  RecordOrigin origin() const override { return origin_; }
  uint64_t bytes_read() const override {
    return finished_bytes_ + (source_ != nullptr ? source_->consumed() : 0);
  }
  uint64_t bytes_total() const override { return total_; }

 private:
  absl::Status OpenNext() {
    const InputFile& f = files_[next_file_++];
    SCOUR_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> src, ByteSource::OpenFile(f.path));
    SetFirst(std::move(src), f.path, format_ == Format::kAuto ? FormatForPath(f.path) : format_);
    return absl::OkStatus();
  }

  FieldPolicy policy_;
  Format format_;
  std::vector<InputFile> files_;
  size_t next_file_ = 0;
  uint64_t total_ = 0;
  uint64_t finished_bytes_ = 0;
  std::unique_ptr<ByteSource> source_;
  std::unique_ptr<FormatParser> parser_;
  RecordOrigin origin_;
  absl::Status fatal_;  // sticky I/O error
};

absl::Status FsError(const std::error_code& ec, const std::string& path) {
  return absl::ErrnoToStatus(ec.value(), absl::StrCat(path, ": ", ec.message()));
}

// Collects the non-hidden regular files under `dir` (symlinks to files followed, symlinks to
// directories not, so the walk cannot loop).
absl::Status Walk(const std::filesystem::path& dir, std::vector<InputFile>* out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return FsError(ec, dir.string());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return FsError(ec, dir.string());
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code sec;
    const bool is_link = it->is_symlink(sec);
    const fs::file_status st = it->status(sec);
    if (fs::is_directory(st)) {
      if (!is_link) SCOUR_RETURN_IF_ERROR(Walk(p, out));
    } else if (fs::is_regular_file(st)) {
      std::error_code zec;
      const auto size = fs::file_size(p, zec);
      out->push_back({p.string(), zec ? 0 : static_cast<uint64_t>(size)});
    } else if (!fs::exists(st)) {
      out->push_back({p.string(), 0});  // dangling link: reported when it is opened
    }
    // Sockets, FIFOs and devices are skipped: reading them could block or never end.
  }
  if (ec) return FsError(ec, dir.string());
  return absl::OkStatus();
}

absl::StatusOr<FieldPolicy> MakePolicy(const ReaderOptions& options) {
  if (options.id_field.empty()) return absl::InvalidArgumentError("id field name is empty");
  FieldPolicy p;
  p.id_field = options.id_field;
  p.fields = options.fields;
  p.store = options.store;
  return p;
}

}  // namespace

absl::StatusOr<Format> ParseFormat(std::string_view name) {
  if (name == "auto") return Format::kAuto;
  if (name == "jsonl") return Format::kJsonl;
  if (name == "tsv") return Format::kTsv;
  if (name == "text") return Format::kText;
  if (name == "paragraphs") return Format::kParagraphs;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown format \"", Av(name), "\" (expected auto, jsonl, tsv, text or paragraphs)"));
}

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kAuto:
      return "auto";
    case Format::kJsonl:
      return "jsonl";
    case Format::kTsv:
      return "tsv";
    case Format::kText:
      return "text";
    case Format::kParagraphs:
      return "paragraphs";
  }
  return "?";
}

namespace {
// Lower-cased extension without the dot ("" when none) of the last path component.
std::string Extension(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const size_t dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  return absl::AsciiStrToLower(Av(base.substr(dot + 1)));
}

// The format an extension names, or kAuto when it names none.
Format FormatForExtension(std::string_view ext) {
  if (ext == "jsonl" || ext == "ndjson" || ext == "json") return Format::kJsonl;
  if (ext == "tsv") return Format::kTsv;
  if (ext == "html" || ext == "htm" || ext == "md" || ext == "markdown") {
    return Format::kParagraphs;
  }
  if (ext == "txt") return Format::kText;
  return Format::kAuto;
}
}  // namespace

Format FormatForPath(std::string_view path) {
  const Format f = FormatForExtension(Extension(path));
  return f == Format::kAuto ? Format::kText : f;
}

Format FormatForContent(std::string_view content) {
  for (char c : content) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') continue;
    return c == '{' ? Format::kJsonl : Format::kText;
  }
  return Format::kText;
}

absl::StatusOr<std::unique_ptr<DocumentReader>> OpenReader(const std::string& path,
                                                           const ReaderOptions& options) {
  SCOUR_ASSIGN_OR_RETURN(FieldPolicy policy, MakePolicy(options));
  if (path == "-") {
    std::unique_ptr<ByteSource> src = ByteSource::FromFd(STDIN_FILENO, std::string(kStdinName));
    Format format = options.format;
    if (format == Format::kAuto) {
      SCOUR_ASSIGN_OR_RETURN(const int first, src->PeekFirstNonBlank());
      format = first == '{' ? Format::kJsonl : Format::kText;
    }
    auto reader =
        std::make_unique<MultiReader>(std::move(policy), format, std::vector<InputFile>{}, 0);
    reader->SetFirst(std::move(src), std::string(kStdinName), format);
    return reader;
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec) return FsError(ec, path);
  if (fs::is_directory(st)) {
    std::vector<InputFile> files;
    SCOUR_RETURN_IF_ERROR(Walk(path, &files));
    std::sort(files.begin(), files.end(),
              [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
    uint64_t total = 0;
    for (const InputFile& f : files) total += f.size;
    return std::make_unique<MultiReader>(std::move(policy), options.format, std::move(files),
                                         total);
  }
  // A single file: open it now so a bad path fails here rather than at the first Next().
  SCOUR_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> src, ByteSource::OpenFile(path));
  const Format format = options.format == Format::kAuto ? FormatForPath(path) : options.format;
  const uint64_t total = src->size_hint();
  auto reader =
      std::make_unique<MultiReader>(std::move(policy), format, std::vector<InputFile>{}, total);
  reader->SetFirst(std::move(src), path, format);
  return reader;
}

absl::StatusOr<std::unique_ptr<DocumentReader>> OpenBufferReader(std::string_view data,
                                                                 std::string display_name,
                                                                 const ReaderOptions& options) {
  SCOUR_ASSIGN_OR_RETURN(FieldPolicy policy, MakePolicy(options));
  Format format = options.format;
  if (format == Format::kAuto) {
    format = FormatForExtension(Extension(display_name));
    if (format == Format::kAuto) format = FormatForContent(data);
  }
  auto reader = std::make_unique<MultiReader>(std::move(policy), format, std::vector<InputFile>{},
                                              data.size());
  reader->SetFirst(ByteSource::FromBuffer(data), std::move(display_name), format);
  return reader;
}

}  // namespace scour::ingest
