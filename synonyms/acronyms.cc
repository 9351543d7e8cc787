#include "synonyms/acronyms.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/string_view.h"
#include "base/utf8.h"

namespace scour::synonyms {
namespace {

using U32 = std::u32string;
using U32View = std::u32string_view;
constexpr size_t npos = U32::npos;

U32 Decode(std::string_view s) {
  U32 out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    if (*p < 0x80) {
      out.push_back(*p++);
      continue;
    }
    const size_t n = Utf8SequenceLength(p, end);
    if (n == 0) {
      out.push_back(0xFFFD);
      ++p;
      continue;
    }
    char32_t cp = *p & (0xFF >> (n + 1));
    for (size_t i = 1; i < n; ++i) cp = cp << 6 | (p[i] & 0x3F);
    out.push_back(cp);
    p += n;
  }
  return out;
}

std::string Encode(U32View s) {
  std::string out;
  for (char32_t c : s) AppendUtf8(static_cast<uint32_t>(c), &out);
  return out;
}

bool IsAlnum(char32_t c) { return u_isalnum(static_cast<UChar32>(c)); }
char32_t Lower(char32_t c) { return static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))); }

// Java's String.trim: code points <= U+0020 at both ends.
U32View Trim(U32View s) {
  while (!s.empty() && s.front() <= U' ') s.remove_prefix(1);
  while (!s.empty() && s.back() <= U' ') s.remove_suffix(1);
  return s;
}

// Tokens of a java.util.StringTokenizer with these delimiters.
size_t CountTokens(U32View s, U32View delims) {
  size_t n = 0;
  bool in = false;
  for (char32_t c : s) {
    const bool d = delims.find(c) != npos;
    if (!d && !in) ++n;
    in = !d;
  }
  return n;
}

bool HasLetter(U32View s) {
  return std::any_of(s.begin(), s.end(), [](char32_t c) { return u_isalpha(c); });
}
size_t Capitals(U32View s) {
  return std::count_if(s.begin(), s.end(), [](char32_t c) { return u_isupper(c); });
}

bool IsValidShortForm(U32View s) {
  return !s.empty() && HasLetter(s) && (IsAlnum(s[0]) || s[0] == U'(');
}

// The shortest tail of `long_form` whose characters match the short form's, right to left; the
// short form's first character must begin a word. Empty if there is none.
U32 FindBestLongForm(U32View short_form, U32View long_form) {
  ptrdiff_t l = static_cast<ptrdiff_t>(long_form.size()) - 1;
  for (ptrdiff_t s = static_cast<ptrdiff_t>(short_form.size()) - 1; s >= 0; --s) {
    const char32_t c = Lower(short_form[s]);
    if (!IsAlnum(c)) continue;
    while ((l >= 0 && Lower(long_form[l]) != c) || (s == 0 && l > 0 && IsAlnum(long_form[l - 1])))
      --l;
    if (l < 0) return {};
    --l;
  }
  // Back to the start of the word holding the match (the reference's lastIndexOf(" ", l) + 1).
  size_t start = 0;
  for (ptrdiff_t i = l; i >= 0; --i) {
    if (long_form[i] == U' ') {
      start = static_cast<size_t>(i) + 1;
      break;
    }
  }
  return U32(long_form.substr(start));
}

void ExtractPair(U32View short_form, U32View long_form, std::vector<AcronymDefinition>* out) {
  if (short_form.size() == 1) return;
  const U32 best = FindBestLongForm(short_form, long_form);
  if (best.empty()) return;
  const size_t long_words = CountTokens(best, U" \t\n\r\f-");
  size_t short_size = 0;
  for (char32_t c : short_form) short_size += IsAlnum(c) ? 1 : 0;
  const U32 with_space = U32(short_form) + U' ';
  if (best.size() < short_form.size() || best.find(with_space) != npos ||
      (best.size() >= short_form.size() &&
       best.compare(best.size() - short_form.size(), npos, short_form) == 0) ||
      long_words > short_size * 2 || long_words > short_size + 5 || short_size > 10) {
    return;
  }
  // scour's addition: an acronym has at least two capitals ("Tengxian" is a name).
  if (Capitals(short_form) < 2) return;
  out->push_back({Encode(short_form), Encode(best)});
}

