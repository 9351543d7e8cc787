// libFuzzer target for eval::ParseTopicIds (the --train-topics / --test-topics files): arbitrary
// bytes must parse or fail with InvalidArgument; a parsed list holds unique, non-empty ids
// without blanks on increasing lines, and splitting the sorted ids by the list itself works.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "eval/tuning.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto list = scour::eval::ParseTopicIds(text, "fuzz.txt");
  if (!list.ok()) {
    if (list.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  if (list->ids.empty() || list->ids.size() != list->lines.size()) std::abort();
  std::vector<std::string> sorted = list->ids;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) std::abort();
  for (size_t i = 0; i < list->ids.size(); ++i) {
    const std::string& id = list->ids[i];
    if (id.empty() || id.size() > 256 || id[0] == '#') std::abort();
    if (id.find_first_of(" \t\r\n") != std::string::npos) std::abort();
    if (i > 0 && list->lines[i] <= list->lines[i - 1]) std::abort();
  }
  // The list as the training topics of its own ids: the test set is empty (an error) unless
  // there are other topics; add one that cannot be an id (it has a blank).
  sorted.push_back("not an id");
  std::sort(sorted.begin(), sorted.end());
  auto split = scour::eval::MakeSplit(sorted, &*list, nullptr);
  if (!split.ok() || split->train.size() != list->ids.size() || split->test.size() != 1)
    std::abort();
  return 0;
}
