#include "ingest/paragraphs.h"

#include <array>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "base/string_view.h"
#include "base/utf8.h"

namespace scour::ingest {
namespace {

// Tags that start or end a paragraph (both <x> and </x>); every other tag is removed in place.
constexpr std::array<std::string_view, 30> kBlockTags = {
    "p",       "div",        "ul",     "ol",    "li", "h1", "h2", "h3",    "h4",    "h5",
    "h6",      "blockquote", "pre",    "table", "tr", "td", "th", "thead", "tbody", "section",
    "article", "header",     "footer", "hr",    "dl", "dt", "dd", "nav",   "aside", "figcaption"};

// text.find(needle, from), answered from the memo when an earlier search covers it. Searches
// only move forward, so this keeps repeated failed searches from going quadratic.
size_t MemoFind(std::string_view text, std::string_view needle, size_t from,
                ParagraphCursor::Memo* m) {
  if (m->from <= from && (m->found == std::string_view::npos || m->found >= from)) {
    return m->found;
  }
  m->from = from;
  m->found = text.find(needle, from);
  return m->found;
}

enum class TagKind { kNone, kBlock, kBreak, kInline, kSkipContent };

inline bool IsHSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
inline bool IsSpace(char c) { return IsHSpace(c) || c == '\n'; }
inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool EqualsLower(std::string_view name, std::string_view lower) {
  return absl::EqualsIgnoreCase(Av(name), Av(lower));
}

// Recognizes a tag, comment or declaration at text[i] == '<'. Sets *end past it. Tags look like
// <name ...>, </name ...>, <!-- ... -->, <!...> or <?...>; a '<' not starting one is text.
TagKind ParseTag(std::string_view text, size_t i, size_t* end, std::string_view* name,
                 ParagraphCursor* cursor) {
  const size_t n = text.size();
  if (i + 1 >= n) return TagKind::kNone;
  const char c1 = text[i + 1];
  if (c1 == '!' && text.substr(i + 2, 2) == "--") {
    const size_t close = MemoFind(text, "-->", i + 4, &cursor->comment_end);
    if (close == std::string_view::npos) return TagKind::kNone;
    *end = close + 3;
    return TagKind::kInline;
  }
  size_t j = i + 1;
  if (c1 == '/') ++j;
  if (j >= n || !(IsAlpha(text[j]) || (c1 == '!' || c1 == '?'))) return TagKind::kNone;
  const size_t name_begin = (c1 == '!' || c1 == '?') ? j + 1 : j;
  size_t k = name_begin;
  while (k < n && (IsAlpha(text[k]) || (text[k] >= '0' && text[k] <= '9'))) ++k;
  const size_t close = MemoFind(text, ">", k, &cursor->gt);
  if (close == std::string_view::npos) return TagKind::kNone;
  *end = close + 1;
  if (c1 == '!' || c1 == '?') return TagKind::kInline;
  *name = text.substr(name_begin, k - name_begin);
  if (EqualsLower(*name, "br")) return TagKind::kBreak;
  if (c1 != '/' && (EqualsLower(*name, "script") || EqualsLower(*name, "style"))) {
    return TagKind::kSkipContent;
  }
  for (std::string_view b : kBlockTags) {
    if (EqualsLower(*name, b)) return TagKind::kBlock;
  }
  return TagKind::kInline;
}

// Decodes an entity at text[i] == '&'. Returns the code point (or -1 when it is not one of the
// recognized entities, leaving the '&' as text) and sets *end past the ';'.
int32_t ParseEntity(std::string_view text, size_t i, size_t* end) {
  static constexpr struct {
    std::string_view name;
    int32_t cp;
  } kNamed[] = {{"amp;", '&'},  {"lt;", '<'},    {"gt;", '>'},
                {"quot;", '"'}, {"apos;", '\''}, {"nbsp;", 0xA0}};
  const std::string_view rest = text.substr(i + 1);
  for (const auto& e : kNamed) {
    if (rest.starts_with(e.name)) {
      *end = i + 1 + e.name.size();
      return e.cp;
    }
  }
  if (rest.empty() || rest[0] != '#') return -1;
  size_t j = 1;
  const bool hex = j < rest.size() && (rest[j] == 'x' || rest[j] == 'X');
  if (hex) ++j;
  const size_t digits_begin = j;
  uint32_t v = 0;
  while (j < rest.size() && j - digits_begin < 8) {
    const char c = rest[j];
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (hex && c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (hex && c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      break;
    }
    v = v * (hex ? 16 : 10) + static_cast<uint32_t>(d);
    ++j;
  }
  if (j == digits_begin || j >= rest.size() || rest[j] != ';') return -1;
  *end = i + 1 + j + 1;
  if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0xFFFD;
  return static_cast<int32_t>(v);
}

size_t CountNewlines(std::string_view s) {
  size_t c = 0;
  for (char ch : s) c += ch == '\n';
  return c;
}

}  // namespace

bool NextParagraph(std::string_view text, ParagraphCursor* cursor, std::string* out,
                   uint64_t* start_line) {
  out->clear();
  bool pending_space = false;
  size_t i = cursor->pos;
  uint64_t line = cursor->line;
  const size_t n = text.size();
  auto finish = [&](size_t next) {
    cursor->pos = next;
    cursor->line = line;
    return true;
  };
  auto append_text = [&](std::string_view s) {
    if (out->empty()) *start_line = line;
    if (pending_space && !out->empty()) out->push_back(' ');
    pending_space = false;
    out->append(s);
  };
  while (i < n) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      ++i;
      size_t j = i;
      while (j < n && IsHSpace(text[j])) ++j;
      if (j >= n || text[j] == '\n') {  // a blank line (or the end) ends the paragraph
        if (!out->empty()) return finish(j);
        i = j;
        continue;
      }
      pending_space = true;
      continue;
    }
    if (IsHSpace(c)) {
      pending_space = true;
      ++i;
      continue;
    }
    if (c == '<') {
      size_t end = 0;
      std::string_view name;
      const TagKind kind = ParseTag(text, i, &end, &name, cursor);
      if (kind != TagKind::kNone) {
        if (kind == TagKind::kSkipContent) {
          // Drop everything up to the matching close tag (or the end of the text).
          size_t k = end;
          for (;;) {
            k = MemoFind(text, "</", k, &cursor->close_tag);
            if (k == std::string_view::npos) {
              k = n;
              break;
            }
            if (absl::EqualsIgnoreCase(Av(text.substr(k + 2, name.size())), Av(name))) {
              const size_t gt = MemoFind(text, ">", k, &cursor->gt);
              k = gt == std::string_view::npos ? n : gt + 1;
              break;
            }
            k += 2;
          }
          end = k;
        }
        line += CountNewlines(text.substr(i, end - i));
        i = end;
        if (kind == TagKind::kBlock) {
          if (!out->empty()) return finish(i);
        } else if (kind == TagKind::kBreak || kind == TagKind::kSkipContent) {
          pending_space = true;
        }
        continue;
      }
    } else if (c == '&') {
      size_t end = 0;
      const int32_t cp = ParseEntity(text, i, &end);
      if (cp >= 0) {
        i = end;
        if (cp == 0xA0 || (cp < 0x80 && IsSpace(static_cast<char>(cp)))) {
          pending_space = true;
        } else {
          std::string enc;
          AppendUtf8(static_cast<uint32_t>(cp), &enc);
          append_text(enc);
        }
        continue;
      }
    }
    // A run of ordinary bytes.
    size_t j = i + 1;
    while (j < n && !IsSpace(text[j]) && text[j] != '<' && text[j] != '&') ++j;
    append_text(text.substr(i, j - i));
    i = j;
  }
  if (!out->empty()) return finish(n);
  cursor->pos = n;
  cursor->line = line;
  return false;
}

}  // namespace scour::ingest
