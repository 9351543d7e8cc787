#include "ingest/json_parser.h"

#include <deque>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "base/utf8.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace scour::ingest {
namespace {

// Collects every top-level string member.
class Collect : public JsonMemberHandler {
 public:
  bool OnMember(std::string_view key, JsonType type, std::string** out,
                std::string* error) override {
    keys.emplace_back(key);
    types.push_back(type);
    if (type == JsonType::kString) {
      values.emplace_back();
      *out = &values.back();
    }
    return true;
  }
  std::vector<std::string> keys;
  std::vector<JsonType> types;
  std::deque<std::string> values;  // stable addresses
};

bool Accepts(std::string_view text) {
  JsonObjectParser p;
  return p.Parse(text, nullptr);
}

// Reference verdict: nlohmann's strict parser, plus the rules it does not enforce (an object at
// the top, no duplicate keys, bounded nesting).
bool ReferenceAccepts(const std::string& text) {
  bool duplicate = false;
  int max_depth = 0;
  std::vector<std::set<std::string>> open;
  auto cb = [&](int depth, nlohmann::json::parse_event_t ev, nlohmann::json& parsed) {
    max_depth = std::max(max_depth, depth);
    using E = nlohmann::json::parse_event_t;
    if (ev == E::object_start) open.emplace_back();
    if (ev == E::object_end && !open.empty()) open.pop_back();
    if (ev == E::key && !open.empty() && !open.back().insert(parsed.get<std::string>()).second) {
      duplicate = true;
    }
    return true;
  };
  nlohmann::json j = nlohmann::json::parse(text, cb, /*allow_exceptions=*/false);
  if (j.is_discarded()) return false;
  return j.is_object() && !duplicate && max_depth < JsonObjectParser::kMaxDepth;
}

TEST(JsonParser, AcceptsValidObjects) {
  for (const char* s : {
           R"({})",
           R"(  { "a" : 1 }  )",
           R"({"a":[1,-2.5e+3,0,0.0,1E9,true,false,null,{},[],"x"],"b":{"c":{"d":[[]]}}})",
           "{\"a\":\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\"}\r",
           "{\"caf\xC3\xA9\":\"\xE4\xB8\xAD\xF0\x9F\x98\x80\"}",
           R"({"a":"\u0000"})",
       }) {
    EXPECT_TRUE(Accepts(s)) << s;
  }
}

struct BadCase {
  const char* text;
  size_t offset;
  const char* message_part;
};

TEST(JsonParser, RejectsInvalidWithPosition) {
  const BadCase cases[] = {
      {R"([1])", 0, "expected '{'"},
      {R"()", 0, "unexpected end"},
      {R"({"a":1} x)", 8, "trailing"},
      {R"({"a":1}{})", 7, "trailing"},
      {R"({"a":1,})", 7, "expected a string key"},
      {R"({"a" 1})", 5, "expected ':'"},
      {R"({'a':1})", 1, "expected a string key"},
      {R"({"a":01})", 6, "expected ','"},
      {R"({"a":1.})", 7, "digit expected"},
      {R"({"a":-})", 6, "invalid number"},
      {R"({"a":1e})", 7, "exponent"},
      {R"({"a":tru})", 5, "invalid literal"},
      {R"({"a":nul})", 5, "invalid literal"},
      {R"({"a":"x)", 5, "unterminated string"},
      {R"({"a":"\x"})", 6, "invalid escape"},
      {R"({"a":"\u12G4"})", 6, "hex digits"},
      {R"({"a":"\udc00"})", 6, "lone low surrogate"},
      {R"({"a":"\ud800"})", 6, "high surrogate"},
      {R"({"a":"\ud800\u0041"})", 6, "high surrogate"},
      {"{\"a\":\"x\ty\"}", 7, "control character"},
      {R"({"a":1,"a":2})", 7, "duplicate key \"a\""},
      {R"({"a":{"b":1,"b":2}})", 12, "duplicate key \"b\""},
      {R"({"a":1,"\u0061":2})", 7, "duplicate key \"a\""},
      {R"({"a":[1,2)", 9, "unterminated array"},
      {R"({"a":[1 2]})", 8, "expected ',' or ']'"},
      {"{\"a\":\"\xC3\"}", 6, "invalid UTF-8"},
      {"{\"a\":\"\xED\xA0\x80\"}", 6, "invalid UTF-8"},
      {"{\"a\":1 \xFF}", 7, "invalid UTF-8"},
      {"{\"a\":1,\x01}", 7, "unexpected byte 0x01"},
  };
  for (const BadCase& c : cases) {
    JsonObjectParser p;
    EXPECT_FALSE(p.Parse(c.text, nullptr)) << c.text;
    EXPECT_EQ(p.error().offset, c.offset) << c.text << " -> " << p.error().message;
    EXPECT_NE(p.error().message.find(c.message_part), std::string::npos)
        << c.text << " -> " << p.error().message;
  }
}

TEST(JsonParser, NestingLimit) {
  std::string ok = "{\"a\":";
  std::string bad = ok;
  for (int i = 0; i < JsonObjectParser::kMaxDepth - 2; ++i) ok += "[";
  for (int i = 0; i < JsonObjectParser::kMaxDepth - 2; ++i) ok += "]";
  ok += "}";
  EXPECT_TRUE(Accepts(ok));
  for (int i = 0; i < 100000; ++i) bad += "[";  // must not overflow the stack
  EXPECT_FALSE(Accepts(bad));
}

TEST(JsonParser, ManyKeysDuplicateFoundBySort) {
  std::string s = "{";
  for (int i = 0; i < 1000; ++i) s += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  std::string dup = s + "\"k500\":1,\"k7\":2}";
  s += "\"last\":0}";
  EXPECT_TRUE(Accepts(s));
  JsonObjectParser p;
  ASSERT_FALSE(p.Parse(dup, nullptr));
  EXPECT_EQ(p.error().message, "duplicate key \"k500\"");
  EXPECT_EQ(dup.substr(p.error().offset, 7), "\"k500\":");
}

TEST(JsonParser, HandlerErrorStopsAtValue) {
  class Reject : public JsonMemberHandler {
    bool OnMember(std::string_view key, JsonType type, std::string**, std::string* error) override {
      if (key == "bad") {
        *error = "no thanks";
        return false;
      }
      return true;
    }
  } reject;
  JsonObjectParser p;
  ASSERT_FALSE(p.Parse(R"({"ok":1, "bad": [1]})", &reject));
  EXPECT_EQ(p.error().message, "no thanks");
  EXPECT_EQ(p.error().offset, 16u);
}

// ---- randomized comparison with nlohmann::json ----

std::string RandomString(std::mt19937& rng) {
  std::string s;
  const int n = static_cast<int>(rng() % 12);
  for (int i = 0; i < n; ++i) {
    switch (rng() % 8) {
      case 0:
        s += "\\n";
        break;
      case 1:
        s += "\\\"";
        break;
      case 2: {
        char buf[8];
        snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(rng() % 0xD800));
        s += buf;
        break;
      }
      case 3: {
        const uint32_t cp = 0x10000 + rng() % 0x100000;
        char buf[16];
        snprintf(buf, sizeof buf, "\\u%04x\\u%04x", 0xD800 + ((cp - 0x10000) >> 10),
                 0xDC00 + ((cp - 0x10000) & 0x3FF));
        s += buf;
        break;
      }
      case 4: {
        uint32_t cp;
        do {
          cp = 0x80 + rng() % 0x10FF80;
        } while (cp >= 0xD800 && cp <= 0xDFFF);
        AppendUtf8(cp, &s);
        break;
      }
      default: {
        char c = static_cast<char>(' ' + rng() % 95);  // printable ASCII
        if (c == '"' || c == '\\') c = 'x';
        s += c;
      }
    }
  }
  return "\"" + s + "\"";
}

