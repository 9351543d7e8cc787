#include "engine/query_parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/string_view.h"
#include "base/utf8.h"
#include "tokenizer/normalizer.h"
#include "unicode/uchar.h"

namespace scour::engine {
namespace {

// The parser validates the whole query first (FindInvalidUtf8), so the lexer's DecodeUtf8 calls
// see well-formed text; RenderQueryError's may not.

bool IsSpace(uint32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r');
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// Characters that end a word (besides white space); '\' escapes and '*' are handled separately.
bool IsWordStop(uint32_t cp) {
  return cp == '(' || cp == ')' || cp == '"' || cp == '^' || cp == '~' || cp == ':';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

uint32_t ColumnOf(std::string_view s, size_t offset) {
  uint32_t column = 1;
  for (size_t i = 0; i < offset && i < s.size(); ++i) {
    if ((static_cast<uint8_t>(s[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

bool IsFieldName(std::string_view s) {
  if (s.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(s[0])) return false;
  for (char c : s) {
    if (!alpha(c) && !IsDigit(c) && c != '.' && c != '-') return false;
  }
  return true;
}

void AppendBoost(float boost, std::string* out) {
  if (boost == 1.0f) return;
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), boost, std::chars_format::fixed);
  out->push_back('^');
  out->append(buf, r.ptr);
}

// ---------------------------------------------------------------------------------------------
// Lexer.

enum class Tok : uint8_t {
  kEnd,
  kLParen,
  kRParen,
  kPlus,
  kMinus,
  kAnd,
  kOr,
  kNot,
  kWord,
  kPrefix,
  kField,
  kPhrase,
  kBoost,
  kSlop,
};

struct Token {
  Tok kind = Tok::kEnd;
  size_t begin = 0;  // byte span of the raw token
  size_t end = 0;
  bool space_before = false;
  std::string text;  // unescaped word / prefix (without '*') / field name / phrase content
  float boost = 1.0f;
  uint32_t slop = 0;
};

struct ErrorAt {
  std::string message;
  size_t offset;
  absl::StatusCode code = absl::StatusCode::kInvalidArgument;
};

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  // Reads the next token into *t; false (with *err set) on a lexical error.
  bool Next(Token* t, std::optional<ErrorAt>* err) {
    t->text.clear();
    t->space_before = false;
    size_t len;
    while (pos_ < s_.size() && IsSpace(DecodeUtf8(s_, pos_, &len))) {
      pos_ += len;
      t->space_before = true;
    }
    t->begin = pos_;
    if (pos_ == s_.size()) {
      t->kind = Tok::kEnd;
      t->end = pos_;
      return true;
    }
    const char c = s_[pos_];
    switch (c) {
      case '(':
        return Single(Tok::kLParen, t);
      case ')':
        return Single(Tok::kRParen, t);
      case '+':
        return Single(Tok::kPlus, t);
      case '-':
        return Single(Tok::kMinus, t);
      case '"':
        return Phrase(t, err);
      case '^':
        return Boost(t, err);
      case '~':
        return Slop(t, err);
      case ':':
        *err = ErrorAt{"':' must follow a field name (write '\\:' to search for a colon)", pos_};
        return false;
      case '*':
        *err = ErrorAt{"'*' must end a word (a prefix query); leading wildcards are not supported",
                       pos_};
        return false;
      default:
        return Word(t, err);
    }
  }

 private:
  bool Single(Tok kind, Token* t) {
    t->kind = kind;
    t->end = ++pos_;
    return true;
  }

  // After a boost or slop number: end, white space, ')' (and '^' after a slop).
  bool AtNumberEnd(bool allow_caret) const {
    if (pos_ == s_.size()) return true;
    size_t len;
    const uint32_t cp = DecodeUtf8(s_, pos_, &len);
    return IsSpace(cp) || cp == ')' || (allow_caret && cp == '^');
  }

  bool Phrase(Token* t, std::optional<ErrorAt>* err) {
    const size_t open = pos_++;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      size_t len = 1;
      if (s_[pos_] == '\\') {
        if (pos_ + 1 == s_.size()) {
          pos_ = s_.size();  // a trailing '\' escapes nothing: the phrase is unterminated
          break;
        }
        ++pos_;
        DecodeUtf8(s_, pos_, &len);
      } else {
        DecodeUtf8(s_, pos_, &len);
      }
      t->text.append(s_.substr(pos_, len));
      pos_ += len;
    }
    if (pos_ == s_.size()) {
      *err = ErrorAt{"unterminated phrase (missing closing '\"')", open};
      return false;
    }
    t->kind = Tok::kPhrase;
    t->end = ++pos_;
    return true;
  }

  bool Boost(Token* t, std::optional<ErrorAt>* err) {
    const size_t caret = pos_++;
    const size_t start = pos_;
    while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
    if (pos_ == start) {
      *err = ErrorAt{"expected a number after '^' (a boost such as ^2 or ^1.5)", caret};
      return false;
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      const size_t frac = pos_;
      while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
      if (pos_ == frac) {
        *err = ErrorAt{"expected digits after the '.' of a boost", pos_};
        return false;
      }
    }
    float value = 0;
    auto r = std::from_chars(s_.data() + start, s_.data() + pos_, value, std::chars_format::fixed);
    if (r.ec != std::errc() || r.ptr != s_.data() + pos_ || !std::isfinite(value)) {
      *err = ErrorAt{"boost out of range", start};
      return false;
    }
    if (!AtNumberEnd(/*allow_caret=*/false)) {
      *err = ErrorAt{s_[pos_] == '~' ? "the slop '~N' must come before the boost '^N'"
                                     : "unexpected character after a boost",
                     pos_};
      return false;
    }
    t->kind = Tok::kBoost;
    t->boost = value;
    t->end = pos_;
    return true;
  }

  bool Slop(Token* t, std::optional<ErrorAt>* err) {
    const size_t tilde = pos_++;
    const size_t start = pos_;
    uint64_t value = 0;
    while (pos_ < s_.size() && IsDigit(s_[pos_])) {
      value = std::min<uint64_t>(value * 10 + (s_[pos_] - '0'), uint64_t{1} << 40);
      ++pos_;
    }
    if (pos_ == start) {
      *err = ErrorAt{"expected a number after '~' (a phrase slop such as ~2)", tilde};
      return false;
    }
    if (value > kMaxPhraseSlop) {
      *err = ErrorAt{absl::StrCat("phrase slop larger than ", kMaxPhraseSlop), start};
      return false;
    }
    if (!AtNumberEnd(/*allow_caret=*/true)) {
      *err = ErrorAt{"unexpected character after a phrase slop", pos_};
      return false;
    }
    t->kind = Tok::kSlop;
    t->slop = static_cast<uint32_t>(value);
    t->end = pos_;
    return true;
  }

  bool Word(Token* t, std::optional<ErrorAt>* err) {
    bool escaped = false;
    bool star = false;
    while (pos_ < s_.size()) {
      size_t len;
      const uint32_t cp = DecodeUtf8(s_, pos_, &len);
      if (IsSpace(cp) || IsWordStop(cp)) break;
      if (cp == '*') {
        const size_t at = pos_++;
        // ('~' is let through so that the parser can say what is wrong with `word*~2`.)
        if (!AtNumberEnd(/*allow_caret=*/true) && s_[pos_] != '~') {
          *err = ErrorAt{"'*' is only supported at the end of a word (a prefix query)", at};
          return false;
        }
        star = true;
        break;
      }
      if (cp == '\\') {
        if (pos_ + 1 == s_.size()) {
          *err = ErrorAt{"'\\' at the end of the query escapes nothing", pos_};
          return false;
        }
        escaped = true;
        ++pos_;
        DecodeUtf8(s_, pos_, &len);
      }
      t->text.append(s_.substr(pos_, len));
      pos_ += len;
    }
    t->end = pos_;
    if (!star && pos_ < s_.size() && s_[pos_] == ':') {
      if (escaped || !IsFieldName(t->text)) {
        *err = ErrorAt{absl::StrCat("invalid field name '", t->text,
                                    "' (field names are [A-Za-z_][A-Za-z0-9_.-]*; write '\\:' "
                                    "to search for a colon)"),
                       t->begin};
        return false;
      }
      t->kind = Tok::kField;
      t->end = ++pos_;
      return true;
    }
    if (star) {
      t->kind = Tok::kPrefix;
    } else if (!escaped && t->text == "AND") {
      t->kind = Tok::kAnd;
    } else if (!escaped && t->text == "OR") {
      t->kind = Tok::kOr;
    } else if (!escaped && t->text == "NOT") {
      t->kind = Tok::kNot;
    } else {
      t->kind = Tok::kWord;
    }
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Parser: recursive descent, one recursion level per parenthesis (bounded by max_depth).

struct Part {
  std::optional<Occur> modifier;  // from NOT / + / -
  QueryPtr node;                  // null: the clause analysed to nothing
};

constexpr char kEmptyNote[] =
    "the query has no searchable terms (only punctuation, stopwords or empty groups)";
constexpr char kNegativeNote[] = "a query with only excluded (NOT / -) clauses matches nothing";

bool CanFlatten(Occur occur, const QueryNode& inner) {
  if (inner.kind != QueryKind::kBoolean || inner.boost != 1.0f) return false;
  if (occur == Occur::kShould) {
    return std::all_of(inner.clauses.begin(), inner.clauses.end(),
                       [](const BooleanClause& c) { return c.occur == Occur::kShould; });
  }
  if (occur == Occur::kMust) {
    return std::any_of(inner.clauses.begin(), inner.clauses.end(),
                       [](const BooleanClause& c) { return c.occur == Occur::kMust; });
  }
  return false;
}

// Combines clauses per docs/QUERY.md ("Empty and negative queries", "Simplifications").
QueryPtr BuildBoolean(std::vector<Part>* parts, Occur default_occur) {
  std::vector<BooleanClause> out;
  out.reserve(parts->size());
  const char* none_reason = nullptr;
  size_t positives = 0;
  for (Part& p : *parts) {
    if (p.node == nullptr) continue;
    const Occur occur = p.modifier.value_or(default_occur);
    if (p.node->kind == QueryKind::kMatchNone) {
      if (occur == Occur::kMust) return std::move(p.node);
      none_reason = kNegativeNote;
      continue;
    }
    if (CanFlatten(occur, *p.node)) {
      for (BooleanClause& c : p.node->clauses) {
        positives += c.occur != Occur::kMustNot;
        out.push_back(std::move(c));
      }
      continue;
    }
    positives += occur != Occur::kMustNot;
    out.push_back(BooleanClause{occur, std::move(p.node)});
  }
  if (positives == 0) {
    if (out.empty() && none_reason == nullptr) return nullptr;
    return QueryNode::MatchNone(kNegativeNote);
  }
  if (out.size() == 1) return std::move(out[0].node);
  return QueryNode::Boolean(std::move(out));
}

void ApplyBoost(QueryPtr* node, float boost) {
  if (*node == nullptr || (*node)->kind == QueryKind::kMatchNone || boost == 1.0f) return;
  if ((*node)->boost == 1.0f) {
    (*node)->boost = boost;
    return;
  }
  // Keep both boosts rather than multiplying them, so the canonical form re-reads exactly.
  std::vector<BooleanClause> one;
  one.push_back(BooleanClause{Occur::kShould, std::move(*node)});
  *node = QueryNode::Boolean(std::move(one), boost);
}

bool StartsPrimary(Tok k) {
  return k == Tok::kWord || k == Tok::kPrefix || k == Tok::kField || k == Tok::kPhrase ||
         k == Tok::kLParen;
}
bool StartsClause(Tok k) {
  return StartsPrimary(k) || k == Tok::kPlus || k == Tok::kMinus || k == Tok::kNot;
}

class Parser {
 public:
  Parser(std::string_view query, const QueryAnalyzeFn& analyze, const ParseOptions& options)
      : query_(query), lexer_(query), analyze_(analyze), options_(options) {
    max_depth_ = std::min(options.max_depth, kMaxQueryDepthLimit);
  }

  ParseResult Run() {
    ParseResult result;
    QueryPtr root;
    if (!Advance() || !ParseTop(&root)) {
      QueryError e;
      e.message = std::move(error_->message);
      e.offset = static_cast<uint32_t>(error_->offset);
      e.column = ColumnOf(query_, error_->offset);
      e.code = error_->code;
      result.error = std::move(e);
      return result;
    }
    if (root == nullptr) root = QueryNode::MatchNone(kEmptyNote);
    if (root->kind == QueryKind::kMatchNone) result.note = root->text;
    result.query = std::move(root);
    return result;
  }

 private:
  bool Fail(std::string message, size_t offset) {
    error_ = ErrorAt{std::move(message), offset};
    return false;
  }

  bool Advance() { return lexer_.Next(&tok_, &error_); }

  std::string_view Raw(const Token& t) const { return query_.substr(t.begin, t.end - t.begin); }

  bool ParseTop(QueryPtr* out) {
    if (tok_.kind == Tok::kEnd) return true;
    if (!ParseDisjunction(0, "", out)) return false;
    if (tok_.kind == Tok::kRParen) return Fail("unmatched ')'", tok_.begin);
    if (tok_.kind != Tok::kEnd) return Fail("unexpected input", tok_.begin);
    return true;
  }

  // Requires the current token to start a clause; explains what is wrong otherwise.
  bool ExpectClause(std::string_view after, size_t after_offset) {
    if (StartsClause(tok_.kind)) return true;
    return FailNoClause(after, after_offset);
  }

  [[gnu::noinline]] bool FailNoClause(std::string_view after, size_t after_offset) {
    switch (tok_.kind) {
      case Tok::kEnd:
        return Fail(absl::StrCat("expected a clause after '", Av(after), "'"), after_offset);
      case Tok::kAnd:
      case Tok::kOr:
        return Fail(absl::StrCat("'", Av(Raw(tok_)), "' cannot follow '", Av(after), "'"),
                    tok_.begin);
      default:
        return Fail(absl::StrCat("expected a clause after '", Av(after), "'"), tok_.begin);
    }
  }

  bool ParseDisjunction(uint32_t depth, std::string_view field, QueryPtr* out) {
    if (tok_.kind == Tok::kAnd || tok_.kind == Tok::kOr) return FailNotPrimary();
    std::vector<Part> parts(1);
    if (!ParseConjunction(depth, field, &parts[0])) return false;
    for (;;) {
      if (tok_.kind == Tok::kOr) {
        const size_t at = tok_.begin;
        if (!Advance() || !ExpectClause("OR", at)) return false;
      } else if (options_.default_and || !StartsClause(tok_.kind)) {
        break;
      }
      parts.emplace_back();
      if (!ParseConjunction(depth, field, &parts.back())) return false;
    }
    if (parts.size() == 1 && !parts[0].modifier) {
      *out = std::move(parts[0].node);
      return true;
    }
    *out = BuildBoolean(&parts, Occur::kShould);
    return true;
  }

  bool ParseConjunction(uint32_t depth, std::string_view field, Part* out) {
    if (!ParseUnary(depth, field, out)) return false;
    const bool more = tok_.kind == Tok::kAnd || (options_.default_and && StartsClause(tok_.kind));
    if (!more) return true;  // the common case: no vector, no allocation
    std::vector<Part> parts;
    parts.push_back(std::move(*out));
    for (;;) {
      if (tok_.kind == Tok::kAnd) {
        const size_t at = tok_.begin;
        if (!Advance() || !ExpectClause("AND", at)) return false;
      } else if (!options_.default_and || !StartsClause(tok_.kind)) {
        break;
      }
      parts.emplace_back();
      if (!ParseUnary(depth, field, &parts.back())) return false;
    }
    out->modifier.reset();
    out->node = BuildBoolean(&parts, Occur::kMust);
    return true;
  }

  bool ParseUnary(uint32_t depth, std::string_view field, Part* out) {
    if (tok_.kind == Tok::kNot || tok_.kind == Tok::kPlus || tok_.kind == Tok::kMinus) {
      if (!ParseModifier(out)) return false;
    } else if (!StartsPrimary(tok_.kind)) {
      return FailNotPrimary();
    }
    return ParsePrimary(depth, field, &out->node);
  }

  // Out of line (as every helper below that builds strings): the recursive descent
  // Disjunction -> Conjunction -> Unary -> Primary -> Disjunction then keeps small frames, so
  // max_depth levels fit the stack in every build (ASan frames of the inlined version were 12 KB).
  [[gnu::noinline]] bool ParseModifier(Part* out) {
    const Tok op = tok_.kind;
    const std::string name(Raw(tok_));
    const size_t at = tok_.begin;
    out->modifier = op == Tok::kPlus ? Occur::kMust : Occur::kMustNot;
    if (!Advance()) return false;
    if (tok_.kind == Tok::kNot || tok_.kind == Tok::kPlus || tok_.kind == Tok::kMinus) {
      return Fail("a clause can have only one of NOT, + and -", tok_.begin);
    }
    if (op != Tok::kNot && tok_.space_before && tok_.kind != Tok::kEnd) {
      return Fail(absl::StrCat("'", name, "' must be directly followed by a term, phrase or ",
                               "group (write '\\", name, "' to search for it)"),
                  at);
    }
    if (!StartsPrimary(tok_.kind)) {
      if (tok_.kind == Tok::kEnd) {
        return Fail(absl::StrCat("expected a clause after '", name, "'"), at);
      }
      return Fail(absl::StrCat("expected a clause after '", name, "'"), tok_.begin);
    }
    return true;
  }

  [[gnu::noinline]] bool FailNotPrimary() {
    switch (tok_.kind) {
      case Tok::kRParen:
        return Fail("unmatched ')'", tok_.begin);
      case Tok::kBoost:
        return Fail("'^' (boost) must directly follow a term, phrase or group", tok_.begin);
      case Tok::kSlop:
        return Fail("'~' (slop) must directly follow a phrase", tok_.begin);
      case Tok::kAnd:
      case Tok::kOr:
        return Fail(absl::StrCat("'", Av(Raw(tok_)), "' needs a clause before it"), tok_.begin);
      default:
        return Fail("expected a clause", tok_.begin);
    }
  }

  bool ParsePrimary(uint32_t depth, std::string_view field, QueryPtr* out) {
    std::string field_storage;
    if (tok_.kind == Tok::kField) {
      if (!ParseFieldPrefix(&field_storage)) return false;
      field = field_storage;
    }
    const Tok kind = tok_.kind;
    const size_t at = tok_.begin;
    if (kind == Tok::kLParen) {
      if (depth + 1 > max_depth_) return FailDepth(at);
      if (!Advance()) return false;
      if (tok_.kind != Tok::kRParen) {
        if (!ParseDisjunction(depth + 1, field, out)) return false;
      }
      if (tok_.kind != Tok::kRParen) return FailUnclosed(at);
      if (!Advance()) return false;
    } else if (!ParseLeaf(kind, field, at, out)) {
      return false;
    }
    if (tok_.kind == Tok::kSlop || tok_.kind == Tok::kBoost) return ParsePostfix(kind, out);
    return true;
  }

  [[gnu::noinline]] bool ParseFieldPrefix(std::string* field) {
    *field = tok_.text;
    const size_t at = tok_.begin;
    if (!options_.fields.empty() && std::find(options_.fields.begin(), options_.fields.end(),
                                              *field) == options_.fields.end()) {
      return Fail(absl::StrCat("unknown field '", *field,
                               "' (valid fields: ", absl::StrJoin(options_.fields, ", "), ")"),
                  at);
    }
    if (!Advance()) return false;
    if (tok_.kind != Tok::kWord && tok_.kind != Tok::kPrefix && tok_.kind != Tok::kPhrase &&
        tok_.kind != Tok::kLParen) {
      return Fail(absl::StrCat("expected a term, phrase or group after '", *field, ":'"),
                  tok_.kind == Tok::kEnd ? at : tok_.begin);
    }
    return true;
  }

  [[gnu::noinline]] bool FailDepth(size_t at) {
    return Fail(absl::StrCat("nesting deeper than ", max_depth_, " levels"), at);
  }

  [[gnu::noinline]] bool FailUnclosed(size_t at) {
    if (tok_.kind == Tok::kEnd) return Fail("unclosed '(' (missing ')')", at);
    return Fail("expected ')'", tok_.begin);
  }

  [[gnu::noinline]] bool ParseLeaf(Tok kind, std::string_view field, size_t at, QueryPtr* out) {
    switch (kind) {
      case Tok::kWord:
      case Tok::kPhrase:
        if (!Analyze(field, at, out)) return false;
        return Advance();
      case Tok::kPrefix:
        if (!MakePrefix(field, at, out)) return false;
        return Advance();
      default:
        return Fail("expected a clause", at);
    }
  }

  // Slop and boost after a clause of kind `kind`.
  [[gnu::noinline]] bool ParsePostfix(Tok kind, QueryPtr* out) {
    if (tok_.kind == Tok::kSlop) {
      if (tok_.space_before) return Fail("'~' (slop) must directly follow a phrase", tok_.begin);
      if (kind == Tok::kWord) {
        return Fail("fuzzy queries (word~N) are not supported; '~N' sets the slop of a \"phrase\"",
                    tok_.begin);
      }
      if (kind != Tok::kPhrase) return Fail("'~' (slop) applies only to a \"phrase\"", tok_.begin);
      if (*out != nullptr && (*out)->kind == QueryKind::kPhrase) (*out)->slop = tok_.slop;
      if (!Advance()) return false;
    }
    if (tok_.kind == Tok::kBoost) {
      if (tok_.space_before) {
        return Fail("'^' (boost) must directly follow a term, phrase or group", tok_.begin);
      }
      ApplyBoost(out, tok_.boost);
      if (!Advance()) return false;
      if (tok_.kind == Tok::kSlop && !tok_.space_before) {
        return Fail("the slop '~N' must come before the boost '^N'", tok_.begin);
      }
    }
    return true;
  }

  bool CountClause(size_t at) {
    if (options_.max_clauses != 0 && ++clauses_ > options_.max_clauses) {
      return Fail(absl::StrCat("the query has more than ", options_.max_clauses, " clauses"), at);
    }
    return true;
  }

  bool CallAnalyze(std::string_view text, size_t at) {
    terms_.clear();
    absl::Status status = analyze_(text, &terms_);
    if (!status.ok()) {
      error_ = ErrorAt{absl::StrCat("analysing '", Av(text), "' failed: ", status.message()), at,
                       status.code()};
      return false;
    }
    terms_.erase(
        std::remove_if(terms_.begin(), terms_.end(), [](const auto& t) { return t.first.empty(); }),
        terms_.end());
    return true;
  }

  // Word or phrase: 0 tokens -> null, 1 -> Term, 2+ -> Phrase (docs/QUERY.md).
  bool Analyze(std::string_view field, size_t at, QueryPtr* out) {
    if (!CallAnalyze(tok_.text, at)) return false;
    if (terms_.empty()) return true;
    if (!CountClause(at)) return false;
    if (terms_.size() == 1) {
      *out = QueryNode::Term(std::string(field), std::move(terms_[0].first));
      return true;
    }
    std::stable_sort(terms_.begin(), terms_.end(),
                     [](const auto& a, const auto& b) { return a.second < b.second; });
    const uint32_t base = terms_[0].second;
    std::vector<PhraseTerm> phrase;
    phrase.reserve(terms_.size());
    for (auto& [term, pos] : terms_) phrase.push_back(PhraseTerm{std::move(term), pos - base});
    *out = QueryNode::Phrase(std::string(field), std::move(phrase));
    return true;
  }

  // Prefixes are normalised by the analyser's own normaliser (NFKC_Casefold, U+2019 to '), so
  // they fold exactly as indexed words do, but they are not stemmed.
  bool MakePrefix(std::string_view field, size_t at, QueryPtr* out) {
    if (!normalizer_.has_value()) {
      absl::StatusOr<tokenizer::TermNormalizer> n = tokenizer::TermNormalizer::Create();
      if (!n.ok()) {
        error_ = ErrorAt{std::string(n.status().message()), at, n.status().code()};
        return false;
      }
      normalizer_.emplace(*std::move(n));
    }
    std::string prefix(normalizer_->Normalize(tok_.text));
    if (prefix.empty()) return true;
    if (!CallAnalyze(prefix, at)) return false;
    if (terms_.size() > 1) {
      return Fail(absl::StrCat("prefix '", tok_.text,
                               "*' spans several words; a prefix query must be one word"),
                  at);
    }
    if (!CountClause(at)) return false;
    *out = QueryNode::Prefix(std::string(field), std::move(prefix));
    return true;
  }

  std::string_view query_;
  Lexer lexer_;
  const QueryAnalyzeFn& analyze_;
  const ParseOptions& options_;
  uint32_t max_depth_;
  Token tok_;
  std::optional<ErrorAt> error_;
  uint64_t clauses_ = 0;
  std::vector<std::pair<std::string, uint32_t>> terms_;
  std::optional<tokenizer::TermNormalizer> normalizer_;  // made at the first prefix
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// AST.

QueryPtr QueryNode::Term(std::string field, std::string term, float boost) {
  auto n = std::make_unique<QueryNode>();
  n->kind = QueryKind::kTerm;
  n->field = std::move(field);
  n->text = std::move(term);
  n->boost = boost;
  return n;
}

QueryPtr QueryNode::Phrase(std::string field, std::vector<PhraseTerm> terms, uint32_t slop,
                           float boost) {
  auto n = std::make_unique<QueryNode>();
  n->kind = QueryKind::kPhrase;
  n->field = std::move(field);
  n->phrase = std::move(terms);
  n->slop = slop;
  n->boost = boost;
  return n;
}

QueryPtr QueryNode::Prefix(std::string field, std::string prefix, float boost) {
  auto n = std::make_unique<QueryNode>();
  n->kind = QueryKind::kPrefix;
  n->field = std::move(field);
  n->text = std::move(prefix);
  n->boost = boost;
  return n;
}

QueryPtr QueryNode::Boolean(std::vector<BooleanClause> clauses, float boost) {
  auto n = std::make_unique<QueryNode>();
  n->kind = QueryKind::kBoolean;
  n->clauses = std::move(clauses);
  n->boost = boost;
  return n;
}

QueryPtr QueryNode::MatchNone(std::string why) {
  auto n = std::make_unique<QueryNode>();
  n->kind = QueryKind::kMatchNone;
  n->text = std::move(why);
  return n;
}

void AppendEscapedWord(std::string_view s, std::string* out) {
  const bool keyword = s == "AND" || s == "OR" || s == "NOT";
  for (size_t i = 0; i < s.size();) {
    size_t len;
    const uint32_t cp = DecodeUtf8(s, i, &len);
    const bool special = IsSpace(cp) || IsWordStop(cp) || cp == '*' || cp == '\\' ||
                         (i == 0 && (cp == '+' || cp == '-' || keyword));
    if (special) out->push_back('\\');
    out->append(s.substr(i, len));
    i += len;
  }
}

QueryPtr QueryNode::Synonym(std::string field, std::vector<std::string> terms, float boost) {
  auto n = std::make_unique<QueryNode>();
  n->kind = QueryKind::kSynonym;
  n->field = std::move(field);
  n->synonyms = std::move(terms);
  n->boost = boost;
  return n;
}

QueryPtr QueryNode::Clone() const {
  auto n = std::make_unique<QueryNode>();
  n->kind = kind;
  n->field = field;
  n->text = text;
  n->phrase = phrase;
  n->slop = slop;
  n->synonyms = synonyms;
  n->boost = boost;
  for (const BooleanClause& c : clauses) n->clauses.push_back({c.occur, c.node->Clone()});
  return n;
}

void QueryNode::AppendTo(std::string* out) const {
  if (kind == QueryKind::kSynonym) {
    out->append("Synonym(");
    for (size_t i = 0; i < synonyms.size(); ++i) {
      if (i > 0) out->push_back(' ');
      if (!field.empty()) absl::StrAppend(out, field, ":");
      AppendEscapedWord(synonyms[i], out);
    }
    out->push_back(')');
    AppendBoost(boost, out);
    return;
  }
  if (!field.empty() && kind != QueryKind::kBoolean && kind != QueryKind::kMatchNone) {
    absl::StrAppend(out, field, ":");
  }
  switch (kind) {
    case QueryKind::kTerm:
      AppendEscapedWord(text, out);
      break;
    case QueryKind::kPrefix:
      AppendEscapedWord(text, out);
      out->push_back('*');
      break;
    case QueryKind::kPhrase: {
      out->push_back('"');
      for (size_t i = 0; i < phrase.size(); ++i) {
        if (i > 0) {
          out->push_back(' ');
          // Position gaps (dropped stopwords) print as '?', as Lucene does; display only.
          for (uint32_t p = phrase[i - 1].position + 1; p < phrase[i].position; ++p) {
            out->append("? ");
          }
        }
        for (char c : phrase[i].term) {
          if (c == '"' || c == '\\') out->push_back('\\');
          out->push_back(c);
        }
      }
      out->push_back('"');
      if (slop != 0) absl::StrAppend(out, "~", slop);
      break;
    }
    case QueryKind::kBoolean:
      out->push_back('(');
      for (size_t i = 0; i < clauses.size(); ++i) {
        if (i > 0) out->push_back(' ');
        if (clauses[i].occur == Occur::kMust) out->push_back('+');
        if (clauses[i].occur == Occur::kMustNot) out->push_back('-');
        clauses[i].node->AppendTo(out);
      }
      out->push_back(')');
      break;
    case QueryKind::kMatchNone:
      out->append("()");
      return;
    case QueryKind::kSynonym:
      break;  // printed above
  }
  AppendBoost(boost, out);
}

std::string QueryNode::ToString() const {
  std::string s;
  AppendTo(&s);
  return s;
}

bool QueryNode::Equals(const QueryNode& o) const {
  if (kind != o.kind) return false;
  if (kind == QueryKind::kMatchNone) return true;
  if (boost != o.boost || field != o.field || text != o.text || slop != o.slop ||
      synonyms != o.synonyms || phrase.size() != o.phrase.size() ||
      clauses.size() != o.clauses.size()) {
    return false;
  }
  for (size_t i = 0; i < phrase.size(); ++i) {
    if (phrase[i].term != o.phrase[i].term || phrase[i].position != o.phrase[i].position) {
      return false;
    }
  }
  for (size_t i = 0; i < clauses.size(); ++i) {
    if (clauses[i].occur != o.clauses[i].occur || !clauses[i].node->Equals(*o.clauses[i].node)) {
      return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Errors.

std::string QueryError::ToString() const { return absl::StrCat("column ", column, ": ", message); }

absl::Status QueryError::ToStatus() const {
  return absl::Status(code, absl::StrCat("query: ", ToString()));
}

std::string RenderQueryError(std::string_view query, const QueryError& error) {
  constexpr size_t kWindow = 120;  // code points shown around the error in a long query
  struct Cp {
    uint32_t cp;
    size_t byte;
    size_t len;
  };
  std::vector<Cp> cps;
  for (size_t i = 0; i < query.size();) {
    size_t len;
    const uint32_t cp = DecodeUtf8(query, i, &len);
    cps.push_back(Cp{cp, i, len});
    i += len;
  }
  const size_t caret = std::min<size_t>(error.column > 0 ? error.column - 1 : 0, cps.size());
  size_t begin = 0, end = cps.size();
  if (cps.size() > kWindow) {
    begin = caret > kWindow / 2 ? caret - kWindow / 2 : 0;
    end = std::min(cps.size(), begin + kWindow);
  }
  std::string line, marker;
  if (begin > 0) {
    line = "...";
    marker = "   ";
  }
  for (size_t i = begin; i < end; ++i) {
    const uint32_t cp = cps[i].cp;
    const bool control = cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
    if (control) {
      line.push_back(' ');
    } else if (cp == 0xFFFD && cps[i].len == 1) {
      line.append("\xEF\xBF\xBD");  // an invalid byte
    } else {
      line.append(query.substr(cps[i].byte, cps[i].len));
    }
    if (i >= caret) continue;
    int width = 1;
    if (!control) {
      const auto ea = u_getIntPropertyValue(static_cast<UChar32>(cp), UCHAR_EAST_ASIAN_WIDTH);
      const auto gc = u_charType(static_cast<UChar32>(cp));
      if (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH) width = 2;
      if (gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK || gc == U_FORMAT_CHAR) width = 0;
    }
    marker.append(static_cast<size_t>(width), ' ');
  }
  if (end < cps.size()) line.append("...");
  marker.push_back('^');
  return absl::StrCat(line, "\n", marker, "\n");
}

// ---------------------------------------------------------------------------------------------

ParseResult ParseQuery(std::string_view query, const QueryAnalyzeFn& analyze,
                       const ParseOptions& options) {
  const size_t bad = FindInvalidUtf8(query);
  const size_t nul = query.substr(0, bad).find('\0');
  if (bad != query.size() || nul != std::string_view::npos) {
    ParseResult r;
    QueryError e;
    if (nul != std::string_view::npos) {
      e.offset = static_cast<uint32_t>(nul);
      e.message = "NUL byte in the query";
    } else {
      e.offset = static_cast<uint32_t>(bad);
      e.message = absl::StrCat("invalid UTF-8 at byte ", bad);
    }
    e.column = ColumnOf(query, e.offset);
    r.error = std::move(e);
    return r;
  }
  return Parser(query, analyze, options).Run();
}

ParseResult PlainTextQuery(std::string_view text, const QueryAnalyzeFn& analyze, bool default_and) {
  ParseResult r;
  auto fail = [&](absl::StatusCode code, std::string message, size_t offset) {
    QueryError e;
    e.message = std::move(message);
    e.offset = static_cast<uint32_t>(offset);
    e.column = ColumnOf(text, offset);
    e.code = code;
    r.error = std::move(e);
    return std::move(r);
  };
  const size_t bad = FindInvalidUtf8(text);
  const size_t nul = text.substr(0, bad).find('\0');
  if (nul != std::string_view::npos) {
    return fail(absl::StatusCode::kInvalidArgument, "NUL byte in the query", nul);
  }
  if (bad != text.size()) {
    return fail(absl::StatusCode::kInvalidArgument, absl::StrCat("invalid UTF-8 at byte ", bad),
                bad);
  }
  std::vector<std::pair<std::string, uint32_t>> analysed;
  if (absl::Status s = analyze(text, &analysed); !s.ok()) {
    return fail(s.code(), std::string(s.message()), 0);
  }
  std::vector<std::string> terms;  // first occurrences, in order
  for (auto& [term, position] : analysed) {
    if (std::find(terms.begin(), terms.end(), term) == terms.end()) terms.push_back(term);
  }
  if (terms.empty()) {
    r.query = QueryNode::MatchNone(kEmptyNote);
    r.note = kEmptyNote;
  } else if (terms.size() == 1) {
    r.query = QueryNode::Term("", std::move(terms[0]));
  } else {
    std::vector<BooleanClause> clauses;
    for (std::string& t : terms) {
      clauses.push_back(
          {default_and ? Occur::kMust : Occur::kShould, QueryNode::Term("", std::move(t))});
    }
    r.query = QueryNode::Boolean(std::move(clauses));
  }
  return r;
}

}  // namespace scour::engine
