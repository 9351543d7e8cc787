// Splits plain text, Markdown or HTML into paragraphs (the `paragraphs` input format): breaks at
// blank lines and at block-level HTML tags, strips tags, decodes common entities, collapses
// whitespace. Pure functions over a caller's buffer; thread-safe.
#ifndef SCOUR_INGEST_PARAGRAPHS_H_
#define SCOUR_INGEST_PARAGRAPHS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace scour::ingest {

// Cursor over one text's paragraphs.
struct ParagraphCursor {
  size_t pos = 0;     // byte offset of the next unread byte
  uint64_t line = 1;  // 1-based line of `pos`
  // Remembered searches, so unterminated tags and comments cost linear time overall.
  struct Memo {
    size_t from = SIZE_MAX;  // a search started here ...
    size_t found = 0;        // ... found this (npos: nothing)
  };
  Memo gt, comment_end, close_tag;
};

// Extracts the next non-empty paragraph of `text` at *cursor into *out (replaced) and sets
// *start_line to the line it starts on. Returns false when no paragraph is left.
bool NextParagraph(std::string_view text, ParagraphCursor* cursor, std::string* out,
                   uint64_t* start_line);

}  // namespace scour::ingest

#endif  // SCOUR_INGEST_PARAGRAPHS_H_
