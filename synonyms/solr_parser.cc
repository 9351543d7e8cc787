#include "synonyms/solr_parser.h"

#include <algorithm>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/string_view.h"
#include "base/utf8.h"

namespace scour::synonyms {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

// Splits at every `sep` not preceded by an escaping backslash; pieces keep their escapes and
// may be empty. The caller has checked that the line does not end in a lone backslash.
std::vector<std::string_view> SplitUnescaped(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '\\') {
      i += 2;
      continue;
    }
    if (s.compare(i, sep.size(), sep) == 0) {
      pieces.push_back(s.substr(start, i - start));
      i += sep.size();
      start = i;
      continue;
    }
    ++i;
  }
  pieces.push_back(s.substr(std::min(start, s.size())));
  return pieces;
}

std::string Unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out.push_back(s[i]);
  }
  return out;
}

// Whether the line ends in a backslash that escapes nothing.
bool EndsInLoneBackslash(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && s[s.size() - 1 - n] == '\\') ++n;
  return n % 2 == 1;
}

std::string Quoted(std::string_view s) {
  constexpr size_t kShown = 80;
  if (s.size() <= kShown) return absl::StrCat("\"", Av(s), "\"");
  size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole chars
  return absl::StrCat("\"", Av(s.substr(0, cut)), "...\"");
}

struct RuleBuild {
  bool keep_original = false;
  std::vector<SynonymEntry> outputs;
};

struct EntryLess {
  bool operator()(const SynonymEntry& a, const SynonymEntry& b) const {
    return SynonymEntryLess(a, b);
  }
};

class Parser {
 public:
  Parser(std::string_view source, Analyzer* analyzer, bool expand)
      : source_(source), analyzer_(analyzer), expand_(expand) {}

  absl::Status Line(std::string_view line, size_t line_no) {
    line_no_ = line_no;
    const std::string_view trimmed = Trim(line);
    if (trimmed.empty() || trimmed[0] == '#') return absl::OkStatus();
    if (EndsInLoneBackslash(trimmed)) return Error("a lone \"\\\" ends the line (write \"\\\\\")");
    std::vector<std::string_view> sides = SplitUnescaped(trimmed, "=>");
    if (sides.size() > 2) return Error("more than one \"=>\" on the line");
    std::vector<std::vector<SynonymEntry>> entries(sides.size());
    for (size_t s = 0; s < sides.size(); ++s) {
      for (std::string_view piece : SplitUnescaped(sides[s], ",")) {
        const std::string text = Unescape(Trim(piece));
        if (Trim(text).empty()) continue;  // empty entries are skipped, as Solr does
        auto entry = Analyse(text);
        if (!entry.ok()) return entry.status();
        auto& side = entries[s];
        if (std::find(side.begin(), side.end(), *entry) == side.end())
          side.push_back(*std::move(entry));
      }
      if (entries[s].empty()) {
        if (sides.size() == 1) return absl::OkStatus();  // only blank entries: nothing to do
        return Error(s == 0 ? "nothing before \"=>\"" : "nothing after \"=>\"");
      }
    }
    if (sides.size() == 2) {
      for (const SynonymEntry& in : entries[0])
        for (const SynonymEntry& out : entries[1]) Add(in, out, false);
    } else if (expand_) {
      const auto& e = entries[0];
      for (size_t i = 0; i < e.size(); ++i)
        for (size_t j = 0; j < e.size(); ++j)
          if (i != j) Add(e[i], e[j], true);
    } else {
      const auto& e = entries[0];
      for (size_t i = 1; i < e.size(); ++i) Add(e[i], e[0], false);
    }
    return absl::OkStatus();
  }

  std::vector<SynonymRule> Finish() {
    std::vector<SynonymRule> rules;
    rules.reserve(rules_.size());
    for (auto& [input, b] : rules_) {
      if (b.outputs.empty()) continue;  // `a => a`: the input stays itself
      rules.push_back(SynonymRule{input, b.keep_original, std::move(b.outputs)});
    }
    return rules;
  }

  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(Av(source_), ":", line_no_, ": ", Av(what)));
  }

 private:
  absl::StatusOr<SynonymEntry> Analyse(const std::string& text) {
    tokens_.clear();
    absl::Status s = analyzer_->Analyze(text, &tokens_);
    if (!s.ok()) return Error(absl::StrCat("entry ", Quoted(text), ": ", s.message()));
    if (tokens_.empty()) {
      return Error(absl::StrCat("entry ", Quoted(text), " analyses to no term",
                                analyzer_->options().stopwords ? " (stopwords are on)" : ""));
    }
    if (tokens_.size() > kMaxSynonymTerms) {
      return Error(absl::StrCat("entry ", Quoted(text), " has ", tokens_.size(), " terms (at most ",
                                kMaxSynonymTerms, ")"));
    }
    const uint32_t first = tokens_[0].position;
    if (tokens_.back().position - first >= kMaxSpan) {
      return Error(absl::StrCat("entry ", Quoted(text), " spans ",
                                tokens_.back().position - first + 1, " words (at most ", kMaxSpan,
                                ")"));
    }
    SynonymEntry entry;
    entry.reserve(tokens_.size());
    for (const Token& t : tokens_) entry.push_back(SynonymTerm{t.term, t.position - first});
    return entry;
  }

  void Add(const SynonymEntry& in, const SynonymEntry& out, bool keep_original) {
    RuleBuild& b = rules_[in];
    b.keep_original |= keep_original;
    if (out == in) {
      b.keep_original = true;
    } else if (std::find(b.outputs.begin(), b.outputs.end(), out) == b.outputs.end()) {
      b.outputs.push_back(out);
    }
  }

  static constexpr uint32_t kMaxSpan = 1024;  // positions of an entry: docs/format/README.md

  std::string_view source_;
  Analyzer* analyzer_;
  bool expand_;
  size_t line_no_ = 0;
  std::vector<Token> tokens_;
  std::map<SynonymEntry, RuleBuild, EntryLess> rules_;
};

}  // namespace

absl::StatusOr<std::vector<SynonymRule>> ParseSolrSynonyms(std::string_view text,
                                                           std::string_view source_name,
                                                           Analyzer* analyzer, bool expand) {
  Parser parser(source_name, analyzer, expand);
  size_t offset = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") offset = 3;  // a byte-order mark
  for (size_t line_no = 1; offset < text.size(); ++line_no) {
    size_t end = text.find('\n', offset);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(offset, end - offset);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t bad = FindInvalidUtf8(line);
    if (bad != line.size()) {
      return absl::InvalidArgumentError(absl::StrCat(Av(source_name), ":", line_no,
                                                     ": invalid UTF-8 at byte offset ",
                                                     offset + bad, " of the file"));
    }
    if (line.find('\0') != std::string_view::npos)
      return absl::InvalidArgumentError(absl::StrCat(Av(source_name), ":", line_no, ": NUL byte"));
    absl::Status s = parser.Line(line, line_no);
    if (!s.ok()) return s;
    offset = end + 1;
  }
  return parser.Finish();
}

}  // namespace scour::synonyms
