// Strict RFC 8259 parser for one JSON object per call (a JSONL line), built for the indexing hot
// path: the whole text is validated (nested values too, UTF-8, escapes, duplicate keys), but
// only top-level string members the handler asks for are decoded. Not thread-safe; reuse one
// parser per thread so its scratch buffers stay allocated.
#ifndef SCOUR_INGEST_JSON_PARSER_H_
#define SCOUR_INGEST_JSON_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scour::ingest {

enum class JsonType : uint8_t { kObject, kArray, kString, kNumber, kTrue, kFalse, kNull };

// Receives the members of the top-level object, in order, before each value is parsed.
class JsonMemberHandler {
 public:
  virtual ~JsonMemberHandler() = default;
  // `key` is decoded and valid only during the call. Set *value_out to a string that the (string)
  // value should be decoded into, or leave it nullptr to validate and skip the value. Return false
  // with *error set to reject the object (the parser reports it at the value's offset).
  virtual bool OnMember(std::string_view key, JsonType type, std::string** value_out,
                        std::string* error) = 0;
};

struct JsonError {
  size_t offset = 0;          // byte offset into the parsed text
  bool invalid_utf8 = false;  // the error is malformed UTF-8 at `offset`
  std::string message;        // what was wrong, without position
};

class JsonObjectParser {
 public:
  static constexpr int kMaxDepth = 256;  // deeper nesting is rejected (bounds recursion)

  // Parses `text` as exactly one JSON object with optional surrounding whitespace. `handler` may
  // be nullptr (validate only). Returns false and fills error() when the text is not valid.
  bool Parse(std::string_view text, JsonMemberHandler* handler);
  const JsonError& error() const { return error_; }

 private:
  struct KeyEntry {
    uint32_t offset;  // into key_arena_
    uint32_t size;
    uint32_t pos;  // byte offset of the key in the text
  };

  bool ParseObject(int depth, JsonMemberHandler* handler);
  bool ParseArray(int depth);
  bool SkipValue(int depth);
  // p_ at the opening quote. On success p_ is after the closing quote, [*raw_begin, *raw_end) is
  // the undecoded content and *escaped tells whether it holds backslash escapes.
  bool ScanString(const char** raw_begin, const char** raw_end, bool* escaped);
  bool ScanNumber();
  bool ScanLiteral(std::string_view word);
  bool CheckDuplicateKeys(size_t base);
  bool FailUnexpected();
  bool Fail(const char* at, std::string message);
  void SkipWhitespace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }

  const char* begin_ = nullptr;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  JsonError error_;
  std::string key_arena_;  // decoded keys of the objects currently open
  std::vector<KeyEntry> keys_;
  std::vector<KeyEntry> sort_scratch_;
  std::string key_scratch_;
  std::string handler_error_;
};

// Decodes the content of a JSON string already validated by the parser (escapes resolved,
// surrogate pairs combined) into *out (replacing its contents).
void DecodeJsonString(std::string_view raw, std::string* out);

}  // namespace scour::ingest

#endif  // SCOUR_INGEST_JSON_PARSER_H_
