#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/string_view.h"
#include "base/utf8.h"
#include "scour/synonyms.h"
#include "synonyms/solr_parser.h"

namespace scour {

struct SynonymSet::Impl {
  std::string source_name;
  std::string source_text;
  AnalyzerOptions analyzer;
  bool expand = true;
  std::vector<SynonymRule> rules;
  // First input term -> the rules starting with it, longest input first.
  absl::flat_hash_map<std::string, std::vector<uint32_t>> by_first;
  size_t max_input_terms = 0;
};

bool SynonymEntryLess(const SynonymEntry& a, const SynonymEntry& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (a[i].term != b[i].term) return a[i].term < b[i].term;
    if (a[i].position != b[i].position) return a[i].position < b[i].position;
  }
  return a.size() < b.size();
}

std::string SynonymEntryText(const SynonymEntry& entry) {
  std::string out;
  for (size_t i = 0; i < entry.size(); ++i) {
    if (i > 0) {
      out += ' ';
      for (uint32_t p = entry[i - 1].position + 1; p < entry[i].position; ++p) out += "? ";
    }
    out += entry[i].term;
  }
  return out;
}

namespace {

absl::Status CheckEntry(const SynonymEntry& e, size_t rule, const char* what) {
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("synonym rule ", rule, ": ", what, " ", Av(why)));
  };
  if (e.empty() || e.size() > kMaxSynonymTerms) return bad("has no term or too many");
  if (e[0].position != 0) return bad("does not start at position 0");
  for (size_t i = 0; i < e.size(); ++i) {
    if (e[i].term.empty() || !IsValidUtf8(e[i].term)) return bad("has an empty or invalid term");
    if (i > 0 && e[i].position <= e[i - 1].position) return bad("has positions out of order");
  }
  if (e.back().position >= 1024) return bad("spans more than 1024 positions");
  return absl::OkStatus();
}

}  // namespace

SynonymSet::SynonymSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SynonymSet::~SynonymSet() = default;

absl::StatusOr<std::shared_ptr<const SynonymSet>> SynonymSet::FromRules(
    std::vector<SynonymRule> rules, std::string source_name, std::string source_text,
    const AnalyzerOptions& analyzer, bool expand) {
  auto impl = std::make_unique<Impl>();
  for (size_t r = 0; r < rules.size(); ++r) {
    const SynonymRule& rule = rules[r];
    absl::Status s = CheckEntry(rule.input, r, "input");
    if (!s.ok()) return s;
    if (r > 0 && !SynonymEntryLess(rules[r - 1].input, rule.input)) {
      return absl::InvalidArgumentError(
          absl::StrCat("synonym rule ", r, ": inputs not sorted or not distinct"));
    }
    if (rule.outputs.empty())
      return absl::InvalidArgumentError(absl::StrCat("synonym rule ", r, ": no output"));
    for (size_t o = 0; o < rule.outputs.size(); ++o) {
      s = CheckEntry(rule.outputs[o], r, "output");
      if (!s.ok()) return s;
      if (rule.outputs[o] == rule.input || std::find(rule.outputs.begin(), rule.outputs.begin() + o,
                                                     rule.outputs[o]) != rule.outputs.begin() + o) {
        return absl::InvalidArgumentError(
            absl::StrCat("synonym rule ", r, ": an output repeats or equals the input"));
      }
    }
    impl->by_first[rule.input[0].term].push_back(static_cast<uint32_t>(r));
    impl->max_input_terms = std::max(impl->max_input_terms, rule.input.size());
  }
  impl->rules = std::move(rules);
  for (auto& [first, ids] : impl->by_first) {
    std::stable_sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) {
      return impl->rules[a].input.size() > impl->rules[b].input.size();
    });
  }
  impl->source_name = std::move(source_name);
  impl->source_text = std::move(source_text);
  impl->analyzer = analyzer;
  impl->expand = expand;
  return std::shared_ptr<const SynonymSet>(new SynonymSet(std::move(impl)));
}

absl::StatusOr<std::shared_ptr<const SynonymSet>> SynonymSet::Parse(
    std::string_view text, const AnalyzerOptions& analyzer, std::string_view source_name,
    const SynonymParseOptions& options) {
  auto a = Analyzer::Create(analyzer);
  if (!a.ok()) return a.status();
  auto rules = synonyms::ParseSolrSynonyms(text, source_name, &*a, options.expand);
  if (!rules.ok()) return rules.status();
  return FromRules(*std::move(rules), std::string(source_name), std::string(text), analyzer,
                   options.expand);
}

absl::StatusOr<std::shared_ptr<const SynonymSet>> SynonymSet::ReadFile(
    const std::string& path, const AnalyzerOptions& analyzer, const SynonymParseOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read synonyms file ", path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading synonyms file ", path));
  return Parse(text.str(), analyzer, path, options);
}

const std::string& SynonymSet::source_name() const { return impl_->source_name; }
const std::string& SynonymSet::source_text() const { return impl_->source_text; }
const AnalyzerOptions& SynonymSet::analyzer_options() const { return impl_->analyzer; }
bool SynonymSet::expand() const { return impl_->expand; }
const std::vector<SynonymRule>& SynonymSet::rules() const { return impl_->rules; }
size_t SynonymSet::max_input_terms() const { return impl_->max_input_terms; }

const SynonymRule* SynonymSet::LongestMatch(std::span<const std::string_view> terms,
                                            std::span<const uint32_t> positions) const {
  if (terms.empty() || positions.size() != terms.size()) return nullptr;
  auto it = impl_->by_first.find(Av(terms[0]));
  if (it == impl_->by_first.end()) return nullptr;
  for (uint32_t id : it->second) {  // longest first
    const SynonymEntry& in = impl_->rules[id].input;
    if (in.size() > terms.size()) continue;
    bool match = true;
    for (size_t i = 1; i < in.size() && match; ++i) {
      match = terms[i] == in[i].term && positions[i] - positions[0] == in[i].position;
    }
    if (match) return &impl_->rules[id];
  }
  return nullptr;
}

}  // namespace scour
