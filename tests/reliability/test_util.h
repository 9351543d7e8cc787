// Small helpers shared by the reliability tests: a self-deleting temp directory and a check
// that an index holds exactly a given id -> text model. Test-only; not thread-safe.
#ifndef SCOUR_TESTS_RELIABILITY_TEST_UTIL_H_
#define SCOUR_TESTS_RELIABILITY_TEST_UTIL_H_

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "gtest/gtest.h"
#include "scour/index_reader.h"

namespace scour::reliability {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "scour_rel_XXXXXX").string();
    char* p = mkdtemp(tmpl.data());
    if (p == nullptr) std::abort();
    path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Empty string when the snapshot's live documents are exactly `model` (id -> "text" field),
// else a description of the first difference.
inline std::string DiffIndex(const IndexReader& r,
                             const std::map<std::string, std::string>& model) {
  if (r.num_docs() != model.size())
    return "num_docs " + std::to_string(r.num_docs()) + " != " + std::to_string(model.size());
  for (const auto& [id, text] : model) {
    auto doc = r.Find(id);
    if (!doc.ok()) return "missing " + id + ": " + std::string(doc.status().message());
    auto d = r.Document(*doc);
    if (!d.ok()) return "unreadable " + id + ": " + std::string(d.status().message());
    if (d->id != id) return "id mismatch for " + id;
    const std::string* t = d->Get("text");
    if (t == nullptr || *t != text) return "text of " + id + " differs";
  }
  return "";
}

}  // namespace scour::reliability

#endif  // SCOUR_TESTS_RELIABILITY_TEST_UTIL_H_
