#include "synonyms/codec.h"

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/string_view.h"
#include "base/utf8.h"

namespace scour::synonyms {
namespace {

constexpr uint8_t kStopwords = 1, kExpand = 2;  // set flags
constexpr uint8_t kKeepOriginal = 1;            // rule flags

void PutBytes(std::string* out, std::string_view s) {
  PutVarint64(out, s.size());
  out->append(s);
}

void PutEntry(std::string* out, const SynonymEntry& e) {
  PutVarint64(out, e.size());
  uint32_t prev = 0;
  for (size_t i = 0; i < e.size(); ++i) {
    PutVarint64(out, i == 0 ? 0 : e[i].position - prev - 1);  // words dropped before it
    prev = e[i].position;
    PutBytes(out, e[i].term);
  }
}

bool GetEntry(ByteReader* r, SynonymEntry* e) {
  const uint64_t n = r->Varint64();
  if (!r->ok() || n == 0 || n > kMaxSynonymTerms) return false;
  e->resize(n);
  uint64_t pos = 0;
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t gap = r->Varint64();
    if (!r->ok() || (i == 0 && gap != 0) || gap >= 1024) return false;
    pos += i == 0 ? 0 : gap + 1;
    const uint64_t len = r->Varint64();
    if (!r->ok() || len == 0 || len > r->remaining()) return false;
    (*e)[i].term = std::string(r->Bytes(len));
    (*e)[i].position = static_cast<uint32_t>(pos);
  }
  return pos < 1024;
}

}  // namespace

std::string EncodeSynonymSet(const SynonymSet& set) {
  std::string out;
  PutBytes(&out, set.source_name());
  PutBytes(&out, set.source_text());
  PutBytes(&out, set.analyzer_options().language);
  out.push_back(static_cast<char>((set.analyzer_options().stopwords ? kStopwords : 0) |
                                  (set.expand() ? kExpand : 0)));
  PutVarint64(&out, set.rules().size());
  for (const SynonymRule& rule : set.rules()) {
    out.push_back(static_cast<char>(rule.keep_original ? kKeepOriginal : 0));
    PutEntry(&out, rule.input);
    PutVarint64(&out, rule.outputs.size());
    for (const SynonymEntry& o : rule.outputs) PutEntry(&out, o);
  }
  return out;
}

absl::StatusOr<std::shared_ptr<const SynonymSet>> DecodeSynonymSet(std::string_view body,
                                                                   std::string_view name) {
  auto corrupt = [&](std::string_view what) {
    return absl::DataLossError(absl::StrCat(Av(name), ": corrupt synonyms file: ", Av(what)));
  };
  ByteReader r(body);
  bool too_long = false;
  auto bytes = [&](size_t limit) -> std::string_view {
    const uint64_t n = r.Varint64();
    if (!r.ok() || n > limit) {
      too_long = true;
      return {};
    }
    return r.Bytes(n);  // fails `r` when the body is shorter
  };
  const std::string_view source_name = bytes(kMaxSourceNameBytes);
  const std::string_view source_text = bytes(SIZE_MAX);
  const std::string_view language = bytes(256);
  const uint8_t flags = r.U8();
  if (!r.ok() || too_long) return corrupt("truncated header");
  if (!IsValidUtf8(source_name) || !IsValidUtf8(source_text))
    return corrupt("source name or text is not UTF-8");
  if ((flags & ~(kStopwords | kExpand)) != 0) return corrupt("unknown flags");
  const uint64_t count = r.Varint64();
  // A rule takes at least 10 bytes: flags, a one-term input (4), the output count, an output.
  if (!r.ok() || count > r.remaining() / 10) return corrupt("bad rule count");
  std::vector<SynonymRule> rules(count);
  for (uint64_t i = 0; i < count; ++i) {
    SynonymRule& rule = rules[i];
    const uint8_t rf = r.U8();
    if (!r.ok() || (rf & ~kKeepOriginal) != 0)
      return corrupt(absl::StrCat("rule ", i, ": bad flags"));
    rule.keep_original = (rf & kKeepOriginal) != 0;
    if (!GetEntry(&r, &rule.input)) return corrupt(absl::StrCat("rule ", i, ": bad input"));
    const uint64_t outputs = r.Varint64();
    if (!r.ok() || outputs == 0 || outputs > r.remaining() / 4)
      return corrupt(absl::StrCat("rule ", i, ": bad output count"));
    rule.outputs.resize(outputs);
    for (SynonymEntry& o : rule.outputs)
      if (!GetEntry(&r, &o)) return corrupt(absl::StrCat("rule ", i, ": bad output"));
  }
  if (!r.ok() || r.remaining() != 0) return corrupt("bytes after the last rule");
  AnalyzerOptions analyzer;
  analyzer.language = std::string(language);
  analyzer.stopwords = (flags & kStopwords) != 0;
  auto set = SynonymSet::FromRules(std::move(rules), std::string(source_name),
                                   std::string(source_text), analyzer, (flags & kExpand) != 0);
  if (!set.ok()) return corrupt(std::string(set.status().message()));
  return set;
}

}  // namespace scour::synonyms
