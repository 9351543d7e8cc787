#include "eval/trec_io.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "base/status_macros.h"
#include "base/string_view.h"

namespace scour::eval {
namespace {

constexpr absl::string_view kBlanks = " \t\r\n\v\f";

absl::Status LineError(absl::string_view source, uint32_t line, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(source, ":", line, ": ", what));
}

// Calls fn(line_number, line) for every line that is neither blank nor a '#' comment.
template <typename Fn>
absl::Status ForEachContentLine(absl::string_view text, Fn fn) {
  uint32_t line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    SCOUR_RETURN_IF_ERROR(fn(line_no, line));
  }
  return absl::OkStatus();
}

std::vector<absl::string_view> Fields(absl::string_view line) {
  return absl::StrSplit(line, absl::ByAnyChar(kBlanks), absl::SkipEmpty());
}

template <typename Q>
const Q* FindByQid(const std::vector<Q>& queries, absl::string_view qid) {
  auto it = std::lower_bound(queries.begin(), queries.end(), qid,
                             [](const Q& q, absl::string_view id) { return q.qid < id; });
  return (it != queries.end() && it->qid == qid) ? &*it : nullptr;
}

std::string CollapseWhitespace(absl::string_view s) {
  std::string out;
  for (absl::string_view w : absl::StrSplit(s, absl::ByAnyChar(" \t\r\n\v\f"), absl::SkipEmpty())) {
    if (!out.empty()) out.push_back(' ');
    out.append(w.data(), w.size());
  }
  return out;
}

// Removes a leading label such as "Number:" (case-insensitive) from a TREC topic field.
absl::string_view StripLabel(absl::string_view s, absl::string_view label) {
  s = absl::StripLeadingAsciiWhitespace(s);
  if (absl::StartsWithIgnoreCase(s, label)) s.remove_prefix(label.size());
  return s;
}

uint32_t LineAt(absl::string_view text, size_t offset) {
  return 1 + static_cast<uint32_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

// Text of the field opened by `tag` (lower case) in `block`, up to the next '<' (a closing tag
// or the next field). Returns npos when the tag is absent.
size_t FindField(absl::string_view block, const std::string& tag, absl::string_view* value) {
  size_t at = absl::AsciiStrToLower(block).find(tag);
  if (at == absl::string_view::npos) return at;
  size_t start = at + tag.size();
  size_t stop = block.find('<', start);
  if (stop == absl::string_view::npos) stop = block.size();
  *value = block.substr(start, stop - start);
  return at;
}

absl::StatusOr<std::vector<Topic>> ParseTrecTopics(absl::string_view text,
                                                   absl::string_view source) {
  std::vector<Topic> topics;
  std::string lower = absl::AsciiStrToLower(text);
  size_t pos = 0;
  while (true) {
    size_t open = lower.find("<top>", pos);
    if (open == std::string::npos) break;
    size_t close = lower.find("</top>", open);
    if (close == std::string::npos) {
      return LineError(source, LineAt(text, open), "<top> without a closing </top>");
    }
    absl::string_view block = text.substr(open + 5, close - open - 5);
    Topic t;
    t.line = LineAt(text, open);
    absl::string_view num;
    if (FindField(block, "<num>", &num) == absl::string_view::npos) {
      return LineError(source, t.line, "topic without <num>");
    }
    std::vector<absl::string_view> num_fields = Fields(StripLabel(num, "number:"));
    if (num_fields.empty()) return LineError(source, t.line, "empty <num>");
    t.qid = std::string(num_fields[0]);
    absl::string_view field;
    if (FindField(block, "<title>", &field) != absl::string_view::npos) {
      t.title = CollapseWhitespace(StripLabel(field, "topic:"));
    }
    if (FindField(block, "<desc>", &field) != absl::string_view::npos) {
      t.description = CollapseWhitespace(StripLabel(field, "description:"));
    }
    if (FindField(block, "<narr>", &field) != absl::string_view::npos) {
      t.narrative = CollapseWhitespace(StripLabel(field, "narrative:"));
    }
    topics.push_back(std::move(t));
    pos = close + 6;
  }
  if (topics.empty()) return absl::InvalidArgumentError(absl::StrCat(source, ": no <top> blocks"));
  return topics;
}

}  // namespace

const QrelsQuery* Qrels::Find(std::string_view qid) const { return FindByQid(queries, Av(qid)); }
const RunQuery* Run::Find(std::string_view qid) const { return FindByQid(queries, Av(qid)); }

