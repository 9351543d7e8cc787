// Av(s): a std::string_view as an absl::string_view. Debian's Abseil (20220623) is built with its
// own absl::string_view rather than as an alias of std::string_view, so Abseil's string functions
// (StrCat, StrFormat, EqualsIgnoreCase, StrSplit, Hash) do not take a std::string_view as is.
// Costs nothing: the same pointer and length.
#ifndef SCOUR_BASE_STRING_VIEW_H_
#define SCOUR_BASE_STRING_VIEW_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace scour {

inline absl::string_view Av(std::string_view s) { return absl::string_view(s.data(), s.size()); }

}  // namespace scour

#endif  // SCOUR_BASE_STRING_VIEW_H_
