// Runs the built `scour` binary (SCOUR_CLI_PATH) through the shell for end-to-end tests, with
// per-test file names (ctest runs the tests of one binary as parallel processes).
#ifndef SCOUR_TESTS_CLI_CLI_RUNNER_H_
#define SCOUR_TESTS_CLI_CLI_RUNNER_H_

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "gtest/gtest.h"

namespace scour::testing_cli {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// "<tmp>/scour_<prefix>_<suite>_<test>", unique per test.
inline std::string TestStem(const std::string& prefix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "_" + info->name();
  for (char& c : name)
    if (c == '/') c = '_';
  return ::testing::TempDir() + "/scour_" + prefix + "_" + name;
}

// Runs the shell command `cmd`, collecting its stdout and exit code.
inline CliRun RunShell(const std::string& cmd) {
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Runs `scour <args>` (already shell-quoted) with stdin from `stdin_path`; stdout and stderr are
// captured separately (stderr through the file `<stem>.err`).
inline CliRun RunScourCli(const std::string& args, const std::string& stem,
                          const std::string& stdin_path = "/dev/null") {
  const std::string err_path = stem + ".err";
  CliRun r = RunShell(std::string("'") + SCOUR_CLI_PATH + "' " + args + " < '" + stdin_path +
                      "' 2> '" + err_path + "'");
  r.err = ReadFile(err_path);
  return r;
}

// Runs `scour <args>` with stderr merged into `out` (for tests that read what a user would see).
inline CliRun RunScourCliMerged(const std::string& args) {
  return RunShell(std::string("'") + SCOUR_CLI_PATH + "' " + args + " < /dev/null 2>&1");
}

}  // namespace scour::testing_cli

#endif  // SCOUR_TESTS_CLI_CLI_RUNNER_H_
