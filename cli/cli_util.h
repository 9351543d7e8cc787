// Small helpers shared by the subcommands: error printing and exit codes.
#ifndef SCOUR_CLI_CLI_UTIL_H_
#define SCOUR_CLI_CLI_UTIL_H_

#include <cstdio>
#include <string>

#include "absl/status/status.h"

namespace scour::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // bad data, I/O, corrupt index
inline constexpr int kExitUsage = 2;    // bad flags, query syntax, invalid command-line text

// Prints "scour: error: <message>" on stderr and returns kExitFailure.
inline int PrintError(const absl::Status& s, int code = kExitFailure) {
  std::fprintf(stderr, "scour: error: %s\n", std::string(s.message()).c_str());
  return code;
}
inline int PrintError(const std::string& message, int code = kExitFailure) {
  std::fprintf(stderr, "scour: error: %s\n", message.c_str());
  return code;
}

}  // namespace scour::cli

#endif  // SCOUR_CLI_CLI_UTIL_H_