std::string RandomValue(std::mt19937& rng, int depth);

std::string Ws(std::mt19937& rng) {
  static const char* kWs[] = {"", "", "", " ", "\t", "  ", "\r"};
  return kWs[rng() % 7];
}

std::string RandomObject(std::mt19937& rng, int depth) {
  std::string s = "{" + Ws(rng);
  const int n = static_cast<int>(rng() % (depth == 0 ? 6 : 4));
  for (int i = 0; i < n; ++i) {
    if (i) s += "," + Ws(rng);
    s += "\"k" + std::to_string(i) + "\"" + Ws(rng) + ":" + Ws(rng) + RandomValue(rng, depth + 1) +
         Ws(rng);
  }
  return s + "}";
}

std::string RandomValue(std::mt19937& rng, int depth) {
  switch (rng() % (depth > 4 ? 5 : 7)) {
    case 0:
      return RandomString(rng);
    case 1:
      return std::to_string(static_cast<int>(rng() % 2000) - 1000);
    case 2:
      return std::to_string(static_cast<int>(rng() % 100)) + "." + std::to_string(rng() % 100) +
             "e" + std::to_string(static_cast<int>(rng() % 20) - 10);
    case 3:
      return (rng() % 3 == 0) ? "true" : (rng() % 2 ? "false" : "null");
    case 4:
      return RandomString(rng);
    case 5: {
      std::string s = "[" + Ws(rng);
      const int n = static_cast<int>(rng() % 4);
      for (int i = 0; i < n; ++i) s += (i ? "," : "") + RandomValue(rng, depth + 1) + Ws(rng);
      return s + "]";
    }
    default:
      return RandomObject(rng, depth);
  }
}

TEST(JsonParser, RandomValidObjectsDecodeLikeReference) {
  std::mt19937 rng(7);
  JsonObjectParser p;
  for (int iter = 0; iter < 3000; ++iter) {
    const std::string text = RandomObject(rng, 0);
    Collect c;
    ASSERT_TRUE(p.Parse(text, &c)) << text << "\n" << p.error().message << " @" << p.error().offset;
    const nlohmann::json ref = nlohmann::json::parse(text);
    ASSERT_EQ(c.keys.size(), ref.size());
    size_t v = 0;
    for (size_t i = 0; i < c.keys.size(); ++i) {
      const nlohmann::json& rv = ref.at(c.keys[i]);
      ASSERT_EQ(c.types[i] == JsonType::kString, rv.is_string()) << text;
      if (rv.is_string()) {
        ASSERT_EQ(c.values[v++], rv.get<std::string>()) << text;
      }
    }
  }
}

TEST(JsonParser, RandomMutationsAgreeWithReference) {
  std::mt19937 rng(11);
  JsonObjectParser p;
  const std::string alphabet = "{}[]\":,\\ 0-eE.tfnu\x01\x7f\xC3\xA9\xFF\xED\xA0";
  int rejected = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string text = RandomObject(rng, 0);
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const size_t pos = text.empty() ? 0 : rng() % text.size();
      const char ch = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          if (!text.empty()) text[pos] = ch;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(pos), ch);
          break;
        default:
          if (!text.empty()) text.erase(pos, 1);
      }
    }
    const bool ours = p.Parse(text, nullptr);
    ASSERT_EQ(ours, ReferenceAccepts(text))
        << "text: " << text << "\nours: " << (ours ? "accept" : p.error().message);
    rejected += !ours;
  }
  EXPECT_GT(rejected, 5000);  // the mutations do exercise the error paths
}

}  // namespace
}  // namespace scour::ingest