// ExtractAbbrev.extractAbbrPairs over one paragraph.
void FindInParagraph(U32 s, std::vector<AcronymDefinition>* out) {
  auto last_of = [](const U32& str, U32View what, size_t from) -> ptrdiff_t {
    const size_t at = str.rfind(what, from);
    return at == npos ? -1 : static_cast<ptrdiff_t>(at);
  };
  size_t open = s.find(U" (");
  while (open != npos) {
    ++open;  // at '('
    const size_t close = s.find(U')', open);
    if (close == npos) return;  // no closing parenthesis in the paragraph
    ptrdiff_t end = std::max(last_of(s, U". ", open), last_of(s, U", ", open));
    if (end == -1) end = -2;
    U32View long_cand = U32View(s).substr(static_cast<size_t>(end + 2), open - (end + 2));
    U32View short_cand = U32View(s).substr(open + 1, close - open - 1);
    short_cand = Trim(short_cand);
    long_cand = Trim(long_cand);
    if (!short_cand.empty()) {
      for (U32View cut : {U32View(U", "), U32View(U"; ")}) {
        const size_t at = short_cand.find(cut);
        if (at != npos) short_cand = short_cand.substr(0, at);
      }
      U32 flipped_short;
      if (CountTokens(short_cand, U" \t\n\r\f") > 2 || short_cand.size() > long_cand.size()) {
        // The long form is in the parentheses; the short form is the word before them.
        long_cand = short_cand;
        const size_t before = open >= 2 ? open - 2 : 0;
        const ptrdiff_t sp = last_of(s, U" ", before);
        const size_t from = static_cast<size_t>(sp + 1);
        flipped_short = open >= 1 + from ? s.substr(from, open - 1 - from) : U32();
        if (Capitals(flipped_short) == 0) flipped_short.clear();
        short_cand = flipped_short;
      }
      if (IsValidShortForm(short_cand)) ExtractPair(Trim(short_cand), Trim(long_cand), out);
    }
    s = s.substr(close + 1);
    open = s.find(U" (");
  }
}

// Short-form spelling used for grouping: a plural of capitals ("SOEs") as its singular.
std::string Singular(std::string_view s) {
  if (s.size() >= 3 && s.back() == 's') {
    const std::string_view stem = s.substr(0, s.size() - 1);
    if (std::all_of(stem.begin(), stem.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
      return std::string(stem);
  }
  return std::string(s);
}

std::string Escape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\' || c == ',' || (c == '=' && i + 1 < s.size() && s[i + 1] == '>') ||
        (c == '#' && i == 0))
      out += '\\';
    out += c;
  }
  return out;
}

std::string Times(uint64_t n, std::string_view one, std::string_view many) {
  return absl::StrCat(n, " ", Av(n == 1 ? one : many));
}

}  // namespace

std::vector<AcronymDefinition> FindAcronymDefinitions(std::string_view text) {
  std::vector<AcronymDefinition> out;
  U32 all = Decode(text);
  size_t start = 0;
  while (start <= all.size()) {
    // A paragraph ends at a line holding only white space.
    size_t end = start;
    for (;;) {
      end = all.find(U'\n', end);
      if (end == npos) break;
      size_t next = end + 1;
      while (next < all.size() && (all[next] == U' ' || all[next] == U'\t' || all[next] == U'\r'))
        ++next;
      if (next >= all.size() || all[next] == U'\n') break;
      end = next;
    }
    if (end == npos) end = all.size();
    U32 para = all.substr(start, end - start);
    for (char32_t& c : para)
      if (c == U'\n' || c == U'\r' || c == U'\t') c = U' ';
    FindInParagraph(std::move(para), &out);
    start = end + 1;
  }
  return out;
}

absl::StatusOr<std::unique_ptr<AcronymMiner>> AcronymMiner::Create(
    const AnalyzerOptions& analyzer) {
  auto a = Analyzer::Create(analyzer);
  if (!a.ok()) return a.status();
  return std::unique_ptr<AcronymMiner>(new AcronymMiner(*std::move(a)));
}

absl::StatusOr<SynonymEntry> AcronymMiner::Analyse(std::string_view text) {
  tokens_.clear();
  absl::Status s = analyzer_.Analyze(text, &tokens_);
  if (!s.ok()) return s;
  SynonymEntry e;
  for (const Token& t : tokens_)
    e.push_back(SynonymTerm{t.term, t.position - tokens_.front().position});
  return e;
}

size_t AcronymMiner::FormIndex(const SynonymEntry& terms) {
  const std::string key = SynonymEntryText(terms);
  auto [it, inserted] = form_by_key_.emplace(key, forms_.size());
  if (inserted) {
    forms_.push_back(Form{terms, {}, 0, 0, 0, 0});
    by_first_[terms[0].term].push_back(it->second);
  }
  return it->second;
}

absl::Status AcronymMiner::AddDefinitions(std::string_view text) {
  for (const AcronymDefinition& d : FindAcronymDefinitions(text)) {
    const std::string short_spelling = Singular(d.short_form);
    auto short_terms = Analyse(short_spelling);
    if (!short_terms.ok()) return short_terms.status();
    auto long_terms = Analyse(d.long_form);
    if (!long_terms.ok()) return long_terms.status();
    if (short_terms->empty() || long_terms->empty() || *short_terms == *long_terms ||
        short_terms->size() > kMaxSynonymTerms || long_terms->size() > kMaxSynonymTerms)
      continue;
    const size_t s = FormIndex(*short_terms);
    const size_t l = FormIndex(*long_terms);
    forms_[s].spellings[short_spelling]++;
    forms_[s].definitions++;
    forms_[l].spellings[d.long_form]++;
    forms_[l].definitions++;
    Group& g = groups_.try_emplace(SynonymEntryText(*short_terms), Group{s, {}}).first->second;
    g.long_forms.emplace(SynonymEntryText(*long_terms), l);
    pair_definitions_[{s, l}]++;
  }
  return absl::OkStatus();
}

