#include "convert.h"

#include <cmath>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"

namespace scour::python {
namespace {

// The module's exception types (new references, kept for the life of the process).
PyObject* g_error = nullptr;
PyObject* g_corrupt = nullptr;
PyObject* g_locked = nullptr;
PyObject* g_syntax = nullptr;

PyObject* NewException(py::module_& m, const char* name, PyObject* bases, const char* doc) {
  const std::string qualified = absl::StrCat("scour.", name);
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases, nullptr);
  if (type == nullptr) throw py::error_already_set();
  m.add_object(name, py::reinterpret_borrow<py::object>(type));
  return type;
}

// "query: column 7: ..." -> 7; 0 if the message has no column.
long QueryColumn(std::string_view message) {
  constexpr std::string_view kPrefix = "query: column ";
  if (!message.starts_with(kPrefix)) return 0;
  return std::strtol(std::string(message.substr(kPrefix.size(), 12)).c_str(), nullptr, 10);
}

}  // namespace

void RegisterExceptions(py::module_& m) {
  g_error = NewException(m, "Error", PyExc_Exception, "Base class of scour's own exceptions.");
  py::tuple corrupt_bases = py::make_tuple(py::handle(g_error), py::handle(PyExc_OSError));
  g_corrupt = NewException(m, "CorruptIndexError", corrupt_bases.ptr(),
                           "An index file is corrupt or truncated (bad magic, version, length or "
                           "checksum); the message names the file.");
  py::tuple locked_bases = py::make_tuple(py::handle(g_error), py::handle(PyExc_OSError));
  g_locked = NewException(m, "LockedError", locked_bases.ptr(),
                          "Another IndexWriter (in this or another process) holds the index.");
  py::tuple syntax_bases = py::make_tuple(py::handle(g_error), py::handle(PyExc_ValueError));
  g_syntax = NewException(m, "QuerySyntaxError", syntax_bases.ptr(),
                          "A query that does not parse. A ValueError; `column` is the 1-based "
                          "column (in characters) of the error, and the message ends with the "
                          "query and a caret under that column.");
}

IndexWriterOptions WriterOptions(const py::object& analyzer, bool stopwords, int64_t threads,
                                 int64_t ram_mb, bool merge) {
  CheckThreads(threads);
  if (ram_mb < 1 || ram_mb > (int64_t{1} << 20))
    RaiseType(PyExc_ValueError,
              absl::StrCat("ram_mb must be from 1 to ", int64_t{1} << 20, ", got ", ram_mb));
  IndexWriterOptions o;
  if (!analyzer.is_none()) {
    if (!PyUnicode_Check(analyzer.ptr()))
      RaiseType(PyExc_TypeError, "analyzer must be a language name (str), e.g. 'english'");
    o.analyzer.language = analyzer.cast<std::string>();
    o.analyzer_explicit = true;
  }
  o.analyzer.stopwords = stopwords;
  if (stopwords) o.analyzer_explicit = true;
  o.threads = static_cast<int>(threads);
  o.ram_budget_mb = static_cast<size_t>(ram_mb);
  o.auto_merge = merge;
  return o;
}

void RaiseType(PyObject* type, const std::string& message) {
  PyErr_SetString(type, message.c_str());
  throw py::error_already_set();
}

void Raise(const absl::Status& status, std::string_view context) {
  const std::string message = absl::StrCat(Av(context), status.message());
  PyObject* type = PyExc_RuntimeError;
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      if (long column = QueryColumn(Sv(status.message())); column > 0) {
        py::object e = py::reinterpret_borrow<py::object>(g_syntax)(message);
        e.attr("column") = column;
        PyErr_SetObject(g_syntax, e.ptr());
        throw py::error_already_set();
      }
      type = PyExc_ValueError;
      break;
    case absl::StatusCode::kNotFound:
      type = PyExc_FileNotFoundError;
      break;
    case absl::StatusCode::kAlreadyExists:
      type = PyExc_FileExistsError;
      break;
    case absl::StatusCode::kPermissionDenied:
      type = PyExc_PermissionError;
      break;
    case absl::StatusCode::kDataLoss:
      type = g_corrupt;
      break;
    case absl::StatusCode::kFailedPrecondition:
      if (status.message().find("locked") != std::string_view::npos) type = g_locked;
      break;
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kUnavailable:
      type = PyExc_OSError;
      break;
    case absl::StatusCode::kOutOfRange:
      type = PyExc_IndexError;
      break;
    default:
      break;
  }
  RaiseType(type, message);
}

bool Utf8Of(PyObject* o, std::string_view* out, py::object* keep) {
  if (!PyUnicode_Check(o)) return false;
  if (PyUnicode_IS_COMPACT_ASCII(o)) {
    *out = std::string_view(static_cast<const char*>(PyUnicode_DATA(o)),
                            static_cast<size_t>(PyUnicode_GET_LENGTH(o)));
    return true;
  }
  PyObject* bytes = PyUnicode_AsUTF8String(o);
  if (bytes == nullptr) throw py::error_already_set();
  *keep = py::reinterpret_steal<py::object>(bytes);
  *out = std::string_view(PyBytes_AS_STRING(bytes), static_cast<size_t>(PyBytes_GET_SIZE(bytes)));
  return true;
}

bool AppendUtf8(PyObject* o, std::string* out) {
  std::string_view v;
  py::object keep;
  if (!Utf8Of(o, &v, &keep)) return false;
  out->append(v);
  return true;
}

py::str MakeStr(std::string_view utf8) {
  PyObject* s =
      PyUnicode_DecodeUTF8(utf8.data(), static_cast<Py_ssize_t>(utf8.size()), "surrogateescape");
  if (s == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(s);
}

bool IsMissing(PyObject* o) {
  if (o == Py_None) return true;
  if (PyFloat_Check(o)) return std::isnan(PyFloat_AS_DOUBLE(o));
  const std::string_view type = Py_TYPE(o)->tp_name;
  if (type.ends_with("NAType") || type.ends_with("NaTType")) return true;
  if (type.find("float") != std::string_view::npos && PyNumber_Check(o)) {  // numpy floats
    const double v = PyFloat_AsDouble(o);
    if (v == -1.0 && PyErr_Occurred()) {
      PyErr_Clear();
      return false;
    }
    return std::isnan(v);
  }
  return false;
}

std::string TypeName(PyObject* o) { return Py_TYPE(o)->tp_name; }

}  // namespace scour::python