absl::StatusOr<Qrels> ParseQrels(std::string_view text_in, std::string_view source_in) {
  absl::string_view text = Av(text_in), source = Av(source_in);
  std::map<std::string, std::vector<Judgment>, std::less<>> by_qid;
  SCOUR_RETURN_IF_ERROR(ForEachContentLine(text, [&](uint32_t line_no, absl::string_view line) {
    std::vector<absl::string_view> f = Fields(line);
    if (f.size() != 4) {
      return LineError(source, line_no,
                       absl::StrCat("expected 4 fields `qid iter docid rel`, got ", f.size()));
    }
    int32_t rel;
    if (!absl::SimpleAtoi(f[3], &rel)) {
      return LineError(source, line_no, absl::StrCat("relevance '", f[3], "' is not an integer"));
    }
    auto it = by_qid.find(f[0]);
    if (it == by_qid.end()) it = by_qid.emplace(std::string(f[0]), std::vector<Judgment>{}).first;
    it->second.push_back(Judgment{std::string(f[2]), rel, line_no});
    return absl::OkStatus();
  }));
  Qrels qrels;
  qrels.source = std::string(source);
  qrels.queries.reserve(by_qid.size());
  for (auto& [qid, judgments] : by_qid) {
    std::stable_sort(judgments.begin(), judgments.end(),
                     [](const Judgment& a, const Judgment& b) { return a.docid < b.docid; });
    qrels.queries.push_back(QrelsQuery{qid, std::move(judgments)});
  }
  return qrels;
}

absl::StatusOr<Run> ParseRun(std::string_view text_in, std::string_view source_in) {
  absl::string_view text = Av(text_in), source = Av(source_in);
  std::map<std::string, std::vector<RunEntry>, std::less<>> by_qid;
  Run run;
  SCOUR_RETURN_IF_ERROR(ForEachContentLine(text, [&](uint32_t line_no, absl::string_view line) {
    std::vector<absl::string_view> f = Fields(line);
    if (f.size() < 6) {
      return LineError(
          source, line_no,
          absl::StrCat("expected 6 fields `qid Q0 docid rank score tag`, got ", f.size()));
    }
    double score;
    if (!absl::SimpleAtod(f[4], &score) || !std::isfinite(score)) {
      return LineError(source, line_no, absl::StrCat("score '", f[4], "' is not a finite number"));
    }
    auto it = by_qid.find(f[0]);
    if (it == by_qid.end()) it = by_qid.emplace(std::string(f[0]), std::vector<RunEntry>{}).first;
    it->second.push_back(RunEntry{std::string(f[2]), score, line_no});
    run.tag = std::string(f[5]);
    return absl::OkStatus();
  }));
  run.source = std::string(source);
  run.queries.reserve(by_qid.size());
  for (auto& [qid, entries] : by_qid) run.queries.push_back(RunQuery{qid, std::move(entries)});
  return run;
}

absl::StatusOr<std::vector<Topic>> ParseTopics(std::string_view text_in,
                                               std::string_view source_in) {
  absl::string_view text = Av(text_in), source = Av(source_in);
  absl::string_view head = absl::StripLeadingAsciiWhitespace(text);
  std::vector<Topic> topics;
  if (!head.empty() && head.front() == '<') {
    SCOUR_ASSIGN_OR_RETURN(topics, ParseTrecTopics(text, source));
  } else {
    SCOUR_RETURN_IF_ERROR(ForEachContentLine(text, [&](uint32_t line_no, absl::string_view line) {
      size_t tab = line.find('\t');
      if (tab == absl::string_view::npos) {
        return LineError(source, line_no, "expected `qid<TAB>query`");
      }
      Topic t;
      t.qid = std::string(absl::StripAsciiWhitespace(line.substr(0, tab)));
      t.title = CollapseWhitespace(line.substr(tab + 1));
      t.line = line_no;
      if (t.qid.empty()) return LineError(source, line_no, "empty qid");
      topics.push_back(std::move(t));
      return absl::OkStatus();
    }));
  }
  std::map<absl::string_view, uint32_t> seen;
  for (const Topic& t : topics) {
    auto [it, inserted] = seen.emplace(t.qid, t.line);
    if (!inserted) {
      return LineError(
          source, t.line,
          absl::StrCat("duplicate topic ", t.qid, " (first at line ", it->second, ")"));
    }
  }
  return topics;
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  return std::move(ss).str();
}

absl::StatusOr<Qrels> ReadQrelsFile(const std::string& path) {
  SCOUR_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  return ParseQrels(text, path);
}

absl::StatusOr<Run> ReadRunFile(const std::string& path) {
  SCOUR_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  return ParseRun(text, path);
}

absl::StatusOr<std::vector<Topic>> ReadTopicsFile(const std::string& path) {
  SCOUR_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  return ParseTopics(text, path);
}

}  // namespace scour::eval