absl::Status AcronymMiner::CountOccurrences(std::string_view text) {
  ++counted_texts_;
  tokens_.clear();
  absl::Status st = analyzer_.Analyze(text, &tokens_);
  if (!st.ok()) return st;
  for (size_t i = 0; i < tokens_.size(); ++i) {
    auto it = by_first_.find(tokens_[i].term);
    if (it == by_first_.end()) continue;
    for (size_t f : it->second) {
      Form& form = forms_[f];
      if (i + form.terms.size() > tokens_.size()) continue;
      bool match = true;
      for (size_t j = 1; j < form.terms.size() && match; ++j) {
        match = tokens_[i + j].term == form.terms[j].term &&
                tokens_[i + j].position - tokens_[i].position == form.terms[j].position;
      }
      if (!match) continue;
      form.occurrences++;
      if (form.last_text != counted_texts_) {
        form.last_text = counted_texts_;
        form.texts++;
      }
    }
  }
  return absl::OkStatus();
}

std::vector<MinedAcronym> AcronymMiner::Results() const {
  auto mined = [&](size_t i, uint64_t definitions) {
    const Form& f = forms_[i];
    MinedForm m;
    uint64_t best = 0;
    for (const auto& [spelling, n] : f.spellings) {
      if (n > best) {
        best = n;
        m.text = spelling;
      }
    }
    m.terms = f.terms;
    m.definitions = definitions;
    m.occurrences = f.occurrences;
    m.texts = f.texts;
    return m;
  };
  std::vector<MinedAcronym> out;
  for (const auto& [key, g] : groups_) {
    MinedAcronym a;
    for (const auto& [lkey, l] : g.long_forms) {
      const uint64_t n = pair_definitions_.at({g.short_form, l});
      a.long_forms.push_back(mined(l, n));
      a.definitions += n;
    }
    a.short_form = mined(g.short_form, a.definitions);
    std::stable_sort(
        a.long_forms.begin(), a.long_forms.end(), [](const MinedForm& x, const MinedForm& y) {
          return std::tie(y.definitions, y.occurrences) < std::tie(x.definitions, x.occurrences);
        });
    out.push_back(std::move(a));
  }
  std::stable_sort(out.begin(), out.end(), [](const MinedAcronym& x, const MinedAcronym& y) {
    const uint64_t ox = x.short_form.occurrences + x.long_forms[0].occurrences;
    const uint64_t oy = y.short_form.occurrences + y.long_forms[0].occurrences;
    if (x.definitions != y.definitions) return x.definitions > y.definitions;
    if (ox != oy) return ox > oy;
    return x.short_form.text < y.short_form.text;
  });
  return out;
}

std::string AcronymMiner::FormatSynonymsFile(const std::vector<MinedAcronym>& acronyms,
                                             std::string_view source, uint64_t texts) {
  uint64_t definitions = 0;
  for (const auto& a : acronyms) definitions += a.definitions;
  std::string out = absl::StrCat(
      "# Acronyms defined in ", Av(source), " (", Times(texts, "text", "texts"),
      "): ", Times(acronyms.size(), "acronym", "acronyms"), ", ",
      Times(definitions, "definition", "definitions"), ".\n",
      "# Mined by `scour synonyms extract` (Schwartz & Hearst 2003; docs/SYNONYMS.md).\n",
      "# Review before installing: delete wrong pairs; other long forms found for an acronym\n",
      "# follow it commented out. Counts are of the analysed forms, as search sees them.\n");
  for (const MinedAcronym& a : acronyms) {
    const MinedForm& s = a.short_form;
    const MinedForm& l = a.long_forms[0];
    absl::StrAppend(&out, "\n# ", s.text, ": ", Times(a.definitions, "definition", "definitions"),
                    "; \"", s.text, "\" ", Times(s.occurrences, "time", "times"), " in ",
                    Times(s.texts, "text", "texts"), ", \"", l.text, "\" ",
                    Times(l.occurrences, "time", "times"), " in ", Times(l.texts, "text", "texts"),
                    "\n", Escape(s.text), ", ", Escape(l.text), "\n");
    for (size_t i = 1; i < a.long_forms.size(); ++i) {
      const MinedForm& o = a.long_forms[i];
      absl::StrAppend(
          &out, "#   also \"", o.text, "\": ", Times(o.definitions, "definition", "definitions"),
          "; ", Times(o.occurrences, "time", "times"), " in ", Times(o.texts, "text", "texts"),
          "\n#", Escape(s.text), ", ", Escape(o.text), "\n");
    }
  }
  return out;
}

}  // namespace scour::synonyms
