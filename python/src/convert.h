// What every part of the Python binding shares: absl::Status -> Python exception (the C++
// message unchanged), Python str -> UTF-8 without caching the encoding in the str object, and
// the module's exception types. Everything here needs the GIL.
#ifndef SCOUR_PYTHON_CONVERT_H_
#define SCOUR_PYTHON_CONVERT_H_

#include <pybind11/pybind11.h>

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "scour/index_writer.h"

namespace scour::python {

namespace py = pybind11;

// Abseil's string_view is its own type here (Debian builds Abseil as C++17 without
// std::string_view aliasing): convert for StrCat and friends.
inline absl::string_view Av(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view Sv(absl::string_view s) { return std::string_view(s.data(), s.size()); }

// Creates scour.Error, scour.CorruptIndexError, scour.LockedError and scour.QuerySyntaxError in
// module `m` (once, at import).
void RegisterExceptions(py::module_& m);

// Raises the Python exception for `status` (which must not be OK):
//   InvalidArgument -> ValueError (QuerySyntaxError, a ValueError with `column`, for a query
//   syntax error); NotFound -> FileNotFoundError; AlreadyExists -> FileExistsError;
//   PermissionDenied -> PermissionError; DataLoss -> CorruptIndexError; FailedPrecondition
//   "index is locked" -> LockedError; ResourceExhausted and Unavailable -> OSError;
//   OutOfRange -> IndexError; anything else -> RuntimeError. `context` (if not empty) is put
//   before the message, e.g. "query 7: ".
[[noreturn]] void Raise(const absl::Status& status, std::string_view context = {});
// Raises `type` with `message`.
[[noreturn]] void RaiseType(PyObject* type, const std::string& message);

inline void Check(const absl::Status& status, std::string_view context = {}) {
  if (!status.ok()) Raise(status, context);
}
template <typename T>
T Check(absl::StatusOr<T> v, std::string_view context = {}) {
  if (!v.ok()) Raise(v.status(), context);
  return *std::move(v);
}

// The UTF-8 bytes of str `o`, valid while `o` (and *keep) live. ASCII strs are read in place;
// others are encoded into a temporary bytes object held by *keep (so a DataFrame's strs do
// not each keep a cached UTF-8 copy, as PyUnicode_AsUTF8 would). Returns false if `o` is not a
// str; a str with lone surrogates raises UnicodeEncodeError (a ValueError).
bool Utf8Of(PyObject* o, std::string_view* out, py::object* keep);
// The same, but a str that is not valid Unicode raises ValueError, its message prefixed by
// context() (e.g. "row 7: field 'title': "), so the user learns which value it was.
template <typename Context>
bool Utf8Of(PyObject* o, std::string_view* out, py::object* keep, Context&& context) {
  try {
    return Utf8Of(o, out, keep);
  } catch (py::error_already_set& e) {
    if (!e.matches(PyExc_UnicodeError)) throw;
    RaiseType(PyExc_ValueError, context() + e.what());
  }
}
// The same, appending to *out.
bool AppendUtf8(PyObject* o, std::string* out);
// A str from UTF-8 bytes (invalid bytes become lone surrogates instead of failing).
py::str MakeStr(std::string_view utf8);

// The most threads a call takes: a mistyped count must not try to start a million threads.
inline constexpr int64_t kMaxThreads = 1024;

// threads in [0, kMaxThreads] (0 = one per core), else ValueError.
inline void CheckThreads(int64_t threads) {
  if (threads < 0 || threads > kMaxThreads)
    RaiseType(PyExc_ValueError, absl::StrCat("threads must be from 0 (one per core) to ",
                                             kMaxThreads, ", got ", threads));
}
// The writer's threads and RAM budget (MB, 1 to 2^20), else ValueError.
// The options index_files() and IndexWriter() share: `analyzer` (None or a language name) and
// `stopwords` (explicit when given), threads and ram_mb checked, auto-merge.
IndexWriterOptions WriterOptions(const py::object& analyzer, bool stopwords, int64_t threads,
                                 int64_t ram_mb, bool merge);

// `o` is None, a float NaN or pandas.NA / NaT: a missing value.
bool IsMissing(PyObject* o);

// "int", "list", ...: the type name of `o`, for messages.
std::string TypeName(PyObject* o);

}  // namespace scour::python

#endif  // SCOUR_PYTHON_CONVERT_H_
